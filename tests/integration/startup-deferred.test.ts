// A desk back from a crash answers before it loads the venue: the app host on a data folder that
// holds a venue and an event's document answers its first call with the document not loaded and
// the venue's network not listening; the deferred work starts after that answer (the document
// then attached), or at the latest a moment after start when no call comes, or at once for a
// venue action. Desks on loopback; the figures are the bench's (startup.to_first_checkin_ms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppHost } from '../../main/app/app-host.ts';
import { FileSecretStore, JsonFileStore } from '../../main/host/file-stores.ts';
import type { AppHost } from '../../main/app/types.ts';
import { seedVenueEvent } from '../venue/helpers/seed-event.ts';

const openHost = (dataDir: string): Promise<AppHost> =>
  createAppHost({
    dataDir,
    host: 'browser',
    secretStore: new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key')),
    settingsStore: new JsonFileStore(join(dataDir, 'station.json')),
    env: { BADGE_DESK_ADMIN_PIN: '2468' },
    venue: { listen: { host: '127.0.0.1', port: 0 }, discovery: null, advertiseHosts: ['127.0.0.1'] },
  });

/** A data folder with a venue and an event whose document holds a check-in. */
async function dayFolder(): Promise<{ dataDir: string; eventId: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-startup-'));
  const app = await openHost(dataDir);
  const eventId = seedVenueEvent(app.core, 0, 20);
  const admin = { role: 'admin' as const, name: 'Desk 1' };
  await app.core.venue.start(admin, 'Hall');
  const attendee = app.core.store.findAttendeeByProviderId(eventId, 'a1')!;
  app.core.desk.checkIn(admin, { eventId, actionId: 'act-startup-000001', attendeeId: attendee.id });
  assert.equal(app.core.venue.replica.isAttached(eventId), true);
  await app.close();
  return { dataDir, eventId };
}

test('a restarted desk answers its first call before it loads the venue, then loads it', async (t) => {
  const { dataDir, eventId } = await dayFolder();
  const app = await openHost(dataDir);
  t.after(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // Well after an immediate start would have listened and attached (a few milliseconds), nothing has.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(
    app.core.venue.network!.node.venue,
    null,
    'the venue network started before the desk answered',
  );
  assert.equal(app.core.venue.replica.isAttached(eventId), false);
  const found = await app.invoke('desk.search', { eventId, query: 'Guest 1', limit: 5 });
  assert.equal(found.ok, true);
  const checkedIn = await app.invoke('desk.checkIn', {
    eventId,
    actionId: 'act-startup-000002',
    attendeeId: app.core.store.findAttendeeByProviderId(eventId, 'a2')!.id,
  });
  assert.equal(checkedIn.ok && (checkedIn.value as { kind: string }).kind, 'checked_in');
  assert.equal(app.core.venue.replica.isAttached(eventId), false, 'loaded before the answers went out');
  // Then the deferred work: the document attached, the check-in made meanwhile in it.
  await app.core.venue.ready;
  assert.notEqual(app.core.venue.network!.node.venue, null);
  assert.equal(app.core.venue.replica.isAttached(eventId), true);
  const doc = await app.core.venue.network!.open({
    venueId: app.core.venue.network!.venueId!,
    provider: 'eventbrite',
    providerEventId: 'Conf',
  });
  assert.deepEqual([...doc.getMap('checkins').keys()].sort(), ['act-startup-000001', 'act-startup-000002']);
  await app.core.venue.network!.close({
    venueId: app.core.venue.network!.venueId!,
    provider: 'eventbrite',
    providerEventId: 'Conf',
  });
});

test('with no call the deferred work starts at the latest a moment after start; a venue action starts it at once', async (t) => {
  const { dataDir, eventId } = await dayFolder();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const idle = await openHost(dataDir);
  try {
    await idle.core.venue.ready;
    assert.equal(idle.core.venue.replica.isAttached(eventId), true);
  } finally {
    await idle.close();
  }
  const admin = await openHost(dataDir);
  try {
    await admin.invoke('session.unlock', { pin: '2468' });
    const status = await admin.invoke('venue.status', {});
    assert.equal(status.ok, true, JSON.stringify(status));
    assert.equal((status as { value: { venue: { name: string } } }).value.venue.name, 'Hall');
  } finally {
    await admin.close();
  }
});

test('a host closed before it answered anything closes cleanly, the venue never started', async () => {
  const { dataDir } = await dayFolder();
  const app = await openHost(dataDir);
  await app.close();
  assert.equal(app.core.venue.network!.node.venue, null);
  rmSync(dataDir, { recursive: true, force: true });
});
