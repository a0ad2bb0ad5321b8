// The core's sync behaviour end to end: real engine, real provider clients, the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, connect, importSeeded, admin, operator } from '../helpers/harness.ts';
import { describeSyncStatus } from '../../shared/sync-status.ts';
import { AppError } from '../../shared/errors.ts';
import { LUMA_ROUTE_FAMILIES, lumaRouteOf, type LumaRouteFamily } from '../helpers/luma-families.ts';

const rejectsWith = (code: string) => (err: unknown) => err instanceof AppError && err.code === code;

/** Simulator options for a Luma account that answers on `family` (the older one: 404 on the current routes). */
const lumaOn = (family: LumaRouteFamily) => ({ lumaCurrentRoutes: family === 'current' });

test('connecting verifies the credential and keeps it out of the database', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite', 'ops@venue.org');
  assert.equal(integration.status, 'CONNECTED');
  assert.equal(integration.accountEmail, 'ops@venue.org');
  const luma = await connect(h, 'luma', 'cal@venue.org');
  assert.equal(luma.integration.accountEmail, 'cal@venue.org');

  await assert.rejects(
    h.core.connectIntegration(admin, 'eventbrite', 'not-a-real-token'),
    rejectsWith('CREDENTIAL_REJECTED'),
  );
  assert.equal(h.core.listIntegrations().length, 2, 'a rejected credential stores nothing');

  const dump = JSON.stringify(h.core.store.db.prepare('SELECT * FROM integrations').all());
  assert.ok(!dump.includes(token), 'the token is not in SQLite');
  assert.equal(h.secrets.get(h.core.store.getIntegration(integration.id)!.secretRef), token);
});

test('Eventbrite import pages to the end: PENDING with a job, live progress, then ACTIVE', async (t) => {
  const h = await startHarness(t, { sim: { eventbritePageSize: 17 } });
  const { integration, token } = await connect(h, 'eventbrite');
  const providerEventId = h.sim.eventbrite.addEvent(token, { name: 'Summit' });
  h.sim.eventbrite.seedAttendees(providerEventId, 503);

  const progress: number[] = [];
  h.core.events.on('jobProgress', (p) => progress.push(p.job.fetched));
  const event = await h.core.importEvent(admin, integration.id, providerEventId);
  assert.equal(event.status, 'PENDING');
  assert.ok(event.activeJob, 'a job is running');
  assert.equal(describeSyncStatus(event.status, true).showImportProgress, true);

  await h.core.engine.waitForJob(event.id);
  const done = h.core.getEvent(event.id);
  assert.equal(done.status, 'ACTIVE');
  assert.equal(done.activeJob, null);
  assert.equal(done.counts.total, 503);
  assert.deepEqual(
    h.core.store.providerAttendeeIds(event.id),
    [...h.sim.eventbrite.attendeeIds(providerEventId)].sort(),
  );
  assert.equal(Math.max(...progress), 503);
  assert.ok(progress.length >= 30, 'one progress event per page (503 / 17 = 30 pages)');
  assert.deepEqual(
    progress,
    [...progress].sort((a, b) => a - b),
    'progress never goes backwards',
  );
  const job = h.core.store.jobsOfEvent(event.id)[0]!;
  assert.equal(job.state, 'completed');
  assert.equal(job.expectedTotal, 503);
  assert.deepEqual(
    h.core.statusHistory(event.id).map((s) => [s.from, s.to]),
    [
      [null, 'PENDING'],
      ['PENDING', 'ACTIVE'],
    ],
  );
  await assert.rejects(
    h.core.importEvent(admin, integration.id, providerEventId),
    rejectsWith('CONFLICT'),
    'an event is added once',
  );
});

