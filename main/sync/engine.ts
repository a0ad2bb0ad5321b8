// The sync engine: import jobs, manual resync, live polling and the recovery operations.
// It runs in the main process's event loop but never holds it long: provider pages arrive
// asynchronously and each page is written in its own short transaction.
import type { MirrorStore } from '../db/store.ts';
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { StatusMachine } from './status-machine.ts';
import { isProviderError, type ProviderClient, type ProviderError, type AttendeePage } from '../providers/types.ts';
import type { SyncJob, SyncJobKind } from '../../shared/types.ts';
import { AppError } from '../../shared/errors.ts';
import { OFFLINE_REASON } from '../../shared/desk.ts';

export interface SyncEngineOptions {
  /** How often ACTIVE events are polled (station setting). */
  pollIntervalMs: number;
  /**
   * Incremental syncs ask for changes since the start of the previous pass minus this margin,
   * so a change the provider stamps a little before our clock's reading is never missed.
   */
  changedSinceMarginMs: number;
  /** Share of a credential's hourly budget that live polling may plan to use (imports get the rest). */
  liveBudgetShare: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncEngineOptions = {
  pollIntervalMs: 30_000,
  changedSinceMarginMs: 5 * 60_000,
  liveBudgetShare: 0.5,
};

export interface SyncEngineDeps {
  store: MirrorStore;
  clock: Clock;
  events: CoreEvents;
  status: StatusMachine;
  /** The provider client of an integration (shared per credential, so rate budgets hold). */
  clientFor(integrationId: number): ProviderClient;
  /** Requests one full pass over a credential may make per window: for pacing live polls. */
  budgetFor(integrationId: number): { limit: number; windowMs: number };
  /** Called when a provider rejects an integration's credential. */
  onCredentialRejected(integrationId: number, reason: string): void;
  options: SyncEngineOptions;
}

interface RunningJob {
  job: SyncJob;
  abort: AbortController;
  done: Promise<void>;
}

/** A page listing's outcome. */
interface ListingResult {
  fetched: number;
  requests: number;
  completeListing: boolean;
}

const abortReason = () => Object.assign(new Error('sync stopped'), { name: 'AbortError' });

export class SyncEngine {
  private readonly running = new Map<number, RunningJob>();
  private readonly liveState = new Map<number, { nextDueAt: number; failures: number }>();
  /** FAILED events whose cause needs a person (no access, event gone): live sync leaves them to Retry. */
  private readonly needsPerson = new Set<number>();
  private liveLoop: { abort: AbortController; done: Promise<void> } | null = null;
  private closed = false;

  constructor(private readonly deps: SyncEngineDeps) {}

  private now(): string {
    return isoTime(this.deps.clock.now());
  }

  /** The station's poll interval setting, applied from the next scheduled pass on. */
  setPollInterval(ms: number): void {
    this.deps.options.pollIntervalMs = ms;
  }

  activeJob(eventId: number): SyncJob | undefined {
    return this.running.get(eventId)?.job;
  }

  /** Resolves when the event's running job (if any) has finished. */
  async waitForJob(eventId: number): Promise<void> {
    await this.running.get(eventId)?.done;
  }

