// The composition function: builds the whole core from its dependencies and wires its parts
// together. Each feature publishes its own handler table (integration-handlers.ts,
// event-handlers.ts, attendee-handlers.ts, storage-handlers.ts, venue-handlers.ts; the desk and
// printing are their own objects); the core is their combination. The Electron shell, the
// browser host, tests and benchmarks all call this with their own parts.
import { isoTime, systemClock, type Clock } from '../ground/clock.ts';
import { CoreEvents } from '../ground/events.ts';
import type { SecretStore } from '../ground/secrets.ts';
import type { StorageHealthOptions } from '../db/storage-health.ts';
import { DeskStore } from '../db/desk-store.ts';
import { DoorStore } from '../db/door-store.ts';
import { AttendeeListStore } from '../db/attendee-list-store.ts';
import { PrintStore } from '../db/print-store.ts';
import { StationJobStore } from '../db/station-job-store.ts';
import { Desk } from '../desk/desk.ts';
import { Door } from '../desk/door.ts';
import { DoorRecorder } from '../desk/door-record.ts';
import { DoorCheckInHooks } from '../desk/door-hooks.ts';
import { Kiosk } from '../desk/kiosk.ts';
import { KioskStore } from '../db/kiosk-store.ts';
import { AttendeeList } from '../desk/attendee-list.ts';
import { Lists } from '../desk/lists.ts';
import { ListStatistics } from '../desk/list-stats.ts';
import { Printing, type StationPrinting } from '../printing/printing.ts';
import type { OsPrinting } from '../printing/drivers.ts';
import type { LabelDriverTimes } from '../printing/label-drivers.ts';
import { SqliteDocumentPersistence } from '../venue/replica/persistence.ts';
import { VenueNetwork, type VenueNetParts } from '../venue/net/venue-network.ts';
import { StatusMachine } from '../sync/status-machine.ts';
import { SyncEngine, DEFAULT_SYNC_OPTIONS, type SyncEngineOptions } from '../sync/engine.ts';
import { ClockWatch } from '../sync/clock-watch.ts';
import type { RateBudget } from '../providers/types.ts';
import type { Actor, ProviderKind } from '../../shared/types.ts';
import { exportClockNote } from '../../shared/station-clock.ts';
import { openStationStorage } from './station-storage.ts';
import { ProviderClients } from './provider-clients.ts';
import { PollElection } from './poll-election.ts';
import { requireAdmin, requireEventName } from './guards.ts';
import { wireVenue } from './venue-wiring.ts';
import { stationJobHooks, venueStationsOf, wirePrintStations } from './print-station-wiring.ts';
import {
  createIntegrationHandlers,
  markIntegrationDisconnected,
  type IntegrationHandlersDeps,
} from './integration-handlers.ts';
import { createEventHandlers } from './event-handlers.ts';
import { createAnswerHandlers } from './answer-handlers.ts';
import { createAttendeeHandlers } from './attendee-handlers.ts';
import { applySalvaged, createStorageHandlers, type SalvageDeps } from './storage-handlers.ts';
import { createVenueHandlers } from './venue-handlers.ts';
import { createDoorHandlers } from './door-handlers.ts';
import { Forgetting, type ForgettingOptions } from './forgetting.ts';
import { ForgetStore } from '../db/forget-store.ts';
import { DEFAULT_FORGET_AFTER_DAYS } from '../../shared/forget.ts';

export interface CoreDeps {
  /** Folder for the database and the venue's configuration. */
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
  /** Start live sync at once (the app does; tests drive passes by hand). */
  liveSync?: boolean;
  /** The OS printers (the Electron shell gives them; elsewhere system printers are unavailable). */
  osPrinting?: OsPrinting | undefined;
  /**
   * The station's printer, the printers sharing its badges, auto-print, where its badges print
   * (here or at a print station) and the name it offers its printers under (settings live in the app host).
   */
  stationPrinting?: () => StationPrinting;
  /** Label printers' time limits (tests and benchmarks shorten them). */
  printerTimes?: Partial<LabelDriverTimes>;
  /** The free-space warning's threshold and how free space is read (tests inject both). */
  storage?: Pick<StorageHealthOptions, 'lowSpaceBytes' | 'intervalMs' | 'failingIntervalMs' | 'freeBytes'>;
  /** Where WAL checkpoints run: a worker thread (default), or SQLite's own in the commits. */
  walCheckpoints?: 'worker' | 'on commit';
  /**
   * The parts of the venue's network half the host chooses (the desk's name, discovery, the
   * address to listen on, limits). Without them the desk works alone and the venue actions
   * answer INVALID_STATE.
   */
  venueNetwork?: VenueNetParts;
  /** This station's name (its settings), as the sync status it shares with the venue names it. */
  stationName?: () => string;
  /**
   * Start-up work the desk does not need for its first check-in — the venue's network half with
   * its documents and roster, and WAL checkpoints — waits for startDeferred() (the app host calls
   * it once the desk has answered). Default: started at once.
   */
  deferredStart?: boolean;
  /** Observes every provider request (benchmarks count them). */
  onProviderRequest?: (r: { provider: ProviderKind; url: string; status: number | null }) => void;
  /** The station's setting: forget events this many days after they end (default 30). */
  forgetAfterDays?: () => number;
  /**
   * Forgetting's timers (tests shorten them). The retention rule and the venue's answers on the
   * check-ins made here start with startDeferred(), or forget.start(): a core built for a test or
   * a benchmark forgets nothing by itself.
   */
  forgetting?: ForgettingOptions;
}

