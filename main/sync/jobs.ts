// Sync jobs: an import or re-import (every attendee listed) and the manual Sync (a hard pull),
// each run in the background from the moment it is recorded. A job takes its event over from a
// live pass in flight (owners.ts); when it ends, its outcome becomes the event's status and the
// next live pass is scheduled from it.
import { isoTime } from '../ground/clock.ts';
import type { ImportEta, SyncJob, SyncJobKind } from '../../shared/types.ts';
import { AppError } from '../../shared/errors.ts';
import type { SyncEngineDeps } from './engine-deps.ts';
import {
  describeError,
  disconnectEvent,
  failureReason,
  guarded,
  isCredentialRejection,
  recordInternalError,
} from './failures.ts';
import type { PassContext, PassOutcome, ProviderListing } from './listing.ts';
import type { LiveSync } from './live.ts';
import type { EventOwners, Owner } from './owners.ts';

export class SyncJobs {
  constructor(
    private readonly deps: SyncEngineDeps,
    private readonly owners: EventOwners,
    private readonly listing: ProviderListing,
    private readonly live: LiveSync,
  ) {}

  private now(): string {
    return isoTime(this.deps.clock.now());
  }

  activeJob(eventId: number): SyncJob | undefined {
    const owner = this.owners.get(eventId);
    return owner?.kind === 'job' ? (owner.job ?? undefined) : undefined;
  }

  /** Resolves when the event's running job (if any) has finished. */
  async waitForJob(eventId: number): Promise<void> {
    const owner = this.owners.get(eventId);
    if (owner?.kind === 'job') await owner.done;
  }

  /**
   * A running listing job's estimate: the pages still to fetch (from the provider's total and
   * the page size seen so far), at the pace seen so far or the rate budget's, whichever is later.
   * (A 100,000-attendee Eventbrite import is about 2,000 requests: the first 1,600 go at network
   * speed, the rest wait for the hour to roll on; the pace alone would promise minutes.)
   * The first page starts it (before that neither the total nor the page size is known).
   */
  importEta(eventId: number): ImportEta | null {
    const owner = this.owners.get(eventId);
    const job = owner?.kind === 'job' ? owner.job : null;
    if (!owner || !job || job.expectedTotal === null || owner.pages === 0 || job.fetched === 0) return null;
    const state = this.deps.store.eventSyncState(eventId);
    if (!state) return null;
    const now = this.deps.clock.now();
    const remainingRequests = Math.ceil(
      Math.max(0, job.expectedTotal - job.fetched) / (job.fetched / owner.pages),
    );
    const paced = now + remainingRequests * ((now - owner.startedAt) / owner.pages);
    const budget = this.deps.estimateRequestsDoneAt(state.integrationId, remainingRequests);
    const finish = Math.max(paced, budget?.at ?? 0);
    // Named whenever the budget holds the remaining pages back at all: the pace seen so far
    // then mostly measures the budget's waits too.
    const budgetBound = budget !== null && budget.at > now;
    return {
      finishAt: isoTime(finish),
      remainingMs: finish - now,
      budgetLimit: budgetBound ? budget.window : null,
    };
  }

