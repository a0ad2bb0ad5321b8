import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, schemaVersion } from '../../main/db/open.ts';
import { MIGRATIONS } from '../../main/db/migrations/index.ts';
import { MirrorStore } from '../../main/db/store.ts';
import type { ProviderAttendee } from '../../main/providers/types.ts';
import { person as deskPerson } from '../helpers/desk-db.ts';

function tempDb(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'bd-db-'));
  const db = openDatabase(join(dir, 'm.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

/** An Ada Lovelace with the given provider id (the desk tests' attendee builder). */
function person(id: string, over: Partial<ProviderAttendee> = {}): ProviderAttendee {
  return deskPerson({ providerAttendeeId: id, fullName: 'Ada Lovelace', ...over });
}

function seedEvent(store: MirrorStore) {
  const integration = store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  return store.insertEvent(
    integration,
    { providerEventId: 'e1', name: 'Conf', startsAt: null, endsAt: null, timezone: null, url: null },
    'event added',
    '2026-11-23T08:00:00Z',
  );
}

test('migrations set user_version, WAL and foreign keys', (t) => {
  const db = tempDb(t);
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
});

test('an upsert updates provider fields in place and never touches local state (VIP)', (t) => {
  const store = new MirrorStore(tempDb(t));
  const eventId = seedEvent(store);
  const first = store.upsertAttendees(eventId, [person('a1'), person('a2')], null, '2026-11-23T08:00:00Z');
  assert.deepEqual([first.inserted, first.updated], [2, 0]);
  const a1 = store.findAttendeeByProviderId(eventId, 'a1')!;
  store.setVip(a1.id, true, '2026-11-23T08:01:00Z');

  const again = store.upsertAttendees(eventId, [person('a1'), person('a2')], null, '2026-11-23T08:02:00Z');
  assert.deepEqual(
    [again.inserted, again.updated, again.changedIds.length],
    [0, 0, 0],
    'identical rows are not changes',
  );

  const edited = store.upsertAttendees(
    eventId,
    [person('a1', { fullName: 'Ada King', ticketName: 'VIP' })],
    null,
    '2026-11-23T08:03:00Z',
  );
  assert.deepEqual([edited.inserted, edited.updated, edited.changedIds], [0, 1, [a1.id]]);
  const after = store.getAttendee(a1.id)!;
  assert.equal(after.fullName, 'Ada King');
  assert.equal(after.ticketName, 'VIP');
  assert.equal(after.vip, true, 'VIP survives the provider update');
  assert.equal(store.attendeeCounts(eventId).total, 2);
});

test('the check-in log is append-only', (t) => {
  const db = tempDb(t);
  const store = new MirrorStore(db);
  const eventId = seedEvent(store);
  store.upsertAttendees(eventId, [person('a1')], null, '2026-11-23T08:00:00Z');
  const a1 = store.findAttendeeByProviderId(eventId, 'a1')!;
  db.prepare(
    `INSERT INTO checkins (action_id, event_id, attendee_id, action, station, at) VALUES ('x1', ?, ?, 'check_in', 'Desk 1', '2026-11-23T09:00:00Z')`,
  ).run(eventId, a1.id);
  assert.throws(() => db.prepare(`UPDATE checkins SET station = 'Desk 2'`).run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM checkins').run(), /append-only/);
});

test('only one running job per event, enforced by the database', (t) => {
  const store = new MirrorStore(tempDb(t));
  const eventId = seedEvent(store);
  store.startJob(eventId, 'import', '2026-11-23T08:00:00Z');
  assert.throws(() => store.startJob(eventId, 'resync', '2026-11-23T08:00:01Z'), /UNIQUE/);
  assert.equal(store.abandonRunningJobs('2026-11-23T08:00:02Z'), 1);
  assert.equal(store.activeJob(eventId), undefined);
});

test('a database from a newer app version is refused, not corrupted', (t) => {
  const db = tempDb(t);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  assert.throws(() => openDatabase(db.name), /newer than this app knows/);
});

test('migration 010 rebuilds events with a nullable integration: a database of version 9 keeps every event, attendee, check-in and job; foreign keys stay on and hold', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bd-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'm.sqlite');
  const old = openDatabase(path, MIGRATIONS.slice(0, 9));
  // Written in the version-9 schema's own columns: today's store writes columns added since.
  old
    .prepare(
      `INSERT INTO integrations (id, provider, account_id, account_email, account_name, status, secret_ref, created_at, updated_at)
       VALUES (1, 'eventbrite', 'u1', 'a@x.org', 'A', 'CONNECTED', 'ref', '2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z')`,
    )
    .run();
  const eventId = Number(
    old
      .prepare(
        `INSERT INTO events (integration_id, provider, provider_event_id, name, status, status_changed_at, created_at)
         VALUES (1, 'eventbrite', 'e1', 'Conf', 'PENDING', '2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z')`,
      )
      .run().lastInsertRowid,
  );
  const addAttendee = old.prepare(
    `INSERT INTO attendees (event_id, provider_attendee_id, full_name, status, synced_at, change_seq, inserted_seq)
     VALUES (?, ?, 'Ada Lovelace', 'ATTENDING', '2026-11-23T08:00:00Z', 1, 1)`,
  );
  const a1 = Number(addAttendee.run(eventId, 'a1').lastInsertRowid);
  addAttendee.run(eventId, 'a2');
  const job = {
    id: Number(
      old
        .prepare(
          `INSERT INTO sync_jobs (event_id, kind, state, started_at) VALUES (?, 'import', 'running', '2026-11-23T08:00:00Z')`,
        )
        .run(eventId).lastInsertRowid,
    ),
  };
  old
    .prepare(
      `INSERT INTO checkins (action_id, event_id, attendee_id, action, station, at, station_id) VALUES ('act-00001', ?, ?, 'check_in', 'Desk 1', '2026-11-23T08:05:00.000Z', 's')`,
    )
    .run(eventId, a1);
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys back on after the rebuild');
  const store = new MirrorStore(db);
  assert.equal(store.getEvent(eventId)?.name, 'Conf');
  assert.equal(store.getEvent(eventId)?.integrationId, 1);
  assert.equal(store.attendeeCounts(eventId).total, 2);
  assert.equal(store.getJob(job.id)?.eventId, eventId);
  assert.equal(
    (db.prepare('SELECT count(*) AS n FROM checkins WHERE event_id = ?').get(eventId) as { n: number }).n,
    1,
  );
  // The attendees still reference the rebuilt table: deleting the event cascades as before.
  assert.throws(
    () =>
      db
        .prepare(
          'INSERT INTO attendees (event_id, provider_attendee_id, full_name, status, synced_at, change_seq, inserted_seq) VALUES (999, ?, ?, ?, ?, 1, 1)',
        )
        .run('x', 'X', 'ATTENDING', 'now'),
    /FOREIGN KEY/,
  );
  // A venue event has no integration, is DISCONNECTED here, and the engine's state leaves it out.
  const venueEvent = store.insertVenueEvent(
    'eventbrite',
    {
      providerEventId: 'e2',
      name: 'From the venue',
      startsAt: null,
      endsAt: null,
      timezone: null,
      url: null,
    },
    '2026-11-23T09:00:00Z',
  );
  assert.equal(store.getEvent(venueEvent)?.integrationId, null);
  assert.equal(store.getEvent(venueEvent)?.status, 'DISCONNECTED');
  assert.equal(store.eventSyncState(venueEvent), undefined);
  assert.equal(store.eventHasIntegration(venueEvent), false);
  assert.equal(store.eventHasIntegration(eventId), true);
});
