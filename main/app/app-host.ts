// The app behind the IPC boundary: validates every call against the contract in shared/,
// enforces roles, runs it on the core, and answers with a typed envelope. The Electron shell and
// the browser host both serve exactly this.
import { z } from 'zod';
import { createCore, type BadgeDeskCore } from '../core/create-core.ts';
import { systemClock } from '../ground/clock.ts';
import { eventbriteBudgetWithDailyLimit, scaledRateBudgets } from '../providers/types.ts';
import {
  IPC_CHANNELS,
  PUSH_EVENTS,
  isChannelName,
  type AppSnapshot,
  type ChannelName,
  type ChannelResult,
  type IpcResult,
  type PushMessage,
} from '../../shared/ipc-contract.ts';
import { AppError, type AppErrorData } from '../../shared/errors.ts';
import { classifyStorageError } from '../db/storage-errors.ts';
import type { Actor } from '../../shared/types.ts';
import type { AppHost, AppHostDeps } from './types.ts';
import { StationSession } from './session.ts';
import { readSettings, updateSettings } from './settings.ts';
import { APP_VERSION } from '../../shared/version.ts';
import { DEFAULT_FORGET_AFTER_DAYS } from '../../shared/forget.ts';
import { startDemoWorkspace, type DemoWorkspace } from './demo.ts';
import { startEventbriteOAuth } from './oauth.ts';
import { createListHandlers } from './list-handlers.ts';
import { createStationHandlers } from './station-handlers.ts';
import { createForgetHandlers } from './forget-handlers.ts';

const DEMO_FLAG = 'demoWorkspace';
/**
 * A desk back from a crash answers first: the venue's documents, the roster and WAL checkpoints
 * start this long after its first answered call (the window's first burst of calls goes first),
 * or after the longer wait when no window calls (a browser host nobody opened yet).
 */
const DEFERRED_START_AFTER_ANSWER_MS = 250;
const DEFERRED_START_AT_THE_LATEST_MS = 2_000;
/** When the demo started (ms): its events are dated from that day (main/app/demo.ts demoDay). */
const DEMO_STARTED_AT = 'demoStartedAt';

type Handlers = {
  [C in ChannelName]: (
    input: z.output<(typeof IPC_CHANNELS)[C]['input']>,
    actor: Actor,
  ) => ChannelResult<C> | Promise<ChannelResult<C>>;
};

export function toErrorData(err: unknown): AppErrorData {
  if (err instanceof AppError) return err.toJSON();
  // The disk full, the folder read-only or gone: typed, in plain words (the one mapping is in main/db).
  const storage = classifyStorageError(err);
  if (storage) return storage.toJSON();
  // Anything else is a bug: say so without leaking internals (paths, SQL) to the renderer.
  return { code: 'INTERNAL', message: 'something went wrong inside Badge Desk' };
}

