// The provider's clock and the provider's faults end to end: the real core and clients against the simulator, whose provider
// clock is set apart from the station's, which loses rows from changed_since answers, repeats
// a page cursor, or blocks the token with a long Retry-After.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, connect, importSeeded, admin, operator, type Harness } from '../helpers/harness.ts';
import { clockSkewWarning } from '../../shared/station-clock.ts';
import { DAY_MS, HOUR_MS, PROVIDER_CLOCK_OFFSETS } from '../helpers/clock-offsets.ts';

/** A registration, an edit and a cancellation on the provider; returns what to look for. */
function changeOnProvider(h: Harness, providerEventId: string, tag: string) {
  const [editId, cancelId] = h.sim.eventbrite
    .attendeeIds(providerEventId)
    .filter(
      (id) => h.core.store.findAttendeeByProviderId(h.core.listEvents()[0]!.id, id)?.status === 'ATTENDING',
    )
    .slice(0, 2);
  const addedId = h.sim.eventbrite.addAttendee(providerEventId, {
    firstName: 'Zoë',
    lastName: `Late ${tag}`,
  });
  h.sim.eventbrite.editAttendee(providerEventId, editId!, { firstName: 'Renamed', lastName: tag });
  h.sim.eventbrite.cancelAttendee(providerEventId, cancelId!);
  return { addedId, editId: editId!, cancelId: cancelId! };
}

function assertInMirror(
  h: Harness,
  eventId: number,
  c: ReturnType<typeof changeOnProvider>,
  tag: string,
  how: string,
) {
  assert.equal(
    h.core.store.findAttendeeByProviderId(eventId, c.addedId)?.fullName,
    `Zoë Late ${tag}`,
    `${how}: the registration`,
  );
  assert.equal(
    h.core.store.findAttendeeByProviderId(eventId, c.editId)?.fullName,
    `Renamed ${tag}`,
    `${how}: the edit`,
  );
  assert.equal(
    h.core.store.findAttendeeByProviderId(eventId, c.cancelId)?.status,
    'NOT_ATTENDING',
    `${how}: the cancellation`,
  );
}

for (const [label, offsetMs] of PROVIDER_CLOCK_OFFSETS) {
  test(`provider clock ${label}: changes after the import arrive by live sync and again by a manual Sync; the clock warning says so`, async (t) => {
    const h = await startHarness(t, { sim: { clockOffsetMs: offsetMs } });
    const { integration, token } = await connect(h, 'eventbrite');
    const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 60, token, integration.id);

    h.clock.advance(60_000);
    const live = changeOnProvider(h, providerEventId, 'live');
    h.clock.advance(60_000);
    await h.core.engine.liveTick(eventId);
    assertInMirror(h, eventId, live, 'live', `${label}, live sync`);

    h.clock.advance(60_000);
    const manual = changeOnProvider(h, providerEventId, 'sync');
    h.core.syncNow(operator, eventId);
    await h.core.engine.waitForJob(eventId);
    assertInMirror(h, eventId, manual, 'sync', `${label}, manual Sync`);
    assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');

    const [check] = h.core.clockChecks();
    assert.equal(check?.provider, 'eventbrite');
    assert.ok(Math.abs(check!.offsetMs - offsetMs) < 2_000, `measured ${check!.offsetMs} ms`);
    const expected = offsetMs < 0 ? /ahead of Eventbrite's/ : /behind Eventbrite's/;
    assert.match(clockSkewWarning(check!) ?? '', expected);
  });
}

