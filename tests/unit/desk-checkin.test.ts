import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDeskDb, person } from '../helpers/desk-db.ts';
import { checkInLogCsv, csvCell } from '../../main/desk/csv.ts';
import {
  describeCheckInOutcome,
  describeUndoOutcome,
  isCancelledAfterCheckIn,
  offlineHeaderText,
  type UndoBadge,
} from '../../shared/desk.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';

const desk1: Actor = { role: 'operator', name: 'Desk 1' };
const desk2: Actor = { role: 'operator', name: 'Desk 2' };
let n = 0;
const action = () => `action-${String(++n).padStart(8, '0')}`;
const hhmm = (iso: string) => iso.slice(11, 16);

test('a scan checks in at once; the log row carries station and time; state is derived from the log', (t) => {
  const d = openDeskDb(t);
  const [id] = d.put([person({ fullName: 'Ada Lovelace', barcode: 'EB-1001' })]);
  const changed: number[][] = [];
  d.events.on('checkinsChanged', (p) => changed.push(p.attendeeIds));

  const out = d.desk.checkIn(desk2, { eventId: d.eventId, actionId: action(), code: ' EB-1001 ' });
  assert.equal(out.kind, 'checked_in');
  assert.ok(out.kind === 'checked_in' && out.via === 'scan');
  assert.deepEqual(out.kind === 'checked_in' && out.attendee.checkedIn, {
    at: '2026-11-23T08:55:00.000Z',
    station: 'Desk 2',
  });
  assert.deepEqual(changed, [[id]]);

  const log = d.desk.log(d.eventId, 10);
  assert.equal(log.length, 1);
  assert.deepEqual(
    [log[0]!.action, log[0]!.station, log[0]!.at, log[0]!.attendeeName],
    ['check_in', 'Desk 2', '2026-11-23T08:55:00.000Z', 'Ada Lovelace'],
  );
  assert.equal(d.store.getEvent(d.eventId)!.counts.checkedIn, 1);
});

test('a second scan says "already checked in at HH:MM at <station>" and writes nothing', (t) => {
  const d = openDeskDb(t);
  d.put([person({ fullName: 'Ada Lovelace', barcode: 'EB-1001' })]);
  d.clock.advance(Date.parse('2026-11-23T10:42:00Z') - d.clock.now());
  d.desk.checkIn(desk2, { eventId: d.eventId, actionId: action(), code: 'EB-1001' });
  d.clock.advance(60_000);
  const again = d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), code: 'EB-1001' });
  assert.equal(again.kind, 'already_checked_in');
  assert.equal(describeCheckInOutcome(again, hhmm).detail, 'Already checked in at 10:42 at Desk 2');
  assert.equal(d.desk.log(d.eventId, 10).length, 1);
});

test('not found, cancelled and pending answers are refusals the desk shows, with nothing written', (t) => {
  const d = openDeskDb(t);
  const [cancelled, pending] = d.put([
    person({
      fullName: 'Carl Cancelled',
      barcode: 'C1',
      status: 'NOT_ATTENDING',
      providerStatus: 'Not Attending',
    }),
    person({
      fullName: 'Paula Pending',
      barcode: 'P1',
      status: 'NOT_YET_ATTENDING',
      providerStatus: 'pending_approval',
    }),
  ]);
  const unknown = d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), code: 'NO-SUCH-CODE' });
  assert.deepEqual(unknown, { kind: 'not_found', code: 'NO-SUCH-CODE' });
  assert.equal(describeCheckInOutcome(unknown, hhmm).title, 'Not found');
  const c = d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), code: 'C1' });
  assert.equal(c.kind, 'not_attending');
  assert.equal(describeCheckInOutcome(c, hhmm).title, 'Not attending (cancelled)');
  assert.equal(
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: cancelled! }).kind,
    'not_attending',
  );
  assert.equal(
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: pending! }).kind,
    'not_yet_attending',
  );
  assert.equal(d.desk.log(d.eventId, 10).length, 0);
});

test('an exact barcode beats the picked row; without one the picked row is checked in', (t) => {
  const d = openDeskDb(t);
  const [picked, scanned] = d.put([
    person({ fullName: 'Picked Person', barcode: 'X1' }),
    person({ fullName: 'Scanned Person', barcode: 'X2' }),
  ]);
  const a = d.desk.checkIn(desk1, {
    eventId: d.eventId,
    actionId: action(),
    code: 'X2',
    attendeeId: picked!,
  });
  assert.ok(a.kind === 'checked_in' && a.attendee.id === scanned && a.via === 'scan');
  const b = d.desk.checkIn(desk1, {
    eventId: d.eventId,
    actionId: action(),
    code: 'pick',
    attendeeId: picked!,
  });
  assert.ok(b.kind === 'checked_in' && b.attendee.id === picked && b.via === 'search');
});