export type BadgeDeskCore = ReturnType<typeof createCore>;

/** How often due scheduled check-outs of the lists are looked for. */
const LIST_SCHEDULE_INTERVAL_MS = 30_000;

/** Who runs a Sync another desk of the venue asked of this one. */
const VENUE_ACTOR = { role: 'operator', name: 'venue' } as const;

export function createCore(deps: CoreDeps) {
  const clock = deps.clock ?? systemClock;
  const now = () => isoTime(clock.now());
  const events = new CoreEvents();
  const { db, store, salvageStore, storage, checkpointer, startCheckpoints, tolerateStorage } =
    openStationStorage(deps, {
      now,
      events,
    });
  const deskStore = new DeskStore(db);
  const doorStore = new DoorStore(db, deskStore.venue);
  const salvage: SalvageDeps = {
    salvageStore,
    checkInLog: deskStore.venue,
    events,
    publishCheckIns: (eventId, actionIds) => venue.replica.publishCheckIns(eventId, actionIds),
  };
  events.on('jobFinished', () => tolerateStorage(() => applySalvaged(salvage)));
  const status = new StatusMachine(store, clock, events);
  const clockWatch = new ClockWatch(events);
  const providers = new ProviderClients({
    store,
    clock,
    secretStore: deps.secretStore,
    baseUrls: deps.providerBaseUrls,
    rateBudgets: deps.rateBudgets,
    fetch: deps.fetch,
    requestTimeoutMs: deps.requestTimeoutMs,
    retry: deps.retry,
    onRequest: (provider, r) => {
      clockWatch.observe(provider, r);
      deps.onProviderRequest?.({ provider, url: r.url, status: r.status });
    },
  });

  // Whatever was "running" belonged to a process that is gone.
  tolerateStorage(() => store.abandonRunningJobs(now()));

  // The venue's network half exists from the start (it starts below), so the poll election can
  // read it; with no network parts this desk works alone and polls every event it may.
  const forgetStore = new ForgetStore(db);
  const venuePersistence = new SqliteDocumentPersistence(deskStore.venue, clock, forgetStore.forgottenKeys());
  const venueNetwork = deps.venueNetwork
    ? new VenueNetwork({
        ...deps.venueNetwork,
        stationId: deskStore.venue.stationId,
        dataDir: deps.dataDir,
        secretStore: deps.secretStore,
        clock,
        persistence: venuePersistence,
      })
    : null;
  const polling = new PollElection({ store, network: venueNetwork });

  const integrationDeps: IntegrationHandlersDeps = {
    store,
    events,
    secretStore: deps.secretStore,
    providers,
    now,
    disconnectEvents: (integrationId, reason) => engine.disconnectIntegrationEvents(integrationId, reason),
  };
  const markDisconnected = (integrationId: number, reason: string) =>
    markIntegrationDisconnected(integrationDeps, integrationId, reason);
  const engine: SyncEngine = new SyncEngine({
    store,
    clock,
    events,
    status,
    clientFor: (integrationId) => providers.clientFor(integrationId),
    budgetFor: (integrationId) => providers.budgetFor(integrationId),
    providerPausedUntil: (integrationId) => providers.pausedUntil(integrationId),
    estimateRequestsDoneAt: (integrationId, count) => providers.estimateRequestsDoneAt(integrationId, count),
    onCredentialRejected: markDisconnected,
    isElected: (eventId) => polling.isElected(eventId),
    options: { ...DEFAULT_SYNC_OPTIONS, ...deps.sync },
  });

  const stationJobStore = new StationJobStore(db);
  const printing = new Printing({
    store,
    printStore: new PrintStore(db),
    stationJobStore,
    clock,
    events,
    os: deps.osPrinting,
    stationPrinting: deps.stationPrinting ?? (() => ({ printerId: null, autoPrint: false })),
    printerTimes: deps.printerTimes,
    venuePrintOf: (attendeeId) => venue.replica.priorPrint(attendeeId),
    venueStations: () => venueStationsOf(venue.replica, venueNetwork),
    fileWritten: (jobId, path) => forgetting.badgeWritten(jobId, path),
  });
  tolerateStorage(() => printing.start());
  const deskName = () => deps.stationName?.() ?? deps.venueNetwork?.station.get() ?? 'Desk';

  const venue = wireVenue({
    store,
    venueStore: deskStore.venue,
    clock,
    events,
    persistence: venuePersistence,
    network: venueNetwork,
    // This desk writes the event's roster and sync status: it holds an account for it, and the venue elected it.
    isPoller: (eventId) => store.eventHasIntegration(eventId) && polling.isElected(eventId),
    stationName: deskName,
    deferStart: deps.deferredStart === true,
    doorStore,
    // Badges sent to print stations travel in the events' documents (print-station-wiring.ts).
    stationJobs: stationJobHooks({
      printing,
      stationJobStore,
      network: venueNetwork,
      deskName: () => deps.venueNetwork?.station.get() ?? deskName(),
    }),
  });
  const printStations = wirePrintStations({
    printing,
    replica: venue.replica,
    network: venueNetwork,
    events,
  });
  polling.follow(events, (eventId) => eventHandlers.syncNow(VENUE_ACTOR, eventId));

  // The door's entries: kept here first, then into the venue's document (main/desk/door-record.ts).
  const doorRecorder = new DoorRecorder({
    doorStore,
    clock,
    events,
    stationId: deskStore.venue.stationId,
    storage,
    publish: (eventId, entries) => venue.replica.publishDoor(eventId, entries),
  });
  const desk = new Desk({
    store,
    deskStore,
    storage,
    clock,
    events,
    requireEvent: (eventId) => requireEventName(store, eventId),
    onCheckedIn: (actor, attendee) => printing.onCheckedIn(actor, attendee),
    onRecorded: (eventId, actionIds) => venue.replica.publishCheckIns(eventId, actionIds),
    priorPrintOf: (attendeeId) => venue.replica.priorPrint(attendeeId),
    checkedInByDesk: (eventId) => deskStore.venue.checkedInByDesk(eventId),
    onCheckInUndone: (attendee) => printing.onCheckInUndone(attendee),
    clockNote: () => exportClockNote(clockWatch.current()),
    door: new DoorCheckInHooks({ store, doorStore, venueStore: deskStore.venue, recorder: doorRecorder }),
  });
  const door = new Door({
    store,
    doorStore,
    desk,
    recorder: doorRecorder,
    requireEvent: (eventId) => requireEventName(store, eventId),
    printing: {
      canPrint: () => printing.hasStationPrinter(),
      printedBefore: (attendeeId) => printing.hasFirstPrint(attendeeId),
      printFirst: (actor, attendeeId) => printing.printBadge(actor, attendeeId),
      reprint: (actor, attendeeId, note) => printing.reprint(actor, attendeeId, note),
    },
  });
  const attendeeList = new AttendeeList({ listStore: new AttendeeListStore(db), events });
  // Check-in lists: kept here first, then into the venue's document, as the door's entries.
  const lists = new Lists({
    deskStore,
    clock,
    events,
    storage,
    requireEvent: (eventId) => requireEventName(store, eventId),
    publishLists: (eventId, entries) => venue.replica.publishLists(eventId, entries),
    publishCheckOut: (r) => venue.replica.publishCheckOut(r),
    stationName: () => deps.stationName?.() ?? deps.venueNetwork?.station.get() ?? 'Desk',
  });
  const listStats = new ListStatistics({
    db,
    deskStore,
    clock,
    events,
    requireEvent: (eventId) => requireEventName(store, eventId),
  });
  // A list checked out at 23:00 every day: due check-outs are written at start (a desk that was off
  // then) and every half minute. A real, unref'd timer: it neither advances a test clock nor keeps
  // the process alive; tests call lists.runSchedules themselves.
  const runSchedules = () => tolerateStorage(() => lists.runSchedules());
  runSchedules();
  const scheduleTimer = setInterval(runSchedules, LIST_SCHEDULE_INTERVAL_MS);
  scheduleTimer.unref();
  // Entries and exits kept (here or from another desk): their tallies go to the charts in a push.
  events.on('checkinsChanged', ({ eventId }) => {
    const { tallies, complete } = deskStore.venue.presence.drainTallies(eventId);
    if (tallies.length === 0 && complete) return;
    events.emit('passagesChanged', {
      eventId,
      tallies,
      complete,
      venueInside: deskStore.venue.presence.venueInsideCount(eventId),
    });
  });
  // A sync may change an event's time zone, which the lists' days follow.
  events.on('jobFinished', ({ eventId }) => deskStore.venue.lists.eventChanged(eventId));

  const forgetting = new Forgetting({
    forgetStore,
    store,
    stationId: deskStore.venue.stationId,
    clock,
    events,
    network: venueNetwork,
    persistence: venuePersistence,
    replica: venue.replica,
    engine,
    pdfFolders: () =>
      printing.listPrinters().flatMap((p) => (p.config.kind === 'pdf_folder' ? [p.config.folder] : [])),
    exportCsv: (eventId) => desk.exportCsv(eventId),
    forgetAfterDays: () => deps.forgetAfterDays?.() ?? DEFAULT_FORGET_AFTER_DAYS,
    tolerateStorage,
    ...(deps.forgetting ? { options: deps.forgetting } : {}),
  });

  const eventHandlers = createEventHandlers({
    store,
    events,
    status,
    engine,
    providers,
    clockWatch,
    polling,
    venueReplica: venue.replica,
    now,
    onCredentialRejected: markDisconnected,
  });

  let closed = false;
  const core = {
    events,
    clock,
    /** Search, check-in, undo, statistics, export: local only, never waits on a provider. */
    desk,
    /** Templates, printers, the print queue. */
    printing,
    /** This desk's print station offer, the stations it sees, and badges sent elsewhere (print-station-wiring.ts). */
    printStations,
    /** Walk-ins, badge-name corrections, notes and flags, links, whole orders (main/desk/door.ts). */
    door: createDoorHandlers(door, desk),
    /** Check-in lists, their check-outs, statistics, charts and CSV (main/desk/lists.ts, list-stats.ts). */
    lists: {
      view: (eventId: number) => lists.view(eventId),
      requireList: (eventId: number, listId: string) => lists.requireList(eventId, listId),
      save: (actor: Actor, input: Parameters<Lists['save']>[1]) => lists.save(actor, input),
      remove: (actor: Actor, input: Parameters<Lists['remove']>[1]) => lists.remove(actor, input),
      checkOutAll: (actor: Actor, input: Parameters<Lists['checkOutAll']>[1]) =>
        lists.checkOutAll(actor, input),
      runSchedules: () => lists.runSchedules(),
      stats: (eventId: number) => listStats.stats(eventId),
      charts: (eventId: number) => listStats.charts(eventId),
      exportCsv: (actor: Actor, eventId: number, listId: string) => {
        requireAdmin(actor);
        return listStats.exportCsv(eventId, listId);
      },
    },
    /** Kiosk self check-in: one person by code, email or order code, never a list (main/desk/kiosk.ts). */
    kiosk: new Kiosk({
      store,
      deskStore,
      kioskStore: new KioskStore(db),
      desk,
      door,
      printing: {
        canPrint: () => printing.hasStationPrinter(),
        printedBefore: (attendeeId) => printing.hasFirstPrint(attendeeId),
        printFirst: (actor, attendeeId) => printing.printBadge(actor, attendeeId),
      },
    }),
    /** Forgetting an event on this desk: the admin's action, the retention rule, a removed desk's. */
    forget: forgetting,
    /** The venue: its actions (start, join, desks...), the replica and the network half. */
    venue: createVenueHandlers(venue, events),
    /** Exposed for tests, benchmarks and the app's own reads; never over IPC. */
    store,
    engine,
    ...createIntegrationHandlers(integrationDeps),
    ...eventHandlers,
    ...createAttendeeHandlers({ store, attendeeList, venueReplica: venue.replica }),
    ...createAnswerHandlers({ store, events, now }),
    ...createStorageHandlers({ storage, checkpointer, salvage, now }),

    /** Starts what start-up deferred (the venue's documents and roster, checkpoints); idempotent. */
    startDeferred(): Promise<void> {
      if (closed) return Promise.resolve();
      startCheckpoints();
      return venue.start().then(() => forgetting.start());
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(scheduleTimer);
      // Badges desks sent here and still waiting go back to them before the venue closes.
      printStations.close();
      await forgetting.close();
      storage.close();
      await venue.close();
      await printing.close();
      await engine.close();
      await checkpointer()?.close();
      db.close();
    },
  };

  if (!deps.deferredStart) startCheckpoints();
  if (deps.liveSync) engine.startLiveSync();
  return core;
}
