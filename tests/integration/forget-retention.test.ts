// When a desk forgets by itself: the retention rule ("forget events N days after they end", at
// start and then daily, on the injected clock), and a desk removed from its venue, which forgets
// the venue's events only once the check-ins made there are held elsewhere. And forgetting at the
// IPC boundary: admin only, inputs validated, typed refusals, the retention setting's bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MemoryKeyValueStore,
  simulatedAppHost,
  startAppHarness,
  type AppHarness,
} from '../helpers/app-harness.ts';
import { admin, connect, operator, startHarness, type Harness } from '../helpers/harness.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { startSimulator } from '../../main/simulator/index.ts';
import { LocalDocumentSource } from '../../main/venue/replica/persistence.ts';
import { VENUE_KEY } from '../venue/helpers/replica-stations.ts';
import type { AppHost } from '../../main/app/types.ts';

const DAY = 24 * 60 * 60 * 1000;

/** An Eventbrite event of `n` people that ended at `endsAt`, imported to the end. */
async function endedEvent(h: Harness, token: string, integrationId: number, endsAt: string, n = 12) {
  const providerEventId = h.sim.eventbrite.addEvent(token, {
    name: `ended ${endsAt}`,
    startsAt: new Date(Date.parse(endsAt) - 8 * 3_600_000).toISOString(),
    endsAt,
  });
  h.sim.eventbrite.seedAttendees(providerEventId, n);
  const event = await h.core.importEvent(admin, integrationId, providerEventId);
  await h.core.engine.waitForJob(event.id);
  return event.id;
}

test(
  'retention: an event is forgotten N days after it ends, by the daily run; one not due yet stays',
  { timeout: 60_000 },
  async (t) => {
    let days = 30;
    const h = await startHarness(t, {
      core: { forgetAfterDays: () => days, forgetting: { retentionIntervalMs: 25 } },
    });
    const eb = await connect(h, 'eventbrite');
    // The clock is 2026-11-23 08:00. One ended on the 1st, one ends on the 30th.
    const ended = await endedEvent(h, eb.token, eb.integration.id, '2026-11-01T17:00:00.000Z');
    const later = await endedEvent(h, eb.token, eb.integration.id, '2026-11-30T17:00:00.000Z');
    assert.equal(await h.core.forget.runRetention(), 0, '22 days after its end: not yet');
    days = 21;
    assert.equal(await h.core.forget.runRetention(), 1);
    assert.deepEqual(h.core.getEvent(ended).forgotten?.reason, 'retention');
    assert.equal(h.core.listAttendees(ended, { offset: 0, limit: 50 }).filter((p) => p.email).length, 0);
    assert.equal(h.core.getEvent(later).forgotten, null);

    // The daily run (here every 25 ms of real time) on the injected clock: 21 days after the 30th.
    h.core.forget.start();
    const forgotten = h.core.events.once('eventForgotten', (e) => e.eventId === later);
    h.clock.advance(29 * DAY);
    await forgotten;
    assert.equal(h.core.getEvent(later).forgotten?.reason, 'retention');
  },
);

test(
  'retention runs at start: a desk started after the event was due forgets it once it has answered',
  { timeout: 60_000 },
  async (t) => {
    const clock = new VirtualClock();
    const sim = await startSimulator({ now: () => clock.now() });
    const dataDir = mkdtempSync(join(tmpdir(), 'bd-retention-'));
    const settings = new MemoryKeyValueStore();
    const hosts: AppHost[] = [];
    t.after(async () => {
      for (const host of hosts) await host.close().catch(() => undefined);
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const open = async () => {
      const host = await simulatedAppHost({
        dataDir,
        clock,
        sim,
        settings,
        env: { BADGE_DESK_ADMIN_PIN: '2468' },
      });
      hosts.push(host);
      return host;
    };
    const first = await open();
    const account = sim.eventbrite.addAccount({ email: 'a@example.com', name: 'A' });
    const integration = await first.core.connectIntegration(admin, 'eventbrite', account.token);
    const providerEventId = sim.eventbrite.addEvent(account.token, {
      name: 'Autumn',
      startsAt: '2026-11-10T09:00:00.000Z',
      endsAt: '2026-11-10T17:00:00.000Z',
    });
    sim.eventbrite.seedAttendees(providerEventId, 8);
    const event = await first.core.importEvent(admin, integration.id, providerEventId);
    await first.core.engine.waitForJob(event.id);
    await first.invoke('session.unlock', { pin: '2468' });
    assert.equal((await first.invoke('settings.update', { forgetAfterDays: 14 })).ok, true);
    await first.close();

    clock.advance(5 * DAY); // 2026-11-28: 17 days after its end
    const second = await open();
    assert.equal(
      second.core.getEvent(event.id).forgotten,
      null,
      'nothing is forgotten before the desk answers',
    );
    const forgotten = second.core.events.once('eventForgotten', (e) => e.eventId === event.id);
    assert.equal((await second.invoke('app.snapshot', {})).ok, true);
    await forgotten;
    assert.equal(second.core.getEvent(event.id).forgotten?.reason, 'retention');
  },
);

test('a desk removed from the venue forgets its events only when its check-ins are held elsewhere; else it says why and waits', async (t) => {
  const h = await startHarness(t);
  const eb = await connect(h, 'eventbrite');
  const eventId = await endedEvent(h, eb.token, eb.integration.id, '2026-12-24T17:00:00.000Z');
  // The event's document in the venue (in memory here: the network half is the venue suite's).
  const { providerEventId } = h.core.getEvent(eventId);
  const key = { ...VENUE_KEY, providerEventId };
  const source = new LocalDocumentSource(h.core.venue.persistence, { settleMs: 0, maxWaitMs: 0 });
  const disconnect = await h.core.venue.replica.connect(source, key.venueId);
  t.after(() => disconnect());
  const [person] = h.core.listAttendees(eventId, { offset: 0, limit: 1 });
  h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: person!.id });

  assert.equal(await h.core.forget.forgetVenue(key.venueId), 0);
  const due = h.core.getEvent(eventId).forgetDue;
  assert.equal(due?.reason, 'removed');
  assert.equal(due?.blockedBy, 'not-held');
  assert.match(
    due!.detail,
    /^The check-in made on this desk is held by no other desk or relay \(this desk is in no venue\): export the CSV first$/,
  );
  assert.ok(h.core.listAttendees(eventId, { offset: 0, limit: 50 }).every((p) => p.email !== null));

  h.core.forget.exportCheckIns(admin, eventId);
  assert.equal(await h.core.forget.forgetVenue(key.venueId), 1);
  const after = h.core.getEvent(eventId);
  assert.equal(after.forgotten?.reason, 'removed');
  assert.equal(after.forgetDue, null);
  assert.equal(h.core.venue.replica.isAttached(eventId), false, 'its document is no longer followed');
  source.flush();
  assert.equal(h.core.venue.persistence.load(`venue:${key.venueId}:eventbrite:${providerEventId}`), null);
});

