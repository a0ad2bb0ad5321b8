// Corrections, notes, flags, links, whole orders and double admissions on one desk's database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDoorDb } from '../helpers/door-db.ts';
import { person } from '../helpers/desk-db.ts';
import { isAppError } from '../../shared/errors.ts';
import { admittedTwiceText } from '../../shared/door.ts';
import type { Actor } from '../../shared/types.ts';
import { AttendeeList } from '../../main/desk/attendee-list.ts';
import { AttendeeListStore } from '../../main/db/attendee-list-store.ts';

const operator: Actor = { role: 'operator', name: 'Desk 1' };
const admin: Actor = { role: 'admin', name: 'Desk 1' };
let n = 0;
const act = () => `act-door-${String(++n).padStart(6, '0')}`;
const hhmm = (iso: string) => iso.slice(11, 16);
const isCode = (code: string, why?: RegExp) => (e: unknown) =>
  isAppError(e) && e.code === code && (why === undefined || why.test(e.message));

test('a badge-name correction: shown and printed, the provider record beside it, found by both names, kept over a sync, cleared by a person', (t) => {
  const d = openDoorDb(t);
  const jon = person({ providerAttendeeId: 'a1', fullName: 'Jon Smith', company: 'Acme' });
  const [id] = d.put([jon, person({ fullName: 'Other Person' })]);
  d.door.correctName(operator, {
    attendeeId: id!,
    actionId: act(),
    firstName: 'Joan',
    lastName: 'Smyth',
    company: 'Acme Labs',
  });
  const a = d.store.getAttendee(id!)!;
  assert.deepEqual(
    [a.firstName, a.lastName, a.fullName, a.company],
    ['Joan', 'Smyth', 'Joan Smyth', 'Acme Labs'],
  );
  assert.deepEqual(a.correction!.provider, {
    firstName: 'Jon',
    lastName: 'Smith',
    fullName: 'Jon Smith',
    company: 'Acme',
  });
  assert.equal(a.correction!.stationName, 'Desk 1');
  assert.deepEqual(
    d.doorDesk.search(d.eventId, 'smyth').rows.map((r) => r.id),
    [id],
  );
  assert.deepEqual(
    d.doorDesk.search(d.eventId, 'jon smi').rows.map((r) => r.id),
    [id],
  );
  assert.deepEqual(
    d.doorDesk.search(d.eventId, 'acme lab').rows.map((r) => r.id),
    [id],
  );
  // The provider changes the name later: the correction stays, and both show.
  d.put([{ ...jon, fullName: 'Jonathan Smith', firstName: 'Jonathan' }]);
  const later = d.store.getAttendee(id!)!;
  assert.equal(later.fullName, 'Joan Smyth');
  assert.equal(later.correction!.provider.fullName, 'Jonathan Smith');
  assert.deepEqual(later.correction!.base, { fullName: 'Jon Smith', company: 'Acme' });
  // Cleared: the provider's record again.
  d.door.clearCorrection(operator, { attendeeId: id!, actionId: act() });
  const cleared = d.store.getAttendee(id!)!;
  assert.equal(cleared.fullName, 'Jonathan Smith');
  assert.equal(cleared.correction, undefined);
  assert.deepEqual(d.doorDesk.search(d.eventId, 'smyth').rows, []);
});

test('a correction with right-to-left or combining characters is kept exactly as typed', (t) => {
  const d = openDoorDb(t);
  const [id] = d.put([person({ fullName: 'Jon Smith' })]);
  const first = 'יוֹסֵף';
  const last = 'Nu\u0301n\u0303ez';
  d.door.correctName(operator, { attendeeId: id!, actionId: act(), firstName: first, lastName: last });
  const a = d.store.getAttendee(id!)!;
  assert.equal(a.firstName, first);
  assert.equal(a.lastName, last);
  assert.equal(a.fullName, `${first} ${last}`);
});

