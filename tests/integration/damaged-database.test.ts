// A damaged database: each kind of damage is set aside under its new name byte for
// byte, a fresh database starts, the integrations come back (their credentials live outside the
// database), and the check-ins still readable are offered with their action ids, then written
// to the log once their attendees are re-imported, each once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { startHarness, connect, importSeeded, admin, operator, type Harness } from '../helpers/harness.ts';
import { mapPages, readableCheckIns } from '../helpers/sqlite-pages.ts';
import { createCore } from '../../main/core/create-core.ts';
import { INTEGRATION_ACCOUNTS_REF, IntegrationAccounts } from '../../main/core/integration-accounts.ts';
import { describeStartupFailure } from '../../main/app/startup-failure.ts';
import { migration009 as salvageMigration } from '../../main/db/migrations/009-salvage.ts';

const DB = 'badge-desk.sqlite';

/** An imported event with `n` check-ins (every seventh undone), the core closed and its WAL folded into the file. */
async function deskWithCheckIns(t: Parameters<typeof startHarness>[0], n: number) {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', n + 20, token, integration.id);
  let k = 0;
  for (let page = 0; k < n; page += 500) {
    for (const a of h.core.listAttendees(eventId, { offset: page, limit: 500 })) {
      if (k >= n || a.status !== 'ATTENDING') continue;
      h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: a.id });
      if (k % 7 === 0) h.core.desk.undo(operator, { eventId, attendeeId: a.id, actionId: randomUUID() });
      k++;
    }
  }
  assert.equal(k, n);
  await h.core.close();
  const file = join(h.dataDir, DB);
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { h, file, providerEventId };
}

function damagedFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^badge-desk\.damaged-.*\.sqlite$/.test(f));
}

/** Restarts on the damaged file and checks what every kind of damage must give. */
async function restartAndCheck(
  h: Harness,
  damagedBytes: Buffer,
  expected: Set<string>,
  providerEventId: string,
) {
  const core = h.reopen();
  const notices = core.damagedDatabases();
  assert.equal(notices.length, 1, 'one damaged-database notice');
  const notice = notices[0]!;
  const aside = damagedFiles(h.dataDir);
  assert.equal(aside.length, 1);
  assert.equal(notice.damagedFile, join(h.dataDir, aside[0]!));
  assert.ok(readFileSync(notice.damagedFile).equals(damagedBytes), 'the damaged file is kept byte for byte');
  assert.match(notice.whatToDo, /re-?import/i);
  assert.ok(notice.reason.length > 10);

  // A fresh database: the desk works; the integration is back (its credential survived outside).
  const integrations = core.listIntegrations();
  assert.equal(integrations.length, 1, 'the integration is back, whatever the damage left readable');
  assert.equal(core.listEvents().length, 0, 'no events until the admin re-imports');

  const offered = core.salvagedCheckIns(admin, notice.id, { offset: 0, limit: 500 });
  const more =
    offered.length === 500 ? core.salvagedCheckIns(admin, notice.id, { offset: 500, limit: 500 }) : [];
  const all = [...offered, ...more];
  assert.deepEqual(
    new Set(all.map((c) => c.actionId)),
    expected,
    'the offered check-ins are exactly the readable ones',
  );
  assert.equal(all.length, expected.size, 'none twice');
  assert.ok(all.every((c) => c.state === 'offered' && c.providerEventId === providerEventId));

  // Accepted before the attendees exist: they wait; the re-import brings them in, each once.
  core.importSalvaged(admin, notice.id);
  assert.equal(core.damagedDatabases()[0]!.salvage.accepted, expected.size);
  if (expected.size > 0) {
    const restored = integrations[0]!.id;
    const event = await core.importEvent(admin, restored, providerEventId);
    await core.engine.waitForJob(event.id);
    const counts = core.damagedDatabases()[0]!.salvage;
    assert.equal(counts.applied, expected.size, `all applied (${JSON.stringify(counts)})`);
    const logged = core.store.db.prepare('SELECT action_id FROM checkins').pluck().all() as string[];
    assert.deepEqual(new Set(logged), expected);
    assert.equal(logged.length, expected.size);
    // Importing again (or the same rows offered twice) changes nothing.
    core.importSalvaged(admin, notice.id);
    assert.equal(
      core.store.db.prepare('SELECT count(*) FROM checkins').pluck().get() as number,
      expected.size,
    );
    // The derived state agrees with the log: checked in = the last salvaged action was a check-in.
    const stats = core.desk.stats(event.id);
    const lastByAttendee = new Map<string, string>();
    for (const c of all) lastByAttendee.set(c.providerAttendeeId, c.action);
    assert.equal(stats.checkedIn, [...lastByAttendee.values()].filter((a) => a === 'check_in').length);
  }
  core.dismissDamaged(admin, notice.id);
  assert.equal(core.damagedDatabases().length, 0);
}

