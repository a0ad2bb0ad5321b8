// The attendee list from peers: a desk that holds no account mirrors the venue's event
// from the desk that polls the provider, through the event's venue document, and works as any
// desk: search, check-in, statistics, printing. Two app hosts over the real cores; their venue
// documents linked in process (tests/venue/helpers/linked-sources.ts); Desk 1 syncs with the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { startAppHarness, type AppHarness } from '../helpers/app-harness.ts';
import { LinkedVenue, type LinkedSource } from '../venue/helpers/linked-sources.ts';
import { describeEventSync } from '../../shared/sync-status.ts';
import { venueDocumentName } from '../../shared/venue.ts';
import { ROSTER_MAPS } from '../../shared/venue-roster.ts';
import type { SyncedEvent } from '../../shared/types.ts';

const VENUE_ID = 'venue-roster';
type T = { after(fn: () => unknown): void };

async function desk(
  t: T,
  venue: LinkedVenue,
  name: string,
  pin: string,
): Promise<{ h: AppHarness; source: LinkedSource }> {
  let closeVenue: () => Promise<void> = async () => undefined;
  t.after(() => closeVenue());
  const h = await startAppHarness(t);
  await h.call('session.setPin', { pin });
  await h.call('settings.update', { stationName: name });
  const source = venue.source(h.app.core.venue.persistence);
  closeVenue = await h.app.core.venue.replica.connect(source, VENUE_ID);
  return { h, source };
}

/** Waits for a condition the venue brings about (documents travel synchronously; the roster is applied a chunk per turn). */
async function until(check: () => boolean, what: string, turns = 2_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

async function pollerWithEvent(t: T, venue: LinkedVenue, attendees: number) {
  const d1 = await desk(t, venue, 'Desk 1', '1111');
  await d1.h.call('session.unlock', { pin: '1111' });
  const account = d1.h.sim.eventbrite.addAccount({ email: 'org@example.com', name: 'Org' });
  const integration = await d1.h.call('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const providerEventId = d1.h.sim.eventbrite.addEvent(account.token, {
    name: 'Venue Conf',
    startsAt: '2026-12-01T09:00:00Z',
  });
  d1.h.sim.eventbrite.seedAttendees(providerEventId, attendees);
  d1.h.clock.advance(30 * 60_000);
  await d1.h.call('session.unlock', { pin: '1111' }); // the admin lock came back while the clock moved
  const event = await d1.h.call('events.import', { integrationId: integration.id, providerEventId });
  await d1.h.app.core.engine.waitForJob(event.id);
  return { d1, account, providerEventId, eventId: event.id };
}

function venueEventOf(h: AppHarness): SyncedEvent | undefined {
  return h.app.core.listEvents().find((e) => e.integrationId === null);
}

