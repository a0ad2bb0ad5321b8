// Venue documents in SQLite, reconcile at start-up both ways (a crash between the SQLite write and
// the document write loses nothing), and the migration of a one-desk database.
import { toAttendee, type AttendeeRow } from '../../main/db/mirror-rows.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openStation, syncDocs, actionId, VENUE_KEY } from '../venue/helpers/replica-stations.ts';
import { openDatabase } from '../../main/db/open.ts';
import { MIGRATIONS } from '../../main/db/migrations/index.ts';
import { migration006 as venueMigration } from '../../main/db/migrations/006-venue.ts';
import { MirrorStore } from '../../main/db/store.ts';
import { LocalDocumentSource, SqliteDocumentPersistence } from '../../main/venue/replica/persistence.ts';
import { VenueReplica } from '../../main/venue/replica/replica.ts';
import { venueDocumentName } from '../../shared/venue.ts';

function tempDir(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'bd-venue-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a document is stored in SQLite as one merged update after changes settle, and loads again', async (t) => {
  const s = openStation(t, 'Desk 1', { attach: false });
  const persistence = new SqliteDocumentPersistence(s.deskStore.venue, s.clock);
  let stores = 0;
  let stored: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (stored = resolve));
  const source = new LocalDocumentSource(
    {
      load: (name) => persistence.load(name),
      store: (name, state) => {
        stores++;
        persistence.store(name, state);
        stored();
      },
    },
    { settleMs: 10 },
  );
  const close = await s.replica.connect(source, VENUE_KEY.venueId);
  for (let i = 0; i < 5; i++)
    s.venueDesk.checkIn(s.actor, { eventId: s.eventId, actionId: actionId(), code: `BC-${i}` });
  assert.equal(
    persistence.load(venueDocumentName(VENUE_KEY)),
    null,
    'nothing stored before the changes settle',
  );
  // The store's timer is unref'd (a process may exit before it fires); hold the test's loop open.
  const keepAlive = setInterval(() => undefined, 1_000);
  await settled;
  clearInterval(keepAlive);
  assert.equal(stores, 1, 'five changes, one store');
  const state = persistence.load(venueDocumentName(VENUE_KEY));
  assert.ok(state);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, state);
  assert.equal(copy.getMap('checkins').size, 5);
  await close();
  assert.equal(s.replica.isAttached(s.eventId), false);
});

test('killed after the SQLite write and before the document was stored: start-up puts the entries into the document', async (t) => {
  const s = openStation(t, 'Desk 1', { attach: false });
  const persistence = new SqliteDocumentPersistence(s.deskStore.venue, s.clock);
  const source = new LocalDocumentSource(persistence, { settleMs: 60_000 });
  await s.replica.connect(source, VENUE_KEY.venueId);
  s.venueDesk.checkIn(s.actor, { eventId: s.eventId, actionId: 'act-crash-0001', code: 'BC-1' });
  s.replica.setVip(s.actor, s.idOf('a2'), true);
  // The process dies here: the document's state never reached SQLite. A new process starts.
  const restarted = new VenueReplica({
    store: s.store,
    venueStore: s.deskStore.venue,
    clock: s.clock,
    events: s.events,
  });
  const restartedSource = new LocalDocumentSource(persistence);
  const doc = await restartedSource.open(VENUE_KEY);
  assert.equal(doc.getMap('checkins').size, 0);
  const r = restarted.attach(VENUE_KEY, doc);
  assert.equal(r.toDocument, 2);
  assert.deepEqual(Object.keys(doc.getMap('checkins').toJSON()), ['act-crash-0001']);
  assert.equal(doc.getMap('vip').size, 1);
  // Stored now, while the database is open: a store left to its settle timer came after the
  // test had closed it, during the next test.
  restarted.detach(VENUE_KEY);
  await restartedSource.close(VENUE_KEY);
});

