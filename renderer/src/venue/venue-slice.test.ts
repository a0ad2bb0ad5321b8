// The venue slice: the status read on load and once per burst of presence pushes, never replaced
// by an older read; the pairing code only for an admin on Settings, gone when the lock returns or
// the secret rotates; conflicts per event for an admin; and the print pre-check before a first badge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import {
  attendee,
  printJob,
  snapshot,
  startedStore,
  syncedEvent,
  venueDesk,
  venueStatus,
} from '../../../tests/helpers/store-fixtures.ts';
import type { VenueStatus } from '../../../shared/venue-desks.ts';
import type { VenueConflicts } from '../../../shared/venue.ts';

const ADMIN = { session: { role: 'admin' as const, pinSet: true, adminUntil: null } };
const HALL = { id: 'a1b2c3d4e5f6', name: 'Hall A', epoch: 1 };
const inHall = (over: Partial<VenueStatus> = {}) =>
  venueStatus({
    venue: HALL,
    desks: [
      venueDesk({ stationId: 'station-one-0001', name: 'Desk 1', thisDesk: true }),
      venueDesk({ stationId: 'station-two-0002', name: 'Desk 2' }),
    ],
    ...over,
  });

/** A started store on Settings, in Hall A, its main answering the code of each epoch. */
async function adminOnSettings(opts: { events?: ReturnType<typeof syncedEvent>[] } = {}) {
  const harness = await startedStore({ snapshot: ADMIN, ...(opts.events ? { events: opts.events } : {}) });
  let status = inHall();
  harness.transport
    .answer('venue.status', () => status)
    .answer('venue.pairingCode', () => ({ code: `BD1-EPOCH-${status.venue?.epoch ?? 0}` }));
  harness.store.getState().navigate({ name: 'settings', section: 'venue' });
  await settle();
  return { ...harness, setStatus: (next: VenueStatus) => void (status = next) };
}

test('the venue is read when the window loads, then once per burst of presence pushes', async () => {
  const { transport, timers, store } = await startedStore();
  await settle();
  assert.equal(transport.inputs('venue.status').length, 1);
  assert.equal(store.getState().venue?.venue, null);

  transport.answer('venue.status', () => inHall());
  transport.push('venueDesksChanged', { venueId: HALL.id });
  transport.push('venueDesksChanged', { venueId: HALL.id });
  transport.push('venueDesksChanged', { venueId: HALL.id });
  await settle();
  assert.equal(transport.inputs('venue.status').length, 1, 'nothing read before the pause');
  timers.advance(300);
  await settle();
  assert.equal(transport.inputs('venue.status').length, 2, 'three pushes, one read');
  assert.deepEqual(
    store.getState().venue?.desks.map((d) => d.name),
    ['Desk 1', 'Desk 2'],
  );

  transport.reconnect();
  await settle();
  assert.equal(transport.inputs('venue.status').length, 3, 'pushes may have been missed: read again');
});

test("a status read that left before an action's answer does not undo the action", async () => {
  const { transport, store } = await startedStore({ snapshot: ADMIN });
  await settle();
  const held = deferred<VenueStatus>();
  transport.answer('venue.status', () => held.promise);
  transport.answer('venue.start', ({ name }) => inHall({ venue: { ...HALL, name } }));
  transport.answer('venue.pairingCode', () => ({ code: 'BD1-NEW' }));
  const read = store.getState().refreshVenue(); // main reads "no venue"...
  await store.getState().startVenue('Hall B'); // ...then the venue starts
  held.resolve(venueStatus()); // the old read arrives last
  await read;
  assert.equal(store.getState().venue?.venue?.name, 'Hall B');
  assert.deepEqual(transport.inputs('venue.start'), [{ name: 'Hall B' }]);
});

test('a host without the venue network: the reason is kept for the panel, the rest of the window works', async () => {
  const { transport, store } = await startedStore({
    events: [syncedEvent({ id: 1 })],
  });
  transport.answer('venue.status', () => {
    throw new FakeRefusal('INVALID_STATE', 'the venue network is not available on this host');
  });
  await store.getState().refreshVenue();
  await settle();
  assert.equal(store.getState().venueError, 'the venue network is not available on this host');
  assert.equal(store.getState().phase, 'ready');

  transport.answer('venue.status', () => inHall());
  await store.getState().refreshVenue();
  await settle();
  assert.equal(store.getState().venueError, null, 'a later answer clears it');
});

