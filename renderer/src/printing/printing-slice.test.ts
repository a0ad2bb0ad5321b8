// The printing slice: print job pushes applied together to the queue page and to a batch's
// progress, never replaced by an older version, and the queue counts re-read after them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, printJob, startedStore } from '../../../tests/helpers/store-fixtures.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { DEFAULT_TEMPLATE, type BadgeTemplate } from '../../../shared/badge.ts';

const at = (second: number) => `2026-11-23T08:10:${String(second).padStart(2, '0')}.000Z`;

test('print job pushes reach the queue page together, newest version of each job kept', async () => {
  const { transport, timers, store } = await startedStore();
  transport.answer('print.jobs', () => [
    printJob({ id: 2, state: 'queued', updatedAt: at(0) }),
    printJob({ id: 1, state: 'printed', updatedAt: at(0) }),
  ]);
  store.getState().navigate({ name: 'printQueue' });
  await settle();
  assert.deepEqual(
    store.getState().printQueue?.jobs?.map((j) => j.id),
    [2, 1],
  );

  const before = store.getState().printQueue;
  transport.push('printJobChanged', { job: printJob({ id: 2, state: 'printing', updatedAt: at(2) }) });
  transport.push('printJobChanged', { job: printJob({ id: 3, state: 'queued', updatedAt: at(3) }) });
  transport.push('printJobChanged', { job: printJob({ id: 2, state: 'queued', updatedAt: at(1) }) }); // late, older
  assert.equal(store.getState().printQueue, before, 'nothing applied before the flush');
  timers.advance(50);
  assert.deepEqual(
    store.getState().printQueue?.jobs?.map((j) => [j.id, j.state]),
    [
      [3, 'queued'],
      [2, 'printing'],
      [1, 'printed'],
    ],
  );

  // An older version in a later moment does not win either.
  transport.push('printJobChanged', { job: printJob({ id: 2, state: 'queued', updatedAt: at(1) }) });
  timers.advance(50);
  assert.equal(store.getState().printQueue?.jobs?.find((j) => j.id === 2)?.state, 'printing');
});

test('a queue read that left before a push does not undo the push', async () => {
  const { transport, timers, store } = await startedStore();
  transport.answer('print.jobs', () => [printJob({ id: 5, state: 'queued', updatedAt: at(0) })]);
  store.getState().navigate({ name: 'printQueue' });
  await settle();

  const held = deferred<PrintJob[]>();
  transport.answer('print.jobs', () => held.promise);
  const read = store.getState().refreshPrintQueue(); // main reads the job while it is printing...
  transport.push('printJobChanged', { job: printJob({ id: 5, state: 'printed', updatedAt: at(4) }) }); // ...then it prints
  timers.advance(50);
  held.resolve([printJob({ id: 5, state: 'printing', updatedAt: at(2) })]);
  await read;
  assert.equal(store.getState().printQueue?.jobs?.[0]?.state, 'printed');
});

test("a batch is followed from before its answer: early pushes count, other events' jobs do not", async () => {
  const { transport, timers, store } = await startedStore();
  const answer = deferred<{ queued: number; alreadyPrinted: number }>();
  transport.answer('print.batch', () => answer.promise);
  const batch = store.getState().printBatch(1, { vipOnly: false, ticketName: null });
  // The jobs' pushes arrive before print.batch answers.
  for (const id of [21, 22])
    transport.push('printJobChanged', {
      job: printJob({ id, eventId: 1, reason: 'batch', state: 'queued' }),
    });
  transport.push('printJobChanged', {
    job: printJob({ id: 23, eventId: 2, reason: 'batch', state: 'queued' }),
  });
  transport.push('printJobChanged', {
    job: printJob({ id: 24, eventId: 1, reason: 'manual', state: 'queued' }),
  });
  timers.advance(50);
  assert.deepEqual(Object.keys(store.getState().batches[1]!.jobs).map(Number), [21, 22]);

  transport.answer('print.jobs', () =>
    [22, 21, 20].map((id) =>
      printJob({ id, eventId: 1, reason: 'batch', state: id === 20 ? 'printed' : 'queued' }),
    ),
  );
  answer.resolve({ queued: 2, alreadyPrinted: 3 });
  assert.deepEqual(await batch, { queued: 2, alreadyPrinted: 3 });
  await settle();
  const progress = store.getState().batches[1]!;
  assert.equal(progress.total, 2);
  assert.equal(progress.alreadyPrinted, 3);
  assert.equal(progress.minJobId, 21, 'job 20 belongs to an earlier batch');

  transport.push('printJobChanged', {
    job: printJob({ id: 21, eventId: 1, reason: 'batch', state: 'printed', updatedAt: at(9) }),
  });
  transport.push('printJobChanged', {
    job: printJob({ id: 20, eventId: 1, reason: 'batch', state: 'failed', updatedAt: at(9) }),
  });
  timers.advance(50);
  assert.deepEqual(store.getState().batches[1]!.jobs, {
    21: { state: 'printed', updatedAt: at(9) },
    22: { state: 'queued', updatedAt: '2026-11-23T08:00:00.000Z' },
  });
});

