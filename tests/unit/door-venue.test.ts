// The door's entries between desks, in one process: each desk a real database with the door and a
// venue replica, their documents synced by hand in whatever order a test chooses (the station
// processes of tests/venue/door.test.ts do the same over the network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { openDoorDb, type DoorDb } from '../helpers/door-db.ts';
import { VenueReplica } from '../../main/venue/replica/replica.ts';
import { roster, syncDocs, VENUE_KEY } from '../venue/helpers/replica-stations.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import { duplicateWalkInText } from '../../shared/door.ts';
import type { Actor } from '../../shared/types.ts';

interface DoorStation extends DoorDb {
  replica: VenueReplica;
  doc: Y.Doc;
  actor: Actor;
  admin: Actor;
  idOf(pid: string): number;
}

function openDoorStation(t: { after(fn: () => void): void }, name: string): DoorStation {
  const d = openDoorDb(t, { printer: false });
  const people = roster(6);
  const shift = name.charCodeAt(name.length - 1) % people.length;
  d.put([...people.slice(shift), ...people.slice(0, shift)]);
  const replica = new VenueReplica({
    store: d.store,
    venueStore: d.deskStore.venue,
    clock: d.clock,
    events: d.events,
    doorStore: d.doorStore,
  });
  d.wire.publishDoor = (eventId, entries) => replica.publishDoor(eventId, entries);
  d.wire.publishCheckIns = (eventId, ids) => replica.publishCheckIns(eventId, ids);
  const doc = new Y.Doc();
  replica.attach(VENUE_KEY, doc);
  return {
    ...d,
    replica,
    doc,
    actor: { role: 'operator', name },
    admin: { role: 'admin', name },
    idOf: (pid) => d.store.findAttendeeByProviderId(d.eventId, pid)!.id,
  };
}

let n = 0;
const act = () => `act-dv-${String(++n).padStart(8, '0')}`;
const hhmm = (iso: string) => iso.slice(11, 16);

test('a walk-in registered at Desk 1 is found and admitted at Desk 2, where "Already checked in at Desk 1" holds', (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  const w = one.door.registerWalkIn(one.actor, {
    eventId: one.eventId,
    actionId: act(),
    firstName: 'Grace',
    lastName: 'Hopper',
    ticketName: 'Walk-in',
  });
  syncDocs(one.doc, two.doc);
  const found = two.doorDesk.search(two.eventId, 'grace hop').rows;
  assert.deepEqual(
    found.map((a) => [a.fullName, a.walkIn, a.providerAttendeeId]),
    [['Grace Hopper', true, w.attendee.providerAttendeeId]],
  );
  const again = two.doorDesk.checkIn(two.actor, {
    eventId: two.eventId,
    actionId: act(),
    attendeeId: found[0]!.id,
  });
  assert.equal(again.kind, 'already_checked_in');
  assert.equal(describeCheckInOutcome(again, hhmm).detail, 'Already checked in at 08:55 at Desk 1');
  // A walk-in registered at Desk 2 and not checked in yet there is admitted at Desk 1.
  const unplanned = two.door.registerWalkIn(two.actor, {
    eventId: two.eventId,
    actionId: act(),
    firstName: 'Alan',
    lastName: 'Turing',
    ticketName: 'Walk-in',
  });
  two.doorDesk.undo(two.actor, { eventId: two.eventId, attendeeId: unplanned.attendee.id, actionId: act() });
  syncDocs(one.doc, two.doc);
  const alan = one.doorDesk.search(one.eventId, 'turing').rows[0]!;
  assert.equal(alan.checkedIn, null);
  assert.equal(
    one.doorDesk.checkIn(one.actor, { eventId: one.eventId, actionId: act(), attendeeId: alan.id }).kind,
    'checked_in',
  );
  syncDocs(one.doc, two.doc);
  assert.equal(two.store.getAttendee(unplanned.attendee.id)!.checkedIn?.station, 'Desk 1');
});

