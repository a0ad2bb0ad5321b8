// The sync engine: import jobs, manual resync, live polling and the recovery operations.
// It runs in the main process's event loop but never holds it long: provider pages arrive
// asynchronously and each page is written in its own short transaction.
//
// One owner per event at a time: a job (import, re-import, Sync) or a live pass. A job that
// starts while a live pass is in flight aborts it, waits for it to end, and bumps the event's
// repair count; a pass that finds the count moved on, or its own signal aborted, writes nothing
// more (no rows, no watermark, no status). Whatever goes wrong inside the engine is caught and
// recorded on the event, never thrown out of it: a rejection escaping a background promise would
// end a Node host process.
import type { MirrorStore } from '../db/store.ts';
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import { yieldToEventLoop } from '../ground/yield.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { StatusMachine } from './status-machine.ts';
import {
  isProviderError,
  ProviderError,
  type AttendeeQuery,
  type ProviderClient,
  type AttendeePage,
  type RequestLane,
} from '../providers/types.ts';
import { cleanText } from '../providers/response.ts';
import type { ImportEta, SyncJob, SyncJobKind, SyncRepairTrigger } from '../../shared/types.ts';
import { PROVIDER_LABEL } from '../../shared/types.ts';
import { AppError } from '../../shared/errors.ts';
import { OFFLINE_REASON } from '../../shared/sync-status.ts';

export interface SyncEngineOptions {
  /** How often ACTIVE events are polled (station setting). */
  pollIntervalMs: number;
  /**
   * The watermark of the next incremental pass is the provider's own time (never this
   * station's clock) minus this margin, so a change the provider stamps a moment before the
   * time we took as "now" is still asked for again.
   */
  changedSinceMarginMs: number;
  /** Share of a credential's hourly budget that live polling may plan to use (imports get the rest). */
  liveBudgetShare: number;
  /**
   * A manual Sync lists an event with at most this many rows in full after its incremental
   * pass; a bigger event is checked by the provider's counts first and listed in full only when
   * they disagree with the mirror's (a full listing of 100,000 rows is the whole hourly budget).
   */
  fullListingMaxRows: number;
  /** How often a live pass of an incremental provider also compares the provider's counts with the mirror's. */
  countCheckIntervalMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncEngineOptions = {
  pollIntervalMs: 30_000,
  changedSinceMarginMs: 5 * 60_000,
  liveBudgetShare: 0.5,
  fullListingMaxRows: 2_500,
  countCheckIntervalMs: 15 * 60_000,
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
  /** Until when (clock ms) the provider told this integration's credential to wait (a long 429); 0 when not. */
  providerPausedUntil(integrationId: number): number;
  /**
   * When `count` more bulk requests of the credential could all have gone, by its rate budget,
   * and the budget window to name; null when the credential has no client yet.
   */
  estimateRequestsDoneAt(integrationId: number, count: number): { at: number; window: { limit: number; windowMs: number } } | null;
  /** Called when a provider rejects an integration's credential. */
  onCredentialRejected(integrationId: number, reason: string): void;
  options: SyncEngineOptions;
}

/** Whoever works on an event right now: a job, or a live pass. */
interface Owner {
  kind: 'job' | 'live';
  /** The job (kind 'job'), kept current as it progresses. */
  job: SyncJob | null;
  /** Clock time the owner began, and the pages its listing has asked for (for the ETA). */
  startedAt: number;
  pages: number;
  abort: AbortController;
  done: Promise<void>;
}

/** What one pass over the provider's listing needs. */
interface PassContext {
  eventId: number;
  client: ProviderClient;
  providerEventId: string;
  job: SyncJob | null;
  signal: AbortSignal;
}

/** A page listing's outcome. */
interface ListingResult {
  requests: number;
  /** Rows inserted or changed by this listing. */
  changed: number;
  /** The provider ids listed, for a complete listing (removals); null for an incremental one. */
  listedIds: Set<string> | null;
  /** The next incremental pass's changed_since, from the provider's clock; null when the pass gave none. */
  watermark: string | null;
}

interface PassOutcome {
  requests: number;
  watermark: string | null;
}

/**
 * Rows read (or marked) per slice when looking for removals after a complete listing: about
 * 5 ms of main-process time each, where the whole of a 100,000-row event took 400 ms at once.
 */
const REMOVAL_SLICE = 2_000;

const abortReason = () => Object.assign(new Error('sync stopped'), { name: 'AbortError' });
const takenOverReason = () => Object.assign(new Error('a repair took this event over'), { name: 'AbortError' });

export class SyncEngine {
  private readonly owners = new Map<number, Owner>();
  /** Bumped whenever a job takes an event over: a pass begun under an older count is stale. */
  private readonly repairs = new Map<number, number>();
  private readonly liveState = new Map<number, { nextDueAt: number; failures: number }>();
  private readonly lastCountCheckAt = new Map<number, number>();
  /** The "next attempt at" each event last announced, so a change is pushed once. */
  private readonly announcedNextAttempt = new Map<number, string | null>();
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
    const owner = this.owners.get(eventId);
    return owner?.kind === 'job' ? (owner.job ?? undefined) : undefined;
  }

