// Check-in lists at the desk, on a real database: refusals write nothing, an admin's override is
// logged, exits and who is inside (per list, and once per person for the venue), check-out-all now
// and on a schedule, bad input refused with typed errors and nothing stored, and the statistics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../shared/errors.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import { MAIN_LIST_ID } from '../../shared/lists.ts';
import {
  act,
  admin,
  listDefinition,
  openListsDb,
  operator,
  person,
  type ListsDb,
} from '../helpers/lists-db.ts';

const hhmm = (iso: string) => iso.slice(11, 16);
const typed = (code: string, message?: RegExp) => (err: unknown) =>
  err instanceof AppError && err.code === code && (message === undefined || message.test(err.message));

function workshopDay(t: Parameters<typeof openListsDb>[0]) {
  const d = openListsDb(t);
  const [ga, vip] = d.people([
    person({ fullName: 'Gus General', ticketName: 'General Admission', barcode: 'GA-1' }),
    person({ fullName: 'Vera Vip', ticketName: 'VIP', barcode: 'VIP-1' }),
  ]);
  const workshop = d.addList({ name: 'Workshop B', ticketTypes: ['VIP'] });
  return { d, ga: ga!, vip: vip!, workshop };
}
const checkIn = (
  d: ListsDb,
  code: string,
  listId?: string,
  over: { override?: string; actor?: typeof admin } = {},
) =>
  d.desk.checkIn(over.actor ?? operator, {
    eventId: d.eventId,
    actionId: act(),
    code,
    ...(listId ? { listId } : {}),
    ...(over.override ? { override: over.override } : {}),
  });
const exitOf = (d: ListsDb, code: string, listId?: string) =>
  d.desk.exit(operator, { eventId: d.eventId, actionId: act(), code, ...(listId ? { listId } : {}) });
/** The kept admitted counts, and the same read from every person's state: they must agree. */
const keptAdmitted = (d: ListsDb) =>
  d.db
    .prepare(
      'SELECT list_id, ticket, attending, n FROM list_admitted WHERE n > 0 ORDER BY list_id, ticket, attending',
    )
    .all();
const recountAdmitted = (d: ListsDb) =>
  d.db
    .prepare(
      `SELECT list_id, coalesce(ticket_name, '') AS ticket, attending, count(*) AS n FROM list_presence WHERE entries > 0
       GROUP BY list_id, ticket, attending ORDER BY list_id, ticket, attending`,
    )
    .all();
const vipPid = (d: ListsDb) =>
  (
    d.db.prepare("SELECT provider_attendee_id AS p FROM attendees WHERE barcode = 'VIP-1'").get() as {
      p: string;
    }
  ).p;
const inside = (d: ListsDb) => {
  const v = d.lists.view(d.eventId);
  return { ...Object.fromEntries(v.lists.map((l) => [l.name, l.inside])), venue: v.venueInside } as Record<
    string,
    number
  >;
};

test('a list refuses a ticket it does not admit, says so, and writes nothing', (t) => {
  const { d, workshop } = workshopDay(t);
  const before = d.count('checkins');
  const out = checkIn(d, 'GA-1', workshop);
  assert.equal(out.kind, 'refused');
  assert.equal(
    describeCheckInOutcome(out, hhmm).detail,
    'Not valid for Workshop B — ticket: General Admission',
  );
  assert.equal(d.count('checkins'), before);
  assert.deepEqual(inside(d), { 'Main list': 0, 'Workshop B': 0, venue: 0 });
  const ok = checkIn(d, 'VIP-1', workshop);
  assert.equal(ok.kind, 'checked_in');
  assert.deepEqual(ok.kind === 'checked_in' && ok.list, { id: workshop, name: 'Workshop B' });
  // A workshop entry is not an arrival: the person is not "checked in" at the event by it.
  assert.equal(ok.kind === 'checked_in' && ok.attendee.checkedIn, null);
  assert.deepEqual(inside(d), { 'Main list': 0, 'Workshop B': 1, venue: 1 });
});

