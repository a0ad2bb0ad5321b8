// The sync engine against scripted provider clients: the races between repairs and
// passes, and the provider's faults, each kept as the reproduction that failed before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ScriptedClient,
  credentialRejected,
  deferred,
  engineRig,
  guest,
  lastPage,
  watchUnhandledRejections,
} from '../helpers/engine-stub.ts';
import { ProviderError, type AttendeePage } from '../../main/providers/types.ts';

test('attendee paging refuses a repeating cursor: the import fails as a bad response naming the provider, never loops', async (t) => {
  const rig = engineRig(t);
  // The provider answers cursor A -> A forever (the fault reproduced: 52,438 calls in 1.5 s).
  const client = new ScriptedClient('eventbrite', true, () => {
    // A bound for the reproduction itself: without the fix this test fails instead of hanging.
    if (client.calls.length > 1_000) throw new Error('the engine kept following the repeating cursor');
    return { attendees: [guest('g1'), guest('g2')], nextCursor: 'A', totalCount: 2 };
  });
  const integrationId = rig.addIntegration(client);
  const integration = rig.store.getIntegration(integrationId)!;
  const eventId = rig.store.insertEvent(
    integration,
    { providerEventId: 'e1', name: 'Loop', startsAt: null, endsAt: null, timezone: null, url: null },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  rig.engine.startJob(eventId, 'import');
  await rig.engine.waitForJob(eventId);
  assert.ok(client.calls.length <= 3, `stopped at once (${client.calls.length} calls)`);
  const event = rig.store.getEvent(eventId)!;
  assert.equal(event.activeJob, null, 'the job is not left running');
  assert.equal(event.status, 'PENDING', 'a first import that fails shows "Import failed"');
  assert.match(event.lastError ?? '', /Eventbrite: bad response.*repeat/i);
  assert.equal(event.counts.total, 2, 'the two guests are two rows, not 104,872');
});

test('live paging refuses a repeating cursor too, and the next event of the token is still polled', async (t) => {
  const rig = engineRig(t);
  const looping = new ScriptedClient('luma', false, () => lastPage([guest('a1')]));
  const integrationId = rig.addIntegration(looping);
  const loopEvent = await rig.addActiveEvent(integrationId, [guest('a1')]);
  const otherEvent = await rig.addActiveEvent(integrationId, [guest('b1')]);
  const loopProviderId = rig.store.eventSyncState(loopEvent)!.providerEventId;
  const polled: string[] = [];
  // Only the first event's listing repeats its cursor (B -> B); the other's is normal.
  looping.script = (call) => {
    if (call.providerEventId !== loopProviderId) return lastPage([guest('b1')]);
    polled.push(call.cursor ?? 'first');
    if (polled.length > 1_000) throw new Error('the engine kept following the repeating cursor');
    return { attendees: [guest('a1')], nextCursor: 'B', totalCount: null };
  };
  rig.clock.advance(60_000);
  await rig.engine.runLivePass();
  assert.ok(polled.length <= 3, `the looping listing stopped (${polled.length} pages)`);
  assert.equal(rig.status.current(loopEvent), 'FAILED');
  assert.match(rig.store.getEvent(loopEvent)!.lastError ?? '', /bad response.*repeat/i);
  assert.equal(rig.status.current(otherEvent), 'ACTIVE');
  assert.ok(rig.store.getEvent(otherEvent)!.lastSyncedAt, 'the other event was polled');
});

test('Reconnect while an old live pass waits: its late 401 is dropped, the reimport ends ACTIVE, nothing escapes', async (t) => {
  const unhandled = watchUnhandledRejections(t);
  const rig = engineRig(t);
  const oldClient = new ScriptedClient('eventbrite', true, () => lastPage([]));
  const oldIntegration = rig.addIntegration(oldClient, 'old');
  const waiting = await rig.addActiveEvent(oldIntegration, [guest('w1')]);
  const sibling = await rig.addActiveEvent(oldIntegration, [guest('s1')]);
  const siblingProviderId = rig.store.eventSyncState(sibling)!.providerEventId;

  // The pass over `waiting` is held (a 429 wait); the sibling's pass meets the revoked token.
  const held = deferred<AttendeePage>();
  oldClient.script = (call) =>
    call.providerEventId === siblingProviderId ? Promise.reject(credentialRejected()) : held.promise;
  rig.clock.advance(60_000);
  const pass = rig.engine.runLivePass();
  await new Promise((resolve) => setImmediate(resolve));
  await rig.engine.liveTick(sibling);
  assert.equal(
    rig.status.current(waiting),
    'DISCONNECTED',
    'the revoked token disconnects every event of it',
  );

  // The admin reconnects with a new account; the reimport starts.
  const newClient = new ScriptedClient('eventbrite', true, () => lastPage([guest('w1'), guest('w2')]));
  const newIntegration = rig.addIntegration(newClient, 'new');
  rig.store.setEventIntegration(waiting, newIntegration);
  rig.status.transition(waiting, 'PENDING', 'reconnected');
  rig.engine.startJob(waiting, 'reimport');
  // Only now does the old pass get its 401.
  held.reject(credentialRejected());
  await rig.engine.waitForJob(waiting);
  await pass;
  await new Promise((resolve) => setImmediate(resolve));

  assert.equal(rig.status.current(waiting), 'ACTIVE', 'the new credential works: the event syncs');
  assert.deepEqual(
    rig.store
      .statusHistory(waiting)
      .map((s) => s.to)
      .slice(-3),
    ['DISCONNECTED', 'PENDING', 'ACTIVE'],
    'the stale pass wrote nothing after the repair',
  );
  assert.equal(rig.store.getEvent(waiting)!.counts.total, 2);
  assert.deepEqual(unhandled, []);
});

test('Retry while a live pass waits out a 429: the UI never says "Sync failed" during the reimport; a second Retry is refused', async (t) => {
  const unhandled = watchUnhandledRejections(t);
  const rig = engineRig(t);
  const client = new ScriptedClient('eventbrite', true, () => lastPage([]));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, [guest('r1')]);
  // A failed pass: FAILED, retried by live sync later.
  client.script = () =>
    Promise.reject(
      new ProviderError('eventbrite', 'transient', 'Eventbrite: server error (503)', { httpStatus: 503 }),
    );
  rig.clock.advance(60_000);
  await rig.engine.liveTick(eventId);
  assert.equal(rig.status.current(eventId), 'FAILED');

  // The next automatic pass is held (waiting out a 429)...
  const held = deferred<AttendeePage>();
  client.script = () => held.promise;
  rig.clock.advance(10 * 60_000);
  const pass = rig.engine.runLivePass();
  await new Promise((resolve) => setImmediate(resolve));
  // ...when the admin presses Retry.
  const reimport = deferred<AttendeePage>();
  client.script = () => reimport.promise;
  rig.status.transition(eventId, 'PENDING', 'retry requested');
  rig.engine.startJob(eventId, 'reimport');
  held.reject(
    new ProviderError('eventbrite', 'rate_limited', 'Eventbrite: rate limited (429)', {
      httpStatus: 429,
      retryAfterMs: 900_000,
    }),
  );
  await pass;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(
    rig.status.current(eventId),
    'PENDING',
    'the reimport runs; the stale pass did not write FAILED',
  );
  assert.throws(() => rig.engine.startJob(eventId, 'reimport'), /already running/);

  reimport.resolve(lastPage([guest('r1'), guest('r2')]));
  await rig.engine.waitForJob(eventId);
  assert.equal(rig.status.current(eventId), 'ACTIVE');
  const afterRetry = rig.store.statusHistory(eventId).map((s) => s.to);
  assert.deepEqual(afterRetry.slice(afterRetry.lastIndexOf('PENDING')), ['PENDING', 'ACTIVE']);
  assert.deepEqual(unhandled, []);
});

