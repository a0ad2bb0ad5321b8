// Session and settings: loading the app's snapshot, where the window is (the route), who is
// signed in (the admin lock), the station's settings and the connected accounts. It also starts
// the store: it subscribes to the bridge and hands each push, route change and reconnect to the
// slices through the kit's signals.
import type { AppSnapshot, DemoInfo, SessionInfo, StationSettings } from '../../../shared/ipc-contract.ts';
import type { Integration, ProviderKind } from '../../../shared/types.ts';
import { errorMessage } from '../ui/format.ts';
import { upsertById } from './lists.ts';
import { Coalescer, type TimerHandle } from './scheduling.ts';
import type { SliceCreator } from './store-kit.ts';

export type SettingsSection = 'integrations' | 'station' | 'venue';

export type Route =
  | { name: 'events' }
  | { name: 'event'; eventId: number }
  | { name: 'desk'; eventId: number }
  | { name: 'settings'; section: SettingsSection | null }
  | { name: 'printQueue' };

export interface SessionSlice {
  phase: 'loading' | 'ready' | 'error';
  loadError: string | null;
  route: Route;
  session: SessionInfo;
  settings: StationSettings;
  integrations: Integration[];
  demo: DemoInfo;
  credentialsEncrypted: boolean;
  host: 'electron' | 'browser';

  /** Subscribes to pushes and loads the snapshot; call once, when the window opens. */
  start(): Promise<void>;
  reload(): Promise<void>;
  navigate(route: Route): void;
  /** Re-reads the whole snapshot (coalesced): after pushes that change accounts, or a refused admin call. */
  refreshSnapshot(): Promise<void>;

  unlock(pin: string): Promise<void>;
  lock(): Promise<void>;
  setPin(pin: string, currentPin?: string): Promise<void>;
  updateSettings(patch: Partial<StationSettings>): Promise<void>;

  connectIntegration(provider: ProviderKind, credential: string): Promise<Integration>;
  startOAuth(): Promise<string>;
  removeIntegration(integrationId: number): Promise<void>;
  startDemo(): Promise<void>;
}

/** setTimeout's longest delay (about 24.8 days); a later admin lock is checked then. */
const MAX_TIMER_MS = 2_147_000_000;

export const createSessionSlice: SliceCreator<SessionSlice> =
  ({ bridge, call, adminCall, timers, signals, emit }) =>
  (set, get) => {
    const refreshes = new Coalescer();
    let adminLockTimer: TimerHandle | null = null;
    let unsubscribers: (() => void)[] = [];
    /** A push arrived while the snapshot was on its way: the snapshot may predate it. */
    let pushDuringLoad = false;

    const applySession = (session: SessionInfo) => {
      set({ session });
      if (adminLockTimer !== null) {
        timers.clearTimeout(adminLockTimer);
        adminLockTimer = null;
      }
      if (session.role === 'admin' && session.adminUntil) {
        // When the admin lock is due, ask main where we stand (it may not push on a timer).
        const due = Date.parse(session.adminUntil) - timers.now();
        if (Number.isFinite(due)) {
          adminLockTimer = timers.setTimeout(
            () => void get().refreshSnapshot(),
            Math.min(Math.max(due + 1000, 1000), MAX_TIMER_MS),
          );
        }
      }
    };

    const applySnapshot = (snapshot: AppSnapshot) => {
      get().applyEventList(snapshot.events);
      set({
        phase: 'ready',
        loadError: null,
        settings: snapshot.settings,
        integrations: snapshot.integrations,
        demo: snapshot.demo,
        credentialsEncrypted: snapshot.credentialsEncrypted,
        host: snapshot.host,
      });
      applySession(snapshot.session);
    };

    const load = async () => {
      pushDuringLoad = false;
      try {
        applySnapshot(await call('app.snapshot', {}));
        if (pushDuringLoad) {
          pushDuringLoad = false;
          void get().refreshSnapshot();
        }
        emit.route(get().route, 'load');
      } catch (err) {
        set({ phase: 'error', loadError: errorMessage(err) });
      }
    };

    signals.onPush('integrationChanged', () => void get().refreshSnapshot());
    signals.onPush('sessionChanged', applySession);
    signals.onReconnect(() => void get().refreshSnapshot());

    return {
      phase: 'loading',
      loadError: null,
      route: { name: 'events' },
      session: { role: 'operator', pinSet: true, adminUntil: null },
      // Placeholder until the snapshot arrives (nothing renders it before then).
      settings: {
        stationName: '',
        pollIntervalMs: 30_000,
        printerId: null,
        autoPrint: false,
        adminLockMinutes: 5,
      },
      integrations: [],
      demo: { available: false, running: false },
      credentialsEncrypted: true,
      host: 'browser',

      async start() {
        for (const off of unsubscribers) off();
        unsubscribers = [
          bridge.subscribe((message) => {
            if (get().phase !== 'ready') pushDuringLoad = true;
            emit.push(message);
          }),
          bridge.onReconnect(() => emit.reconnect()),
        ];
        await load();
      },

      async reload() {
        set({ phase: 'loading', loadError: null });
        await load();
      },

      navigate(route) {
        set({ route });
        emit.route(route, 'navigate');
      },

      refreshSnapshot: () =>
        refreshes.run('snapshot', async () => {
          applySnapshot(await call('app.snapshot', {}));
        }),

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
        set({ settings: await adminCall('settings.update', patch) });
      },

      async connectIntegration(provider, credential) {
        const integration = await adminCall('integrations.connect', { provider, credential });
        set((s) => ({ integrations: upsertById(s.integrations, integration) }));
        void get().refreshSnapshot();
        return integration;
      },

      async startOAuth() {
        const { authorizeUrl } = await adminCall('integrations.startOAuth', { provider: 'eventbrite' });
        return authorizeUrl;
      },

      async removeIntegration(integrationId) {
        await adminCall('integrations.remove', { integrationId });
        set((s) => ({ integrations: s.integrations.filter((i) => i.id !== integrationId) }));
        void get().refreshSnapshot();
      },

      async startDemo() {
        applySnapshot(await call('demo.start', {}));
      },
    };
  };
