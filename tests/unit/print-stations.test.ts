// Print stations in one process: the pure rules (the nearest free station, the words a sending desk
// shows), the documents' schema, and desks wired as the core wires them, their documents synced by
// hand. Every hostile entry a peer could write is refused and counted, and nothing stored changes.
import { test } from 'node:test';
import * as Y from 'yjs';
import assert from 'node:assert/strict';
import {
  nearestFreeStation,
  sentJobText,
  sentJobUpdate,
  stationGoneMs,
  stationSeenMs,
  stationWordOf,
  type PrintStationView,
} from '../../shared/print-stations.ts';
import {
  checkStationJobReport,
  checkStationJobRequest,
  STATION_JOB_MAPS,
} from '../../shared/station-jobs.ts';
import { openPrintStation, StandInVenue, type PrintStationDb } from '../venue/helpers/print-station-db.ts';
import { syncDocs } from '../venue/helpers/replica-stations.ts';

const view = (over: Partial<PrintStationView> & { name: string }): PrintStationView => ({
  stationId: `station-${over.name.toLowerCase().replace(/\W/g, '')}-0000`,
  deskName: 'Desk',
  waiting: 0,
  ready: true,
  ...over,
});

test('the nearest free station: one whose printers can print, then the fewest badges waiting, then by name', () => {
  assert.equal(nearestFreeStation([]), null);
  const a = view({ name: 'Badge table', waiting: 3 });
  const b = view({ name: 'Side door', waiting: 1 });
  const c = view({ name: 'Annex', waiting: 0, ready: false });
  const d = view({ name: 'Atrium', waiting: 1 });
  assert.equal(nearestFreeStation([a, b, c])?.name, 'Side door');
  assert.equal(
    nearestFreeStation([a, c])?.name,
    'Badge table',
    'a stopped station comes after any that can print',
  );
  assert.equal(nearestFreeStation([b, d])?.name, 'Atrium', 'a tie goes by name');
  assert.equal(
    nearestFreeStation([c])?.name,
    'Annex',
    'a stopped one is still a choice when it is the only one',
  );
});

test('a station stops printing for a silent sender before the sender takes the badge back', () => {
  for (const hb of [200, 500, 2_000, 10_000, 60_000])
    assert.ok(stationGoneMs(hb) > stationSeenMs(hb), `heartbeat ${hb} ms`);
});

test('the sending desk says the station’s word in the printer-status words, with the station’s name', () => {
  const words = (w: Parameters<typeof sentJobUpdate>[0]) => sentJobUpdate(w, 'Badge table');
  assert.deepEqual(words({ state: 'held', condition: 'paper_out' }), {
    state: 'queued',
    error: 'Paper out at Badge table — load labels',
  });
  assert.deepEqual(words({ state: 'printing' }), { state: 'printing', error: null });
  assert.equal(words({ state: 'returned', detail: 'the station was closed' }).state, 'returned');
  assert.equal(words({ state: 'refused', detail: 'already printed' }).state, 'cancelled');
  const job = (state: 'queued' | 'printing' | 'printed', answered: boolean, error: string | null = null) => ({
    state,
    error,
    printerName: 'Badge table',
    station: {
      direction: 'sent' as const,
      stationId: 'x',
      stationName: 'Badge table',
      jobId: 'j',
      epoch: 1,
      answered,
    },
  });
  assert.equal(sentJobText(job('queued', false)), 'Sent to Badge table');
  assert.equal(sentJobText(job('queued', true)), 'Waiting at Badge table');
  assert.equal(sentJobText(job('printing', true)), 'Printing at Badge table');
  assert.equal(sentJobText(job('printed', true)), 'Printed at Badge table');
  assert.equal(
    sentJobText(job('queued', true, 'Paper out at Badge table — load labels')),
    'Paper out at Badge table — load labels',
  );
  // At the station: a held badge says its printers' condition; one handed back says why.
  assert.deepEqual(stationWordOf({ state: 'queued', error: 'x' }, { condition: 'head_open', detail: null }), {
    state: 'held',
    condition: 'head_open',
  });
  assert.deepEqual(stationWordOf({ state: 'queued', error: null }, null), { state: 'waiting' });
  assert.deepEqual(stationWordOf({ state: 'cancelled', error: 'the station was closed' }, null), {
    state: 'returned',
    detail: 'the station was closed',
  });
});

