// The event page's attendee list through the IPC boundary (validation, the core, the rows of a
// page), on the imported event: what a first page costs for a three-letter filter, for a sort by
// check-in time while people are being checked in, and for a filter with a sort, and a page far
// down. Every figure is the answer to one 'attendees.list' call, as the table makes it.
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { foldForSearch, toMatchExpression } from '../../main/db/search-text.ts';
import type { SecretStore } from '../../main/ground/secrets.ts';
import { percentile, startOfflineAppHost } from './stats.ts';
import { seededFractions as prng } from '../../main/simulator/people.ts';

export interface AttendeeListFigures {
  list_attendees: number;
  /** Distinct three-letter prefixes measured: each is a new query, never an answer kept from before. */
  filter_queries: number;
  attendees_filter_p50_ms: number;
  attendees_filter_p95_ms: number;
  filter_mean_matches: number;
  /** Baseline in the same run: the bare FTS5 query listing every match of the same prefixes, nothing else. */
  fts_all_matches_p95_ms: number;
  attendees_filter_vs_fts_all_matches_p95: number;
  /** The same, right after a sync changed the event's rows (the kept name order is rebuilt first). */
  attendees_filter_after_sync_p95_ms: number;
  /** Sorted by check-in time (latest first) at a random offset, each right after a check-in. */
  attendees_sort_checkin_p95_ms: number;
  /** Sorted by ticket at a random offset, each right after a sync changed the rows. */
  attendees_sort_ticket_after_sync_p95_ms: number;
  /** A three-letter filter with "not checked in" and a sort by ticket (descending), each right after a check-in. */
  attendees_filter_sort_p95_ms: number;
  /** The default order at a random offset in the last tenth of the event. */
  attendees_page_far_p95_ms: number;
}

const pct = (values: number[], p: number) => percentile(values, p, 2);
const PAGE = 200;

export async function measureAttendeeList(opts: {
  dataDir: string;
  secretStore: SecretStore;
  eventId: number;
  queries?: number;
}): Promise<AttendeeListFigures> {
  const app = await startOfflineAppHost(opts);
  const eventId = opts.eventId;
  const invoke = async (channel: string, input: unknown) => {
    const r = await app.invoke(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as { rows: { id: number }[]; total: number; kind?: string };
  };
  const timed = async (input: object) => {
    const t0 = performance.now();
    const page = await invoke('attendees.list', { eventId, limit: PAGE, ...input });
    return { ms: performance.now() - t0, page };
  };
  try {
    const db = app.core.store.db;
    const people = db
      .prepare('SELECT id, full_name FROM attendees WHERE event_id = ? ORDER BY id')
      .all(eventId) as { id: number; full_name: string }[];
    const notCheckedIn = db
      .prepare(
        `SELECT a.id FROM attendees a LEFT JOIN attendee_checkin c ON c.attendee_id = a.id AND c.checked_in = 1 WHERE a.event_id = ? AND a.status = 'ATTENDING' AND c.attendee_id IS NULL ORDER BY a.id DESC`,
      )
      .all(eventId) as { id: number }[];
    const random = prng(7);
    // Three-letter prefixes of real first and last names, as an admin types them; each once.
    const prefixes = new Set<string>();
    for (let i = 0; i < 20_000 && prefixes.size < (opts.queries ?? 200); i++) {
      const words = foldForSearch(people[Math.floor(random() * people.length)]!.full_name).split(' ');
      const word = words[Math.floor(random() * words.length)]!;
      if (word.length >= 3) prefixes.add(word.slice(0, 3));
    }
    const queries = [...prefixes];
    const syncChanged = () => app.core.events.emit('attendeesChanged', { eventId, attendeeIds: [] });
    let nextGuest = 0;
    const checkInOne = async () => {
      const out = await invoke('desk.checkIn', {
        eventId,
        actionId: randomUUID(),
        attendeeId: notCheckedIn[nextGuest++]!.id,
      });
      if (out.kind !== 'checked_in') throw new Error(`check-in answered ${String(out.kind)}`);
    };
    const offsetIn = (from: number, to: number) =>
      Math.floor(from + random() * Math.max(1, to - from - PAGE));

    // Warm-up (statement caches, the kept name order), not measured.
    await timed({ offset: 0 });
    await timed({ offset: 0, text: 'warm' });

    const bareMatches = db.prepare('SELECT rowid FROM attendee_search WHERE attendee_search MATCH ?').pluck();
    const filterTimes: number[] = [];
    const rawTimes: number[] = [];
    let matches = 0;
    for (const text of queries) {
      const t0 = performance.now();
      bareMatches.all(toMatchExpression(text)!);
      rawTimes.push(performance.now() - t0);
      const { ms, page } = await timed({ offset: 0, text });
      filterTimes.push(ms);
      matches += page.total;
    }
    const afterSync: number[] = [];
    for (const text of queries.slice(0, 50)) {
      syncChanged();
      afterSync.push((await timed({ offset: 0, text })).ms);
    }
    const checkinSort: number[] = [];
    for (let i = 0; i < 100; i++) {
      await checkInOne();
      checkinSort.push(
        (
          await timed({
            offset: i % 2 ? 0 : offsetIn(0, people.length),
            sort: { key: 'checked_in_at', direction: 'desc' },
          })
        ).ms,
      );
    }
    const ticketSort: number[] = [];
    for (let i = 0; i < 50; i++) {
      syncChanged();
      ticketSort.push(
        (
          await timed({
            offset: offsetIn(0, people.length),
            sort: { key: 'ticket', direction: i % 2 ? 'asc' : 'desc' },
          })
        ).ms,
      );
    }
    const filterSort: number[] = [];
    for (const text of queries.slice(0, 100)) {
      await checkInOne();
      filterSort.push(
        (
          await timed({
            offset: 0,
            text,
            filter: { checkIn: 'not_checked_in' },
            sort: { key: 'ticket', direction: 'desc' },
          })
        ).ms,
      );
    }
    const far: number[] = [];
    for (let i = 0; i < 100; i++)
      far.push((await timed({ offset: offsetIn(Math.floor(people.length * 0.9), people.length) })).ms);

    return {
      list_attendees: people.length,
      filter_queries: queries.length,
      attendees_filter_p50_ms: pct(filterTimes, 0.5),
      attendees_filter_p95_ms: pct(filterTimes, 0.95),
      filter_mean_matches: Math.round(matches / queries.length),
      fts_all_matches_p95_ms: pct(rawTimes, 0.95),
      attendees_filter_vs_fts_all_matches_p95: Number(
        (pct(filterTimes, 0.95) / pct(rawTimes, 0.95)).toFixed(1),
      ),
      attendees_filter_after_sync_p95_ms: pct(afterSync, 0.95),
      attendees_sort_checkin_p95_ms: pct(checkinSort, 0.95),
      attendees_sort_ticket_after_sync_p95_ms: pct(ticketSort, 0.95),
      attendees_filter_sort_p95_ms: pct(filterSort, 0.95),
      attendees_page_far_p95_ms: pct(far, 0.95),
    };
  } finally {
    await app.close();
  }
}
