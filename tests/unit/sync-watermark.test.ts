// At unit level: the incremental watermark comes from the provider's
// clock, whatever this station's says, and a manual Sync is a hard pull. The provider here is
// an in-memory Eventbrite with its own clock; tests/integration/sync-clock.test.ts does the same
// against the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockedProvider, engineRig } from '../helpers/engine-stub.ts';
import { DAY_MS, HOUR_MS, PROVIDER_CLOCK_OFFSETS } from '../helpers/clock-offsets.ts';

async function importedAt(t: { after(fn: () => unknown): void }, offsetMs: number, options = {}) {
  const rig = engineRig(t, options);
  const provider = new ClockedProvider(rig.clock, offsetMs);
  provider.seed(5);
  rig.clock.advance(30 * 60_000);
  const integrationId = rig.addIntegration(provider);
  const eventId = await rig.importEvent(integrationId);
  assert.equal(rig.status.current(eventId), 'ACTIVE');
  return { rig, provider, eventId };
}

/** A registration, an edit and a cancellation, made on the provider after the import. */
function changeAfterImport(provider: ClockedProvider) {
  provider.put('new-1', { fullName: 'Zoë Late' });
  provider.put('s1', { fullName: 'Renamed Person' });
  provider.put('s2', { status: 'NOT_ATTENDING', providerStatus: 'Not Attending' });
}

function assertChangesArrived(rig: ReturnType<typeof engineRig>, eventId: number, label: string) {
  assert.equal(
    rig.store.findAttendeeByProviderId(eventId, 'new-1')?.fullName,
    'Zoë Late',
    `${label}: the registration arrived`,
  );
  assert.equal(
    rig.store.findAttendeeByProviderId(eventId, 's1')?.fullName,
    'Renamed Person',
    `${label}: the edit arrived`,
  );
  assert.equal(
    rig.store.findAttendeeByProviderId(eventId, 's2')?.status,
    'NOT_ATTENDING',
    `${label}: the cancellation arrived`,
  );
}

for (const [label, offsetMs] of PROVIDER_CLOCK_OFFSETS) {
  test(`provider clock ${label} from the station's: changes after the import reach the mirror by live sync`, async (t) => {
    const { rig, provider, eventId } = await importedAt(t, offsetMs);
    rig.clock.advance(60_000);
    changeAfterImport(provider);
    rig.clock.advance(60_000);
    await rig.engine.liveTick(eventId);
    assertChangesArrived(rig, eventId, label);
    // The watermark is the provider's time, not ours.
    const watermark = Date.parse(rig.store.eventSyncState(eventId)!.syncWatermark!);
    assert.ok(
      Math.abs(watermark - (provider.providerNow() - 5 * 60_000)) < 5 * 60_000,
      `${label}: watermark on the provider's clock`,
    );
    // Once the margin has passed, a quiet pass is one request: it does not list the same rows again.
    rig.clock.advance(6 * 60_000);
    await rig.engine.liveTick(eventId);
    const before = provider.requests;
    rig.clock.advance(60_000);
    await rig.engine.liveTick(eventId);
    assert.equal(provider.requests - before, 1, `${label}: a quiet pass is one request`);
  });

  test(`provider clock ${label} from the station's: changes after the import reach the mirror by a manual Sync`, async (t) => {
    const { rig, provider, eventId } = await importedAt(t, offsetMs);
    rig.clock.advance(60_000);
    changeAfterImport(provider);
    rig.engine.startJob(eventId, 'resync');
    await rig.engine.waitForJob(eventId);
    assertChangesArrived(rig, eventId, label);
  });
}

test('a manual Sync after the provider dropped rows from a changed_since answer repairs the mirror, and records it', async (t) => {
  const { rig, provider, eventId } = await importedAt(t, -11 * DAY_MS);
  rig.clock.advance(60_000);
  provider.dropFromChangedSince(3);
  changeAfterImport(provider);
  rig.clock.advance(60_000);
  await rig.engine.liveTick(eventId);
  assert.equal(
    rig.store.findAttendeeByProviderId(eventId, 'new-1'),
    undefined,
    'live sync missed them (the provider hid them)',
  );
  assert.deepEqual(rig.store.syncRepairs(eventId), []);

  rig.engine.startJob(eventId, 'resync');
  await rig.engine.waitForJob(eventId);
  assertChangesArrived(rig, eventId, 'after Sync');
  const [repair, ...more] = rig.store.syncRepairs(eventId);
  assert.deepEqual(more, []);
  assert.equal(repair?.trigger, 'manual_sync');
  assert.equal(repair?.changed, 3, 'the three rows live sync had missed');
});

test('a big event: Sync checks the counts first and lists in full only when they disagree', async (t) => {
  const { rig, provider, eventId } = await importedAt(t, 2 * HOUR_MS, { fullListingMaxRows: 3 });
  rig.clock.advance(60_000);
  // Counts agree: the hard pull is the incremental pass and two counts.
  let before = provider.requests;
  rig.engine.startJob(eventId, 'resync');
  await rig.engine.waitForJob(eventId);
  assert.equal(provider.requests - before, 3, 'one incremental page and two counts');
  assert.deepEqual(rig.store.syncRepairs(eventId), []);

  provider.dropFromChangedSince(2);
  provider.put('new-1', { fullName: 'Zoë Late' });
  provider.put('s2', { status: 'NOT_ATTENDING', providerStatus: 'Not Attending' });
  rig.clock.advance(60_000);
  before = provider.requests;
  rig.engine.startJob(eventId, 'resync');
  await rig.engine.waitForJob(eventId);
  assert.ok(provider.requests - before > 3, 'the counts disagreed: a full listing followed');
  assert.equal(rig.store.findAttendeeByProviderId(eventId, 'new-1')?.fullName, 'Zoë Late');
  assert.equal(rig.store.findAttendeeByProviderId(eventId, 's2')?.status, 'NOT_ATTENDING');
  const [repair] = rig.store.syncRepairs(eventId);
  assert.deepEqual(repair?.providerCounts, { attending: 5, notAttending: 1 });
  assert.deepEqual(repair?.mirrorCounts, { attending: 5, notAttending: 0 });
});

test('live passes check the counts now and then, and repair a disagreement within the pass', async (t) => {
  const { rig, provider, eventId } = await importedAt(t, -2 * HOUR_MS, { countCheckIntervalMs: 10 * 60_000 });
  provider.dropFromChangedSince(1);
  provider.put('new-1', { fullName: 'Zoë Late' });
  rig.clock.advance(60_000);
  await rig.engine.liveTick(eventId);
  assert.equal(
    rig.store.findAttendeeByProviderId(eventId, 'new-1'),
    undefined,
    'not yet: the check is not due',
  );
  rig.clock.advance(10 * 60_000);
  await rig.engine.liveTick(eventId);
  assert.equal(
    rig.store.findAttendeeByProviderId(eventId, 'new-1')?.fullName,
    'Zoë Late',
    'the count check found it',
  );
  const [repair] = rig.store.syncRepairs(eventId);
  assert.equal(repair?.trigger, 'live_check');
  assert.deepEqual(repair?.providerCounts, { attending: 6, notAttending: 0 });
});
