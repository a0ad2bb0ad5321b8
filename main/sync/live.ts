// Live sync: the background loop that polls every event in a polling status, paced so live
// polling plans to use at most its share of each credential's budget, backing off on failures,
// waiting out a pause the provider named, and leaving to another desk of the venue an event the
// election gave it. A failed pass moves ACTIVE to FAILED (or DISCONNECTED); a successful pass of a
// FAILED event brings it back to ACTIVE.
import { isoTime } from '../ground/clock.ts';
import { isProviderError } from '../providers/types.ts';
import { isPollingStatus } from '../../shared/sync-status.ts';
import type { SyncEngineDeps } from './engine-deps.ts';
import { disconnectEvent, describeError, failureReason, guarded, isCredentialRejection } from './failures.ts';
import type { PassContext, PassOutcome, ProviderListing } from './listing.ts';
import { NewestFirstLive } from './newest-first.ts';
import { abortReason, type EventOwners, type Owner } from './owners.ts';

export class LiveSync {
  /** When each event is next due, and the failures in a row that pushed it back. */
  private readonly scheduled = new Map<number, { nextDueAt: number; failures: number }>();
  private readonly lastCountCheckAt = new Map<number, number>();
  /** The "next attempt at" each event last announced, so a change is pushed once. */
  private readonly announcedNextAttempt = new Map<number, string | null>();
  /** FAILED events whose cause needs a person (no access, event gone): live sync leaves them to Retry. */
  private readonly needsPerson = new Set<number>();
  /**
   * Events whose stored watermark this engine's own passes and jobs keep current. In a venue, any
   * other event's first pass here (a takeover, or the first after a restart) may find the mirror
   * ahead of the watermark: the poller's roster brought rows meanwhile.
   */
  private readonly ownWatermark = new Set<number>();
  private liveLoop: { abort: AbortController; done: Promise<void> } | null = null;
  /** Passes over a provider without changed-since that lists newest first (Luma). */
  private readonly newestFirst: NewestFirstLive;

  constructor(
    private readonly deps: SyncEngineDeps,
    private readonly owners: EventOwners,
    private readonly listing: ProviderListing,
  ) {
    this.newestFirst = new NewestFirstLive(deps, listing);
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }

  /**
   * When live sync will next call the provider for this event, if that is worth showing: while
   * the provider has told the credential to wait (a long 429), or while a FAILED event waits
   * for its automatic retry. Null otherwise (healthy polling, or a FAILED event left to Retry).
   */
  nextAttemptAt(eventId: number): string | null {
    const state = this.deps.store.eventSyncState(eventId);
    if (!state) return null;
    const now = this.deps.clock.now();
    const pausedUntil = this.deps.providerPausedUntil(state.integrationId);
    if (this.owners.has(eventId)) return pausedUntil > now ? isoTime(pausedUntil) : null;
    if (!isPollingStatus(state.status)) return null;
    if (state.status === 'FAILED' && this.needsPerson.has(eventId)) return null;
    const due = Math.max(this.scheduled.get(eventId)?.nextDueAt ?? now, pausedUntil);
    if (pausedUntil > now || state.status === 'FAILED') return isoTime(due);
    return null;
  }

  /**
   * Pushes `syncChanged` when what the event page shows of the engine's timing changed. Called
   * from `finally` blocks of background work, so it never throws (a listener's error included).
   */
  announceTiming(eventId: number): void {
    try {
      const next = this.nextAttemptAt(eventId);
      if ((this.announcedNextAttempt.get(eventId) ?? null) === next) return;
      this.announcedNextAttempt.set(eventId, next);
      this.deps.events.emit('syncChanged', { eventId });
    } catch {
      // Nothing to announce about an event that is gone, or from a closed database.
    }
  }

  /** A job started: whatever needed a person before is being retried. */
  jobStarted(eventId: number): void {
    this.needsPerson.delete(eventId);
  }

  /** A job brought the mirror level with the provider: its watermark is this desk's, its counts just compared. */
  jobSynced(eventId: number): void {
    this.ownWatermark.add(eventId);
    this.newestFirst.listedWhole(eventId);
    this.lastCountCheckAt.set(eventId, this.deps.clock.now());
  }