test('a retried action id returns the first answer and records once; reusing it for another action is refused', (t) => {
  const d = openDeskDb(t);
  const [id] = d.put([person({ fullName: 'Ada Lovelace' })]);
  const actionId = action();
  const first = d.desk.checkIn(desk1, { eventId: d.eventId, actionId, attendeeId: id! });
  const retried = d.desk.checkIn(desk1, { eventId: d.eventId, actionId, attendeeId: id! });
  assert.equal(first.kind, 'checked_in');
  assert.equal(retried.kind, 'checked_in');
  assert.equal(d.desk.log(d.eventId, 10).length, 1);
  assert.throws(
    () => d.desk.undo(desk1, { eventId: d.eventId, attendeeId: id!, actionId }),
    (e) => e instanceof AppError && e.code === 'CONFLICT',
  );
});

test('undo appends to the log; the derived state follows; undo twice is a no-op answer', (t) => {
  const d = openDeskDb(t);
  const [id] = d.put([person({ fullName: 'Ada Lovelace' })]);
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: id! });
  const undone = d.desk.undo(desk1, { eventId: d.eventId, attendeeId: id!, actionId: action() });
  assert.ok(undone.kind === 'undone' && undone.attendee.checkedIn === null);
  assert.equal(
    d.desk.undo(desk1, { eventId: d.eventId, attendeeId: id!, actionId: action() }).kind,
    'not_checked_in',
  );
  assert.equal(
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: id! }).kind,
    'checked_in',
  );
  assert.deepEqual(
    d.desk.log(d.eventId, 10).map((e) => e.action),
    ['check_in', 'undo', 'check_in'],
  );
  assert.equal(d.store.getEvent(d.eventId)!.counts.checkedIn, 1);
  // The log itself can never be edited, even by a bug: the database refuses.
  assert.throws(() => d.db.prepare('DELETE FROM checkins').run(), /append-only/);
  assert.throws(() => d.db.prepare(`UPDATE checkins SET station = 'x'`).run(), /append-only/);
});

test('an attendee of another event, or an unknown event, is a typed NOT_FOUND', (t) => {
  const d = openDeskDb(t);
  const other = d.addEvent('Other');
  d.store.upsertAttendees(
    other,
    [person({ providerAttendeeId: 'elsewhere', fullName: 'Elsewhere' })],
    null,
    '2026-11-23T08:00:00Z',
  );
  const elsewhere = d.store.findAttendeeByProviderId(other, 'elsewhere')!.id;
  const notFound = (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND';
  assert.throws(
    () => d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: elsewhere }),
    notFound,
  );
  assert.throws(() => d.desk.checkIn(desk1, { eventId: 999, actionId: action(), code: 'x' }), notFound);
  assert.throws(
    () => d.desk.undo(desk1, { eventId: d.eventId, attendeeId: elsewhere, actionId: action() }),
    notFound,
  );
  // A barcode of another event is not found here.
  const elsewhereCode = d.store.getAttendee(elsewhere)!.barcode!;
  assert.equal(
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), code: elsewhereCode }).kind,
    'not_found',
  );
});

test('a provider cancelling a checked-in attendee keeps the check-in and flags it; a sync never touches the log or VIP', (t) => {
  const d = openDeskDb(t);
  const row = person({ providerAttendeeId: 'z', fullName: 'Zoë VIP' });
  const [id] = d.put([row]);
  d.store.setVip(id!, true, '2026-11-23T08:50:00Z');
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: id! });
  d.put([{ ...row, status: 'NOT_ATTENDING', providerStatus: 'Not Attending', fullName: 'Zoë Renamed' }]);
  const after = d.store.getAttendee(id!)!;
  assert.equal(after.status, 'NOT_ATTENDING');
  assert.equal(after.vip, true);
  assert.ok(after.checkedIn, 'the check-in stays');
  assert.equal(isCancelledAfterCheckIn(after), true);
  const stats = d.desk.stats(d.eventId);
  assert.equal(stats.cancelledAfterCheckIn, 1);
  assert.equal(stats.checkedIn, 0, 'checked in / attending counts attending rows only');
});

test('statistics: checked in / attending, by ticket type, arrivals per 15 minutes without gaps', (t) => {
  const d = openDeskDb(t);
  const ids = d.put([
    ...Array.from({ length: 6 }, (_, i) => person({ fullName: `General ${i}`, ticketName: 'General' })),
    ...Array.from({ length: 3 }, (_, i) => person({ fullName: `Speaker ${i}`, ticketName: 'Speaker' })),
    person({ fullName: 'No Ticket', ticketName: null }),
    person({ fullName: 'Gone', status: 'NOT_ATTENDING', ticketName: 'General' }),
  ]);
  const at = ['2026-11-23T08:50:00Z', '2026-11-23T08:59:59Z', '2026-11-23T09:00:00Z', '2026-11-23T09:31:00Z'];
  const who = [ids[0]!, ids[1]!, ids[6]!, ids[9]!];
  at.forEach((time, i) => {
    d.clock.advance(Date.parse(time) - d.clock.now());
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: who[i]! });
  });
  d.desk.undo(desk1, { eventId: d.eventId, attendeeId: ids[1]!, actionId: action() });
  const s = d.desk.stats(d.eventId);
  assert.equal(s.attending, 10);
  assert.equal(s.checkedIn, 3);
  assert.deepEqual(s.byTicket, [
    { ticketName: 'General', attending: 6, checkedIn: 1 },
    { ticketName: 'Speaker', attending: 3, checkedIn: 1 },
    { ticketName: null, attending: 1, checkedIn: 1 },
  ]);
  assert.deepEqual(s.arrivals, [
    { slotStart: '2026-11-23T08:45:00.000Z', count: 1 },
    { slotStart: '2026-11-23T09:00:00.000Z', count: 1 },
    { slotStart: '2026-11-23T09:15:00.000Z', count: 0 },
    { slotStart: '2026-11-23T09:30:00.000Z', count: 1 },
  ]);
  assert.equal(s.lastCheckInAt, '2026-11-23T09:31:00.000Z');
});