test('a desk without an account gets a 5,000-attendee event from the poller: it searches, checks people in (seen at Desk 1), prints, and says "Syncing via Desk 1"', async (t) => {
  const venue = new LinkedVenue();
  const { d1, account, eventId: e1, providerEventId } = await pollerWithEvent(t, venue, 5_000);
  const d2 = await desk(t, venue, 'Desk 2', '2222');
  await d2.h.call('session.unlock', { pin: '2222' });

  await until(() => venueEventOf(d2.h) !== undefined, 'Desk 2 has the venue event');
  const e2 = venueEventOf(d2.h)!.id;
  await d2.h.app.core.venue.replica.rosterSettled(e2);
  const event = await d2.h.call('events.get', { eventId: e2 });
  assert.equal(event.name, 'Venue Conf');
  assert.equal(event.providerEventId, providerEventId);
  assert.equal(event.counts.total, 5_000);
  assert.deepEqual(
    d2.h.app.core.store.providerAttendeeIds(e2),
    d1.h.app.core.store.providerAttendeeIds(e1),
    'the same people, by provider id',
  );
  // The mirror holds the provider's fields exactly as the poller's does.
  const sample = d1.h.app.core.store.providerRecords(e1);
  const mirrored = d2.h.app.core.store.providerRecords(e2);
  for (const pid of [...sample.keys()].slice(0, 50)) assert.deepEqual(mirrored.get(pid), sample.get(pid));

  // Where its data comes from.
  assert.equal(event.syncVia?.deskName, 'Desk 1');
  assert.equal(event.syncVia?.status, 'ACTIVE');
  const view = describeEventSync({
    status: event.status,
    statusReason: event.statusReason,
    hasActiveJob: false,
    integrationId: event.integrationId,
    syncVia: event.syncVia,
  });
  assert.equal(view.badge.label, 'Syncing via Desk 1');
  assert.equal(view.alert, null);

  // The desk works: search by name, check in by barcode, statistics; Desk 1 sees the check-in.
  const someone = d1.h.app.core.store.getAttendee(
    d1.h.app.core.store.findAttendeeByProviderId(e1, [...sample.keys()][42]!)!.id,
  )!;
  const found = await d2.h.call('desk.search', { eventId: e2, query: someone.fullName });
  assert.ok(
    found.rows.some((r) => r.providerAttendeeId === someone.providerAttendeeId),
    'found by name',
  );
  const outcome = await d2.h.call('desk.checkIn', {
    eventId: e2,
    actionId: 'roster-act-0001',
    code: someone.barcode!,
  });
  assert.equal(outcome.kind, 'checked_in');
  assert.equal((await d2.h.call('desk.stats', { eventId: e2 })).checkedIn, 1);
  const atDesk1 = d1.h.app.core.store.findAttendeeByProviderId(e1, someone.providerAttendeeId)!;
  assert.equal(atDesk1.checkedIn?.station, 'Desk 2');

  // And prints: the badge carries the mirrored name.
  const folder = mkdtempSync(join(tmpdir(), 'bd-roster-pdf-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const printer = await d2.h.call('printers.add', { name: 'PDF', config: { kind: 'pdf_folder', folder } });
  await d2.h.call('settings.update', { printerId: printer.id, autoPrint: true });
  const other = d2.h.app.core.store.findAttendeeByProviderId(e2, [...sample.keys()][7]!)!;
  const printed = await d2.h.call('desk.checkIn', {
    eventId: e2,
    actionId: 'roster-act-0002',
    attendeeId: other.id,
  });
  assert.ok(printed.kind === 'checked_in' && printed.printJob !== null);
  await d2.h.app.core.printing.idle();
  const job = d2.h.app.core.printing.listJobs({ limit: 10 }).find((j) => j.id === printed.printJob!.id)!;
  assert.equal(job.state, 'printed');
  assert.equal(job.attendeeName, other.fullName);

  // Nothing secret travels: no credential, nor this desk's local state, in the roster.
  const doc = d2.source.linked.get(
    venueDocumentName({ venueId: VENUE_ID, provider: 'eventbrite', providerEventId }),
  )!;
  const state = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1');
  assert.ok(!state.includes(account.token), 'no token in the document');
  assert.ok(!JSON.stringify(doc.getMap(ROSTER_MAPS.roster).toJSON()).includes('"vip"'));
});

test("the provider's registration, edit and cancellation reach the desk without an account through the poller's live sync; a revoked token shows as Desk 1's", async (t) => {
  const venue = new LinkedVenue();
  const { d1, account, providerEventId, eventId: e1 } = await pollerWithEvent(t, venue, 30);
  const d2 = await desk(t, venue, 'Desk 2', '2222');
  await until(() => venueEventOf(d2.h) !== undefined, 'Desk 2 has the venue event');
  const e2 = venueEventOf(d2.h)!.id;
  await d2.h.app.core.venue.replica.rosterSettled(e2);

  const sim = d1.h.sim.eventbrite;
  const [edited, cancelled] = sim.attendeeIds(providerEventId);
  const added = sim.addAttendee(providerEventId, { firstName: 'Late', lastName: 'Registrant' });
  sim.editAttendee(providerEventId, edited!, { firstName: 'Renamed' });
  sim.cancelAttendee(providerEventId, cancelled!);
  d1.h.clock.advance(60_000);
  await d1.h.app.core.engine.runLivePass();
  await until(
    () => d2.h.app.core.store.findAttendeeByProviderId(e2, added) !== undefined,
    'the registration arrived',
  );
  await d2.h.app.core.venue.replica.rosterSettled(e2);
  const store2 = d2.h.app.core.store;
  assert.equal(store2.findAttendeeByProviderId(e2, added)!.fullName, 'Late Registrant');
  assert.match(store2.findAttendeeByProviderId(e2, edited!)!.fullName, /^Renamed /);
  assert.equal(store2.findAttendeeByProviderId(e2, cancelled!)!.status, 'NOT_ATTENDING');
  assert.deepEqual(
    store2.providerRecords(e2),
    d1.h.app.core.store.providerRecords(e1),
    'the mirrors agree record for record',
  );

  // The token is revoked: Desk 1's event goes DISCONNECTED, and Desk 2 says so, naming Desk 1.
  sim.revokeToken(account.token);
  d1.h.clock.advance(60_000);
  await d1.h.app.core.engine.runLivePass();
  await until(
    () => d2.h.app.core.getEvent(e2).syncVia?.status === 'DISCONNECTED',
    "Desk 2 sees Desk 1's status",
  );
  const event = d2.h.app.core.getEvent(e2);
  const view = describeEventSync({
    status: event.status,
    statusReason: event.statusReason,
    hasActiveJob: false,
    integrationId: event.integrationId,
    syncVia: event.syncVia,
  });
  assert.equal(
    view.alert?.title,
    'Integration disconnected on Desk 1 — an admin there can reconnect, or connect an account here',
  );
  assert.equal(view.alert?.action, 'reconnect');
});

test('a peer holding the secret cannot corrupt the mirror through the roster: malformed records are refused and counted, nothing stored changes', async (t) => {
  const venue = new LinkedVenue();
  const { d1, providerEventId, eventId: e1 } = await pollerWithEvent(t, venue, 10);
  const d2 = await desk(t, venue, 'Desk 2', '2222');
  await until(() => venueEventOf(d2.h) !== undefined, 'Desk 2 has the venue event');
  const e2 = venueEventOf(d2.h)!.id;
  await d2.h.app.core.venue.replica.rosterSettled(e2);
  const before = d2.h.app.core.store.providerRecords(e2);

  const doc = d2.source.linked.get(
    venueDocumentName({ venueId: VENUE_ID, provider: 'eventbrite', providerEventId }),
  )!;
  const roster = doc.getMap(ROSTER_MAPS.roster);
  const [first] = [...before.keys()];
  const rogue = new Y.Doc();
  Y.applyUpdate(rogue, Y.encodeStateAsUpdate(doc));
  rogue.transact(() => {
    const r = rogue.getMap(ROSTER_MAPS.roster);
    r.set(first!, { ...(roster.get(first!) as object), fullName: '' }); // empty name
    r.set('x'.repeat(300), { ...(roster.get(first!) as object) }); // key too long
    r.set('huge', { ...(roster.get(first!) as object), company: 'c'.repeat(10_000) });
    r.set('extra', { ...(roster.get(first!) as object), credential: 'secret' }); // unknown field
  });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(rogue));
  await d2.h.app.core.venue.replica.rosterSettled(e2);
  assert.deepEqual(d2.h.app.core.store.providerRecords(e2), before, 'nothing stored changed');
  const refused = d2.h.app.core.venue.replica.refused();
  assert.ok(refused.reduce((n, r) => n + r.count, 0) >= 4, 'each refusal counted');
  // An older record never replaces a newer one, even from a desk that writes it later.
  const stale = {
    ...(roster.get(first!) as Record<string, unknown>),
    fullName: 'Stale Name',
    providerUpdatedAt: '2000-01-01T00:00:00Z',
  };
  roster.set(first!, stale);
  await d2.h.app.core.venue.replica.rosterSettled(e2);
  assert.equal(d2.h.app.core.store.providerRecords(e2).get(first!)?.fullName, before.get(first!)?.fullName);
  assert.equal(d1.h.app.core.store.providerRecords(e1).get(first!)?.fullName, before.get(first!)?.fullName);
});
