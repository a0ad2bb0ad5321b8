// The renderer's one store: a snapshot of the app from `app.snapshot`, then kept current by push
// events. Components read from it and call its actions; only this module talks to the bridge.
import { create } from 'zustand';
import type {
  AppSnapshot,
  ChannelInput,
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
import type { BadgeLayout, BadgeTemplate, BadgeTemplateInput } from '../../shared/badge.ts';
import type { Printer, PrinterConfig, PrintJob, PrintJobState, PrintQueueSummary } from '../../shared/printing.ts';
import { formatClock } from './format.ts';
import { BridgeError, call, errorMessage, onReconnect, subscribe } from './bridge.ts';

export type SettingsSection = 'integrations' | 'station';

export type Route =
  | { name: 'events' }
  | { name: 'event'; eventId: number }
  | { name: 'desk'; eventId: number }
  | { name: 'settings'; section: SettingsSection | null }
  | { name: 'printQueue' };

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
  /** The badge this check-in sends to the station's printer (auto-print), followed by its job's state. */
  print?: DeskPrintLine | null;
}

/** The desk's "Badge printing on …" line under a check-in. Printing never holds the check-in up. */
export interface DeskPrintLine {
  attendeeId: number;
  printerName: string;
  /** Jobs with a higher id are new since the check-in was asked for. */
  afterJobId: number;
  /** The job main queued for this check-in; null until it shows up. */
  job: PrintJob | null;
  /** Said instead when no job showed up. */
  note: string | null;
}

/** The print queue page's jobs, newest first. */
export interface PrintQueueState {
  jobs: PrintJob[] | null;
  error: string | null;
}

/** A batch of badges queued from an event page, followed until it is done. */
export interface BatchProgress {
  eventId: number;
  /** Badges the batch queued; null while the request is on its way. */
  total: number | null;
  alreadyPrinted: number;
  /** The batch's jobs seen so far (from pushes and reads), with their last known state. */
  jobs: Record<number, { state: PrintJobState; updatedAt: string }>;
  /** Jobs with a lower id belong to earlier batches. */
  minJobId: number | null;
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
  /** The configured printers; null until the first answer. */
  printers: Printer[] | null;
  /** Badge templates; null until the first answer. */
  templates: BadgeTemplate[] | null;
  /** Counts of the print queue (the top bar's badge); null until the first answer. */
  printSummary: PrintQueueSummary | null;
  /** The print queue page, while it is open. */
  printQueue: PrintQueueState | null;
  /** Batches queued from event pages in this session, by event. */
  batches: Record<number, BatchProgress>;
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

  refreshPrinters(): Promise<void>;
  addPrinter(name: string, config: PrinterConfig): Promise<Printer>;
  removePrinter(printerId: number): Promise<void>;
  testPrinter(printerId: number): Promise<PrintJob>;
  systemPrinters(): Promise<{ name: string; isDefault: boolean }[]>;

  refreshTemplates(): Promise<void>;
  saveTemplate(template: BadgeTemplateInput & { id?: number }): Promise<BadgeTemplate>;
  removeTemplate(templateId: number): Promise<void>;
  previewBadge(input: ChannelInput<'badges.preview'>): Promise<BadgeLayout>;
  /** One attendee by position (for the template preview's "Next person"), and the event's count. */
  attendeeAt(eventId: number, offset: number): Promise<{ attendee: Attendee | null; total: number }>;
  /** Ticket type names known from every event's statistics (for the template form's suggestions). */
  knownTicketNames(): Promise<string[]>;

