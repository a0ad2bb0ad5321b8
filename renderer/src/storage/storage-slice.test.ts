// The storage slice and the desk's unsaved check-ins: main's pushed storage status drives the
// banner, a check-in the station could not save shows as not saved and is saved by itself, under
// its own action id, once main says writes work again; other failures are not retried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, startedStore, storageStatus } from '../../../tests/helpers/store-fixtures.ts';
import { describeStorage } from '../../../shared/storage.ts';
import type { CheckInOutcome } from '../../../shared/desk.ts';

const ada = attendee({ id: 1, eventId: 1, fullName: 'Ada Lovelace', barcode: '100200300400' });

async function deskWithDisk(answerCheckIn: (actionId: string) => CheckInOutcome) {
  const harness = await startedStore();
  harness.transport
    .answer('desk.search', () => ({ rows: [ada], more: false }))
    .answer('desk.checkIn', (input) => answerCheckIn(input.actionId));
  harness.store.getState().navigate({ name: 'desk', eventId: 1 });
  await settle();
  return harness;
}

const checkedIn = (actionId: string): CheckInOutcome => ({
  kind: 'checked_in',
  attendee: { ...ada, checkedIn: { at: '2026-11-23T08:01:00.000Z', station: 'Desk 1' } },
  actionId,
  via: 'search',
  printJob: null,
});

test("the storage status is read on load and follows main's pushes", async () => {
  const { transport, store } = await startedStore();
  await settle();
  assert.equal(store.getState().storage?.state, 'ok');
  assert.equal(describeStorage(store.getState().storage!), null);
  transport.push(
    'storageChanged',
    storageStatus({ state: 'full', since: '2026-11-23T08:00:00.000Z', freeBytes: 0, lowSpace: true }),
  );
  assert.equal(describeStorage(store.getState().storage!)?.title, 'Check-ins are not being saved');
  transport.push('storageChanged', storageStatus({ lowSpace: true, freeBytes: 100 * 1024 ** 2 }));
  assert.equal(describeStorage(store.getState().storage!)?.title, 'Low disk space');
});

test('a check-in refused for the disk shows as not saved and is saved by itself, with its own action id, when writes work again', async () => {
  let full = true;
  const { transport, store } = await deskWithDisk((actionId) => {
    if (full) throw new FakeRefusal('STORAGE_FULL', 'Not saved. The disk of this computer is full.');
    return checkedIn(actionId);
  });
  await store.getState().deskCheckIn(ada);
  const shown = store.getState().desk!.feedback!;
  assert.equal(shown.title, 'Check-in not saved');
  assert.equal(shown.tone, 'error');
  assert.equal(shown.undoable, null, 'never shown as done');
  assert.equal(store.getState().desk!.unsaved, 1);
  const first = transport.inputs('desk.checkIn')[0]!;

  // Main says writes work again (space freed): the desk tries that check-in again, once.
  full = false;
  transport.push('storageChanged', storageStatus());
  await settle();
  const calls = transport.inputs('desk.checkIn');
  assert.equal(calls.length, 2);
  assert.equal(calls[1]!.actionId, first.actionId, 'the same action id: it cannot count twice');
  assert.equal(store.getState().desk!.unsaved, 0);
  assert.ok(store.getState().toasts.some((t) => t.text === 'Saved now: Ada Lovelace is checked in'));
  transport.push('storageChanged', storageStatus());
  await settle();
  assert.equal(transport.inputs('desk.checkIn').length, 2, 'nothing is tried twice');
});

test('a check-in that fails for another reason is shown as failed and not tried again', async () => {
  const { transport, store } = await deskWithDisk(() => {
    throw new FakeRefusal('INTERNAL', 'something went wrong inside Badge Desk');
  });
  await store.getState().deskCheckIn(ada);
  assert.equal(store.getState().desk!.feedback!.title, 'Check-in failed');
  assert.equal(store.getState().desk!.unsaved, 0);
  transport.push('storageChanged', storageStatus());
  await settle();
  assert.equal(transport.inputs('desk.checkIn').length, 1);
});