const JOB = 'job-0000-1111-2222';
const FROM = 'station-from-00000001';
const TO = 'station-to-0000000002';
const request = (over: Record<string, unknown> = {}) => ({
  v: 1,
  job: JOB,
  epoch: 1,
  attendee: 'a1',
  from: FROM,
  fromName: 'Kiosk 1',
  to: TO,
  toName: 'Badge table',
  reason: 'check_in',
  at: '2026-11-23T09:00:00.000Z',
  ...over,
});
const report = (over: Record<string, unknown> = {}) => ({
  v: 1,
  job: JOB,
  epoch: 1,
  station: TO,
  stationName: 'Badge table',
  state: 'waiting',
  at: '2026-11-23T09:00:01.000Z',
  ...over,
});

test('the documents’ schema: a request and a word pass; each hostile variant is refused with its reason', () => {
  assert.equal(checkStationJobRequest(JOB, request()).ok, true);
  assert.equal(checkStationJobReport(`${JOB}.1`, report()).ok, true);
  assert.equal(checkStationJobReport(`${JOB}.1`, report({ state: 'held', condition: 'paper_out' })).ok, true);
  const badRequests: [string, unknown][] = [
    [JOB, null],
    [JOB, 'a string'],
    [JOB, request({ v: 2 })],
    [JOB, request({ epoch: 0 })],
    [JOB, request({ epoch: 1.5 })],
    [JOB, request({ to: FROM })],
    [JOB, request({ to: 'x' })],
    [JOB, request({ attendee: 'a b' })],
    [JOB, request({ reason: 'test' })],
    [JOB, request({ fromName: '<b>\u0007</b>' })],
    [JOB, request({ toName: ' Badge table' })],
    [JOB, request({ at: 'yesterday' })],
    [JOB, request({ extra: true })],
    [JOB, request({ note: 'x'.repeat(2_100) })],
    ['job-9999-other-0000', request()],
    ['bad key!', request()],
  ];
  for (const [key, value] of badRequests) {
    const check = checkStationJobRequest(key, value);
    assert.equal(check.ok, false, JSON.stringify(value)?.slice(0, 80));
  }
  const badReports: [string, unknown][] = [
    [`${JOB}.1`, report({ state: 'eaten' })],
    [`${JOB}.1`, report({ state: 'held' })],
    [`${JOB}.1`, report({ condition: 'paper_out' })],
    [`${JOB}.2`, report()],
    [JOB, report()],
    [`${JOB}.1`, report({ detail: 'x'.repeat(301) })],
    [`${JOB}.1`, report({ station: 'short' })],
  ];
  for (const [key, value] of badReports) assert.equal(checkStationJobReport(key, value).ok, false, key);
});

/** A venue of a print station with a printer ("Badge table"), a kiosk without one, and a desk without one. */
function venueOf(t: Parameters<typeof openPrintStation>[0]) {
  const venue = new StandInVenue();
  const station = openPrintStation(t, venue, 'Desk 1', { offerAs: 'Badge table' });
  const kiosk = openPrintStation(t, venue, 'Kiosk 1', { printer: false });
  const desk = openPrintStation(t, venue, 'Desk 3', { printer: false });
  for (const s of [kiosk, desk])
    s.settings.printAt = { kind: 'station', stationId: station.stationId, name: 'Badge table' };
  return { venue, station, kiosk, desk };
}