test('a batch that queues nothing, or is refused, is not followed', async () => {
  const { transport, store } = await startedStore();
  transport.answer('print.batch', () => ({ queued: 0, alreadyPrinted: 4 }));
  await store.getState().printBatch(1, { vipOnly: true, ticketName: null });
  assert.equal(store.getState().batches[1], undefined);

  transport.answer('print.batch', () => {
    throw new FakeRefusal('FORBIDDEN', 'admin only');
  });
  await assert.rejects(store.getState().printBatch(1, { vipOnly: false, ticketName: null }), /admin only/);
  assert.equal(store.getState().batches[1], undefined);
});

test('after print job pushes the queue counts are re-read once per burst', async () => {
  const { transport, timers } = await startedStore();
  await settle();
  const before = transport.inputs('print.summary').length;
  for (let id = 1; id <= 20; id++) transport.push('printJobChanged', { job: printJob({ id }) });
  timers.advance(400);
  await settle();
  assert.equal(transport.inputs('print.summary').length, before + 1);
});

test('a second copy of a badge is refused as already printed, without a toast; other failures are toasted', async () => {
  const { transport, store } = await startedStore();
  const person = attendee({ id: 4, eventId: 1, fullName: 'Grace Hopper' });
  transport.answer('print.badge', () => {
    throw new FakeRefusal('CONFLICT', 'Grace Hopper already has a badge');
  });
  assert.deepEqual(await store.getState().printBadge(person), {
    kind: 'already_printed',
    message: 'Grace Hopper already has a badge',
  });
  assert.deepEqual(store.getState().toasts, []);

  transport.answer('print.badge', () => {
    throw new FakeRefusal('INVALID_STATE', 'the printer is off');
  });
  assert.deepEqual(await store.getState().printBadge(person), {
    kind: 'failed',
    message: 'the printer is off',
  });
  assert.match(
    store.getState().toasts.at(-1)!.text,
    /Could not print the badge of Grace Hopper: the printer is off/,
  );
});

test("a saved template shows at once, then main's list replaces it; removing the station's printer re-reads the settings", async () => {
  const { transport, store } = await startedStore({
    snapshot: {
      settings: {
        stationName: 'Desk 1',
        pollIntervalMs: 30_000,
        printerId: 3,
        autoPrint: true,
        adminLockMinutes: 5,
      },
    },
  });
  await settle();
  const saved = { ...DEFAULT_TEMPLATE, id: 9, name: 'Speakers', ticketName: 'Speaker', updatedAt: at(1) };
  const list = deferred<BadgeTemplate[]>();
  transport.answer('templates.save', () => saved).answer('templates.list', () => list.promise);
  await store.getState().saveTemplate({ ...DEFAULT_TEMPLATE, name: 'Speakers', ticketName: 'Speaker' });
  assert.deepEqual(store.getState().templates, [saved]);
  const mainsVersion = { ...saved, name: 'Speakers (main)', updatedAt: at(2) };
  list.resolve([{ ...saved, id: 1, name: 'Standard badge', ticketName: null }, mainsVersion]);
  await settle();
  assert.deepEqual(
    store.getState().templates?.map((t) => t.name),
    ['Standard badge', 'Speakers (main)'],
  );

  const snapshots = transport.inputs('app.snapshot').length;
  transport.answer('printers.remove', () => null).answer('printers.list', () => []);
  await store.getState().removePrinter(3);
  await settle();
  assert.equal(transport.inputs('app.snapshot').length, snapshots + 1);
});

test('printers say their state: read with the printers, then kept current by pushes', async () => {
  const { transport, store } = await startedStore();
  const status = (condition: 'ready' | 'paper_out') => ({
    condition,
    detail: null,
    media: null,
    checkedAt: at(1),
  });
  transport.answer('printers.status', () => [{ printerId: 4, status: status('ready') }]);
  await store.getState().refreshPrinters();
  assert.equal(store.getState().printerStatuses[4]?.condition, 'ready');
  transport.push('printerStatusChanged', { printerId: 4, status: status('paper_out') });
  assert.equal(store.getState().printerStatuses[4]?.condition, 'paper_out');
  // A read that fails leaves what the window knows.
  transport.answer('printers.status', () => {
    throw new FakeRefusal('INTERNAL', 'no');
  });
  await store.getState().refreshPrinters();
  assert.equal(store.getState().printerStatuses[4]?.condition, 'paper_out');
});