  /**
   * Starts a background job for the event and returns it as soon as it is recorded.
   * 'import' and 'reimport' list every attendee; 'resync' is the manual Sync, a hard pull.
   * A live pass in flight is aborted and waited for; the database's unique index makes "one
   * running job per event" hold even across processes.
   */
  start(eventId: number, kind: SyncJobKind): SyncJob {
    if (this.owners.closed) throw new AppError('INVALID_STATE', 'the sync engine is shut down');
    if (this.deps.store.eventForgotten(eventId))
      throw new AppError('INVALID_STATE', 'this event was forgotten on this desk: it no longer syncs here');
    const current = this.owners.get(eventId);
    if (current?.kind === 'job' || this.deps.store.activeJob(eventId)) {
      throw new AppError('CONFLICT', 'a sync is already running for this event');
    }
    this.owners.takeOver(eventId);
    const job = this.deps.store.startJob(eventId, kind, this.now());
    this.live.jobStarted(eventId);
    const abort = new AbortController();
    const entry: Owner = {
      kind: 'job',
      job,
      abort,
      done: Promise.resolve(),
      startedAt: this.deps.clock.now(),
      pages: 0,
    };
    const previous = current?.done ?? Promise.resolve();
    entry.done = previous
      .then(() => this.run(eventId, job, abort.signal))
      .catch((err: unknown) => recordInternalError(this.deps, eventId, err))
      .finally(() => {
        this.owners.release(eventId, entry);
        this.live.announceTiming(eventId);
      });
    this.owners.set(eventId, entry);
    this.deps.events.emit('jobProgress', { eventId, job });
    return job;
  }

  private async run(eventId: number, job: SyncJob, signal: AbortSignal): Promise<void> {
    const state = this.deps.store.eventSyncState(eventId)!;
    try {
      const client = this.deps.clientFor(state.integrationId);
      const ctx: PassContext = { eventId, client, providerEventId: state.providerEventId, job, signal };
      let outcome: PassOutcome;
      if (job.kind === 'resync') {
        outcome = await this.listing.hardPull(ctx, state.syncWatermark, 'manual_sync');
      } else {
        const details = await client.getEvent(state.providerEventId, signal);
        this.deps.store.updateEventDetails(eventId, details);
        const listing = await this.listing.fullListing(ctx);
        outcome = { requests: listing.requests + 1, watermark: listing.watermark };
      }
      const isImport = job.kind !== 'resync';
      this.deps.store.markSynced(eventId, this.now(), outcome.watermark, isImport);
      this.live.jobSynced(eventId);
      this.finish(eventId, job, 'completed', null);
      guarded(this.deps, eventId, () => {
        if (this.deps.status.current(eventId) !== 'ACTIVE') {
          this.deps.status.transition(
            eventId,
            'ACTIVE',
            isImport ? `${job.kind} completed` : 'sync completed',
          );
        }
      });
      // The next live pass is incremental where the provider allows it, or reads the newest
      // registrations first: about one request.
      this.live.schedule(
        eventId,
        client.supportsChangedSince || client.supportsNewestFirst ? 1 : outcome.requests,
        0,
      );
    } catch (err) {
      if (signal.aborted) {
        // Shut down mid-job: the job is abandoned exactly as if the process had died, so the
        // event shows "Import failed" (or keeps its status) and Retry starts afresh.
        this.finish(eventId, job, 'abandoned', 'the app stopped before the job finished');
        return;
      }
      const message = describeError(err);
      this.finish(eventId, job, 'failed', message);
      guarded(this.deps, eventId, () => this.applyFailure(eventId, err, message));
    }
  }

  private finish(
    eventId: number,
    job: SyncJob,
    state: 'completed' | 'failed' | 'abandoned',
    error: string | null,
  ): void {
    this.deps.store.finishJob(job.id, state, error, this.now());
    const finished = this.deps.store.getJob(job.id)!;
    this.deps.events.emit('jobFinished', { eventId, job: finished });
  }

  /**
   * Maps a failed job to the event's status (the provider error kinds, failureReason).
   * A first import that fails stays PENDING with no job: the UI shows "Import failed" with Retry.
   */
  private applyFailure(eventId: number, err: unknown, message: string): void {
    const state = this.deps.store.eventSyncState(eventId)!;
    if (isCredentialRejection(err)) {
      this.deps.onCredentialRejected(state.integrationId, message);
      disconnectEvent(this.deps, eventId, message);
      return;
    }
    if (state.importCompletedAt === null && state.status === 'PENDING') {
      this.deps.status.transition(eventId, 'PENDING', 'import failed', { message });
      return;
    }
    this.deps.status.transition(eventId, 'FAILED', failureReason(err), { message });
  }
}