  /**
   * One live pass over one event: incremental where the provider supports it (Eventbrite's
   * changed_since, with a count check now and then); for a provider that lists newest first
   * (Luma), the new registrations and a share of a full pass (newest-first.ts); else a full
   * listing whose difference, removals included, is applied. A failed pass moves ACTIVE to FAILED (or
   * DISCONNECTED); a successful pass of a FAILED event brings it back to ACTIVE. The pass owns
   * the event while it runs; one that a repair took over is dropped. Returns the requests made.
   */
  async tick(eventId: number, signal: AbortSignal = new AbortController().signal): Promise<number> {
    const state = this.deps.store.eventSyncState(eventId);
    if (!state || this.owners.has(eventId) || this.owners.closed) return 0;
    if (!isPollingStatus(state.status)) return 0;
    if (!this.isElected(eventId)) {
      // Another desk of the venue polls it: no request here. Looked at again within 5 s (half an
      // interval if shorter; a look costs no request), so when that desk goes away this one
      // takes over within an interval and 5 s of its last poll, plus the time presence takes to
      // say it went.
      const failures = this.scheduled.get(eventId)?.failures ?? 0;
      this.scheduled.set(eventId, {
        nextDueAt: this.deps.clock.now() + Math.min(this.deps.options.pollIntervalMs / 2, 5_000),
        failures,
      });
      this.ownWatermark.delete(eventId);
      this.newestFirst.forget(eventId);
      return 0;
    }
    const pausedUntil = this.deps.providerPausedUntil(state.integrationId);
    if (pausedUntil > this.deps.clock.now()) {
      // The provider named a time: wait for it rather than spend a request on another 429.
      const failures = this.scheduled.get(eventId)?.failures ?? 0;
      this.scheduled.set(eventId, { nextDueAt: pausedUntil, failures });
      this.announceTiming(eventId);
      return 0;
    }
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort(signal.reason);
    if (signal.aborted) onOuterAbort();
    else signal.addEventListener('abort', onOuterAbort, { once: true });
    let finished!: () => void;
    const owner: Owner = {
      kind: 'live',
      job: null,
      abort,
      done: new Promise<void>((resolve) => (finished = resolve)),
      startedAt: this.deps.clock.now(),
      pages: 0,
    };
    this.owners.set(eventId, owner);
    const repairsAtStart = this.owners.repairCount(eventId);
    const stale = () => abort.signal.aborted || this.owners.repairCount(eventId) !== repairsAtStart;
    try {
      const client = this.deps.clientFor(state.integrationId);
      const ctx: PassContext = {
        eventId,
        client,
        providerEventId: state.providerEventId,
        job: null,
        signal: abort.signal,
      };
      const inVenue = this.deps.isElected !== undefined;
      const watermark =
        inVenue && !this.ownWatermark.has(eventId)
          ? this.listing.takeoverWatermark(eventId, state.syncWatermark)
          : state.syncWatermark;
      const outcome = await this.livePass(ctx, watermark);
      if (stale()) return outcome.requests;
      this.ownWatermark.add(eventId);
      guarded(this.deps, eventId, () => {
        this.deps.store.markSynced(eventId, this.now(), outcome.watermark, false);
        if (this.deps.status.current(eventId) === 'FAILED')
          this.deps.status.transition(eventId, 'ACTIVE', 'sync recovered');
        this.schedule(eventId, outcome.requests, 0);
      });
      return outcome.requests;
    } catch (err) {
      // A full pass spread over live passes begins afresh after any failure or abort.
      this.newestFirst.forget(eventId);
      if (signal.aborted) throw err;
      if (stale()) return 0;
      guarded(this.deps, eventId, () => this.applyLiveFailure(eventId, state.integrationId, err));
      return 0;
    } finally {
      signal.removeEventListener('abort', onOuterAbort);
      this.owners.release(eventId, owner);
      finished();
      this.announceTiming(eventId);
    }
  }

  private async livePass(ctx: PassContext, watermark: string | null): Promise<PassOutcome> {
    const { client, eventId } = ctx;
    if (!client.supportsChangedSince && client.supportsNewestFirst) return this.newestFirst.pass(ctx);
    if (!client.supportsChangedSince || watermark === null) {
      const listing = await this.listing.fullListing(ctx, 'live');
      return { requests: listing.requests, watermark: listing.watermark };
    }
    const now = this.deps.clock.now();
    const checkDue =
      now - (this.lastCountCheckAt.get(eventId) ?? now) >= this.deps.options.countCheckIntervalMs;
    if (!checkDue || !client.countAttendees) {
      const incremental = await this.listing.pageAll(ctx, { changedSince: watermark });
      return { requests: incremental.requests, watermark: incremental.watermark };
    }
    const outcome = await this.listing.hardPullByCounts(ctx, watermark);
    this.lastCountCheckAt.set(eventId, now);
    return outcome;
  }

