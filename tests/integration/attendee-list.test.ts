// The event page's attendee list through the IPC boundary: an imported event searched, filtered
// and sorted; a VIP flag set over IPC is seen by the VIP filter; bad input is refused, typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startAppHarness } from '../helpers/app-harness.ts';
import { foldForSearch } from '../../main/db/search-text.ts';

test('attendees.list over IPC: text, filters and sort on an imported event; VIP set over IPC is filtered at once; bad input is INVALID_INPUT', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' });
  const account = h.sim.eventbrite.addAccount({ email: 'a@venue.org', name: 'A' });
  const providerEventId = h.sim.eventbrite.addEvent(account.token, { name: 'Listed' });
  h.sim.eventbrite.seedAttendees(providerEventId, 300);
  const integration = await h.call('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const event = await h.call('events.import', { integrationId: integration.id, providerEventId });
  await h.app.core.engine.waitForJob(event.id);
  const eventId = event.id;
  const all = (await h.call('attendees.list', { eventId, offset: 0, limit: 500 })).rows;
  assert.equal(all.length, 300);

  // Three letters of a surname: every row whose words start so, and only those, by name.
  const prefix = foldForSearch(all[0]!.lastName!).slice(0, 3);
  const found = await h.call('attendees.list', {
    eventId,
    offset: 0,
    limit: 500,
    text: prefix.toUpperCase(),
  });
  const expected = all.filter((a) =>
    [a.fullName, a.email, a.company, a.orderId, a.barcode].some(
      (f) =>
        f !== null &&
        foldForSearch(f)
          .split(/[^\p{L}\p{N}]+/u)
          .some((w) => w.startsWith(prefix)),
    ),
  );
  assert.ok(expected.length > 0 && expected.length < 300, `${expected.length} rows start with ${prefix}`);
  assert.deepEqual(
    found.rows.map((a) => a.id),
    expected.map((a) => a.id),
    'the same rows, in name order',
  );
  assert.equal(found.total, expected.length);

  // Check in three people, a minute apart; the latest first when sorted by check-in time, descending.
  const picked = [all[10]!, all[200]!, all[42]!];
  for (const p of picked) {
    h.clock.advance(60_000);
    const out = await h.call('desk.checkIn', { eventId, actionId: randomUUID(), attendeeId: p.id });
    assert.equal(out.kind, 'checked_in');
  }
  const latest = await h.call('attendees.list', {
    eventId,
    offset: 0,
    limit: 3,
    sort: { key: 'checked_in_at', direction: 'desc' },
  });
  assert.deepEqual(
    latest.rows.map((a) => a.id),
    picked.map((p) => p.id).reverse(),
  );
  const notIn = await h.call('attendees.list', {
    eventId,
    offset: 0,
    limit: 500,
    filter: { checkIn: 'not_checked_in' },
  });
  assert.equal(notIn.total, 297);

  // VIP over IPC, seen by the filter on the next call.
  await h.call('attendees.setVip', { attendeeId: all[7]!.id, vip: true });
  const vips = await h.call('attendees.list', { eventId, offset: 0, limit: 10, filter: { vip: true } });
  assert.deepEqual(
    vips.rows.map((a) => a.id),
    [all[7]!.id],
  );

  const ticket = all[0]!.ticketName!;
  const byTicket = await h.call('attendees.list', {
    eventId,
    offset: 0,
    limit: 500,
    filter: { ticketName: ticket, status: 'ATTENDING' },
  });
  assert.deepEqual(
    byTicket.rows.map((a) => a.id),
    all.filter((a) => a.ticketName === ticket && a.status === 'ATTENDING').map((a) => a.id),
  );

  for (const bad of [
    { eventId, offset: 0, limit: 10, sort: { key: 'email', direction: 'asc' } },
    { eventId, offset: 0, limit: 10, sort: { key: 'name', direction: 'up' } },
    { eventId, offset: 0, limit: 10, filter: { vip: false } },
    { eventId, offset: 0, limit: 10, filter: { status: 'CHECKED_IN' } },
    { eventId, offset: 0, limit: 10, filter: { ticketName: '' } },
    { eventId, offset: 0, limit: 10, filter: { sql: '1=1' } },
    { eventId, offset: 0, limit: 10, text: 'x'.repeat(201) },
    { eventId, offset: 0, limit: 10, text: 42 },
  ]) {
    const result = await h.app.invoke('attendees.list', bad);
    assert.equal(result.ok ? 'ok' : result.error.code, 'INVALID_INPUT', JSON.stringify(bad));
  }
  const unknown = await h.app.invoke('attendees.list', { eventId: eventId + 100, offset: 0, limit: 10 });
  assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'NOT_FOUND');
});
