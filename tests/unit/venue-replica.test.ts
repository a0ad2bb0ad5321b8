// The venue's data half on plain Y.Docs: two or three stations with their own databases, synced in
// memory in any order. No network here (the network half has its own suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { openStation, roster, syncDocs, actionId, VENUE_KEY } from '../venue/helpers/replica-stations.ts';
import { person } from '../helpers/desk-db.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import {
  doubleAdmissionText,
  VENUE_SCHEMA_VERSION,
  venueDocumentName,
  parseVenueDocumentName,
} from '../../shared/venue.ts';

const hhmm = (iso: string) => iso.slice(11, 16);
const at = (s: { clock: { now(): number; advance(ms: number): void } }, iso: string) =>
  s.clock.advance(Date.parse(iso) - s.clock.now());

test('a check-in at Desk 1 reaches Desk 2, which answers "Already checked in at 10:42 at Desk 1"; counts and the log are the venue\'s', (t) => {
  const d1 = openStation(t, 'Desk 1');
  const d2 = openStation(t, 'Desk 2');
  assert.notEqual(d1.replica.stationId, d2.replica.stationId);
  assert.notEqual(d1.idOf('a3'), d2.idOf('a3'), 'local row ids differ between the stations');
  at(d1, '2026-11-23T10:42:00Z');
  at(d2, '2026-11-23T10:43:00Z');
  const changed: number[][] = [];
  d2.events.on('checkinsChanged', (p) => changed.push(p.attendeeIds));
  assert.equal(
    d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'BC-3' }).kind,
    'checked_in',
  );
  syncDocs(d1.doc, d2.doc);
  assert.deepEqual(changed, [[d2.idOf('a3')]], "the remote check-in is announced with Desk 2's own row id");
  const again = d2.venueDesk.checkIn(d2.actor, { eventId: d2.eventId, actionId: actionId(), code: 'BC-3' });
  assert.equal(again.kind, 'already_checked_in');
  assert.equal(describeCheckInOutcome(again, hhmm).detail, 'Already checked in at 10:42 at Desk 1');
  assert.equal(d2.store.getEvent(d2.eventId)!.counts.checkedIn, 1);
  const row = d2.desk.log(d2.eventId, 10)[0]!;
  assert.deepEqual(
    [row.station, row.at, row.attendeeName],
    ['Desk 1', '2026-11-23T10:42:00.000Z', 'Guest 3'],
  );
});

test('an undo at Desk 2 of a check-in made at Desk 1 works on both desks', (t) => {
  const d1 = openStation(t, 'Desk 1');
  const d2 = openStation(t, 'Desk 2');
  const checkIn = actionId();
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: checkIn, code: 'BC-1' });
  syncDocs(d1.doc, d2.doc);
  const undone = d2.venueDesk.undo(d2.actor, {
    eventId: d2.eventId,
    attendeeId: d2.idOf('a1'),
    actionId: actionId(),
  });
  assert.ok(undone.kind === 'undone' && undone.attendee.checkedIn === null);
  syncDocs(d1.doc, d2.doc);
  assert.equal(d1.store.getAttendee(d1.idOf('a1'))!.checkedIn, null);
  const undo = d1.doc.getMap('checkins').toJSON() as Record<string, { kind: string; undoes?: string }>;
  assert.deepEqual(
    Object.values(undo)
      .filter((e) => e.kind === 'undo')
      .map((e) => e.undoes),
    [checkIn],
    'the undo names the check-in',
  );
  // Checked in again at Desk 1: both agree again.
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'BC-1' });
  syncDocs(d1.doc, d2.doc);
  assert.ok(d2.store.getAttendee(d2.idOf('a1'))!.checkedIn);
});

test('apart, two desks admit the same person; after the heal both list the double admission, show the earliest, and one Undo takes back both', (t) => {
  const d1 = openStation(t, 'Desk 1');
  const d3 = openStation(t, 'Desk 3');
  at(d1, '2026-11-23T10:42:00Z');
  at(d3, '2026-11-23T10:44:00Z');
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'BC-5' });
  d3.venueDesk.checkIn(d3.actor, { eventId: d3.eventId, actionId: actionId(), code: 'BC-5' });
  d3.venueDesk.checkIn(d3.actor, { eventId: d3.eventId, actionId: actionId(), code: 'BC-6' });
  assert.deepEqual(d1.replica.conflicts(d1.eventId).admissions, []);
  syncDocs(d3.doc, d1.doc);
  for (const s of [d1, d3]) {
    const { admissions } = s.replica.conflicts(s.eventId);
    assert.equal(admissions.length, 1, 'only Guest 5 was admitted twice');
    assert.equal(admissions[0]!.attendeeName, 'Guest 5');
    assert.equal(
      doubleAdmissionText(admissions[0]!, hhmm),
      'Admitted at Desk 1 10:42 and Desk 3 10:44 while the desks could not see each other',
    );
    assert.deepEqual(s.store.getAttendee(s.idOf('a5'))!.checkedIn, {
      at: '2026-11-23T10:42:00.000Z',
      station: 'Desk 1',
    });
    assert.equal(s.desk.stats(s.eventId).checkedIn, 2);
  }
  const undone = d3.venueDesk.undo(d3.actor, {
    eventId: d3.eventId,
    attendeeId: d3.idOf('a5'),
    actionId: actionId(),
  });
  assert.ok(undone.kind === 'undone' && undone.attendee.checkedIn === null, 'both check-ins are undone');
  syncDocs(d3.doc, d1.doc);
  assert.equal(d1.store.getAttendee(d1.idOf('a5'))!.checkedIn, null);
  assert.deepEqual(d1.replica.conflicts(d1.eventId).admissions, []);
});

