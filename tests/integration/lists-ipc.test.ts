// Check-in lists at the IPC boundary: lists, overrides, check-out-all, the desk's list and the CSV
// need the admin, enforced in main; bad definitions are refused with the same words the core uses,
// and nothing is stored; the desk's list and exit mode are a station setting the desk's check-in
// and undo follow, which the renderer cannot bypass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startAppHarness, type AppHarness } from '../helpers/app-harness.ts';
import { person } from '../helpers/desk-db.ts';
import { listDefinition } from '../helpers/lists-db.ts';
import type { PushEventMap } from '../../shared/ipc-wire.ts';

async function withEvent(t: Parameters<typeof startAppHarness>[0]) {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  const core = h.app.core;
  const integration = core.store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  const insert = (id: string) =>
    core.store.insertEvent(
      integration,
      { providerEventId: id, name: id, startsAt: null, endsAt: null, timezone: 'Europe/Berlin', url: null },
      'event added',
      '2026-11-23T08:00:00Z',
    );
  const eventId = insert('Summit');
  const otherEventId = insert('Other');
  core.store.upsertAttendees(
    eventId,
    [
      person({
        providerAttendeeId: 'ga',
        fullName: 'Gus General',
        ticketName: 'General Admission',
        barcode: 'GA-1',
      }),
      person({ providerAttendeeId: 'vip', fullName: 'Vera Vip', ticketName: 'VIP', barcode: 'VIP-1' }),
    ],
    null,
    '2026-11-23T08:00:00Z',
  );
  return { h, eventId, otherEventId };
}

const failure = async (
  h: AppHarness,
  channel: Parameters<AppHarness['app']['invoke']>[0],
  input: unknown,
) => {
  const r = await h.app.invoke(channel, input);
  assert.equal(r.ok, false, `${String(channel)} succeeded`);
  return r.ok ? null : r.error;
};

test('lists, check-out-all, the desk’s list, overrides and the CSV need the admin; main refuses an operator', async (t) => {
  const { h, eventId } = await withEvent(t);
  const definition = listDefinition({ name: 'Workshop B', ticketTypes: ['VIP'] });
  for (const [channel, input] of [
    ['lists.save', { eventId, actionId: randomUUID(), definition }],
    ['lists.checkOutAll', { eventId, actionId: randomUUID(), listId: 'main' }],
    ['lists.setDesk', { eventId, listId: 'main', exit: true }],
    ['lists.exportCsv', { eventId, listId: 'main' }],
  ] as const)
    assert.equal((await failure(h, channel, input))?.code, 'FORBIDDEN', channel);
  // The desk's check-in is any operator's, but not with an override.
  const override = await failure(h, 'desk.checkIn', {
    eventId,
    actionId: randomUUID(),
    code: 'GA-1',
    override: 'speaker',
  });
  assert.equal(override?.code, 'FORBIDDEN');
  assert.equal(h.app.core.store.db.prepare('SELECT count(*) AS n FROM checkins').pluck().get(), 0);
});