test('printing again after a correction is a reprint "name corrected"; a badge never printed gets its first print', (t) => {
  const d = openDoorDb(t);
  const [a, b] = d.put([person({ fullName: 'Jon Smith' }), person({ fullName: 'Kim Lee' })]);
  d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), attendeeId: a! });
  d.door.correctName(operator, { attendeeId: a!, actionId: act(), firstName: 'Joan', reprint: true });
  d.door.correctName(operator, { attendeeId: a!, actionId: act(), firstName: 'Joanna', reprint: true });
  d.door.correctName(operator, { attendeeId: b!, actionId: act(), firstName: 'Kimberly', reprint: true });
  assert.deepEqual(d.prints, [
    { kind: 'first', attendeeId: a, note: null },
    { kind: 'reprint', attendeeId: a, note: 'name corrected' },
    { kind: 'first', attendeeId: b, note: null },
  ]);
});

test('bad corrections: a typed error and nothing stored; a person removed (or cancelled) or linked away has no badge to correct', (t) => {
  const d = openDoorDb(t);
  const [id, removed] = d.put([
    person({ fullName: 'Jon Smith' }),
    person({ fullName: 'Gone Person', status: 'NOT_ATTENDING', providerStatus: 'Removed on provider' }),
  ]);
  const before = ['door_entries', 'attendee_door'].map(d.count);
  for (const [input, check] of [
    [{ attendeeId: id!, firstName: '' }, isCode('INVALID_INPUT', /first name is required/)],
    [{ attendeeId: id!, firstName: 'x'.repeat(500) }, isCode('INVALID_INPUT', /longer than/)],
    [{ attendeeId: id!, firstName: 'Jo\u001bn' }, isCode('INVALID_INPUT', /control/)],
    [{ attendeeId: id!, firstName: '  ' }, isCode('INVALID_INPUT', /required/)],
    [{ attendeeId: removed!, firstName: 'Back' }, isCode('INVALID_STATE', /removed or cancelled/)],
    [{ attendeeId: 9999, firstName: 'Nobody' }, isCode('NOT_FOUND')],
  ] as const) {
    assert.throws(
      () => d.door.correctName(operator, { ...input, actionId: act() }),
      check,
      JSON.stringify(input),
    );
  }
  assert.deepEqual(['door_entries', 'attendee_door'].map(d.count), before);
});

test("notes and flags are an admin's; the note shows at check-in, and a flagged person needs the operator's logged confirmation", (t) => {
  const d = openDoorDb(t);
  const [id, other] = d.put([
    person({ fullName: 'Ada Lovelace', ticketName: 'Workshop', barcode: 'EB-1' }),
    person({ fullName: 'Kim Lee', ticketName: 'Workshop' }),
  ]);
  assert.throws(
    () =>
      d.door.setNote(operator, {
        eventId: d.eventId,
        actionId: act(),
        attendeeId: id!,
        text: 'VIP host: call Sam',
      }),
    isCode('FORBIDDEN'),
  );
  assert.throws(
    () => d.door.setAttention(operator, { attendeeId: id!, actionId: act(), reason: 'x' }),
    isCode('FORBIDDEN'),
  );
  d.door.setNote(admin, { eventId: d.eventId, actionId: act(), attendeeId: id!, text: 'VIP host: call Sam' });
  d.door.setNote(admin, {
    eventId: d.eventId,
    actionId: act(),
    ticketName: 'Workshop',
    text: 'collect the workshop kit at desk 3',
  });
  assert.throws(
    () => d.door.setNote(admin, { eventId: d.eventId, actionId: act(), ticketName: 'Backstage', text: 'x' }),
    isCode('INVALID_INPUT', /no ticket type/),
  );
  d.door.setAttention(admin, { attendeeId: id!, actionId: act(), reason: 'check student ID' });

  // A scan alone does not admit the flagged person, and writes nothing.
  const scan = d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), code: 'EB-1' });
  assert.equal(scan.kind, 'needs_confirmation');
  assert.equal(scan.kind === 'needs_confirmation' && scan.reason, 'check student ID');
  assert.equal(d.count('checkins'), 0);
  const checkInId = act();
  const confirmed = d.doorDesk.checkIn(operator, {
    eventId: d.eventId,
    actionId: checkInId,
    code: 'EB-1',
    confirm: true,
  });
  assert.equal(confirmed.kind, 'checked_in');
  const a = confirmed.kind === 'checked_in' ? confirmed.attendee : null;
  assert.deepEqual(
    [a?.note, a?.ticketNote, a?.attention],
    ['VIP host: call Sam', 'collect the workshop kit at desk 3', 'check student ID'],
  );
  const logged = d.doorStore.entry('confirmations', checkInId)!;
  assert.deepEqual(
    [logged.entry.stationName, (logged.entry as { reason: string }).reason],
    ['Desk 1', 'check student ID'],
  );
  assert.ok(
    d.published.some((e) => e.map === 'confirmations' && e.id === checkInId),
    'the confirmation goes to the venue',
  );
  // The other person of the ticket sees the ticket's note only; clearing the flag admits by scan again.
  assert.equal(d.store.getAttendee(other!)!.ticketNote, 'collect the workshop kit at desk 3');
  assert.equal(d.store.getAttendee(other!)!.note, undefined);
  d.door.setAttention(admin, { attendeeId: id!, actionId: act(), reason: null });
  assert.equal(d.store.getAttendee(id!)!.attention, undefined);
});