test('a live pass that completes after a repair began is dropped: it neither writes rows nor moves the status', async (t) => {
  const rig = engineRig(t);
  const client = new ScriptedClient('luma', false, () => lastPage([]));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, [guest('x1')]);
  const held = deferred<AttendeePage>();
  client.script = () => held.promise;
  rig.clock.advance(60_000);
  const pass = rig.engine.liveTick(eventId);
  await new Promise((resolve) => setImmediate(resolve));
  // Sync (the admin's hard pull) takes the event over.
  const fresh = deferred<AttendeePage>();
  client.script = () => fresh.promise;
  rig.engine.startJob(eventId, 'resync');
  // The stale pass's answer arrives first: an old name for x1.
  held.resolve(lastPage([guest('x1', { fullName: 'Stale Name' })]));
  await pass;
  assert.notEqual(
    rig.store.findAttendeeByProviderId(eventId, 'x1')!.fullName,
    'Stale Name',
    'the stale page was not written',
  );
  fresh.resolve(lastPage([guest('x1', { fullName: 'Fresh Name' })]));
  await rig.engine.waitForJob(eventId);
  assert.equal(rig.store.findAttendeeByProviderId(eventId, 'x1')!.fullName, 'Fresh Name');
  assert.equal(rig.status.current(eventId), 'ACTIVE');
});

