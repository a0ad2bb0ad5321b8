// Kiosk self check-in through the IPC boundary over the real core: one person by a scanned code,
// an email or an order code, never a list; a name asks for the email or order code; two people
// with one email are asked for the order code; a corrected name is a badge-name correction made at
// the kiosk; staff's cases say "see staff"; the desk's listing channels are refused; leaving needs
// the admin PIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../helpers/app-harness.ts';
import { person } from '../helpers/desk-db.ts';
import { listDefinition } from '../helpers/lists-db.ts';

const PIN = '2468';

async function kioskStation(t: { after(fn: () => unknown): void }) {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: PIN });
  await h.call('session.unlock', { pin: PIN });
  const { store } = h.app.core;
  const integration = store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  const add = (name: string) =>
    store.insertEvent(
      integration,
      { providerEventId: name, name, startsAt: null, endsAt: null, timezone: null, url: null },
      'event added',
      '2026-11-23T08:00:00Z',
    );
  const eventId = add('Kiosk Conf');
  const otherEventId = add('Other Conf');
  store.upsertAttendees(
    eventId,
    [
      person({
        fullName: 'Ada Lovelace',
        providerAttendeeId: 'ada',
        barcode: 'EB-1001',
        email: 'ada@x.org',
        orderId: '4417001',
      }),
      person({
        fullName: 'Zoe Mueller',
        providerAttendeeId: 'zoe',
        barcode: 'EB-1002',
        email: 'family@x.org',
        orderId: '4417002',
      }),
      person({
        fullName: 'Tom Mueller',
        providerAttendeeId: 'tom',
        barcode: 'EB-1003',
        email: 'Family@x.org',
        orderId: '4417003',
      }),
      person({
        fullName: 'Cy Cancelled',
        providerAttendeeId: 'cy',
        barcode: 'EB-1004',
        status: 'NOT_ATTENDING',
      }),
      person({ fullName: 'Flo Flagged', providerAttendeeId: 'flo', barcode: 'EB-1005' }),
    ],
    null,
    '2026-11-23T08:00:00Z',
  );
  store.upsertAttendees(
    otherEventId,
    [person({ fullName: 'Otto Other', providerAttendeeId: 'otto', barcode: 'EB-9001' })],
    null,
    '2026-11-23T08:00:00Z',
  );
  const byName = (name: string) => h.app.core.desk.search(eventId, name, 5).rows[0]!;
  await h.call('door.setAttention', {
    attendeeId: byName('Flo Flagged').id,
    actionId: 'flag-0000-0001',
    reason: 'Check the ID',
  });
  const folder = mkdtempSync(join(tmpdir(), 'bd-kiosk-pdf-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const printer = await h.call('printers.add', { name: 'Kiosk PDF', config: { kind: 'pdf_folder', folder } });
  // Badges do not print at check-in at this station: the kiosk prints them itself.
  await h.call('settings.update', { printerId: printer.id, autoPrint: false, stationName: 'Hall A' });
  const status = await h.call('kiosk.start', { eventId, collectAt: 'the badge table by the door' });
  assert.deepEqual(status, {
    eventId,
    eventName: 'Kiosk Conf',
    listId: 'main',
    listName: status.listName,
    collectAt: 'the badge table by the door',
    printsBadges: true,
  });
  await h.call('session.lock', {});
  return { h, eventId, otherEventId, byName };
}

async function refused(h: AppHarness, channel: Parameters<AppHarness['app']['invoke']>[0], input: unknown) {
  const r = await h.app.invoke(channel, input);
  assert.equal(r.ok, false, `${String(channel)} is refused`);
  return r.ok ? null : r.error;
}

test('the kiosk finds one person by code, email or order code, and never lists anyone', async (t) => {
  const { h, eventId } = await kioskStation(t);
  const find = (text: string, orderCode?: string) =>
    h.call('kiosk.find', { eventId, text, ...(orderCode ? { orderCode } : {}) });

  const ada = await find('EB-1001');
  assert.equal(ada.kind, 'person');
  assert.deepEqual(Object.keys(ada.kind === 'person' ? ada.person : {}).sort(), [
    'attendeeId',
    'company',
    'firstName',
    'fullName',
    'lastName',
    'ticketName',
  ]);
  assert.equal(ada.kind === 'person' && ada.person.fullName, 'Ada Lovelace');
  assert.equal((await find('ADA@x.org')).kind, 'person', 'an email, whatever its case');
  assert.equal((await find('4417001')).kind, 'person', 'an order code of one person');
  // A name, a part of a name, a part of an email: asked for the email or order code.
  for (const text of ['Ada', 'Ada Lovelace', 'Mueller', 'lovelace'])
    assert.deepEqual(await find(text), { kind: 'ask_email' }, text);
  // Two people with one email: the order code tells them apart.
  assert.deepEqual(await find('family@x.org'), { kind: 'ask_order_code' });
  const tom = await find('family@x.org', '4417003');
  assert.equal(tom.kind === 'person' && tom.person.fullName, 'Tom Mueller');
  assert.deepEqual(await find('family@x.org', '4417001'), { kind: 'see_staff', reason: 'not_found' });
  // Staff's cases.
  assert.deepEqual(await find('EB-1004'), { kind: 'see_staff', reason: 'cancelled' });
  assert.deepEqual(await find('EB-1005'), { kind: 'see_staff', reason: 'needs_attention' });
  assert.deepEqual(await find('EB-9001'), { kind: 'see_staff', reason: 'not_found' }, "another event's code");
  assert.deepEqual(await find('nobody@x.org'), { kind: 'see_staff', reason: 'not_found' });
  assert.deepEqual(await find('https://evil.example/EB-1001'), { kind: 'see_staff', reason: 'not_found' });

  // While a kiosk, main refuses what lists people, whatever the window asks.
  assert.equal((await refused(h, 'desk.search', { eventId, query: 'Ada' }))?.code, 'FORBIDDEN');
  assert.equal((await refused(h, 'attendees.list', { eventId, offset: 0, limit: 10 }))?.code, 'FORBIDDEN');
  assert.equal((await refused(h, 'desk.log', { eventId, limit: 10 }))?.code, 'FORBIDDEN');
});

test('confirming a corrected name: a correction made at the kiosk, the check-in logged there, the badge queued', async (t) => {
  const { h, eventId, byName } = await kioskStation(t);
  const ada = byName('Ada Lovelace');
  const result = await h.call('kiosk.checkIn', {
    eventId,
    attendeeId: ada.id,
    actionId: 'kiosk-0000-0001',
    correction: { actionId: 'kiosk-0000-0002', firstName: 'Augusta Ada', lastName: 'Lovelace' },
  });
  assert.equal(result.outcome.kind, 'checked_in');
  assert.equal(result.badgeQueued, true);
  const now = h.app.core.store.getAttendee(ada.id)!;
  assert.equal(now.fullName, 'Augusta Ada Lovelace');
  assert.equal(now.correction?.stationName, 'Hall A (kiosk)', 'a correction made at the kiosk');
  assert.equal(now.correction?.provider.fullName, 'Ada Lovelace', "the provider's name is kept beside it");
  assert.equal(now.checkedIn?.station, 'Hall A (kiosk)');
  const jobs = h.app.core.printing.listJobs({ limit: 10 }).filter((j) => j.attendeeId === ada.id);
  assert.equal(jobs.length, 1, 'one badge');

  // Again: already in, to staff; no second badge.
  assert.deepEqual(await h.call('kiosk.find', { eventId, text: 'EB-1001' }), {
    kind: 'see_staff',
    reason: 'already_in',
  });
  const again = await h.call('kiosk.checkIn', { eventId, attendeeId: ada.id, actionId: 'kiosk-0000-0003' });
  assert.equal(again.outcome.kind, 'already_checked_in');
  assert.equal(again.badgeQueued, false);
  assert.equal(h.app.core.printing.listJobs({ limit: 10 }).filter((j) => j.attendeeId === ada.id).length, 1);

  // A flagged person is not checked in by the kiosk, whatever the window sends.
  const flo = byName('Flo Flagged');
  const flagged = await h.call('kiosk.checkIn', { eventId, attendeeId: flo.id, actionId: 'kiosk-0000-0004' });
  assert.equal(flagged.outcome.kind, 'needs_confirmation');
  assert.equal(h.app.core.store.getAttendee(flo.id)!.checkedIn, null);

  // Bad names are refused with a typed error, and nothing is stored.
  const zoe = byName('Zoe Mueller');
  const bad = await refused(h, 'kiosk.checkIn', {
    eventId,
    attendeeId: zoe.id,
    actionId: 'kiosk-0000-0005',
    correction: { actionId: 'kiosk-0000-0006', firstName: '   ', lastName: 'x' },
  });
  assert.equal(bad?.code, 'INVALID_INPUT');
  assert.equal(h.app.core.store.getAttendee(zoe.id)!.checkedIn, null);
  assert.ok(!h.app.core.store.getAttendee(zoe.id)!.correction);
});

test('the kiosk checks in for its event only, and leaving it needs the admin PIN', async (t) => {
  const { h, eventId, otherEventId } = await kioskStation(t);
  assert.equal(
    (await refused(h, 'kiosk.find', { eventId: otherEventId, text: 'EB-9001' }))?.code,
    'FORBIDDEN',
  );
  assert.equal(
    (await refused(h, 'kiosk.start', { eventId, collectAt: 'x' }))?.code,
    'FORBIDDEN',
    'starting needs the admin',
  );
  assert.equal((await refused(h, 'kiosk.leave', { pin: '1111' }))?.code, 'FORBIDDEN');
  assert.notEqual(await h.call('kiosk.status', {}), null, 'still a kiosk after a wrong PIN');
  assert.equal(await h.call('kiosk.leave', { pin: PIN }), null);
  assert.equal(await h.call('kiosk.status', {}), null);
  assert.equal((await h.call('session.unlock', { pin: PIN })).role, 'admin');
  // A desk again: the search lists people.
  assert.ok((await h.call('desk.search', { eventId, query: 'Ada' })).rows.length > 0);
  assert.equal((await refused(h, 'kiosk.find', { eventId, text: 'EB-1001' }))?.code, 'INVALID_STATE');
});

test("the kiosk admits to the station's desk list for its event, with that list's rules", async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: PIN });
  await h.call('session.unlock', { pin: PIN });
  const { store } = h.app.core;
  const integration = store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  const eventId = store.insertEvent(
    integration,
    { providerEventId: 'Lists', name: 'Lists', startsAt: null, endsAt: null, timezone: null, url: null },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  store.upsertAttendees(
    eventId,
    [
      person({ fullName: 'Vera Vip', providerAttendeeId: 'vera', barcode: 'VIP-1', ticketName: 'VIP' }),
      person({ fullName: 'Gus General', providerAttendeeId: 'gus', barcode: 'GA-1', ticketName: 'General' }),
    ],
    null,
    '2026-11-23T08:00:00Z',
  );
  const lounge = await h.call('lists.save', {
    eventId,
    actionId: 'list-0000-0001',
    definition: listDefinition({ name: 'VIP lounge', ticketTypes: ['VIP'] }),
  });
  await h.call('lists.setDesk', { eventId, listId: lounge.id, exit: false });
  const status = await h.call('kiosk.start', { eventId, collectAt: 'the lounge door' });
  assert.equal(status.listId, lounge.id);
  assert.equal(status.listName, 'VIP lounge');
  await h.call('session.lock', {});

  const find = async (code: string) => {
    const r = await h.call('kiosk.find', { eventId, text: code });
    assert.equal(r.kind, 'person', code);
    return r.kind === 'person' ? r.person.attendeeId : 0;
  };
  const vera = await h.call('kiosk.checkIn', {
    eventId,
    attendeeId: await find('VIP-1'),
    actionId: 'kiosk-list-0001',
  });
  assert.equal(vera.outcome.kind, 'checked_in');
  // The lounge admits VIP tickets only: its refusal sends Gus to staff, and nothing is written.
  const gus = await h.call('kiosk.checkIn', {
    eventId,
    attendeeId: await find('GA-1'),
    actionId: 'kiosk-list-0002',
  });
  assert.equal(gus.outcome.kind, 'refused');
  assert.equal(gus.badgeQueued, false);
});