for (const family of LUMA_ROUTE_FAMILIES) {
  test(`Luma (${family} routes): every guest is a row; only approved guests count as attending`, async (t) => {
    const h = await startHarness(t, { sim: { lumaPageSize: 7, ...lumaOn(family) } });
    const { integration, token } = await connect(h, 'luma');
    const providerEventId = h.sim.luma.addEvent(token, { name: 'Meetup' });
    h.sim.luma.seedAttendees(providerEventId, 40);
    const ids = h.sim.luma.attendeeIds(providerEventId);
    h.sim.luma.setGuestStatus(providerEventId, ids[0]!, 'declined');
    h.sim.luma.setGuestStatus(providerEventId, ids[1]!, 'pending_approval');
    h.sim.luma.setGuestStatus(providerEventId, ids[2]!, 'waitlist');
    h.sim.luma.setGuestStatus(providerEventId, ids[3]!, 'invited');
    h.sim.luma.setGuestStatus(providerEventId, ids[4]!, 'session');
    const event = await h.core.importEvent(admin, integration.id, providerEventId);
    await h.core.engine.waitForJob(event.id);
    const counts = h.core.getEvent(event.id).counts;
    assert.deepEqual(counts, { attending: 36, notAttending: 1, notYetAttending: 3, total: 40, checkedIn: 0 });
    const declined = h.core.store.findAttendeeByProviderId(event.id, ids[0]!)!;
    assert.equal(declined.status, 'NOT_ATTENDING');
  });
}

test('live sync: registrations, edits and cancellations flow in; VIP and the row survive', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 120, token, integration.id);
  const [firstId] = h.sim.eventbrite.attendeeIds(providerEventId);
  const first = h.core.store.findAttendeeByProviderId(eventId, firstId!)!;
  h.core.setVip(operator, first.id, true);

  h.clock.advance(60_000);
  const newId = h.sim.eventbrite.addAttendee(providerEventId, {
    firstName: 'Zoë',
    lastName: 'Ångström',
    ticketName: 'Speaker',
  });
  h.sim.eventbrite.editAttendee(providerEventId, firstId!, { firstName: 'Renamed', ticketName: 'VIP Pass' });
  const [, secondId] = h.sim.eventbrite.attendeeIds(providerEventId);
  h.sim.eventbrite.cancelAttendee(providerEventId, secondId!);

  const changed: number[] = [];
  h.core.events.on('attendeesChanged', (p) => changed.push(...p.attendeeIds));
  const requests = await h.core.engine.liveTick(eventId);
  assert.equal(requests, 1, 'an incremental pass over 3 changes is one request, not 120 / 50');

  const added = h.core.store.findAttendeeByProviderId(eventId, newId)!;
  assert.equal(added.fullName, 'Zoë Ångström');
  assert.equal(added.ticketName, 'Speaker');
  const edited = h.core.store.getAttendee(first.id)!;
  assert.equal(edited.firstName, 'Renamed');
  assert.equal(edited.ticketName, 'VIP Pass');
  assert.equal(edited.vip, true, 'VIP is local and never overridden');
  const cancelled = h.core.store.findAttendeeByProviderId(eventId, secondId!)!;
  assert.equal(cancelled.status, 'NOT_ATTENDING', 'a cancellation keeps the row');
  assert.equal(h.core.getEvent(eventId).counts.total, 121);
  assert.equal(h.core.getEvent(eventId).counts.attending, 120, '120 seeded + 1 new - 1 cancelled');
  assert.deepEqual(new Set(changed), new Set([added.id, first.id, cancelled.id]));

  // A full re-import changes nothing more and keeps VIP.
  h.core.syncNow(operator, eventId);
  await assert.throws(
    () => h.core.syncNow(operator, eventId),
    rejectsWith('CONFLICT'),
    'Sync cannot run twice at once',
  );
  await h.core.engine.waitForJob(eventId);
  assert.equal(h.core.store.getAttendee(first.id)!.vip, true);
  assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
});

test('revoked credential: DISCONNECTED; the recovery dialog offers only CONNECTED accounts; Reconnect -> ACTIVE', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite', 'first@venue.org');
  const { eventId } = await importSeeded(h, 'eventbrite', 60, token, integration.id);

  h.sim.eventbrite.revokeToken(token);
  await h.core.engine.liveTick(eventId);
  const event = h.core.getEvent(eventId);
  assert.equal(event.status, 'DISCONNECTED');
  assert.match(event.lastError ?? '', /INVALID_AUTH|401/);
  assert.ok(event.lastErrorAt);
  assert.equal(h.core.listIntegrations()[0]!.status, 'DISCONNECTED');
  assert.deepEqual(
    h.core.recoveryOptions(eventId),
    [],
    'a DISCONNECTED integration never appears: empty state',
  );
  assert.equal(describeSyncStatus('DISCONNECTED', false).alert?.title, 'Integration disconnected');

  assert.throws(() => h.core.reconnect(admin, eventId, integration.id), rejectsWith('INVALID_STATE'));

  h.sim.eventbrite.restoreToken(token);
  await h.core.connectIntegration(admin, 'eventbrite', token);
  const options = h.core.recoveryOptions(eventId);
  assert.deepEqual(
    options.map((i) => [i.accountEmail, i.status]),
    [['first@venue.org', 'CONNECTED']],
  );
  assert.throws(() => h.core.reconnect(operator, eventId, integration.id), rejectsWith('FORBIDDEN'));
  h.core.reconnect(admin, eventId, integration.id);
  assert.equal(h.core.getEvent(eventId).status, 'PENDING');
  await h.core.engine.waitForJob(eventId);
  assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
  assert.deepEqual(
    h.core.statusHistory(eventId).map((s) => s.to),
    ['PENDING', 'ACTIVE', 'DISCONNECTED', 'PENDING', 'ACTIVE'],
  );
});