test('an admin overrides a refusal with a reason, which the log and the list’s CSV keep; an operator may not', (t) => {
  const { d, workshop } = workshopDay(t);
  assert.throws(() => checkIn(d, 'GA-1', workshop, { override: 'speaker' }), typed('FORBIDDEN'));
  assert.equal(d.count('checkins'), 0);
  const out = checkIn(d, 'GA-1', workshop, { override: 'speaker', actor: admin });
  assert.equal(out.kind, 'checked_in');
  assert.equal(out.kind === 'checked_in' && out.override, 'speaker');
  const row = d.db.prepare('SELECT override_reason, list_id FROM checkins').get() as Record<string, string>;
  assert.deepEqual(row, { override_reason: 'speaker', list_id: workshop });
  assert.match(d.stats.exportCsv(d.eventId, workshop).csv, /,entry,Gus General,.*,speaker\r\n/);
  assert.equal(d.stats.stats(d.eventId).lists.find((l) => l.id === workshop)!.overrides, 1);
  // Where nothing was refused, an override's reason is not logged as one.
  checkIn(d, 'VIP-1', workshop, { override: 'not needed', actor: admin });
  assert.equal(d.count('checkins WHERE override_reason IS NOT NULL'), 1);
  // A reason of control characters is refused, typed.
  assert.throws(
    () => checkIn(d, 'GA-1', MAIN_LIST_ID, { override: 'a\u0007b', actor: admin }),
    typed('INVALID_INPUT'),
  );
});

test('exits: inside goes up and down per list; a person inside two lists counts once for the venue', (t) => {
  const { d, workshop } = workshopDay(t);
  checkIn(d, 'VIP-1');
  checkIn(d, 'GA-1');
  assert.deepEqual(inside(d), { 'Main list': 2, 'Workshop B': 0, venue: 2 });
  checkIn(d, 'VIP-1', workshop);
  assert.deepEqual(inside(d), { 'Main list': 2, 'Workshop B': 1, venue: 2 }, 'Vera counts once');
  const out = exitOf(d, 'VIP-1', workshop);
  assert.equal(out.kind, 'exited');
  assert.equal(describeCheckInOutcome(out, hhmm).title, 'Checked out');
  assert.deepEqual(inside(d), { 'Main list': 2, 'Workshop B': 0, venue: 2 });
  exitOf(d, 'VIP-1');
  assert.deepEqual(inside(d), { 'Main list': 1, 'Workshop B': 0, venue: 1 });
  // Still arrived: an exit is not an undo of the check-in.
  assert.notEqual(d.store.findAttendeeByProviderId(d.eventId, vipPid(d))?.checkedIn, null);
  const vera = checkIn(d, 'VIP-1');
  assert.equal(vera.kind, 'checked_in', 'back in through the main door after leaving');
  assert.deepEqual(inside(d), { 'Main list': 2, 'Workshop B': 0, venue: 2 });
});

test('an exit of someone not inside is a typed error, and nothing is stored', (t) => {
  const { d, workshop } = workshopDay(t);
  const before = [d.count('checkins'), d.count('list_presence')];
  assert.throws(
    () => exitOf(d, 'VIP-1', workshop),
    typed('INVALID_STATE', /Vera Vip is not inside Workshop B/),
  );
  checkIn(d, 'VIP-1');
  exitOf(d, 'VIP-1');
  const after = [d.count('checkins'), d.count('list_presence')];
  assert.throws(() => exitOf(d, 'VIP-1'), typed('INVALID_STATE'));
  assert.deepEqual([d.count('checkins'), d.count('list_presence')], after);
  assert.notDeepEqual(before, after);
});