test('the clock warning goes once the clocks agree again', async (t) => {
  const h = await startHarness(t, { sim: { clockOffsetMs: -11 * DAY_MS } });
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId } = await importSeeded(h, 'eventbrite', 5, token, integration.id);
  assert.equal(
    clockSkewWarning(h.core.clockChecks()[0]!),
    "This station's clock is 11 days ahead of Eventbrite's; check-in times are recorded with this clock",
  );
  // The export says which clock its times come from.
  const attendee = h.core.listAttendees(eventId, { offset: 0, limit: 1 })[0]!;
  h.core.desk.checkIn(operator, { eventId, actionId: 'act-clock-0001', attendeeId: attendee.id });
  const csvLine = h.core.desk.exportCsv(eventId).csv.split('\r\n')[1]!;
  assert.match(csvLine, /,this station's clock \(11 days ahead of Eventbrite's\)$/);
  const checked: string[] = [];
  h.core.events.on('clockChecked', (p) => checked.push(p.provider));
  h.sim.eventbrite.setClockOffset(0);
  h.clock.advance(60_000);
  await h.core.engine.liveTick(eventId);
  assert.equal(clockSkewWarning(h.core.clockChecks()[0]!), null);
  assert.deepEqual(checked, ['eventbrite'], 'announced once');
  assert.match(h.core.desk.exportCsv(eventId).csv.split('\r\n')[1]!, /,this station's clock$/);
});

test('a manual Sync after the provider dropped rows from a changed_since answer repairs the mirror and records the repair', async (t) => {
  const h = await startHarness(t, { sim: { clockOffsetMs: -2 * HOUR_MS } });
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 40, token, integration.id);
  h.sim.eventbrite.dropFromChangedSince(2);
  h.clock.advance(60_000);
  const lost = h.sim.eventbrite.addAttendee(providerEventId, { firstName: 'Lost', lastName: 'Registration' });
  const [, cancelled] = h.sim.eventbrite.attendeeIds(providerEventId);
  h.sim.eventbrite.cancelAttendee(providerEventId, cancelled!);
  h.clock.advance(60_000);
  await h.core.engine.liveTick(eventId);
  assert.equal(h.core.store.findAttendeeByProviderId(eventId, lost), undefined, 'live sync did not see them');
  assert.deepEqual(h.core.syncRepairs(eventId), []);

  h.core.syncNow(operator, eventId);
  await h.core.engine.waitForJob(eventId);
  assert.equal(h.core.store.findAttendeeByProviderId(eventId, lost)?.fullName, 'Lost Registration');
  assert.equal(h.core.store.findAttendeeByProviderId(eventId, cancelled!)?.status, 'NOT_ATTENDING');
  assert.deepEqual(
    h.core.store.providerAttendeeIds(eventId),
    [...h.sim.eventbrite.attendeeIds(providerEventId)].sort(),
  );
  const repairs = h.core.syncRepairs(eventId);
  assert.equal(repairs.length, 1);
  assert.equal(repairs[0]!.trigger, 'manual_sync');
  assert.equal(repairs[0]!.changed, 2);
});

test("a big event: Sync compares the provider's counts, lists in full on disagreement, and records both counts", async (t) => {
  const h = await startHarness(t, { core: { sync: { fullListingMaxRows: 50 } } });
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', 120, token, integration.id);
  h.sim.eventbrite.dropFromChangedSince(1);
  h.clock.advance(60_000);
  const lost = h.sim.eventbrite.addAttendee(providerEventId);
  h.core.syncNow(operator, eventId);
  await h.core.engine.waitForJob(eventId);
  assert.ok(h.core.store.findAttendeeByProviderId(eventId, lost), 'the full listing brought it');
  const [repair] = h.core.syncRepairs(eventId);
  assert.deepEqual(repair?.providerCounts, { attending: 121, notAttending: 0 });
  assert.deepEqual(repair?.mirrorCounts, { attending: 120, notAttending: 0 });

  // The counts agree now: the next Sync is three requests (one incremental page, two counts).
  h.clock.advance(10 * 60_000);
  const before = h.sim.eventbrite.requestCount;
  h.core.syncNow(operator, eventId);
  await h.core.engine.waitForJob(eventId);
  assert.equal(h.sim.eventbrite.requestCount - before, 3);
  assert.equal(h.core.syncRepairs(eventId).length, 1);
});

