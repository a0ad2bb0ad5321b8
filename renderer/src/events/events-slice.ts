// Events and sync status: the event list with each event's running sync job, the Sync buttons'
// requests, importing and recovering events, and the event page's check-in statistics.
// Sync pushes (status changes, job progress, finished jobs) land here.
import type { ProviderEventOption } from '../../../shared/ipc-contract.ts';
import type { Integration, SyncedEvent, SyncJob } from '../../../shared/types.ts';
import type { CheckInStats } from '../../../shared/desk.ts';
import type { ForgetCheck, ForgetOutcome } from '../../../shared/forget.ts';
import type { ProviderClockCheck } from '../../../shared/station-clock.ts';
import { describeSyncStatus } from '../../../shared/sync-status.ts';
import { syncStartedText } from '../../../shared/venue-poller.ts';
import { errorMessage } from '../ui/format.ts';
import { BridgeError } from '../app/bridge.ts';
import { patchById, upsertById } from '../app/lists.ts';
import { Coalescer, Throttle } from '../app/scheduling.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export interface StatsEntry {
  eventId: number;
  data: CheckInStats | null;
  error: string | null;
}

export interface EventsSlice {
  events: SyncedEvent[];
  /** Events whose "Sync" click is on its way to main. */
  syncRequests: Record<number, true>;
  /** Check-in statistics of the event page's event. */
  stats: StatsEntry | null;
  /** This station's clock against each provider's (main compares them on every answer). */
  clockChecks: ProviderClockCheck[];

  listProviderEvents(integrationId: number): Promise<ProviderEventOption[]>;
  importEvent(integrationId: number, providerEventId: string): Promise<SyncedEvent>;
  recoveryOptions(eventId: number): Promise<Integration[]>;
  /** Runs the recovery the event's alert offers (retry / retryImport / reconnect) and toasts it. */
  recoverEvent(eventId: number, integrationId: number): Promise<void>;
  syncEvent(eventId: number): Promise<void>;
  refreshEvent(eventId: number): Promise<void>;
  /** What forgetting the event on this desk would remove and keep, and who holds its check-ins (admin). */
  forgetCheck(eventId: number): Promise<ForgetCheck>;
  /** The check-in log as CSV for the admin to keep before forgetting (admin). */
  exportBeforeForgetting(eventId: number): Promise<{ filename: string; csv: string }>;
  /** Forgets the event on this desk (admin); a refusal rejects with its reason. */
  forgetEvent(eventId: number): Promise<ForgetOutcome>;

  // For the other slices:
  /** A whole list of events from main (snapshot or list), merged with the job progress already shown. */
  applyEventList(list: SyncedEvent[]): void;
  /** Re-reads the event soon (throttled): after a check-in or a change of its attendees. */
  refreshEventSoon(eventId: number): void;
  /** Re-reads the statistics soon (throttled), if the event page shows them. */
  refreshStatsSoon(eventId: number): void;
  /** The desk recorded (+1) or undid (-1) a check-in: the count moves before the event is re-read. */
  adjustCheckedIn(eventId: number, delta: number): void;
}

const EVENT_REFRESH_MS = 700;
const STATS_REFRESH_MS = 500;