test('Undo at an exit desk takes the exit back; at an entry desk, the entries in force', (t) => {
  const { d, vip, workshop } = workshopDay(t);
  checkIn(d, 'VIP-1', workshop);
  exitOf(d, 'VIP-1', workshop);
  const undoExit = d.desk.undo(operator, {
    eventId: d.eventId,
    attendeeId: vip,
    actionId: act(),
    listId: workshop,
    exit: true,
  });
  assert.equal(undoExit.kind, 'undone');
  assert.equal(inside(d)['Workshop B'], 1);
  const again = d.desk.undo(operator, {
    eventId: d.eventId,
    attendeeId: vip,
    actionId: act(),
    listId: workshop,
    exit: true,
  });
  assert.equal(again.kind, 'not_checked_out');
  assert.equal(
    d.desk.undo(operator, { eventId: d.eventId, attendeeId: vip, actionId: act(), listId: workshop }).kind,
    'undone',
  );
  assert.equal(inside(d)['Workshop B'], 0);
});

test('once per day at the desk: "Already entered today at 09:12 at Side Door", and admitted after midnight in the event’s zone', (t) => {
  const d = openListsDb(t);
  d.people([person({ fullName: 'Dana Day', ticketName: 'Day pass', barcode: 'D-1' })]);
  const day = d.addList({ name: 'Festival', rule: 'once_per_day' });
  d.at('2026-11-23T08:12:00.000Z');
  assert.equal(checkIn(d, 'D-1', day).kind, 'checked_in');
  d.at('2026-11-23T22:59:00.000Z');
  const out = checkIn(d, 'D-1', day);
  assert.equal(describeCheckInOutcome(out, hhmm).detail, 'Already entered today at 09:12 at Side Door');
  d.at('2026-11-23T23:00:00.000Z'); // midnight in Berlin
  assert.equal(checkIn(d, 'D-1', day).kind, 'checked_in');
});

test('check everyone out of a list: an admin’s, now; or on its schedule at 23:00 of the event’s day, written once', (t) => {
  const { d, workshop } = workshopDay(t);
  checkIn(d, 'VIP-1');
  checkIn(d, 'GA-1');
  checkIn(d, 'VIP-1', workshop);
  assert.throws(
    () => d.lists.checkOutAll(operator, { eventId: d.eventId, actionId: act(), listId: workshop }),
    typed('FORBIDDEN'),
  );
  assert.deepEqual(d.lists.checkOutAll(admin, { eventId: d.eventId, actionId: act(), listId: workshop }), {
    checkedOut: 1,
  });
  assert.deepEqual(inside(d), { 'Main list': 2, 'Workshop B': 0, venue: 2 });
  assert.equal(d.published.checkOuts.length, 1);

  // The main list is checked out at 23:00 Berlin (22:00 UTC) every day.
  d.lists.save(admin, {
    eventId: d.eventId,
    actionId: act(),
    listId: MAIN_LIST_ID,
    definition: listDefinition({ name: 'Main list', checkOutAt: '23:00' }),
  });
  d.at('2026-11-23T21:59:00.000Z');
  assert.equal(d.lists.runSchedules(), 0);
  d.at('2026-11-23T22:00:30.000Z');
  assert.equal(d.lists.runSchedules(), 1);
  assert.equal(d.lists.runSchedules(), 0, 'once');
  assert.deepEqual(inside(d), { 'Main list': 0, 'Workshop B': 0, venue: 0 });
  const scheduled = d.published.checkOuts.at(-1)!;
  assert.deepEqual(
    [scheduled.at, scheduled.scheduled, scheduled.listId],
    ['2026-11-23T22:00:00.000Z', true, 'main'],
  );
  // Back the next morning: in again.
  d.at('2026-11-24T08:00:00.000Z');
  assert.equal(checkIn(d, 'GA-1').kind, 'checked_in');
  assert.equal(inside(d).venue, 1);
});