test("linking a walk-in to the provider's record: one person, one admission, the walk-in's check-in kept; bad links refused", (t) => {
  const d = openDoorDb(t);
  const [p1] = d.put([
    person({ providerAttendeeId: 'p1', fullName: 'Grace Hopper', email: 'grace@navy.example' }),
  ]);
  const w = d.door.registerWalkIn(operator, {
    eventId: d.eventId,
    actionId: act(),
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'GRACE@navy.example',
    ticketName: 'Walk-in',
  }).attendee;
  assert.equal(d.store.attendeeCounts(d.eventId).attending, 2);
  const review = d.door.review(admin, d.eventId);
  assert.deepEqual(
    review.suggestions.map((s) => [s.walkIn.attendeeId, s.attendeeId]),
    [[w.id, p1]],
  );
  assert.throws(
    () => d.door.link(operator, { walkInId: w.id, attendeeId: p1!, actionId: act() }),
    isCode('FORBIDDEN'),
  );
  assert.throws(
    () => d.door.link(admin, { walkInId: p1!, attendeeId: w.id, actionId: act() }),
    isCode('INVALID_INPUT', /not a walk-in/),
  );
  const otherEvent = d.addEvent('Other');
  d.store.upsertAttendees(otherEvent, [person({ providerAttendeeId: 'x1', fullName: 'X' })], null, 'now');
  const x1 = d.store.findAttendeeByProviderId(otherEvent, 'x1')!.id;
  const before = ['door_entries', 'attendee_door'].map(d.count);
  assert.throws(
    () => d.door.link(admin, { walkInId: w.id, attendeeId: x1, actionId: act() }),
    isCode('INVALID_INPUT', /different events/),
  );
  assert.deepEqual(['door_entries', 'attendee_door'].map(d.count), before);

  const person1 = d.door.link(admin, { walkInId: w.id, attendeeId: p1!, actionId: act() });
  assert.equal(person1.id, p1);
  assert.deepEqual(
    person1.checkedIn,
    { at: '2026-11-23T08:55:00.000Z', station: 'Desk 1' },
    "the walk-in's check-in",
  );
  const counts = d.store.attendeeCounts(d.eventId);
  assert.deepEqual([counts.attending, counts.notAttending, counts.total, counts.checkedIn], [1, 0, 1, 1]);
  assert.equal(d.store.getAttendee(w.id)!.linkedTo, 'p1');
  // Scanning either is the one person, already in; undo at the walk-in's row takes back the person's check-in.
  assert.equal(
    d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), attendeeId: p1! }).kind,
    'already_checked_in',
  );
  const viaWalkIn = d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), attendeeId: w.id });
  assert.equal(viaWalkIn.kind === 'already_checked_in' && viaWalkIn.attendee.id, p1);
  assert.throws(
    () => d.door.correctName(operator, { attendeeId: w.id, actionId: act(), firstName: 'G' }),
    isCode('INVALID_STATE', /linked/),
  );
  const undone = d.doorDesk.undo(operator, { eventId: d.eventId, attendeeId: w.id, actionId: act() });
  assert.equal(undone.kind === 'undone' && undone.attendee.id, p1);
  assert.equal(d.store.getAttendee(p1!)!.checkedIn, null);
  assert.equal(d.doorDesk.stats(d.eventId).checkedIn, 0);
  // Unlinked: two people again.
  d.door.link(admin, { walkInId: w.id, attendeeId: null, actionId: act() });
  assert.equal(d.store.getAttendee(w.id)!.status, 'ATTENDING');
  assert.equal(d.store.attendeeCounts(d.eventId).attending, 2);
});

