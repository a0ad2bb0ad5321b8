// Passes over a provider's attendee listing, and the watermark they leave: pages (the next
// requested while the current one is written), a complete listing with the removals it implies,
// the provider's counts against the mirror's, and the hard pulls that repair what an incremental
// pass missed. Whoever calls owns the event (owners.ts) and passes its signal: an aborted pass
// writes nothing more.
import { isoTime } from '../ground/clock.ts';
import { yieldToEventLoop } from '../ground/yield.ts';
import {
  ProviderError,
  type AttendeePage,
  type AttendeeQuery,
  type ProviderClient,
  type RequestLane,
} from '../providers/types.ts';
import { cleanText } from '../providers/response.ts';
import type { SyncJob, SyncRepairTrigger } from '../../shared/types.ts';
import { PROVIDER_LABEL } from '../../shared/types.ts';
import type { SyncEngineDeps } from './engine-deps.ts';
import type { EventOwners } from './owners.ts';
import type { UpsertResult } from '../db/store.ts';

/** What one pass over the provider's listing needs. */
export interface PassContext {
  eventId: number;
  client: ProviderClient;
  providerEventId: string;
  job: SyncJob | null;
  signal: AbortSignal;
}

/** A page listing's outcome. */
export interface ListingResult {
  requests: number;
  /** Rows inserted or changed by this listing. */
  changed: number;
  /** The provider ids listed, for a complete listing (removals); null for an incremental one. */
  listedIds: Set<string> | null;
  /** The next incremental pass's changed_since, from the provider's clock; null when the pass gave none. */
  watermark: string | null;
}

export interface PassOutcome {
  requests: number;
  watermark: string | null;
}

interface ListedCounts {
  attending: number;
  notAttending: number;
}

/**
 * Rows read (or marked) per slice when looking for removals after a complete listing: about
 * 5 ms of main-process time each, where the whole of a 100,000-row event took 400 ms at once.
 */
const REMOVAL_SLICE = 2_000;

export class ProviderListing {
  constructor(
    private readonly deps: Pick<SyncEngineDeps, 'store' | 'events' | 'clock' | 'options'>,
    private readonly owners: EventOwners,
  ) {}

  private now(): string {
    return isoTime(this.deps.clock.now());
  }

  /**
   * Sync is a hard pull: when it finishes, the mirror equals the provider whatever either clock
   * says. An incremental pass first takes what changed lately (so what it brings is not a
   * disagreement); then a small event is listed in full, a big one is listed in full only when
   * the provider's counts disagree with the mirror's. Whatever a full listing still has to
   * repair after the incremental pass is recorded, so an admin can see that it happened.
   */
  async hardPull(
    ctx: PassContext,
    watermark: string | null,
    trigger: SyncRepairTrigger,
  ): Promise<PassOutcome> {
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
  private async compareCounts(ctx: PassContext): Promise<{
    requests: number;
    agree: boolean;
    counts: { provider: ListedCounts; mirror: ListedCounts } | null;
  }> {
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
  async fullListing(
    ctx: PassContext,
    lane: RequestLane = 'bulk',
  ): Promise<ListingResult & { removed: number }> {
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
   * Rows with an id above `rowsUpTo` are left alone (added after a listing spread over time began).
   */
  async markUnlistedAsRemoved(
    ctx: PassContext,
    listedIds: ReadonlySet<string>,
    rowsUpTo = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    const { eventId, signal } = ctx;
    const unlisted: number[] = [];
    let cursor: string | null = null;
    do {
      const slice = this.deps.store.unlistedSlice(eventId, listedIds, cursor, REMOVAL_SLICE);
      // A listing spread over time (newest-first.ts) leaves alone rows added since it began.
      unlisted.push(...slice.unlisted.filter((id) => id <= rowsUpTo));
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
      const marked = this.deps.store.markRemoved(
        eventId,
        unlisted.slice(from, from + REMOVAL_SLICE),
        this.now(),
      );
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
  async pageAll(ctx: PassContext, query: AttendeeQuery): Promise<ListingResult> {
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
      const result = this.writePage(ctx, page.attendees);
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
      if (!next) break;
      page = await next;
    }
    const watermark = this.watermarkFrom({
      complete: listedIds !== null,
      changed,
      newestChanged,
      firstAnswerAt,
    });
    return { requests, changed, listedIds, watermark };
  }

  /**
   * Writes one page of a listing into the mirror (one short transaction; the job's progress with
   * it) and tells the desk which rows changed.
   */
  writePage(ctx: PassContext, attendees: AttendeePage['attendees']): UpsertResult {
    const result = this.deps.store.upsertAttendees(ctx.eventId, attendees, ctx.job?.id ?? null, this.now());
    if (result.changedIds.length)
      this.deps.events.emit('attendeesChanged', { eventId: ctx.eventId, attendeeIds: result.changedIds });
    return result;
  }

  /**
   * The next changed_since, from the provider's clock only (never this station's), minus the
   * margin:
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
  private watermarkFrom(pass: {
    complete: boolean;
    changed: number;
    newestChanged: number | null;
    firstAnswerAt: number | null;
  }): string | null {
    const { complete, changed, newestChanged, firstAnswerAt } = pass;
    let providerTime: number | null;
    if (firstAnswerAt === null) providerTime = newestChanged;
    else if (complete || changed === 0 || newestChanged === null) providerTime = firstAnswerAt;
    else providerTime = Math.min(newestChanged, firstAnswerAt);
    return providerTime === null ? null : isoTime(providerTime - this.deps.options.changedSinceMarginMs);
  }

  /** A live pass's periodic check: incremental, then the counts; a full listing only when they disagree. */
  async hardPullByCounts(ctx: PassContext, watermark: string): Promise<PassOutcome> {
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

  /**
   * The watermark of a desk taking an event over from the venue's poller (or polling it first
   * after a restart). Its own is as old as its own last pass (often its import), while the roster
   * the poller shared brought its mirror up to the poller's last pass: it starts from the newest
   * provider stamp the mirror holds, less the margin, as a pass of its own would. Otherwise its first pass would page through every
   * change since (a catch-up storm). Capped at this station's clock: a stamp from the future
   * must not skip what happens meanwhile.
   */
  takeoverWatermark(eventId: number, own: string | null): string | null {
    // No watermark: the pass is a full listing whatever the roster says.
    if (own === null) return null;
    const newest = parseTime(this.deps.store.newestProviderStamp(eventId));
    if (newest === null) return own;
    const from = Math.min(newest, this.deps.clock.now()) - this.deps.options.changedSinceMarginMs;
    return from > Date.parse(own) ? isoTime(from) : own;
  }
}

/** A provider that answers a page cursor already followed: it would page forever. */
export function repeatingCursor(client: Pick<ProviderClient, 'kind'>, cursor: string): ProviderError {
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
