// The attendee list cache of the event page: pages of rows fetched as the table scrolls to them,
// marked stale by a generation number when the event's attendees or check-ins change, and VIP
// edits shown at once (an answer read before the edit never undoes it on screen). The list's
// query (typed text, filters, sort) is main's to answer: a new query starts an empty cache, and an
// answer to an older query is dropped.
import type { Attendee } from '../../../shared/types.ts';
import type { AttendeeFilter, AttendeeListQuery, AttendeeSort } from '../../../shared/attendee-list.ts';
import { DEFAULT_ATTENDEE_SORT } from '../../../shared/attendee-list.ts';
import { errorMessage } from '../ui/format.ts';
import { replaceById } from '../app/lists.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export const PAGE_SIZE = 200;

export interface AttendeePageEntry {
  rows: Attendee[] | null;
  loading: boolean;
  error: string | null;
  /** The cache generation this page was fetched for; older than the cache's means stale. */
  generation: number;
}

export interface AttendeeCache {
  eventId: number;
  /** Row count from the last page answer; null until the first one arrives. */
  total: number | null;
  /** Bumped when the event's attendees or check-ins change, or pushes may have been missed: every page fetched before is stale. */
  generation: number;
  pages: Record<number, AttendeePageEntry>;
  /** What the list shows: the text as typed, the filters, the sort. */
  query: { text: string; filter: AttendeeFilter; sort: AttendeeSort };
  /** Bumped per query change: pages and answers of an older query are dropped. */
  queryId: number;
}

/** A change to the list's query: text, one or more filters (undefined clears one), or the sort. */
export interface AttendeeQueryChange {
  text?: string;
  filter?: AttendeeFilter;
  sort?: AttendeeSort;
}

export interface AttendeesSlice {
  attendees: AttendeeCache | null;
  /** The attendee table reports the rows it shows; missing or stale pages are fetched. */
  showAttendeeRows(eventId: number, firstIndex: number, lastIndex: number): void;
  setVip(attendee: Attendee, vip: boolean): Promise<void>;
  /** Narrows or sorts the list; typed text waits for a pause in typing, filters and sorts apply at once. */
  setAttendeeQuery(eventId: number, change: AttendeeQueryChange): void;
  /** One attendee by position (for the template preview's "Next person"), and the event's count. */
  attendeeAt(eventId: number, offset: number): Promise<{ attendee: Attendee | null; total: number }>;
}

/** Changes come in bursts (a sync writes many pages): the pages in view are re-read once per this. */
const STALE_PAGES_REFRESH_MS = 250;
/** Typed text is asked for once per burst of keystrokes. */
export const FILTER_TYPING_PAUSE_MS = 150;

const EMPTY_QUERY: AttendeeCache['query'] = { text: '', filter: {}, sort: DEFAULT_ATTENDEE_SORT };

/** The query as the channel takes it: only what narrows or sorts. */
function listQuery(query: AttendeeCache['query']): AttendeeListQuery {
  const filter = Object.fromEntries(
    Object.entries(query.filter).filter(([, v]) => v !== undefined),
  ) as AttendeeFilter;
  return {
    ...(query.text.trim() ? { text: query.text.trim() } : {}),
    ...(Object.keys(filter).length ? { filter } : {}),
    ...(query.sort.key !== DEFAULT_ATTENDEE_SORT.key ||
    query.sort.direction !== DEFAULT_ATTENDEE_SORT.direction
      ? { sort: query.sort }
      : {}),
  };
}

function pagesFor(firstIndex: number, lastIndex: number): number[] {
  if (lastIndex < firstIndex) return [];
  const first = Math.max(0, Math.floor(firstIndex / PAGE_SIZE));
  const last = Math.max(first, Math.floor(lastIndex / PAGE_SIZE));
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}