  /**
   * The first badge of a person. 'already_printed' when main refuses a second copy (a reprint
   * needs a reason, see reprintBadge); other failures are toasted and answer 'failed'.
   */
  printBadge(attendee: Attendee): Promise<{ kind: 'queued'; job: PrintJob } | { kind: 'already_printed'; message: string } | { kind: 'failed' }>;
  reprintBadge(attendee: Attendee, note: string): Promise<PrintJob>;
  printBatch(eventId: number, options: { vipOnly: boolean; ticketName: string | null }): Promise<{ queued: number; alreadyPrinted: number }>;
  dismissBatch(eventId: number): void;
  retryPrintJob(job: PrintJob): Promise<void>;
  cancelPrintJob(job: PrintJob): Promise<void>;
  markPrintJobPrinted(job: PrintJob): Promise<void>;
  refreshPrintQueue(): Promise<void>;
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

// ---- printing helpers ----

export const PRINT_QUEUE_LIMIT = 200;
/** print.jobs answers at most this many rows. */
const PRINT_JOBS_MAX = 500;
/** The highest print job id this window has seen: a job above it is newer than anything read before. */
let maxJobIdSeen = 0;
/** Check-in jobs pushed recently, by attendee: a push can arrive before the check-in's own answer. */
const recentCheckInJobs = new Map<number, PrintJob>();
/** Pushed jobs not applied yet: applied together, so a batch of thousands does not re-render per job. */
const pendingJobs = new Map<number, PrintJob>();
/** Seconds the desk waits for a check-in's print job before it looks the job up itself. */
const PRINT_LINE_WAIT_MS = 5000;

function seeJob(job: PrintJob): void {
  if (job.id > maxJobIdSeen) maxJobIdSeen = job.id;
}

/** Newer of two versions of a job (by updatedAt; on a tie, the fresh one: it arrived later). */
function newerJob(current: PrintJob | undefined, fresh: PrintJob): PrintJob {
  return current && current.updatedAt > fresh.updatedAt ? current : fresh;
}

/** Fresh versions of jobs into a newest-first list: rows in place, new jobs at their place, capped. */
function upsertJobs(list: PrintJob[], fresh: Iterable<PrintJob>, limit = PRINT_QUEUE_LIMIT): PrintJob[] {
  const byId = new Map(list.map((j) => [j.id, j] as const));
  let added = false;
  for (const job of fresh) {
    const current = byId.get(job.id);
    if (!current) added = true;
    byId.set(job.id, newerJob(current, job));
  }
  if (!added) return list.map((j) => byId.get(j.id)!);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

function mergeBatchJobs(batch: BatchProgress, jobs: Iterable<PrintJob>): BatchProgress['jobs'] {
  const next = { ...batch.jobs };
  for (const job of jobs) {
    if (job.reason !== 'batch' || job.eventId !== batch.eventId) continue;
    if (batch.minJobId !== null && job.id < batch.minJobId) continue;
    const current = next[job.id];
    if (!current || current.updatedAt <= job.updatedAt) next[job.id] = { state: job.state, updatedAt: job.updatedAt };
  }
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
    const afterJobId = maxJobIdSeen;
    try {
      outcome = await call('desk.checkIn', { eventId, actionId: newActionId(), ...input });
    } catch (err) {
      showFeedback(eventId, { tone: 'error', title: 'Check-in failed', subject, detail: errorMessage(err), undoable: null });
      return;
    }
    const view = describeCheckInOutcome(outcome, formatClock);
    // The badge prints on its own: the answer shows now, the print line follows the job's pushes.
    const { autoPrint, printerId } = get().settings;
    let print: DeskPrintLine | null = null;
    if (outcome.kind === 'checked_in' && autoPrint && printerId !== null) {
      const pushed = recentCheckInJobs.get(outcome.attendee.id);
      // The answer names the queued job; a push may already have moved it further.
      const job = outcome.printJob ? newerJob(pushed && pushed.id === outcome.printJob.id ? pushed : undefined, outcome.printJob) : pushed && pushed.id > afterJobId ? pushed : null;
      print = { attendeeId: outcome.attendee.id, printerName: printerName(printerId), afterJobId, job, note: null };
    }
    showFeedback(eventId, { ...view, undoable: outcome.kind === 'checked_in' ? outcome.attendee : null, print });
    if (print && !print.job) settlePrintLine(eventId, feedbackSeq);
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

  // ---- printing ----

  const printerName = (printerId: number | null): string =>
    (printerId !== null ? get().printers?.find((p) => p.id === printerId)?.name : undefined) ?? 'the badge printer';

  const refreshPrintersNow = () =>
    coalesce('printers', async () => {
      set({ printers: await call('printers.list', {}) });
    });

  const refreshTemplatesNow = () =>
    coalesce('templates', async () => {
      set({ templates: await call('templates.list', {}) });
    });

  const refreshSummaryNow = () =>
    coalesce('printSummary', async () => {
      set({ printSummary: await call('print.summary', {}) });
    });

  const refreshSummarySoon = () => soon('printSummary', 400, () => void refreshSummaryNow());

  const refreshQueueNow = () =>
    coalesce('printQueue', async () => {
      if (!get().printQueue) return;
      try {
        const jobs = await call('print.jobs', { limit: PRINT_QUEUE_LIMIT });
        jobs.forEach(seeJob);
        set((s) => {
          if (!s.printQueue) return {};
          // A push applied while this read was on its way is newer than the read: keep it.
          const current = new Map((s.printQueue.jobs ?? []).map((j) => [j.id, j] as const));
          return { printQueue: { jobs: jobs.map((j) => newerJob(current.get(j.id), j)), error: null } };
        });
      } catch (err) {
        set((s) => (s.printQueue ? { printQueue: { ...s.printQueue, error: errorMessage(err) } } : {}));
        throw err;
      }
    });

  /** Pushed (or answered) jobs, applied together: the queue page, batch progress, the desk's print line. */
  const flushJobs = () => {
    if (pendingJobs.size === 0) return;
    const jobs = [...pendingJobs.values()];
    pendingJobs.clear();
    set((s) => {
      const patch: Partial<BadgeDeskState> = {};
      if (s.printQueue?.jobs) patch.printQueue = { ...s.printQueue, jobs: upsertJobs(s.printQueue.jobs, jobs) };
      let batches = s.batches;
      for (const eventId of new Set(jobs.map((j) => j.eventId))) {
        const batch = eventId !== null ? batches[eventId] : undefined;
        if (!batch) continue;
        const merged = mergeBatchJobs(batch, jobs);
        batches = { ...batches, [batch.eventId]: { ...batch, jobs: merged } };
      }
      if (batches !== s.batches) patch.batches = batches;
      const feedback = s.desk?.feedback;
      const line = feedback?.print;
      if (s.desk && feedback && line) {
        let job = line.job;
        for (const j of jobs) {
          if (j.reason !== 'check_in' || j.attendeeId !== line.attendeeId || j.id <= line.afterJobId) continue;
          if (!job || j.id > job.id) job = j;
          else if (j.id === job.id) job = newerJob(job, j);
        }
        if (job !== line.job) patch.desk = { ...s.desk, feedback: { ...feedback, print: { ...line, job, note: null } } };
      }
      return patch;
    });
  };

  /** A job from a push or an answer. */
  const receiveJob = (job: PrintJob) => {
    seeJob(job);
    if (job.reason === 'check_in' && job.attendeeId !== null) {
      recentCheckInJobs.delete(job.attendeeId);
      recentCheckInJobs.set(job.attendeeId, newerJob(recentCheckInJobs.get(job.attendeeId), job));
      if (recentCheckInJobs.size > 200) recentCheckInJobs.delete(recentCheckInJobs.keys().next().value!);
    }
    pendingJobs.set(job.id, newerJob(pendingJobs.get(job.id), job));
    soon('printJobs', 50, flushJobs);
    refreshSummarySoon();
  };

  /** No job showed up for the desk's print line: look it up once, else say so. */
  const settlePrintLine = (eventId: number, feedbackId: number) => {
    setTimeout(() => {
      const line = get().desk?.feedback?.print;
      if (get().desk?.feedback?.id !== feedbackId || !line || line.job) return;
      const apply = (patch: Pick<DeskPrintLine, 'job' | 'note'>) =>
        patchDesk(eventId, (d) =>
          d.feedback && d.feedback.id === feedbackId && d.feedback.print && !d.feedback.print.job
            ? { feedback: { ...d.feedback, print: { ...d.feedback.print, ...patch } } }
            : {},
        );
      call('print.jobs', { eventId, limit: 100 }).then(
        (jobs) => {
          jobs.forEach(seeJob);
          const mine = jobs.filter((j) => j.attendeeId === line.attendeeId).sort((a, b) => b.id - a.id)[0];
          if (mine && mine.id > line.afterJobId) apply({ job: mine, note: null });
          else if (mine && mine.state === 'printed') apply({ job: null, note: 'Badge printed before; use Print badge for a reprint' });
          else apply({ job: null, note: 'No badge was queued; see the Print queue' });
        },
        () => apply({ job: null, note: 'Could not follow the badge; see the Print queue' }),
      );
    }, PRINT_LINE_WAIT_MS);
  };

  /** Reads the event's batch jobs: follows a batch this window started, or finds one still printing. */
  const refreshBatch = (eventId: number, count?: number) =>
    coalesce(`batch:${eventId}`, async () => {
      const jobs = (await call('print.jobs', { eventId, limit: PRINT_JOBS_MAX })).filter((j) => j.reason === 'batch');
      jobs.forEach(seeJob);
      set((s) => {
        const batch = s.batches[eventId];
        if (batch && batch.total === null) return {};
        if (batch) {
          if (batch.minJobId === null) {
            // Just queued: the batch is the newest `count` batch jobs (and what pushes brought meanwhile).
            const taken = [...jobs].sort((a, b) => b.id - a.id).slice(0, count ?? batch.total ?? 0);
            const ids = [...taken.map((j) => j.id), ...Object.keys(batch.jobs).map(Number)];
            if (ids.length === 0) return {};
            const minJobId = taken.length >= (count ?? batch.total ?? 0) && taken.length > 0 ? Math.min(...taken.map((j) => j.id)) : Math.min(...ids);
            const next = { ...batch, minJobId, jobs: Object.fromEntries(Object.entries(batch.jobs).filter(([id]) => Number(id) >= minJobId)) };
            return { batches: { ...s.batches, [eventId]: { ...next, jobs: mergeBatchJobs(next, taken) } } };
          }
          return { batches: { ...s.batches, [eventId]: { ...batch, jobs: mergeBatchJobs(batch, jobs) } } };
        }
        // Opened later: a batch still printing is the batch jobs queued around the oldest unfinished one.
        const open = jobs.filter((j) => j.state === 'queued' || j.state === 'printing');
        if (open.length === 0) return {};
        const oldest = open.reduce((a, b) => (b.id < a.id ? b : a));
        const since = Date.parse(oldest.createdAt) - 5000;
        const members = jobs.filter((j) => j.id >= oldest.id || Date.parse(j.createdAt) >= since);
        const found: BatchProgress = { eventId, total: members.length, alreadyPrinted: 0, jobs: {}, minJobId: Math.min(...members.map((j) => j.id)) };
        return { batches: { ...s.batches, [eventId]: { ...found, jobs: mergeBatchJobs(found, members) } } };
      });
    });

  const removeBatch = (eventId: number) =>
    set((s) => {
      if (!s.batches[eventId]) return {};
      const batches = { ...s.batches };
      delete batches[eventId];
      return { batches };
    });

  const jobAction = async (run: () => Promise<PrintJob>, failure: string) => {
    try {
      receiveJob(await run());
    } catch (err) {
      get().toast(`${failure}: ${errorMessage(err)}`, 'error');
      void refreshQueueNow();
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
      case 'printJobChanged':
        receiveJob(message.payload.job);
        break;
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
      // Printing is beside the point of starting: the desk works while these load (or fail).
      void refreshPrintersNow();
      void refreshSummaryNow();
      const route = get().route;
      if (route.name === 'printQueue') void refreshQueueNow();
      if (route.name === 'settings') void refreshTemplatesNow();
      if (route.name === 'event') {
        openAttendees(route.eventId);
        openStats(route.eventId);
        void refreshBatch(route.eventId);
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
    settings: { stationName: '', pollIntervalMs: 30_000, printerId: null, autoPrint: false, adminLockMinutes: 5 },
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
    printers: null,
    templates: null,
    printSummary: null,
    printQueue: null,
    batches: {},

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
          if (stats) {
            void refreshStatsNow(stats.eventId);
            void refreshBatch(stats.eventId);
          }
          void refreshPrintersNow();
          void refreshSummaryNow();
          if (get().printQueue) void refreshQueueNow();
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
      if (route.name === 'printQueue') {
        if (!get().printQueue) set({ printQueue: { jobs: null, error: null } });
        void refreshQueueNow();
        void refreshSummaryNow();
      } else if (get().printQueue) {
        set({ printQueue: null });
      }
      if (route.name === 'settings') {
        void refreshPrintersNow();
        void refreshTemplatesNow();
      }
      if (route.name === 'event') {
        openAttendees(route.eventId);
        openStats(route.eventId);
        void refreshEventNow(route.eventId);
        void refreshBatch(route.eventId);
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

    refreshPrinters() {
      return refreshPrintersNow();
    },

    async addPrinter(name, config) {
      const printer = await guard(() => call('printers.add', { name, config }));
      set((s) => ({ printers: [...(s.printers ?? []).filter((p) => p.id !== printer.id), printer] }));
      void refreshPrintersNow();
      return printer;
    },

    async removePrinter(printerId) {
      await guard(() => call('printers.remove', { printerId }));
      set((s) => ({ printers: (s.printers ?? []).filter((p) => p.id !== printerId) }));
      void refreshPrintersNow();
      // The station may have printed on it: main clears that choice.
      if (get().settings.printerId === printerId) void refreshSnapshot();
    },

    async testPrinter(printerId) {
      const job = await guard(() => call('printers.test', { printerId }));
      receiveJob(job);
      return job;
    },

    systemPrinters() {
      return guard(() => call('printers.system', {}));
    },

    refreshTemplates() {
      return refreshTemplatesNow();
    },

    async saveTemplate(template) {
      const saved = await guard(() => call('templates.save', template));
      set((s) => {
        const list = s.templates ?? [];
        const index = list.findIndex((t) => t.id === saved.id);
        if (index < 0) return { templates: [...list, saved] };
        const templates = list.slice();
        templates[index] = saved;
        return { templates };
      });
      void refreshTemplatesNow();
      return saved;
    },

    async removeTemplate(templateId) {
      await guard(() => call('templates.remove', { templateId }));
      set((s) => ({ templates: (s.templates ?? []).filter((t) => t.id !== templateId) }));
      void refreshTemplatesNow();
    },

    previewBadge(input) {
      return call('badges.preview', input);
    },

    async attendeeAt(eventId, offset) {
      const page = await call('attendees.list', { eventId, offset, limit: 1 });
      return { attendee: page.rows[0] ?? null, total: page.total };
    },

    async knownTicketNames() {
      const names = new Set<string>();
      const answers = await Promise.all(get().events.slice(0, 20).map((e) => call('desk.stats', { eventId: e.id }).catch(() => null)));
      for (const stats of answers) for (const t of stats?.byTicket ?? []) if (t.ticketName) names.add(t.ticketName);
      return [...names].sort((a, b) => a.localeCompare(b));
    },

    async printBadge(attendee) {
      try {
        const job = await call('print.badge', { attendeeId: attendee.id });
        receiveJob(job);
        get().toast(`Printing badge of ${attendee.fullName} on ${job.printerName}`, 'success');
        return { kind: 'queued', job };
      } catch (err) {
        if (err instanceof BridgeError && err.code === 'CONFLICT') return { kind: 'already_printed', message: err.message };
        get().toast(`Could not print the badge of ${attendee.fullName}: ${errorMessage(err)}`, 'error');
        return { kind: 'failed' };
      }
    },

    async reprintBadge(attendee, note) {
      const job = await call('print.reprint', { attendeeId: attendee.id, note });
      receiveJob(job);
      get().toast(`Reprinting badge of ${attendee.fullName} on ${job.printerName}`, 'success');
      return job;
    },

    async printBatch(eventId, options) {
      // Followed from before the call: the jobs' "queued" pushes can arrive before the answer.
      set((s) => ({ batches: { ...s.batches, [eventId]: { eventId, total: null, alreadyPrinted: 0, jobs: {}, minJobId: null } } }));
      let result: { queued: number; alreadyPrinted: number };
      try {
        result = await guard(() => call('print.batch', { eventId, ...options }));
      } catch (err) {
        removeBatch(eventId);
        throw err;
      }
      if (result.queued === 0) {
        removeBatch(eventId);
      } else {
        set((s) => {
          const batch = s.batches[eventId];
          return batch ? { batches: { ...s.batches, [eventId]: { ...batch, total: result.queued, alreadyPrinted: result.alreadyPrinted } } } : {};
        });
        void refreshBatch(eventId, result.queued);
      }
      refreshSummarySoon();
      return result;
    },

    dismissBatch(eventId) {
      removeBatch(eventId);
    },

    retryPrintJob(job) {
      return jobAction(() => call('print.retry', { jobId: job.id }), 'Could not retry');
    },

    cancelPrintJob(job) {
      return jobAction(() => call('print.cancel', { jobId: job.id }), 'Could not cancel');
    },

    markPrintJobPrinted(job) {
      return jobAction(() => call('print.markPrinted', { jobId: job.id }), 'Could not mark it printed');
    },

    async refreshPrintQueue() {
      await Promise.all([refreshQueueNow(), refreshSummaryNow()]);
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