test('check-ins survive closing and reopening the database (a restart)', (t) => {
  const d = openDeskDb(t, undefined, false);
  const ids = d.put(Array.from({ length: 50 }, (_, i) => person({ fullName: `Guest ${i}` })));
  for (const id of ids) {
    d.clock.advance(7_000);
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: id });
  }
  const before = d.desk.log(d.eventId, 100);
  d.db.close();
  const again = openDeskDb(t, d.dir);
  assert.deepEqual(again.desk.log(again.eventId, 100), before);
  assert.equal(again.store.getEvent(again.eventId)!.counts.checkedIn, 50);
});

test('CSV export: one line per action, formula-looking cells neutralised, quotes escaped, UTF-8 BOM', (t) => {
  const d = openDeskDb(t);
  const [a, b] = d.put([
    person({
      fullName: '=HYPERLINK("http://evil","x")',
      email: 'e@x.org',
      ticketName: 'General',
      barcode: 'B1',
    }),
    person({ fullName: 'Zoë "Zed", Núñez', ticketName: null, barcode: '+44' }),
  ]);
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: 'act-aaaa-0001', attendeeId: a! });
  d.desk.checkIn(desk2, { eventId: d.eventId, actionId: 'act-aaaa-0002', attendeeId: b! });
  d.desk.undo(desk2, { eventId: d.eventId, attendeeId: b!, actionId: 'act-aaaa-0003' });
  const { csv, filename } = d.desk.exportCsv(d.eventId);
  assert.match(filename, /^check-ins-conf-2026-11-23-08-55\.csv$/);
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.equal(lines[0], 'time,action,attendee,email,ticket,walk_in,barcode,station,action_id,clock');
  assert.equal(lines.length, 4);
  assert.equal(
    lines[1],
    `2026-11-23T08:55:00.000Z,check-in,"'=HYPERLINK(""http://evil"",""x"")",e@x.org,General,,B1,Desk 1,act-aaaa-0001,this station's clock`,
  );
  assert.equal(
    lines[3],
    `2026-11-23T08:55:00.000Z,undo,"Zoë ""Zed"", Núñez",p${lines[3]!.match(/,p(\d+)@/)?.[1] ?? ''}@example.com,,,'+44,Desk 2,act-aaaa-0003,this station's clock`,
  );
  assert.equal(csvCell('-1'), "'-1");
  assert.equal(csvCell(' padded '), '" padded "');
  assert.equal(
    checkInLogCsv([]),
    '\uFEFFtime,action,attendee,email,ticket,walk_in,barcode,station,action_id,clock\r\n',
  );
});

test('offline header text', () => {
  assert.equal(
    offlineHeaderText('2026-11-23T10:42:00Z', hhmm),
    'Offline — working from local data, last synced 10:42',
  );
  assert.equal(offlineHeaderText(null, hhmm), 'Offline — working from local data, not synced yet');
});

test('the undo answer says what happened to the badge: taken out of the queue, or out already (a warning)', () => {
  const attendee = { fullName: 'John Smith' } as Attendee;
  const job = (state: PrintJob['state']) => ({ state }) as PrintJob;
  const detail = (badge: UndoBadge | null) =>
    describeUndoOutcome({ kind: 'undone', attendee, actionId: 'a-00000001', badge });
  assert.deepEqual(detail(null), {
    tone: 'info',
    title: 'Check-in undone',
    subject: 'John Smith',
    detail: null,
  });
  assert.equal(
    detail({ kind: 'cancelled', job: job('cancelled') }).detail,
    'The badge was taken out of the print queue',
  );
  assert.deepEqual(
    (['printed', 'printing', 'may_have_printed', 'queued'] as const).map((s) => [
      detail({ kind: 'kept', job: job(s) }).tone,
      detail({ kind: 'kept', job: job(s) }).detail,
    ]),
    [
      ['warning', 'The badge already printed: take it back'],
      ['warning', 'The badge is already printing: take it back'],
      ['warning', 'The badge may have printed: check the printer'],
      ['info', 'The badge stays in the print queue'],
    ],
  );
  assert.deepEqual(describeUndoOutcome({ kind: 'not_checked_in', attendee }), {
    tone: 'warning',
    title: 'Not checked in',
    subject: 'John Smith',
    detail: 'There is no check-in to undo',
  });
});