test('a document holding entries SQLite lacks (a crash mid-apply, a restored database): start-up applies them', (t) => {
  const d1 = openStation(t, 'Desk 1');
  d1.venueDesk.checkIn(d1.actor, { eventId: d1.eventId, actionId: actionId(), code: 'BC-4' });
  d1.replica.setVip(d1.actor, d1.idOf('a4'), true);
  const d2 = openStation(t, 'Desk 2', { attach: false });
  // Desk 2's stored document already has them, but its SQLite does not.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(d1.doc));
  const r = d2.replica.attach(VENUE_KEY, doc);
  assert.deepEqual(r.fromDocument, { applied: 2, pending: 0, duplicates: 0, refused: 0 });
  const a = d2.store.getAttendee(d2.idOf('a4'))!;
  assert.equal(a.vip, true);
  assert.equal(a.checkedIn?.station, 'Desk 1');
  // Attached again later (a restart): nothing is applied twice.
  const again = new VenueReplica({
    store: d2.store,
    venueStore: d2.deskStore.venue,
    clock: d2.clock,
    events: d2.events,
  });
  assert.deepEqual(again.attach(VENUE_KEY, doc).fromDocument, {
    applied: 0,
    pending: 0,
    duplicates: 2,
    refused: 0,
  });
  assert.equal(d2.desk.log(d2.eventId, 10).length, 1);
});

test('a badge printed just before a crash (job printed, no record) gets its record at start-up', (t) => {
  const s = openStation(t, 'Desk 1');
  const attendeeId = s.idOf('a3');
  const printer = s.db
    .prepare(
      `INSERT INTO printers (name, config, created_at) VALUES ('P', '{"kind":"pdf_folder","folder":"/tmp"}', 'x') RETURNING id`,
    )
    .get() as { id: number };
  s.db
    .prepare(
      `INSERT INTO print_jobs (event_id, attendee_id, printer_id, reason, state, requested_by, created_at, updated_at, printed_at)
       VALUES (?, ?, ?, 'check_in', 'printed', 'Desk 1', '2026-11-23T10:42:00.000Z', '2026-11-23T10:42:00.000Z', '2026-11-23T10:42:00.000Z')`,
    )
    .run(s.eventId, attendeeId, printer.id);
  const restarted = new VenueReplica({
    store: s.store,
    venueStore: s.deskStore.venue,
    clock: s.clock,
    events: s.events,
  });
  assert.deepEqual(restarted.priorPrint(attendeeId), {
    at: '2026-11-23T10:42:00.000Z',
    stationName: 'Desk 1',
  });
  const doc = new Y.Doc();
  restarted.attach({ ...VENUE_KEY, venueId: 'other' }, doc);
  assert.equal(doc.getMap('prints').size, 1);
  const d2 = openStation(t, 'Desk 2');
  syncDocs(doc, d2.doc);
  assert.deepEqual(d2.replica.priorPrint(d2.idOf('a3')), {
    at: '2026-11-23T10:42:00.000Z',
    stationName: 'Desk 1',
  });
});

/** Columns the attendee read gained after migration 006 (the answers', 011, and the door's, 012), empty. */
const LATER_COLUMNS = {
  answers: null,
  provider_company: null,
  roster_order: null,
  admission_stations: null,
  badge_first_name: null,
  badge_last_name: null,
  badge_full_name: null,
  badge_company: null,
  base_full_name: null,
  base_company: null,
  corrected_at: null,
  corrected_by: null,
  door_note: null,
  door_attention: null,
  linked_to: null,
  ticket_note: null,
} satisfies Partial<AttendeeRow>;

