// A roster whose records carry no provider change stamp (Luma sends none: the real recordings
// have no updated_at): the poller orders the records it writes, a desk that takes over continues
// after the highest order it has seen, and an older record never replaces a newer one, whether the
// poller before it comes back with its document or having lost it. Real stations (SQLite mirrors,
// real replicas), their documents synced in memory; the records are the recorded Luma guests,
// read by the real client over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { VenueReplica } from '../../main/venue/replica/replica.ts';
import type { ProviderAttendee, ProviderClient } from '../../main/providers/index.ts';
import { ROSTER_MAPS, checkRosterEntry } from '../../shared/venue-roster.ts';
import { REAL_EVENTS, startRealPayloadServer } from '../helpers/real-payloads.ts';
import { VENUE_KEY, openStation, syncDocs, type VenueStation } from '../venue/helpers/replica-stations.ts';

async function realLumaGuests(t: { after(fn: () => unknown): void }): Promise<ProviderAttendee[]> {
  const list = async (client: ProviderClient, eventId: string) =>
    (await client.pageAttendees(eventId, null)).attendees;
  const current = await startRealPayloadServer('current');
  t.after(() => current.close());
  const legacy = await startRealPayloadServer('legacy');
  t.after(() => legacy.close());
  const [pending] = await list(current.client('luma'), REAL_EVENTS.lumaCurrent);
  // The older recording's guests share one scrubbed id: one of them, the approved "Free" ticket.
  const [, approved] = await list(legacy.client('luma'), REAL_EVENTS.lumaLegacy);
  return [pending!, approved!];
}

/** Every roster entry of the document, as a desk would read it. */
function documentRecord(doc: Y.Doc, providerAttendeeId: string) {
  const check = checkRosterEntry(providerAttendeeId, doc.getMap(ROSTER_MAPS.roster).get(providerAttendeeId));
  assert.ok(check.ok, `the document's entry for ${providerAttendeeId} is valid`);
  return check.attendee;
}

const record = (s: VenueStation, pid: string) => s.store.providerRecords(s.eventId).get(pid);

async function settled(...stations: { replica: VenueReplica; eventId: number }[]): Promise<void> {
  for (let round = 0; round < 3; round++) for (const s of stations) await s.replica.rosterSettled(s.eventId);
}

/**
 * Desk 1 polls and writes the recorded guests, then sees the organiser approve the pending one;
 * Desk 1 goes away, Desk 2 takes over and sees the organiser decline them. Desk 3 holds no
 * account. Returns the stations, with Desk 1 detached as if it had stopped.
 */
async function takeover(t: { after(fn: () => unknown): void }) {
  const guests = await realLumaGuests(t);
  assert.ok(
    guests.every((g) => g.providerUpdatedAt === null),
    'the recorded Luma guests carry no change stamp',
  );
  const [x, other] = guests as [ProviderAttendee, ProviderAttendee];
  const approved: ProviderAttendee = { ...x, status: 'ATTENDING', providerStatus: 'approved' };
  const declined: ProviderAttendee = { ...x, status: 'NOT_ATTENDING', providerStatus: 'declined' };
  const election = { desk1: true };
  const desk1 = openStation(t, 'Desk 1', { people: guests, isPoller: () => election.desk1 });
  const desk2 = openStation(t, 'Desk 2', { people: guests, isPoller: () => !election.desk1 });
  const desk3 = openStation(t, 'Desk 3', { people: [], isPoller: () => false });
  // Yjs settles two concurrent writes of one key by client id: Desk 1's win here, so a stale
  // record of Desk 1's is what the documents show (the case the order must catch).
  desk1.doc.clientID = 3_000_000_000;
  desk2.doc.clientID = 2_000_000_000;
  desk3.doc.clientID = 1_000_000_000;
  const meet = async (...stations: VenueStation[]) => {
    for (const a of stations) for (const b of stations) if (a !== b) syncDocs(a.doc, b.doc);
    await settled(...stations);
  };

  // Desk 1 polls: its records reach every desk, Desk 3 (no account) included.
  await settled(desk1);
  await meet(desk1, desk2, desk3);
  assert.equal(record(desk3, x.providerAttendeeId)?.providerStatus, 'pending_approval');
  assert.equal(record(desk3, other.providerAttendeeId)?.fullName, 'Bob Jones');

  // Desk 1's live pass sees the approval and writes it.
  desk1.replica.publishRoster(desk1.eventId, [applyChange(desk1, approved)]);
  await meet(desk1, desk2, desk3);
  assert.equal(record(desk3, x.providerAttendeeId)?.status, 'ATTENDING');
  const desk1Order = documentRecord(desk1.doc, x.providerAttendeeId).rosterOrder!;

  // Desk 1 goes away; Desk 2 takes over and sees the decline.
  desk1.replica.detach(VENUE_KEY);
  election.desk1 = false;
  desk2.replica.publishRoster(desk2.eventId, [applyChange(desk2, declined)]);
  await meet(desk2, desk3);
  assert.equal(record(desk3, x.providerAttendeeId)?.status, 'NOT_ATTENDING');
  const takeoverOrder = documentRecord(desk2.doc, x.providerAttendeeId).rosterOrder!;
  assert.ok(takeoverOrder > desk1Order, `the takeover continues after ${desk1Order}: ${takeoverOrder}`);

  /** Desk 1 restarts with this document and, the lowest station id, is elected again. */
  const restartDesk1 = async (doc: Y.Doc) => {
    election.desk1 = true;
    const replica = new VenueReplica({
      store: desk1.store,
      venueStore: desk1.deskStore.venue,
      clock: desk1.clock,
      events: desk1.events,
      isPoller: () => election.desk1,
    });
    replica.attach(VENUE_KEY, doc);
    await replica.rosterSettled(desk1.eventId);
    return { replica, eventId: desk1.eventId };
  };
  return { x, approved, declined, desk1, desk2, desk3, desk1Order, restartDesk1 };
}