for (const family of LUMA_ROUTE_FAMILIES) {
  test(`provider rejects again after Reconnect: back to DISCONNECTED with the reason (Luma, ${family} routes)`, async (t) => {
    const h = await startHarness(t, { sim: lumaOn(family) });
    const { integration, token } = await connect(h, 'luma');
    const { eventId } = await importSeeded(h, 'luma', 30, token, integration.id);
    h.sim.luma.revokeToken(token);
    await h.core.engine.liveTick(eventId);
    assert.equal(h.core.getEvent(eventId).status, 'DISCONNECTED');
    h.sim.luma.restoreToken(token);
    await h.core.connectIntegration(admin, 'luma', token);
    h.sim.luma.failNext(1, 401);
    h.core.reconnect(admin, eventId, integration.id);
    await h.core.engine.waitForJob(eventId);
    const event = h.core.getEvent(eventId);
    assert.equal(event.status, 'DISCONNECTED');
    assert.match(event.lastError ?? '', /401/);
  });
}

test('5xx beyond the bounded retries: FAILED with the message and time; Retry -> ACTIVE', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 80, token, integration.id);
  h.clock.advance(60_000);
  h.sim.eventbrite.addAttendee(providerEventId);
  h.sim.eventbrite.failNext(3, 503);
  await h.core.engine.liveTick(eventId);
  const failed = h.core.getEvent(eventId);
  assert.equal(failed.status, 'FAILED');
  assert.match(failed.lastError ?? '', /503/);
  assert.equal(failed.lastErrorAt, failed.statusChangedAt);
  assert.equal(describeSyncStatus('FAILED', false).alert?.button, 'Retry');

  assert.throws(() => h.core.retry(operator, eventId), rejectsWith('FORBIDDEN'));
  h.core.retry(admin, eventId);
  assert.equal(h.core.getEvent(eventId).status, 'PENDING');
  await h.core.engine.waitForJob(eventId);
  const healed = h.core.getEvent(eventId);
  assert.equal(healed.status, 'ACTIVE');
  assert.equal(healed.counts.total, 81);
});

test('fewer 5xx than the retry bound are absorbed without a status change', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId } = await importSeeded(h, 'eventbrite', 10, token, integration.id);
  h.sim.eventbrite.failNext(2, 500);
  await h.core.engine.liveTick(eventId);
  assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
});

test('429: the import waits as the provider says, then completes', async (t) => {
  const h = await startHarness(t, { sim: { eventbritePageSize: 20 } });
  const { integration, token } = await connect(h, 'eventbrite');
  const providerEventId = h.sim.eventbrite.addEvent(token, { name: 'Throttled' });
  h.sim.eventbrite.seedAttendees(providerEventId, 100);
  const before = h.clock.now();
  h.sim.eventbrite.throttleNext(2, 7);
  const event = await h.core.importEvent(admin, integration.id, providerEventId);
  await h.core.engine.waitForJob(event.id);
  assert.equal(h.core.getEvent(event.id).status, 'ACTIVE');
  assert.equal(h.core.getEvent(event.id).counts.total, 100);
  assert.ok(h.clock.now() - before >= 14_000, 'waited Retry-After (7 s) twice');
});