  private applyLiveFailure(eventId: number, integrationId: number, err: unknown): void {
    const message = describeError(err);
    if (isCredentialRejection(err)) {
      this.deps.onCredentialRejected(integrationId, message);
      if (this.deps.status.current(eventId) !== 'DISCONNECTED') disconnectEvent(this.deps, eventId, message);
      return;
    }
    const failures = (this.scheduled.get(eventId)?.failures ?? 0) + 1;
    // Scheduled first: the retry time is known even if recording the failure goes wrong.
    this.schedule(eventId, 1, failures);
    if (isProviderError(err) && (err.kind === 'forbidden' || err.kind === 'not_found'))
      this.needsPerson.add(eventId);
    this.deps.status.transition(eventId, 'FAILED', failureReason(err), { message });
  }

  /**
   * When the event is next due. A pass's cost is spread so live polling plans to use at most
   * `liveBudgetShare` of the credential's budget; failures back off exponentially (to 5
   * minutes); a pause the provider named (a long 429) is waited out.
   */
  schedule(eventId: number, requestsUsed: number, failures: number): void {
    const { pollIntervalMs, liveBudgetShare } = this.deps.options;
    const state = this.deps.store.eventSyncState(eventId);
    if (!state) return;
    const budget = this.deps.budgetFor(state.integrationId);
    // Every live event of the credential draws on the same budget.
    const sharing = Math.max(1, this.deps.store.liveEventCountOfIntegration(state.integrationId));
    const budgetInterval = (requestsUsed * sharing * budget.windowMs) / (budget.limit * liveBudgetShare);
    const backoff = failures > 0 ? Math.min(5 * 60_000, pollIntervalMs * 2 ** (failures - 1)) : 0;
    const interval = Math.max(pollIntervalMs, budgetInterval, backoff);
    const nextDueAt = Math.max(
      this.deps.clock.now() + interval,
      this.deps.providerPausedUntil(state.integrationId),
    );
    this.scheduled.set(eventId, { nextDueAt, failures });
  }

  /** The venue's answer; a fault in it must not stop live sync, so it then polls as if alone. */
  private isElected(eventId: number): boolean {
    try {
      return this.deps.isElected?.(eventId) ?? true;
    } catch {
      return true;
    }
  }

  /** A FAILED event whose cause needs a person: live sync leaves it to Retry. */
  private leftToRetry(eventId: number): boolean {
    return this.needsPerson.has(eventId) && this.deps.status.current(eventId) === 'FAILED';
  }

  /** Runs one live pass over every event that is due. Returns the requests made. */
  async runPass(signal?: AbortSignal): Promise<number> {
    let requests = 0;
    const now = this.deps.clock.now();
    const due = this.deps.store
      .eventIdsPolling()
      .filter((id) => (this.scheduled.get(id)?.nextDueAt ?? 0) <= now)
      .filter((id) => !this.leftToRetry(id))
      .sort((a, b) => a - b);
    for (const eventId of due) {
      if (signal?.aborted) break;
      requests += await this.tick(eventId, signal);
    }
    return requests;
  }

  /**
   * How long the live loop sleeps: until the next event is due, not a fixed tick later (a poll
   * would slip by up to a tick each time, and a venue desk's takeover by another), and at most
   * half an interval or 5 s. Events a job owns are left out: they are scheduled when it ends.
   */
  private sleepMs(): number {
    const cap = Math.min(this.deps.options.pollIntervalMs / 2, 5_000);
    const now = this.deps.clock.now();
    let wait = cap;
    for (const id of this.deps.store.eventIdsPolling()) {
      if (this.owners.has(id) || this.leftToRetry(id)) continue;
      // One never scheduled yet waits for the next look: a pass schedules every event it can poll.
      const due = this.scheduled.get(id)?.nextDueAt;
      if (due !== undefined) wait = Math.min(wait, due - now);
    }
    // Never a spin on an event that is due but could not run.
    return Math.max(50, wait);
  }

  /** Polls in the background until stopped. Never blocks the desk: every pass is async I/O. */
  start(): void {
    if (this.liveLoop || this.owners.closed) return;
    const abort = new AbortController();
    const loop = async () => {
      while (!abort.signal.aborted) {
        try {
          await this.runPass(abort.signal);
        } catch {
          // A pass only throws when aborted; per-event errors are already statuses.
        }
        await this.deps.clock.sleep(this.sleepMs(), abort.signal).catch(() => undefined);
      }
    };
    this.liveLoop = { abort, done: loop() };
  }

  async stop(): Promise<void> {
    const loop = this.liveLoop;
    if (!loop) return;
    this.liveLoop = null;
    loop.abort.abort(abortReason());
    await loop.done;
  }
}
