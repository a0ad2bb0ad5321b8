// One owner per event at a time: a job (import, re-import, Sync) or a live pass. A job that
// starts while a live pass is in flight takes the event over: it aborts the pass, waits for it to
// end, and bumps the event's repair count; a pass that finds the count moved on, or its own signal
// aborted, writes nothing more (no rows, no watermark, no status). Once the engine shuts down, no
// one may own an event again.
import type { SyncJob } from '../../shared/types.ts';

/** Whoever works on an event right now: a job, or a live pass. */
export interface Owner {
  kind: 'job' | 'live';
  /** The job (kind 'job'), kept current as it progresses. */
  job: SyncJob | null;
  /** Clock time the owner began, and the pages its listing has asked for (for the ETA). */
  startedAt: number;
  pages: number;
  abort: AbortController;
  done: Promise<void>;
}

export const abortReason = () => Object.assign(new Error('sync stopped'), { name: 'AbortError' });
export const takenOverReason = () =>
  Object.assign(new Error('a repair took this event over'), { name: 'AbortError' });

export class EventOwners {
  private readonly owners = new Map<number, Owner>();
  /** Bumped whenever a job takes an event over: a pass begun under an older count is stale. */
  private readonly repairs = new Map<number, number>();
  private shutDown = false;

  get closed(): boolean {
    return this.shutDown;
  }

  get(eventId: number): Owner | undefined {
    return this.owners.get(eventId);
  }

  has(eventId: number): boolean {
    return this.owners.has(eventId);
  }

  set(eventId: number, owner: Owner): void {
    this.owners.set(eventId, owner);
  }

  /** The owner is done; a newer owner of the event (a job that took over) stays. */
  release(eventId: number, owner: Owner): void {
    if (this.owners.get(eventId) === owner) this.owners.delete(eventId);
  }

  /** A job takes the event over: the owner in flight (a live pass) is aborted and becomes stale. */
  takeOver(eventId: number): Owner | undefined {
    const current = this.owners.get(eventId);
    current?.abort.abort(takenOverReason());
    this.repairs.set(eventId, (this.repairs.get(eventId) ?? 0) + 1);
    return current;
  }

  repairCount(eventId: number): number {
    return this.repairs.get(eventId) ?? 0;
  }

  /** Resolves when every owner in flight has ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.owners.values()].map((r) => r.done));
  }

  /** The engine shuts down: no one owns an event again (owners in flight are stopped by abortAll). */
  close(): void {
    this.shutDown = true;
  }

  abortAll(): void {
    for (const owner of this.owners.values()) owner.abort.abort(abortReason());
  }
}