test('migration: a one-desk database keeps its answers; its rows get the station id and each undo names its check-in', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'badge-desk.sqlite');
  const old = openDatabase(
    path,
    MIGRATIONS.filter((m) => m.version < venueMigration.version),
  );
  const integration = {
    id: Number(
      old
        .prepare(
          `INSERT INTO integrations (provider, account_id, account_email, account_name, status, secret_ref, created_at, updated_at)
           VALUES ('eventbrite', 'u', 'a@x.org', 'A', 'CONNECTED', 'r', '2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z')`,
        )
        .run().lastInsertRowid,
    ),
  };
  // The event and its people in that version's own columns: today's store writes columns added since.
  const eventId = Number(
    old
      .prepare(
        `INSERT INTO events (integration_id, provider, provider_event_id, name, status, status_changed_at, created_at)
         VALUES (?, 'eventbrite', 'E1', 'E', 'PENDING', '2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z')`,
      )
      .run(integration.id).lastInsertRowid,
  );
  const addPerson = old.prepare(
    `INSERT INTO attendees (event_id, provider_attendee_id, full_name, first_name, email, status, synced_at, change_seq, inserted_seq)
     VALUES (?, ?, ?, ?, ?, 'ATTENDING', '2026-11-23T08:00:00Z', 1, 1)`,
  );
  const m1 = Number(addPerson.run(eventId, 'm1', 'Mia', 'Mia', 'm1@example.com').lastInsertRowid);
  const m2 = Number(addPerson.run(eventId, 'm2', 'Max', 'Max', 'm2@example.com').lastInsertRowid);
  const log = old.prepare(
    'INSERT INTO checkins (action_id, event_id, attendee_id, action, station, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  log.run('old-00000001', eventId, m1, 'check_in', 'Desk 1', '2026-11-23T09:00:00.000Z');
  log.run('old-00000002', eventId, m1, 'undo', 'Desk 1', '2026-11-23T09:01:00.000Z');
  log.run('old-00000003', eventId, m1, 'check_in', 'Desk 1', '2026-11-23T09:02:00.000Z');
  log.run('old-00000004', eventId, m2, 'check_in', 'Desk 1', '2026-11-23T09:03:00.000Z');
  log.run('old-00000005', eventId, m2, 'undo', 'Desk 1', '2026-11-23T09:04:00.000Z');
  old
    .prepare(
      `INSERT INTO attendee_local (attendee_id, vip, updated_at) VALUES (?, 1, '2026-11-23T08:30:00Z')`,
    )
    .run(m2);
  // Today's attendee read joins tables of later migrations: the answers before are read as it read
  // them then (the attendee with its VIP flag and current check-in), the later columns empty.
  const before = [m1, m2].map((id) =>
    toAttendee({
      ...(old
        .prepare(
          `SELECT a.*, l.vip, c.at AS checkin_at, c.station AS checkin_station FROM attendees a
           LEFT JOIN attendee_local l ON l.attendee_id = a.id
           LEFT JOIN attendee_checkin c ON c.attendee_id = a.id AND c.checked_in = 1 WHERE a.id = ?`,
        )
        .get(id) as AttendeeRow),
      ...LATER_COLUMNS,
    }),
  );
  old.close();

  const db = openDatabase(path);
  t.after(() => db.close());
  const migrated = new MirrorStore(db);
  assert.deepEqual(
    [m1, m2].map((id) => migrated.getAttendee(id)),
    before,
    'the same answers',
  );
  const station = (db.prepare('SELECT station_id FROM venue_station').get() as { station_id: string })
    .station_id;
  assert.match(station, /^[0-9a-f]{32}$/);
  const rows = db.prepare('SELECT action_id, station_id, undoes_action_id FROM checkins ORDER BY id').all();
  assert.deepEqual(rows, [
    { action_id: 'old-00000001', station_id: station, undoes_action_id: null },
    { action_id: 'old-00000002', station_id: station, undoes_action_id: 'old-00000001' },
    { action_id: 'old-00000003', station_id: station, undoes_action_id: null },
    { action_id: 'old-00000004', station_id: station, undoes_action_id: null },
    { action_id: 'old-00000005', station_id: station, undoes_action_id: 'old-00000004' },
  ]);
  const vip = db.prepare('SELECT vip, at, station_id FROM vip_entries').all();
  assert.deepEqual(vip, [{ vip: 1, at: '2026-11-23T08:30:00.000Z', station_id: station }]);
  assert.throws(() => db.prepare(`UPDATE checkins SET station_id = 'x'`).run(), /append-only/);
});