test('an unexpected error inside the engine is caught, recorded on the event and announced, never thrown out', async (t) => {
  const unhandled = watchUnhandledRejections(t);
  const rig = engineRig(t);
  const client = new ScriptedClient('eventbrite', true, () => lastPage([]));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, [guest('u1')]);
  // An engine bug, simulated: the status machine refuses the move the engine wants.
  const realTransition = rig.status.transition.bind(rig.status);
  rig.status.transition = (id, to, reason, error) => {
    if (to === 'FAILED') throw new Error(`event ${id}: ACTIVE -> ${to} refused by a broken machine`);
    realTransition(id, to, reason, error);
  };
  client.script = () =>
    Promise.reject(
      new ProviderError('eventbrite', 'transient', 'Eventbrite: server error (500)', { httpStatus: 500 }),
    );
  const announced: number[] = [];
  rig.events.on('syncChanged', (p) => announced.push(p.eventId));
  rig.clock.advance(60_000);
  await rig.engine.runLivePass();
  await new Promise((resolve) => setImmediate(resolve));
  const event = rig.store.getEvent(eventId)!;
  assert.match(event.lastError ?? '', /internal error.*broken machine/);
  assert.ok(announced.includes(eventId), 'the renderer is told to show it');
  assert.deepEqual(unhandled, []);
});

test('a Luma live pass applies removals: a guest the provider no longer lists is NOT_ATTENDING "Removed on provider"', async (t) => {
  const rig = engineRig(t);
  const client = new ScriptedClient('luma', false, () => lastPage([]));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, [guest('keep'), guest('gone')]);
  client.script = () => lastPage([guest('keep')]);
  const changed: number[] = [];
  rig.events.on('attendeesChanged', (p) => changed.push(...p.attendeeIds));
  rig.clock.advance(60_000);
  await rig.engine.liveTick(eventId);
  const gone = rig.store.findAttendeeByProviderId(eventId, 'gone')!;
  assert.equal(gone.status, 'NOT_ATTENDING');
  assert.equal(gone.providerStatus, 'Removed on provider');
  assert.equal(rig.store.findAttendeeByProviderId(eventId, 'keep')!.status, 'ATTENDING');
  assert.deepEqual(changed, [gone.id], 'the desk is told');
  // Listed again later: back to attending.
  client.script = () => lastPage([guest('keep'), guest('gone')]);
  rig.clock.advance(60_000);
  await rig.engine.liveTick(eventId);
  assert.equal(rig.store.findAttendeeByProviderId(eventId, 'gone')!.status, 'ATTENDING');
});