test('forgetting through the IPC: admin only, validated, typed refusals; the retention setting is 1 to 3650 days', async (t) => {
  const h: AppHarness = await startAppHarness(t);
  const account = h.sim.eventbrite.addAccount({ email: 'a@example.com', name: 'A' });
  await h.call('session.setPin', { pin: '1357' });
  const integration = await h.call('integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const providerEventId = h.sim.eventbrite.addEvent(account.token, {
    name: 'Conf',
    startsAt: '2026-12-01T09:00:00Z',
  });
  h.sim.eventbrite.seedAttendees(providerEventId, 6);
  const event = await h.call('events.import', { integrationId: integration.id, providerEventId });
  await h.app.core.engine.waitForJob(event.id);
  const [person] = h.app.core.listAttendees(event.id, { offset: 0, limit: 1 });
  await h.call('desk.checkIn', { eventId: event.id, actionId: randomUUID(), attendeeId: person!.id });
  await h.call('session.lock', {});

  for (const channel of ['forget.check', 'forget.event', 'forget.exportCheckIns'] as const) {
    const r = await h.app.invoke(channel, { eventId: event.id });
    assert.equal(r.ok ? 'ok' : r.error.code, 'FORBIDDEN', `${channel} as an operator`);
  }
  await h.call('session.unlock', { pin: '1357' });
  for (const input of [{}, { eventId: 'x' }, { eventId: -1 }, { eventId: event.id, extra: 1 }]) {
    const r = await h.app.invoke('forget.event', input);
    assert.equal(r.ok ? 'ok' : r.error.code, 'INVALID_INPUT', JSON.stringify(input));
  }
  const missing = await h.app.invoke('forget.event', { eventId: 999 });
  assert.equal(missing.ok ? 'ok' : missing.error.code, 'NOT_FOUND');
  const refused = await h.app.invoke('forget.event', { eventId: event.id });
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.error.code, 'INVALID_STATE');
    assert.equal((refused.error.details as { refusal: string }).refusal, 'not-held');
  }
  assert.equal(h.app.core.getEvent(event.id).forgotten, null);

  for (const forgetAfterDays of [0, 3651, 2.5]) {
    const r = await h.app.invoke('settings.update', { forgetAfterDays });
    assert.equal(r.ok ? 'ok' : r.error.code, 'INVALID_INPUT', String(forgetAfterDays));
  }
  assert.equal((await h.call('settings.update', { forgetAfterDays: 45 })).forgetAfterDays, 45);
  assert.equal((await h.call('app.snapshot', {})).settings.forgetAfterDays, 45);

  const csv = await h.call('forget.exportCheckIns', { eventId: event.id });
  assert.match(csv.csv, new RegExp(person!.fullName));
  const outcome = await h.call('forget.event', { eventId: event.id });
  assert.equal(outcome.forgotten.reason, 'admin');
  assert.ok(h.pushed.some((m) => m.event === 'eventForgotten'));
  const snapshot = await h.call('app.snapshot', {});
  assert.equal(snapshot.events.find((e) => e.id === event.id)?.forgotten?.reason, 'admin');
});