  /** Resolves when the event's running job (if any) has finished. */
  async waitForJob(eventId: number): Promise<void> {
    const owner = this.owners.get(eventId);
    if (owner?.kind === 'job') await owner.done;
  }

  async waitForAllJobs(): Promise<void> {
    await Promise.all([...this.owners.values()].map((r) => r.done));
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
    if (state.status !== 'ACTIVE' && state.status !== 'FAILED') return null;
    if (state.status === 'FAILED' && this.needsPerson.has(eventId)) return null;
    const due = Math.max(this.liveState.get(eventId)?.nextDueAt ?? now, pausedUntil);
    if (pausedUntil > now || state.status === 'FAILED') return isoTime(due);
    return null;
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
    const remainingRequests = Math.ceil(Math.max(0, job.expectedTotal - job.fetched) / (job.fetched / owner.pages));
    const paced = now + remainingRequests * ((now - owner.startedAt) / owner.pages);
    const budget = this.deps.estimateRequestsDoneAt(state.integrationId, remainingRequests);
    const finish = Math.max(paced, budget?.at ?? 0);
    // Named whenever the budget holds the remaining pages back at all: the pace seen so far
    // then mostly measures the budget's waits too.
    const budgetBound = budget !== null && budget.at > now;
    return { finishAt: isoTime(finish), remainingMs: finish - now, budgetLimit: budgetBound ? budget.window : null };
  }

  /**
   * Pushes `syncChanged` when what the event page shows of the engine's timing changed. Called
   * from `finally` blocks of background work, so it never throws (a listener's error included).
   */
  private announceTiming(eventId: number): void {
    try {
      const next = this.nextAttemptAt(eventId);
      if ((this.announcedNextAttempt.get(eventId) ?? null) === next) return;
      this.announcedNextAttempt.set(eventId, next);
      this.deps.events.emit('syncChanged', { eventId });
    } catch {
      // Nothing to announce about an event that is gone, or from a closed database.
    }
  }

