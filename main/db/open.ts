import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { storageErrorCode } from './storage-errors.ts';

export type Db = Database.Database;

/** The file was written by a later Badge Desk: not damaged, never set aside; this app must be updated. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `database schema version ${fileVersion} is newer than this app knows (${appVersion}); update Badge Desk`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** A migration failed on this file for a reason other than the storage: the file is damaged or not ours. */
export class MigrationFailedError extends Error {
  constructor(
    readonly version: number,
    override readonly cause: unknown,
  ) {
    super(`migration ${version} could not run: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MigrationFailedError';
  }
}

export interface OpenOptions {
  nativeBinding?: string | undefined;
  /**
   * 'worker': commits never checkpoint the WAL (wal_autocheckpoint = 0); a worker thread does it
   * on its own connection (wal-checkpointer.ts), so a checkpoint never stalls a check-in.
   * 'on commit' (default): SQLite's own, in whichever commit crosses 1,000 WAL pages.
   */
  checkpoints?: 'on commit' | 'worker';
  /**
   * The folder cannot be written (a read-only drive): open read-only, so the desk still reads
   * (SQLite cannot open a WAL database on read-only media otherwise), and every write answers
   * SQLITE_READONLY, which becomes the typed STORAGE_READ_ONLY.
   */
  readonly?: boolean;
}

/**
 * Opens (or creates) the mirror: WAL so readers never wait on the sync's writes,
 * synchronous=NORMAL (durable across app crashes in WAL mode; only an OS crash may lose the
 * last commits), foreign keys on, deleted content zeroed, then every pending migration.
 */
export function openDatabase(
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
  opts: OpenOptions = {},
): Db {
  if (path !== ':memory:' && !opts.readonly) mkdirSync(dirname(path), { recursive: true });
  // nativeBinding: `npm start` runs Electron with a better-sqlite3 build for Electron's ABI kept
  // apart from node_modules' Node build, so the tests and the app never rebuild over each other.
  const db = new Database(path, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readonly ? { readonly: true, fileMustExist: true } : {}),
  });
  try {
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // What is deleted or overwritten is zeroed in the file, not left in free space: forgetting an
    // event (forget-store.ts) must leave no attendee's data readable in the database's bytes.
    if (!opts.readonly) db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    if (opts.checkpoints === 'worker' && !opts.readonly) db.pragma('wal_autocheckpoint = 0');
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1..n without gaps (found ${m.version} at ${i + 1})`);
  });
  const current = schemaVersion(db);
  if (current > sorted.length) throw new DatabaseTooNewError(current, sorted.length);
  for (const m of sorted.slice(current)) {
    // PRAGMA foreign_keys is a no-op inside a transaction: it is switched around it.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (m.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(`${broken.length} rows would reference missing rows after the rebuild`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (err) {
      // The storage failing (full, read-only) is not the file's fault: that error goes up as it is.
      if (storageErrorCode(err)) throw err;
      throw new MigrationFailedError(m.version, err);
    } finally {
      if (m.foreignKeysOff) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
}