test('VIP: the last writer by (time, station id) wins on every desk; a change always beats the flag it saw', (t) => {
  const d1 = openStation(t, 'Desk 1');
  const d2 = openStation(t, 'Desk 2');
  at(d1, '2026-11-23T09:00:00Z');
  at(d2, '2026-11-23T09:05:00Z');
  d2.replica.setVip(d2.actor, d2.idOf('a2'), true);
  d1.replica.setVip(d1.actor, d1.idOf('a2'), false); // earlier, apart: loses
  syncDocs(d1.doc, d2.doc);
  assert.equal(d1.store.getAttendee(d1.idOf('a2'))!.vip, true);
  assert.equal(d2.store.getAttendee(d2.idOf('a2'))!.vip, true);
  // Desk 1's clock is behind, but its operator saw the flag: their change wins.
  d1.replica.setVip(d1.actor, d1.idOf('a2'), false);
  syncDocs(d1.doc, d2.doc);
  assert.equal(d2.store.getAttendee(d2.idOf('a2'))!.vip, false);
  // The same millisecond at two stations: the greater station id wins, on both.
  at(d1, '2026-11-23T11:00:00Z');
  at(d2, '2026-11-23T11:00:00Z');
  d1.replica.setVip(d1.actor, d1.idOf('a4'), d1.replica.stationId > d2.replica.stationId);
  d2.replica.setVip(d2.actor, d2.idOf('a4'), d2.replica.stationId > d1.replica.stationId);
  syncDocs(d1.doc, d2.doc);
  assert.equal(d1.store.getAttendee(d1.idOf('a4'))!.vip, true);
  assert.equal(d2.store.getAttendee(d2.idOf('a4'))!.vip, true);
});

test('entries for an attendee not in the mirror yet wait, and apply when the attendee arrives', (t) => {
  const people = roster(4);
  const late = person({ providerAttendeeId: 'late-1', fullName: 'Late Comer', barcode: 'LATE' });
  const d1 = openStation(t, 'Desk 1', { people: [...people, late] });
  const d2 = openStation(t, 'Desk 2', { people });
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'LATE' });
  d1.replica.setVip(d1.actor, d1.idOf('late-1'), true);
  syncDocs(d1.doc, d2.doc);
  assert.equal(d2.replica.pendingCount(d2.eventId), 2);
  assert.equal(d2.desk.log(d2.eventId, 10).length, 0);
  d2.put([late]);
  assert.equal(d2.replica.attendeesArrived(d2.eventId), 2);
  const arrived = d2.store.findAttendeeByProviderId(d2.eventId, 'late-1')!;
  assert.equal(arrived.vip, true);
  assert.equal(arrived.checkedIn?.station, 'Desk 1');
  assert.equal(d2.replica.pendingCount(d2.eventId), 0);
});

test('a duplicate entry (the same action id again) is ignored', (t) => {
  const d1 = openStation(t, 'Desk 1');
  const d2 = openStation(t, 'Desk 2');
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'BC-2' });
  const update = Y.encodeStateAsUpdate(d1.doc);
  Y.applyUpdate(d2.doc, update);
  Y.applyUpdate(d2.doc, update);
  // The same entry written again by another client (a desk that restored it from SQLite).
  const [key, entry] = [...d1.doc.getMap('checkins').entries()][0]!;
  const other = new Y.Doc();
  other.getMap('checkins').set(key, entry);
  Y.applyUpdate(d2.doc, Y.encodeStateAsUpdate(other));
  assert.equal(d2.desk.log(d2.eventId, 10).length, 1);
  assert.deepEqual(d2.replica.refused(), []);
});

test('document names: venue, provider and provider event id, never a local row id; anything else is not ours', () => {
  const name = venueDocumentName(VENUE_KEY);
  assert.equal(name, 'venue:venue-test:eventbrite:Conf');
  assert.deepEqual(parseVenueDocumentName(name), VENUE_KEY);
  assert.equal(parseVenueDocumentName('venue:v1:zoom:123'), null);
  assert.equal(parseVenueDocumentName('other:v1:eventbrite:1'), null);
  assert.equal(parseVenueDocumentName('venue:bad id:eventbrite:1'), null);
  assert.throws(() => venueDocumentName({ ...VENUE_KEY, venueId: 'a:b' }));
});

test('what a document holds: ids, times, station names, VIP and print facts; no names, emails or barcodes', (t) => {
  const d1 = openStation(t, 'Desk 1');
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'BC-7' });
  d1.replica.setVip(d1.actor, d1.idOf('a7'), true);
  const json = JSON.stringify(d1.doc.toJSON());
  for (const secret of ['Guest 7', 'a7@example.com', 'BC-7'])
    assert.ok(!json.includes(secret), `${secret} is not in the document`);
  const entries = Object.values(d1.doc.getMap('checkins').toJSON()) as {
    v: number;
    attendee: string;
    stationId: string;
  }[];
  assert.deepEqual(
    entries.map((e) => [e.v, e.attendee, e.stationId]),
    [[VENUE_SCHEMA_VERSION, 'a7', d1.replica.stationId]],
  );
});