  /**
   * Runs `work`; anything it throws is a bug in the engine (an illegal transition, a database
   * error): it is recorded on the event and announced, never thrown out of the engine.
   */
  private guarded(eventId: number, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.recordInternalError(eventId, err);
    }
  }

  private recordInternalError(eventId: number, err: unknown): void {
    try {
      this.deps.store.recordError(eventId, `internal error: ${describeError(err)}`, this.now());
      this.deps.events.emit('syncChanged', { eventId });
    } catch {
      // The event itself is gone (or the database closed): nothing left to record it on.
    }
  }

  // ---- jobs ----

  /**
   * Starts a background job for the event and returns it as soon as it is recorded.
   * 'import' and 'reimport' list every attendee; 'resync' is the manual Sync, a hard pull.
   * A live pass in flight is aborted and waited for; the database's unique index makes "one
   * running job per event" hold even across processes.
   */
  startJob(eventId: number, kind: SyncJobKind): SyncJob {
    if (this.closed) throw new AppError('INVALID_STATE', 'the sync engine is shut down');
    const current = this.owners.get(eventId);
    if (current?.kind === 'job' || this.deps.store.activeJob(eventId)) {
      throw new AppError('CONFLICT', 'a sync is already running for this event');
    }
    current?.abort.abort(takenOverReason());
    this.repairs.set(eventId, (this.repairs.get(eventId) ?? 0) + 1);
    const job = this.deps.store.startJob(eventId, kind, this.now());
    this.needsPerson.delete(eventId);
    const abort = new AbortController();
    const entry: Owner = { kind: 'job', job, abort, done: Promise.resolve(), startedAt: this.deps.clock.now(), pages: 0 };
    const previous = current?.done ?? Promise.resolve();
    entry.done = previous
      .then(() => this.runJob(eventId, job, abort.signal))
      .catch((err: unknown) => this.recordInternalError(eventId, err))
      .finally(() => {
        if (this.owners.get(eventId) === entry) this.owners.delete(eventId);
        this.announceTiming(eventId);
      });
    this.owners.set(eventId, entry);
    this.deps.events.emit('jobProgress', { eventId, job });
    return job;
  }

  private async runJob(eventId: number, job: SyncJob, signal: AbortSignal): Promise<void> {
    const state = this.deps.store.eventSyncState(eventId)!;
    try {
      const client = this.deps.clientFor(state.integrationId);
      const ctx: PassContext = { eventId, client, providerEventId: state.providerEventId, job, signal };
      let outcome: PassOutcome;
      if (job.kind === 'resync') {
        outcome = await this.hardPull(ctx, state.syncWatermark, 'manual_sync');
      } else {
        const details = await client.getEvent(state.providerEventId, signal);
        this.deps.store.updateEventDetails(eventId, details);
        const listing = await this.fullListing(ctx);
        outcome = { requests: listing.requests + 1, watermark: listing.watermark };
      }
      const isImport = job.kind !== 'resync';
      this.deps.store.markSynced(eventId, this.now(), outcome.watermark, isImport);
      this.lastCountCheckAt.set(eventId, this.deps.clock.now());
      this.finish(eventId, job, 'completed', null);
      this.guarded(eventId, () => {
        if (this.deps.status.current(eventId) !== 'ACTIVE') {
          this.deps.status.transition(eventId, 'ACTIVE', isImport ? `${job.kind} completed` : 'sync completed');
        }
      });
      // The next live pass is incremental where the provider allows it: about one request.
      this.scheduleLive(eventId, client.supportsChangedSince ? 1 : outcome.requests, 0);
    } catch (err) {
      if (signal.aborted) {
        // Shut down mid-job: the job is abandoned exactly as if the process had died, so the
        // event shows "Import failed" (or keeps its status) and Retry starts afresh.
        this.finish(eventId, job, 'abandoned', 'the app stopped before the job finished');
        return;
      }
      const message = describeError(err);
      this.finish(eventId, job, 'failed', message);
      this.guarded(eventId, () => this.applyFailure(eventId, err, message));
    }
  }

  private finish(eventId: number, job: SyncJob, state: 'completed' | 'failed' | 'abandoned', error: string | null): void {
    this.deps.store.finishJob(job.id, state, error, this.now());
    const finished = this.deps.store.getJob(job.id)!;
    this.deps.events.emit('jobFinished', { eventId, job: finished });
  }

  /**
   * Maps a failed job to the event's status (providers.md, "Mapping errors to statuses").
   * A first import that fails stays PENDING with no job: the UI shows "Import failed" with Retry.
   */
  private applyFailure(eventId: number, err: unknown, message: string): void {
    const state = this.deps.store.eventSyncState(eventId)!;
    if (isCredentialRejection(err)) {
      this.deps.onCredentialRejected(state.integrationId, message);
      this.disconnect(eventId, message);
      return;
    }
    if (state.importCompletedAt === null && state.status === 'PENDING') {
      this.deps.status.transition(eventId, 'PENDING', 'import failed', { message });
      return;
    }
    this.deps.status.transition(eventId, 'FAILED', failureReason(err), { message });
  }

  private disconnect(eventId: number, message: string): void {
    this.deps.status.transition(eventId, 'DISCONNECTED', 'the provider rejected the credential', { message });
  }

  /**
   * Marks every event of a rejected credential DISCONNECTED, except those mid-job (their job
   * does it). A live pass in flight over such an event is aborted: its answer no longer counts.
   */
  disconnectIntegrationEvents(integrationId: number, message: string): void {
    for (const eventId of this.deps.store.eventIdsOfIntegration(integrationId)) {
      const owner = this.owners.get(eventId);
      if (owner?.kind === 'job') continue;
      this.guarded(eventId, () => {
        const status = this.deps.status.current(eventId);
        if (status !== 'ACTIVE' && status !== 'FAILED') return;
        owner?.abort.abort(takenOverReason());
        this.disconnect(eventId, message);
      });
    }
  }

  /**
   * Sync is a hard pull: when it finishes, the mirror equals the provider whatever either clock
   * says. An incremental pass first takes what changed lately (so what it brings is not a
   * disagreement); then a small event is listed in full, a big one is listed in full only when
   * the provider's counts disagree with the mirror's. Whatever a full listing still has to
   * repair after the incremental pass is recorded, so an admin can see that it happened.
   */
  private async hardPull(ctx: PassContext, watermark: string | null, trigger: SyncRepairTrigger): Promise<PassOutcome> {
    const { client, eventId } = ctx;
    if (!client.supportsChangedSince || watermark === null) {
      const listing = await this.fullListing(ctx);
      return { requests: listing.requests, watermark: listing.watermark };
    }
    const incremental = await this.pageAll(ctx, { changedSince: watermark });
    let requests = incremental.requests;
    let counts: { provider: ListedCounts; mirror: ListedCounts } | null = null;
    if (this.deps.store.attendeeCounts(eventId).total > this.deps.options.fullListingMaxRows) {
      const check = await this.compareCounts(ctx);
      requests += check.requests;
      if (check.agree) return { requests, watermark: incremental.watermark };
      counts = check.counts;
    }
    const full = await this.fullListing(ctx);
    requests += full.requests;
    if (full.changed + full.removed > 0 || counts !== null) {
      this.deps.store.recordSyncRepair({
        eventId,
        at: this.now(),
        trigger,
        providerCounts: counts?.provider ?? null,
        mirrorCounts: counts?.mirror ?? null,
        changed: full.changed,
        removed: full.removed,
      });
      this.deps.events.emit('syncChanged', { eventId });
    }
    return { requests, watermark: earliest(incremental.watermark, full.watermark) };
  }

  /** The provider's counts by status against the mirror's (rows the provider still lists). */
  private async compareCounts(
    ctx: PassContext,
  ): Promise<{ requests: number; agree: boolean; counts: { provider: ListedCounts; mirror: ListedCounts } | null }> {
    const { client, providerEventId, signal } = ctx;
    if (!client.countAttendees) return { requests: 0, agree: false, counts: null };
    const attending = await client.countAttendees(providerEventId, 'attending', signal);
    const notAttending = await client.countAttendees(providerEventId, 'not_attending', signal);
    if (attending === null || notAttending === null) return { requests: 2, agree: false, counts: null };
    const provider = { attending, notAttending };
    const mirror = this.deps.store.listedCounts(ctx.eventId);
    const agree = provider.attending === mirror.attending && provider.notAttending === mirror.notAttending;
    return { requests: 2, agree, counts: { provider, mirror } };
  }

  /**
   * Lists every attendee; rows the provider no longer lists are kept, marked removed. A job's
   * listing (or a repair's) is 'bulk' and leaves the budget's live reserve alone; a Luma live
   * pass, a full listing every time, is a live poll and may use it.
   */
  private async fullListing(ctx: PassContext, lane: RequestLane = 'bulk'): Promise<ListingResult & { removed: number }> {
    const listing = await this.pageAll(ctx, { lane });
    ctx.signal.throwIfAborted();
    const removed = await this.markUnlistedAsRemoved(ctx, listing.listedIds!);
    return { ...listing, removed };
  }

  /**
   * Marks the rows a complete listing did not return as removed on the provider, in slices with
   * a turn of the event loop between them (REMOVAL_SLICE). This pass owns the event, so the only
   * other writer of its provider rows meanwhile is the venue roster (a peer's poller), which the
   * one read this replaces raced the same way; a row gone NOT_ATTENDING since its slice was read is
   * left alone (markRemoved). The rows are all found before any is marked, so a pass aborted while reading
   * (shut down, or taken over) marks nothing; one aborted while marking has marked only rows the
   * complete listing did not return, each slice in its own transaction and told to the desk.
   */
  private async markUnlistedAsRemoved(ctx: PassContext, listedIds: ReadonlySet<string>): Promise<number> {
    const { eventId, signal } = ctx;
    const unlisted: number[] = [];
    let cursor: string | null = null;
    do {
      const slice = this.deps.store.unlistedSlice(eventId, listedIds, cursor, REMOVAL_SLICE);
      unlisted.push(...slice.unlisted);
      cursor = slice.next;
      if (cursor !== null) {
        await yieldToEventLoop();
        signal.throwIfAborted();
      }
    } while (cursor !== null);
    let removed = 0;
    for (let from = 0; from < unlisted.length; from += REMOVAL_SLICE) {
      if (from > 0) await yieldToEventLoop();
      signal.throwIfAborted();
      const marked = this.deps.store.markRemoved(eventId, unlisted.slice(from, from + REMOVAL_SLICE), this.now());
      if (marked.length) this.deps.events.emit('attendeesChanged', { eventId, attendeeIds: marked });
      removed += marked.length;
    }
    return removed;
  }

  /**
   * Pages through the provider's listing to the end. The next page is requested before the
   * current one is written, so the network and the database work overlap. A cursor already
   * followed is refused (a provider fault that would otherwise page forever and eat the budget);
   * a pass whose signal is aborted (shut down, or taken over by a repair) writes nothing more.
   */
  private async pageAll(ctx: PassContext, query: AttendeeQuery): Promise<ListingResult> {
    const { eventId, client, providerEventId, job, signal } = ctx;
    const listedIds = query.changedSince === undefined ? new Set<string>() : null;
    const followed = new Set<string>();
    let requests = 1;
    let changed = 0;
    let newestChanged: number | null = null;
    let page: AttendeePage = await client.pageAttendees(providerEventId, null, query, signal);
    const firstAnswerAt = parseTime(page.providerDate);
    for (;;) {
      const cursor = page.nextCursor;
      if (cursor !== null) {
        if (followed.has(cursor)) throw repeatingCursor(client, cursor);
        followed.add(cursor);
      }
      const next = cursor === null ? null : client.pageAttendees(providerEventId, cursor, query, signal);
      // A rejected prefetch must not surface as an unhandled rejection if the write below throws.
      next?.catch(() => undefined);
      if (next) {
        requests++;
        // Let the prefetch reach the socket before the synchronous write below: the request is
        // sent from promise continuations (limiter grant, then fetch), which would otherwise
        // only run after the write, so network and database never overlapped (measured: a
        // quarter of a 50,000-attendee import spent idle, waiting for pages).
        await yieldToEventLoop();
      }
      signal.throwIfAborted();
      const result = this.deps.store.upsertAttendees(eventId, page.attendees, job?.id ?? null, this.now());
      changed += result.changedIds.length;
      for (const attendee of page.attendees) {
        listedIds?.add(attendee.providerAttendeeId);
        const stamped = parseTime(attendee.providerUpdatedAt);
        if (stamped !== null && (newestChanged === null || stamped > newestChanged)) newestChanged = stamped;
      }
      if (job) {
        if (page.totalCount !== null) this.deps.store.setJobExpectedTotal(job.id, page.totalCount);
        const progressed = this.deps.store.getJob(job.id)!;
        const owner = this.owners.get(eventId);
        if (owner?.kind === 'job') {
          owner.job = progressed;
          owner.pages++;
        }
        this.deps.events.emit('jobProgress', { eventId, job: progressed });
      }
      if (result.changedIds.length) this.deps.events.emit('attendeesChanged', { eventId, attendeeIds: result.changedIds });
      if (!next) break;
      page = await next;
    }
    const watermark = this.watermarkFrom({ complete: listedIds !== null, changed, newestChanged, firstAnswerAt });
    return { requests, changed, listedIds, watermark };
  }

  /**
   * The next changed_since, from the provider's clock only (providers.md; never this station's),
   * minus the margin:
   * - a complete listing: the provider's time at its first answer (its Date header). Everything
   *   changed before that answer is in the listing; everything after has a later `changed`.
   * - an incremental pass that brought something new: the newest `changed` it saw, capped at the
   *   first answer's time (in a pass over several pages a row on a page already passed may change
   *   after the pass began but before the newest `changed` seen on a later page).
   * - an incremental pass that brought nothing new: the first answer's Date. (Staying at the
   *   newest `changed` would list the same rows again on every pass: a batch of 1,000 attendees
   *   added in one minute would cost 20 requests a pass, for good.)
   * Without a Date header, the newest `changed`; with neither, no new watermark.
   */
  private watermarkFrom(pass: { complete: boolean; changed: number; newestChanged: number | null; firstAnswerAt: number | null }): string | null {
    const { complete, changed, newestChanged, firstAnswerAt } = pass;
    let providerTime: number | null;
    if (firstAnswerAt === null) providerTime = newestChanged;
    else if (complete || changed === 0 || newestChanged === null) providerTime = firstAnswerAt;
    else providerTime = Math.min(newestChanged, firstAnswerAt);
    return providerTime === null ? null : isoTime(providerTime - this.deps.options.changedSinceMarginMs);
  }

  // ---- live sync ----

  /**
   * One live pass over one event: incremental where the provider supports it (Eventbrite's
   * changed_since, with a count check now and then), else a full listing whose difference,
   * removals included, is applied (Luma). A failed pass moves ACTIVE to FAILED (or
   * DISCONNECTED); a successful pass of a FAILED event brings it back to ACTIVE. The pass owns
   * the event while it runs; one that a repair took over is dropped. Returns the requests made.
   */
  async liveTick(eventId: number, signal: AbortSignal = new AbortController().signal): Promise<number> {
    const state = this.deps.store.eventSyncState(eventId);
    if (!state || this.owners.has(eventId) || this.closed) return 0;
    if (state.status !== 'ACTIVE' && state.status !== 'FAILED') return 0;
    const pausedUntil = this.deps.providerPausedUntil(state.integrationId);
    if (pausedUntil > this.deps.clock.now()) {
      // The provider named a time: wait for it rather than spend a request on another 429.
      const failures = this.liveState.get(eventId)?.failures ?? 0;
      this.liveState.set(eventId, { nextDueAt: pausedUntil, failures });
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
    const repairsAtStart = this.repairs.get(eventId) ?? 0;
    const stale = () => abort.signal.aborted || (this.repairs.get(eventId) ?? 0) !== repairsAtStart;
    try {
      const client = this.deps.clientFor(state.integrationId);
      const ctx: PassContext = { eventId, client, providerEventId: state.providerEventId, job: null, signal: abort.signal };
      const outcome = await this.livePass(ctx, state.syncWatermark);
      if (stale()) return outcome.requests;
      this.guarded(eventId, () => {
        this.deps.store.markSynced(eventId, this.now(), outcome.watermark, false);
        if (this.deps.status.current(eventId) === 'FAILED') this.deps.status.transition(eventId, 'ACTIVE', 'sync recovered');
        this.scheduleLive(eventId, outcome.requests, 0);
      });
      return outcome.requests;
    } catch (err) {
      if (signal.aborted) throw err;
      if (stale()) return 0;
      this.guarded(eventId, () => this.applyLiveFailure(eventId, state.integrationId, err));
      return 0;
    } finally {
      signal.removeEventListener('abort', onOuterAbort);
      if (this.owners.get(eventId) === owner) this.owners.delete(eventId);
      finished();
      this.announceTiming(eventId);
    }
  }

  private async livePass(ctx: PassContext, watermark: string | null): Promise<PassOutcome> {
    const { client, eventId } = ctx;
    if (!client.supportsChangedSince || watermark === null) {
      const listing = await this.fullListing(ctx, 'live');
      return { requests: listing.requests, watermark: listing.watermark };
    }
    const now = this.deps.clock.now();
    const checkDue = now - (this.lastCountCheckAt.get(eventId) ?? now) >= this.deps.options.countCheckIntervalMs;
    if (!checkDue || !client.countAttendees) {
      const incremental = await this.pageAll(ctx, { changedSince: watermark });
      return { requests: incremental.requests, watermark: incremental.watermark };
    }
    const outcome = await this.hardPullByCounts(ctx, watermark);
    this.lastCountCheckAt.set(eventId, now);
    return outcome;
  }

  /** A live pass's periodic check: incremental, then the counts; a full listing only when they disagree. */
  private async hardPullByCounts(ctx: PassContext, watermark: string): Promise<PassOutcome> {
    const incremental = await this.pageAll(ctx, { changedSince: watermark });
    const check = await this.compareCounts(ctx);
    const requests = incremental.requests + check.requests;
    if (check.agree || check.counts === null) return { requests, watermark: incremental.watermark };
    const full = await this.fullListing(ctx);
    ctx.signal.throwIfAborted();
    this.deps.store.recordSyncRepair({
      eventId: ctx.eventId,
      at: this.now(),
      trigger: 'live_check',
      providerCounts: check.counts.provider,
      mirrorCounts: check.counts.mirror,
      changed: full.changed,
      removed: full.removed,
    });
    this.deps.events.emit('syncChanged', { eventId: ctx.eventId });
    return { requests: requests + full.requests, watermark: earliest(incremental.watermark, full.watermark) };
  }

  private applyLiveFailure(eventId: number, integrationId: number, err: unknown): void {
    const message = describeError(err);
    if (isCredentialRejection(err)) {
      this.deps.onCredentialRejected(integrationId, message);
      if (this.deps.status.current(eventId) !== 'DISCONNECTED') this.disconnect(eventId, message);
      return;
    }
    const failures = (this.liveState.get(eventId)?.failures ?? 0) + 1;
    // Scheduled first: the retry time is known even if recording the failure goes wrong.
    this.scheduleLive(eventId, 1, failures);
    if (isProviderError(err) && (err.kind === 'forbidden' || err.kind === 'not_found')) this.needsPerson.add(eventId);
    this.deps.status.transition(eventId, 'FAILED', failureReason(err), { message });
  }

  /**
   * When the event is next due. A pass's cost is spread so live polling plans to use at most
   * `liveBudgetShare` of the credential's budget; failures back off exponentially (to 5
   * minutes); a pause the provider named (a long 429) is waited out.
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
    const nextDueAt = Math.max(this.deps.clock.now() + interval, this.deps.providerPausedUntil(state.integrationId));
    this.liveState.set(eventId, { nextDueAt, failures });
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
    for (const owner of this.owners.values()) owner.abort.abort(abortReason());
    await this.waitForAllJobs();
  }
}

interface ListedCounts {
  attending: number;
  notAttending: number;
}

function isCredentialRejection(err: unknown): boolean {
  return isProviderError(err) && err.kind === 'credential';
}

function repeatingCursor(client: ProviderClient, cursor: string): ProviderError {
  const label = PROVIDER_LABEL[client.kind];
  return new ProviderError(
    client.kind,
    'bad_response',
    `${label}: bad response: the attendee listing repeats the page cursor "${cleanText(cursor, 40) ?? ''}", a fault on ${label}'s side; stopped paging`,
  );
}

function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The earlier of two watermarks (the safer one: it asks for more). */
function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
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
