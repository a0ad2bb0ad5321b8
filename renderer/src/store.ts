// The renderer's one store: a snapshot of the app from `app.snapshot`, then kept current by push
// events. Components read from it and call its actions; only this module talks to the bridge.
import { create } from 'zustand';
import type {
  AppSnapshot,
  DemoInfo,
  PushEventName,
  PushMessage,
  ProviderEventOption,
  SessionInfo,
  StationSettings,
} from '../../shared/ipc-contract.ts';
import type { Attendee, Integration, ProviderKind, SyncedEvent, SyncJob } from '../../shared/types.ts';
import { describeSyncStatus } from '../../shared/sync-status.ts';
import type { CheckInFeedback, CheckInLogEntry, CheckInOutcome, CheckInStats, DeskSearchResult, UndoOutcome } from '../../shared/desk.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import { formatClock } from './format.ts';
import { BridgeError, call, errorMessage, onReconnect, subscribe } from './bridge.ts';

export type SettingsSection = 'integrations' | 'station';

export type Route =
  | { name: 'events' }
  | { name: 'event'; eventId: number }
  | { name: 'desk'; eventId: number }
  | { name: 'settings'; section: SettingsSection | null };

export type ToastTone = 'info' | 'success' | 'error';
export interface ToastItem {
  id: number;
  text: string;
  tone: ToastTone;
}

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
  /** Bumped on every attendeesChanged of this event: every page fetched before is stale. */
  generation: number;
  pages: Record<number, AttendeePageEntry>;
}

/** The results on the desk, and the exact field text they answer. */
export interface DeskResults {
  query: string;
  rows: Attendee[];
  more: boolean;
}

export type DeskFeedbackTone = CheckInFeedback['tone'] | 'info';

export interface DeskFeedback {
  /** Bumped per answer, so the panel can flash even when two answers read alike. */
  id: number;
  tone: DeskFeedbackTone;
  title: string;
  subject: string;
  detail: string | null;
  /** Set when the answer recorded a check-in: the panel offers Undo for this attendee. */
  undoable: Attendee | null;
}

export interface DeskState {
  eventId: number;
  /** The search field's text. */
  query: string;
  results: DeskResults | null;
  /** Index of the highlighted result (Enter checks that one in). */
  highlight: number;
  searchError: string | null;
  /** Check-in or undo calls not answered yet. */
  pending: number;
  feedback: DeskFeedback | null;
  /** Recent check-in log entries, newest first; null until the first answer. */
  log: CheckInLogEntry[] | null;
  logError: string | null;
}

export interface StatsEntry {
  eventId: number;
  data: CheckInStats | null;
  error: string | null;
}

export interface BadgeDeskState {
  phase: 'loading' | 'ready' | 'error';
  loadError: string | null;
  session: SessionInfo;
  settings: StationSettings;
  integrations: Integration[];
  events: SyncedEvent[];
  demo: DemoInfo;
  credentialsEncrypted: boolean;
  host: 'electron' | 'browser';
  route: Route;
  toasts: ToastItem[];
  attendees: AttendeeCache | null;
  /** Events whose "Sync" click is on its way to main. */
  syncRequests: Record<number, true>;
  /** The check-in desk, while its screen is open. */
  desk: DeskState | null;
  /** Check-in statistics of the event page's event. */
  stats: StatsEntry | null;
}

export interface BadgeDeskActions {
  start(): Promise<void>;
  reload(): Promise<void>;
  navigate(route: Route): void;
  toast(text: string, tone?: ToastTone): void;
  dismissToast(id: number): void;

  unlock(pin: string): Promise<void>;
  lock(): Promise<void>;
  setPin(pin: string, currentPin?: string): Promise<void>;
  updateSettings(patch: Partial<StationSettings>): Promise<void>;

  connectIntegration(provider: ProviderKind, credential: string): Promise<Integration>;
  startOAuth(): Promise<string>;
  removeIntegration(integrationId: number): Promise<void>;
  startDemo(): Promise<void>;

  listProviderEvents(integrationId: number): Promise<ProviderEventOption[]>;
  importEvent(integrationId: number, providerEventId: string): Promise<SyncedEvent>;
  recoveryOptions(eventId: number): Promise<Integration[]>;
  /** Runs the recovery the event's alert offers (retry / retryImport / reconnect) and toasts it. */
  recoverEvent(eventId: number, integrationId: number): Promise<void>;
  syncEvent(eventId: number): Promise<void>;
  refreshEvent(eventId: number): Promise<void>;

