// The demo workspace a new user sees first: events in every sync status, through the real clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppHost } from '../../main/app/app-host.ts';
import { MemorySecretStore } from '../../main/ground/secrets.ts';
import { MemoryKeyValueStore } from '../helpers/app-harness.ts';
import type { AppSnapshot } from '../../shared/ipc-contract.ts';

test('the demo workspace shows every sync status and survives a restart', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-demo-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const settingsStore = new MemoryKeyValueStore();
  const secretStore = new MemorySecretStore();
  const app = await createAppHost({ dataDir, host: 'browser', secretStore, settingsStore });
  const started = await app.invoke('demo.start', {});
  assert.equal(started.ok, true, JSON.stringify(started));
  const snapshot = (started as { value: AppSnapshot }).value;
  const byName = Object.fromEntries(snapshot.events.map((e) => [e.name, e]));
  assert.equal(byName['Badge Desk Summit 2026']?.status, 'ACTIVE');
  assert.equal(byName['Community Meetup']?.status, 'ACTIVE');
  assert.equal(byName['Sponsor Dinner']?.status, 'FAILED');
  assert.equal(byName['Partner Workshop']?.status, 'DISCONNECTED');
  assert.equal(byName['Volunteer Onboarding']?.status, 'PENDING');
  assert.equal(byName['Volunteer Onboarding']?.activeJob, null);
  assert.equal(snapshot.demo.running, true);
  assert.equal(snapshot.demo.available, false);
  // The summit shows what check-in lists do: a session, an area, a day, beside its main list.
  const listsOf = (host: typeof app, eventId: number) =>
    host.core.lists.view(eventId).lists.map((l) => [l.name, l.rule, l.ticketTypes?.join('+') ?? 'all']);
  const summitLists = [
    ['Main list', 'once', 'all'],
    ['Summit day', 'once_per_day', 'all'],
    ['VIP Lounge', 'every_time', 'VIP+Speaker'],
    ['Workshop B', 'once', 'VIP+Speaker'],
  ];
  assert.deepEqual(listsOf(app, byName['Badge Desk Summit 2026']!.id), summitLists);
  assert.equal(app.core.lists.view(byName['Community Meetup']!.id).lists.length, 1, 'the main list only');
  const again = await app.invoke('demo.start', {});
  assert.equal(again.ok ? 'ok' : again.error.code, 'CONFLICT');
  await app.close();

  // After a restart the demo's providers come back and its events keep their statuses.
  const reopened = await createAppHost({ dataDir, host: 'browser', secretStore, settingsStore });
  t.after(() => reopened.close());
  const after = await reopened.invoke('app.snapshot', {});
  assert.ok(after.ok);
  const value = (after as { value: AppSnapshot }).value;
  assert.equal(value.demo.running, true);
  assert.equal(value.events.length, 5);
  const summit = value.events.find((e) => e.name === 'Badge Desk Summit 2026')!;
  const tick = await reopened.core.engine.liveTick(summit.id);
  assert.ok(tick >= 1, 'the demo provider answers again after a restart');
  assert.equal(reopened.core.getEvent(summit.id).status, 'ACTIVE');
  assert.deepEqual(listsOf(reopened, summit.id), summitLists, 'the same lists, not added again');
});
