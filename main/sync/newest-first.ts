// Live sync of a provider that has no changed-since filter but lists newest registrations first
// (Luma: docs/PROVIDERS.md "Pages and sorting"). Listing every guest on every pass is 100 requests
// for a 10,000-guest event, against a budget of 200 a minute that the calendar's other events
// share. So a live pass does two cheap things:
// - new registrations: the listing sorted by registration time, newest first, read until a page
//   holds a guest the mirror already has (about one request);
// - a full pass for edits and removals, spread over the live passes of `fullPassIntervalMs`: a
//   few pages per pass from where the last one stopped, and when the listing ends, the rows it
//   did not list are marked removed.
// An event small enough to list whole in that many pages is listed whole on every pass, as before.
import { yieldToEventLoop } from '../ground/yield.ts';
import type { SyncEngineDeps } from './engine-deps.ts';
import { repeatingCursor, type PassContext, type PassOutcome, type ProviderListing } from './listing.ts';

/** A full pass spread over live passes: where it is, and what it has listed so far. */
interface RollingPass {
  cursor: string | null;
  followed: Set<string>;
  listedIds: Set<string>;
  /** The mirror's highest row id when the pass began: rows added since are never marked removed by it. */
  rowsUpTo: number;
}

export class NewestFirstLive {
  private readonly rolling = new Map<number, RollingPass>();
  /** When the event's last full pass began (or a job listed it whole), clock ms. */
  private readonly lastFullAt = new Map<number, number>();

  constructor(
    private readonly deps: Pick<SyncEngineDeps, 'store' | 'clock' | 'options'>,
    private readonly listing: ProviderListing,
  ) {}

  /** A job listed the event whole: the next full pass is due a full interval from now. */
  listedWhole(eventId: number): void {
    this.rolling.delete(eventId);
    this.lastFullAt.set(eventId, this.deps.clock.now());
  }

  /** The pass failed, or another desk polls the event: a full pass begins afresh next time. */
  forget(eventId: number): void {
    this.rolling.delete(eventId);
  }

  /** Pages of the full pass each live pass lists: enough to finish within fullPassIntervalMs. */
  pagesPerPass(eventId: number, pageSize: number): { pages: number; estimated: number } {
    const { pollIntervalMs, fullPassIntervalMs, fullPassMinPages } = this.deps.options;
    const estimated = Math.ceil((this.deps.store.attendeeCounts(eventId).total + 1) / pageSize);
    const passes = Math.max(1, Math.floor(fullPassIntervalMs / pollIntervalMs));
    return { pages: Math.max(fullPassMinPages, Math.ceil(estimated / passes)), estimated };
  }

  async pass(ctx: PassContext): Promise<PassOutcome> {
    const { eventId, client } = ctx;
    const { pages, estimated } = this.pagesPerPass(eventId, client.attendeePageSize ?? 50);
    const now = this.deps.clock.now();
    let rolling = this.rolling.get(eventId);
    if (!rolling && estimated <= pages) {
      // Small enough to list whole on every pass: edits and removals at once.
      const whole = await this.listing.fullListing(ctx, 'live');
      this.lastFullAt.set(eventId, now);
      return { requests: whole.requests, watermark: whole.watermark };
    }
    if (
      !rolling &&
      now - (this.lastFullAt.get(eventId) ?? Number.NEGATIVE_INFINITY) >= this.deps.options.fullPassIntervalMs
    ) {
      rolling = {
        cursor: null,
        followed: new Set(),
        listedIds: new Set(),
        rowsUpTo: this.deps.store.maxAttendeeId(eventId),
      };
      this.rolling.set(eventId, rolling);
      this.lastFullAt.set(eventId, now);
    }
    let requests = await this.newRegistrations(ctx, rolling);
    if (rolling) requests += await this.continueFullPass(ctx, rolling, pages);
    return { requests, watermark: null };
  }

  /**
   * The listing newest first, page after page until one holds a guest the mirror had before this
   * pass (every guest after it registered earlier, and was listed then). The guests it lists are
   * listed for the full pass in progress too: one who registered behind its cursor is not removed.
   */
  private async newRegistrations(ctx: PassContext, rolling: RollingPass | undefined): Promise<number> {
    const { eventId, client, providerEventId, signal } = ctx;
    const followed = new Set<string>();
    let cursor: string | null = null;
    let requests = 0;
    for (;;) {
      const page = await client.pageAttendees(
        providerEventId,
        cursor,
        { newestFirst: true, lane: 'live' },
        signal,
      );
      requests++;
      signal.throwIfAborted();
      const ids = page.attendees.map((a) => a.providerAttendeeId);
      const known = this.deps.store.knownProviderIds(eventId, ids);
      this.listing.writePage(ctx, page.attendees);
      for (const id of ids) rolling?.listedIds.add(id);
      if (known.size > 0 || page.nextCursor === null) return requests;
      if (followed.has(page.nextCursor)) throw repeatingCursor(client, page.nextCursor);
      followed.add(page.nextCursor);
      cursor = page.nextCursor;
      await yieldToEventLoop();
    }
  }

  /** Up to `pages` more pages of the full pass; at its end, the rows it did not list are marked removed. */
  private async continueFullPass(ctx: PassContext, rolling: RollingPass, pages: number): Promise<number> {
    const { eventId, client, providerEventId, signal } = ctx;
    let requests = 0;
    for (let i = 0; i < pages; i++) {
      const page = await client.pageAttendees(providerEventId, rolling.cursor, { lane: 'live' }, signal);
      requests++;
      signal.throwIfAborted();
      this.listing.writePage(ctx, page.attendees);
      for (const a of page.attendees) rolling.listedIds.add(a.providerAttendeeId);
      if (page.nextCursor === null) {
        this.rolling.delete(eventId);
        await this.listing.markUnlistedAsRemoved(ctx, rolling.listedIds, rolling.rowsUpTo);
        return requests;
      }
      // A cursor already followed would page forever and eat the budget: a provider fault.
      if (rolling.followed.has(page.nextCursor)) throw repeatingCursor(client, page.nextCursor);
      rolling.followed.add(page.nextCursor);
      rolling.cursor = page.nextCursor;
      await yieldToEventLoop();
    }
    return requests;
  }
}
