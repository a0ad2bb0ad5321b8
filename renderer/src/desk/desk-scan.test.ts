// The camera's codes at the desk: the scanner's path (search, then the core's check-in by code),
// and codes the desk refuses to look up said as "not found" or "another event", with no call made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, startedStore, syncedEvent } from '../../../tests/helpers/store-fixtures.ts';
import type { SyncedEvent } from '../../../shared/types.ts';

const ada = attendee({ id: 1, eventId: 1, fullName: 'Ada Lovelace', barcode: '100200300400' });
const zoe = attendee({
  id: 2,
  eventId: 1,
  fullName: 'Zoë Müller',
  barcode: 'https://luma.com/check-in/evt-Here1?pk=g-zoe1',
});

async function desk(event: SyncedEvent = syncedEvent({ id: 1 })) {
  const harness = await startedStore({ events: [event] });
  const { transport, store } = harness;
  transport
    // A search finds a person whose name is a word of the text (a URL naming her included).
    .answer('desk.search', ({ query }) => ({
      rows: [ada, zoe].filter(
        (a) =>
          a.barcode === query ||
          query.toLowerCase().includes(a.fullName.split(' ')[0]!.toLowerCase()) ||
          (query.includes('pk=g-zoe1') && a === zoe),
      ),
      more: false,
    }))
    .answer('desk.checkIn', (input) => ({
      kind: 'checked_in',
      attendee: {
        ...(input.attendeeId === zoe.id ? zoe : ada),
        checkedIn: { at: '2026-11-23T08:01:00.000Z', station: 'Desk 1' },
      },
      actionId: input.actionId,
      via: 'scan',
      printJob: null,
    }));
  store.getState().navigate({ name: 'desk', eventId: event.id });
  await settle();
  return harness;
}

test("a camera's code takes the scanner's path: one search, a check-in by code", async () => {
  const { transport, store } = await desk();
  await store.getState().deskScan(ada.barcode!);
  await settle();
  assert.deepEqual(
    transport.inputs('desk.search').map((i) => i.query),
    [ada.barcode],
  );
  const [checkIn] = transport.inputs('desk.checkIn');
  assert.equal(checkIn?.code, ada.barcode, 'sent as a code, so the core matches it as a scan');
  assert.equal(store.getState().desk?.feedback?.title, 'Checked in');
  assert.equal(store.getState().desk?.feedback?.glance, 'admitted', 'green at a glance');
});

test('another site, binary data, 4,000 characters: "Not found", nothing looked up or checked in', async () => {
  const { transport, store } = await desk();
  const cases: [string, { binary?: boolean }, string][] = [
    ['https://evil.example/check-in?name=Ada', {}, 'This code is a link, not a ticket of this event'],
    ['javascript:alert("Ada")', {}, 'This code is a link, not a ticket of this event'],
    ['Ada\u0000\u0001', {}, 'This code holds no ticket text'],
    [ada.barcode!, { binary: true }, 'This code holds no ticket text'],
    ['A1B2'.repeat(1000), {}, 'This code is too long to be a ticket'],
  ];
  for (const [code, decoded, detail] of cases) {
    await store.getState().deskScan(code, decoded);
    const feedback = store.getState().desk?.feedback;
    assert.equal(feedback?.title, 'Not found', code.slice(0, 40));
    assert.equal(feedback?.tone, 'error');
    assert.equal(feedback?.glance, 'refused', 'red at a glance');
    assert.equal(feedback?.detail, detail);
    assert.ok((feedback?.subject.length ?? 0) <= 81, 'the code is shown cut short');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f]/.test(feedback?.subject ?? ''), 'control characters are never shown');
  }
  assert.equal(transport.inputs('desk.search').length, 0);
  assert.equal(transport.inputs('desk.checkIn').length, 0);
});

test("a scanner's Enter goes through the same screen", async () => {
  const { transport, store } = await desk();
  store.getState().deskType('https://evil.example/Ada');
  await store.getState().deskEnter('https://evil.example/Ada');
  assert.equal(store.getState().desk?.feedback?.title, 'Not found');
  assert.equal(store.getState().desk?.query, '', 'the field is cleared for the next scan');
  assert.equal(transport.inputs('desk.checkIn').length, 0);
});

test('a Luma check-in URL: of this event it checks in by key; of another event it says so', async () => {
  const { transport, store } = await desk(
    syncedEvent({ id: 1, provider: 'luma', providerEventId: 'evt-Here1' }),
  );
  await store.getState().deskScan('https://lu.ma/check-in/evt-Other2?pk=g-zoe1');
  assert.equal(store.getState().desk?.feedback?.title, 'Another event');
  assert.equal(transport.inputs('desk.checkIn').length, 0);
  await store.getState().deskScan('https://lu.ma/check-in/evt-Here1?pk=g-zoe1&utm_source=ios');
  await settle();
  assert.equal(transport.inputs('desk.checkIn')[0]?.attendeeId, zoe.id);
  assert.equal(store.getState().desk?.feedback?.title, 'Checked in');
});