test('bad input: typed errors, and nothing stored changes', (t) => {
  const { d, workshop } = workshopDay(t);
  const other = d.addEvent('Other');
  const otherList = d.lists.save(admin, {
    eventId: other,
    actionId: act(),
    definition: listDefinition({ name: 'Elsewhere' }),
  }).id;
  checkIn(d, 'VIP-1', workshop);
  const snapshot = () =>
    ['list_entries', 'checkins', 'list_presence', 'list_check_outs'].map((x) => d.count(x));
  const before = snapshot();
  const save = (def: Parameters<typeof listDefinition>[0], listId?: string) =>
    d.lists.save(admin, {
      eventId: d.eventId,
      actionId: act(),
      definition: listDefinition(def),
      ...(listId ? { listId } : {}),
    });
  assert.throws(
    () => save({ name: 'No one', ticketTypes: [] }),
    typed('INVALID_INPUT', /at least one ticket type/),
  );
  assert.throws(
    () =>
      save({
        name: 'Backwards',
        window: {
          opensAt: '2026-11-23T14:00:00.000Z',
          closesAt: '2026-11-23T13:00:00.000Z',
          toleranceMinutes: 0,
        },
      }),
    typed('INVALID_INPUT', /ends before it starts/),
  );
  assert.throws(
    () => save({ name: 'Gap', rule: 'every_time', minGapMinutes: -1 }),
    typed('INVALID_INPUT', /below zero/),
  );
  assert.throws(() => save({ name: 'Stolen' }, otherList), typed('INVALID_INPUT', /another event/));
  assert.throws(() => checkIn(d, 'VIP-1', otherList), typed('INVALID_INPUT', /another event/));
  assert.throws(() => exitOf(d, 'VIP-1', otherList), typed('INVALID_INPUT', /another event/));
  assert.throws(
    () => d.lists.checkOutAll(admin, { eventId: d.eventId, actionId: act(), listId: otherList }),
    typed('INVALID_INPUT', /another event/),
  );
  assert.throws(() => checkIn(d, 'VIP-1', 'no-such-list-1'), typed('NOT_FOUND'));
  assert.throws(() => save({ name: 'Hall' }, 'main'), typed('INVALID_INPUT', /main list/));
  assert.throws(
    () =>
      d.lists.save(operator, {
        eventId: d.eventId,
        actionId: act(),
        definition: listDefinition({ name: 'X' }),
      }),
    typed('FORBIDDEN'),
  );
  assert.throws(
    () => d.lists.remove(admin, { eventId: d.eventId, actionId: act(), listId: 'main' }),
    typed('INVALID_INPUT'),
  );
  assert.deepEqual(snapshot(), before);
  // A removed list takes no more entries (its log stays).
  d.lists.remove(admin, { eventId: d.eventId, actionId: act(), listId: workshop });
  assert.throws(() => checkIn(d, 'VIP-1', workshop), typed('INVALID_STATE', /was removed/));
});

