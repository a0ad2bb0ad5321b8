// The IPC boundary: every channel validates its input, roles are enforced in main, the admin
// PIN session locks itself, and nothing bad input does reaches the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppHarness } from '../helpers/app-harness.ts';
import { CHANNEL_NAMES, IPC_CHANNELS } from '../../shared/ipc-contract.ts';
import { ERROR_CODES } from '../../shared/errors.ts';

const MALFORMED: unknown[] = [
  null,
  42,
  'text',
  [],
  { unexpected: true },
  { eventId: -1 },
  { eventId: '1' },
  { eventId: 1.5 },
  { integrationId: Number.MAX_VALUE },
  { provider: 'meetup', credential: 'x' },
  { attendeeId: 1, vip: 'yes' },
  { eventId: 1, offset: 0, limit: 100_000 },
  { pin: '12' },
  { ['__proto__']: { admin: true } },
  { stationName: '' },
  { pollIntervalMs: 1 },
  { eventId: 1, query: 'x'.repeat(201) },
  { eventId: 1, actionId: 'short' },
  { eventId: 1, actionId: 'abcdefgh-1' },
  { eventId: 1, actionId: 'abcdefgh-1', code: '   ' },
  { eventId: 1, actionId: 'abcd efgh <script>', attendeeId: 1 },
  { eventId: 1, limit: 0 },
];

test('every IPC channel answers malformed input with a typed INVALID_INPUT error, never a crash', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' }); // so admin channels reach validation too
  const before = h.app.core.store.db.prepare('SELECT total_changes() AS n').get();
  let tried = 0;
  for (const channel of CHANNEL_NAMES) {
    for (const input of MALFORMED) {
      const parsed = IPC_CHANNELS[channel].input.safeParse(input);
      if (parsed.success) continue; // e.g. {} is valid for channels without input
      tried++;
      const result = await h.app.invoke(channel, input);
      assert.equal(result.ok, false, `${channel} accepted ${JSON.stringify(input)}`);
      if (!result.ok) {
        assert.equal(result.error.code, 'INVALID_INPUT', `${channel} ${JSON.stringify(input)}`);
        assert.ok(result.error.message.length > 0);
      }
    }
  }
  assert.ok(tried > CHANNEL_NAMES.length * 5, `tried ${tried} malformed calls`);
  for (const bad of [undefined, null, 7, 'events.lis', '__proto__', 'constructor', 'toString']) {
    const result = await h.app.invoke(bad, {});
    assert.deepEqual(result.ok ? 'ok' : result.error.code, 'INVALID_INPUT', String(bad));
  }
  assert.deepEqual(
    h.app.core.store.db.prepare('SELECT total_changes() AS n').get(),
    before,
    'bad input wrote nothing',
  );
});

test('errors are typed codes from one list; internals are not leaked', async (t) => {
  const h = await startAppHarness(t);
  const missing = await h.app.invoke('events.get', { eventId: 999 });
  assert.equal(missing.ok, false);
  if (!missing.ok) {
    assert.ok(ERROR_CODES.includes(missing.error.code));
    assert.equal(missing.error.code, 'NOT_FOUND');
  }
});

test('operators are refused admin channels by main; unlocking with the PIN allows them', async (t) => {
  const h = await startAppHarness(t);
  const account = h.sim.eventbrite.addAccount({ email: 'a@venue.org', name: 'A' });
  const snapshot = await h.call('app.snapshot', {});
  assert.equal(snapshot.session.role, 'operator');
  assert.equal(snapshot.session.pinSet, false);
  assert.equal(snapshot.demo.available, true);

  const refused = await h.app.invoke('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'FORBIDDEN');
  assert.equal(h.app.core.listIntegrations().length, 0);

  // First run: the station sets its PIN (and is admin right after).
  const afterSet = await h.call('session.setPin', { pin: '1357' });
  assert.equal(afterSet.role, 'admin');
  assert.equal(
    h.settings.get('adminPinHash')?.toString().includes('1357'),
    false,
    'the PIN is stored hashed',
  );
  await h.call('session.lock', {});
  const wrong = await h.app.invoke('session.unlock', { pin: '0000' });
  assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'FORBIDDEN');
  await h.call('session.unlock', { pin: '1357' });
  const integration = await h.call('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  assert.equal(integration.accountEmail, 'a@venue.org');
  assert.equal(
    JSON.stringify(integration).includes(account.token),
    false,
    'credentials never reach the renderer',
  );

  // A second setPin needs the admin and the current PIN.
  const noCurrent = await h.app.invoke('session.setPin', { pin: '9999' });
  assert.equal(noCurrent.ok ? 'ok' : noCurrent.error.code, 'FORBIDDEN');
});

test('the admin lock returns after inactivity; admin work pushes it back', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' });
  await h.call('settings.update', { adminLockMinutes: 2 });
  h.clock.advance(90_000);
  await h.call('settings.update', { stationName: 'Desk 2' });
  h.clock.advance(90_000);
  assert.equal((await h.call('app.snapshot', {})).session.role, 'admin', 'activity pushed the lock back');
  h.clock.advance(30_001);
  assert.equal((await h.call('app.snapshot', {})).session.role, 'operator');
  const refused = await h.app.invoke('settings.update', { stationName: 'Desk 9' });
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'FORBIDDEN');
});

test('too many wrong PINs lock unlocking for a while', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  for (let i = 0; i < 5; i++) await h.app.invoke('session.unlock', { pin: '1111' });
  const right = await h.app.invoke('session.unlock', { pin: '2468' });
  assert.equal(right.ok, false, 'even the right PIN waits out the cooldown');
  h.clock.advance(31_000);
  assert.equal((await h.app.invoke('session.unlock', { pin: '2468' })).ok, true);
});

test('station settings are validated, stored and applied', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' });
  const next = await h.call('settings.update', {
    stationName: 'Main entrance',
    pollIntervalMs: 60_000,
    autoPrint: true,
  });
  assert.equal(next.stationName, 'Main entrance');
  assert.equal((await h.call('app.snapshot', {})).settings.pollIntervalMs, 60_000);
  h.settings.set('settings', { stationName: 42, pollIntervalMs: 'fast' });
  assert.equal(
    (await h.call('app.snapshot', {})).settings.stationName,
    'Desk 1',
    'a corrupt store falls back to defaults',
  );
});

test('push events carry status changes and job progress to listeners', async (t) => {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' });
  const account = h.sim.eventbrite.addAccount({ email: 'a@venue.org', name: 'A' });
  const providerEventId = h.sim.eventbrite.addEvent(account.token, { name: 'Pushed' });
  h.sim.eventbrite.seedAttendees(providerEventId, 120);
  const integration = await h.call('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const options = await h.call('events.providerList', { integrationId: integration.id });
  assert.deepEqual(
    options.map((o) => o.name),
    ['Pushed'],
  );
  const event = await h.call('events.import', { integrationId: integration.id, providerEventId });
  await h.app.core.engine.waitForJob(event.id);
  const kinds = new Set(h.pushed.map((m) => m.event));
  for (const k of [
    'eventAdded',
    'jobProgress',
    'jobFinished',
    'statusChanged',
    'attendeesChanged',
    'sessionChanged',
    'integrationChanged',
  ]) {
    assert.ok(kinds.has(k as never), `pushed ${k}`);
  }
  const page = await h.call('attendees.list', { eventId: event.id, offset: 100, limit: 50 });
  assert.equal(page.total, 120);
  assert.equal(page.rows.length, 20);
});
