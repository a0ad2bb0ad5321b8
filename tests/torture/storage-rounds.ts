// The fault suite's storage rounds, kept apart from the other rounds:
//
//   - "disk-full": the data folder (a tmpfs the suite mounts, as root) fills to the last byte in
//     the middle of a check-in burst, then frees. Every refusal must be the typed STORAGE_FULL,
//     the status must say so, the desk must say "saving" again by itself once space is back, and
//     the round's invariants (each acknowledged check-in exactly once) are checked as after any.
//   - "database-damaged": the host is killed, its database file damaged (random bytes, a cut in
//     the middle, or a zeroed page in the middle of the check-in log) and the host started again.
//     The damaged file must be kept byte for byte, the desk must check people in again within
//     seconds (the admin re-imports; the integrations come back on their own), and the check-ins
//     offered back must be exactly the readable ones (the suite's own page map of the intact file
//     says which), none twice. Acknowledged check-ins the damage took are no longer expected
//     here: they are in the damaged file, and other desks give them back.
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { mapPages, readableCheckIns } from '../helpers/sqlite-pages.ts';
import { fillDisk } from '../helpers/small-disk.ts';
import type { Round, World } from './torture.ts';

export interface DataDisk {
  mounted: boolean;
  reason: string | null;
}

export interface StorageRoundFigures {
  diskFullRounds: number;
  /** Rounds that could not fill a disk here (no tmpfs), with the reason. */
  diskFullNotRun: string | null;
  checkInsRefusedStorageFull: number;
  damagedRounds: number;
  damageKinds: Record<DamageKind, number>;
  checkInsOffered: number;
  checkInsLostToDamage: number;
  /** The longest a damaged round took from the host's start to the first check-in it accepted again. */
  longestDeskBackMs: number;
}

const DAMAGE_KINDS = ['random bytes', 'truncated', 'page zeroed'] as const;
type DamageKind = (typeof DAMAGE_KINDS)[number];
const DISK_MB = 512;
const DESK_BACK_WITHIN_MS = 30_000;

export function newStorageFigures(): StorageRoundFigures {
  return {
    diskFullRounds: 0,
    diskFullNotRun: null,
    checkInsRefusedStorageFull: 0,
    damagedRounds: 0,
    damageKinds: { 'random bytes': 0, truncated: 0, 'page zeroed': 0 },
    checkInsOffered: 0,
    checkInsLostToDamage: 0,
    longestDeskBackMs: 0,
  };
}

export function formatStorageFigures(f: StorageRoundFigures): string {
  const full = f.diskFullNotRun
    ? `disk-full rounds NOT RUN: ${f.diskFullNotRun}`
    : `disk-full rounds ${f.diskFullRounds} (${f.checkInsRefusedStorageFull} check-ins refused STORAGE_FULL)`;
  const kinds = DAMAGE_KINDS.map((k) => `${k} ${f.damageKinds[k]}`).join(', ');
  return `storage: ${full}; database-damaged rounds ${f.damagedRounds} (${kinds}): ${f.checkInsOffered} check-ins offered back, ${f.checkInsLostToDamage} acknowledged ones lost to the damage, desk back within ${f.longestDeskBackMs} ms at most`;
}