test('malformed and truncated pages store nothing from that page; a first import shows "Import failed"; Retry imports exactly', async (t) => {
  for (const fault of ['malformed', 'truncated', 'missing_fields'] as const) {
    const h = await startHarness(t, { sim: { eventbritePageSize: 25 } });
    const { integration, token } = await connect(h, 'eventbrite');
    const providerEventId = h.sim.eventbrite.addEvent(token, { name: `Bad ${fault}` });
    h.sim.eventbrite.seedAttendees(providerEventId, 100);
    // The first attendee page is good; every attempt at the second is bad.
    let pagesServed = 0;
    h.sim.eventbrite.on('request', (r) => {
      if (r.path.includes('/attendees/') && ++pagesServed === 1)
        h.sim.eventbrite.failNext(3, fault, { pathIncludes: '/attendees/' });
    });
    const event = await h.core.importEvent(admin, integration.id, providerEventId);
    await h.core.engine.waitForJob(event.id);
    const broken = h.core.getEvent(event.id);
    assert.equal(broken.status, 'PENDING', fault);
    assert.equal(broken.activeJob, null, fault);
    assert.equal(broken.counts.total, 25, `${fault}: only the good page is stored`);
    assert.match(broken.lastError ?? '', /bad|malformed|pars|JSON|missing|truncat/i, fault);
    const view = describeSyncStatus(broken.status, broken.activeJob !== null);
    assert.deepEqual(
      [view.alert?.title, view.dialogTitle, view.toast],
      ['Import failed', 'Set Up Sync', 'Retrying import'],
    );

    h.sim.eventbrite.clearFaults();
    h.core.retryImport(admin, event.id);
    await h.core.engine.waitForJob(event.id);
    const fixed = h.core.getEvent(event.id);
    assert.equal(fixed.status, 'ACTIVE', fault);
    assert.deepEqual(
      h.core.store.providerAttendeeIds(event.id),
      [...h.sim.eventbrite.attendeeIds(providerEventId)].sort(),
      fault,
    );
  }
});

test('network down: FAILED "offline"; live sync recovers to ACTIVE by itself when it returns', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 20, token, integration.id);
  await h.sim.eventbrite.setOffline(true);
  h.clock.advance(60_000);
  await h.core.engine.runLivePass();
  const down = h.core.getEvent(eventId);
  assert.equal(down.status, 'FAILED');
  assert.equal(down.statusReason, 'offline');

  await h.sim.eventbrite.setOffline(false);
  h.sim.eventbrite.addAttendee(providerEventId);
  h.clock.advance(10 * 60_000);
  await h.core.engine.runLivePass();
  const up = h.core.getEvent(eventId);
  assert.equal(up.status, 'ACTIVE');
  assert.equal(up.counts.total, 21);
});

test('operators are refused every admin action by the core itself', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const providerEventId = h.sim.eventbrite.addEvent(token, { name: 'X' });
  await assert.rejects(h.core.connectIntegration(operator, 'eventbrite', token), rejectsWith('FORBIDDEN'));
  await assert.rejects(h.core.listProviderEvents(operator, integration.id), rejectsWith('FORBIDDEN'));
  await assert.rejects(
    h.core.importEvent(operator, integration.id, providerEventId),
    rejectsWith('FORBIDDEN'),
  );
  assert.equal(h.core.listEvents().length, 0);
  const listed = await h.core.listProviderEvents(admin, integration.id);
  assert.deepEqual(
    listed.map((e) => [e.providerEventId, e.alreadyAdded]),
    [[providerEventId, false]],
  );
});

test('an event of another account is refused without storing anything', async (t) => {
  const h = await startHarness(t);
  const { integration } = await connect(h, 'eventbrite', 'a@venue.org');
  const other = h.sim.eventbrite.addAccount({ email: 'b@venue.org', name: 'B' });
  const foreignEvent = h.sim.eventbrite.addEvent(other.token, { name: 'Not yours' });
  await assert.rejects(h.core.importEvent(admin, integration.id, foreignEvent), rejectsWith('FORBIDDEN'));
  assert.equal(h.core.listEvents().length, 0);
  assert.equal(
    h.core.listIntegrations()[0]!.status,
    'CONNECTED',
    '403 on one event leaves the integration alone',
  );
});

