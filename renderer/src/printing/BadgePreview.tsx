// A real attendee's badge as main lays it out, for the template editor: the template as saved or
// as being edited, and "Next person" to walk through the event's attendees.
import { useEffect, useId, useState } from 'react';
import type { BadgeLayout, BadgeTemplate } from '../../../shared/badge.ts';
import type { Attendee } from '../../../shared/types.ts';
import { errorMessage, formatCount } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { BadgeSvg } from './BadgeSvg.tsx';
import { LoadError, Loading } from '../ui/states.tsx';

interface PreviewState {
  attendee: Attendee | null;
  total: number;
  layout: BadgeLayout;
}

/** A real attendee's badge as main lays it out; "Next person" walks through the event's attendees. */
export function BadgePreview({
  templateId,
  draft,
  revision,
  note,
}: {
  templateId: number | undefined;
  /** The template as edited right now: the preview follows it before it is saved. */
  draft?: Pick<BadgeTemplate, 'pageSize' | 'fields' | 'answerLabel'> | undefined;
  revision: string;
  note: string | null;
}) {
  const events = useStore((s) => s.events);
  const previewBadge = useStore((s) => s.previewBadge);
  const attendeeAt = useStore((s) => s.attendeeAt);
  const [chosenEventId, setEventId] = useState<number | null>(null);
  const [offset, setOffset] = useState(0);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const ids = { event: useId(), title: useId() };
  // The draft's content as a key: a new object with the same content must not fetch again.
  const draftKey = draft ? JSON.stringify([draft.pageSize, draft.fields, draft.answerLabel]) : '';
  // Until someone picks one: the first event that has people to show.
  const eventId =
    chosenEventId !== null && events.some((e) => e.id === chosenEventId)
      ? chosenEventId
      : ((events.find((e) => e.counts.total > 0) ?? events[0])?.id ?? null);

  useEffect(() => {
    if (eventId === null) return;
    let cancelled = false;
    setLoading(true);
    void (async () => {
      try {
        const { attendee, total } = await attendeeAt(eventId, offset);
        if (cancelled) return;
        if (!attendee && offset > 0) {
          // The event has fewer people now: start over.
          setOffset(0);
          return;
        }
        const layout = await previewBadge({
          eventId,
          ...(attendee ? { attendeeId: attendee.id } : {}),
          ...(templateId !== undefined ? { templateId } : {}),
          ...(draft
            ? { draft: { pageSize: draft.pageSize, fields: draft.fields, answerLabel: draft.answerLabel } }
            : {}),
        });
        if (cancelled) return;
        setPreview({ attendee, total, layout });
        setError(null);
      } catch (err) {
        if (!cancelled) setError(errorMessage(err));
      } finally {
        if (!cancelled) setLoading(false);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [eventId, offset, templateId, draftKey, revision, attendeeAt, previewBadge]);

  const name = preview?.attendee?.fullName ?? 'a sample person';
  return (
    <div className="badge-preview" role="group" aria-labelledby={ids.title}>
      <div className="badge-preview-head">
        <h3 id={ids.title} className="template-editor-title">
          Preview
        </h3>
        {loading ? <span className="muted small">Updating…</span> : null}
      </div>
      {events.length === 0 ? (
        <p className="muted">Import an event to preview badges with its attendees.</p>
      ) : (
        <>
          <div className="badge-preview-controls">
            <div className="field">
              <label className="field-label" htmlFor={ids.event}>
                Event
              </label>
              <select
                id={ids.event}
                value={eventId === null ? '' : String(eventId)}
                onChange={(e) => {
                  setEventId(Number(e.target.value));
                  setOffset(0);
                }}
              >
                {events.map((e) => (
                  <option key={e.id} value={String(e.id)}>
                    {e.name}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="button"
              disabled={!preview || preview.total < 2}
              onClick={() => setOffset((o) => (preview && preview.total > 0 ? (o + 1) % preview.total : 0))}
            >
              Next person
            </button>
          </div>
          {note ? <p className="badge-preview-note">{note}</p> : null}
          {error ? <LoadError>Could not preview: {error}</LoadError> : null}
          <div className="badge-preview-stage" aria-busy={loading || undefined}>
            {preview ? <BadgeSvg layout={preview.layout} name={name} /> : !error ? <Loading /> : null}
          </div>
          {preview ? (
            <p className="badge-preview-person" data-testid="preview-person">
              {preview.attendee ? (
                <>
                  <span className="strong">{preview.attendee.fullName}</span>
                  {preview.attendee.ticketName ? (
                    <span className="muted"> · {preview.attendee.ticketName}</span>
                  ) : null}
                  <span className="muted">
                    {' '}
                    · {formatCount(offset + 1)} of {formatCount(preview.total)}
                  </span>
                </>
              ) : (
                <span className="muted">This event has no attendees yet: a sample person is shown.</span>
              )}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
