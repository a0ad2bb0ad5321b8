// The session slice (loading, the admin lock, pushes about accounts and the session) and toasts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, fakeStore, FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import {
  integration,
  snapshot,
  startedStore,
  storeWithMain,
  syncedEvent,
} from '../../../tests/helpers/store-fixtures.ts';
import { TOAST_MS } from './toasts-slice.ts';
import type { AppSnapshot } from '../../../shared/ipc-contract.ts';

test('a push that arrives while the snapshot loads makes one more snapshot read', async () => {
  const { transport, store } = storeWithMain();
  const first = deferred<AppSnapshot>();
  transport.answer('app.snapshot', () => first.promise);
  const started = store.getState().start();
  transport.push('eventAdded', { eventId: 3 });
  transport.answer('app.snapshot', () => snapshot({ events: [syncedEvent({ id: 3 })] }));
  first.resolve(snapshot());
  await started;
  await settle();
  assert.equal(store.getState().phase, 'ready');
  assert.equal(transport.inputs('app.snapshot').length, 2);
  assert.deepEqual(
    store.getState().events.map((e) => e.id),
    [3],
  );
});

test('a snapshot that fails to load says why; Try again loads it', async () => {
  const { transport, store } = storeWithMain();
  transport.answer('app.snapshot', () => {
    throw new FakeRefusal('INTERNAL', 'database is locked');
  });
  await store.getState().start();
  assert.equal(store.getState().phase, 'error');
  assert.equal(store.getState().loadError, 'database is locked');
  transport.answer('app.snapshot', () => snapshot());
  await store.getState().reload();
  assert.equal(store.getState().phase, 'ready');
});

test('an admin call refused as FORBIDDEN re-reads the session; other refusals do not', async () => {
  const { transport, store } = await startedStore();
  await settle();
  const reads = () => transport.inputs('app.snapshot').length;
  const before = reads();
  transport.answer('settings.update', () => {
    throw new FakeRefusal('FORBIDDEN', 'the admin lock is back');
  });
  await assert.rejects(store.getState().updateSettings({ stationName: 'Desk 2' }), /admin lock/);
  await settle();
  assert.equal(reads(), before + 1);

  transport.answer('settings.update', () => {
    throw new FakeRefusal('INVALID_INPUT', 'name too long');
  });
  await assert.rejects(store.getState().updateSettings({ stationName: 'x'.repeat(500) }), /too long/);
  await settle();
  assert.equal(reads(), before + 1);
});

test('when the admin lock is due the session is re-read; locking early cancels that', async () => {
  const { transport, timers, store } = await startedStore();
  await settle();
  const until = new Date(timers.now() + 5 * 60_000).toISOString();
  transport.answer('session.unlock', () => ({ role: 'admin', pinSet: true, adminUntil: until }));
  await store.getState().unlock('2468');
  assert.equal(store.getState().session.role, 'admin');
  const before = transport.inputs('app.snapshot').length;
  timers.advance(5 * 60_000 + 999);
  assert.equal(transport.inputs('app.snapshot').length, before);
  timers.advance(1);
  assert.equal(transport.inputs('app.snapshot').length, before + 1);

  await store.getState().unlock('2468');
  transport.answer('session.lock', () => ({ role: 'operator', pinSet: true, adminUntil: null }));
  await store.getState().lock();
  assert.equal(timers.pending, 0, 'no admin lock check left waiting');
});

test('session and account pushes: the session is applied as pushed, an account change re-reads the snapshot', async () => {
  const { transport, store } = await startedStore();
  await settle();
  transport.push('sessionChanged', { role: 'admin', pinSet: true, adminUntil: null });
  assert.equal(store.getState().session.role, 'admin');

  transport.answer('app.snapshot', () =>
    snapshot({ integrations: [integration({ id: 4, status: 'DISCONNECTED', statusReason: 'revoked' })] }),
  );
  transport.push('integrationChanged', { integrationId: 4, status: 'DISCONNECTED', reason: 'revoked' });
  await settle();
  assert.deepEqual(
    store.getState().integrations.map((i) => i.id),
    [4],
  );
});

test('reconnecting re-reads the snapshot and what the open page shows', async () => {
  const { transport, store } = await startedStore();
  store.getState().navigate({ name: 'desk', eventId: 1 });
  await settle();
  const count = (channel: 'app.snapshot' | 'desk.log' | 'print.summary') => transport.inputs(channel).length;
  const before = [count('app.snapshot'), count('desk.log'), count('print.summary')];
  transport.reconnect();
  await settle();
  assert.deepEqual(
    [count('app.snapshot'), count('desk.log'), count('print.summary')],
    before.map((n) => n + 1),
  );
});

test('toasts leave by themselves (errors stay longer), and at most four show', async () => {
  const { timers, store } = fakeStore();
  store.getState().toast('Saved', 'success');
  store.getState().toast('Printer unreachable', 'error');
  timers.advance(TOAST_MS);
  assert.deepEqual(
    store.getState().toasts.map((t) => t.text),
    ['Printer unreachable'],
  );
  timers.advance(3000);
  assert.deepEqual(store.getState().toasts, []);

  for (let i = 1; i <= 6; i++) store.getState().toast(`note ${i}`);
  assert.deepEqual(
    store.getState().toasts.map((t) => t.text),
    ['note 3', 'note 4', 'note 5', 'note 6'],
  );
  const waiting = timers.pending;
  store.getState().dismissToast(store.getState().toasts[0]!.id);
  assert.equal(store.getState().toasts.length, 3);
  assert.equal(timers.pending, waiting - 1, 'a dismissed toast leaves no timer behind');
});
