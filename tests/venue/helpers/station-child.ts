// A venue station: a real core (its own data folder, SQLite, replica and network half) in its
// own process, controlled over stdio as JSON lines: {"id":1,"cmd":"checkIn","args":{...}} in,
// {"id":1,"ok":true,"value":...} out. The first line out is {"ready":true,...}. Each station holds the
// event's account: its mirror is seeded here with the same event and people on every station.
//   tsx tests/venue/helpers/station-child.ts --data-dir D --name "Desk 1" --listen 127.0.0.1 [--advertise H] [--seed 20]
//     [--clock-offset-ms N] [--protocol N] [--app-version V] [--heartbeat-ms N] [--mdns]
//     [--eventbrite-url URL --poll-ms N]   (a simulated Eventbrite, live sync on: the poller tests)
//     [--printer pdf|zpl|none] [--offer NAME]   (the station's printer: PDF files, a ZPL stand-in in
//     this process whose labels the `labels` command reads, or none; --offer: a print station)
//     [--report-arrivals]   (a line {"event":"arrivals","pids":[...],"at":ms} for every check-in change: the bench)
//     [--forgetting]   (forgetting's timers on: the venue asked every second what it holds of this desk's check-ins)
// --mdns: desks find each other over mDNS (only inside the suite's network namespaces: a test
// never multicasts on a network it did not make).
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createCore, type BadgeDeskCore } from '../../../main/core/create-core.ts';
import { join } from 'node:path';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { FileSecretStore } from '../../../main/host/file-stores.ts';
import { describeCheckInOutcome } from '../../../shared/desk.ts';
import type { Actor } from '../../../shared/types.ts';
import { seedVenueEvent } from './seed-event.ts';
import { MdnsDiscovery } from '../../../main/venue/net/directory/discovery.ts';
import { doubleAdmissionText, priorPrintPrompt, type VenueConflict } from '../../../shared/venue-view.ts';
import { duplicateWalkInText } from '../../../shared/door.ts';
import { MAIN_LIST_ID } from '../../../shared/lists.ts';
import { sentJobText, PRINT_HERE, type PrintAt } from '../../../shared/print-stations.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { startZplStandIn, type ZplStandIn } from '../../helpers/zpl-standin.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    name: { type: 'string', default: 'Desk 1' },
    listen: { type: 'string', default: '127.0.0.1' },
    // The address other desks are told (default: --listen): a proxy's, when the link is shaped.
    advertise: { type: 'string' },
    seed: { type: 'string', default: '20' },
    'clock-offset-ms': { type: 'string', default: '0' },
    protocol: { type: 'string' },
    'app-version': { type: 'string', default: '0.1.0' },
    'heartbeat-ms': { type: 'string', default: '500' },
    'eventbrite-url': { type: 'string' },
    'poll-ms': { type: 'string', default: '30000' },
    mdns: { type: 'boolean', default: false },
    printer: { type: 'string', default: 'pdf' },
    offer: { type: 'string' },
    'report-arrivals': { type: 'boolean', default: false },
    forgetting: { type: 'boolean', default: false },
  },
});
const dataDir = values['data-dir']!;
const offset = Number(values['clock-offset-ms']);
// The desk's name is a station setting (the app keeps it in its settings store): it survives a restart.
const nameFile = join(dataDir, 'desk-name.txt');
let deskName = existsSync(nameFile) ? readFileSync(nameFile, 'utf8') : values.name!;
const renameDesk = (name: string) => {
  deskName = name;
  writeFileSync(nameFile, name);
};
const admin = (): Actor => ({ role: 'admin', name: deskName });

