// Walk-ins on one desk's database: registered, found by the desk's search and admitted through the
// desk's own check-in, marked everywhere, never touched by a sync, refused with a typed error and
// nothing stored when the input is bad, and turned off per event by an admin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDoorDb, type DoorDb } from '../helpers/door-db.ts';
import { person } from '../helpers/desk-db.ts';
import { AttendeeList } from '../../main/desk/attendee-list.ts';
import { AttendeeListStore } from '../../main/db/attendee-list-store.ts';
import { isAppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';

const operator: Actor = { role: 'operator', name: 'Desk 1' };
const admin: Actor = { role: 'admin', name: 'Desk 1' };
let n = 0;
const act = () => `act-walk-${String(++n).padStart(6, '0')}`;

function walkIn(d: DoorDb, over: Partial<Parameters<DoorDb['door']['registerWalkIn']>[1]> = {}) {
  return d.door.registerWalkIn(operator, {
    eventId: d.eventId,
    actionId: act(),
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@navy.example',
    company: 'US Navy',
    ticketName: 'Walk-in',
    ...over,
  });
}

test('a walk-in is checked in at once through the desk, found by its search, and marked in the log, the statistics and the CSV', (t) => {
  const d = openDoorDb(t);
  d.put([person({ fullName: 'Ada Lovelace', ticketName: 'General' })]);
  const actionId = act();
  const r = walkIn(d, { ticketName: 'General', actionId });
  assert.equal(r.checkIn.kind, 'checked_in');
  assert.equal(r.attendee.walkIn, true);
  assert.equal(r.attendee.ticketName, 'General', 'the ticket picked: its template prints');
  assert.equal(r.attendee.providerStatus, 'Walk-in');
  assert.deepEqual(r.attendee.checkedIn, { at: '2026-11-23T08:55:00.000Z', station: 'Desk 1' });
  assert.deepEqual(d.prints, [{ kind: 'first', attendeeId: r.attendee.id, note: null }], 'the badge at once');
  assert.ok(r.printJob);
  const found = d.doorDesk.search(d.eventId, 'hopp');
  assert.deepEqual(
    found.rows.map((a) => [a.fullName, a.walkIn]),
    [['Grace Hopper', true]],
  );
  // "Already checked in" holds for them as for anyone.
  const again = d.doorDesk.checkIn(operator, {
    eventId: d.eventId,
    actionId: act(),
    attendeeId: r.attendee.id,
  });
  assert.equal(again.kind, 'already_checked_in');
  assert.equal(d.doorDesk.log(d.eventId, 10)[0]!.walkIn, true);
  const stats = d.doorDesk.stats(d.eventId);
  assert.deepEqual(stats.walkIns, { registered: 1, checkedIn: 1 });
  assert.equal(stats.checkInsElsewhere, false, 'every check-in was made here');
  assert.equal(stats.attending, 2);
  const csv = d.doorDesk.exportCsv(d.eventId).csv.split('\r\n');
  assert.match(csv[1]!, /,Grace Hopper,grace@navy\.example,General,walk-in,,Desk 1,/);
  // The attendee list's filter.
  const list = new AttendeeList({ listStore: new AttendeeListStore(d.db), events: d.events });
  const page = list.page(d.eventId, { filter: { walkIn: true } }, { offset: 0, limit: 50 });
  assert.deepEqual(
    page.rows.map((a) => a.fullName),
    ['Grace Hopper'],
  );
  // A retried call (the same action id) registers and admits once.
  const entries = d.count('door_entries');
  const retried = d.door.registerWalkIn(operator, {
    eventId: d.eventId,
    actionId,
    firstName: 'Grace',
    lastName: 'Hopper',
    ticketName: 'General',
  });
  assert.equal(retried.attendee.id, r.attendee.id);
  assert.equal(d.count('door_entries'), entries);
  assert.equal(d.count('checkins'), 1);
});

test('bad input gets a typed error and stores nothing: empty, 500 characters, control characters, only spaces, an unknown ticket type', (t) => {
  const d = openDoorDb(t);
  d.put([person({ fullName: 'Ada Lovelace', ticketName: 'General' })]);
  const before = ['attendees', 'door_entries', 'checkins', 'attendee_door'].map(d.count);
  for (const [over, code, why] of [
    [{ firstName: '' }, 'INVALID_INPUT', /first name is required/],
    [{ lastName: 'x'.repeat(500) }, 'INVALID_INPUT', /longer than 100/],
    [{ firstName: 'Gr\u0000ace' }, 'INVALID_INPUT', /control/],
    [{ lastName: '     ' }, 'INVALID_INPUT', /last name is required/],
    [{ firstName: '...' }, 'INVALID_INPUT', /letter or digit/],
    [{ email: 'not an email' }, 'INVALID_INPUT', /not an address/],
    [{ ticketName: 'Backstage' }, 'INVALID_INPUT', /no ticket type "Backstage"/],
    [{ eventId: 999 }, 'NOT_FOUND', /event 999/],
  ] as const) {
    assert.throws(
      () => walkIn(d, over),
      (e: unknown) => isAppError(e) && e.code === code && why.test(e.message),
      JSON.stringify(over),
    );
  }
  assert.deepEqual(['attendees', 'door_entries', 'checkins', 'attendee_door'].map(d.count), before);
});

test('an admin turns walk-ins off for the event (an operator may not); the desk then refuses them', (t) => {
  const d = openDoorDb(t);
  assert.deepEqual(d.door.walkInChoices(d.eventId), { enabled: true, tickets: ['Walk-in'] });
  assert.throws(
    () => d.door.setWalkInsEnabled(operator, { eventId: d.eventId, actionId: act(), enabled: false }),
    (e: unknown) => isAppError(e) && e.code === 'FORBIDDEN',
  );
  assert.equal(
    d.door.setWalkInsEnabled(admin, { eventId: d.eventId, actionId: act(), enabled: false }),
    false,
  );
  assert.throws(
    () => walkIn(d),
    (e: unknown) => isAppError(e) && e.code === 'INVALID_STATE' && /turned walk-ins off/.test(e.message),
  );
  assert.equal(d.door.setWalkInsEnabled(admin, { eventId: d.eventId, actionId: act(), enabled: true }), true);
  assert.equal(walkIn(d).checkIn.kind, 'checked_in');
});

test('sync never touches a walk-in: not listed, not removed, not overwritten, not counted against the provider, not in the roster', (t) => {
  const d = openDoorDb(t);
  const ada = person({ providerAttendeeId: 'a1', fullName: 'Ada Lovelace' });
  d.put([ada]);
  const w = walkIn(d).attendee;
  // A complete listing that holds only Ada: the walk-in is not "removed on the provider".
  const slice = d.store.unlistedSlice(d.eventId, new Set(['a1']), null, 100);
  assert.deepEqual(slice.unlisted, []);
  // A provider row under the walk-in's id is refused: the walk-in stays the desk's.
  const rogue = person({
    providerAttendeeId: w.providerAttendeeId,
    fullName: 'Someone Else',
    email: 'x@x.org',
  });
  const upsert = d.store.upsertAttendees(d.eventId, [rogue, { ...ada, company: 'Analytical' }], null, 'now');
  assert.equal(upsert.updated, 1);
  const after = d.store.getAttendee(w.id)!;
  assert.deepEqual(
    [after.fullName, after.email, after.status],
    ['Grace Hopper', 'grace@navy.example', 'ATTENDING'],
  );
  assert.deepEqual(d.store.listedCounts(d.eventId), { attending: 1, notAttending: 0 });
  assert.deepEqual(d.store.providerAttendeeIds(d.eventId), ['a1']);
  assert.deepEqual([...d.store.providerRecords(d.eventId).keys()], ['a1']);
  assert.deepEqual([...d.store.providerRecords(d.eventId, [w.id]).keys()], []);
  assert.deepEqual([...d.store.providerRecordsByProviderId(d.eventId, [w.providerAttendeeId]).keys()], []);
  // Still checked in, still searchable, still counted for the event.
  assert.equal(d.store.attendeeCounts(d.eventId).attending, 2);
  assert.equal(d.store.getAttendee(w.id)!.checkedIn?.station, 'Desk 1');
});

test("an event's company question leaves a walk-in's company as typed (it answered no question)", (t) => {
  const d = openDoorDb(t);
  d.put([person({ fullName: 'Ada Lovelace', company: 'Analytical' })]);
  const r = walkIn(d);
  d.store.saveAnswerSettings(d.eventId, { companyQuestion: 'Organisation', deskQuestions: [] }, 'now');
  assert.equal(d.store.getAttendee(r.attendee.id)!.company, 'US Navy');
  d.store.saveAnswerSettings(d.eventId, { companyQuestion: null, deskQuestions: [] }, 'now');
  assert.equal(d.store.getAttendee(r.attendee.id)!.company, 'US Navy');
});