async function settle(venue: StandInVenue, station: PrintStationDb): Promise<void> {
  venue.syncAll();
  await station.printing.idle();
  venue.syncAll();
}

const firstBadges = (s: PrintStationDb, pid: string) =>
  s.jobs().filter((j) => j.attendeeId === s.idOf(pid) && j.state === 'printed');

test('a kiosk without a printer sends a badge to the print station: it prints there once, and the kiosk shows it printed', async (t) => {
  const { venue, station, kiosk } = venueOf(t);
  assert.equal(
    kiosk.printing.hasStationPrinter(),
    true,
    'a kiosk sending to a station has somewhere to print',
  );
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a1'));
  assert.equal(sent.station?.direction, 'sent');
  assert.equal(sentJobText(sent), 'Sent to Badge table');
  await settle(venue, station);
  const there = station.jobs().filter((j) => j.station?.direction === 'received');
  assert.deepEqual(
    there.map((j) => [j.state, j.station?.stationName, j.attendeeName]),
    [['printed', 'Kiosk 1', 'Guest 1']],
  );
  const back = kiosk.jobs().find((j) => j.id === sent.id)!;
  assert.equal(back.state, 'printed');
  assert.equal(sentJobText(back), 'Printed at Badge table');
  // The station's record of the print reaches the venue: the kiosk's own pre-check sees it, and no double print is listed.
  assert.equal(kiosk.printing.hasFirstPrint(kiosk.idOf('a1')), true);
  assert.deepEqual(kiosk.replica.conflicts(kiosk.eventId).prints, []);
});

test('two desks send the same person’s first badge to the station: it prints once, the other is refused there', async (t) => {
  const { venue, station, kiosk, desk } = venueOf(t);
  const one = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a2'));
  const two = desk.printing.printBadge(desk.actor, desk.idOf('a2'));
  await settle(venue, station);
  assert.equal(firstBadges(station, 'a2').length, 1, 'one badge out of the printer');
  const states = [kiosk.jobs().find((j) => j.id === one.id)!, desk.jobs().find((j) => j.id === two.id)!];
  assert.deepEqual(states.map((j) => j.state).sort(), ['cancelled', 'printed']);
  assert.match(
    sentJobText(states.find((j) => j.state === 'cancelled')!)!,
    /^Not printed at Badge table: Guest 2's badge was already (sent to the printer|printed)/,
  );
});

test('a badge sent elsewhere after it came back: the first station’s copy goes back, it never prints twice', async (t) => {
  const { venue, station, kiosk } = venueOf(t);
  const second = openPrintStation(t, venue, 'Desk 4', { offerAs: 'Side door' });
  // The station takes the badge, but its printer takes nothing (its queue is closed) before it goes.
  await station.printing.close();
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a3'));
  venue.syncAll();
  assert.equal(station.jobs().find((j) => j.station?.direction === 'received')?.state, 'queued');
  assert.equal(sentJobText(kiosk.jobs().find((j) => j.id === sent.id)!), 'Waiting at Badge table');
  venue.silent.add(station.stationId);
  kiosk.printing.stations.sweep();
  const back = kiosk.jobs().find((j) => j.id === sent.id)!;
  assert.equal(back.state, 'returned');
  assert.equal(sentJobText(back), 'Badge table went away — send it elsewhere');
  kiosk.printing.stations.sendElsewhere(back, { kind: 'nearest' });
  assert.equal(kiosk.jobs().find((j) => j.id === sent.id)!.station?.stationName, 'Side door');
  // The first station comes back: it sees the badge sent elsewhere (epoch 2) and never prints its copy.
  venue.silent.delete(station.stationId);
  await settle(venue, second);
  assert.equal(firstBadges(second, 'a3').length, 1);
  assert.equal(firstBadges(station, 'a3').length, 0);
  const stationCopy = station.jobs().find((j) => j.station?.direction === 'received')!;
  assert.equal(stationCopy.state, 'cancelled');
  assert.equal(stationCopy.error, 'it was sent elsewhere');
  assert.equal(sentJobText(kiosk.jobs().find((j) => j.id === sent.id)!), 'Printed at Side door');
});