test('check-ins of a walk-in that arrive before the walk-in wait for it, then apply', (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  const w = one.door.registerWalkIn(one.actor, {
    eventId: one.eventId,
    actionId: act(),
    firstName: 'Grace',
    lastName: 'Hopper',
    ticketName: 'Walk-in',
  });
  // Only the check-ins map reaches Desk 2 first.
  const checkin = one.doc.getMap('checkins');
  two.doc.transact(() => checkin.forEach((v, k) => two.doc.getMap('checkins').set(k, v)), 'peer');
  assert.equal(two.replica.pendingCount(two.eventId), 1);
  syncDocs(one.doc, two.doc);
  assert.equal(two.replica.pendingCount(two.eventId), 0);
  const there = two.store.findAttendeeByProviderId(two.eventId, w.attendee.providerAttendeeId)!;
  assert.equal(there.checkedIn?.station, 'Desk 1');
});

test('concurrent corrections converge to the same text on every desk: the later by time, then by station id', (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  const three = openDoorStation(t, 'Desk 3');
  for (const s of [one, two, three])
    s.door.correctName(s.actor, {
      attendeeId: s.idOf('a2'),
      actionId: act(),
      firstName: `Name at ${s.actor.name}`,
    });
  two.clock.advance(1);
  two.door.correctName(two.actor, {
    attendeeId: two.idOf('a2'),
    actionId: act(),
    firstName: 'Later at Desk 2',
  });
  syncDocs(one.doc, three.doc);
  syncDocs(three.doc, two.doc);
  syncDocs(one.doc, two.doc);
  const names = [one, two, three].map((s) => s.store.getAttendee(s.idOf('a2'))!.fullName);
  assert.deepEqual(names, ['Later at Desk 2', 'Later at Desk 2', 'Later at Desk 2']);
  // Same time on all three: the greatest station id wins, the same everywhere.
  one.clock.advance(1);
  three.clock.advance(1);
  for (const s of [one, two, three])
    s.door.correctName(s.actor, {
      attendeeId: s.idOf('a3'),
      actionId: act(),
      firstName: `Tie at ${s.actor.name}`,
    });
  syncDocs(one.doc, two.doc);
  syncDocs(two.doc, three.doc);
  syncDocs(one.doc, two.doc);
  const ids = [one, two, three].map((s) => s.deskStore.venue.stationId);
  const winner = [one, two, three][ids.indexOf([...ids].sort().at(-1)!)]!.actor.name;
  for (const s of [one, two, three])
    assert.equal(s.store.getAttendee(s.idOf('a3'))!.fullName, `Tie at ${winner}`);
  // Searchable by the corrected name on every desk.
  for (const s of [one, two, three])
    assert.equal(s.doorDesk.search(s.eventId, 'later desk').rows[0]?.providerAttendeeId, 'a2');
});

test('a note set at one desk shows at another, a flag holds there too, and a link makes one person on every desk', (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  one.door.setNote(one.admin, {
    eventId: one.eventId,
    actionId: act(),
    attendeeId: one.idOf('a1'),
    text: 'VIP host: call Sam',
  });
  one.door.setAttention(one.admin, {
    attendeeId: one.idOf('a4'),
    actionId: act(),
    reason: 'check student ID',
  });
  syncDocs(one.doc, two.doc);
  const checkIn = two.doorDesk.checkIn(two.actor, {
    eventId: two.eventId,
    actionId: act(),
    attendeeId: two.idOf('a1'),
  });
  assert.equal(checkIn.kind === 'checked_in' && checkIn.attendee.note, 'VIP host: call Sam');
  assert.equal(
    two.doorDesk.checkIn(two.actor, { eventId: two.eventId, actionId: act(), attendeeId: two.idOf('a4') })
      .kind,
    'needs_confirmation',
  );
  // Desk 2 admits a walk-in; Desk 1's admin links it to the provider's record: one person on both desks.
  const w = two.door.registerWalkIn(two.actor, {
    eventId: two.eventId,
    actionId: act(),
    firstName: 'Guest',
    lastName: 'Five',
    ticketName: 'Walk-in',
  });
  syncDocs(one.doc, two.doc);
  const wAtOne = one.store.findAttendeeByProviderId(one.eventId, w.attendee.providerAttendeeId)!;
  one.door.link(one.admin, { walkInId: wAtOne.id, attendeeId: one.idOf('a5'), actionId: act() });
  syncDocs(one.doc, two.doc);
  for (const s of [one, two]) {
    assert.equal(s.store.getAttendee(s.idOf('a5'))!.checkedIn?.station, 'Desk 2');
    assert.equal(s.store.attendeeCounts(s.eventId).checkedIn, 2, 'a1 and the one person of a5');
  }
});

