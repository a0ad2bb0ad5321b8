// What the venue's records hold for an admin on Settings → Venue: the connections and entries this
// desk refused, and who was admitted or given a badge twice while desks could not see each other.
import type { VenueStatus } from '../../../shared/venue-desks.ts';
import { doubleAdmissionText, doublePrintText, type VenueConflict } from '../../../shared/venue-view.ts';
import { duplicateWalkInText } from '../../../shared/door.ts';
import { formatClock, formatMoment, plural } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';

/** Connections this desk refused, and entries from other desks it did not accept. */
export function Refusals({ status }: { status: VenueStatus }) {
  const refused = useStore((s) => s.venueRefused);
  const names = new Map(status.desks.map((d) => [d.stationId, d.name]));
  const entries = (refused ?? []).filter((r) => r.count > 0);
  if (status.refusalCount === 0 && entries.length === 0) return null;
  return (
    <div className="venue-refusals" data-testid="venue-refusals">
      <h3>Refused</h3>
      <ul className="venue-refusal-list">
        {entries.map((r) => (
          <li key={r.stationId ?? 'unknown'}>
            {plural(r.count, 'entry', 'entries')} from{' '}
            {r.stationId
              ? (names.get(r.stationId) ?? `station ${r.stationId}`)
              : 'a desk that did not say who it is'}
            , last at{' '}
            <time dateTime={r.lastAt} title={formatMoment(r.lastAt)}>
              {formatClock(r.lastAt)}
            </time>
            : {r.lastReason}
          </li>
        ))}
        {status.refusals.slice(0, 5).map((r, i) => (
          <li key={`${r.at}-${i}`}>
            Connection from {r.from} at{' '}
            <time dateTime={r.at} title={formatMoment(r.at)}>
              {formatClock(r.at)}
            </time>
            : {r.reason}
          </li>
        ))}
      </ul>
      {status.refusalCount > 5 ? (
        <p className="muted small">
          {plural(status.refusalCount, 'connection', 'connections')} refused in all.
        </p>
      ) : null}
    </div>
  );
}

/** What happened twice while desks could not see each other, per event, for the admin. */
export function VenueConflictsList() {
  const conflicts = useStore((s) => s.venueConflicts);
  const events = useStore((s) => s.events);
  const withConflicts = events.flatMap((event) => {
    const c = conflicts[event.id];
    return c && (c.admissions.length > 0 || c.prints.length > 0 || (c.walkIns?.length ?? 0) > 0)
      ? [{ event, conflicts: c }]
      : [];
  });
  return (
    <div className="venue-conflicts" data-testid="venue-conflicts">
      <h3>While desks were apart</h3>
      {withConflicts.length === 0 ? (
        <p className="muted small">Nobody was admitted or given a badge twice.</p>
      ) : (
        withConflicts.map(({ event, conflicts: c }) => (
          <div key={event.id} className="venue-conflict-event">
            <h4>{event.name}</h4>
            <ul className="venue-conflict-list">
              {c.admissions.map((conflict) => (
                <ConflictRow
                  key={`a-${conflict.attendeeId}`}
                  conflict={conflict}
                  text={doubleAdmissionText(conflict, formatClock)}
                />
              ))}
              {c.prints.map((conflict) => (
                <ConflictRow
                  key={`p-${conflict.attendeeId}`}
                  conflict={conflict}
                  text={doublePrintText(conflict, formatClock)}
                />
              ))}
              {(c.walkIns ?? []).map((d) => (
                <li
                  key={`w-${d.walkIns[0]!.attendeeId}`}
                  className="venue-conflict"
                  data-testid="venue-conflict"
                >
                  <span className="strong">{d.name}</span>
                  <span>{duplicateWalkInText(d, formatClock)}</span>
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </div>
  );
}

function ConflictRow({ conflict, text }: { conflict: VenueConflict; text: string }) {
  return (
    <li className="venue-conflict" data-testid="venue-conflict">
      <span className="strong">{conflict.attendeeName}</span>
      <span>{text}</span>
    </li>
  );
}
