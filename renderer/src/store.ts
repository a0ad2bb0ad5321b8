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
import { BridgeError, call, errorMessage, onReconnect, subscribe } from './bridge.ts';

export type SettingsSection = 'integrations' | 'station';

export type Route =
  | { name: 'events' }
  | { name: 'event'; eventId: number }
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
        break;
      }
      case 'attendeesChanged': {
        const { eventId } = message.payload;
        const cache = get().attendees;
        if (cache && cache.eventId === eventId) {
          set({ attendees: { ...cache, generation: cache.generation + 1 } });
          soon(`pages:${eventId}`, 250, () => refreshVisiblePages(eventId));
        }
        refreshEventSoon(eventId);
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
      if (route.name === 'event') openAttendees(route.eventId);
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
        void refreshEventNow(route.eventId);
      } else {
        visiblePages = { eventId: 0, pages: [] };
        set({ attendees: null });
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
  };
});

/** The event the route points at, if any. */
export function useCurrentEvent(): SyncedEvent | undefined {
  return useStore((s) => {
    const route = s.route;
    return route.name === 'event' ? s.events.find((e) => e.id === route.eventId) : undefined;
  });
}

export const isAdmin = (s: BadgeDeskState): boolean => s.session.role === 'admin';
