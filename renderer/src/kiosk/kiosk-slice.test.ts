// The kiosk's screens in order: found, asked, confirmed (or corrected), done or "see staff"; and
// after 20 seconds without input, the first screen again with no one on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, startedStore } from '../../../tests/helpers/store-fixtures.ts';
import { KIOSK_IDLE_MS, type KioskPerson } from '../../../shared/kiosk.ts';

const ada: KioskPerson = {
  attendeeId: 7,
  firstName: 'Ada',
  lastName: 'Lovelce',
  fullName: 'Ada Lovelce',
  company: null,
  ticketName: 'VIP',
};

async function kiosk() {
  const harness = await startedStore();
  harness.transport
    .answer('kiosk.status', () => ({
      eventId: 1,
      eventName: 'Event 1',
      listId: 'main',
      listName: 'Main list',
      collectAt: 'the badge table',
      printsBadges: true,
    }))
    .answer('kiosk.find', ({ text, orderCode }) => {
      if (text === 'EB-7') return { kind: 'person', person: ada };
      if (text === 'family@x.org' && orderCode === undefined) return { kind: 'ask_order_code' };
      if (text === 'family@x.org' && orderCode === '4417003') return { kind: 'person', person: ada };
      if (text === 'EB-CANCELLED') return { kind: 'see_staff', reason: 'cancelled' };
      return { kind: 'ask_email' };
    })
    .answer('kiosk.checkIn', (input) => ({
      outcome: {
        kind: 'checked_in',
        attendee: attendee({
          id: input.attendeeId,
          eventId: 1,
          fullName: input.correction
            ? `${input.correction.firstName} ${input.correction.lastName}`
            : ada.fullName,
        }),
        actionId: input.actionId,
        via: 'search',
        printJob: null,
      },
      badgeQueued: true,
    }));
  await harness.store.getState().reload();
  await settle();
  return harness;
}

test('a scan finds the person; a corrected name goes with the check-in; the kiosk says where to collect the badge', async () => {
  const { store, transport } = await kiosk();
  assert.equal(store.getState().kiosk?.collectAt, 'the badge table');
  await store.getState().kioskSubmit('EB-7');
  assert.deepEqual(store.getState().kioskScreen, { kind: 'confirm', person: ada });
  await store.getState().kioskConfirm({ firstName: 'Ada', lastName: 'Lovelace' });
  const [checkIn] = transport.inputs('kiosk.checkIn');
  assert.equal(checkIn?.attendeeId, 7);
  assert.deepEqual(
    { firstName: checkIn?.correction?.firstName, lastName: checkIn?.correction?.lastName },
    { firstName: 'Ada', lastName: 'Lovelace' },
  );
  assert.notEqual(checkIn?.correction?.actionId, checkIn?.actionId, 'the correction is an action of its own');
  assert.deepEqual(store.getState().kioskScreen, { kind: 'done', name: 'Ada Lovelace', badgeQueued: true });
});

test('the name confirmed as shown is no correction', async () => {
  const { store, transport } = await kiosk();
  await store.getState().kioskSubmit('EB-7');
  await store.getState().kioskConfirm({ firstName: ' Ada ', lastName: 'Lovelce' });
  assert.equal(transport.inputs('kiosk.checkIn')[0]?.correction, undefined);
});

test('a shared email asks for the order code; a name asks for the email; staff cases say so', async () => {
  const { store, transport } = await kiosk();
  await store.getState().kioskSubmit('family@x.org');
  assert.deepEqual(store.getState().kioskScreen, { kind: 'askOrder', email: 'family@x.org' });
  await store.getState().kioskSubmit('4417003');
  assert.deepEqual(transport.inputs('kiosk.find').at(-1), {
    eventId: 1,
    text: 'family@x.org',
    orderCode: '4417003',
  });
  assert.equal(store.getState().kioskScreen.kind, 'confirm');
  store.getState().kioskRestart();
  await store.getState().kioskSubmit('Ada Lovelace');
  assert.deepEqual(store.getState().kioskScreen, { kind: 'askEmail' });
  await store.getState().kioskSubmit('EB-CANCELLED');
  assert.deepEqual(store.getState().kioskScreen, { kind: 'staff', reason: 'cancelled' });
  // The camera read bytes: to staff, nothing looked up.
  const finds = transport.inputs('kiosk.find').length;
  await store.getState().kioskSubmit('\u0000\u0001', { binary: true });
  assert.deepEqual(store.getState().kioskScreen, { kind: 'staff', reason: 'not_found' });
  assert.equal(transport.inputs('kiosk.find').length, finds);
});

test('20 seconds without input: back to the first screen, no one on it; input keeps it', async () => {
  const { store, timers } = await kiosk();
  await store.getState().kioskSubmit('EB-7');
  timers.advance(KIOSK_IDLE_MS - 1_000);
  store.getState().kioskActivity();
  timers.advance(KIOSK_IDLE_MS - 1_000);
  assert.equal(
    store.getState().kioskScreen.kind,
    'confirm',
    'a key pressed within the 20 s keeps the screen',
  );
  timers.advance(1_000);
  assert.deepEqual(store.getState().kioskScreen, { kind: 'start' });
  assert.ok(!JSON.stringify(store.getState().kioskScreen).includes('Ada'), 'no personal data kept');
  // The answer screen goes too.
  await store.getState().kioskSubmit('EB-7');
  await store.getState().kioskConfirm({ firstName: 'Ada', lastName: 'Lovelce' });
  assert.equal(store.getState().kioskScreen.kind, 'done');
  timers.advance(KIOSK_IDLE_MS);
  assert.deepEqual(store.getState().kioskScreen, { kind: 'start' });
  assert.equal(timers.pending, 0, 'the first screen waits for no timer');
});