test('bad definitions are refused with the core’s words; a list of another event is refused; nothing is stored', async (t) => {
  const { h, eventId, otherEventId } = await withEvent(t);
  await h.call('session.unlock', { pin: '2468' });
  const save = (definition: object, listId?: string, event = eventId) =>
    failure(h, 'lists.save', {
      eventId: event,
      actionId: randomUUID(),
      definition,
      ...(listId ? { listId } : {}),
    });
  assert.match(
    (await save(listDefinition({ name: 'None', ticketTypes: [] })))!.message,
    /at least one ticket type/,
  );
  assert.match(
    (await save(
      listDefinition({
        name: 'Backwards',
        window: {
          opensAt: '2026-11-23T14:00:00.000Z',
          closesAt: '2026-11-23T13:00:00.000Z',
          toleranceMinutes: 0,
        },
      }),
    ))!.message,
    /The window ends before it starts/,
  );
  assert.match(
    (await save(listDefinition({ name: 'Gap', rule: 'every_time', minGapMinutes: -5 })))!.message,
    /The minimum gap cannot be below zero minutes/,
  );
  const elsewhere = await h.call('lists.save', {
    eventId: otherEventId,
    actionId: randomUUID(),
    definition: listDefinition({ name: 'Elsewhere' }),
  });
  const before = h.app.core.store.db.prepare('SELECT count(*) FROM list_entries').pluck().get();
  const stolen = await failure(h, 'lists.setDesk', { eventId, listId: elsewhere.id, exit: false });
  assert.deepEqual([stolen?.code, /another event/.test(stolen?.message ?? '')], ['INVALID_INPUT', true]);
  assert.equal((await save(listDefinition({ name: 'Stolen' }), elsewhere.id))?.code, 'INVALID_INPUT');
  assert.equal(h.app.core.store.db.prepare('SELECT count(*) FROM list_entries').pluck().get(), before);
  assert.equal((await h.call('app.snapshot', {})).settings.deskLists?.[String(eventId)], undefined);
});

test('the desk’s list and exit mode are the station’s: the desk’s check-in and undo follow them', async (t) => {
  const { h, eventId } = await withEvent(t);
  await h.call('session.unlock', { pin: '2468' });
  const ws = await h.call('lists.save', {
    eventId,
    actionId: randomUUID(),
    definition: listDefinition({ name: 'Workshop B', ticketTypes: ['VIP'] }),
  });
  assert.deepEqual(await h.call('lists.setDesk', { eventId, listId: ws.id, exit: false }), {
    listId: ws.id,
    exit: false,
  });
  assert.deepEqual((await h.call('app.snapshot', {})).settings.deskLists?.[String(eventId)], {
    listId: ws.id,
    exit: false,
  });
  await h.call('session.lock', {});
  const refused = await h.call('desk.checkIn', { eventId, actionId: randomUUID(), code: 'GA-1' });
  assert.equal(refused.kind, 'refused');
  assert.equal(
    (await h.call('desk.checkIn', { eventId, actionId: randomUUID(), code: 'VIP-1' })).kind,
    'checked_in',
  );
  assert.equal((await h.call('lists.view', { eventId })).lists.find((l) => l.id === ws.id)?.inside, 1);
  // The entry's tally went to the charts in a push, with inside the venue now.
  const pushed = h.pushed.filter((m) => m.event === 'passagesChanged').at(-1)?.payload as
    PushEventMap['passagesChanged'] | undefined;
  assert.deepEqual(
    [pushed?.venueInside, pushed?.complete, pushed?.tallies.map((x) => [x.listId, x.action, x.delta])],
    [1, true, [[ws.id, 'check_in', 1]]],
  );
  await h.call('session.unlock', { pin: '2468' });
  await h.call('lists.setDesk', { eventId, listId: ws.id, exit: true });
  await h.call('session.lock', {});
  const out = await h.call('desk.checkIn', { eventId, actionId: randomUUID(), code: 'VIP-1' });
  assert.equal(out.kind, 'exited');
  assert.equal((await h.call('lists.view', { eventId })).venueInside, 0);
  const again = await failure(h, 'desk.checkIn', { eventId, actionId: randomUUID(), code: 'VIP-1' });
  assert.deepEqual(
    [again?.code, again?.message],
    ['INVALID_STATE', 'Vera Vip is not inside Workshop B: no entry to close'],
  );
  const vip = h.app.core.store.findAttendeeByProviderId(eventId, 'vip')!;
  const undo = await h.call('desk.undo', { eventId, attendeeId: vip.id, actionId: randomUUID() });
  assert.equal(undo.kind, 'undone', 'Undo at the exit desk takes the exit back');
  assert.equal((await h.call('lists.view', { eventId })).venueInside, 1);
  // Checked in at the workshop only: the event's arrivals count never moved.
  assert.equal(h.app.core.getEvent(eventId).counts.checkedIn, 0);
});
