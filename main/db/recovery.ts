// Opening the mirror when its file may be damaged. A file that is not a database, fails the
// start-up check, or cannot be migrated is never deleted and never written: it is renamed
// `badge-desk.damaged-<time>.sqlite` (its -wal and -shm with it) and a fresh database starts,
// so the desk has a way forward at 8:55. Everything else that stops the open (the disk full or
// read-only, a newer database from a later version, a native module built for another runtime)
// is not damage: the file stays where it is and the error goes up to the start-up report.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MigrationFailedError, openDatabase, type Db, type OpenOptions } from './open.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { storageErrorCode } from './storage-errors.ts';

export interface SetAsideFile {
  /** The damaged file under its new name. */
  file: string;
  /** What was wrong, in plain words. */
  reason: string;
  at: string;
}

export interface OpenedMirror {
  db: Db;
  /** The damaged file set aside at this start, if any. */
  setAside: SetAsideFile | null;
}

function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Why SQLite's error means the file is damaged, or null when it means something else. */
function damageOf(err: unknown): string | null {
  const code = sqliteCode(err);
  if (code === 'SQLITE_NOTADB') return 'the file is not a database (it was overwritten or damaged)';
  if (code.startsWith('SQLITE_CORRUPT'))
    return 'parts of the file are damaged (SQLite: "database disk image is malformed")';
  if (err instanceof MigrationFailedError)
    return `it could not be updated for this version of Badge Desk (${err.message})`;
  return null;
}

/**
 * The start-up check, on a read-only connection (which can never write the file, not even a
 * checkpoint when it closes): quick_check reads every page of every table and index and checks
 * their structure. It leaves out integrity_check's cross-check of each index against its table,
 * which costs several times more at 100,000 attendees and catches nothing a desk could act on.
 */
function inspect(path: string, nativeBinding: string | undefined): string | null {
  let probe: Database.Database;
  try {
    probe = new Database(path, {
      readonly: true,
      fileMustExist: true,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (err) {
    const damage = damageOf(err);
    if (damage) return damage;
    throw err;
  }
  try {
    const result = probe.pragma('quick_check(1)', { simple: true });
    // SQLite's own words ("Tree 18 page 102: btreeInitPage() returns error code 11") mean nothing at the desk.
    return result === 'ok' ? null : 'the start-up check found damaged parts inside the file';
  } catch (err) {
    const damage = damageOf(err);
    if (damage) return damage;
    throw err;
  } finally {
    probe.close();
  }
}

/** `badge-desk.sqlite` -> `badge-desk.damaged-2026-11-23T08-55-00Z.sqlite`, unused so far. */
function damagedName(path: string, at: string): string {
  const stem = basename(path).replace(/\.sqlite$/, '');
  const stamp = at.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  for (let n = 1; ; n++) {
    const candidate = join(dirname(path), `${stem}.damaged-${stamp}${n > 1 ? `-${n}` : ''}.sqlite`);
    if (!existsSync(candidate) && !existsSync(`${candidate}-wal`)) return candidate;
  }
}

function setAside(path: string, reason: string, at: string): SetAsideFile {
  const file = damagedName(path, at);
  // The WAL and its index go first: a database file without its WAL beside it would read as
  // an older state, and one left behind would be taken for the fresh database's.
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${file}${suffix}`);
  renameSync(path, file);
  return { file, reason, at };
}

/** The folder refuses writes (a read-only drive or folder); a missing folder is created later. */
function folderIsReadOnly(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return false;
  } catch (err) {
    return storageErrorCode(err) === 'STORAGE_READ_ONLY';
  }
}

export function openMirror(path: string, options: OpenOptions & { now: () => string }): OpenedMirror {
  const opts = { ...options, readonly: existsSync(path) && folderIsReadOnly(dirname(path)) };
  let aside: SetAsideFile | null = null;
  if (existsSync(path)) {
    const damage = inspect(path, opts.nativeBinding);
    if (damage) aside = setAside(path, damage, opts.now());
  }
  try {
    return { db: openDatabase(path, MIGRATIONS, opts), setAside: aside };
  } catch (err) {
    const damage = damageOf(err);
    // A fresh file that fails too is not the file's fault: report it as it is.
    if (aside || !damage) throw err;
    aside = setAside(path, damage, opts.now());
    return { db: openDatabase(path, MIGRATIONS, opts), setAside: aside };
  }
}
