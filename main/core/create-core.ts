// The composition function: builds the whole core from its dependencies. The Electron shell,
// the browser host, tests and benchmarks all call this with their own parts.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openMirror } from '../db/recovery.ts';
import { salvageDatabase } from '../db/salvage.ts';
import { SalvageStore } from '../db/salvage-store.ts';
import { StorageHealth, type StorageHealthOptions } from '../db/storage-health.ts';
import { WalCheckpointer } from '../db/wal-checkpointer.ts';
import { storageErrorCode } from '../db/storage-errors.ts';
import { MirrorStore, type StoredEvent } from '../db/store.ts';
import { DeskStore } from '../db/desk-store.ts';
import { Desk } from '../desk/desk.ts';
import { AttendeeList, type AttendeeListPage } from '../desk/attendee-list.ts';
import { AttendeeListStore } from '../db/attendee-list-store.ts';
import { PrintStore } from '../db/print-store.ts';
import { Printing } from '../printing/printing.ts';
import type { OsPrinting } from '../printing/drivers.ts';
import { VenueReplica } from '../venue/replica/replica.ts';
import { SqliteDocumentPersistence } from '../venue/replica/persistence.ts';
import { VenueNetwork, type VenueNetParts } from '../venue/net/venue-network.ts';
import type { VenueStatus } from '../../shared/venue-desks.ts';
import { parsePollKey, pollKey, type SyncStarted } from '../../shared/venue-poller.ts';
import { systemClock, isoTime, type Clock } from '../ground/clock.ts';
import { CoreEvents } from '../ground/events.ts';
import type { SecretStore } from '../ground/secrets.ts';
import { StatusMachine } from '../sync/status-machine.ts';
import { SyncEngine, DEFAULT_SYNC_OPTIONS, describeError, type SyncEngineOptions } from '../sync/engine.ts';
import { ClockWatch } from '../sync/clock-watch.ts';
import { createProviderClient, resolveBaseUrl } from '../providers/index.ts';
import { RateLimiter } from '../providers/rate-limiter.ts';
import {
  DEFAULT_RATE_BUDGETS,
  isProviderError,
  type ProviderClient,
  type ProviderEvent,
  type RateBudget,
} from '../providers/types.ts';
import { AppError } from '../../shared/errors.ts';
import type { AttendeeListQuery } from '../../shared/attendee-list.ts';
import type { Actor, Attendee, Integration, ProviderKind, StatusTransition, SyncedEvent, SyncJob, SyncRepair } from '../../shared/types.ts';
import { exportClockNote, type ProviderClockCheck } from '../../shared/station-clock.ts';
import type { DamagedDatabaseNotice, SalvagedCheckIn, StorageStatus } from '../../shared/storage.ts';

export interface CoreDeps {
  /** Folder for the database (and, later, print output). */
  dataDir: string;
  secretStore: SecretStore;
  clock?: Clock;
  /** Provider base URLs; defaults come from the environment, then the real APIs. */
  providerBaseUrls?: Partial<Record<ProviderKind, string>>;
  rateBudgets?: Partial<Record<ProviderKind, RateBudget>>;
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRateLimitWaitMs?: number };
  sync?: Partial<SyncEngineOptions>;
  /** Path of a better-sqlite3 native module built for this runtime (Electron in development). */
  sqliteNativeBinding?: string | undefined;
  /** Start polling ACTIVE events at once (the app does; tests drive passes by hand). */
  liveSync?: boolean;
  /** The OS printers (the Electron shell gives them; elsewhere system printers are unavailable). */
  osPrinting?: OsPrinting | undefined;
  /** The station's printer and auto-print choice (settings live in the app host). */
  stationPrinting?: () => { printerId: number | null; autoPrint: boolean };
  /** The free-space warning's threshold and how free space is read (tests inject both). */
  storage?: Pick<StorageHealthOptions, 'lowSpaceBytes' | 'intervalMs' | 'failingIntervalMs' | 'freeBytes'>;
  /** Where WAL checkpoints run: a worker thread (default), or SQLite's own in the commits. */
  walCheckpoints?: 'worker' | 'on commit';
  /**
   * The venue's network parts (main/venue/net: the desk's name, discovery, the address to listen
   * on, limits). Without them the desk works alone and the venue actions answer INVALID_STATE.
   */
  venueNet?: VenueNetParts;
  /** This station's name (its settings), as the sync status it shares with the venue names it. */
  stationName?: () => string;
  /** Observes every provider request (benchmarks count them). */
  onProviderRequest?: (r: { provider: ProviderKind; url: string; status: number | null }) => void;
}