// The browser host's file secret store: the venue secret survives a SIGKILL, as the OS keychain's would.
// Badges print as PDF files into the data folder (the station's printer, kept across a restart).
let printerId: number | null = null;
// Where badges print and the print station offered: station settings the test sets (`printAt`, `offerStation`).
let printAt: PrintAt = PRINT_HERE;
let offerAs: string | null = values.offer ?? null;
const secrets = new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key'));
const core: BadgeDeskCore = createCore({
  dataDir,
  secretStore: secrets,
  stationPrinting: () => ({ printerId, autoPrint: false, printAt, offerAs }),
  clock: { now: () => Date.now() + offset, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  ...(values['eventbrite-url']
    ? {
        providerBaseUrls: { eventbrite: values['eventbrite-url'] },
        liveSync: true,
        sync: { pollIntervalMs: Number(values['poll-ms']) },
        walCheckpoints: 'on commit' as const,
      }
    : {}),
  venueNetwork: {
    appVersion: values['app-version']!,
    station: { get: () => deskName, set: renameDesk },
    discovery: values.mdns ? new MdnsDiscovery() : null,
    listen: { host: values.listen!, port: 0 },
    advertiseHosts: [values.advertise ?? values.listen!],
    heartbeatMs: Number(values['heartbeat-ms']),
    reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
    joinTimeoutMs: 8_000,
    ...(values.protocol ? { protocol: Number(values.protocol) } : {}),
  },
  // --forgetting: what the venue holds of this desk's check-ins is asked every second (a removed
  // desk forgets by the last answer), and the retention rule runs.
  forgetting: { holdingsIntervalMs: 1_000, holdingsTimeoutMs: 2_000 },
});

// A ZPL stand-in lives and dies with this process: each start adds a printer at its new port.
let zpl: ZplStandIn | null = null;
if (values.printer === 'zpl') {
  zpl = await startZplStandIn();
  printerId = core.printing.addPrinter('Zebra', {
    kind: 'zpl_tcp',
    host: '127.0.0.1',
    port: zpl.port,
    dpi: 203,
  }).id;
} else if (values.printer === 'pdf') {
  printerId = (
    core.printing.listPrinters()[0] ??
    core.printing.addPrinter('PDF', { kind: 'pdf_folder', folder: join(dataDir, 'badges') })
  ).id;
}
core.printStations.settingsChanged();

const eventId = seedVenueEvent(core, deskName.length + dataDir.length, Number(values.seed));
const hhmm = (iso: string) => iso.slice(11, 16);
/** Milliseconds on the machine's clock, sub-millisecond: comparable across processes. */
const wallClock = () => performance.timeOrigin + performance.now();
const attendeeId = (pid: string) => {
  const a = core.store.findAttendeeByProviderId(eventId, pid);
  if (!a) throw new Error(`no attendee ${pid}`);
  return a.id;
};

/** Each badge sent to a print station, as this desk showed it (its words as they changed), by provider attendee id. */
const sentHistory = new Map<string, string[]>();
const pidOf = (attendeeId: number | null) =>
  attendeeId === null ? null : (core.store.getAttendee(attendeeId)?.providerAttendeeId ?? null);
core.events.on('printJobChanged', ({ job }) => {
  const text = sentJobText(job);
  const pid = pidOf(job.attendeeId);
  if (text === null || pid === null) return;
  const seen = sentHistory.get(pid) ?? [];
  if (seen.at(-1) !== text) sentHistory.set(pid, [...seen, text]);
});
const jobView = (j: PrintJob) => ({
  id: j.id,
  pid: pidOf(j.attendeeId),
  state: j.state,
  route: j.station?.direction ?? 'local',
  text: sentJobText(j) ?? j.error,
  stationName: j.station?.stationName ?? null,
  epoch: j.station?.epoch ?? null,
});

const byWhoAndWhen = (conflicts: VenueConflict[]) =>
  conflicts.map((c) => ({
    name: c.attendeeName,
    stamps: c.stamps
      .map((x) => ({ stationName: x.stationName, at: x.at }))
      .sort((x, y) => x.at.localeCompare(y.at)),
  }));

/** Everything the invariants compare: derived state per person, the log's action ids, conflicts. */
function state() {
  // A page at a time: a 100,000-attendee event's one page would bind more SQL variables than SQLite takes.
  const people: ReturnType<typeof core.listAttendees> = [];
  for (let offset = 0; ; offset += 10_000) {
    const page = core.listAttendees(eventId, { offset, limit: 10_000 });
    people.push(...page);
    if (page.length < 10_000) break;
  }
  const log = core.desk.log(eventId, 100_000);
  return {
    people: people
      .map((a) => ({
        pid: a.providerAttendeeId,
        checkedIn: a.checkedIn ? { at: a.checkedIn.at, station: a.checkedIn.station } : null,
        vip: a.vip,
      }))
      .sort((x, y) => x.pid.localeCompare(y.pid)),
    actions: log.map((l) => l.actionId).sort(),
    // Local row ids differ from desk to desk: conflicts are compared by who and when.
    conflicts: {
      admissions: byWhoAndWhen(core.venue.replica.conflicts(eventId).admissions),
      prints: byWhoAndWhen(core.venue.replica.conflicts(eventId).prints),
    },
    refused: core.venue.replica.refused(),
  };
}

const commands: Record<string, (args: Record<string, unknown>) => unknown> = {
  startVenue: (a) => core.venue.start(admin(), String(a.name)),
  code: () => core.venue.pairingCode(admin()),
  // Without an address: through the relay a BD2 code names.
  join: (a) =>
    core.venue.join(admin(), String(a.code), a.address === undefined ? undefined : String(a.address)),
  addDesk: (a) => core.venue.addDesk(admin(), String(a.address)),
  removeDesk: (a) => core.venue.removeDesk(admin(), String(a.stationId)),
  rotate: () => core.venue.rotateSecret(admin()),
  status: () => core.venue.status(),
  checkIn: (a) => {
    const id = attendeeId(String(a.pid));
    // When it was committed, on the machine's clock (the bench compares it with other processes').
    const at = wallClock();
    const outcome = core.desk.checkIn(admin(), { eventId, actionId: String(a.actionId), attendeeId: id });
    return { kind: outcome.kind, text: describeCheckInOutcome(outcome, hhmm), at };
  },
  /** Check-ins of a{from}..a{from+count-1} through the desk, a thousand at a time (the heal bench). */
  checkInMany: async (a) => {
    const from = Number(a.from);
    const count = Number(a.count);
    let done = 0;
    for (let i = from; i < from + count; i++) {
      const outcome = core.desk.checkIn(admin(), {
        eventId,
        actionId: `${String(a.tag)}-${String(i).padStart(7, '0')}`,
        attendeeId: attendeeId(`a${i}`),
      });
      if (outcome.kind === 'checked_in') done += 1;
      if (i % 1_000 === 999) await new Promise((r) => setImmediate(r));
    }
    return done;
  },
  /** How many are checked in now (cheap: the event's counts). */
  checkedIn: () => core.getEvent(eventId).counts.checkedIn,
  /** A digest of everything `state` holds but the refusals: equal on desks in the same state. */
  digest: () => {
    const s = state();
    return createHash('sha256')
      .update(JSON.stringify([s.people, s.actions, s.conflicts]))
      .digest('hex');
  },
  undo: (a) =>
    core.desk.undo(admin(), { eventId, attendeeId: attendeeId(String(a.pid)), actionId: String(a.actionId) })
      .kind,
  setVip: (a) => core.setVip(admin(), attendeeId(String(a.pid)), Boolean(a.vip)).vip,
  /** What the desk would say if this person came to this desk now. */
  lookup: (a) => {
    const attendee = core.store.getAttendee(attendeeId(String(a.pid)))!;
    return attendee.checkedIn ? describeCheckInOutcome({ kind: 'already_checked_in', attendee }, hhmm) : null;
  },
  state: () => state(),
  /** A first print of the person's badge at this desk, to the end (the PDF written). */
  print: async (a) => {
    const job = core.printing.printBadge(admin(), attendeeId(String(a.pid)));
    await core.printing.idle();
    return core.printing.listJobs({ eventId, limit: 100_000 }).find((j) => j.id === job.id)!.state;
  },
  /** The desk's print pre-check for this person: the prompt it shows before a first print, or null. */
  priorPrint: (a) => {
    const prior = core.venue.replica.priorPrint(attendeeId(String(a.pid)));
    return prior ? priorPrintPrompt(prior, hhmm) : null;
  },
  /** Writes raw entries into the event's document, as a peer holding the secret could. */
  writeRaw: async (a) => {
    const doc = await core.venue.network!.open({
      venueId: core.venue.network!.venueId!,
      provider: 'eventbrite',
      providerEventId: 'Conf',
    });
    doc.transact(() => {
      for (const [k, v] of Object.entries(a.entries as Record<string, unknown>))
        doc.getMap(String(a.map)).set(k, v);
    }, 'rogue');
    return true;
  },
  /** Registers a walk-in at this desk (checked in at once); answers its provider id and the check-in's kind. */
  walkIn: (a) => {
    const r = core.door.registerWalkIn(admin(), {
      eventId,
      actionId: String(a.actionId),
      firstName: String(a.firstName),
      lastName: String(a.lastName),
      email: a.email === undefined ? null : String(a.email),
      ticketName: String(a.ticketName ?? 'Walk-in'),
    });
    return { pid: r.attendee.providerAttendeeId, kind: r.checkIn.kind };
  },
  /** The desk's search, as the people it lists. */
  find: (a) =>
    core.desk.search(eventId, String(a.query)).rows.map((p) => ({
      pid: p.providerAttendeeId,
      fullName: p.fullName,
      walkIn: p.walkIn === true,
      checkedIn: p.checkedIn,
    })),
  /** One person as this desk shows them: name (corrected or not), note, flag, walk-in. */
  person: (a) => {
    const p = core.store.getAttendee(attendeeId(String(a.pid)))!;
    return {
      fullName: p.fullName,
      note: p.note ?? null,
      attention: p.attention ?? null,
      walkIn: p.walkIn === true,
      corrected: p.correction ? { at: p.correction.at, stationName: p.correction.stationName } : null,
    };
  },
  correct: (a) =>
    core.door.correctName(admin(), {
      attendeeId: attendeeId(String(a.pid)),
      actionId: String(a.actionId),
      firstName: String(a.firstName),
      lastName: a.lastName === undefined ? null : String(a.lastName),
    }).attendee.fullName,
  setNote: (a) =>
    core.door.setNote(admin(), {
      eventId,
      actionId: String(a.actionId),
      attendeeId: attendeeId(String(a.pid)),
      text: String(a.text),
    }),
  /** Walk-ins that may be one person, as the admin sees them listed. */
  duplicateWalkIns: () =>
    (core.venue.replica.conflicts(eventId).walkIns ?? []).map((d) => duplicateWalkInText(d, hhmm)),
  /** Connects this station's own account and imports the provider's event (live sync then polls it, or leaves it to the venue's poller). */
  importEvent: async (a) => {
    const integration = await core.connectIntegration(admin(), 'eventbrite', String(a.token));
    const existing = core.store.findEventByProviderId('eventbrite', String(a.providerEventId));
    if (existing !== undefined) return existing;
    const event = await core.importEvent(admin(), integration.id, String(a.providerEventId));
    await core.engine.waitForJob(event.id);
    return event.id;
  },
  /** Adds a check-in list (shared/lists.ts) as this desk's admin; answers its id. */
  addList: (a) =>
    core.lists.save(admin(), {
      eventId,
      actionId: String(a.actionId),
      definition: {
        name: String(a.name),
        ticketTypes: (a.ticketTypes as string[] | undefined) ?? null,
        window: null,
        rule: (a.rule as 'once' | 'once_per_day' | 'every_time' | undefined) ?? 'once',
        minGapMinutes: null,
        checkOutAt: null,
      },
    }).id,
  /** An entry to a list (the main list without one), as the desk says it. */
  enter: (a) => {
    const outcome = core.desk.checkIn(admin(), {
      eventId,
      actionId: String(a.actionId),
      attendeeId: attendeeId(String(a.pid)),
      ...(a.listId === undefined ? {} : { listId: String(a.listId) }),
    });
    return { kind: outcome.kind, text: describeCheckInOutcome(outcome, hhmm) };
  },
  /** An exit from a list at this desk (a typed error when the person is not inside). */
  leave: (a) =>
    core.desk.exit(admin(), {
      eventId,
      actionId: String(a.actionId),
      attendeeId: attendeeId(String(a.pid)),
      ...(a.listId === undefined ? {} : { listId: String(a.listId) }),
    }).kind,
  /** Who is inside each list (by name) and the venue, as this desk counts. */
  inside: () => {
    const v = core.lists.view(eventId);
    return { lists: Object.fromEntries(v.lists.map((l) => [l.name, l.inside])), venue: v.venueInside };
  },
  /** The double admissions the admin sees listed, as text. */
  admittedTwice: () =>
    core.venue.replica.conflicts(eventId).admissions.map((c) => doubleAdmissionText(c, hhmm)),
  /** Offers this desk's printers as a print station under this name (null: stops offering). */
  offerStation: (a) => {
    offerAs = a.name === null ? null : String(a.name);
    core.printStations.settingsChanged();
    return core.printStations.view().offering;
  },
  /** Where this desk's badges print. */
  printAt: (a) => {
    printAt = a as unknown as PrintAt;
    return printAt;
  },
  /** What this desk offers, and the print stations it sees. */
  stations: () => core.printStations.view(),
  /** A kiosk check-in of this person (the kiosk prints their badge itself, where this desk's badges print). */
  kioskCheckIn: (a) => {
    const r = core.kiosk.checkIn(
      { role: 'operator', name: `${deskName} (kiosk)` },
      { eventId, attendeeId: attendeeId(String(a.pid)), actionId: String(a.actionId), listId: MAIN_LIST_ID },
    );
    return { kind: r.outcome.kind, badgeQueued: r.badgeQueued };
  },
  /** The person's first badge, sent where this desk's badges print (not waited for). */
  printBadge: (a) => jobView(core.printing.printBadge(admin(), attendeeId(String(a.pid)))),
  /** Every badge of this desk's print queue (sent to stations, received from desks, its own). */
  badgeJobs: () => core.printing.listJobs({ eventId, limit: 100_000 }).map(jobView),
  /** What this desk showed of the person's sent badge, each state as it changed. */
  sentHistory: (a) => sentHistory.get(String(a.pid)) ?? [],
  /** A badge that came back, sent to another station (or the nearest free one). */
  sendElsewhere: (a) => {
    const job = core.printing
      .listJobs({ eventId, limit: 100_000 })
      .find((j) => j.station?.direction === 'sent' && pidOf(j.attendeeId) === String(a.pid));
    if (!job) throw new Error(`no sent badge of ${String(a.pid)}`);
    return jobView(
      core.printStations.sendElsewhere(
        job.id,
        a.stationId ? { kind: 'station', stationId: String(a.stationId) } : { kind: 'nearest' },
      ),
    );
  },
  /** The labels the ZPL stand-in received: each one's field data (names, the QR payload). */
  labels: () => (zpl?.labels ?? []).map((l) => ({ fields: l.fields, bytes: l.raw.length })),
  /** What the ZPL stand-in's host status reports from now on (paper out, head open, ...). */
  printerFaults: (a) => {
    zpl?.setFaults(a as Record<string, boolean>);
    return true;
  },
  /** The station this one elects to poll the event (`<provider>:<providerEventId>`). */
  poller: (a) => core.venue.network!.pollerOf(String(a.key))?.stationId ?? null,
  /** What forgetting the event would remove and keep here, and who holds the check-ins made here. */
  forgetCheck: () => core.forget.check(admin(), eventId),
  forget: () => core.forget.forget(admin(), eventId),
  /** Whether the event is forgotten here (and how), or due and held back (why). */
  forgotten: () => {
    const e = core.getEvent(eventId);
    return { forgotten: e.forgotten ?? null, due: e.forgetDue ?? null };
  },
  /** The emails of the event's people as this desk lists them. */
  emails: () =>
    core.listAttendees(eventId, { offset: 0, limit: 10_000 }).flatMap((p) => (p.email ? [p.email] : [])),
  /** Which of these texts the raw bytes of the database file, its WAL and the badges folder hold. */
  rawHas: (a) => {
    const files = ['badge-desk.sqlite', 'badge-desk.sqlite-wal'].map((f) => join(dataDir, f));
    const badges = join(dataDir, 'badges');
    if (existsSync(badges)) files.push(...readdirSync(badges).map((f) => join(badges, f)));
    const bytes = Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    return (a.texts as string[]).filter((t) => bytes.includes(t));
  },
  /**
   * Each venue document this desk serves: a digest of its state vector, and whether it holds changes
   * it cannot apply yet (a gap before them). Desks in step show the same digests and nothing pending.
   */
  documentStates: async () => {
    const node = core.venue.network!.node;
    const states: Record<string, { vector: string; pending: boolean }> = {};
    for (const { name } of node.health().documents) {
      const doc = await node.openDocument(name);
      try {
        states[name] = {
          vector: createHash('sha256').update(Y.encodeStateVector(doc)).digest('hex'),
          pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
        };
      } finally {
        await node.closeDocument(name);
      }
    }
    return states;
  },
  /** The node's links, server connections and each document's stations (half-open sessions show here). */
  health: () => core.venue.network!.node.health(),
  exit: async () => {
    await core.close();
    await zpl?.close();
    process.exit(0);
  },
};

function send(line: unknown) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

core.events.on('venueChanged', (p) => send({ event: 'venueChanged', eventId: p.eventId }));
if (values['report-arrivals']) {
  core.events.on('checkinsChanged', ({ attendeeIds }) => {
    const at = wallClock();
    const pids = attendeeIds.flatMap((id) => core.store.getAttendee(id)?.providerAttendeeId ?? []);
    send({ event: 'arrivals', pids, at });
  });
}

await core.venue.ready;
if (values.forgetting) core.forget.start();
send({ ready: true, port: core.venue.network!.node.port, stationId: core.venue.replica.stationId, eventId });

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let message: { id: number; cmd: string; args?: Record<string, unknown> };
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  const handler = commands[message.cmd];
  Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`no command ${message.cmd}`);
      return handler(message.args ?? {});
    })
    .then(
      (value) => send({ id: message.id, ok: true, value }),
      (err: unknown) =>
        send({
          id: message.id,
          ok: false,
          error: { code: (err as { code?: string }).code ?? 'INTERNAL', message: (err as Error).message },
        }),
    );
});
rl.on(
  'close',
  () =>
    void core
      .close()
      .then(() => zpl?.close())
      .then(() => process.exit(0)),
);
