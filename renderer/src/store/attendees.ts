// The attendee list cache of the event page: pages of rows fetched as the table scrolls to them,
// marked stale by a generation number when the event's attendees or check-ins change, and VIP
// edits shown at once (an answer read before the edit never undoes it on screen).
import type { Attendee } from '../../../shared/types.ts';
import { errorMessage } from '../bridge.ts';
import { replaceById } from './lists.ts';
import { Coalescer, Throttle } from './scheduling.ts';
import type { SliceCreator } from './kit.ts';

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
}

export interface AttendeesSlice {
  attendees: AttendeeCache | null;
  /** The attendee table reports the rows it shows; missing or stale pages are fetched. */
  showAttendeeRows(eventId: number, firstIndex: number, lastIndex: number): void;
  setVip(attendee: Attendee, vip: boolean): Promise<void>;
  /** One attendee by position (for the template preview's "Next person"), and the event's count. */
  attendeeAt(eventId: number, offset: number): Promise<{ attendee: Attendee | null; total: number }>;
}

/** Changes come in bursts (a sync writes many pages): the pages in view are re-read once per this. */
const STALE_PAGES_REFRESH_MS = 250;

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

    /** Rewrites this event's cache, if it is still the one open. */
    const patchCache = (eventId: number, patch: (cache: AttendeeCache) => Partial<AttendeeCache>) =>
      set((s) => (s.attendees && s.attendees.eventId === eventId ? { attendees: { ...s.attendees, ...patch(s.attendees) } } : {}));

    const patchPage = (eventId: number, page: number, entry: (prev: AttendeePageEntry | undefined) => AttendeePageEntry, total?: number) =>
      patchCache(eventId, (cache) => ({
        ...(total === undefined ? {} : { total }),
        pages: { ...cache.pages, [page]: entry(cache.pages[page]) },
      }));

    const fetchPage = (eventId: number, page: number) =>
      refreshes.run(`page:${eventId}:${page}`, async () => {
        const cache = get().attendees;
        if (!cache || cache.eventId !== eventId) return;
        const generation = cache.generation;
        const seq = ++requestSeq;
        patchPage(eventId, page, (prev) => ({ rows: prev?.rows ?? null, loading: true, error: null, generation: prev?.generation ?? -1 }));
        try {
          const result = await call('attendees.list', { eventId, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
          const rows = result.rows.map((row) => {
            const write = vipWrites.get(row.id);
            return write && write.seq > seq && write.vip !== row.vip ? { ...row, vip: write.vip } : row;
          });
          patchPage(eventId, page, () => ({ rows, loading: false, error: null, generation }), result.total);
        } catch (err) {
          patchPage(eventId, page, (prev) => ({ rows: prev?.rows ?? null, loading: false, error: errorMessage(err), generation: prev?.generation ?? -1 }));
        }
      });

    const ensurePages = (eventId: number, pages: number[]) => {
      const cache = get().attendees;
      if (!cache || cache.eventId !== eventId) return;
      for (const page of pages) {
        const entry = cache.pages[page];
        if (entry?.loading) continue;
        if (!entry || entry.generation < cache.generation || (entry.rows === null && !entry.error)) void fetchPage(eventId, page);
      }
    };

    const refreshVisiblePages = (eventId: number) => {
      const cache = get().attendees;
      if (!cache || cache.eventId !== eventId) return;
      const pages = visiblePages.eventId === eventId && visiblePages.pages.length > 0 ? visiblePages.pages : [0];
      for (const page of pages) void fetchPage(eventId, page);
    };

    const openAttendees = (eventId: number) => {
      const cache = get().attendees;
      if (cache && cache.eventId === eventId) return;
      visiblePages = { eventId, pages: [] };
      set({ attendees: { eventId, total: null, generation: 0, pages: {} } });
      void fetchPage(eventId, 0);
    };

    /** Every cached page of the event is stale. */
    const bumpGeneration = (eventId: number) => patchCache(eventId, (cache) => ({ generation: cache.generation + 1 }));

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

    for (const event of ['attendeesChanged', 'checkinsChanged'] as const) {
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

      async attendeeAt(eventId, offset) {
        const page = await call('attendees.list', { eventId, offset, limit: 1 });
        return { attendee: page.rows[0] ?? null, total: page.total };
      },
    };
  };