test('the pairing code is read for an admin on Settings only, and dropped when the admin lock returns', async () => {
  const { transport, store } = await startedStore();
  transport
    .answer('venue.status', () => inHall())
    .answer('venue.pairingCode', () => ({ code: 'BD1-SECRET' }));
  store.getState().navigate({ name: 'settings', section: 'venue' });
  await settle();
  assert.equal(store.getState().venue?.venue?.name, 'Hall A');
  assert.equal(transport.inputs('venue.pairingCode').length, 0, 'an operator never reads it');
  assert.equal(store.getState().venueCode, null);
  assert.equal(transport.inputs('venue.conflicts').length, 0, 'conflicts name attendees: admins only');

  transport.push('sessionChanged', { role: 'admin', pinSet: true, adminUntil: null });
  await settle();
  assert.equal(store.getState().venueCode, 'BD1-SECRET');
  assert.deepEqual(transport.inputs('venue.conflicts'), [{ eventId: 1 }], 'read on unlock');

  transport.push('sessionChanged', { role: 'operator', pinSet: true, adminUntil: null });
  assert.equal(store.getState().venueCode, null, 'gone with the admin role');

  store.getState().navigate({ name: 'events' });
  transport.push('sessionChanged', { role: 'admin', pinSet: true, adminUntil: null });
  await settle();
  assert.equal(transport.inputs('venue.pairingCode').length, 1, 'not read off the Settings page');
});

test('a secret rotated at another desk: the old code goes, the new one is read', async () => {
  const { transport, timers, store, setStatus } = await adminOnSettings();
  assert.equal(store.getState().venueCode, 'BD1-EPOCH-1');

  setStatus(inHall({ venue: { ...HALL, epoch: 2 } }));
  transport.push('venueDesksChanged', { venueId: HALL.id });
  timers.advance(300);
  await settle();
  assert.equal(store.getState().venue?.venue?.epoch, 2);
  assert.equal(store.getState().venueCode, 'BD1-EPOCH-2');

  // Presence only (same epoch): the code is not read again.
  transport.push('venueDesksChanged', { venueId: HALL.id });
  timers.advance(300);
  await settle();
  assert.equal(transport.inputs('venue.pairingCode').length, 2);
});

test('removing a desk rotates: its answer shows at once with the new code, and names the desks not reached', async () => {
  const { transport, store } = await adminOnSettings();
  const rotated = inHall({
    venue: { ...HALL, epoch: 2 },
    desks: [venueDesk({ stationId: 'station-one-0001', name: 'Desk 1', thisDesk: true })],
  });
  transport.answer('venue.removeDesk', () => ({ status: rotated, notReached: ['Desk 3'] }));
  transport.answer('venue.pairingCode', () => ({ code: 'BD1-EPOCH-2' }));
  const notReached = await store.getState().removeVenueDesk('station-two-0002');
  assert.deepEqual(notReached, ['Desk 3']);
  assert.deepEqual(transport.inputs('venue.removeDesk'), [{ stationId: 'station-two-0002' }]);
  assert.deepEqual(
    store.getState().venue?.desks.map((d) => d.name),
    ['Desk 1'],
  );
  await settle();
  assert.equal(store.getState().venueCode, 'BD1-EPOCH-2');

  transport.answer('venue.leave', () => venueStatus());
  await store.getState().leaveVenue();
  assert.equal(store.getState().venue?.venue, null);
  assert.equal(store.getState().venueCode, null, 'no venue, no code');
});

test('joining passes the picked or typed address, or none; a refused admin call re-reads the session', async () => {
  const { transport, store } = await startedStore({ snapshot: ADMIN });
  transport.answer('venue.join', () => inHall()).answer('venue.pairingCode', () => ({ code: 'BD1-X' }));
  await store.getState().joinVenue('BD1-AAAAA', '192.168.1.20:41234');
  await store.getState().joinVenue('BD1-AAAAA', null);
  assert.deepEqual(transport.inputs('venue.join'), [
    { code: 'BD1-AAAAA', address: '192.168.1.20:41234' },
    { code: 'BD1-AAAAA' },
  ]);
  assert.equal(store.getState().venue?.venue?.id, HALL.id);

  // The venue had a Desk 1 already: main named this one Desk 2, and the top bar follows.
  transport.answer('app.snapshot', () =>
    snapshot({ ...ADMIN, settings: { ...snapshot().settings, stationName: 'Desk 2' } }),
  );
  transport.answer('venue.join', () =>
    inHall({ thisDesk: { stationId: 'station-one-0001', name: 'Desk 2', port: 41234 } }),
  );
  await store.getState().joinVenue('BD1-AAAAA', null);
  await settle();
  assert.equal(store.getState().settings.stationName, 'Desk 2');

  const snapshots = transport.inputs('app.snapshot').length;
  transport.answer('app.snapshot', () =>
    snapshot({ settings: { ...snapshot().settings, stationName: 'Desk 2' } }),
  );
  transport.answer('venue.addDesk', () => {
    throw new FakeRefusal('FORBIDDEN', 'only a workspace admin may do this; unlock admin first');
  });
  await assert.rejects(store.getState().addVenueDesk('10.0.0.9:41234'), /unlock admin/);
  await settle();
  assert.equal(transport.inputs('app.snapshot').length, snapshots + 1);
  assert.equal(store.getState().session.role, 'operator');
});