test('a credential paused by the provider: live sync waits for the time named and the event shows it', async (t) => {
  const rig = engineRig(t);
  const client = new ScriptedClient('eventbrite', true, () => lastPage([]));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, [guest('p1')]);
  // Another event of the same token: the block is the token's, so it waits too.
  const sibling = await rig.addActiveEvent(integrationId, [guest('q1')]);
  assert.equal(rig.engine.nextAttemptAt(eventId), null, 'healthy polling shows nothing');
  // A long 429 (http.ts paused the token's limiter until then, and gave up).
  const resumeAt = rig.clock.now() + 2 * 3_600_000;
  client.script = () => {
    client.pausedUntil = resumeAt;
    return Promise.reject(
      new ProviderError('eventbrite', 'rate_limited', 'Eventbrite: rate limited (429)', {
        httpStatus: 429,
        retryAfterMs: 7_200_000,
      }),
    );
  };
  const announced: number[] = [];
  rig.events.on('syncChanged', (p) => announced.push(p.eventId));
  rig.clock.advance(60_000);
  await rig.engine.runLivePass();
  assert.equal(rig.status.current(eventId), 'FAILED');
  const siblingProviderId = rig.store.eventSyncState(sibling)!.providerEventId;
  assert.equal(
    client.calls.filter((c) => c.providerEventId === siblingProviderId && c.query.changedSince).length,
    0,
    'the sibling did not call into the block',
  );
  assert.equal(rig.status.current(sibling), 'ACTIVE');
  assert.equal(
    rig.engine.nextAttemptAt(eventId),
    new Date(resumeAt).toISOString(),
    "will try again at the provider's time",
  );
  assert.ok(announced.includes(eventId), 'the event page is told');
  const calls = client.calls.length;
  for (let i = 0; i < 10; i++) {
    rig.clock.advance(10 * 60_000);
    if (rig.clock.now() >= resumeAt) break;
    await rig.engine.runLivePass();
  }
  assert.equal(client.calls.length, calls, 'no request during the pause, for either event');
  assert.equal(
    rig.engine.nextAttemptAt(sibling),
    new Date(resumeAt).toISOString(),
    'the sibling shows the same time',
  );
  client.script = () => lastPage([guest('p1')]);
  rig.clock.advance(Math.max(0, resumeAt - rig.clock.now()));
  await rig.engine.runLivePass();
  assert.equal(rig.status.current(eventId), 'ACTIVE', 'polled again once the pause ended');
  assert.equal(rig.status.current(sibling), 'ACTIVE');
  assert.equal(rig.engine.nextAttemptAt(eventId), null);
});

test('a venue desk that may not poll an event makes no provider request, looks again every 5 s at most, and takes over from where the shared roster got to', async (t) => {
  let elected = false;
  const rig = engineRig(t, { pollIntervalMs: 30_000 }, { isElected: () => elected });
  const client = new ScriptedClient('eventbrite', true, () => lastPage([]));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, [guest('g1')]);
  const own = rig.store.eventSyncState(eventId)!.syncWatermark!;
  const importCalls = client.calls.length;
  for (let i = 0; i < 10; i++) {
    rig.clock.advance(5_000);
    assert.equal(await rig.engine.runLivePass(), 0);
  }
  assert.equal(client.calls.length, importCalls, 'no request while another desk polls');
  assert.equal(rig.status.current(eventId), 'ACTIVE');
  // The poller's roster brought a row the provider stamped a minute ago, long after this desk's own last pass.
  const stamp = new Date(rig.clock.now() - 60_000).toISOString().replace('.000', '');
  assert.ok(
    Date.parse(stamp) - 5 * 60_000 > Date.parse(own),
    "the roster is ahead of this desk's own watermark",
  );
  rig.store.upsertAttendees(
    eventId,
    [guest('g2', { providerUpdatedAt: stamp })],
    null,
    new Date(rig.clock.now()).toISOString(),
  );
  // The poller goes: the next look (5 s at most) is this desk's first pass.
  elected = true;
  rig.clock.advance(5_000);
  await rig.engine.runLivePass();
  assert.equal(client.calls.length, importCalls + 1, 'one pass, one request');
  const since = client.calls[importCalls]!.query.changedSince!;
  assert.equal(
    Date.parse(since),
    Date.parse(stamp) - 5 * 60_000,
    'from the newest stamp the mirror holds, less the margin; not from its own import',
  );
  // After that it polls as any desk alone: its own watermark from then on.
  rig.clock.advance(30_000);
  await rig.engine.runLivePass();
  assert.equal(client.calls.length, importCalls + 2);
});