/** A tmpfs as the data folder, where the suite may mount one (root); the disk-full rounds need it. */
export function mountDataDisk(dir: string): DataDisk {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MB}m,mode=0755`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
    return { mounted: true, reason: null };
  } catch (err) {
    return {
      mounted: false,
      reason: `cannot mount a tmpfs (${
        String((err as { stderr?: Buffer }).stderr ?? err)
          .trim()
          .split('\n')[0]
      })`,
    };
  }
}

export function unmountDataDisk(dir: string, disk: DataDisk): void {
  if (!disk.mounted) return;
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  }
}

const FILLER = '.torture-filler';

/**
 * Folds the WAL into the file and empties it (from the suite's own connection), so that new
 * commits must grow a file. With the host running, a reader can hold it off for a moment: tried
 * again until the WAL is empty. False when it never was.
 */
async function foldWal(world: World): Promise<boolean> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const [r] = world.withDatabase(
      (db) => db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[],
    );
    if (r && r.busy === 0 && r.log === 0) return true;
    await delay(25);
  }
  return false;
}

const NOT_CHECKED_IN = `a.status = 'ATTENDING' AND NOT EXISTS (SELECT 1 FROM attendee_checkin c WHERE c.attendee_id = a.id AND c.checked_in = 1)`;

export async function diskFullRound(r: Round): Promise<Set<number>> {
  const { world, dice } = r;
  if (!world.disk.mounted) {
    // Said in the summary and the test output; the in-process storage tests inject the fault instead.
    world.storage.diskFullNotRun = world.disk.reason;
    return new Set();
  }
  world.storage.diskFullRounds++;
  if (!(await foldWal(world)))
    world.violation(
      'the WAL could not be folded back before filling the disk (a reader held it for a second)',
    );
  fillDisk(world.dataDir, FILLER);
  let refusedFull = 0;
  try {
    // People not checked in yet: each answer is a write the full disk must refuse.
    const { refused } = await world.checkInBurst(dice, dice.int(10, 60), {
      pool: world.attendees(NOT_CHECKED_IN),
    });
    for (const why of refused) {
      if (why.includes('STORAGE_FULL')) refusedFull++;
      else world.violation(`on a full disk the desk answered "${why}", not the typed STORAGE_FULL`);
    }
    world.storage.checkInsRefusedStorageFull += refusedFull;
    if (refusedFull === 0)
      world.violation('the disk was full but no check-in was refused: the round tested nothing');
    if (refusedFull > 0) {
      const status = await world.client.must('storage.status', {});
      if (status.state !== 'full')
        world.violation(`check-ins were refused STORAGE_FULL but the storage status says ${status.state}`);
    }
  } finally {
    rmSync(join(world.dataDir, FILLER), { force: true });
  }
  // Space is back: the desk says so by itself, and saves again.
  for (const deadline = Date.now() + 10_000; ; await delay(50)) {
    const status = await world.client.must('storage.status', {});
    if (status.state === 'ok') break;
    if (Date.now() > deadline) {
      world.violation(`10 s after space returned the storage status still says ${status.state}`);
      break;
    }
  }
  const { answered, refused } = await world.checkInBurst(dice, dice.int(5, 20));
  for (const why of refused) world.violation(`after space returned the desk refused a check-in: ${why}`);
  if (answered === 0) world.violation('after space returned the desk answered no check-in');
  return new Set();
}

/** Damages the file as the dice say; returns the action ids of the check-ins that must still read. */
function damage(world: World, kind: DamageKind, dice: Round['dice']): Set<string> {
  const file = join(world.dataDir, 'badge-desk.sqlite');
  if (kind === 'random bytes') {
    writeFileSync(file, randomBytes(dice.int(1, 64) * 1024));
    return new Set();
  }
  const map = mapPages(file, ['checkins', 'attendees', 'events']);
  const leaves = map.leaves.get('checkins')!;
  if (leaves.length === 0) return readableCheckIns(map, file, () => false);
  // A page of the log past its first, so that some of it still reads.
  const victim = leaves[dice.int(Math.min(1, leaves.length - 1), leaves.length - 1)]!;
  if (kind === 'truncated') {
    const expected = readableCheckIns(map, file, (p) => p >= victim);
    truncateSync(file, (victim - 1) * map.pageSize);
    return expected;
  }
  const expected = readableCheckIns(map, file, (p) => p === victim);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(map.pageSize), 0, map.pageSize, (victim - 1) * map.pageSize);
  closeSync(fd);
  return expected;
}

export async function databaseDamagedRound(r: Round): Promise<Set<number>> {
  const { world, dice } = r;
  const kind = dice.pick(DAMAGE_KINDS);
  world.storage.damagedRounds++;
  world.storage.damageKinds[kind]++;
  // Something to lose first: enough check-ins for the log to span several pages, then the crash.
  await world.checkInBurst(dice, dice.int(150, 300), { concurrency: 8 });
  await world.killHost();
  await foldWal(world);
  const expected = damage(world, kind, dice);
  const damagedBytes = readFileSync(join(world.dataDir, 'badge-desk.sqlite'));

  const started = Date.now();
  await world.startHost();
  const notices = await world.client.must('recovery.notices', {});
  if (notices.length !== 1) {
    world.violation(
      `after damaging the database (${kind}) the host shows ${notices.length} damaged-database notices, not 1`,
    );
    return new Set();
  }
  const notice = notices[0]!;
  let kept: Buffer | null = null;
  try {
    kept = readFileSync(notice.damagedFile);
  } catch {
    kept = null;
  }
  if (!kept || !kept.equals(damagedBytes))
    world.violation(`the damaged file (${kind}) was not kept byte for byte at ${notice.damagedFile}`);

  // The check-ins offered back: exactly the readable ones, none twice.
  const offered: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await world.client.must('recovery.salvaged', { damagedId: notice.id, offset, limit: 500 });
    offered.push(...page.map((c) => c.actionId));
    if (page.length < 500) break;
  }
  world.storage.checkInsOffered += offered.length;
  const offeredSet = new Set(offered);
  if (offeredSet.size !== offered.length)
    world.violation(`${offered.length - offeredSet.size} salvaged check-ins offered twice`);
  const missing = [...expected].filter((id) => !offeredSet.has(id));
  const extra = offered.filter((id) => !expected.has(id));
  if (missing.length || extra.length)
    world.violation(
      `damage "${kind}": ${missing.length} readable check-ins not offered, ${extra.length} offered that should not read`,
    );

  // The admin's way back: the integrations are there (their credentials survived), accept the
  // salvage, re-import each event.
  await world.client.must('recovery.importSalvaged', { damagedId: notice.id });
  for (const provider of ['eventbrite', 'luma'] as const) {
    const integrations = await world.client.must('integrations.list', {});
    if (!integrations.some((i) => i.provider === provider)) {
      world.violation(`the ${provider} integration did not come back from the damaged file (${kind})`);
      await world.client.must('integrations.connect', { provider, credential: world.tokens[provider] });
    }
  }
  const integrations = await world.client.must('integrations.list', {});
  for (const event of world.events) {
    const integrationId = integrations.find((i) => i.provider === event.provider)!.id;
    event.localId = (
      await world.client.must('events.import', { integrationId, providerEventId: event.providerEventId })
    ).id;
  }
  await deskBack(world, started);

  // Wait for the imports, then the world follows the fresh database: local ids are new, and what
  // the damage took is no longer expected here.
  for (const event of world.events) {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await delay(50)) {
      const e = await world.client.must('events.get', { eventId: event.localId });
      if (!e.activeJob) break;
    }
  }
  const after = (await world.client.must('recovery.notices', {}))[0];
  if (after && after.salvage.accepted > 0)
    world.violation(
      `${after.salvage.accepted} salvaged check-ins still wait after every event was re-imported`,
    );
  followFreshDatabase(world);
  // The printer was in the damaged file too: the admin adds it again before the desk prints.
  await world.ensureLabelPrinter();
  world.labelsSince = world.printer.labels.length;
  return new Set();
}

/** The desk checks a person in again within seconds of the restart, once their event is back. */
async function deskBack(world: World, started: number): Promise<void> {
  for (;;) {
    const pool = world.attendees(NOT_CHECKED_IN);
    if (pool.length > 0) {
      const a = pool[0]!;
      const actionId = randomUUID();
      const answer = await world.client.call('desk.checkIn', {
        eventId: a.eventId,
        actionId,
        attendeeId: a.id,
      });
      if (answer.ok && answer.value.kind === 'checked_in') {
        world.acknowledged.push({ actionId, attendeeId: a.id, action: 'check_in' });
        break;
      }
    }
    if (Date.now() - started > DESK_BACK_WITHIN_MS) {
      world.violation(
        `the desk did not check anyone in within ${DESK_BACK_WITHIN_MS / 1000} s of starting on a fresh database`,
      );
      return;
    }
    await delay(50);
  }
  world.storage.longestDeskBackMs = Math.max(world.storage.longestDeskBackMs, Date.now() - started);
}

/** Acknowledged actions now in the fresh log keep being checked, under their new attendee ids; the rest were lost with the file. */
function followFreshDatabase(world: World): void {
  const logged = world.withDatabase((db: Database.Database) => {
    const rows = db
      .prepare('SELECT action_id AS actionId, attendee_id AS attendeeId FROM checkins')
      .all() as { actionId: string; attendeeId: number }[];
    return new Map(rows.map((row) => [row.actionId, row.attendeeId]));
  });
  const before = world.acknowledged.length;
  const still = world.acknowledged
    .filter((a) => logged.has(a.actionId))
    .map((a) => ({ ...a, attendeeId: logged.get(a.actionId)! }));
  world.acknowledged.splice(0, world.acknowledged.length, ...still);
  world.storage.checkInsLostToDamage += before - still.length;
  world.forgetLocalIds();
}