test('conflicts: read for every event on Settings, then for the event a push names', async () => {
  const events = [syncedEvent({ id: 1 }), syncedEvent({ id: 2 })];
  const { transport, timers, store } = await adminOnSettings({ events });
  assert.deepEqual(transport.inputs('venue.conflicts'), [{ eventId: 1 }, { eventId: 2 }]);
  assert.deepEqual(transport.inputs('venue.refused'), [{}]);

  const twice: VenueConflicts = {
    eventId: 2,
    admissions: [
      {
        attendeeId: 7,
        attendeeName: 'Ada',
        stamps: [
          { at: '2026-11-23T10:42:00.000Z', stationId: 'station-one-0001', stationName: 'Desk 1' },
          { at: '2026-11-23T10:44:00.000Z', stationId: 'station-two-0002', stationName: 'Desk 3' },
        ],
      },
    ],
    prints: [],
  };
  transport.answer('venue.conflicts', ({ eventId }) =>
    eventId === 2 ? twice : { eventId, admissions: [], prints: [] },
  );
  transport.answer('venue.refused', () => [
    {
      stationId: 'station-two-0002',
      count: 3,
      lastReason: 'attendee: malformed',
      lastAt: '2026-11-23T10:45:00.000Z',
    },
  ]);
  transport.push('venueChanged', { eventId: 2 });
  transport.push('venueChanged', { eventId: 2 });
  timers.advance(500);
  await settle();
  assert.deepEqual(
    transport.inputs('venue.conflicts'),
    [{ eventId: 1 }, { eventId: 2 }, { eventId: 2 }],
    'the named event, once per burst',
  );
  assert.deepEqual(store.getState().venueConflicts[2], twice);
  assert.equal(store.getState().venueRefused?.[0]?.count, 3);

  transport.push('sessionChanged', { role: 'operator', pinSet: true, adminUntil: null });
  assert.deepEqual(store.getState().venueConflicts, {}, 'the names go with the admin role');
  assert.equal(store.getState().venueRefused, null);

  transport.push('sessionChanged', { role: 'admin', pinSet: true, adminUntil: null });
  await settle();
  assert.equal(transport.inputs('venue.conflicts').length, 5, 'an admin again: every event read again');
  store.getState().navigate({ name: 'events' });
  transport.push('venueChanged', { eventId: 1 });
  timers.advance(500);
  await settle();
  assert.equal(transport.inputs('venue.conflicts').length, 5, 'off Settings nothing shows them');
});

test('the print pre-check: a badge printed elsewhere in the venue asks first; none, or no answer, prints', async () => {
  const { transport, store } = await startedStore();
  const printedAt1 = attendee({ id: 1, eventId: 1 });
  const fresh = attendee({ id: 2, eventId: 1 });
  transport.answer('print.priorPrint', ({ attendeeId }) =>
    attendeeId === 1 ? { at: '2026-11-23T10:42:00.000Z', stationName: 'Desk 1' } : null,
  );
  transport.answer('print.badge', ({ attendeeId }) => printJob({ id: 10 + attendeeId, attendeeId }));

  const asked = await store.getState().printFirstBadge(printedAt1);
  assert.deepEqual(asked, {
    kind: 'printed_in_venue',
    prior: { at: '2026-11-23T10:42:00.000Z', stationName: 'Desk 1' },
  });
  assert.deepEqual(transport.inputs('print.badge'), [], 'nothing sent to the printer');

  const printed = await store.getState().printFirstBadge(fresh);
  assert.equal(printed.kind, 'queued');
  assert.deepEqual(transport.inputs('print.badge'), [{ attendeeId: 2 }]);

  transport.answer('print.priorPrint', () => {
    throw new FakeRefusal('INVALID_STATE', 'the venue network is not available on this host');
  });
  const alone = await store.getState().printFirstBadge(printedAt1);
  assert.equal(alone.kind, 'queued', 'a lone desk prints as before');
  assert.deepEqual(transport.inputs('print.badge'), [{ attendeeId: 2 }, { attendeeId: 1 }]);
});

test('a check-in whose badge the venue already printed: the print line says where and when, and waits for no job', async () => {
  const ada = attendee({ id: 1, eventId: 1, fullName: 'Ada' });
  const prior = { at: '2026-11-23T10:42:00.000Z', stationName: 'Desk 2' };
  const { transport, timers, store } = await startedStore({
    snapshot: {
      settings: {
        stationName: 'Desk 1',
        pollIntervalMs: 30_000,
        printerId: 1,
        autoPrint: true,
        adminLockMinutes: 5,
      },
    },
  });
  transport.answer('desk.checkIn', (input) => ({
    kind: 'checked_in',
    attendee: ada,
    actionId: input.actionId,
    via: 'search',
    printJob: null,
    priorPrint: prior,
  }));
  store.getState().navigate({ name: 'desk', eventId: 1 });
  await settle();
  await store.getState().deskCheckIn(ada);
  assert.deepEqual(store.getState().desk?.feedback?.print?.priorPrint, prior);

  const jobReads = transport.inputs('print.jobs').length;
  timers.advance(6000);
  await settle();
  assert.equal(transport.inputs('print.jobs').length, jobReads, 'no job to look for');
  assert.equal(
    store.getState().desk?.feedback?.print?.note,
    null,
    'the prompt is not replaced by "No badge was queued"',
  );
});