test('statistics per list, per desk and per ticket type; pace, and when the expected arrivals are through', (t) => {
  const d = openListsDb(t);
  const people = Array.from({ length: 30 }, (_, i) =>
    person({ fullName: `Guest ${i}`, ticketName: i < 10 ? 'VIP' : 'General Admission', barcode: `B-${i}` }),
  );
  const ids = d.people(people);
  const workshop = d.addList({ name: 'Workshop B', ticketTypes: ['VIP'] });
  const front = { role: 'operator' as const, name: 'Front Door' };
  // 10 minutes: this desk (Front Door) admits 10 to the main list, the venue's Side Door 5; then 4
  // VIPs into the workshop at Side Door, and 1 out.
  const side = (i: number, listId: string, action: 'check_in' | 'exit' = 'check_in') =>
    d.deskStore.venue.transaction(() =>
      d.deskStore.venue.appendCheckIn({
        actionId: act('side'),
        eventId: d.eventId,
        attendeeId: ids[i]!,
        action,
        station: 'Side Door',
        stationId: 'side-door-station',
        undoes: null,
        at: new Date(d.clock.now()).toISOString(),
        listId,
      }),
    );
  for (let i = 0; i < 15; i++) {
    d.at(new Date(Date.parse('2026-11-23T09:00:00.000Z') + i * 40_000).toISOString());
    if (i < 10) d.desk.checkIn(front, { eventId: d.eventId, actionId: act(), code: `B-${i}` });
    else side(i, MAIN_LIST_ID);
  }
  for (let i = 0; i < 4; i++) side(i, workshop);
  side(0, workshop, 'exit');
  d.at('2026-11-23T09:10:00.000Z');
  const s = d.stats.stats(d.eventId);
  const main = s.lists.find((l) => l.main)!;
  assert.deepEqual(
    [main.inside, main.entries, main.exits, main.admitted, main.expected, main.remaining],
    [15, 15, 0, 15, 30, 15],
  );
  assert.equal(main.pacePerMinute, 1.5, '15 people in the last 10 minutes');
  assert.equal(main.finishAt, '2026-11-23T09:20:00.000Z', '15 more at 1.5 a minute');
  const ws = s.lists.find((l) => l.id === workshop)!;
  assert.deepEqual([ws.inside, ws.entries, ws.exits, ws.expected, ws.remaining], [3, 4, 1, 10, 6]);
  assert.deepEqual(ws.byTicket, [{ ticketName: 'VIP', admitted: 4, expected: 10 }]);
  assert.deepEqual(
    main.byTicket.map((b) => [b.ticketName, b.admitted, b.expected]),
    [
      ['General Admission', 5, 20],
      ['VIP', 10, 10],
    ],
  );
  assert.deepEqual(
    s.desks.map((x) => [x.stationName, x.entries, x.exits]),
    [
      ['Front Door', 10, 0],
      ['Side Door', 9, 1],
    ],
  );
  assert.equal(s.venueInside, 15);
  // A sync moves a VIP to General Admission: the split by ticket type follows, and the kept counts
  // stay the ones every person's state gives.
  d.store.upsertAttendees(
    d.eventId,
    [{ ...people[1]!, ticketName: 'General Admission' }],
    null,
    '2026-11-23T09:10:00Z',
  );
  const moved = d.stats.stats(d.eventId).lists.find((l) => l.main)!.byTicket;
  assert.deepEqual(
    moved.map((b) => [b.ticketName, b.admitted, b.expected]),
    [
      ['General Admission', 6, 21],
      ['VIP', 9, 9],
    ],
  );
  assert.deepEqual(keptAdmitted(d), recountAdmitted(d));
  // Nobody came for an hour: no pace, no finish time.
  d.at('2026-11-23T10:30:00.000Z');
  assert.equal(d.stats.stats(d.eventId).lists.find((l) => l.main)!.finishAt, null);

  const c = d.stats.charts(d.eventId);
  assert.equal(c.slots[0], '2026-11-23T09:00:00.000Z');
  assert.equal(c.slots.length, 19, '09:00 to 10:30 in 5-minute slots');
  const byDesk = Object.fromEntries(c.arrivals.map((a) => [a.stationName, a.counts.slice(0, 3)]));
  assert.deepEqual(byDesk, { 'Front Door': [8, 2, 0], 'Side Door': [0, 9, 0] });
  assert.deepEqual(c.inside.slice(0, 3), [8, 15, 15]);
  assert.equal(c.inside.at(-1), s.venueInside);
});

test('a check-out that arrives late (another desk’s, stamped earlier) checks out only who was inside then', (t) => {
  const { d, workshop } = workshopDay(t);
  d.lists.save(admin, {
    eventId: d.eventId,
    actionId: act(),
    listId: workshop,
    definition: listDefinition({ name: 'Workshop B', ticketTypes: null }),
  });
  d.at('2026-11-23T10:00:00.000Z');
  checkIn(d, 'GA-1', workshop);
  d.at('2026-11-23T12:00:00.000Z');
  checkIn(d, 'VIP-1', workshop);
  const touched = d.deskStore.venue.transaction(() =>
    d.deskStore.venue.applyCheckOut({
      actionId: act('co'),
      eventId: d.eventId,
      listId: workshop,
      at: '2026-11-23T11:00:00.000Z',
      stationId: 'other-desk-station',
      station: 'Side Door',
      scheduled: false,
    }),
  );
  assert.equal(touched?.length, 2, 'both read again, one changed');
  assert.deepEqual(inside(d), { 'Main list': 0, 'Workshop B': 1, venue: 1 });
  const vera = d.lists.view(d.eventId);
  assert.equal(vera.venueInside, 1);
  // The same as the pure rule over the whole event.
  assert.equal(d.stats.charts(d.eventId).inside.at(-1), 1);
});