test('a repeating cursor: the import fails as a bad response, live sync fails the event and goes on with the next one', async (t) => {
  for (const provider of ['eventbrite', 'luma'] as const) {
    const h = await startHarness(t);
    const { integration, token } = await connect(h, provider);
    const healthy = await importSeeded(h, provider, 3, token, integration.id);
    const looping = await importSeeded(h, provider, 3, token, integration.id);
    h.sim[provider].setPageSize(1);
    h.sim[provider].repeatCursor(true);
    const before = h.sim[provider].requestCount;
    h.clock.advance(10 * 60_000);
    await h.core.engine.liveTick(looping.eventId);
    assert.ok(
      h.sim[provider].requestCount - before <= 4,
      `${provider}: stopped (${h.sim[provider].requestCount - before} requests)`,
    );
    const failed = h.core.getEvent(looping.eventId);
    assert.equal(failed.status, 'FAILED', provider);
    assert.match(failed.lastError ?? '', /bad response.*repeats the page cursor/, provider);
    assert.equal(failed.statusReason, 'bad response from the provider');

    // A fresh import against the looping provider ends "Import failed", not "running" forever.
    const providerEventId = h.sim[provider].addEvent(token, { name: 'Loop' });
    h.sim[provider].seedAttendees(providerEventId, 4);
    const event = await h.core.importEvent(admin, integration.id, providerEventId);
    await h.core.engine.waitForJob(event.id);
    const broken = h.core.getEvent(event.id);
    assert.deepEqual([broken.status, broken.activeJob], ['PENDING', null], provider);
    assert.ok(broken.counts.total <= 4, `${provider}: ${broken.counts.total} rows for 4 guests`);

    h.sim[provider].clearFaults();
    h.sim[provider].setPageSize(50);
    h.clock.advance(10 * 60_000);
    await h.core.engine.runLivePass();
    assert.equal(h.core.getEvent(healthy.eventId).status, 'ACTIVE', provider);
    assert.equal(h.core.getEvent(looping.eventId).status, 'ACTIVE', `${provider}: recovered by itself`);
  }
});

test("a long 429: the token pauses until the provider's time, the event shows it, Retry waits for it", async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const first = await importSeeded(h, 'eventbrite', 10, token, integration.id);
  const second = await importSeeded(h, 'eventbrite', 10, token, integration.id);
  h.clock.advance(60_000);
  h.sim.eventbrite.throttleFor(3600);
  const blockEnds = h.clock.now() + 3600 * 1000;
  await h.core.engine.runLivePass();
  const failed = h.core.getEvent(first.eventId);
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.statusReason, 'rate limited for longer than the job may wait');
  assert.equal(
    failed.nextAttemptAt,
    new Date(blockEnds).toISOString(),
    'will try again when the provider said',
  );
  assert.equal(
    h.core.getEvent(second.eventId).nextAttemptAt,
    new Date(blockEnds).toISOString(),
    'the other event of the token waits too',
  );
  assert.equal(h.core.getEvent(second.eventId).status, 'ACTIVE', 'and was not sent into the block');

  const during = h.sim.eventbrite.requestCount;
  for (let i = 0; i < 5; i++) {
    h.clock.advance(5 * 60_000);
    await h.core.engine.runLivePass();
  }
  assert.equal(h.sim.eventbrite.requestCount, during, 'no request while the block lasts');

  // Retry during the block: the reimport waits for the block to end, then completes.
  const stamps: number[] = [];
  h.sim.eventbrite.on('request', () => stamps.push(h.clock.now()));
  h.core.retry(admin, first.eventId);
  await h.core.engine.waitForJob(first.eventId);
  assert.equal(h.core.getEvent(first.eventId).status, 'ACTIVE');
  assert.ok(stamps.length > 0 && stamps[0]! >= blockEnds, 'the first request went after the block');
  assert.equal(h.core.getEvent(first.eventId).nextAttemptAt, null);
});
