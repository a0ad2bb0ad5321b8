// The desk against the real core and the provider simulator: offline-first check-in, the
// provider cancelling a checked-in attendee, VIP and check-ins surviving every kind of sync,
// and the desk channels over the IPC boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { admin, connect, importSeeded, operator, startHarness } from '../helpers/harness.ts';
import { startAppHarness } from '../helpers/app-harness.ts';
import { isCancelledAfterCheckIn, isWorkingOffline } from '../../shared/desk.ts';

test('offline: with every provider unreachable the desk searches, checks in, undoes and marks VIPs; a restart loses nothing; the network returning brings ACTIVE back by itself', async (t) => {
  const h = await startHarness(t);
  const eb = await connect(h, 'eventbrite');
  const luma = await connect(h, 'luma');
  const { eventId } = await importSeeded(h, 'eventbrite', 120, eb.token, eb.integration.id);
  const lumaEvent = await importSeeded(h, 'luma', 30, luma.token, luma.integration.id);

  await h.sim.eventbrite.setOffline(true);
  await h.sim.luma.setOffline(true);
  h.clock.advance(60_000);
  await h.core.engine.runLivePass();
  for (const id of [eventId, lumaEvent.eventId]) {
    const e = h.core.getEvent(id);
    assert.equal(isWorkingOffline(e), true, `${e.name} is ${e.status} (${e.statusReason})`);
  }

  const people = h.core.listAttendees(eventId, { offset: 0, limit: 60 }).slice(0, 50);
  const times = new Map<number, string>();
  for (const p of people) {
    h.clock.advance(11_000);
    const found = h.core.desk.search(eventId, p.fullName);
    assert.ok(
      found.rows.some((r) => r.id === p.id),
      `search finds ${p.fullName} offline`,
    );
    const out = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), code: p.barcode! });
    assert.equal(out.kind, 'checked_in');
    if (out.kind === 'checked_in') times.set(p.id, out.attendee.checkedIn!.at);
  }
  const extra = people[0]!;
  assert.equal(
    h.core.desk.undo(operator, { eventId, attendeeId: extra.id, actionId: randomUUID() }).kind,
    'undone',
  );
  assert.equal(
    h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: extra.id }).kind,
    'checked_in',
  );
  times.set(extra.id, h.core.store.getAttendee(extra.id)!.checkedIn!.at);
  h.core.setVip(operator, people[1]!.id, true);
  assert.equal(h.core.getEvent(eventId).counts.checkedIn, 50);

  // A restart (the core closed and opened again on the same folder) while still offline.
  await h.core.close();
  const core = h.reopen();
  for (const p of people)
    assert.deepEqual(core.store.getAttendee(p.id)!.checkedIn, { at: times.get(p.id), station: 'Desk 1' });
  assert.equal(core.store.getAttendee(people[1]!.id)!.vip, true);
  assert.equal(core.desk.log(eventId, 500).length, 52);

  await h.sim.eventbrite.setOffline(false);
  await h.sim.luma.setOffline(false);
  h.clock.advance(10 * 60_000);
  await core.engine.runLivePass();
  assert.equal(core.getEvent(eventId).status, 'ACTIVE');
  assert.equal(core.getEvent(lumaEvent.eventId).status, 'ACTIVE');
  assert.equal(core.getEvent(eventId).counts.checkedIn, 50, 'live sync never touches a check-in');
});

test('the provider cancelling a checked-in attendee: the check-in stays, flagged; statistics say so (Eventbrite and Luma)', async (t) => {
  const h = await startHarness(t);
  for (const provider of ['eventbrite', 'luma'] as const) {
    const { integration, token } = await connect(h, provider);
    const { eventId, providerEventId } = await importSeeded(h, provider, 40, token, integration.id);
    const [pid] = h.sim[provider].attendeeIds(providerEventId);
    const attendee = h.core.store.findAttendeeByProviderId(eventId, pid!)!;
    h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: attendee.id });

    h.clock.advance(60_000);
    h.sim[provider].cancelAttendee(providerEventId, pid!);
    await h.core.engine.liveTick(eventId);
    const after = h.core.store.getAttendee(attendee.id)!;
    assert.equal(after.status, 'NOT_ATTENDING', provider);
    assert.ok(after.checkedIn, `${provider}: the check-in is kept`);
    assert.equal(isCancelledAfterCheckIn(after), true);
    const stats = h.core.desk.stats(eventId);
    assert.equal(stats.cancelledAfterCheckIn, 1, provider);
    assert.equal(stats.checkedIn, 0, provider);
    assert.equal(h.core.desk.log(eventId, 10).length, 1, `${provider}: the log is untouched`);
  }
});