export type BadgeDeskCore = ReturnType<typeof createCore>;

/** The window with the lowest average rate: what pacing plans against, and what an ETA names. */
function tightestWindow(budget: RateBudget): { limit: number; windowMs: number } {
  const w = budget.windows.reduce((a, b) => (b.limit / b.windowMs < a.limit / a.windowMs ? b : a));
  return { limit: w.limit, windowMs: w.windowMs };
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'only a workspace admin may do this');
}

export function createCore(deps: CoreDeps) {
  const clock = deps.clock ?? systemClock;
  const now = () => isoTime(clock.now());
  const dbPath = join(deps.dataDir, 'badge-desk.sqlite');
  const checkpoints = deps.walCheckpoints ?? 'worker';
  const { db, setAside } = openMirror(dbPath, { nativeBinding: deps.sqliteNativeBinding, checkpoints, now });
  const store = new MirrorStore(db);
  const events = new CoreEvents();
  const salvageStore = new SalvageStore(db);
  if (setAside) recoverFromDamaged(setAside);
  // A database opened read-only (a read-only folder) has nothing to checkpoint.
  const checkpointer = checkpoints === 'worker' && !db.readonly ? new WalCheckpointer(db, dbPath, { nativeBinding: deps.sqliteNativeBinding }) : null;
  const storage = new StorageHealth({
    dataDir: deps.dataDir,
    dbPath,
    db,
    now,
    onChange: (s) => events.emit('storageChanged', s),
    ...deps.storage,
  });
  storage.start();

  /**
   * A damaged file was set aside: read back what still reads, offer its check-ins, and restore
   * the integrations whose credential this station still holds (credentials live outside the
   * database), so the admin's way back is one re-import per event.
   */
  function recoverFromDamaged(aside: NonNullable<typeof setAside>): void {
    const salvaged = salvageDatabase(aside.file, { nativeBinding: deps.sqliteNativeBinding });
    let restored = 0;
    for (const i of salvaged.integrations) {
      if (deps.secretStore.get(i.secretRef) === null) continue;
      store.upsertIntegration({ ...i, now: now() });
      restored++;
    }
    salvageStore.recordDamaged(aside, salvaged, restored);
  }

  /** Accepted salvaged check-ins whose attendees exist (again) go into the log. */
  function applySalvaged(): void {
    const applied = salvageStore.applyWaiting(deskStore.venue);
    for (const [eventId, { attendeeIds, actionIds }] of applied.byEvent) {
      venue.publishCheckIns(eventId, actionIds);
      events.emit('checkinsChanged', { eventId, attendeeIds });
    }
  }
  events.on('jobFinished', () => tolerateStorage(applySalvaged));

  /**
   * Housekeeping writes (at start-up, after a job) that must not stop the app when the folder
   * refuses writes: the desk still searches and shows who is checked in, and the banner says
   * check-ins are not being saved. Any other failure goes up as before.
   */
  function tolerateStorage(write: () => void): void {
    try {
      write();
    } catch (err) {
      if (!storageErrorCode(err)) throw err;
      storage.failed(err);
    }
  }
  const status = new StatusMachine(store, clock, events);
  const budgets: Record<ProviderKind, RateBudget> = { ...DEFAULT_RATE_BUDGETS, ...deps.rateBudgets };
  let baseUrls: Record<ProviderKind, string> = {
    eventbrite: deps.providerBaseUrls?.eventbrite ?? resolveBaseUrl('eventbrite'),
    luma: deps.providerBaseUrls?.luma ?? resolveBaseUrl('luma'),
  };

  // Whatever was "running" belonged to a process that is gone.
  tolerateStorage(() => store.abandonRunningJobs(now()));

  // One limiter per credential: the import and the live polls of one account share its budget.
  const limiters = new Map<string, RateLimiter>();
  const clients = new Map<number, { secretRef: string; client: ProviderClient; limiter: RateLimiter }>();
  const clockWatch = new ClockWatch(events);

  function makeClient(provider: ProviderKind, credential: string): { client: ProviderClient; limiter: RateLimiter } {
    // Keyed by a digest of the credential: the budget belongs to the token, whoever uses it.
    const limiterKey = `${provider}:${createHash('sha256').update(credential).digest('hex')}`;
    let limiter = limiters.get(limiterKey);
    if (!limiter) {
      limiter = new RateLimiter(budgets[provider], clock);
      limiters.set(limiterKey, limiter);
    }
    const client = createProviderClient(provider, {
      baseUrl: baseUrls[provider],
      credential,
      clock,
      limiter,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.requestTimeoutMs ? { timeoutMs: deps.requestTimeoutMs } : {}),
      ...(deps.retry ? { retry: deps.retry } : {}),
      onRequest: (r) => {
        clockWatch.observe(provider, r);
        deps.onProviderRequest?.({ provider, url: r.url, status: r.status });
      },
    });
    return { client, limiter };
  }

  function clientFor(integrationId: number): ProviderClient {
    const integration = store.getIntegration(integrationId);
    if (!integration) throw new AppError('NOT_FOUND', `integration ${integrationId} does not exist`);
    const cached = clients.get(integrationId);
    if (cached && cached.secretRef === integration.secretRef) return cached.client;
    const credential = deps.secretStore.get(integration.secretRef);
    if (credential === null) throw new AppError('CREDENTIAL_REJECTED', 'the credential of this integration is missing; connect it again');
    const made = makeClient(integration.provider, credential);
    clients.set(integrationId, { secretRef: integration.secretRef, ...made });
    return made.client;
  }

  /** The engine's timing beside what the mirror holds: what the event page shows. */
  function withTiming(event: StoredEvent): SyncedEvent {
    return { ...event, nextAttemptAt: engine.nextAttemptAt(event.id), importEta: engine.importEta(event.id), syncVia: venue.syncSource(event.id) };
  }

  function markIntegrationDisconnected(integrationId: number, reason: string): void {
    const integration = store.getIntegration(integrationId);
    if (!integration || integration.status === 'DISCONNECTED') return;
    store.setIntegrationStatus(integrationId, 'DISCONNECTED', reason, now());
    events.emit('integrationChanged', { integrationId, status: 'DISCONNECTED', reason });
    engine.disconnectIntegrationEvents(integrationId, reason);
  }

  // Set once the venue exists (below): until then, and with no venue, this desk polls alone.
  let pollElection: ((eventId: number) => boolean) | null = null;
  const engine: SyncEngine = new SyncEngine({
    store,
    clock,
    events,
    status,
    clientFor,
    budgetFor: (integrationId) => tightestWindow(budgets[store.getIntegration(integrationId)?.provider ?? 'eventbrite']),
    providerPausedUntil: (integrationId) => clients.get(integrationId)?.limiter.pausedUntil ?? 0,
    estimateRequestsDoneAt: (integrationId, count) => {
      const entry = clients.get(integrationId);
      if (!entry) return null;
      return { at: entry.limiter.estimateGrantsDoneAt(count, 'bulk'), window: tightestWindow(budgets[entry.client.kind]) };
    },
    onCredentialRejected: markIntegrationDisconnected,
    mayPoll: (eventId) => pollElection?.(eventId) ?? true,
    options: { ...DEFAULT_SYNC_OPTIONS, ...deps.sync },
  });

  function toProviderAppError(err: unknown): AppError {
    if (err instanceof AppError) return err;
    if (isProviderError(err)) {
      if (err.kind === 'credential') return new AppError('CREDENTIAL_REJECTED', err.message);
      if (err.kind === 'bad_response') return new AppError('PROVIDER_BAD_RESPONSE', err.message);
      if (err.kind === 'not_found') return new AppError('NOT_FOUND', err.message);
      if (err.kind === 'forbidden') return new AppError('FORBIDDEN', err.message);
      return new AppError('PROVIDER_UNAVAILABLE', err.message);
    }
    return new AppError('INTERNAL', describeError(err));
  }

  function requireDamaged(damagedId: number): void {
    if (!salvageStore.exists(damagedId)) throw new AppError('NOT_FOUND', `no damaged database ${damagedId}`);
  }

  function requireEvent(eventId: number): SyncedEvent {
    const event = store.getEvent(eventId);
    if (!event) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
    return withTiming(event);
  }

  /** The event's integration on this station; an event the venue mirrors here has none. */
  function requireOwnAccount(event: SyncedEvent): number {
    if (event.integrationId === null) {
      throw new AppError('INVALID_STATE', 'this desk holds no account for this event: the venue syncs it; connect an account here with Reconnect');
    }
    return event.integrationId;
  }

  function requireConnected(integrationId: number): Integration {
    const integration = store.getIntegration(integrationId);
    if (!integration) throw new AppError('NOT_FOUND', `integration ${integrationId} does not exist`);
    if (integration.status !== 'CONNECTED') throw new AppError('INVALID_STATE', 'this integration is disconnected; connect it again first');
    return integration;
  }

  // The desk checks only that the event exists: requireEvent also counts attendees, which the
  // desk's hot path (a check-in per person in the queue) must not pay for.
  const requireEventName = (eventId: number) => {
    const name = store.eventName(eventId);
    if (name === undefined) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
    return { id: eventId, name };
  };
  const printing = new Printing({
    store,
    printStore: new PrintStore(db),
    clock,
    events,
    os: deps.osPrinting,
    stationPrinting: deps.stationPrinting ?? (() => ({ printerId: null, autoPrint: false })),
    venuePrintOf: (attendeeId) => venue.priorPrint(attendeeId),
  });
  tolerateStorage(() => printing.start());
  const deskStore = new DeskStore(db);
  // The venue's read model: always on, so local actions are venue entries from the start and go
  // into the event's document once the network half attaches one (venue.replica.connect).
  const venue = new VenueReplica({ store, venueStore: deskStore.venue, clock, events, isPoller: (eventId) => store.eventHasIntegration(eventId) && (pollElection?.(eventId) ?? true), stationName: () => deps.stationName?.() ?? deps.venueNet?.station.get() ?? 'Desk' });
  const venuePersistence = new SqliteDocumentPersistence(deskStore.venue, clock);
  events.on('printJobChanged', ({ job }) => venue.recordPrinted(job));
  events.on('attendeesChanged', ({ eventId, attendeeIds }) => {
    venue.attendeesArrived(eventId);
    // The poller's sync changed these rows: the venue's desks without an account get them.
    venue.publishRoster(eventId, attendeeIds);
  });
  // The poller's sync status and the event's details, for "Syncing via Desk 1" elsewhere.
  const publishSyncSource = ({ eventId }: { eventId: number }) => venue.publishEvent(eventId);
  events.on('statusChanged', publishSyncSource);
  events.on('syncChanged', publishSyncSource);
  events.on('jobFinished', publishSyncSource);
  for (const e of deskStore.venue.eventKeys()) venue.attendeesArrived(e.eventId);
  // The network half serves the documents; the data half follows whichever venue it is in.
  const venueNet = deps.venueNet
    ? new VenueNetwork({ ...deps.venueNet, stationId: venue.stationId, dataDir: deps.dataDir, secretStore: deps.secretStore, clock, persistence: venuePersistence })
    : null;
  let replicaLink: { venueId: string; close: () => Promise<void> } | null = null;
  let venueFollow: Promise<void> = Promise.resolve();
  const followVenue = (): Promise<void> => {
    venueFollow = venueFollow.then(async () => {
      const venueId = venueNet?.venueId ?? null;
      if (replicaLink?.venueId === venueId) return;
      await replicaLink?.close();
      replicaLink = venueNet && venueId ? { venueId, close: await venue.connect(venueNet, venueId) } : null;
    });
    return venueFollow;
  };
  let lastVenueSignal = 0;
  venueNet?.onChange(() => {
    void followVenue();
    // Presence renews every few seconds on every desk: the panel is told at most twice a second.
    const t = Date.now();
    if (t - lastVenueSignal < 500) return;
    lastVenueSignal = t;
    events.emit('venueDesksChanged', { venueId: venueNet.venueId });
  });
  const venueReady = venueNet ? venueNet.start().then(followVenue) : Promise.resolve();
  function requireVenueNet(): VenueNetwork {
    if (!venueNet) throw new AppError('INVALID_STATE', 'the venue network is not available on this host');
    return venueNet;
  }
  async function venueAction(actor: Actor, action: (net: VenueNetwork) => Promise<VenueStatus> | VenueStatus): Promise<VenueStatus> {
    requireAdmin(actor);
    const net = requireVenueNet();
    await venueReady;
    const status = await action(net);
    await followVenue();
    events.emit('venueDesksChanged', { venueId: net.venueId });
    return status;
  }

  // ---- one poller per event (issue 17; the rule: shared/venue-poller.ts) ----
  /** This desk could poll the event: its credential is CONNECTED and the event ACTIVE or FAILED. */
  const canPoll = (eventId: number): boolean => {
    const s = store.eventSyncState(eventId);
    return !!s && (s.status === 'ACTIVE' || s.status === 'FAILED') && store.getIntegration(s.integrationId)?.status === 'CONNECTED';
  };
  /** The venue's poller of the event when it is another desk; null: this one, or no venue. */
  const otherPoller = (provider: ProviderKind, providerEventId: string): { stationId: string; deskName: string } | null => {
    const poller = venueNet?.venueId ? venueNet.pollerOf(pollKey(provider, providerEventId)) : null;
    return poller && poller.stationId !== venueNet!.stationId ? poller : null;
  };
  if (venueNet) {
    // Presence says which events this desk could poll; the set changes only with a status or a credential.
    const renewPolls = () => {
      const ids = [...store.eventIdsWithStatus('ACTIVE'), ...store.eventIdsWithStatus('FAILED')].filter(canPoll);
      venueNet.setPolls(ids.map((id) => store.eventSyncState(id)!).map((s) => pollKey(s.provider, s.providerEventId)));
    };
    events.on('statusChanged', renewPolls);
    events.on('integrationChanged', renewPolls);
    renewPolls();
    pollElection = (eventId) => {
      const s = store.eventSyncState(eventId);
      return !s || otherPoller(s.provider, s.providerEventId) === null;
    };
    // A takeover (or a handover) changes who shares the event's status and roster: announced once.
    const polling = new Map<number, boolean>();
    venueNet.onChange(() => {
      for (const id of [...store.eventIdsWithStatus('ACTIVE'), ...store.eventIdsWithStatus('FAILED'), ...store.eventIdsWithStatus('DISCONNECTED')]) {
        const now = pollElection!(id);
        if (polling.get(id) !== undefined && polling.get(id) !== now) events.emit('syncChanged', { eventId: id });
        polling.set(id, now);
      }
    });
    // Another desk's manual Sync of an event this desk polls: the hard pull, run here.
    venueNet.onSyncRequest((eventKey) => {
      const ref = parsePollKey(eventKey);
      const eventId = ref ? store.findEventByProviderId(ref.provider, ref.providerEventId) : undefined;
      const here = venueNet.status().thisDesk.name;
      if (eventId === undefined) return { outcome: 'refused', reason: `${here} does not have this event` };
      if (!canPoll(eventId)) return { outcome: 'refused', reason: `${here} cannot sync this event now (no working account for it there, or the event is not syncing)` };
      core.syncNow({ role: 'operator', name: 'venue' }, eventId);
      return { outcome: 'started' };
    });
  }
  /** The manual Sync: asked of the poller when another desk polls the event; else run here. */
  async function requestSync(actor: Actor, eventId: number): Promise<SyncStarted> {
    const event = requireEvent(eventId);
    const poller = otherPoller(event.provider, event.providerEventId);
    if (poller) {
      const answer = await venueNet!.askSync(poller.stationId, pollKey(event.provider, event.providerEventId));
      if (answer?.outcome === 'started') return { ranBy: 'poller', deskName: poller.deskName, stationId: poller.stationId };
      if (answer?.outcome === 'refused') throw new AppError('CONFLICT', `${poller.deskName} did not start the sync: ${answer.reason}`);
      if (!canPoll(eventId)) {
        throw new AppError('PROVIDER_UNAVAILABLE', `${poller.deskName} syncs this event and did not answer; this desk holds no working account for it`);
      }
    } else if (event.integrationId === null) {
      throw new AppError('INVALID_STATE', 'no desk that syncs this event is online, and this desk holds no account for it: connect an account here with Reconnect');
    }
    return { ranBy: 'this-desk', job: core.syncNow(actor, eventId) };
  }

  const desk = new Desk({
    store,
    deskStore,
    storage,
    clock,
    events,
    requireEvent: requireEventName,
    onCheckedIn: (actor, attendee) => printing.onCheckedIn(actor, attendee),
    onRecorded: (eventId, actionIds) => venue.publishCheckIns(eventId, actionIds),
    priorPrintOf: (attendeeId) => venue.priorPrint(attendeeId),
    checkedInByDesk: (eventId) => deskStore.venue.checkedInByDesk(eventId),
    onCheckInUndone: (attendee) => printing.onCheckInUndone(attendee),
    clockNote: () => exportClockNote(clockWatch.current()),
  });

  const attendeeList = new AttendeeList({ listStore: new AttendeeListStore(db), events });

  const core = {
    events,
    /** Search, check-in, undo, statistics, export: local only, never waits on a provider. */
    desk,
    /** Templates, printers, the print queue. */
    printing,
    /**
     * The venue's data half: `replica` (attach/connect documents, conflicts, refusals) and
     * `persistence` (the documents' state in this station's SQLite, for the network half).
     */
    venue: { replica: venue, persistence: venuePersistence, net: venueNet, ready: venueReady },
    clock,
    /** Exposed for tests, benchmarks and later desk modules in the core; never over IPC. */
    store,
    engine,

    // ---- integrations ----

    listIntegrations(): Integration[] {
      return store.listIntegrations();
    },

    /** Verifies the credential with the provider's who-am-I, then stores it (secret store) and the account. */
    async connectIntegration(actor: Actor, provider: ProviderKind, credential: string): Promise<Integration> {
      requireAdmin(actor);
      const trimmed = credential.trim();
      if (!trimmed) throw new AppError('INVALID_INPUT', 'the token or key is empty');
      const probe = makeClient(provider, trimmed).client;
      let account;
      try {
        account = await probe.whoAmI();
      } catch (err) {
        throw toProviderAppError(err);
      }
      const secretRef = `integration:${provider}:${account.accountId}`;
      deps.secretStore.set(secretRef, trimmed);
      const integration = store.upsertIntegration({
        provider,
        accountId: account.accountId,
        accountEmail: account.email,
        accountName: account.name,
        secretRef,
        now: now(),
      });
      clients.delete(integration.id);
      events.emit('integrationChanged', { integrationId: integration.id, status: 'CONNECTED', reason: null });
      return integration;
    },

    removeIntegration(actor: Actor, integrationId: number): void {
      requireAdmin(actor);
      const integration = store.getIntegration(integrationId);
      if (!integration) throw new AppError('NOT_FOUND', `integration ${integrationId} does not exist`);
      if (store.countEventsOfIntegration(integrationId) > 0) {
        throw new AppError('CONFLICT', 'events still sync through this integration; reconnect them to another account first');
      }
      store.deleteIntegration(integrationId);
      deps.secretStore.delete(integration.secretRef);
      clients.delete(integrationId);
    },

    async listProviderEvents(actor: Actor, integrationId: number): Promise<(ProviderEvent & { alreadyAdded: boolean })[]> {
      requireAdmin(actor);
      const integration = requireConnected(integrationId);
      try {
        const list = await clientFor(integrationId).listEvents();
        return list.map((e) => ({ ...e, alreadyAdded: store.findEventByProviderId(integration.provider, e.providerEventId) !== undefined }));
      } catch (err) {
        if (isProviderError(err) && err.kind === 'credential') markIntegrationDisconnected(integrationId, err.message);
        throw toProviderAppError(err);
      }
    },

    /** Adds the provider's event (once) and starts its import in the background. */
    async importEvent(actor: Actor, integrationId: number, providerEventId: string): Promise<SyncedEvent> {
      requireAdmin(actor);
      const integration = requireConnected(integrationId);
      if (store.findEventByProviderId(integration.provider, providerEventId) !== undefined) {
        throw new AppError('CONFLICT', 'this event is already added');
      }
      let details: ProviderEvent;
      try {
        details = await clientFor(integrationId).getEvent(providerEventId);
      } catch (err) {
        if (isProviderError(err) && err.kind === 'credential') markIntegrationDisconnected(integrationId, err.message);
        throw toProviderAppError(err);
      }
      // Checked again: another import of the same event may have finished while we awaited.
      if (store.findEventByProviderId(integration.provider, providerEventId) !== undefined) {
        throw new AppError('CONFLICT', 'this event is already added');
      }
      const eventId = store.insertEvent(integration, details, 'event added', now());
      events.emit('eventAdded', { eventId });
      engine.startJob(eventId, 'import');
      return requireEvent(eventId);
    },

    listEvents(): SyncedEvent[] {
      return store.listEvents().map(withTiming);
    },

    /** Disagreements between mirror and provider that a full listing repaired, oldest first. */
    syncRepairs(eventId: number): SyncRepair[] {
      requireEvent(eventId);
      return store.syncRepairs(eventId);
    },

    /** This station's clock against each provider's, from their latest answers. */
    clockChecks(): ProviderClockCheck[] {
      return clockWatch.current();
    },

    getEvent(eventId: number): SyncedEvent {
      return requireEvent(eventId);
    },

    statusHistory(eventId: number): StatusTransition[] {
      requireEvent(eventId);
      return store.statusHistory(eventId);
    },

    /** The integrations the recovery dialog offers: CONNECTED ones of the event's provider. */
    recoveryOptions(eventId: number): Integration[] {
      const event = requireEvent(eventId);
      return store.listIntegrations().filter((i) => i.provider === event.provider && i.status === 'CONNECTED');
    },

    // ---- recovery ----

    /** Retry of a FAILED event: re-runs the sync as a fresh re-import. */
    retry(actor: Actor, eventId: number): SyncJob {
      requireAdmin(actor);
      const event = requireEvent(eventId);
      if (event.status !== 'FAILED') throw new AppError('INVALID_STATE', `Retry applies to a failed sync; this event is ${event.status}`);
      requireConnected(requireOwnAccount(event));
      status.transition(eventId, 'PENDING', 'retry requested');
      return engine.startJob(eventId, 'reimport');
    },

    /** Retry of an import that never completed (PENDING with no job): a fresh import job. */
    retryImport(actor: Actor, eventId: number): SyncJob {
      requireAdmin(actor);
      const event = requireEvent(eventId);
      if (event.status !== 'PENDING' || event.activeJob) {
        throw new AppError('INVALID_STATE', 'Retry import applies to an import that failed and is not running');
      }
      requireConnected(requireOwnAccount(event));
      return engine.startJob(eventId, 'import');
    },

    /** Reconnect a DISCONNECTED event through a CONNECTED integration of the same provider. */
    reconnect(actor: Actor, eventId: number, integrationId: number): SyncJob {
      requireAdmin(actor);
      const event = requireEvent(eventId);
      if (event.status !== 'DISCONNECTED') throw new AppError('INVALID_STATE', `Reconnect applies to a disconnected event; this event is ${event.status}`);
      const integration = requireConnected(integrationId);
      if (integration.provider !== event.provider) throw new AppError('INVALID_INPUT', 'that integration is for another provider');
      store.setEventIntegration(eventId, integrationId);
      status.transition(eventId, 'PENDING', `reconnected with ${integration.accountEmail}`);
      return engine.startJob(eventId, event.importCompletedAt ? 'reimport' : 'import');
    },

    /** The Sync button: asked of the venue's poller for this event, or run here (syncNow). */
    requestSync,

    /** The manual "Sync" in the event header, run here: a one-shot resync; never two at once for one event. */
    syncNow(_actor: Actor, eventId: number): SyncJob {
      const event = requireEvent(eventId);
      if (event.status !== 'ACTIVE') throw new AppError('INVALID_STATE', `Sync runs on a healthy event; this event is ${event.status}`);
      return engine.startJob(eventId, 'resync');
    },

    // ---- attendees ----

    /** The event page's list: a page of the attendees the query matches, in its sort (by name when none is given). */
    attendeePage(eventId: number, query: AttendeeListQuery, page: { offset: number; limit: number }): AttendeeListPage {
      requireEventName(eventId);
      return attendeeList.page(eventId, query, page);
    },

    listAttendees(eventId: number, page: { offset: number; limit: number }): Attendee[] {
      return core.attendeePage(eventId, {}, page).rows;
    },

    setVip(actor: Actor, attendeeId: number, vip: boolean): Attendee {
      const attendee = store.getAttendee(attendeeId);
      if (!attendee) throw new AppError('NOT_FOUND', `attendee ${attendeeId} does not exist`);
      venue.setVip(actor, attendeeId, vip);
      attendeeList.localStateChanged(attendee.eventId);
      return store.getAttendee(attendeeId)!;
    },

    /** Points the clients at other provider URLs (the demo workspace's simulator). */
    setProviderBaseUrls(urls: Record<ProviderKind, string>): void {
      baseUrls = { ...urls };
      clients.clear();
    },

    startLiveSync(): void {
      engine.startLiveSync();
    },

    // ---- the station's storage ----

    /** Whether writes go through, and free space; the desk banner and the low-space warning read it. */
    storageStatus(): StorageStatus {
      return storage.status();
    },

    /** Looks again now (the banner's "Try again"): free space, and a write while writes fail. */
    recheckStorage(): Promise<StorageStatus> {
      return storage.refresh();
    },

    /** A storage failure seen outside the desk (settings, printing...): the typed error, and the banner. */
    noteStorageFailure(err: unknown): unknown {
      return storage.failed(err);
    },

    walCheckpoints() {
      return checkpointer?.info() ?? null;
    },

    // ---- a damaged database ----

    damagedDatabases(): DamagedDatabaseNotice[] {
      return salvageStore.notices();
    },

    salvagedCheckIns(actor: Actor, damagedId: number, page: { offset: number; limit: number }): SalvagedCheckIn[] {
      requireAdmin(actor);
      requireDamaged(damagedId);
      return salvageStore.list(damagedId, page.limit, page.offset);
    },

    /** The admin imports the salvaged check-ins: each goes into the log once its attendee exists. */
    importSalvaged(actor: Actor, damagedId: number): DamagedDatabaseNotice {
      requireAdmin(actor);
      requireDamaged(damagedId);
      salvageStore.accept(damagedId);
      applySalvaged();
      return salvageStore.notices().find((n) => n.id === damagedId)!;
    },

    dismissDamaged(actor: Actor, damagedId: number): void {
      requireAdmin(actor);
      requireDamaged(damagedId);
      salvageStore.dismiss(damagedId, now());
    },

    // ---- the venue (network half): pairing, desks, presence ----

    /** The venue panel: this desk, the venue's desks with presence, discovered desks, refusals. */
    async venueStatus(): Promise<VenueStatus> {
      const net = requireVenueNet();
      await venueReady;
      return net.status();
    },

    /** "Start a venue" on this desk (a name and a random secret). */
    venueStart(actor: Actor, name: string): Promise<VenueStatus> {
      return venueAction(actor, (net) => net.startVenue(name));
    },

    /** The pairing code (holds the secret: admins only). */
    async venuePairingCode(actor: Actor): Promise<{ code: string }> {
      requireAdmin(actor);
      await venueReady;
      return { code: requireVenueNet().pairingCode() };
    },

    /** Joins a venue with its pairing code, through the desk at `address` (discovered or typed) or the code's relay. */
    venueJoin(actor: Actor, code: string, address?: string): Promise<VenueStatus> {
      return venueAction(actor, (net) => net.join(code, address));
    },

    /** Connects to another desk of this venue by address (mDNS blocked). */
    venueAddDesk(actor: Actor, address: string): Promise<VenueStatus> {
      return venueAction(actor, (net) => net.addPeer(address));
    },

    /** Removes a desk and rotates the secret; desks not reached join again with the new code. */
    async venueRemoveDesk(actor: Actor, stationId: string): Promise<{ status: VenueStatus; notReached: string[] }> {
      let notReached: string[] = [];
      const status = await venueAction(actor, async (net) => {
        const r = await net.removeDesk(stationId);
        notReached = r.notReached;
        return r.status;
      });
      return { status, notReached };
    },

    async venueRotateSecret(actor: Actor): Promise<{ status: VenueStatus; notReached: string[] }> {
      let notReached: string[] = [];
      const status = await venueAction(actor, async (net) => {
        const r = await net.rotateSecret();
        notReached = r.notReached;
        return r.status;
      });
      return { status, notReached };
    },

    venueRenameDesk(actor: Actor, name: string): Promise<VenueStatus> {
      return venueAction(actor, (net) => net.renameDesk(name));
    },

    venueLeave(actor: Actor): Promise<VenueStatus> {
      return venueAction(actor, (net) => net.leave());
    },

    async close(): Promise<void> {
      storage.close();
      await venueReady.catch(() => undefined);
      await venueFollow.catch(() => undefined);
      await replicaLink?.close();
      await venueNet?.shutdown();
      await printing.close();
      await engine.close();
      await checkpointer?.close();
      db.close();
    },
  };

  if (deps.liveSync) engine.startLiveSync();
  return core;
}