  /** The attendee table reports the rows it shows; missing or stale pages are fetched. */
  showAttendeeRows(eventId: number, firstIndex: number, lastIndex: number): void;
  setVip(attendee: Attendee, vip: boolean): Promise<void>;

  /** The desk's search field changed: search as the operator types. */
  deskType(text: string): void;
  /** Moves the highlight through the results (wraps). */
  deskMove(delta: number): void;
  /** Escape: clears the field, the results and the highlight (the feedback stays). */
  deskClear(): void;
  /** Enter in the search field with its current text: checks in the scanned code or the highlighted result. */
  deskEnter(text: string): Promise<void>;
  /** A click on a result: checks that person in. */
  deskCheckIn(attendee: Attendee): Promise<void>;
  deskUndo(attendee: Attendee): Promise<void>;
  /** The check-in log as CSV (admin). */
  exportCheckIns(eventId: number): Promise<{ filename: string; csv: string }>;
}

export type BadgeDeskStore = BadgeDeskState & BadgeDeskActions;

type AnyPush = { [K in PushEventName]: PushMessage<K> }[PushEventName];

// ---- small helpers kept outside React state ----

/** Runs `fn` once per key at a time; a request made meanwhile runs it once more afterwards. */
const inFlight = new Map<string, { dirty: boolean }>();
function coalesce(key: string, fn: () => Promise<void>): Promise<void> {
  const running = inFlight.get(key);
  if (running) {
    running.dirty = true;
    return Promise.resolve();
  }
  const entry = { dirty: false };
  inFlight.set(key, entry);
  const run = async (): Promise<void> => {
    try {
      do {
        entry.dirty = false;
        try {
          await fn();
        } catch (err) {
          console.warn(`refresh ${key} failed`, err);
        }
      } while (entry.dirty);
    } finally {
      inFlight.delete(key);
    }
  };
  return run();
}

/** Trailing throttle per key. */
const soonTimers = new Map<string, ReturnType<typeof setTimeout>>();
function soon(key: string, delayMs: number, fn: () => void): void {
  if (soonTimers.has(key)) return;
  soonTimers.set(
    key,
    setTimeout(() => {
      soonTimers.delete(key);
      fn();
    }, delayMs),
  );
}

/** Jobs we know have finished: an older answer still showing them running is ignored. */
const finishedJobs = new Set<number>();

/** VIP writes, by attendee, with the sequence number at which they were made. */
let requestSeq = 0;
const vipWrites = new Map<number, { vip: boolean; seq: number }>();

/** Which attendee pages the table currently shows (for refreshes on attendeesChanged). */
let visiblePages: { eventId: number; pages: number[] } = { eventId: 0, pages: [] };

let toastSeq = 0;
const toastTimers = new Map<number, ReturnType<typeof setTimeout>>();
export const TOAST_MS = 6000;

/** Desk search: the last search issued (older answers are dropped) and searches in flight by text. */
let searchSeq = 0;
let searchTimer: ReturnType<typeof setTimeout> | null = null;
const SEARCH_PAUSE_MS = 30;
const searchesInFlight = new Map<string, Promise<DeskSearchResult>>();
export const DESK_SEARCH_LIMIT = 20;
export const DESK_LOG_LIMIT = 20;
/** The contract's longest search text; a longer field text (a scanner gone wild) matches no one. */
const MAX_QUERY = 200;

/** Check-ins and undos run one after another, in the order they were asked for. */
let deskChain: Promise<void> = Promise.resolve();
let feedbackSeq = 0;

/** A fresh id per desk action (UUID), so a retried call cannot record twice. */
function newActionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function replaceRow(rows: Attendee[], fresh: Attendee): Attendee[] {
  const index = rows.findIndex((r) => r.id === fresh.id);
  if (index < 0) return rows;
  const next = rows.slice();
  next[index] = fresh;
  return next;
}

let sessionTimer: ReturnType<typeof setTimeout> | null = null;
let unsubscribers: (() => void)[] = [];
let pushDuringLoad = false;

