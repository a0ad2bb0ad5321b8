// The one place event statuses change. Legality comes from shared/sync-status.ts's table;
// every transition is recorded with its reason and time, and announced.
import { canTransition, type SyncStatus } from '../../shared/sync-status.ts';
import type { MirrorStore } from '../db/store.ts';
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';

export class IllegalTransitionError extends Error {
  constructor(eventId: number, from: SyncStatus, to: SyncStatus) {
    super(`event ${eventId}: ${from} -> ${to} is not a legal sync status transition`);
    this.name = 'IllegalTransitionError';
  }
}

export class StatusMachine {
  constructor(
    private readonly store: MirrorStore,
    private readonly clock: Clock,
    private readonly events: CoreEvents,
  ) {}

  current(eventId: number): SyncStatus {
    const status = this.store.eventStatus(eventId);
    if (!status) throw new Error(`event ${eventId} does not exist`);
    return status;
  }

  /**
   * Moves the event to `to`. A move to the status it already has records nothing (the error,
   * if any, is still kept). `error` is the provider's message, stored with its time.
   */
  transition(eventId: number, to: SyncStatus, reason: string, error?: { message: string }): void {
    const from = this.current(eventId);
    const now = isoTime(this.clock.now());
    if (from === to) {
      if (error) this.store.recordError(eventId, error.message, now);
      return;
    }
    if (!canTransition(from, to)) throw new IllegalTransitionError(eventId, from, to);
    this.store.writeStatus(eventId, from, to, reason, now, error);
    this.events.emit('statusChanged', { eventId, from, to, reason, at: now });
  }
}