test('a whole order: the check-in offers the others, "check in all" admits them in one step, an undo of the group takes back each it made', (t) => {
  const d = openDoorDb(t, { autoPrint: true });
  const ids = d.put([
    person({ fullName: 'Manager One', orderId: 'o-42', barcode: 'M1' }),
    person({ fullName: 'Colleague Two', orderId: 'o-42' }),
    person({ fullName: 'Colleague Three', orderId: 'o-42' }),
    person({ fullName: 'Colleague Four', orderId: 'o-42', status: 'NOT_ATTENDING' }),
    person({ fullName: 'Colleague Five', orderId: 'o-42' }),
    person({ fullName: 'Someone Else', orderId: 'o-43' }),
  ]);
  d.door.setAttention(admin, { attendeeId: ids[4]!, actionId: act(), reason: 'check ID' });
  const scan = d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), code: 'M1' });
  assert.equal(scan.kind, 'checked_in');
  const order = scan.kind === 'checked_in' ? scan.order! : null;
  assert.deepEqual(
    order!.members.map((m) => [m.attendee.fullName, m.admissible]),
    [
      ['Manager One', false],
      ['Colleague Two', true],
      ['Colleague Three', true],
      ['Colleague Four', false],
      // Flagged "needs attention": "Check in all" leaves them out; they come in on their own confirmation.
      ['Colleague Five', false],
    ],
  );
  // The manager scanned again: already in, and the others of the order are offered all the same.
  const again = d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), code: 'M1' });
  assert.equal(again.kind, 'already_checked_in');
  assert.deepEqual(
    again.kind === 'already_checked_in' ? again.order?.members.filter((m) => m.admissible).length : null,
    2,
  );
  const single = d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), attendeeId: ids[5]! });
  assert.equal(single.kind === 'checked_in' && single.order, undefined, 'an order of one offers nothing');
  const groupId = act();
  const group = d.doorDesk.checkInGroup(operator, {
    eventId: d.eventId,
    actionId: groupId,
    attendeeIds: ids.slice(0, 5),
  });
  assert.deepEqual(
    group.results.map((r) => r.result),
    ['already_checked_in', 'checked_in', 'checked_in', 'not_attending', 'needs_confirmation'],
  );
  assert.equal(group.printJobs.length, 2, 'their badges in one batch');
  // Retried: the first answer, nothing recorded twice.
  const checkins = d.count('checkins');
  const retried = d.doorDesk.checkInGroup(operator, {
    eventId: d.eventId,
    actionId: groupId,
    attendeeIds: ids.slice(0, 5),
  });
  assert.deepEqual(
    retried.results.map((r) => r.result),
    group.results.map((r) => r.result),
  );
  assert.equal(d.count('checkins'), checkins);
  // A person of another event refuses the whole group, with nothing written.
  const other = d.addEvent('Other');
  d.store.upsertAttendees(other, [person({ providerAttendeeId: 'x1', fullName: 'X' })], null, 'now');
  assert.throws(
    () =>
      d.doorDesk.checkInGroup(operator, {
        eventId: d.eventId,
        actionId: act(),
        attendeeIds: [ids[4]!, d.store.findAttendeeByProviderId(other, 'x1')!.id],
        confirm: true,
      }),
    isCode('NOT_FOUND'),
  );
  assert.equal(d.count('checkins'), checkins);
  // Colleague Three's group check-in was undone at the desk, and they were checked in again since:
  // the group's undo leaves that check-in alone.
  d.doorDesk.undo(operator, { eventId: d.eventId, attendeeId: ids[2]!, actionId: act() });
  d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), attendeeId: ids[2]! });
  const undo = d.doorDesk.undoGroup(operator, {
    eventId: d.eventId,
    groupActionId: groupId,
    actionId: act(),
  });
  assert.deepEqual(
    undo.undone.map((a) => a.fullName),
    ['Colleague Two'],
  );
  assert.equal(d.store.getAttendee(ids[2]!)!.checkedIn?.station, 'Desk 1');
  assert.equal(d.store.getAttendee(ids[0]!)!.checkedIn?.station, 'Desk 1', "the scan's own check-in stays");
  assert.equal(d.store.getAttendee(ids[1]!)!.checkedIn, null);
  assert.throws(
    () =>
      d.doorDesk.undoGroup(operator, { eventId: d.eventId, groupActionId: 'act-none-0001', actionId: act() }),
    isCode('NOT_FOUND'),
  );
});