function mergeEvent(current: SyncedEvent | undefined, fresh: SyncedEvent): SyncedEvent {
  let activeJob = fresh.activeJob;
  // An answer read before a jobFinished we already applied: keep the finished job we hold
  // (the refresh that jobFinished triggered brings the settled state right after).
  if (activeJob && finishedJobs.has(activeJob.id)) activeJob = current?.activeJob?.id === activeJob.id ? current.activeJob : null;
  // A progress push newer than this answer: keep the higher count.
  if (activeJob && current?.activeJob && current.activeJob.id === activeJob.id && current.activeJob.fetched > activeJob.fetched) {
    activeJob = { ...activeJob, fetched: current.activeJob.fetched, expectedTotal: current.activeJob.expectedTotal ?? activeJob.expectedTotal };
  }
  return activeJob === fresh.activeJob ? fresh : { ...fresh, activeJob };
}

function upsertEvent(events: SyncedEvent[], fresh: SyncedEvent): SyncedEvent[] {
  const index = events.findIndex((e) => e.id === fresh.id);
  if (index < 0) return [...events, mergeEvent(undefined, fresh)];
  const next = events.slice();
  next[index] = mergeEvent(events[index], fresh);
  return next;
}

function patchEvent(events: SyncedEvent[], eventId: number, patch: (e: SyncedEvent) => SyncedEvent): SyncedEvent[] {
  const index = events.findIndex((e) => e.id === eventId);
  if (index < 0) return events;
  const next = events.slice();
  next[index] = patch(events[index]!);
  return next;
}

function pagesFor(firstIndex: number, lastIndex: number): number[] {
  if (lastIndex < firstIndex) return [];
  const first = Math.max(0, Math.floor(firstIndex / PAGE_SIZE));
  const last = Math.max(first, Math.floor(lastIndex / PAGE_SIZE));
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}

