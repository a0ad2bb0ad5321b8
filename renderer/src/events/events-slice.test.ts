// The events slice: sync pushes (status changes, job progress, finished jobs) against answers
// that were read before them, over a fake transport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { startedStore, syncedEvent, syncJob } from '../../../tests/helpers/store-fixtures.ts';
import type { SyncedEvent } from '../../../shared/types.ts';

test('job progress shows at once, and an answer read before it never lowers the count', async () => {
  const { transport, timers, store } = await startedStore();
  await settle();
  const job = syncJob({ id: 7, eventId: 1, fetched: 40, expectedTotal: 100 });
  transport.push('jobProgress', { eventId: 1, job });
  assert.deepEqual(store.getState().events[0]!.activeJob, job);

  // The throttled re-read (700 ms) answers with what main had before the push: 25 fetched.
  transport.answer('events.get', () =>
    syncedEvent({ id: 1, activeJob: syncJob({ id: 7, eventId: 1, fetched: 25, expectedTotal: 100 }) }),
  );
  const before = transport.inputs('events.get').length;
  timers.advance(699);
  assert.equal(transport.inputs('events.get').length, before, 'the re-read waits for the throttle');
  timers.advance(1);
  await settle();
  assert.equal(transport.inputs('events.get').length, before + 1);
  assert.equal(store.getState().events[0]!.activeJob?.fetched, 40);
});

test('a burst of progress pushes makes one re-read of the event', async () => {
  const { transport, timers } = await startedStore();
  await settle();
  const before = transport.inputs('events.get').length;
  for (let fetched = 1; fetched <= 30; fetched++) {
    transport.push('jobProgress', { eventId: 1, job: syncJob({ id: 7, eventId: 1, fetched }) });
    timers.advance(10);
  }
  timers.advance(700);
  await settle();
  assert.equal(transport.inputs('events.get').length, before + 1);
});

test('a finished job is not brought back by an answer, or a progress push, that predates its end', async () => {
  const { transport, store } = await startedStore({
    events: [syncedEvent({ id: 1, activeJob: syncJob({ id: 7, eventId: 1, fetched: 90 }) })],
  });
  await settle();
  // The re-read that jobFinished starts is answered late, with the job still running.
  const late = deferred<SyncedEvent>();
  transport.answer('events.get', () => late.promise);
  const finished = syncJob({
    id: 7,
    eventId: 1,
    state: 'completed',
    fetched: 100,
    finishedAt: '2026-11-23T08:05:00.000Z',
  });
  transport.push('jobFinished', { eventId: 1, job: finished });
  // Held until the settled event arrives, so the pill never reads "no job" in between.
  assert.deepEqual(store.getState().events[0]!.activeJob, finished);

  transport.push('jobProgress', { eventId: 1, job: syncJob({ id: 7, eventId: 1, fetched: 95 }) });
  assert.deepEqual(store.getState().events[0]!.activeJob, finished);

  late.resolve(syncedEvent({ id: 1, activeJob: syncJob({ id: 7, eventId: 1, fetched: 99 }) }));
  await settle();
  assert.deepEqual(store.getState().events[0]!.activeJob, finished);

  // The settled event (no job) replaces it.
  transport.answer('events.get', () => syncedEvent({ id: 1, activeJob: null }));
  transport.push('statusChanged', {
    eventId: 1,
    from: 'ACTIVE',
    to: 'ACTIVE',
    reason: 'sync done',
    at: '2026-11-23T08:05:01.000Z',
  });
  await settle();
  assert.equal(store.getState().events[0]!.activeJob, null);
});

test('a status change re-reads that event; an event main no longer has leaves the list', async () => {
  const { transport, store } = await startedStore({
    events: [syncedEvent({ id: 1 }), syncedEvent({ id: 2 })],
  });
  await settle();
  transport.answer('events.get', ({ eventId }) =>
    syncedEvent({ id: eventId, status: 'DISCONNECTED', statusReason: 'token revoked' }),
  );
  transport.push('statusChanged', {
    eventId: 2,
    from: 'ACTIVE',
    to: 'DISCONNECTED',
    reason: 'token revoked',
    at: '2026-11-23T08:05:00.000Z',
  });
  await settle();
  assert.deepEqual(transport.inputs('events.get').at(-1), { eventId: 2 });
  assert.deepEqual(
    store.getState().events.map((e) => [e.id, e.status]),
    [
      [1, 'ACTIVE'],
      [2, 'DISCONNECTED'],
    ],
  );

  transport.answer('events.get', () => {
    throw new FakeRefusal('NOT_FOUND', 'no such event');
  });
  transport.push('statusChanged', {
    eventId: 1,
    from: 'ACTIVE',
    to: 'PENDING',
    reason: 'removed',
    at: '2026-11-23T08:06:00.000Z',
  });
  await settle();
  assert.deepEqual(
    store.getState().events.map((e) => e.id),
    [2],
  );
});

test('a new event pushed by main joins the list', async () => {
  const { transport, store } = await startedStore();
  await settle();
  transport.answer('events.list', () => [
    syncedEvent({ id: 1 }),
    syncedEvent({ id: 5, name: 'Late addition' }),
  ]);
  transport.push('eventAdded', { eventId: 5 });
  await settle();
  assert.deepEqual(
    store.getState().events.map((e) => e.name),
    ['Event 1', 'Late addition'],
  );
});

test('the clock checks load with the snapshot and are re-read on clockChecked; syncChanged re-reads its event', async () => {
  const { transport, store } = await startedStore();
  const skewed = {
    provider: 'eventbrite' as const,
    offsetMs: 11 * 86_400_000,
    checkedAt: '2026-11-23T08:00:00.000Z',
  };
  transport.answer('sync.clockChecks', () => [skewed]);
  await settle();
  transport.push('clockChecked', { provider: 'eventbrite' });
  await settle();
  assert.deepEqual(store.getState().clockChecks, [skewed]);
  transport.answer('sync.clockChecks', () => []);
  transport.push('clockChecked', { provider: 'eventbrite' });
  await settle();
  assert.deepEqual(store.getState().clockChecks, [], 'gone once the clocks agree');

  transport.answer('events.get', () => syncedEvent({ id: 1, nextAttemptAt: '2026-11-23T10:42:00.000Z' }));
  transport.push('syncChanged', { eventId: 1 });
  await settle();
  assert.equal(store.getState().events[0]!.nextAttemptAt, '2026-11-23T10:42:00.000Z');
});
