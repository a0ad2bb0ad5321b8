// Check-in lists between desks, in one process: each desk a real database with a venue replica,
// documents synced by hand in whatever order a test chooses (tests/venue/lists.test.ts does the
// same with station processes over the network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Lists } from '../../main/desk/lists.ts';
import { openStation, syncDocs, type VenueStation } from '../venue/helpers/replica-stations.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import { doubleAdmissionText } from '../../shared/venue.ts';
import type { Actor } from '../../shared/types.ts';
import { listDefinition } from '../helpers/lists-db.ts';

interface ListStation extends VenueStation {
  lists: Lists;
  admin: Actor;
}

function openListStation(t: { after(fn: () => void): void }, name: string): ListStation {
  const s = openStation(t, name);
  const lists = new Lists({
    deskStore: s.deskStore,
    clock: s.clock,
    events: s.events,
    requireEvent: (id) => ({ id, name: s.store.eventName(id)! }),
    publishLists: (eventId, entries) => s.replica.publishLists(eventId, entries),
    publishCheckOut: (r) => s.replica.publishCheckOut(r),
    stationName: () => name,
  });
  return { ...s, lists, admin: { role: 'admin', name } };
}

let n = 0;
const act = () => `act-lv-${String(++n).padStart(8, '0')}`;
const hhmm = (iso: string) => iso.slice(11, 16);
const insideOf = (s: ListStation) => {
  const v = s.lists.view(s.eventId);
  return { lists: Object.fromEntries(v.lists.map((l) => [l.name, l.inside])), venue: v.venueInside };
};
const entry = (s: ListStation, pid: string, listId?: string) =>
  s.venueDesk.checkIn(s.actor, {
    eventId: s.eventId,
    actionId: act(),
    attendeeId: s.idOf(pid),
    ...(listId ? { listId } : {}),
  });
const exit = (s: ListStation, pid: string, listId?: string) =>
  s.venueDesk.exit(s.actor, {
    eventId: s.eventId,
    actionId: act(),
    attendeeId: s.idOf(pid),
    ...(listId ? { listId } : {}),
  });

test('a list added at Desk 1 reaches Desk 2; entries and exits at both converge to one count', (t) => {
  const one = openListStation(t, 'Desk 1');
  const two = openListStation(t, 'Desk 2');
  const ws = one.lists.save(one.admin, {
    eventId: one.eventId,
    actionId: act(),
    definition: listDefinition({ name: 'Workshop B', rule: 'once' }),
  }).id;
  syncDocs(one.doc, two.doc);
  assert.deepEqual(
    two.lists.view(two.eventId).lists.map((l) => l.name),
    ['Main list', 'Workshop B'],
  );
  entry(one, 'a1', ws);
  entry(two, 'a2', ws);
  entry(two, 'a1');
  syncDocs(one.doc, two.doc);
  for (const s of [one, two])
    assert.deepEqual(insideOf(s), { lists: { 'Main list': 1, 'Workshop B': 2 }, venue: 2 });
  // Desk 2 knows a1 is inside the workshop by Desk 1's entry: it refuses them again, and lets them out.
  const again = entry(two, 'a1', ws);
  assert.equal(describeCheckInOutcome(again, hhmm).detail, 'Already entered at 08:55 at Desk 1');
  exit(two, 'a1', ws);
  syncDocs(one.doc, two.doc);
  for (const s of [one, two])
    assert.deepEqual(insideOf(s), { lists: { 'Main list': 1, 'Workshop B': 1 }, venue: 2 });
  // A check-out of the main list at Desk 1 reaches Desk 2.
  one.lists.checkOutAll(one.admin, { eventId: one.eventId, actionId: act(), listId: 'main' });
  syncDocs(one.doc, two.doc);
  for (const s of [one, two])
    assert.deepEqual(insideOf(s), { lists: { 'Main list': 0, 'Workshop B': 1 }, venue: 1 });
});

test('a remote entry naming a list this desk does not know waits for the list, never dropped', (t) => {
  const one = openListStation(t, 'Desk 1');
  const two = openListStation(t, 'Desk 2');
  const ws = one.lists.save(one.admin, {
    eventId: one.eventId,
    actionId: act(),
    definition: listDefinition({ name: 'Workshop B' }),
  }).id;
  const e = entry(one, 'a3', ws);
  assert.equal(e.kind, 'checked_in');
  // Only the check-in reaches Desk 2 (a relay passed the log map first): it waits.
  const partial = new Y.Doc();
  one.doc.getMap('checkins').forEach((v, k) => partial.getMap('checkins').set(k, v));
  Y.applyUpdate(two.doc, Y.encodeStateAsUpdate(partial), 'peer');
  const waiting = () => (two.db.prepare('SELECT count(*) AS n FROM list_pending').get() as { n: number }).n;
  assert.equal(waiting(), 1);
  assert.equal(two.replica.refused().length, 0, 'not refused');
  assert.equal(insideOf(two).venue, 0);
  // Desk 2 restarts its replica (the entry is in SQLite, not only in memory) and the list arrives.
  syncDocs(one.doc, two.doc);
  assert.equal(waiting(), 0);
  assert.deepEqual(insideOf(two), { lists: { 'Main list': 0, 'Workshop B': 1 }, venue: 1 });
});

test('apart, two desks admit the same person to a "once" list; after the heal both list it, with the list', (t) => {
  const one = openListStation(t, 'Desk 1');
  const two = openListStation(t, 'Desk 2');
  const ws = one.lists.save(one.admin, {
    eventId: one.eventId,
    actionId: act(),
    definition: listDefinition({ name: 'Workshop B', rule: 'once' }),
  }).id;
  syncDocs(one.doc, two.doc);
  one.clock.advance(60_000);
  assert.equal(entry(one, 'a4', ws).kind, 'checked_in');
  two.clock.advance(120_000);
  assert.equal(entry(two, 'a4', ws).kind, 'checked_in');
  syncDocs(one.doc, two.doc);
  for (const s of [one, two]) {
    const listed = s.replica.conflicts(s.eventId).admissions;
    assert.equal(listed.length, 1);
    assert.equal(
      doubleAdmissionText(listed[0]!, hhmm),
      'Admitted to Workshop B at Desk 1 08:56 and Desk 2 08:57 while the desks could not see each other',
    );
    assert.deepEqual(insideOf(s), { lists: { 'Main list': 0, 'Workshop B': 1 }, venue: 1 }, 'inside once');
  }
});
