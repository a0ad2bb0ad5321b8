// The tests' own reading of SQLite's file format (https://sqlite.org/fileformat2.html), to know
// without asking SQLite which rows a damaged page takes with it: for each row of a table, every
// page a lookup of it by rowid reads (the b-tree path from the root, and overflow pages). Used
// as the oracle for "the check-ins offered back are exactly the readable ones".
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';

function varint(buf: Buffer, at: number): [value: number, next: number] {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i]!;
    v = v * 128 + (b & 0x7f);
    if (b < 0x80) return [v, at + i + 1];
  }
  return [v * 256 + buf[at + 8]!, at + 9];
}

export interface PageMap {
  pageSize: number;
  pageCount: number;
  /** table -> rowid -> the pages a lookup of that row reads. */
  paths: Map<string, Map<number, number[]>>;
  /** table -> its leaf pages, in key order. */
  leaves: Map<string, number[]>;
}

/** Maps the tables' rows to their pages, for a database file with no WAL (checkpoint it first). */
export function mapPages(file: string, tables: readonly string[]): PageMap {
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
  const usable = pageSize - bytes[20]!;
  const db = new Database(file, { readonly: true });
  const roots = new Map(
    (
      db.prepare(`SELECT name, rootpage FROM sqlite_master WHERE type = 'table'`).all() as {
        name: string;
        rootpage: number;
      }[]
    ).map((r) => [r.name, r.rootpage]),
  );
  db.close();
  const page = (n: number) => bytes.subarray((n - 1) * pageSize, n * pageSize);
  const paths = new Map<string, Map<number, number[]>>();
  const leaves = new Map<string, number[]>();
  for (const table of tables) {
    const rows = new Map<number, number[]>();
    const leafList: number[] = [];
    const walk = (n: number, above: number[]) => {
      const p = page(n);
      const h = n === 1 ? 100 : 0;
      const type = p[h]!;
      const cells = p.readUInt16BE(h + 3);
      const path = [...above, n];
      if (type === 0x05) {
        for (let i = 0; i < cells; i++) walk(p.readUInt32BE(p.readUInt16BE(h + 12 + 2 * i)), path);
        walk(p.readUInt32BE(h + 8), path);
        return;
      }
      if (type !== 0x0d) throw new Error(`page ${n} of ${table} is not a table b-tree page (${type})`);
      leafList.push(n);
      for (let i = 0; i < cells; i++) {
        const [payload, afterSize] = varint(p, p.readUInt16BE(h + 8 + 2 * i));
        const [rowid, start] = varint(p, afterSize);
        const pages = [...path];
        const maxLocal = usable - 35;
        if (payload > maxLocal) {
          const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
          const k = minLocal + ((payload - minLocal) % (usable - 4));
          const local = k <= maxLocal ? k : minLocal;
          for (let next = p.readUInt32BE(start + local); next !== 0; next = page(next).readUInt32BE(0))
            pages.push(next);
        }
        rows.set(rowid, pages);
      }
    };
    walk(roots.get(table)!, []);
    paths.set(table, rows);
    leaves.set(table, leafList);
  }
  return { pageSize, pageCount: Math.floor(bytes.length / pageSize), paths, leaves };
}

/**
 * The action ids of check-in rows a salvage can still read when `damaged` pages are unreadable:
 * the row, its attendee and its event must all read.
 */
export function readableCheckIns(
  map: PageMap,
  file: string,
  damaged: (page: number) => boolean,
): Set<string> {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT k.id, k.action_id, k.attendee_id, k.event_id FROM checkins k').all() as {
    id: number;
    action_id: string;
    attendee_id: number;
    event_id: number;
  }[];
  db.close();
  const intact = (table: string, rowid: number) =>
    (map.paths.get(table)!.get(rowid) ?? [0]).every((p) => !damaged(p));
  return new Set(
    rows
      .filter(
        (r) => intact('checkins', r.id) && intact('attendees', r.attendee_id) && intact('events', r.event_id),
      )
      .map((r) => r.action_id),
  );
}