test('random bytes instead of a database: set aside, a fresh start, nothing to offer', async (t) => {
  const { h, file, providerEventId } = await deskWithCheckIns(t, 30);
  const bytes = randomBytes(64 * 1024);
  writeFileSync(file, bytes);
  await restartAndCheck(h, bytes, new Set(), providerEventId);
  assert.match(damagedFiles(h.dataDir)[0]!, /^badge-desk\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.sqlite$/);
});

test('the first random-bytes damage of a data folder: every provider that had a credential is back', async (t) => {
  const h = await startHarness(t);
  const { integration: eventbrite, token: eventbriteToken } = await connect(h, 'eventbrite');
  const { integration: luma, token: lumaToken } = await connect(h, 'luma');
  h.sim.eventbrite.addEvent(eventbriteToken, { name: 'Expo', startsAt: '2026-12-01T09:00:00Z' });
  h.sim.luma.addEvent(lumaToken, { name: 'Meetup', startsAt: '2026-12-01T09:00:00Z' });
  await h.core.close();
  writeFileSync(join(h.dataDir, DB), randomBytes(32 * 1024));
  const core = h.reopen();
  assert.equal(core.damagedDatabases().length, 1);
  const back = core.listIntegrations().map((i) => ({
    provider: i.provider,
    accountId: i.accountId,
    accountEmail: i.accountEmail,
    status: i.status,
  }));
  assert.deepEqual(
    back.sort((a, b) => a.provider.localeCompare(b.provider)),
    [eventbrite, luma].map((i) => ({
      provider: i.provider,
      accountId: i.accountId,
      accountEmail: i.accountEmail,
      status: 'CONNECTED',
    })),
  );
  // Each works as before: the provider answers with the credential that survived.
  for (const i of core.listIntegrations()) assert.ok((await core.listProviderEvents(admin, i.id)).length > 0);
  await core.close();
});

test('a data folder connected before the accounts were kept outside the database gets them at its next start', async (t) => {
  const h = await startHarness(t);
  await connect(h, 'luma');
  await h.core.close();
  h.secrets.delete(INTEGRATION_ACCOUNTS_REF);
  await h.reopen().close();
  writeFileSync(join(h.dataDir, DB), randomBytes(16 * 1024));
  const core = h.reopen();
  assert.deepEqual(
    core.listIntegrations().map((i) => i.provider),
    ['luma'],
  );
  await core.close();
});

test('an integration removed by the admin does not come back from a damaged file', async (t) => {
  const h = await startHarness(t);
  const { integration } = await connect(h, 'eventbrite');
  await connect(h, 'luma');
  h.core.removeIntegration(admin, integration.id);
  // Neither its credential nor its account stays behind outside the database.
  assert.equal(h.secrets.get(`integration:eventbrite:${integration.accountId}`), null);
  assert.deepEqual(
    new IntegrationAccounts(h.secrets).list().map((a) => a.provider),
    ['luma'],
  );
  await h.core.close();
  writeFileSync(join(h.dataDir, DB), randomBytes(16 * 1024));
  const core = h.reopen();
  assert.deepEqual(
    core.listIntegrations().map((i) => i.provider),
    ['luma'],
  );
  await core.close();
});

