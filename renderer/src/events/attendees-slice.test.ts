// The attendee list cache: pages fetched for the rows in view, marked stale by generations when
// the event's attendees or check-ins change, and VIP edits that a slower read never undoes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, startedStore } from '../../../tests/helpers/store-fixtures.ts';
import { PAGE_SIZE } from './attendees-slice.ts';
import type { Attendee } from '../../../shared/types.ts';

type Page = { rows: Attendee[]; total: number };

/** The event page of event 1, its attendee reads answered from `people` (by offset) unless held. */
async function eventPage(people: Attendee[]) {
  const harness = await startedStore();
  harness.transport.answer('attendees.list', ({ offset, limit }) => ({
    rows: people.slice(offset, offset + limit),
    total: people.length,
  }));
  harness.store.getState().navigate({ name: 'event', eventId: 1 });
  await settle();
  return harness;
}

const people = (n: number) => Array.from({ length: n }, (_, i) => attendee({ id: i + 1, eventId: 1 }));

test('opening the event page reads the first page; rows further down are read when shown', async () => {
  const { transport, store } = await eventPage(people(450));
  assert.deepEqual(transport.inputs('attendees.list'), [{ eventId: 1, offset: 0, limit: PAGE_SIZE }]);
  assert.equal(store.getState().attendees?.total, 450);

  store.getState().showAttendeeRows(1, 190, 230); // pages 0 (cached) and 1
  await settle();
  assert.deepEqual(transport.inputs('attendees.list').slice(1), [
    { eventId: 1, offset: PAGE_SIZE, limit: PAGE_SIZE },
  ]);
  assert.equal(store.getState().attendees?.pages[1]?.rows?.[0]?.id, PAGE_SIZE + 1);
});

test('a change of the event makes every page stale: the pages in view are read again, once per burst', async () => {
  const { transport, timers, store } = await eventPage(people(450));
  store.getState().showAttendeeRows(1, 190, 230);
  await settle();
  const reads = transport.inputs('attendees.list').length;

  for (let i = 0; i < 5; i++) transport.push('attendeesChanged', { eventId: 1, attendeeIds: [i + 1] });
  transport.push('checkinsChanged', { eventId: 1, attendeeIds: [9] });
  const cache = store.getState().attendees!;
  assert.equal(cache.generation, 6);
  assert.ok(
    Object.values(cache.pages).every((p) => p.generation < cache.generation),
    'every cached page is stale',
  );

  timers.advance(250);
  await settle();
  assert.deepEqual(
    transport
      .inputs('attendees.list')
      .slice(reads)
      .map((i) => i.offset),
    [0, PAGE_SIZE],
  );
  assert.ok(Object.values(store.getState().attendees!.pages).every((p) => p.generation === 6));
});

test('a page answered after a newer change stays stale and is read again when shown', async () => {
  const { transport, timers, store } = await eventPage(people(50));
  const held = deferred<Page>();
  transport.answer('attendees.list', () => held.promise);
  transport.push('attendeesChanged', { eventId: 1, attendeeIds: [1] }); // generation 1
  timers.advance(250); // the re-read of page 0 starts, for generation 1
  transport.push('attendeesChanged', { eventId: 1, attendeeIds: [2] }); // generation 2 while it is out
  held.resolve({ rows: people(50), total: 50 });
  await settle();
  const page = store.getState().attendees!.pages[0]!;
  assert.equal(page.generation, 1);
  assert.equal(store.getState().attendees!.generation, 2);

  transport.answer('attendees.list', ({ offset, limit }) => ({
    rows: people(50).slice(offset, offset + limit),
    total: 50,
  }));
  const reads = transport.inputs('attendees.list').length;
  store.getState().showAttendeeRows(1, 0, 20);
  await settle();
  assert.equal(transport.inputs('attendees.list').length, reads + 1);
  assert.equal(store.getState().attendees!.pages[0]!.generation, 2);
});

test("another event's changes leave the cache alone", async () => {
  const { transport, timers, store } = await eventPage(people(10));
  const reads = transport.inputs('attendees.list').length;
  transport.push('attendeesChanged', { eventId: 2, attendeeIds: [1] });
  timers.advance(1000);
  await settle();
  assert.equal(store.getState().attendees!.generation, 0);
  assert.equal(transport.inputs('attendees.list').length, reads);
});

