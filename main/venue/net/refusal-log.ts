// The connections this desk refused, or was refused by, and the peers over a limit: the latest
// few for the venue panel, and how many in all. A peer that no longer serves an event it forgot
// is not among them: it refuses no desk.
import { isoTime } from '../../ground/clock.ts';
import type { VenueRefusal } from '../../../shared/venue-desks.ts';
import type { VenueNodeEvent } from './node-events.ts';
import { FORGOTTEN_DOCUMENT_REFUSAL } from './node.ts';

const MAX_REFUSALS_KEPT = 50;

export class RefusalLog {
  /** Newest first, at most MAX_REFUSALS_KEPT. */
  readonly latest: VenueRefusal[] = [];
  count = 0;

  /** Records the event when it is a refusal or a limit; says whether it was. */
  note(e: VenueNodeEvent, now: number): boolean {
    if (e.kind === 'refused-by-peer' && e.reason === FORGOTTEN_DOCUMENT_REFUSAL) return false;
    if (
      e.kind !== 'handshake-refused' &&
      e.kind !== 'peer-refused' &&
      e.kind !== 'limit' &&
      e.kind !== 'refused-by-peer'
    )
      return false;
    const from = e.kind === 'refused-by-peer' ? e.peer : e.remote;
    const reason = e.kind === 'limit' ? `over the ${e.reason} limit` : e.reason;
    this.count += 1;
    this.latest.unshift({ at: isoTime(now), from, reason });
    this.latest.length = Math.min(this.latest.length, MAX_REFUSALS_KEPT);
    return true;
  }
}
