import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/**
 * Opens (or creates) the mirror: WAL so readers never wait on the sync's writes,
 * synchronous=NORMAL (durable across app crashes in WAL mode; only an OS crash may lose the
 * last commits), foreign keys on, then every pending migration.
 */
export function openDatabase(
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
  opts: { nativeBinding?: string | undefined } = {},
): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // nativeBinding: `npm start` runs Electron with a better-sqlite3 build for Electron's ABI kept
  // apart from node_modules' Node build, so the tests and the app never rebuild over each other.
  const db = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps (found ${m.version} at ${i + 1})`);
  });
  const current = schemaVersion(db);
  if (current > sorted.length) {
    throw new Error(`database schema version ${current} is newer than this app knows (${sorted.length}); update Badge Desk`);
  }
  for (const m of sorted.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