export async function createAppHost(deps: AppHostDeps): Promise<AppHost> {
  const clock = deps.clock ?? systemClock;
  const env = deps.env ?? {};
  const settingsNow = () => readSettings(deps.settingsStore);
  const core: BadgeDeskCore = createCore({
    dataDir: deps.dataDir,
    secretStore: deps.secretStore,
    clock,
    deferredStart: true,
    ...(deps.providerBaseUrls ? { providerBaseUrls: deps.providerBaseUrls } : {}),
    sqliteNativeBinding: deps.sqliteNativeBinding,
    osPrinting: deps.osPrinting,
    ...(deps.storage ? { storage: deps.storage } : {}),
    stationPrinting: () => {
      const s = settingsNow();
      return {
        printerId: s.printerId,
        poolPrinterIds: s.poolPrinterIds,
        autoPrint: s.autoPrint,
        printAt: s.printAt,
        offerAs: s.printStationName ?? null,
      };
    },
    // Test-only: the fault suite makes a request time out, or a Retry-After count as "longer
    // than the job may wait", in seconds rather than the real 30 s and 15 min.
    ...(Number(env.BADGE_DESK_REQUEST_TIMEOUT_MS) > 0
      ? { requestTimeoutMs: Number(env.BADGE_DESK_REQUEST_TIMEOUT_MS) }
      : {}),
    ...(Number(env.BADGE_DESK_MAX_RATE_LIMIT_WAIT_MS) > 0
      ? { retry: { maxRateLimitWaitMs: Number(env.BADGE_DESK_MAX_RATE_LIMIT_WAIT_MS) } }
      : {}),
    // BADGE_DESK_POLL_INTERVAL_MS lets end-to-end tests and demos poll faster than the station setting allows.
    sync: { pollIntervalMs: Number(env.BADGE_DESK_POLL_INTERVAL_MS) || settingsNow().pollIntervalMs },
    // BADGE_DESK_RATE_BUDGET_SCALE lets the fault suite make, against the simulator, more calls
    // in an hour than a real provider's budget allows.
    // BADGE_DESK_EVENTBRITE_DAILY_LIMIT replaces Eventbrite's unconfirmed 48,000 a day (0: no daily window).
    rateBudgets: {
      ...(env.BADGE_DESK_RATE_BUDGET_SCALE
        ? scaledRateBudgets(Number(env.BADGE_DESK_RATE_BUDGET_SCALE))
        : {}),
      ...(env.BADGE_DESK_EVENTBRITE_DAILY_LIMIT
        ? { eventbrite: eventbriteBudgetWithDailyLimit(Number(env.BADGE_DESK_EVENTBRITE_DAILY_LIMIT)) }
        : {}),
    },
    stationName: () => settingsNow().stationName,
    forgetAfterDays: () => settingsNow().forgetAfterDays ?? DEFAULT_FORGET_AFTER_DAYS,
    ...(deps.venue
      ? {
          venueNetwork: {
            appVersion: APP_VERSION,
            // The venue's desk name is the station's name (check-in rows carry the same).
            station: {
              get: () => settingsNow().stationName,
              set: (name: string) => void updateSettings(deps.settingsStore, { stationName: name }),
            },
            discovery: deps.venue.discovery,
            ...(deps.venue.listen ? { listen: deps.venue.listen } : {}),
            ...(deps.venue.advertiseHosts ? { advertiseHosts: deps.venue.advertiseHosts } : {}),
          },
        }
      : {}),
  });
  const session = new StationSession(
    deps.settingsStore,
    clock,
    () => settingsNow().adminLockMinutes * 60_000,
    () => settingsNow().stationName,
  );
  session.presetPin(env.BADGE_DESK_ADMIN_PIN);

  const listeners = new Set<(m: PushMessage) => void>();
  const push = (message: PushMessage) => {
    for (const l of listeners) l(message);
  };
  for (const name of PUSH_EVENTS) {
    if (name === 'sessionChanged') continue;
    core.events.on(name, (payload) => push({ event: name, payload } as PushMessage));
  }

  // The admin lock returns after inactivity (checked on every call); this timer only announces
  // it to the windows. A real, unref'd timer: it must neither advance an injected test clock nor
  // keep the process alive.
  let lockTimer: ReturnType<typeof setTimeout> | null = null;
  const watchLock = () => {
    if (lockTimer) clearTimeout(lockTimer);
    lockTimer = null;
    const due = session.lockDueAt();
    if (due === null) return;
    lockTimer = setTimeout(
      () => {
        lockTimer = null;
        if (session.lockDueAt() === null) push({ event: 'sessionChanged', payload: session.info() });
        else watchLock();
      },
      Math.max(0, due - clock.now()) + 50,
    );
    lockTimer.unref();
  };
  const sessionChanged = () => {
    const info = session.info();
    push({ event: 'sessionChanged', payload: info });
    watchLock();
    return info;
  };

  let demo: DemoWorkspace | null = null;
  const demoStartedAt = () => {
    const at = deps.settingsStore.get(DEMO_STARTED_AT);
    return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
  };
  if (deps.settingsStore.get(DEMO_FLAG) === true)
    demo = await startDemoWorkspace(core, false, demoStartedAt());
  let oauthInFlight: { cancel(): void } | null = null;

  const snapshot = (): AppSnapshot => ({
    session: session.info(),
    settings: settingsNow(),
    integrations: core.listIntegrations(),
    events: core.listEvents(),
    demo: { available: demo === null && core.listIntegrations().length === 0, running: demo !== null },
    credentialsEncrypted: deps.secretStore.encryptedAtRest,
    host: deps.host,
    storage: core.storageStatus(),
    damagedDatabases: core.damagedDatabases(),
  });

  // The answer's sound and the kiosk (station-handlers.ts).
  const station = createStationHandlers({
    core,
    settingsStore: deps.settingsStore,
    session,
    settings: settingsNow,
    sessionChanged: () => void sessionChanged(),
  });

  const handlers: Handlers = {
    ...station.handlers,
    'app.snapshot': () => snapshot(),
    'session.setPin': ({ pin, currentPin }) => {
      session.setPin(pin, currentPin);
      return sessionChanged();
    },
    'session.unlock': ({ pin }) => {
      session.unlock(pin);
      return sessionChanged();
    },
    'session.lock': () => {
      session.lock();
      return sessionChanged();
    },
    'settings.update': async (patch, actor) => {
      // The venue's desks know this one by its name: a new name goes through the venue (unique in it, told to the others).
      if (
        core.venue.network &&
        patch.stationName !== undefined &&
        patch.stationName !== settingsNow().stationName
      )
        await core.venue.renameDesk(actor, patch.stationName);
      const next = updateSettings(deps.settingsStore, patch);
      // The environment's override (tests, demos) outlasts a settings change, as it did at start.
      core.engine.setPollInterval(Number(env.BADGE_DESK_POLL_INTERVAL_MS) || next.pollIntervalMs);
      // Offering this desk's printers (or no longer: its waiting badges go back) is told to the venue.
      if (patch.printStationName !== undefined || patch.printerId !== undefined)
        core.printStations.settingsChanged();
      return next;
    },
    'integrations.list': () => core.listIntegrations(),
    'integrations.connect': ({ provider, credential }, actor) =>
      core.connectIntegration(actor, provider, credential),
    'integrations.startOAuth': async (_input, actor) => {
      oauthInFlight?.cancel();
      const flow = await startEventbriteOAuth({
        clientId: env.BADGE_DESK_EVENTBRITE_CLIENT_ID,
        clientSecret: env.BADGE_DESK_EVENTBRITE_CLIENT_SECRET,
        authorizeUrl: env.BADGE_DESK_EVENTBRITE_AUTHORIZE_URL,
        tokenUrl: env.BADGE_DESK_EVENTBRITE_TOKEN_URL,
        onToken: (token) => core.connectIntegration(actor, 'eventbrite', token).then(() => undefined),
      });
      oauthInFlight = flow;
      deps.openExternal?.(flow.authorizeUrl);
      return { authorizeUrl: flow.authorizeUrl };
    },
    'integrations.remove': ({ integrationId }, actor) => {
      core.removeIntegration(actor, integrationId);
      return null;
    },
    'events.list': () => core.listEvents(),
    'events.get': ({ eventId }) => core.getEvent(eventId),
    'events.history': ({ eventId }) => core.statusHistory(eventId),
    'events.recoveryOptions': ({ eventId }) => core.recoveryOptions(eventId),
    'events.providerList': async ({ integrationId }, actor) =>
      (await core.listProviderEvents(actor, integrationId)).map((e) => ({
        providerEventId: e.providerEventId,
        name: e.name,
        startsAt: e.startsAt,
        alreadyAdded: e.alreadyAdded,
      })),
    'events.import': ({ integrationId, providerEventId }, actor) =>
      core.importEvent(actor, integrationId, providerEventId),
    'events.retry': ({ eventId }, actor) => core.retry(actor, eventId),
    'events.retryImport': ({ eventId }, actor) => core.retryImport(actor, eventId),
    'events.reconnect': ({ eventId, integrationId }, actor) => core.reconnect(actor, eventId, integrationId),
    'events.sync': ({ eventId }, actor) => core.requestSync(actor, eventId),
    'events.syncRepairs': ({ eventId }) => core.syncRepairs(eventId),
    'events.questions': ({ eventId }) => core.eventQuestions(eventId),
    'events.setAnswerSettings': ({ eventId, settings }, actor) =>
      core.setAnswerSettings(actor, eventId, settings),
    'sync.clockChecks': () => core.clockChecks(),
    'attendees.list': ({ eventId, offset, limit, ...query }) =>
      core.attendeePage(eventId, query, { offset, limit }),
    'attendees.setVip': ({ attendeeId, vip }, actor) => core.setVip(actor, attendeeId, vip),
    'desk.search': ({ eventId, query, limit }) => core.desk.search(eventId, query, limit),
    'desk.log': ({ eventId, limit, beforeId }) => core.desk.log(eventId, limit, beforeId),
    'desk.stats': ({ eventId }) => core.desk.stats(eventId),
    'printers.list': () => core.printing.listPrinters(),
    'printers.add': ({ name, config }) => core.printing.addPrinter(name, config),
    'printers.remove': ({ printerId }) => {
      core.printing.removePrinter(printerId);
      return null;
    },
    'printers.test': ({ printerId }, actor) => core.printing.testPrint(actor, printerId),
    'printers.status': () => core.printing.printerStatuses(),
    'printers.checkStatus': ({ printerId }) => core.printing.checkPrinterStatus(printerId),
    'printers.system': () => core.printing.systemPrinters(),
    'templates.list': () => core.printing.listTemplates(),
    'templates.save': (input) =>
      core.printing.saveTemplate(input as Parameters<typeof core.printing.saveTemplate>[0]),
    'templates.remove': ({ templateId }) => {
      core.printing.removeTemplate(templateId);
      return null;
    },
    'badges.preview': ({ eventId, attendeeId, templateId, draft }) => {
      core.getEvent(eventId);
      return core.printing.preview(
        eventId,
        attendeeId,
        templateId,
        draft as Parameters<typeof core.printing.preview>[3],
      );
    },
    'print.badge': ({ attendeeId }, actor) => core.printing.printBadge(actor, attendeeId),
    'print.reprint': ({ attendeeId, note }, actor) => core.printing.reprint(actor, attendeeId, note),
    'print.batch': ({ eventId, vipOnly, ticketName }, actor) => {
      core.getEvent(eventId);
      return core.printing.batch(actor, eventId, { vipOnly, ticketName });
    },
    'print.jobs': ({ eventId, states, limit }) => core.printing.listJobs({ eventId, states, limit }),
    'print.summary': () => core.printing.summary(),
    'print.retry': ({ jobId }) => core.printing.retry(jobId),
    'print.cancel': ({ jobId }) => core.printing.cancel(jobId),
    'print.markPrinted': ({ jobId }) => core.printing.markPrinted(jobId),
    'print.sendElsewhere': ({ jobId, to }) => core.printStations.sendElsewhere(jobId, to),
    'printStations.view': () => core.printStations.view(),
    'venue.status': () => core.venue.status(),
    'venue.pairingCode': (_input, actor) => core.venue.pairingCode(actor),
    'venue.start': ({ name }, actor) => core.venue.start(actor, name),
    // Without an address: through the relay a BD2 code names (the core says when there is none).
    'venue.join': ({ code, address }, actor) => core.venue.join(actor, code, address),
    'venue.addDesk': ({ address }, actor) => core.venue.addDesk(actor, address),
    'venue.renameDesk': ({ name }, actor) => core.venue.renameDesk(actor, name),
    'venue.removeDesk': ({ stationId }, actor) => core.venue.removeDesk(actor, stationId),
    'venue.rotateSecret': (_input, actor) => core.venue.rotateSecret(actor),
    'venue.leave': (_input, actor) => core.venue.leave(actor),
    'print.priorPrint': ({ attendeeId }) => {
      if (!core.store.getAttendee(attendeeId))
        throw new AppError('NOT_FOUND', `attendee ${attendeeId} does not exist`);
      return core.venue.replica.priorPrint(attendeeId);
    },
    'venue.conflicts': ({ eventId }) => core.venue.replica.conflicts(core.getEvent(eventId).id),
    'venue.refused': () => core.venue.replica.refused(),
    'door.walkInChoices': ({ eventId }) => core.door.walkInChoices(eventId),
    'door.registerWalkIn': ({ firstName, lastName, ...input }, actor) =>
      core.door.registerWalkIn(actor, { ...input, firstName: firstName ?? '', lastName: lastName ?? '' }),
    'door.correctName': ({ firstName, ...input }, actor) =>
      core.door.correctName(actor, { ...input, firstName: firstName ?? '' }),
    'door.clearCorrection': (input, actor) => core.door.clearCorrection(actor, input),
    'door.setNote': (input, actor) => core.door.setNote(actor, input),
    'door.setAttention': (input, actor) => core.door.setAttention(actor, input),
    'door.link': (input, actor) => core.door.link(actor, input),
    'door.setWalkInsEnabled': (input, actor) => core.door.setWalkInsEnabled(actor, input),
    'door.review': ({ eventId }, actor) => core.door.review(actor, eventId),
    'desk.checkInGroup': (input, actor) => core.door.checkInGroup(actor, input),
    'desk.undoGroup': (input, actor) => core.door.undoGroup(actor, input),
    'demo.start': async () => {
      if (demo) throw new AppError('CONFLICT', 'the demo workspace is already running');
      if (core.listIntegrations().length > 0) {
        throw new AppError('INVALID_STATE', 'the demo is only for a workspace with no connected account');
      }
      deps.settingsStore.set(DEMO_FLAG, true);
      deps.settingsStore.set(DEMO_STARTED_AT, clock.now());
      demo = await startDemoWorkspace(core, true, demoStartedAt());
      return snapshot();
    },
    'storage.status': () => core.storageStatus(),
    'storage.recheck': () => core.recheckStorage(),
    'recovery.notices': () => core.damagedDatabases(),
    'recovery.salvaged': ({ damagedId, offset, limit }, actor) =>
      core.salvagedCheckIns(actor, damagedId, { offset, limit }),
    'recovery.importSalvaged': ({ damagedId }, actor) => core.importSalvaged(actor, damagedId),
    'recovery.dismiss': ({ damagedId }, actor) => {
      core.dismissDamaged(actor, damagedId);
      return null;
    },
    // Check-in lists, and the desk's check-in and undo, which go to this desk's list (list-handlers.ts).
    ...createListHandlers(core, deps.settingsStore),
    // Forgetting an event here, and the CSV exports the desk notes on their way out (forget-handlers.ts).
    ...createForgetHandlers(core),
  };

  if (deps.liveSync) core.startLiveSync();

  // Ref'd timers, cleared by close(): a host that nobody calls still starts its venue.
  const startDeferred = () => void core.startDeferred();
  let deferredTimer: ReturnType<typeof setTimeout> = setTimeout(
    startDeferred,
    DEFERRED_START_AT_THE_LATEST_MS,
  );
  let answered = false;
  const onAnswered = () => {
    if (answered) return;
    answered = true;
    clearTimeout(deferredTimer);
    deferredTimer = setTimeout(startDeferred, DEFERRED_START_AFTER_ANSWER_MS);
  };

  return {
    core,
    async invoke(channel: unknown, input: unknown): Promise<IpcResult<unknown>> {
      if (!isChannelName(channel)) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'unknown channel' } };
      }
      const spec = IPC_CHANNELS[channel];
      const parsed = spec.input.safeParse(input === undefined ? {} : input);
      if (!parsed.success) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: z.prettifyError(parsed.error) } };
      }
      const actor = session.actor();
      if (spec.admin && actor.role !== 'admin') {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'only a workspace admin may do this; unlock admin first' },
        };
      }
      if (station.kioskRefuses(channel)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'this station is a kiosk: it lists no one' },
        };
      }
      try {
        const handler = handlers[channel] as (input: unknown, actor: Actor) => unknown;
        const value = await handler(parsed.data, actor);
        // Admin work counts as activity: the lock moves back (after the call, so a new lock time applies).
        if (spec.admin) {
          session.touch();
          watchLock();
        }
        onAnswered();
        return { ok: true, value };
      } catch (err) {
        onAnswered();
        // A write refused by the storage anywhere (settings, printers, imports) shows on the banner too.
        return { ok: false, error: toErrorData(core.noteStorageFailure(err)) };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (lockTimer) clearTimeout(lockTimer);
      clearTimeout(deferredTimer);
      oauthInFlight?.cancel();
      await core.close();
      await demo?.stop();
    },
  };
}