test('Luma records without a stamp: a desk that takes over continues the order; the old poller, back with its document, takes the newer record', async (t) => {
  const { x, desk1, desk2, desk3, restartDesk1 } = await takeover(t);
  // Desk 1's mirror and stored document still say approved, under its older order.
  assert.equal(record(desk1, x.providerAttendeeId)?.providerStatus, 'approved');
  const back = await restartDesk1(desk1.doc);
  for (const s of [desk2, desk3]) syncDocs(desk1.doc, s.doc);
  await settled(back, desk2, desk3);
  for (const s of [desk1, desk2, desk3]) {
    const name = s.actor.name;
    assert.equal(
      record(s, x.providerAttendeeId)?.providerStatus,
      'declined',
      `${name} holds the newer record`,
    );
    assert.equal(
      documentRecord(s.doc, x.providerAttendeeId).providerStatus,
      'declined',
      `${name}'s document`,
    );
  }
});

test('Luma records without a stamp: the old poller, back having lost its document, writes what it saw under the order it gave it then, and no desk takes it for newer', async (t) => {
  const { x, declined, desk1, desk2, desk3, desk1Order, restartDesk1 } = await takeover(t);
  const lostDoc = new Y.Doc();
  lostDoc.clientID = 4_000_000_000;
  const back = await restartDesk1(lostDoc);
  // It republished its mirror: the approval, with the order it had given it.
  assert.equal(documentRecord(lostDoc, x.providerAttendeeId).providerStatus, 'approved');
  assert.equal(documentRecord(lostDoc, x.providerAttendeeId).rosterOrder, desk1Order);
  for (const s of [desk2, desk3]) syncDocs(lostDoc, s.doc);
  assert.equal(
    documentRecord(desk3.doc, x.providerAttendeeId).providerStatus,
    'approved',
    "the documents now show Desk 1's older record (its write won the conflict)",
  );
  await settled(back, desk2, desk3);
  for (const s of [desk2, desk3])
    assert.equal(
      record(s, x.providerAttendeeId)?.providerStatus,
      'declined',
      `${s.actor.name}: an older record never replaces a newer one`,
    );
  // Desk 1's next live pass lists the decline from Luma: a new order, and every desk agrees.
  back.replica.publishRoster(desk1.eventId, [applyChange(desk1, declined)]);
  for (const s of [desk2, desk3]) syncDocs(lostDoc, s.doc);
  await settled(back, desk2, desk3);
  for (const s of [desk1, desk2, desk3])
    assert.equal(record(s, x.providerAttendeeId)?.providerStatus, 'declined', s.actor.name);
  assert.ok(documentRecord(desk3.doc, x.providerAttendeeId).rosterOrder! > desk1Order);
});

/** A live pass's upsert of a changed record at a station, as the sync engine does it; returns its row id. */
function applyChange(s: VenueStation, changed: ProviderAttendee): number {
  s.store.upsertAttendees(s.eventId, [changed], null, '2026-11-23T09:00:00Z');
  return s.store.findAttendeeByProviderId(s.eventId, changed.providerAttendeeId)!.id;
}
