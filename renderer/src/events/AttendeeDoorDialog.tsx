// An admin's door facts for one attendee, from the attendee list: a note shown large at check-in, a
// "needs attention" flag with its reason (a scan alone then does not admit them), and for a
// walk-in, the registration of the same person to link it to. Shared by the venue's desks; never
// sent to the provider.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { MAX_NOTE_CHARS, MAX_REASON_CHARS } from '../../../shared/door.ts';
import { useStore } from '../app/use-store.ts';
import { formatClock } from '../ui/format.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export function AttendeeDoorDialog({ attendee, onClose }: { attendee: Attendee; onClose: () => void }) {
  const setPersonNote = useStore((s) => s.setPersonNote);
  const setAttention = useStore((s) => s.setAttention);
  const linkWalkIn = useStore((s) => s.linkWalkIn);
  const loadDoorReview = useStore((s) => s.loadDoorReview);
  const review = useStore((s) => (s.doorReview?.eventId === attendee.eventId ? s.doorReview : null));
  const [note, setNote] = useState(attendee.note ?? '');
  const [reason, setReason] = useState(attendee.attention ?? '');
  const { busy, error, run } = useDialogAction(onClose);
  const ids = { form: useId(), note: useId(), reason: useId() };
  // The registrations with this walk-in's email, then the other walk-ins that may be the same person.
  const suggestions = [
    ...(review?.suggestions ?? [])
      .filter((s) => s.walkIn.attendeeId === attendee.id)
      .map((s) => ({ attendeeId: s.attendeeId, label: `${s.fullName} (the provider's registration)` })),
    ...(review?.duplicates ?? [])
      .filter((d) => d.walkIns.some((w) => w.attendeeId === attendee.id))
      .flatMap((d) => d.walkIns.filter((w) => w.attendeeId !== attendee.id))
      .map((w) => ({
        attendeeId: w.attendeeId,
        label: `${w.fullName} (walk-in at ${w.stationName} ${formatClock(w.at)})`,
      })),
  ];

  useEffect(() => {
    if (attendee.walkIn) void loadDoorReview(attendee.eventId).catch(() => undefined);
  }, [attendee.walkIn, attendee.eventId, loadDoorReview]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      if (note.trim() !== (attendee.note ?? '')) await setPersonNote(attendee, note);
      if (reason.trim() !== (attendee.attention ?? '')) await setAttention(attendee, reason);
    });
  };

  return (
    <Dialog
      title={`At the door: ${attendee.fullName}`}
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={ids.form}
          onCancel={onClose}
          busy={busy}
          label="Save"
          busyLabel="Saving…"
        />
      }
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label className="field-label" htmlFor={ids.note}>
            Note, shown large at check-in
          </label>
          <input
            id={ids.note}
            type="text"
            maxLength={MAX_NOTE_CHARS}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="e.g. VIP host: call Sam"
            autoComplete="off"
            data-autofocus
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.reason}>
            Needs attention (a scan alone does not admit them)
          </label>
          <input
            id={ids.reason}
            type="text"
            maxLength={MAX_REASON_CHARS}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. check student ID"
            autoComplete="off"
          />
        </div>
        {attendee.walkIn ? (
          <div className="field" data-testid="walk-in-links">
            <span className="field-label">Walk-in</span>
            {attendee.linkedTo ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => void run(() => linkWalkIn(attendee.eventId, attendee.id, null))}
              >
                Unlink from the registration
              </button>
            ) : suggestions.length === 0 ? (
              <p className="muted small">
                Nobody else has this walk-in's email or name: the provider lists no one, and no other walk-in.
              </p>
            ) : (
              suggestions.map((s) => (
                <button
                  key={s.attendeeId}
                  type="button"
                  className="button button-small"
                  onClick={() => void run(() => linkWalkIn(attendee.eventId, attendee.id, s.attendeeId))}
                >
                  Link to {s.label}
                </button>
              ))
            )}
          </div>
        ) : null}
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