// Once, on the older routes: the budget does not depend on the family, and the older one spends
// the fallback's 404s on top (ten seconds of polling per run; the current family is what every
// other test speaks).
test('live polling of many events stays within the provider budget of one credential (Luma, older routes)', async (t) => {
  const h = await startHarness(t, { sim: lumaOn('legacy'), core: { sync: { pollIntervalMs: 5_000 } } });
  const { integration, token } = await connect(h, 'luma');
  const eventIds: number[] = [];
  for (let i = 0; i < 5; i++)
    eventIds.push((await importSeeded(h, 'luma', 1_000, token, integration.id)).eventId);
  const stamps: number[] = [];
  h.sim.luma.on('request', () => stamps.push(h.clock.now()));
  const end = h.clock.now() + 10 * 60_000;
  while (h.clock.now() < end) {
    await h.core.engine.runLivePass();
    h.clock.advance(5_000);
  }
  assert.ok(stamps.length >= 200, `it did poll (${stamps.length} requests)`);
  // Luma's published budget: 200 requests a minute per key, in any 60-second window.
  for (let i = 0; i < stamps.length; i++) {
    const inWindow = stamps.filter((s) => s >= stamps[i]! && s < stamps[i]! + 60_000).length;
    assert.ok(inWindow <= 200, `${inWindow} requests within a minute`);
  }
  for (const id of eventIds) assert.equal(h.core.getEvent(id).status, 'ACTIVE');
});

test('a FAILED event that needs a person (no access) is left to Retry; a network failure is retried by itself', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 10, token, integration.id);
  h.sim.eventbrite.failNext(1, 403, { pathIncludes: providerEventId });
  h.clock.advance(60_000);
  await h.core.engine.runLivePass();
  assert.equal(h.core.getEvent(eventId).statusReason, 'no access to this event');
  const before = h.sim.eventbrite.requestCount;
  h.clock.advance(60 * 60_000);
  await h.core.engine.runLivePass();
  assert.equal(h.sim.eventbrite.requestCount, before, 'no automatic retry');
  assert.equal(h.core.getEvent(eventId).status, 'FAILED');
  h.core.retry(admin, eventId);
  await h.core.engine.waitForJob(eventId);
  assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
});

