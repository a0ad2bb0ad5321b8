// Remote entries refused since start-up (invalid, changed after they were written, deleted, over
// a cap), counted per station they claimed to come from, for the admin's panel.
import { isoTime, type Clock } from '../../ground/clock.ts';
import type { RefusedEntries } from '../../../shared/venue.ts';

export class RefusalCounts {
  private readonly refusals = new Map<string, RefusedEntries>();

  constructor(private readonly clock: Clock) {}

  refuse(stationId: string | null, reason: string): void {
    const key = stationId ?? '';
    const prev = this.refusals.get(key);
    this.refusals.set(key, {
      stationId,
      count: (prev?.count ?? 0) + 1,
      lastReason: reason,
      lastAt: isoTime(this.clock.now()),
    });
  }

  /** Most refused first. */
  refused(): RefusedEntries[] {
    return [...this.refusals.values()].sort((a, b) => b.count - a.count);
  }
}
