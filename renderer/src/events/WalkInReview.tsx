// An admin's review of the event's walk-ins, on the event page: walk-ins that may be one person
// registered twice (two desks apart, or one desk twice), and walk-ins whose email the provider now
// lists for a registration. Each offers its link: one person, one admission, the walk-in's
// check-in kept. Shared by the venue's desks; never sent to the provider. Names are text.
import { useState } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { duplicateWalkInText, type WalkInSummary } from '../../../shared/door.ts';
import { errorMessage, formatClock } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';

export function WalkInReview({ event }: { event: SyncedEvent }) {
  const review = useStore((s) => (s.doorReview?.eventId === event.id ? s.doorReview : null));
  const linkWalkIn = useStore((s) => s.linkWalkIn);
  const toast = useStore((s) => s.toast);
  const [busy, setBusy] = useState(false);
  if (!review || (review.duplicates.length === 0 && review.suggestions.length === 0)) return null;

  const link = (walkIn: WalkInSummary, attendeeId: number, name: string) => {
    setBusy(true);
    linkWalkIn(event.id, walkIn.attendeeId, attendeeId).then(
      () => {
        setBusy(false);
        toast(`${walkIn.fullName} is now one person with ${name}`, 'success');
      },
      (err: unknown) => {
        setBusy(false);
        toast(`Could not link: ${errorMessage(err)}`, 'error');
      },
    );
  };

  return (
    <div className="walk-in-review" data-testid="walk-in-review">
      {review.duplicates.length > 0 ? (
        <>
          <h4 className="walk-in-review-title">Possible duplicate walk-ins</h4>
          <ul className="walk-in-review-list">
            {review.duplicates.map((d) => {
              const [first, ...later] = d.walkIns;
              return (
                <li key={first!.attendeeId} className="walk-in-review-item">
                  <span className="strong">{d.name}</span> <span>{duplicateWalkInText(d, formatClock)}</span>
                  {later.map((w) => (
                    <button
                      key={w.attendeeId}
                      type="button"
                      className="button button-small"
                      disabled={busy}
                      onClick={() => link(w, first!.attendeeId, `the walk-in of ${formatClock(first!.at)}`)}
                    >
                      Link {w.stationName} {formatClock(w.at)} to {first!.stationName}{' '}
                      {formatClock(first!.at)}
                    </button>
                  ))}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {review.suggestions.length > 0 ? (
        <>
          <h4 className="walk-in-review-title">Walk-ins the provider now lists</h4>
          <ul className="walk-in-review-list">
            {review.suggestions.map((s) => (
              <li key={`${s.walkIn.attendeeId}-${s.attendeeId}`} className="walk-in-review-item">
                <span>
                  <span className="strong">{s.walkIn.fullName}</span> (walk-in, {s.walkIn.email}) is
                  registered as <span className="strong">{s.fullName}</span>
                </span>
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  onClick={() => link(s.walkIn, s.attendeeId, s.fullName)}
                >
                  Link as one person
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
