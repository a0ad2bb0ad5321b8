// Reads back what still reads from a damaged database: the check-in log (with each row's
// provider identity, since local row ids mean nothing in a fresh database), the integrations
// (their credentials live outside the database and survived) and the events to re-import.
//
// SQLite's recovery API (sqlite3_recover, the CLI's `.recover`) is not exposed by better-sqlite3,
// and the app cannot count on a sqlite3 CLI on a venue laptop. So this reads row by row, by
// primary key, on a read-only connection to a scratch copy: a lookup that meets a damaged page
// fails alone and is skipped, and every other row still reads. The damaged file itself is never
// opened, so it stays byte for byte as it was set aside.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDERS, type ProviderKind } from '../../shared/types.ts';
import type { EventToReimport, SalvagedEntry } from '../../shared/storage.ts';

export interface SalvagedRow extends SalvagedEntry {
  /** The row's id in the damaged log: its order. */
  sourceOrder: number;
}

export interface SalvagedIntegration {
  provider: ProviderKind;
  accountId: string;
  accountEmail: string;
  accountName: string;
  secretRef: string;
}

export interface SalvageResult {
  checkIns: SalvagedRow[];
  /** Check-in log rows that could not be read, or whose attendee or event could not be. */
  unreadableCheckIns: number;
  integrations: SalvagedIntegration[];
  events: EventToReimport[];
}

const EMPTY: SalvageResult = { checkIns: [], unreadableCheckIns: 0, integrations: [], events: [] };
// Ids of a table are dense (rows are never deleted from the log), so when even max(id) cannot be
// read, lookups go on until this many ids in a row fail: a damaged page holds far fewer rows.
const MAX_CONSECUTIVE_MISSES = 5_000;
const ACTION_ID = /^[A-Za-z0-9-]{8,64}$/;

type Row = Record<string, unknown>;