test('a person admitted at two desks: the answer, the search results and Recent check-ins carry both stamps; the list narrows to them; the statistics count them and say a check-in came from elsewhere', (t) => {
  const d = openDoorDb(t);
  const [id, onceId] = d.put([
    person({ providerAttendeeId: 'a1', fullName: 'Ada Lovelace', barcode: 'EB-1' }),
    person({ providerAttendeeId: 'a2', fullName: 'Alan Turing', barcode: 'EB-2' }),
  ]);
  const vs = d.deskStore.venue;
  // Recorded in the other order: the CSV is in time order all the same.
  vs.appendCheckIn({
    actionId: 'act-side-001',
    eventId: d.eventId,
    attendeeId: id!,
    action: 'check_in',
    station: 'Side Door',
    stationId: 'other-station-1',
    undoes: null,
    at: '2026-11-23T10:24:30.000Z',
  });
  vs.appendCheckIn({
    actionId: 'act-front-01',
    eventId: d.eventId,
    attendeeId: id!,
    action: 'check_in',
    station: 'Front Door',
    stationId: vs.stationId,
    undoes: null,
    at: '2026-11-23T10:24:00.000Z',
  });
  const again = d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), code: 'EB-1' });
  assert.equal(again.kind, 'already_checked_in');
  assert.equal(
    admittedTwiceText(again.kind === 'already_checked_in' ? again.attendee.admittedAt : undefined, hhmm),
    'Admitted twice — Front Door 10:24 and Side Door 10:24',
  );
  const log = d.doorDesk.log(d.eventId, 10);
  assert.equal(log.length, 2);
  assert.ok(
    log.every(
      (e) =>
        admittedTwiceText(e.admittedAt, hhmm) === 'Admitted twice — Front Door 10:24 and Side Door 10:24',
    ),
  );
  // Every read marks the double admission; the desk's search results carry both stamps.
  assert.equal(d.store.getAttendee(id!)!.admittedTwice, true);
  const found = d.doorDesk.search(d.eventId, 'ada').rows[0]!;
  assert.equal(
    admittedTwiceText(found.admittedAt, hhmm),
    'Admitted twice — Front Door 10:24 and Side Door 10:24',
  );
  const stats = d.doorDesk.stats(d.eventId);
  assert.equal(stats.doubleAdmissions, 1);
  assert.equal(stats.checkInsElsewhere, true);
  // The CSV: in time order, the other desk's row stamped by its own clock.
  const csv = d.doorDesk.exportCsv(d.eventId).csv.split('\r\n');
  assert.match(csv[1]!, /Front Door,act-front-01,this station's clock$/);
  assert.match(csv[2]!, /Side Door,act-side-001,Side Door's clock$/);
  // Someone admitted once is not listed, and reads as admitted once.
  d.doorDesk.checkIn(operator, { eventId: d.eventId, actionId: act(), attendeeId: onceId! });
  assert.equal(d.store.getAttendee(onceId!)!.admittedTwice, undefined);
  // The attendee list narrows to them (the event page's count leads there).
  const list = new AttendeeList({ listStore: new AttendeeListStore(d.db), events: d.events });
  const twice = list.page(d.eventId, { filter: { admittedTwice: true } }, { offset: 0, limit: 10 });
  assert.deepEqual(
    twice.rows.map((a) => a.fullName),
    ['Ada Lovelace'],
  );
});