for (const family of LUMA_ROUTE_FAMILIES) {
  test(`Luma (${family} routes): import and live sync apply every attendee rule`, async (t) => {
    const h = await startHarness(t, { sim: { lumaPageSize: 3, ...lumaOn(family) } });
    const { integration, token } = await connect(h, 'luma');
    const providerEventId = h.sim.luma.addEvent(token, {
      name: 'Rules',
      ticketTypes: ['General Admission', 'VIP', 'Workshop', 'Dinner'],
    });
    const luma = h.sim.luma;
    const ids = {
      approved: luma.addGuest(providerEventId, {
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Analytical Engines',
        jobTitle: 'Programmer',
      }),
      session: luma.addGuest(providerEventId, { approvalStatus: 'session', company: null, jobTitle: null }),
      pending: luma.addGuest(providerEventId, { approvalStatus: 'pending_approval' }),
      invited: luma.addGuest(providerEventId, { approvalStatus: 'invited' }),
      waitlist: luma.addGuest(providerEventId, { approvalStatus: 'waitlist' }),
      declined: luma.addGuest(providerEventId, { approvalStatus: 'declined' }),
      several: luma.addGuest(providerEventId, {
        ticketName: 'VIP',
        extraTicketNames: ['Workshop', 'Dinner'],
      }),
    };
    h.clock.advance(30 * 60_000);
    const imported = await h.core.importEvent(admin, integration.id, providerEventId);
    await h.core.engine.waitForJob(imported.id);
    const eventId = imported.id;
    const row = (id: string) => h.core.store.findAttendeeByProviderId(eventId, id)!;

    assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
    assert.deepEqual(h.core.getEvent(eventId).counts, {
      attending: 3,
      notAttending: 1,
      notYetAttending: 3,
      total: 7,
      checkedIn: 0,
    });
    assert.deepEqual(
      Object.entries(ids).map(([name, id]) => [name, row(id).status]),
      [
        ['approved', 'ATTENDING'],
        ['session', 'ATTENDING'],
        ['pending', 'NOT_YET_ATTENDING'],
        ['invited', 'NOT_YET_ATTENDING'],
        ['waitlist', 'NOT_YET_ATTENDING'],
        ['declined', 'NOT_ATTENDING'],
        ['several', 'ATTENDING'],
      ],
    );
    const ada = row(ids.approved);
    assert.deepEqual(
      [ada.fullName, ada.email !== null, ada.company, ada.jobTitle],
      ['Ada Lovelace', true, 'Analytical Engines', 'Programmer'],
      'company and job title from registration answers',
    );
    assert.deepEqual([row(ids.session).company, row(ids.session).jobTitle], [null, null]);
    assert.match(ada.barcode ?? '', new RegExp(`pk=${ids.approved}$`));
    // The older routes report one ticket per guest (the first); the current ones every ticket.
    const otherTickets = family === 'current' ? ['Workshop', 'Dinner'] : [];
    assert.deepEqual([row(ids.several).ticketName, row(ids.several).otherTicketNames], ['VIP', otherTickets]);
    assert.deepEqual([ada.ticketName, ada.otherTicketNames], ['General Admission', []]);

    h.clock.advance(60_000);
    const added = luma.addGuest(providerEventId, {
      firstName: 'Zoë',
      lastName: 'Ångström',
      ticketName: 'Workshop',
      company: 'Nordlicht GmbH',
    });
    luma.editAttendee(providerEventId, ids.approved, { company: 'Difference Engines', jobTitle: 'Countess' });
    luma.setGuestStatus(providerEventId, ids.pending, 'approved');
    luma.cancelAttendee(providerEventId, ids.session);
    luma.editAttendee(providerEventId, ids.several, { ticketName: 'Dinner', extraTicketNames: ['VIP'] });
    const before = luma.requests.length;
    await h.core.engine.liveTick(eventId);
    const livePaths = luma.requests.slice(before).map((r) => r.path);
    assert.ok(
      livePaths.length > 0 && livePaths.every((path) => lumaRouteOf(path)?.family === family),
      `live sync spoke only the ${family} routes: ${livePaths.join(' ')}`,
    );

    assert.deepEqual(
      [row(added).fullName, row(added).ticketName, row(added).company, row(added).status],
      ['Zoë Ångström', 'Workshop', 'Nordlicht GmbH', 'ATTENDING'],
    );
    assert.deepEqual(
      [row(ids.approved).company, row(ids.approved).jobTitle],
      ['Difference Engines', 'Countess'],
    );
    assert.equal(row(ids.pending).status, 'ATTENDING');
    assert.equal(row(ids.session).status, 'NOT_ATTENDING');
    assert.deepEqual(
      [row(ids.several).ticketName, row(ids.several).otherTicketNames],
      ['Dinner', family === 'current' ? ['VIP'] : []],
    );
    assert.deepEqual(h.core.getEvent(eventId).counts, {
      attending: 4,
      notAttending: 2,
      notYetAttending: 2,
      total: 8,
      checkedIn: 0,
    });
  });
}

test('Luma: an account without the current routes is served by the older ones, probed once per client', async (t) => {
  const h = await startHarness(t, { sim: { lumaPageSize: 5 } });
  const current = await connect(h, 'luma', 'new@venue.org');
  const older = await connect(h, 'luma', 'old@venue.org');
  h.sim.luma.setCurrentRoutes(false, older.token);
  const currentImport = await importSeeded(h, 'luma', 12, current.token, current.integration.id);
  const olderImport = await importSeeded(h, 'luma', 12, older.token, older.integration.id);
  assert.equal(h.core.getEvent(olderImport.eventId).counts.total, 12);
  assert.deepEqual(
    h.core.store.providerAttendeeIds(olderImport.eventId),
    [...h.sim.luma.attendeeIds(olderImport.providerEventId)].sort(),
  );

  const missing = () => h.sim.luma.requests.filter((r) => r.status === 404).map((r) => r.path);
  assert.deepEqual(
    missing(),
    ['/v1/events/get', '/v1/users/get-self'],
    'one 404 and one probe for the older account, none for the current one',
  );
  h.clock.advance(60_000);
  const before = h.sim.luma.requests.length;
  await h.core.engine.liveTick(currentImport.eventId);
  await h.core.engine.liveTick(olderImport.eventId);
  await h.core.engine.liveTick(olderImport.eventId);
  const paths = h.sim.luma.requests.slice(before).map((r) => `${r.status} ${r.path}`);
  assert.deepEqual(
    new Set(paths),
    new Set(['200 /v1/events/guests/list', '200 /v1/event/get-guests']),
    'the choice is remembered: no 404 after it',
  );
});