test('a VIP edit shows at once; a page read that started before it does not undo it', async () => {
  const everyone = people(3);
  const { transport, timers, store } = await eventPage(everyone);
  const held = deferred<Page>();
  transport.answer('attendees.list', () => held.promise);
  transport.push('attendeesChanged', { eventId: 1, attendeeIds: [2] });
  timers.advance(250); // a page read is out, and will answer with the old VIP flag

  const saved = deferred<Attendee>();
  transport.answer('attendees.setVip', () => saved.promise);
  const edit = store.getState().setVip(everyone[1]!, true);
  assert.equal(store.getState().attendees!.pages[0]!.rows![1]!.vip, true, 'shown before main answers');

  held.resolve({ rows: everyone, total: 3 }); // read before the write: vip false
  await settle();
  assert.equal(store.getState().attendees!.pages[0]!.rows![1]!.vip, true);

  saved.resolve({ ...everyone[1]!, vip: true });
  await edit;
  assert.equal(store.getState().attendees!.pages[0]!.rows![1]!.vip, true);
});

test('a refused VIP edit goes back, with a toast', async () => {
  const everyone = people(2);
  const { transport, store } = await eventPage(everyone);
  transport.answer('attendees.setVip', () => {
    throw new Error('disk full');
  });
  await store.getState().setVip(everyone[0]!, true);
  assert.equal(store.getState().attendees!.pages[0]!.rows![0]!.vip, false);
  assert.match(store.getState().toasts.at(-1)!.text, /Could not change VIP for Person 1/);
});

test('leaving the event page drops the cache; reconnecting re-reads the pages in view', async () => {
  const { transport, store } = await eventPage(people(10));
  const reads = transport.inputs('attendees.list').length;
  transport.reconnect();
  await settle();
  assert.equal(transport.inputs('attendees.list').length, reads + 1);
  assert.equal(store.getState().attendees!.generation, 1);

  store.getState().navigate({ name: 'events' });
  assert.equal(store.getState().attendees, null);
});

test('the list query: filters and sorts ask at once, typed text once per pause, the same question never twice, an older answer dropped', async () => {
  const everyone = people(450);
  const { transport, timers, store } = await eventPage(everyone);
  const asked = () => transport.inputs('attendees.list').slice(1);
  const q = (change: Parameters<ReturnType<typeof store.getState>['setAttendeeQuery']>[1]) =>
    store.getState().setAttendeeQuery(1, change);

  // A filter asks for the first page of the new list at once; the cache starts empty for it.
  const held = deferred<Page>();
  transport.answer('attendees.list', () => held.promise);
  q({ filter: { checkIn: 'checked_in' } });
  assert.deepEqual(asked(), [{ eventId: 1, offset: 0, limit: PAGE_SIZE, filter: { checkIn: 'checked_in' } }]);
  assert.deepEqual(
    store.getState().attendees!.pages[0]?.rows ?? null,
    null,
    'no rows of the old list shown for the new one',
  );

  // Typing: one question after the pause, with the text trimmed; the held answer of the older query is dropped.
  transport.answer('attendees.list', ({ offset, limit }) => ({
    rows: everyone.slice(offset, offset + Math.min(limit, 3)),
    total: 3,
  }));
  q({ text: 's' });
  q({ text: 'sm' });
  q({ text: 'smi ' });
  assert.equal(asked().length, 1, 'nothing asked while typing');
  timers.advance(150);
  await settle();
  assert.deepEqual(asked()[1], {
    eventId: 1,
    offset: 0,
    limit: PAGE_SIZE,
    text: 'smi',
    filter: { checkIn: 'checked_in' },
  });
  held.resolve({ rows: everyone.slice(0, 200), total: 450 });
  await settle();
  assert.equal(store.getState().attendees!.total, 3, 'the older answer did not overwrite the newer');
  assert.deepEqual(
    store.getState().attendees!.pages[0]!.rows!.map((a) => a.id),
    [1, 2, 3],
  );

  // The same question again (a space typed, a filter set and cleared within the pause) asks nothing.
  q({ text: 'smi  ' });
  timers.advance(150);
  await settle();
  assert.equal(asked().length, 2);

  // A sort asks at once; clearing every filter and the text is the plain list again.
  q({ sort: { key: 'checked_in_at', direction: 'desc' } });
  assert.deepEqual(asked()[2], {
    eventId: 1,
    offset: 0,
    limit: PAGE_SIZE,
    text: 'smi',
    filter: { checkIn: 'checked_in' },
    sort: { key: 'checked_in_at', direction: 'desc' },
  });
  q({ text: '', filter: { checkIn: undefined }, sort: { key: 'name', direction: 'asc' } });
  assert.deepEqual(asked()[3], { eventId: 1, offset: 0, limit: PAGE_SIZE });
  await settle();
});
