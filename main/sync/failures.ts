// What a failed sync means for its event: the status and reason it records, and the engine's
// rule that nothing it does throws out of it. Shared by jobs and live passes.
import { isProviderError, type ProviderError } from '../providers/types.ts';
import { isoTime } from '../ground/clock.ts';
import { OFFLINE_REASON } from '../../shared/sync-status.ts';
import type { SyncEngineDeps } from './engine-deps.ts';

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isCredentialRejection(err: unknown): boolean {
  return isProviderError(err) && err.kind === 'credential';
}

/** The status reason of a FAILED event, by the kind of provider error that failed it. */
export function failureReason(err: unknown): string {
  if (!isProviderError(err)) return 'sync failed';
  const reasons: Record<ProviderError['kind'], string> = {
    credential: 'the provider rejected the credential',
    forbidden: 'no access to this event',
    not_found: 'the event was not found on the provider',
    rate_limited: 'rate limited for longer than the job may wait',
    transient: 'the provider did not answer',
    offline: OFFLINE_REASON,
    bad_response: 'bad response from the provider',
  };
  return reasons[err.kind];
}

/** A rejected credential: the event waits for Reconnect. */
export function disconnectEvent(
  deps: Pick<SyncEngineDeps, 'status'>,
  eventId: number,
  message: string,
): void {
  deps.status.transition(eventId, 'DISCONNECTED', 'the provider rejected the credential', { message });
}

/**
 * A bug inside the engine (an illegal transition, a database error): recorded on the event and
 * announced, never thrown out of it (a rejection escaping a background promise would end a Node
 * host process).
 */
export function recordInternalError(
  deps: Pick<SyncEngineDeps, 'store' | 'events' | 'clock'>,
  eventId: number,
  err: unknown,
): void {
  try {
    deps.store.recordError(eventId, `internal error: ${describeError(err)}`, isoTime(deps.clock.now()));
    deps.events.emit('syncChanged', { eventId });
  } catch {
    // The event itself is gone (or the database closed): nothing left to record it on.
  }
}

/** Runs `work`; anything it throws is recorded on the event (recordInternalError). */
export function guarded(
  deps: Pick<SyncEngineDeps, 'store' | 'events' | 'clock'>,
  eventId: number,
  work: () => void,
): void {
  try {
    work();
  } catch (err) {
    recordInternalError(deps, eventId, err);
  }
}