test('hostile station-job entries from a peer are refused and counted; nothing stored changes', async (t) => {
  const { venue, station, kiosk, desk } = venueOf(t);
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a4'));
  await settle(venue, station);
  // What each desk keeps: its print queue (a peer can write anything into a document; only what a desk acts on counts).
  const snapshot = (s: PrintStationDb) => JSON.stringify(s.jobs());
  const before = [station, kiosk, desk].map(snapshot);
  const counted = (s: PrintStationDb) => s.replica.refused().reduce((n, r) => n + r.count, 0);
  const counts = [station, kiosk, desk].map(counted);
  const write = (s: PrintStationDb, map: 'requests' | 'states', key: string, value: unknown) =>
    s.doc.transact(() => s.doc.getMap(STATION_JOB_MAPS[map]).set(key, value), 'rogue peer');
  const req = (over: Record<string, unknown>) =>
    request({ from: kiosk.stationId, to: station.stationId, job: 'rogue-job-00000001', ...over });

  // At the station: malformed, too big, a station that does not exist, and one sent to a desk that is not a station.
  write(station, 'requests', 'rogue-job-00000001', req({ v: 9 }));
  write(station, 'requests', 'rogue-job-00000001', req({ note: 'x'.repeat(3_000) }));
  write(
    station,
    'requests',
    'rogue-job-00000002',
    req({ job: 'rogue-job-00000002', to: 'station-nowhere-000001' }),
  );
  write(
    station,
    'requests',
    'rogue-job-00000003',
    req({ job: 'rogue-job-00000003', from: 'station-nobody-0000001' }),
  );
  write(desk, 'requests', 'rogue-job-00000004', req({ job: 'rogue-job-00000004', to: desk.stationId }));
  // A request that changes the sender of a badge already sent, or sends it back to an earlier epoch.
  const real = sent.station!.jobId;
  write(station, 'requests', real, req({ job: real, from: desk.stationId }));
  // At the kiosk: a word on its badge from a desk it was not sent to, and one under another epoch's key.
  write(kiosk, 'states', `${real}.1`, report({ job: real, station: desk.stationId, state: 'printed' }));
  write(kiosk, 'states', `${real}.1`, report({ job: real, epoch: 2, station: station.stationId }));
  // A word in the kiosk's own name that it never wrote.
  write(
    desk,
    'states',
    'rogue-job-00000009.1',
    report({ job: 'rogue-job-00000009', station: desk.stationId }),
  );

  assert.deepEqual(
    [station, kiosk, desk].map((s, i) => counted(s) - counts[i]!),
    [5, 2, 2],
    'each hostile entry counted once, at the desk that received it',
  );
  assert.equal(
    station.replica.refused().find((r) => r.stationId === 'station-nobody-0000001')?.lastReason,
    'names a station that does not exist',
  );
  assert.equal(
    desk.replica.refused().find((r) => r.stationId === kiosk.stationId)?.lastReason,
    'names a desk that is not a print station',
  );
  await station.printing.idle();
  // Nothing stored changed: no badge taken, printed or changed; the kiosk's badge still printed.
  assert.deepEqual([station, kiosk, desk].map(snapshot), before);
  assert.equal(kiosk.jobs().find((j) => j.id === sent.id)!.state, 'printed');
});