test('VIP and check-ins survive live sync, the manual Sync, and a full re-import after a failure', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 80, token, integration.id);
  const [vipPid, inPid] = h.sim.eventbrite.attendeeIds(providerEventId);
  const vip = h.core.store.findAttendeeByProviderId(eventId, vipPid!)!;
  const guest = h.core.store.findAttendeeByProviderId(eventId, inPid!)!;
  h.core.setVip(operator, vip.id, true);
  h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: guest.id });

  h.clock.advance(60_000);
  h.sim.eventbrite.editAttendee(providerEventId, vipPid!, { firstName: 'Renamed' });
  await h.core.engine.liveTick(eventId);
  h.core.syncNow(operator, eventId);
  await h.core.engine.waitForJob(eventId);
  h.sim.eventbrite.failNext(3, 500); // as many as the client retries: the live pass fails
  h.clock.advance(60_000);
  await h.core.engine.liveTick(eventId);
  assert.equal(h.core.getEvent(eventId).status, 'FAILED');
  h.core.retry(admin, eventId);
  await h.core.engine.waitForJob(eventId);
  assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
  const v = h.core.store.getAttendee(vip.id)!;
  assert.equal(v.firstName, 'Renamed');
  assert.equal(v.vip, true);
  assert.ok(h.core.store.getAttendee(guest.id)!.checkedIn);
  assert.ok(
    h.core.desk.search(eventId, 'renamed').rows.some((r) => r.id === vip.id),
    'the search index follows provider edits',
  );
});

test('desk channels over IPC: operators check in with the station name; exports are for admins; check-ins are pushed', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' });
  await h.call('settings.update', { stationName: 'Desk 2' });
  const account = h.sim.eventbrite.addAccount({ email: 'desk@venue.org', name: 'Desk' });
  const integration = await h.call('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const providerEventId = h.sim.eventbrite.addEvent(account.token, { name: 'Summit' });
  h.sim.eventbrite.seedAttendees(providerEventId, 30);
  const event = await h.call('events.import', { integrationId: integration.id, providerEventId });
  await h.app.core.engine.waitForJob(event.id);
  await h.call('session.lock', {});

  const [first] = (await h.call('attendees.list', { eventId: event.id, offset: 0, limit: 1 })).rows;
  const found = await h.call('desk.search', { eventId: event.id, query: first!.fullName.slice(0, 3) });
  assert.ok(found.rows.length > 0);
  const out = await h.call('desk.checkIn', {
    eventId: event.id,
    actionId: randomUUID(),
    code: first!.barcode!,
  });
  assert.equal(out.kind, 'checked_in');
  assert.equal(out.kind === 'checked_in' && out.attendee.checkedIn?.station, 'Desk 2');
  assert.ok(
    h.pushed.some(
      (m) => m.event === 'checkinsChanged' && (m.payload as { eventId: number }).eventId === event.id,
    ),
  );
  const stats = await h.call('desk.stats', { eventId: event.id });
  assert.equal(stats.checkedIn, 1);
  assert.equal((await h.call('desk.log', { eventId: event.id, limit: 10 })).length, 1);

  const refused = await h.app.invoke('desk.exportCsv', { eventId: event.id });
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'FORBIDDEN');
  await h.call('session.unlock', { pin: '2468' });
  const { csv } = await h.call('desk.exportCsv', { eventId: event.id });
  assert.match(csv, new RegExp(`check-in,${first!.fullName}`));
  assert.ok(!csv.includes(account.token), 'no credential in an export');

  const missing = await h.app.invoke('desk.checkIn', {
    eventId: event.id,
    actionId: randomUUID(),
    attendeeId: 999_999,
  });
  assert.equal(missing.ok ? 'ok' : missing.error.code, 'NOT_FOUND');
});