test('a truncated real database: set aside, and the check-ins before the cut are offered with their action ids', async (t) => {
  const { h, file, providerEventId } = await deskWithCheckIns(t, 600);
  const map = mapPages(file, ['checkins', 'attendees', 'events']);
  const leaves = map.leaves.get('checkins')!;
  // Cut in the middle of the check-in log's pages.
  const cut = leaves[Math.floor(leaves.length / 2)]!;
  const expected = readableCheckIns(map, file, (p) => p >= cut);
  assert.ok(expected.size > 0 && expected.size < 600 + 100, `a part is readable (${expected.size})`);
  truncateSync(file, (cut - 1) * map.pageSize);
  await restartAndCheck(h, readFileSync(file), expected, providerEventId);
});

test('a page corrupted in the middle: set aside, and every check-in not on that page is offered', async (t) => {
  const { h, file, providerEventId } = await deskWithCheckIns(t, 600);
  const map = mapPages(file, ['checkins', 'attendees', 'events']);
  const leaves = map.leaves.get('checkins')!;
  // A page from the middle outwards that keeps each check-in with its undo: an undo whose check-in
  // was lost no longer fits the log (it is skipped, by design), and this test is about the rest.
  const probe = new Database(file, { readonly: true });
  const undoOf = new Map(
    (
      probe.prepare("SELECT action_id, undoes_action_id FROM checkins WHERE action = 'undo'").all() as {
        action_id: string;
        undoes_action_id: string;
      }[]
    ).map((r) => [r.undoes_action_id, r.action_id]),
  );
  probe.close();
  const middle = Math.floor(leaves.length / 2);
  const candidates = leaves.map((_, i) => leaves[middle + (i % 2 ? -1 : 1) * Math.ceil(i / 2)]!);
  const victim = candidates.find((page) => {
    const readable = readableCheckIns(map, file, (p) => p === page);
    return [...undoOf].every(([checkIn, undo]) => !readable.has(undo) || readable.has(checkIn));
  })!;
  const expected = readableCheckIns(map, file, (p) => p === victim);
  const onVictim = [...map.paths.get('checkins')!.values()].filter((path) => path.includes(victim)).length;
  assert.ok(onVictim > 0 && expected.size > 0, 'the page held check-ins and others remain');
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(map.pageSize), 0, map.pageSize, (victim - 1) * map.pageSize);
  closeSync(fd);
  await restartAndCheck(h, readFileSync(file), expected, providerEventId);
});

test('a migration that cannot run sets the file aside too; a newer database or a full disk never does', async (t) => {
  const h = await startHarness(t);
  await h.core.close();
  const file = join(h.dataDir, DB);
  // A file just before the salvage migration, which cannot run: a table it creates is already there.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma(`user_version = ${salvageMigration.version - 1}`);
  db.exec(salvageMigration.sql.split(';')[0]!);
  db.close();
  const core = h.reopen();
  assert.equal(core.damagedDatabases().length, 1);
  assert.match(core.damagedDatabases()[0]!.reason, /could not be updated/);
  await core.close();

  // A database from a later version: refused, left exactly where it is, said in plain words.
  const newer = new Database(file);
  newer.pragma(`user_version = 99`);
  newer.close();
  const before = readFileSync(file);
  let failure: unknown;
  try {
    createCore({ dataDir: h.dataDir, secretStore: h.secrets });
  } catch (err) {
    failure = err;
  }
  assert.ok(failure, 'refused');
  assert.ok(readFileSync(file).equals(before), 'left as it is');
  assert.equal(damagedFiles(h.dataDir).length, 1, 'not set aside (only the earlier one is there)');
  const described = describeStartupFailure(failure, h.dataDir);
  assert.equal(described.kind, 'database_too_new');
  assert.match(described.todo, /Install the latest Badge Desk/);
  assert.doesNotMatch(`${described.what} ${described.todo}`, /\n\s+at /, 'no stack trace');
  assert.ok(existsSync(file));
});