/** An event of `n` Luma guests g0..g(n-1), every 10th already NOT_ATTENDING on the provider. */
async function bigLumaEvent(t: { after(fn: () => unknown): void }, n: number) {
  const rig = engineRig(t);
  const rows = Array.from({ length: n }, (_, i) =>
    guest(`g${i}`, i % 10 === 3 ? { status: 'NOT_ATTENDING' } : {}),
  );
  const client = new ScriptedClient('luma', false, () => lastPage(rows));
  const integrationId = rig.addIntegration(client);
  const eventId = await rig.addActiveEvent(integrationId, rows);
  return { rig, rows, client, eventId };
}

test('removals after a complete listing are found a slice at a time, exactly, with the event loop turning between slices', async (t) => {
  const { rig, rows, client, eventId } = await bigLumaEvent(t, 7_000);
  // Every 7th guest is no longer listed: those attending are marked; those already
  // NOT_ATTENDING are left as they are and not announced.
  client.script = () => lastPage(rows.filter((_, i) => i % 7 !== 0));
  const expected = rows
    .filter((r, i) => i % 7 === 0 && r.status !== 'NOT_ATTENDING')
    .map((r) => rig.store.findAttendeeByProviderId(eventId, r.providerAttendeeId)!.id)
    .sort((a, b) => a - b);
  let turns = 0;
  let spinning = true;
  const spin = () => {
    turns++;
    if (spinning) setImmediate(spin);
  };
  setImmediate(spin);
  const turnsAtSlice: number[] = [];
  const slice = rig.store.unlistedSlice.bind(rig.store);
  rig.store.unlistedSlice = (...args) => {
    turnsAtSlice.push(turns);
    return slice(...args);
  };
  const changed: number[] = [];
  rig.events.on('attendeesChanged', (p) => changed.push(...p.attendeeIds));
  rig.clock.advance(60_000);
  await rig.engine.liveTick(eventId);
  spinning = false;

  assert.ok(turnsAtSlice.length >= 3, `the event was read in slices (${turnsAtSlice.length})`);
  for (let i = 1; i < turnsAtSlice.length; i++)
    assert.ok(turnsAtSlice[i]! > turnsAtSlice[i - 1]!, `the event loop turned before slice ${i}`);
  assert.deepEqual(
    [...changed].sort((a, b) => a - b),
    expected,
    'the desk is told of exactly the rows removed',
  );
  for (const [i, r] of rows.entries()) {
    const row = rig.store.findAttendeeByProviderId(eventId, r.providerAttendeeId)!;
    if (i % 7 !== 0) assert.equal(row.status, r.status, `${r.providerAttendeeId} is listed: unchanged`);
    else if (r.status === 'NOT_ATTENDING')
      assert.notEqual(
        row.providerStatus,
        'Removed on provider',
        `${r.providerAttendeeId} was not attending already`,
      );
    else assert.equal(row.providerStatus, 'Removed on provider', `${r.providerAttendeeId} is removed`);
  }
});

test('a pass stopped while it reads the event for removals marks nothing', async (t) => {
  const { rig, rows, client, eventId } = await bigLumaEvent(t, 5_000);
  client.script = () => lastPage(rows.slice(1));
  const stop = new AbortController();
  const slice = rig.store.unlistedSlice.bind(rig.store);
  let slices = 0;
  rig.store.unlistedSlice = (...args) => {
    // Stopped (shut down) after the first slice, which holds g0, the one row to be marked.
    if (++slices === 2) stop.abort(new Error('shut down'));
    return slice(...args);
  };
  const changed: number[] = [];
  rig.events.on('attendeesChanged', (p) => changed.push(...p.attendeeIds));
  rig.clock.advance(60_000);
  await assert.rejects(rig.engine.liveTick(eventId, stop.signal), /shut down/, 'the stopped pass says so');
  assert.ok(slices >= 2, 'the pass was stopped while reading');
  assert.equal(rig.store.findAttendeeByProviderId(eventId, 'g0')!.status, 'ATTENDING', 'nothing was marked');
  assert.deepEqual(changed, []);
});