test('apart, the same walk-in registered at two desks: after the heal both stay, and both list a possible duplicate walk-in', (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  const input = { firstName: 'Zoë', lastName: 'Núñez', ticketName: 'Walk-in' };
  one.door.registerWalkIn(one.actor, { eventId: one.eventId, actionId: act(), ...input });
  two.clock.advance(120_000);
  two.door.registerWalkIn(two.actor, { eventId: two.eventId, actionId: act(), ...input, firstName: 'zoe' });
  syncDocs(one.doc, two.doc);
  for (const s of [one, two]) {
    assert.equal(s.doorDesk.search(s.eventId, 'nunez').rows.length, 2, 'two people');
    const walkIns = s.replica.conflicts(s.eventId).walkIns!;
    assert.deepEqual(
      walkIns.map((d) => duplicateWalkInText(d, hhmm)),
      ['Possible duplicate walk-in: registered at Desk 1 08:55 and Desk 2 08:57'],
    );
  }
});

test("another desk's walk-in that fails validation is refused and counted, and nothing of it is stored; a changed entry is refused too", (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  const before = ['attendees', 'door_entries'].map(two.count);
  const signed = { at: '2026-11-23T08:55:00.000Z', stationId: 'rogue-station-1', stationName: 'Desk 9' };
  one.doc.transact(() => {
    const m = one.doc.getMap('walkIns');
    m.set('walk-in:act-bad-00001', {
      v: 1,
      firstName: '',
      lastName: 'X',
      email: null,
      company: null,
      ticketName: 'Walk-in',
      ...signed,
    });
    m.set('walk-in:act-bad-00002', {
      v: 1,
      firstName: 'A\u0000',
      lastName: 'X',
      email: null,
      company: null,
      ticketName: 'Walk-in',
      ...signed,
    });
    m.set('walk-in:act-bad-00003', {
      v: 1,
      firstName: 'Ann',
      lastName: 'x'.repeat(500),
      email: null,
      company: null,
      ticketName: 'Walk-in',
      ...signed,
    });
  }, 'peer');
  syncDocs(one.doc, two.doc);
  assert.deepEqual(['attendees', 'door_entries'].map(two.count), before);
  const refused = two.replica.refused().find((r) => r.stationId === 'rogue-station-1');
  assert.equal(refused?.count, 3);
  // An entry changed after it was written: refused, the first kept.
  const w = one.door.registerWalkIn(one.actor, {
    eventId: one.eventId,
    actionId: act(),
    firstName: 'Ann',
    lastName: 'Lee',
    ticketName: 'Walk-in',
  });
  syncDocs(one.doc, two.doc);
  const key = w.attendee.providerAttendeeId;
  const entry = one.doc.getMap('walkIns').get(key) as Record<string, unknown>;
  one.doc.transact(() => one.doc.getMap('walkIns').set(key, { ...entry, firstName: 'Changed' }), 'peer');
  syncDocs(one.doc, two.doc);
  assert.equal(two.store.findAttendeeByProviderId(two.eventId, key)!.fullName, 'Ann Lee');
  assert.ok(two.replica.refused().some((r) => /changed after it was written/.test(r.lastReason)));
});

test('a change made after seeing the entry in force wins, even from a desk whose clock is behind', (t) => {
  const one = openDoorStation(t, 'Desk 1');
  const two = openDoorStation(t, 'Desk 2');
  one.clock.advance(10 * 60_000); // Desk 1's clock runs ten minutes ahead
  one.door.correctName(one.actor, { attendeeId: one.idOf('a1'), actionId: act(), firstName: 'Ahead' });
  syncDocs(one.doc, two.doc);
  two.door.correctName(two.actor, {
    attendeeId: two.idOf('a1'),
    actionId: act(),
    firstName: 'Seen and fixed',
  });
  syncDocs(one.doc, two.doc);
  for (const s of [one, two]) assert.equal(s.store.getAttendee(s.idOf('a1'))!.fullName, 'Seen and fixed');
});