export const createAttendeesSlice: SliceCreator<AttendeesSlice> =
  ({ call, timers, signals }) =>
  (set, get) => {
    const refreshes = new Coalescer();
    const throttle = new Throttle(timers);
    /** Orders page reads and VIP writes: a write later than a read's start wins over its answer. */
    let requestSeq = 0;
    /** VIP writes, by attendee, with the sequence number at which they were made. */
    const vipWrites = new Map<number, { vip: boolean; seq: number }>();
    /** Which pages the table currently shows (re-read when they go stale). */
    let visiblePages: { eventId: number; pages: number[] } = { eventId: 0, pages: [] };
    /** The query the cache's pages answer, as sent (per event). */
    const asked = new Map<number, string>();

    /** Rewrites this event's cache, if it is still the one open. */
    const patchCache = (eventId: number, patch: (cache: AttendeeCache) => Partial<AttendeeCache>) =>
      set((s) =>
        s.attendees && s.attendees.eventId === eventId
          ? { attendees: { ...s.attendees, ...patch(s.attendees) } }
          : {},
      );

    const patchPage = (
      eventId: number,
      page: number,
      entry: (prev: AttendeePageEntry | undefined) => AttendeePageEntry,
      total?: number,
    ) =>
      patchCache(eventId, (cache) => ({
        ...(total === undefined ? {} : { total }),
        pages: { ...cache.pages, [page]: entry(cache.pages[page]) },
      }));

    // One read per page of one query at a time: a new query's read never waits for an older one's.
    const fetchPage = (eventId: number, page: number) =>
      refreshes.run(`page:${eventId}:${get().attendees?.queryId ?? 0}:${page}`, async () => {
        const cache = get().attendees;
        if (!cache || cache.eventId !== eventId) return;
        const { generation, queryId } = cache;
        const seq = ++requestSeq;
        const current = () => get().attendees?.queryId === queryId;
        patchPage(eventId, page, (prev) => ({
          rows: prev?.rows ?? null,
          loading: true,
          error: null,
          generation: prev?.generation ?? -1,
        }));
        try {
          const result = await call('attendees.list', {
            eventId,
            offset: page * PAGE_SIZE,
            limit: PAGE_SIZE,
            ...listQuery(cache.query),
          });
          if (!current()) return; // the query changed meanwhile: its own fetch fills this page

          const rows = result.rows.map((row) => {
            const write = vipWrites.get(row.id);
            return write && write.seq > seq && write.vip !== row.vip ? { ...row, vip: write.vip } : row;
          });
          patchPage(eventId, page, () => ({ rows, loading: false, error: null, generation }), result.total);
        } catch (err) {
          if (!current()) return;
          patchPage(eventId, page, (prev) => ({
            rows: prev?.rows ?? null,
            loading: false,
            error: errorMessage(err),
            generation: prev?.generation ?? -1,
          }));
        }
      });

    const ensurePages = (eventId: number, pages: number[]) => {
      const cache = get().attendees;
      if (!cache || cache.eventId !== eventId) return;
      for (const page of pages) {
        const entry = cache.pages[page];
        if (entry?.loading) continue;
        if (!entry || entry.generation < cache.generation || (entry.rows === null && !entry.error))
          void fetchPage(eventId, page);
      }
    };

    const refreshVisiblePages = (eventId: number) => {
      const cache = get().attendees;
      if (!cache || cache.eventId !== eventId) return;
      const pages =
        visiblePages.eventId === eventId && visiblePages.pages.length > 0 ? visiblePages.pages : [0];
      for (const page of pages) void fetchPage(eventId, page);
    };

    const openAttendees = (eventId: number) => {
      const cache = get().attendees;
      if (cache && cache.eventId === eventId) return;
      visiblePages = { eventId, pages: [] };
      asked.delete(eventId);
      set({ attendees: { eventId, total: null, generation: 0, pages: {}, query: EMPTY_QUERY, queryId: 0 } });
      void fetchPage(eventId, 0);
    };

    /**
     * A new query: an empty cache (the table shows placeholders, its count kept until the answer),
     * then its first page. The same question as the pages answer already (a space typed, a filter
     * set and cleared within the typing pause) changes nothing, and leaves the scroll where it is.
     */
    const applyQuery = (eventId: number) => {
      const cache = get().attendees;
      if (!cache || cache.eventId !== eventId) return;
      const question = JSON.stringify(listQuery(cache.query));
      if (question === (asked.get(eventId) ?? JSON.stringify(listQuery(EMPTY_QUERY)))) return;
      asked.set(eventId, question);
      patchCache(eventId, (c) => ({ pages: {}, queryId: c.queryId + 1 }));
      visiblePages = { eventId, pages: [0] };
      void fetchPage(eventId, 0);
    };

    /** Every cached page of the event is stale. */
    const bumpGeneration = (eventId: number) =>
      patchCache(eventId, (cache) => ({ generation: cache.generation + 1 }));

    const applyRow = (row: Attendee) => {
      get().replaceDeskRow(row);
      patchCache(row.eventId, (cache) => {
        let changed = false;
        const pages: Record<number, AttendeePageEntry> = { ...cache.pages };
        for (const [key, entry] of Object.entries(cache.pages)) {
          if (!entry.rows || !entry.rows.some((r) => r.id === row.id)) continue;
          pages[Number(key)] = { ...entry, rows: replaceById(entry.rows, row) };
          changed = true;
        }
        return changed ? { pages } : {};
      });
    };

    for (const event of ['attendeesChanged', 'checkinsChanged', 'eventForgotten'] as const) {
      signals.onPush(event, ({ eventId }) => {
        if (get().attendees?.eventId !== eventId) return;
        bumpGeneration(eventId);
        throttle.soon(`pages:${eventId}`, STALE_PAGES_REFRESH_MS, () => refreshVisiblePages(eventId));
      });
    }
    signals.onReconnect(() => {
      const cache = get().attendees;
      if (!cache) return;
      bumpGeneration(cache.eventId);
      refreshVisiblePages(cache.eventId);
    });
    signals.onRoute((route, cause) => {
      if (route.name === 'event') openAttendees(route.eventId);
      else if (cause === 'navigate') {
        visiblePages = { eventId: 0, pages: [] };
        set({ attendees: null });
      }
    });

    return {
      attendees: null,

      showAttendeeRows(eventId, firstIndex, lastIndex) {
        const pages = pagesFor(firstIndex, lastIndex);
        visiblePages = { eventId, pages };
        ensurePages(eventId, pages);
      },

      async setVip(attendee, vip) {
        vipWrites.set(attendee.id, { vip, seq: ++requestSeq });
        applyRow({ ...attendee, vip });
        try {
          const saved = await call('attendees.setVip', { attendeeId: attendee.id, vip });
          vipWrites.set(attendee.id, { vip: saved.vip, seq: ++requestSeq });
          applyRow(saved);
        } catch (err) {
          vipWrites.set(attendee.id, { vip: attendee.vip, seq: ++requestSeq });
          applyRow(attendee);
          get().toast(`Could not change VIP for ${attendee.fullName}: ${errorMessage(err)}`, 'error');
        }
      },

      setAttendeeQuery(eventId, change) {
        const cache = get().attendees;
        if (!cache || cache.eventId !== eventId) return;
        const query = {
          text: change.text ?? cache.query.text,
          filter: change.filter ? { ...cache.query.filter, ...change.filter } : cache.query.filter,
          sort: change.sort ?? cache.query.sort,
        };
        patchCache(eventId, () => ({ query }));
        if (change.filter || change.sort) applyQuery(eventId);
        else throttle.soon(`query:${eventId}`, FILTER_TYPING_PAUSE_MS, () => applyQuery(eventId));
      },

      async attendeeAt(eventId, offset) {
        const page = await call('attendees.list', { eventId, offset, limit: 1 });
        return { attendee: page.rows[0] ?? null, total: page.total };
      },
    };
  };