export const createEventsSlice: SliceCreator<EventsSlice> =
  ({ call, adminCall, timers, signals }) =>
  (set, get) => {
    const refreshes = new Coalescer();
    const throttle = new Throttle(timers);
    /** Jobs we know have finished: an older answer still showing them running is ignored. */
    const finishedJobs = new Set<number>();

    const mergeEvent = (current: SyncedEvent | undefined, fresh: SyncedEvent): SyncedEvent => {
      let activeJob = fresh.activeJob;
      // An answer read before a jobFinished we already applied: keep the finished job we hold
      // (the refresh that jobFinished triggered brings the settled state right after).
      if (activeJob && finishedJobs.has(activeJob.id))
        activeJob = current?.activeJob?.id === activeJob.id ? current.activeJob : null;
      // A progress push newer than this answer: keep the higher count.
      if (
        activeJob &&
        current?.activeJob &&
        current.activeJob.id === activeJob.id &&
        current.activeJob.fetched > activeJob.fetched
      ) {
        activeJob = {
          ...activeJob,
          fetched: current.activeJob.fetched,
          expectedTotal: current.activeJob.expectedTotal ?? activeJob.expectedTotal,
        };
      }
      return activeJob === fresh.activeJob ? fresh : { ...fresh, activeJob };
    };

    const upsertEvent = (fresh: SyncedEvent) =>
      set((s) => ({
        events: upsertById(
          s.events,
          mergeEvent(
            s.events.find((e) => e.id === fresh.id),
            fresh,
          ),
        ),
      }));

    /** A job main reports running: shown at once, unless its jobFinished came first. */
    const showRunningJob = (eventId: number, job: SyncJob) => {
      if (job.state !== 'running' || finishedJobs.has(job.id)) return;
      set((s) => ({ events: patchById(s.events, eventId, (e) => ({ ...e, activeJob: job })) }));
    };

    const refreshEvents = () =>
      refreshes.run('events', async () => {
        get().applyEventList(await call('events.list', {}));
      });

    const refreshEventNow = (eventId: number) =>
      refreshes.run(`event:${eventId}`, async () => {
        try {
          upsertEvent(await call('events.get', { eventId }));
        } catch (err) {
          if (err instanceof BridgeError && err.code === 'NOT_FOUND') {
            set((s) => ({ events: s.events.filter((e) => e.id !== eventId) }));
            return;
          }
          throw err;
        }
      });

    const refreshStatsNow = (eventId: number) =>
      refreshes.run(`stats:${eventId}`, async () => {
        if (get().stats?.eventId !== eventId) return;
        try {
          const data = await call('desk.stats', { eventId });
          set((s) => (s.stats?.eventId === eventId ? { stats: { eventId, data, error: null } } : {}));
        } catch (err) {
          set((s) =>
            s.stats?.eventId === eventId ? { stats: { ...s.stats, error: errorMessage(err) } } : {},
          );
          throw err;
        }
      });

    const openStats = (eventId: number) => {
      if (get().stats?.eventId !== eventId) set({ stats: { eventId, data: null, error: null } });
      void refreshStatsNow(eventId);
    };

    signals.onPush('statusChanged', ({ eventId }) => void refreshEventNow(eventId));
    signals.onPush('jobProgress', ({ eventId, job }) => {
      showRunningJob(eventId, job);
      get().refreshEventSoon(eventId);
    });
    signals.onPush('jobFinished', ({ eventId, job }) => {
      finishedJobs.add(job.id);
      // Main announces jobFinished before the status moves on (PENDING -> ACTIVE, -> DISCONNECTED, …).
      // Dropping the job here would show "PENDING, no job" (Import failed) for a moment; instead
      // hold the finished job until the refresh brings the settled event (activeJob null).
      set((s) => ({
        events: patchById(s.events, eventId, (e) =>
          e.activeJob && e.activeJob.id === job.id ? { ...e, activeJob: job } : e,
        ),
      }));
      void refreshEventNow(eventId);
      get().refreshStatsSoon(eventId);
    });
    for (const event of ['attendeesChanged', 'checkinsChanged'] as const) {
      signals.onPush(event, ({ eventId }) => {
        get().refreshEventSoon(eventId);
        get().refreshStatsSoon(eventId);
      });
    }
    signals.onPush('eventAdded', () => void refreshEvents());
    // Sync data that changed without a status change: the next attempt, a repair, an internal error.
    signals.onPush('syncChanged', ({ eventId }) => void refreshEventNow(eventId));
    signals.onPush('eventForgotten', ({ eventId }) => {
      void refreshEventNow(eventId);
      get().refreshStatsSoon(eventId);
    });

    const refreshClockChecks = () =>
      refreshes.run('clockChecks', async () => {
        set({ clockChecks: await call('sync.clockChecks', {}) });
      });
    signals.onPush('clockChecked', () => void refreshClockChecks());
    signals.onReconnect(() => {
      const stats = get().stats;
      if (stats) void refreshStatsNow(stats.eventId);
      void refreshClockChecks();
    });
    signals.onRoute((route, cause) => {
      if (cause === 'load') void refreshClockChecks();
      if (route.name === 'event') openStats(route.eventId);
      else if (cause === 'navigate') set({ stats: null });
      // The snapshot just brought every event; a navigation re-reads the one it opens.
      if (cause === 'navigate' && (route.name === 'event' || route.name === 'desk'))
        void refreshEventNow(route.eventId);
    });

    return {
      events: [],
      syncRequests: {},
      stats: null,
      clockChecks: [],

      listProviderEvents(integrationId) {
        return adminCall('events.providerList', { integrationId });
      },

      async importEvent(integrationId, providerEventId) {
        const event = await adminCall('events.import', { integrationId, providerEventId });
        upsertEvent(event);
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
            job = await adminCall('events.reconnect', { eventId, integrationId });
            break;
          case 'retry':
            job = await adminCall('events.retry', { eventId });
            break;
          case 'retryImport':
            job = await adminCall('events.retryImport', { eventId });
            break;
        }
        showRunningJob(eventId, job);
        if (view.toast) get().toast(view.toast, 'success');
        void refreshEventNow(eventId);
      },

      async syncEvent(eventId) {
        if (get().syncRequests[eventId]) return;
        set((s) => ({ syncRequests: { ...s.syncRequests, [eventId]: true } }));
        try {
          const started = await call('events.sync', { eventId });
          // Asked of the desk that polls the event: its job runs there, and its rows arrive from it.
          if (started.ranBy === 'poller') get().toast(syncStartedText(started), 'success');
          else showRunningJob(eventId, started.job);
        } catch (err) {
          get().toast(`Sync did not start: ${errorMessage(err)}`, 'error');
        } finally {
          set((s) => {
            const syncRequests = { ...s.syncRequests };
            delete syncRequests[eventId];
            return { syncRequests };
          });
          void refreshEventNow(eventId);
          get().refreshStatsSoon(eventId);
        }
      },

      refreshEvent(eventId) {
        return refreshEventNow(eventId);
      },

      forgetCheck(eventId) {
        return adminCall('forget.check', { eventId });
      },

      exportBeforeForgetting(eventId) {
        return adminCall('forget.exportCheckIns', { eventId });
      },

      async forgetEvent(eventId) {
        const outcome = await adminCall('forget.event', { eventId });
        void refreshEventNow(eventId);
        return outcome;
      },

      applyEventList(list) {
        set((s) => ({
          events: list.map((e) =>
            mergeEvent(
              s.events.find((c) => c.id === e.id),
              e,
            ),
          ),
        }));
      },

      refreshEventSoon(eventId) {
        throttle.soon(`event:${eventId}`, EVENT_REFRESH_MS, () => void refreshEventNow(eventId));
      },

      refreshStatsSoon(eventId) {
        if (get().stats?.eventId !== eventId) return;
        throttle.soon(`stats:${eventId}`, STATS_REFRESH_MS, () => void refreshStatsNow(eventId));
      },

      adjustCheckedIn(eventId, delta) {
        set((s) => ({
          events: patchById(s.events, eventId, (e) => ({
            ...e,
            counts: { ...e.counts, checkedIn: Math.max(0, e.counts.checkedIn + delta) },
          })),
        }));
      },
    };
  };
