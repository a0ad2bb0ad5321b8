// Desk figures on the imported event (50,000 attendees unless --attendees says otherwise): search
// p95 for three-letter prefixes against the bare FTS5 query in the same run, and check-in p95 from
// the IPC call (validation, role, decision, durable commit) to the committed log row.
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DeskStore } from '../../main/db/desk-store.ts';
import { foldForSearch, toMatchExpression } from '../../main/db/search-text.ts';
import type { SecretStore } from '../../main/ground/secrets.ts';
import { percentile, startOfflineAppHost } from './stats.ts';
// The same choices every run (mulberry32).
import { seededFractions as prng } from '../../main/simulator/people.ts';

export interface DeskFigures {
  search_queries: number;
  search_p50_ms: number;
  search_p95_ms: number;
  fts_raw_p95_ms: number;
  search_vs_fts_raw_p95: number;
  search_mean_results: number;
  checkins: number;
  checkin_p50_ms: number;
  checkin_p95_ms: number;
  checkin_max_ms: number;
  bare_commit_p95_ms: number;
  checkin_vs_bare_commit_p95: number;
}

const pct = (values: number[], p: number) => percentile(values, p, 2);

export async function measureDesk(opts: {
  dataDir: string;
  secretStore: SecretStore;
  eventId: number;
  queries?: number;
  checkins?: number;
}): Promise<DeskFigures> {
  const queries = opts.queries ?? 1_000;
  const checkins = opts.checkins ?? 1_000;
  const app = await startOfflineAppHost(opts);
  try {
    const db = app.core.store.db;
    const people = db
      .prepare('SELECT id, full_name, barcode FROM attendees WHERE event_id = ? ORDER BY id')
      .all(opts.eventId) as {
      id: number;
      full_name: string;
      barcode: string;
    }[];
    const random = prng(42);
    // Three-letter prefixes of real first and last names, as a desk types them.
    const prefixes = Array.from({ length: queries }, () => {
      const words = foldForSearch(people[Math.floor(random() * people.length)]!.full_name).split(' ');
      return words[Math.floor(random() * words.length)]!.slice(0, 3);
    });
    const raw = new DeskStore(db);
    const invoke = async (channel: string, input: unknown) => {
      const r = await app.invoke(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    };
    // Warm-up (statement caches, page cache), not measured.
    for (const p of prefixes.slice(0, 50)) {
      raw.rawMatch(toMatchExpression(p)!, 20);
      await invoke('desk.search', { eventId: opts.eventId, query: p });
    }
    const rawTimes: number[] = [];
    const searchTimes: number[] = [];
    let results = 0;
    for (const p of prefixes) {
      const t0 = performance.now();
      raw.rawMatch(toMatchExpression(p)!, 20);
      rawTimes.push(performance.now() - t0);
      const t1 = performance.now();
      const found = (await invoke('desk.search', { eventId: opts.eventId, query: p })) as { rows: unknown[] };
      searchTimes.push(performance.now() - t1);
      results += found.rows.length;
    }

    const checkinTimes: number[] = [];
    const sample = people
      .filter((_, i) => i % Math.max(1, Math.floor(people.length / checkins)) === 0)
      .slice(0, checkins);
    for (const p of sample) {
      const t0 = performance.now();
      const out = (await invoke('desk.checkIn', {
        eventId: opts.eventId,
        actionId: randomUUID(),
        code: p.barcode,
      })) as { kind: string };
      checkinTimes.push(performance.now() - t0);
      if (out.kind !== 'checked_in') throw new Error(`check-in answered ${out.kind}`);
    }
    const logged = (
      db.prepare(`SELECT count(*) AS n FROM checkins WHERE event_id = ?`).get(opts.eventId) as { n: number }
    ).n;
    if (logged !== sample.length) throw new Error(`${logged} log rows for ${sample.length} check-ins`);

    // Baseline: one row inserted and committed on its own, nothing else (same database, same settings).
    db.exec('CREATE TABLE bench_scratch (id INTEGER PRIMARY KEY, at TEXT)');
    const scratch = db.prepare('INSERT INTO bench_scratch (at) VALUES (?)');
    const bareTimes: number[] = [];
    for (let i = 0; i < sample.length; i++) {
      const t0 = performance.now();
      db.transaction(() => scratch.run(String(i))).immediate();
      bareTimes.push(performance.now() - t0);
    }

    const searchP95 = pct(searchTimes, 0.95);
    const rawP95 = pct(rawTimes, 0.95);
    return {
      search_queries: queries,
      search_p50_ms: pct(searchTimes, 0.5),
      search_p95_ms: searchP95,
      fts_raw_p95_ms: rawP95,
      search_vs_fts_raw_p95: Number((searchP95 / rawP95).toFixed(2)),
      search_mean_results: Number((results / queries).toFixed(1)),
      checkins: sample.length,
      checkin_p50_ms: pct(checkinTimes, 0.5),
      checkin_p95_ms: pct(checkinTimes, 0.95),
      checkin_max_ms: pct(checkinTimes, 1),
      bare_commit_p95_ms: pct(bareTimes, 0.95),
      checkin_vs_bare_commit_p95: Number((pct(checkinTimes, 0.95) / pct(bareTimes, 0.95)).toFixed(1)),
    };
  } finally {
    await app.close();
  }
}