const isProvider = (v: unknown): v is ProviderKind => (PROVIDERS as readonly unknown[]).includes(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1_000;

/** The highest id any of the queries can still read, or null when none can. */
function highestId(db: Database.Database, queries: string[]): number | null {
  let best: number | null = null;
  for (const sql of queries) {
    try {
      const v = db.prepare(sql).pluck().get();
      if (typeof v === 'number') best = Math.max(best ?? 0, v);
    } catch {
      // That part of the file is damaged; another query may still tell.
    }
  }
  return best;
}

/** Every row of `table` that still reads, looked up one id at a time; with the count of ids that failed. */
function readById(
  db: Database.Database,
  table: string,
  columns: string,
  maxIdQueries: string[],
): { rows: Row[]; failed: number } {
  let lookup: Database.Statement<[number], Row>;
  try {
    lookup = db.prepare<[number], Row>(`SELECT ${columns} FROM ${table} WHERE id = ?`);
  } catch {
    return { rows: [], failed: 0 }; // the schema itself does not read
  }
  const known = highestId(db, [`SELECT max(id) FROM ${table}`, ...maxIdQueries]);
  const rows: Row[] = [];
  let failed = 0;
  let misses = 0;
  let failedSinceLastRow = 0;
  for (let id = 1; known !== null ? id <= known : misses < MAX_CONSECUTIVE_MISSES; id++) {
    try {
      const row = lookup.get(id);
      if (row) {
        rows.push(row);
        misses = 0;
        failedSinceLastRow = 0;
      } else misses++;
    } catch {
      failed++;
      failedSinceLastRow++;
      misses++;
    }
  }
  // Without a known last id, failures after the last row that read may be ids that never existed.
  if (known === null) failed -= failedSinceLastRow;
  return { rows, failed };
}

/** Reads what it can from `file` (and its -wal beside it). Never throws: an unreadable file salvages nothing. */
export function salvageDatabase(
  file: string,
  opts: { nativeBinding?: string | undefined } = {},
): SalvageResult {
  const scratch = mkdtempSync(join(tmpdir(), 'badge-desk-salvage-'));
  let db: Database.Database | null = null;
  try {
    const copy = join(scratch, 'damaged.sqlite');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    db = new Database(copy, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    // A truncated file still claims its old size in its header, which SQLite takes for damage to
    // the whole file; with writable_schema it reads the pages that are there. better-sqlite3's
    // defensive mode ignores that flag, hence unsafe mode, harmless here: the connection is
    // read-only, on a scratch copy.
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');

    const events = new Map<number, EventToReimport>();
    for (const r of readById(db, 'events', 'id, provider, provider_event_id, name', []).rows) {
      if (typeof r.id === 'number' && isProvider(r.provider) && isText(r.provider_event_id)) {
        events.set(r.id, {
          provider: r.provider,
          providerEventId: r.provider_event_id,
          name: isText(r.name) ? r.name : r.provider_event_id,
        });
      }
    }

    const integrations: SalvagedIntegration[] = [];
    for (const r of readById(
      db,
      'integrations',
      'provider, account_id, account_email, account_name, secret_ref',
      [],
    ).rows) {
      if (
        isProvider(r.provider) &&
        isText(r.account_id) &&
        isText(r.secret_ref) &&
        typeof r.account_email === 'string' &&
        typeof r.account_name === 'string'
      ) {
        integrations.push({
          provider: r.provider,
          accountId: r.account_id,
          accountEmail: r.account_email,
          accountName: r.account_name,
          secretRef: r.secret_ref,
        });
      }
    }

    let attendeeOf: Database.Statement<[number], Row> | null = null;
    try {
      attendeeOf = db.prepare<[number], Row>(
        'SELECT event_id, provider_attendee_id FROM attendees WHERE id = ?',
      );
    } catch {
      attendeeOf = null;
    }
    // Since check-in lists, each row names its list: only the main list's are offered back (its
    // check-ins and undos are what admits a person; another list's entries and any exit are not).
    const columns = 'id, action_id, event_id, attendee_id, action, station, at';
    const maxIds = ['SELECT max(last_checkin_id) FROM attendee_checkin'];
    let log = readById(db, 'checkins', `${columns}, list_id, undoes_action_id`, maxIds);
    if (log.rows.length === 0 && log.failed === 0) log = readById(db, 'checkins', columns, maxIds);
    const exits = new Set(log.rows.filter((r) => r.action === 'exit').map((r) => r.action_id));
    const checkIns: SalvagedRow[] = [];
    let unreadable = log.failed;
    for (const r of log.rows) {
      if (r.list_id !== undefined && r.list_id !== 'main') continue;
      if (r.action === 'exit' || (r.action === 'undo' && exits.has(r.undoes_action_id))) continue;
      let attendee: Row | undefined;
      try {
        attendee = typeof r.attendee_id === 'number' ? attendeeOf?.get(r.attendee_id) : undefined;
      } catch {
        attendee = undefined;
      }
      const event = typeof r.event_id === 'number' ? events.get(r.event_id) : undefined;
      const valid =
        attendee !== undefined &&
        event !== undefined &&
        attendee.event_id === r.event_id &&
        isText(attendee.provider_attendee_id) &&
        typeof r.action_id === 'string' &&
        ACTION_ID.test(r.action_id) &&
        (r.action === 'check_in' || r.action === 'undo') &&
        isText(r.station) &&
        typeof r.at === 'string' &&
        !Number.isNaN(Date.parse(r.at));
      if (!valid) {
        unreadable++;
        continue;
      }
      checkIns.push({
        actionId: r.action_id as string,
        provider: event!.provider,
        providerEventId: event!.providerEventId,
        providerAttendeeId: attendee!.provider_attendee_id as string,
        action: r.action as 'check_in' | 'undo',
        station: r.station as string,
        at: r.at as string,
        sourceOrder: r.id as number,
      });
    }
    return { checkIns, unreadableCheckIns: unreadable, integrations, events: [...events.values()] };
  } catch {
    // Not a database at all, or not even its header reads: nothing to salvage.
    return EMPTY;
  } finally {
    db?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