export const useStore = create<BadgeDeskStore>()((set, get) => {
  // ---- state application ----

  const applySession = (session: SessionInfo) => {
    set({ session });
    if (sessionTimer !== null) {
      clearTimeout(sessionTimer);
      sessionTimer = null;
    }
    if (session.role === 'admin' && session.adminUntil) {
      // When the admin lock is due, ask main where we stand (it may not push on a timer).
      const due = Date.parse(session.adminUntil) - Date.now();
      if (Number.isFinite(due)) {
        sessionTimer = setTimeout(() => void refreshSnapshot(), Math.min(Math.max(due + 1000, 1000), 2_147_000_000));
      }
    }
  };

  const applySnapshot = (snapshot: AppSnapshot) => {
    set((s) => ({
      phase: 'ready',
      loadError: null,
      settings: snapshot.settings,
      integrations: snapshot.integrations,
      events: snapshot.events.map((e) => mergeEvent(s.events.find((c) => c.id === e.id), e)),
      demo: snapshot.demo,
      credentialsEncrypted: snapshot.credentialsEncrypted,
      host: snapshot.host,
    }));
    applySession(snapshot.session);
  };

  const refreshSnapshot = () =>
    coalesce('snapshot', async () => {
      applySnapshot(await call('app.snapshot', {}));
    });

  const refreshEvents = () =>
    coalesce('events', async () => {
      const list = await call('events.list', {});
      set((s) => ({ events: list.map((e) => mergeEvent(s.events.find((c) => c.id === e.id), e)) }));
    });

  const refreshEventNow = (eventId: number) =>
    coalesce(`event:${eventId}`, async () => {
      try {
        const fresh = await call('events.get', { eventId });
        set((s) => ({ events: upsertEvent(s.events, fresh) }));
      } catch (err) {
        if (err instanceof BridgeError && err.code === 'NOT_FOUND') {
          set((s) => ({ events: s.events.filter((e) => e.id !== eventId) }));
          return;
        }
        throw err;
      }
    });

  const refreshEventSoon = (eventId: number) => soon(`event:${eventId}`, 700, () => void refreshEventNow(eventId));

  /** After an admin action is refused, the admin lock has probably returned: re-read the session. */
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof BridgeError && err.code === 'FORBIDDEN') void refreshSnapshot();
      throw err;
    }
  };

  // ---- attendee pages ----

  const fetchPage = (eventId: number, page: number) =>
    coalesce(`page:${eventId}:${page}`, async () => {
      const cache = get().attendees;
      if (!cache || cache.eventId !== eventId) return;
      const generation = cache.generation;
      const seq = ++requestSeq;
      set((s) => {
        if (!s.attendees || s.attendees.eventId !== eventId) return {};
        const prev = s.attendees.pages[page];
        return {
          attendees: {
            ...s.attendees,
            pages: { ...s.attendees.pages, [page]: { rows: prev?.rows ?? null, loading: true, error: null, generation: prev?.generation ?? -1 } },
          },
        };
      });
      try {
        const result = await call('attendees.list', { eventId, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        const rows = result.rows.map((row) => {
          const write = vipWrites.get(row.id);
          return write && write.seq > seq && write.vip !== row.vip ? { ...row, vip: write.vip } : row;
        });
        set((s) => {
          if (!s.attendees || s.attendees.eventId !== eventId) return {};
          return {
            attendees: {
              ...s.attendees,
              total: result.total,
              pages: { ...s.attendees.pages, [page]: { rows, loading: false, error: null, generation } },
            },
          };
        });
      } catch (err) {
        set((s) => {
          if (!s.attendees || s.attendees.eventId !== eventId) return {};
          const prev = s.attendees.pages[page];
          return {
            attendees: {
              ...s.attendees,
              pages: {
                ...s.attendees.pages,
                [page]: { rows: prev?.rows ?? null, loading: false, error: errorMessage(err), generation: prev?.generation ?? -1 },
              },
            },
          };
        });
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

  // ---- check-in statistics ----

  const refreshStatsNow = (eventId: number) =>
    coalesce(`stats:${eventId}`, async () => {
      if (get().stats?.eventId !== eventId) return;
      try {
        const data = await call('desk.stats', { eventId });
        set((s) => (s.stats?.eventId === eventId ? { stats: { eventId, data, error: null } } : {}));
      } catch (err) {
        set((s) => (s.stats?.eventId === eventId ? { stats: { ...s.stats, error: errorMessage(err) } } : {}));
        throw err;
      }
    });

  /** At most one stats read per 500 ms per event, the last request always followed by one. */
  const refreshStatsSoon = (eventId: number) => {
    if (get().stats?.eventId !== eventId) return;
    soon(`stats:${eventId}`, 500, () => void refreshStatsNow(eventId));
  };

  const openStats = (eventId: number) => {
    if (get().stats?.eventId !== eventId) set({ stats: { eventId, data: null, error: null } });
    void refreshStatsNow(eventId);
  };

  // ---- the desk ----

  const patchDesk = (eventId: number, patch: (d: DeskState) => Partial<DeskState>) => {
    set((s) => (s.desk && s.desk.eventId === eventId ? { desk: { ...s.desk, ...patch(s.desk) } } : {}));
  };

  const refreshLogNow = (eventId: number) =>
    coalesce(`log:${eventId}`, async () => {
      if (get().desk?.eventId !== eventId) return;
      try {
        const log = await call('desk.log', { eventId, limit: DESK_LOG_LIMIT });
        patchDesk(eventId, () => ({ log, logError: null }));
      } catch (err) {
        patchDesk(eventId, () => ({ logError: errorMessage(err) }));
        throw err;
      }
    });

  const refreshLogSoon = (eventId: number) => soon(`log:${eventId}`, 150, () => void refreshLogNow(eventId));

  /** One search per text at a time: Enter reuses the one the typing started. */
  const searchFor = (eventId: number, query: string): Promise<DeskSearchResult> => {
    if (query.trim() === '' || query.length > MAX_QUERY) return Promise.resolve({ rows: [], more: false });
    const key = `${eventId}\n${query}`;
    let promise = searchesInFlight.get(key);
    if (!promise) {
      promise = call('desk.search', { eventId, query, limit: DESK_SEARCH_LIMIT }).finally(() => searchesInFlight.delete(key));
      searchesInFlight.set(key, promise);
    }
    return promise;
  };

  /** Searches the field's text and shows the answer, unless a newer search or a clear came first. */
  const runSearch = (eventId: number, query: string): Promise<DeskSearchResult> => {
    const seq = ++searchSeq;
    const promise = searchFor(eventId, query);
    promise.then(
      (result) => {
        if (seq !== searchSeq) return;
        patchDesk(eventId, (d) => {
          if (d.query !== query) return {};
          // A refresh of the same text keeps the highlight on the same person.
          let highlight = 0;
          if (d.results && d.results.query === query) {
            const current = d.results.rows[d.highlight];
            const index = current ? result.rows.findIndex((r) => r.id === current.id) : -1;
            highlight = index >= 0 ? index : Math.min(d.highlight, Math.max(0, result.rows.length - 1));
          }
          return { results: { query, rows: result.rows, more: result.more }, highlight, searchError: null };
        });
      },
      (err: unknown) => {
        if (seq !== searchSeq) return;
        patchDesk(eventId, (d) => (d.query === query ? { searchError: errorMessage(err) } : {}));
      },
    );
    return promise;
  };

  const cancelPendingSearch = () => {
    if (searchTimer !== null) {
      clearTimeout(searchTimer);
      searchTimer = null;
    }
  };

  /**
   * Search as the operator types, for the latest text only: a scanner's burst of keystrokes (a
   * few ms apart) makes one search, not one per digit, so its Enter never queues behind a dozen
   * searches for partial codes. A person's keystrokes are further apart than this pause.
   */
  const scheduleSearch = () => {
    if (searchTimer !== null) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      searchTimer = null;
      const desk = get().desk;
      if (desk && desk.query.trim() !== '') void runSearch(desk.eventId, desk.query).catch(() => undefined);
    }, SEARCH_PAUSE_MS);
  };

  const clearSearch = (eventId: number) => {
    searchSeq++;
    cancelPendingSearch();
    patchDesk(eventId, () => ({ query: '', results: null, highlight: 0, searchError: null }));
  };

  /** Re-reads the results on screen (their check-in markers or names changed). */
  const refreshResults = (eventId: number) => {
    const desk = get().desk;
    if (!desk || desk.eventId !== eventId || !desk.results || desk.results.query !== desk.query) return;
    void runSearch(eventId, desk.query).catch(() => undefined);
  };

  const showFeedback = (eventId: number, feedback: Omit<DeskFeedback, 'id'>) => {
    patchDesk(eventId, () => ({ feedback: { ...feedback, id: ++feedbackSeq } }));
  };

  /** A fresh attendee from an answer: into the results on screen. */
  const applyAttendee = (attendee: Attendee) => {
    patchDesk(attendee.eventId, (d) => (d.results ? { results: { ...d.results, rows: replaceRow(d.results.rows, attendee) } } : {}));
  };

  const adjustCheckedIn = (eventId: number, delta: number) => {
    set((s) => ({
      events: patchEvent(s.events, eventId, (e) => ({ ...e, counts: { ...e.counts, checkedIn: Math.max(0, e.counts.checkedIn + delta) } })),
    }));
  };

  const afterDeskAction = (eventId: number) => {
    void refreshLogNow(eventId);
    refreshEventSoon(eventId);
    refreshStatsSoon(eventId);
  };

  /** Queues a desk call behind the ones before it: never two at once, never one lost. */
  const enqueue = (eventId: number, run: () => Promise<void>): Promise<void> => {
    patchDesk(eventId, (d) => ({ pending: d.pending + 1 }));
    const next = deskChain.then(run).finally(() => patchDesk(eventId, (d) => ({ pending: Math.max(0, d.pending - 1) })));
    deskChain = next.catch(() => undefined);
    return next;
  };

  const checkIn = async (eventId: number, input: { code?: string; attendeeId?: number }, subject: string) => {
    let outcome: CheckInOutcome;
    try {
      outcome = await call('desk.checkIn', { eventId, actionId: newActionId(), ...input });
    } catch (err) {
      showFeedback(eventId, { tone: 'error', title: 'Check-in failed', subject, detail: errorMessage(err), undoable: null });
      return;
    }
    const view = describeCheckInOutcome(outcome, formatClock);
    showFeedback(eventId, { ...view, undoable: outcome.kind === 'checked_in' ? outcome.attendee : null });
    if (outcome.kind !== 'not_found') applyAttendee(outcome.attendee);
    if (outcome.kind === 'checked_in' && outcome.attendee.status === 'ATTENDING') adjustCheckedIn(eventId, 1);
    afterDeskAction(eventId);
  };

  const undo = async (eventId: number, attendee: Attendee) => {
    let outcome: UndoOutcome;
    try {
      outcome = await call('desk.undo', { eventId, attendeeId: attendee.id, actionId: newActionId() });
    } catch (err) {
      showFeedback(eventId, { tone: 'error', title: 'Undo failed', subject: attendee.fullName, detail: errorMessage(err), undoable: null });
      return;
    }
    if (outcome.kind === 'undone') {
      showFeedback(eventId, { tone: 'info', title: 'Check-in undone', subject: outcome.attendee.fullName, detail: null, undoable: null });
      if (outcome.attendee.status === 'ATTENDING') adjustCheckedIn(eventId, -1);
    } else {
      showFeedback(eventId, {
        tone: 'warning',
        title: 'Not checked in',
        subject: outcome.attendee.fullName,
        detail: 'There is no check-in to undo',
        undoable: null,
      });
    }
    applyAttendee(outcome.attendee);
    afterDeskAction(eventId);
  };

  const openDesk = (eventId: number) => {
    searchSeq++;
    cancelPendingSearch();
    set({
      desk: { eventId, query: '', results: null, highlight: 0, searchError: null, pending: 0, feedback: null, log: null, logError: null },
    });
    void refreshLogNow(eventId);
  };

  const closeDesk = () => {
    if (!get().desk) return;
    searchSeq++;
    cancelPendingSearch();
    set({ desk: null });
  };

  /** Every cached attendee page of the event is stale; the pages in view are re-read (throttled). */
  const invalidateAttendees = (eventId: number) => {
    const cache = get().attendees;
    if (cache && cache.eventId === eventId) {
      set({ attendees: { ...cache, generation: cache.generation + 1 } });
      soon(`pages:${eventId}`, 250, () => refreshVisiblePages(eventId));
    }
  };

  // ---- push events ----

  const onPush = (raw: PushMessage) => {
    if (get().phase !== 'ready') pushDuringLoad = true;
    const message = raw as AnyPush;
    switch (message.event) {
      case 'statusChanged':
        void refreshEventNow(message.payload.eventId);
        break;
      case 'jobProgress': {
        const { eventId, job } = message.payload;
        if (job.state === 'running' && !finishedJobs.has(job.id)) {
          set((s) => ({ events: patchEvent(s.events, eventId, (e) => ({ ...e, activeJob: job })) }));
        }
        refreshEventSoon(eventId);
        break;
      }
      case 'jobFinished': {
        const { eventId, job } = message.payload;
        finishedJobs.add(job.id);
        // Main announces jobFinished before the status moves on (PENDING -> ACTIVE, -> DISCONNECTED, …).
        // Dropping the job here would show "PENDING, no job" (Import failed) for a moment; instead
        // hold the finished job until the refresh brings the settled event (activeJob null).
        set((s) => ({
          events: patchEvent(s.events, eventId, (e) => (e.activeJob && e.activeJob.id === job.id ? { ...e, activeJob: job } : e)),
        }));
        void refreshEventNow(eventId);
        refreshStatsSoon(eventId);
        break;
      }
      case 'attendeesChanged': {
        const { eventId } = message.payload;
        invalidateAttendees(eventId);
        refreshEventSoon(eventId);
        refreshStatsSoon(eventId);
        if (get().desk?.eventId === eventId) soon(`results:${eventId}`, 250, () => refreshResults(eventId));
        break;
      }
      case 'checkinsChanged': {
        const { eventId } = message.payload;
        invalidateAttendees(eventId);
        refreshEventSoon(eventId);
        refreshStatsSoon(eventId);
        if (get().desk?.eventId === eventId) {
          refreshLogSoon(eventId);
          soon(`results:${eventId}`, 150, () => refreshResults(eventId));
        }
        break;
      }
      case 'integrationChanged':
        void refreshSnapshot();
        break;
      case 'eventAdded':
        void refreshEvents();
        break;
      case 'sessionChanged':
        applySession(message.payload);
        break;
    }
  };

  const load = async () => {
    pushDuringLoad = false;
    try {
      const snapshot = await call('app.snapshot', {});
      applySnapshot(snapshot);
      if (pushDuringLoad) {
        pushDuringLoad = false;
        void refreshSnapshot();
      }
      const route = get().route;
      if (route.name === 'event') {
        openAttendees(route.eventId);
        openStats(route.eventId);
      } else if (route.name === 'desk' && get().desk?.eventId !== route.eventId) {
        openDesk(route.eventId);
      }
    } catch (err) {
      set({ phase: 'error', loadError: errorMessage(err) });
    }
  };

  return {
    phase: 'loading',
    loadError: null,
    session: { role: 'operator', pinSet: true, adminUntil: null },
    // Placeholder until the snapshot arrives (nothing renders it before then).
    settings: { stationName: '', pollIntervalMs: 30_000, printer: null, autoPrint: false, adminLockMinutes: 5 },
    integrations: [],
    events: [],
    demo: { available: false, running: false },
    credentialsEncrypted: true,
    host: 'browser',
    route: { name: 'events' },
    toasts: [],
    attendees: null,
    syncRequests: {},
    desk: null,
    stats: null,

    async start() {
      for (const off of unsubscribers) off();
      unsubscribers = [
        subscribe(onPush),
        onReconnect(() => {
          void refreshSnapshot();
          const cache = get().attendees;
          if (cache) {
            set({ attendees: { ...cache, generation: cache.generation + 1 } });
            refreshVisiblePages(cache.eventId);
          }
          const { desk, stats } = get();
          if (desk) {
            void refreshLogNow(desk.eventId);
            refreshResults(desk.eventId);
          }
          if (stats) void refreshStatsNow(stats.eventId);
        }),
      ];
      await load();
    },

    async reload() {
      set({ phase: 'loading', loadError: null });
      await load();
    },

    navigate(route) {
      set({ route });
      if (route.name === 'event') {
        openAttendees(route.eventId);
        openStats(route.eventId);
        void refreshEventNow(route.eventId);
      } else {
        visiblePages = { eventId: 0, pages: [] };
        set({ attendees: null, stats: null });
      }
      if (route.name === 'desk') {
        if (get().desk?.eventId !== route.eventId) openDesk(route.eventId);
        void refreshEventNow(route.eventId);
      } else {
        closeDesk();
      }
    },

    toast(text, tone = 'info') {
      const id = ++toastSeq;
      set((s) => ({ toasts: [...s.toasts.slice(-3), { id, text, tone }] }));
      toastTimers.set(
        id,
        setTimeout(() => get().dismissToast(id), tone === 'error' ? TOAST_MS + 3000 : TOAST_MS),
      );
    },

    dismissToast(id) {
      const timer = toastTimers.get(id);
      if (timer !== undefined) clearTimeout(timer);
      toastTimers.delete(id);
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },

    async unlock(pin) {
      applySession(await call('session.unlock', { pin }));
    },

    async lock() {
      applySession(await call('session.lock', {}));
    },

    async setPin(pin, currentPin) {
      applySession(await call('session.setPin', currentPin ? { pin, currentPin } : { pin }));
    },

    async updateSettings(patch) {
      const settings = await guard(() => call('settings.update', patch));
      set({ settings });
    },

    async connectIntegration(provider, credential) {
      const integration = await guard(() => call('integrations.connect', { provider, credential }));
      set((s) => {
        const index = s.integrations.findIndex((i) => i.id === integration.id);
        if (index < 0) return { integrations: [...s.integrations, integration] };
        const integrations = s.integrations.slice();
        integrations[index] = integration;
        return { integrations };
      });
      void refreshSnapshot();
      return integration;
    },

    async startOAuth() {
      const { authorizeUrl } = await guard(() => call('integrations.startOAuth', { provider: 'eventbrite' }));
      return authorizeUrl;
    },

    async removeIntegration(integrationId) {
      await guard(() => call('integrations.remove', { integrationId }));
      set((s) => ({ integrations: s.integrations.filter((i) => i.id !== integrationId) }));
      void refreshSnapshot();
    },

    async startDemo() {
      applySnapshot(await call('demo.start', {}));
    },

    listProviderEvents(integrationId) {
      return guard(() => call('events.providerList', { integrationId }));
    },

    async importEvent(integrationId, providerEventId) {
      const event = await guard(() => call('events.import', { integrationId, providerEventId }));
      set((s) => ({ events: upsertEvent(s.events, event) }));
      void refreshEvents();
      return event;
    },

    recoveryOptions(eventId) {
      return call('events.recoveryOptions', { eventId });
    },

    async recoverEvent(eventId, integrationId) {
      const event = get().events.find((e) => e.id === eventId);
      if (!event) throw new BridgeError('NOT_FOUND', 'This event is no longer here.');
      const view = describeSyncStatus(event.status, event.activeJob !== null);
      if (!view.alert) throw new BridgeError('INVALID_STATE', 'This event needs no recovery.');
      let job: SyncJob;
      switch (view.alert.action) {
        case 'reconnect':
          job = await guard(() => call('events.reconnect', { eventId, integrationId }));
          break;
        case 'retry':
          job = await guard(() => call('events.retry', { eventId }));
          break;
        case 'retryImport':
          job = await guard(() => call('events.retryImport', { eventId }));
          break;
      }
      if (job.state === 'running' && !finishedJobs.has(job.id)) {
        set((s) => ({ events: patchEvent(s.events, eventId, (e) => ({ ...e, activeJob: job })) }));
      }
      if (view.toast) get().toast(view.toast, 'success');
      void refreshEventNow(eventId);
    },

    async syncEvent(eventId) {
      if (get().syncRequests[eventId]) return;
      set((s) => ({ syncRequests: { ...s.syncRequests, [eventId]: true } }));
      try {
        const job = await call('events.sync', { eventId });
        if (job.state === 'running' && !finishedJobs.has(job.id)) {
          set((s) => ({ events: patchEvent(s.events, eventId, (e) => ({ ...e, activeJob: job })) }));
        }
      } catch (err) {
        get().toast(`Sync did not start: ${errorMessage(err)}`, 'error');
      } finally {
        set((s) => {
          const syncRequests = { ...s.syncRequests };
          delete syncRequests[eventId];
          return { syncRequests };
        });
        void refreshEventNow(eventId);
        refreshStatsSoon(eventId);
      }
    },

    refreshEvent(eventId) {
      return refreshEventNow(eventId);
    },

    showAttendeeRows(eventId, firstIndex, lastIndex) {
      const pages = pagesFor(firstIndex, lastIndex);
      visiblePages = { eventId, pages };
      ensurePages(eventId, pages);
    },

    async setVip(attendee, vip) {
      const seq = ++requestSeq;
      vipWrites.set(attendee.id, { vip, seq });
      const applyRow = (row: Attendee) => {
        applyAttendee(row);
        set((s) => {
          const cache = s.attendees;
          if (!cache || cache.eventId !== row.eventId) return {};
          const pages: Record<number, AttendeePageEntry> = { ...cache.pages };
          let changed = false;
          for (const [key, entry] of Object.entries(cache.pages)) {
            if (!entry.rows) continue;
            const index = entry.rows.findIndex((r) => r.id === row.id);
            if (index < 0) continue;
            const rows = entry.rows.slice();
            rows[index] = row;
            pages[Number(key)] = { ...entry, rows };
            changed = true;
          }
          return changed ? { attendees: { ...cache, pages } } : {};
        });
      };
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

    deskType(text) {
      const desk = get().desk;
      if (!desk) return;
      if (text.trim() === '') {
        searchSeq++;
        cancelPendingSearch();
        patchDesk(desk.eventId, () => ({ query: text, results: null, highlight: 0, searchError: null }));
        return;
      }
      patchDesk(desk.eventId, () => ({ query: text }));
      scheduleSearch();
    },

    deskMove(delta) {
      const desk = get().desk;
      if (!desk || !desk.results || desk.results.query !== desk.query) return;
      const n = desk.results.rows.length;
      if (n === 0) return;
      patchDesk(desk.eventId, (d) => ({ highlight: (((d.highlight + delta) % n) + n) % n }));
    },

    deskClear() {
      const desk = get().desk;
      if (desk) clearSearch(desk.eventId);
    },

    deskEnter(text) {
      const desk = get().desk;
      const code = text.trim();
      if (!desk || code === '') return Promise.resolve();
      const { eventId, results, highlight } = desk;
      // Results for exactly this text: Enter means the highlighted one. Otherwise (a scanner types
      // faster than results arrive) the answer for this text decides, and its first row is the pick.
      const pick: Promise<number | undefined> =
        results && results.query === text
          ? Promise.resolve(results.rows[highlight]?.id)
          : searchFor(eventId, text).then(
              (r) => r.rows[0]?.id,
              () => undefined,
            );
      // The field is cleared at once: whatever is typed or scanned next belongs to the next person.
      clearSearch(eventId);
      return enqueue(eventId, async () => {
        const attendeeId = await pick;
        await checkIn(eventId, attendeeId === undefined ? { code } : { code, attendeeId }, code.length > 80 ? `${code.slice(0, 80)}…` : code);
      });
    },

    deskCheckIn(attendee) {
      const desk = get().desk;
      if (!desk) return Promise.resolve();
      clearSearch(desk.eventId);
      return enqueue(desk.eventId, () => checkIn(desk.eventId, { attendeeId: attendee.id }, attendee.fullName));
    },

    deskUndo(attendee) {
      const desk = get().desk;
      if (!desk) return Promise.resolve();
      return enqueue(desk.eventId, () => undo(desk.eventId, attendee));
    },

    exportCheckIns(eventId) {
      return guard(() => call('desk.exportCsv', { eventId }));
    },
  };
});

/** The event the route points at (event page or its desk), if any. */
export function useCurrentEvent(): SyncedEvent | undefined {
  return useStore((s) => {
    const route = s.route;
    return route.name === 'event' || route.name === 'desk' ? s.events.find((e) => e.id === route.eventId) : undefined;
  });
}

export const isAdmin = (s: BadgeDeskState): boolean => s.session.role === 'admin';