  async waitForAllJobs(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  // ---- jobs ----

  /**
   * Starts a background job for the event and returns it as soon as it is recorded.
   * 'import' and 'reimport' list every attendee; 'resync' is the one-shot manual Sync.
   * The database's unique index makes "one running job per event" hold even across processes.
   */
  startJob(eventId: number, kind: SyncJobKind): SyncJob {
    if (this.closed) throw new AppError('INVALID_STATE', 'the sync engine is shut down');
    if (this.running.has(eventId) || this.deps.store.activeJob(eventId)) {
      throw new AppError('CONFLICT', 'a sync is already running for this event');
    }
    const job = this.deps.store.startJob(eventId, kind, this.now());
    this.needsPerson.delete(eventId);
    const abort = new AbortController();
    const entry: RunningJob = { job, abort, done: Promise.resolve() };
    entry.done = this.runJob(eventId, job, abort.signal).finally(() => {
      this.running.delete(eventId);
    });
    this.running.set(eventId, entry);
    this.deps.events.emit('jobProgress', { eventId, job });
    return job;
  }

  private async runJob(eventId: number, job: SyncJob, signal: AbortSignal): Promise<void> {
    const startedAt = this.deps.clock.now();
    const state = this.deps.store.eventSyncState(eventId)!;
    try {
      const client = this.deps.clientFor(state.integrationId);
      let listing: ListingResult;
      if (job.kind === 'resync' && client.supportsChangedSince && state.syncWatermark) {
        listing = await this.pageAll(eventId, client, state.providerEventId, job, { changedSince: state.syncWatermark }, signal);
      } else {
        const details = await client.getEvent(state.providerEventId, signal);
        this.deps.store.updateEventDetails(eventId, details);
        listing = await this.pageAll(eventId, client, state.providerEventId, job, {}, signal);
      }
      if (listing.completeListing) {
        const removed = this.deps.store.markUnlistedAsRemoved(eventId, job.id, this.now());
        if (removed.length) this.deps.events.emit('attendeesChanged', { eventId, attendeeIds: removed });
      }
      const isImport = job.kind !== 'resync';
      this.deps.store.markSynced(eventId, this.now(), this.watermarkFrom(startedAt), isImport);
      this.finish(eventId, job, 'completed', null);
      if (this.deps.status.current(eventId) !== 'ACTIVE') {
        this.deps.status.transition(eventId, 'ACTIVE', isImport ? `${job.kind} completed` : 'sync completed');
      }
      // The next live pass is incremental where the provider allows it: about one request.
      this.scheduleLive(eventId, client.supportsChangedSince ? 1 : listing.requests, 0);
    } catch (err) {
      if (signal.aborted) {
        // Shut down mid-job: the job is abandoned exactly as if the process had died, so the
        // event shows "Import failed" (or keeps its status) and Retry starts afresh.
        this.finish(eventId, job, 'abandoned', 'the app stopped before the job finished');
        return;
      }
      const message = describeError(err);
      this.finish(eventId, job, 'failed', message);
      this.applyFailure(eventId, err, message);
    }
  }

  private finish(eventId: number, job: SyncJob, state: 'completed' | 'failed' | 'abandoned', error: string | null): void {
    this.deps.store.finishJob(job.id, state, error, this.now());
    const finished = this.deps.store.getJob(job.id)!;
    this.deps.events.emit('jobFinished', { eventId, job: finished });
  }

  /**
   * Maps a failed sync to the event's status (providers.md, "Mapping errors to statuses").
   * A first import that fails stays PENDING with no job: the UI shows "Import failed" with Retry.
   */
  private applyFailure(eventId: number, err: unknown, message: string): void {
    const state = this.deps.store.eventSyncState(eventId)!;
    if (isProviderError(err) && err.kind === 'credential') {
      this.deps.onCredentialRejected(state.integrationId, message);
      this.disconnect(eventId, message);
      return;
    }
    if (state.importCompletedAt === null) {
      if (state.status === 'PENDING') {
        this.deps.status.transition(eventId, 'PENDING', 'import failed', { message });
        return;
      }
    }
    this.deps.status.transition(eventId, 'FAILED', failureReason(err), { message });
  }

  private disconnect(eventId: number, message: string): void {
    this.deps.status.transition(eventId, 'DISCONNECTED', 'the provider rejected the credential', { message });
  }

  /** Marks every event of a rejected credential DISCONNECTED, except those mid-job (their job does it). */
  disconnectIntegrationEvents(integrationId: number, message: string): void {
    for (const eventId of this.deps.store.eventIdsOfIntegration(integrationId)) {
      const status = this.deps.status.current(eventId);
      if ((status === 'ACTIVE' || status === 'FAILED') && !this.running.has(eventId)) this.disconnect(eventId, message);
    }
  }

  /**
   * Pages through the provider's listing to the end. The next page is requested before the
   * current one is written, so the network and the database work overlap.
   */
  private async pageAll(
    eventId: number,
    client: ProviderClient,
    providerEventId: string,
    job: SyncJob | null,
    query: { changedSince?: string },
    signal: AbortSignal,
  ): Promise<ListingResult> {
    let requests = 1;
    let fetched = 0;
    let page: AttendeePage = await client.pageAttendees(providerEventId, null, query, signal);
    for (;;) {
      const next = page.nextCursor === null ? null : client.pageAttendees(providerEventId, page.nextCursor, query, signal);
      // A rejected prefetch must not surface as an unhandled rejection if the write below throws.
      next?.catch(() => undefined);
      if (next) {
        requests++;
        // Let the prefetch reach the socket before the synchronous write below: the request is
        // sent from promise continuations (limiter grant, then fetch), which would otherwise
        // only run after the write, so network and database never overlapped (measured: a
        // quarter of a 50,000-attendee import spent idle, waiting for pages).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const result = this.deps.store.upsertAttendees(eventId, page.attendees, job?.id ?? null, this.now());
      fetched += page.attendees.length;
      if (job) {
        if (page.totalCount !== null) this.deps.store.setJobExpectedTotal(job.id, page.totalCount);
        const progressed = this.deps.store.getJob(job.id)!;
        this.running.get(eventId)!.job = progressed;
        this.deps.events.emit('jobProgress', { eventId, job: progressed });
      }
      if (result.changedIds.length) this.deps.events.emit('attendeesChanged', { eventId, attendeeIds: result.changedIds });
      if (!next) break;
      page = await next;
    }
    return { fetched, requests, completeListing: query.changedSince === undefined };
  }

  private watermarkFrom(passStartedAt: number): string {
    return isoTime(passStartedAt - this.deps.options.changedSinceMarginMs);
  }

  // ---- live sync ----

  /**
   * One live pass over one event: incremental where the provider supports it (Eventbrite's
   * changed_since), else a full listing whose difference is applied (Luma). A failed pass moves
   * ACTIVE to FAILED (or DISCONNECTED); a successful pass of a FAILED event brings it back to ACTIVE.
   * Returns the number of provider requests it made.
   */
  async liveTick(eventId: number, signal: AbortSignal = new AbortController().signal): Promise<number> {
    const state = this.deps.store.eventSyncState(eventId);
    if (!state || this.running.has(eventId)) return 0;
    if (state.status !== 'ACTIVE' && state.status !== 'FAILED') return 0;
    const startedAt = this.deps.clock.now();
    try {
      const client = this.deps.clientFor(state.integrationId);
      const incremental = client.supportsChangedSince && state.syncWatermark !== null;
      const listing = await this.pageAll(
        eventId,
        client,
        state.providerEventId,
        null,
        incremental ? { changedSince: state.syncWatermark! } : {},
        signal,
      );
      this.deps.store.markSynced(eventId, this.now(), this.watermarkFrom(startedAt), false);
      if (this.deps.status.current(eventId) === 'FAILED') this.deps.status.transition(eventId, 'ACTIVE', 'sync recovered');
      this.scheduleLive(eventId, listing.requests, 0);
      return listing.requests;
    } catch (err) {
      if (signal.aborted) throw err;
      const message = describeError(err);
      if (isProviderError(err) && err.kind === 'credential') {
        this.deps.onCredentialRejected(state.integrationId, message);
        if (this.deps.status.current(eventId) !== 'DISCONNECTED') this.disconnect(eventId, message);
      } else {
        this.deps.status.transition(eventId, 'FAILED', failureReason(err), { message });
        if (isProviderError(err) && (err.kind === 'forbidden' || err.kind === 'not_found')) this.needsPerson.add(eventId);
        const failures = (this.liveState.get(eventId)?.failures ?? 0) + 1;
        this.scheduleLive(eventId, 1, failures);
      }
      return 0;
    }
  }

  /**
   * When the event is next due. A pass's cost is spread so live polling plans to use at most
   * `liveBudgetShare` of the credential's budget; failures back off exponentially (to 5 minutes).
   */
  private scheduleLive(eventId: number, requestsUsed: number, failures: number): void {
    const { pollIntervalMs, liveBudgetShare } = this.deps.options;
    const state = this.deps.store.eventSyncState(eventId);
    if (!state) return;
    const budget = this.deps.budgetFor(state.integrationId);
    // Every live event of the credential draws on the same budget.
    const sharing = Math.max(1, this.deps.store.liveEventCountOfIntegration(state.integrationId));
    const budgetInterval = (requestsUsed * sharing * budget.windowMs) / (budget.limit * liveBudgetShare);
    const backoff = failures > 0 ? Math.min(5 * 60_000, pollIntervalMs * 2 ** (failures - 1)) : 0;
    const interval = Math.max(pollIntervalMs, budgetInterval, backoff);
    this.liveState.set(eventId, { nextDueAt: this.deps.clock.now() + interval, failures });
  }

  /** Runs one live pass over every event that is due. Returns the requests made. */
  async runLivePass(signal?: AbortSignal): Promise<number> {
    let requests = 0;
    const now = this.deps.clock.now();
    const due = [...this.deps.store.eventIdsWithStatus('ACTIVE'), ...this.deps.store.eventIdsWithStatus('FAILED')]
      .filter((id) => (this.liveState.get(id)?.nextDueAt ?? 0) <= now)
      .filter((id) => !(this.needsPerson.has(id) && this.deps.status.current(id) === 'FAILED'))
      .sort((a, b) => a - b);
    for (const eventId of due) {
      if (signal?.aborted) break;
      requests += await this.liveTick(eventId, signal);
    }
    return requests;
  }

  /** Polls in the background until stopped. Never blocks the desk: every pass is async I/O. */
  startLiveSync(): void {
    if (this.liveLoop || this.closed) return;
    const abort = new AbortController();
    const loop = async () => {
      while (!abort.signal.aborted) {
        try {
          await this.runLivePass(abort.signal);
        } catch {
          // A pass only throws when aborted; per-event errors are already statuses.
        }
        await this.deps.clock.sleep(Math.min(this.deps.options.pollIntervalMs, 5_000), abort.signal).catch(() => undefined);
      }
    };
    this.liveLoop = { abort, done: loop() };
  }

  async stopLiveSync(): Promise<void> {
    const loop = this.liveLoop;
    if (!loop) return;
    this.liveLoop = null;
    loop.abort.abort(abortReason());
    await loop.done;
  }

  /** Stops live sync and every running job (each is recorded as abandoned). */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopLiveSync();
    for (const r of this.running.values()) r.abort.abort(abortReason());
    await this.waitForAllJobs();
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function failureReason(err: unknown): string {
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