test('a station prints a sent badge only while it hears the desk that sent it; otherwise the badge goes back', async (t) => {
  const { venue, station, kiosk } = venueOf(t);
  await station.printing.close();
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a5'));
  venue.syncAll();
  const copy = station.jobs().find((j) => j.station?.direction === 'received')!;
  assert.equal(station.printing.stations.mayPrint(copy), true, 'the claim holds while the kiosk is heard');
  venue.silent.add(kiosk.stationId);
  assert.equal(station.printing.stations.mayPrint(copy), false);
  assert.deepEqual(
    [
      station.jobs().find((j) => j.id === copy.id)!.state,
      station.jobs().find((j) => j.id === copy.id)!.error,
    ],
    ['cancelled', 'the station could not hear the desk that sent it'],
  );
  venue.silent.delete(kiosk.stationId);
  venue.syncAll();
  const back = kiosk.jobs().find((j) => j.id === sent.id)!;
  assert.equal(back.state, 'returned');
  assert.equal(
    sentJobText(back),
    'Returned by Badge table (the station could not hear the desk that sent it) — send it elsewhere',
  );
});

test('a station that stops offering its printers hands its waiting badges back', async (t) => {
  const { venue, station, kiosk } = venueOf(t);
  await station.printing.close();
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a6'));
  venue.syncAll();
  assert.equal(station.printing.stations.offer()?.waiting, 1);
  station.settings.offerAs = null;
  station.printing.stations.sweep();
  venue.syncAll();
  assert.equal(station.printing.stations.offer(), null);
  assert.equal(kiosk.jobs().find((j) => j.id === sent.id)!.state, 'returned');
  assert.match(sentJobText(kiosk.jobs().find((j) => j.id === sent.id)!)!, /stopped offering its printers/);
  // Nearest free station: with none seen, a badge comes back at once, saying so.
  kiosk.settings.printAt = { kind: 'nearest' };
  const none = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a7'));
  assert.deepEqual(
    [none.state, sentJobText(none)],
    ['returned', 'No print station is seen now — send it elsewhere when one is'],
  );
});

test('a badge sent while the station was off goes back when it starts: the sender may have sent it elsewhere meanwhile', (t) => {
  const { station, kiosk } = venueOf(t);
  // The station is off (the kiosk has not noticed yet): its document is detached, and the kiosk's request reaches only the kiosk's.
  station.replica.detach({ venueId: 'venue-test', provider: 'eventbrite', providerEventId: 'Conf' });
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a8'));
  // It starts again: its document holds the request when it is attached.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(kiosk.doc), 'peer');
  station.replica.attach({ venueId: 'venue-test', provider: 'eventbrite', providerEventId: 'Conf' }, doc);
  assert.equal(station.jobs().filter((j) => j.station?.direction === 'received').length, 0, 'not taken');
  Y.applyUpdate(kiosk.doc, Y.encodeStateAsUpdate(doc), 'peer');
  const back = kiosk.jobs().find((j) => j.id === sent.id)!;
  assert.deepEqual(
    [back.state, sentJobText(back)],
    ['returned', 'Returned by Badge table (the station was off when it was sent) — send it elsewhere'],
  );
});

test('the station keeps the venue’s first-badge rule: a badge printed at another desk is not printed again when sent', async (t) => {
  const { station, kiosk } = venueOf(t);
  const venue = new StandInVenue();
  const other = openPrintStation(t, venue, 'Desk 5');
  other.printing.printBadge(other.actor, other.idOf('a9'));
  await other.printing.idle();
  // Only the station hears of that print: the kiosk still thinks the first badge is to come.
  syncDocs(other.doc, station.doc);
  assert.equal(kiosk.printing.hasFirstPrint(kiosk.idOf('a9')), false);
  const sent = kiosk.printing.printBadge(kiosk.actor, kiosk.idOf('a9'));
  syncDocs(kiosk.doc, station.doc);
  syncDocs(kiosk.doc, station.doc);
  await station.printing.idle();
  assert.equal(firstBadges(station, 'a9').length, 0);
  assert.match(
    sentJobText(kiosk.jobs().find((j) => j.id === sent.id)!)!,
    /^Not printed at Badge table: Guest 9's badge was already printed at Desk 5; a second copy is a reprint$/,
  );
});
