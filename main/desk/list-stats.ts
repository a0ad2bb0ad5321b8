// The check-in lists' statistics: per list (inside now, entries, exits, who was admitted of whom
// was expected, and when at the current pace the rest will be in), per desk (entries, exits, pace)
// and per ticket type; the charts' series (entries per 5 minutes by desk, inside the venue over the
// day); and each list's CSV. Reads only.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { DeskStore } from '../db/desk-store.ts';
import { ListStatsStore } from '../db/list-stats-store.ts';
import type { Db } from '../db/open.ts';
import { performance } from 'node:perf_hooks';
import {
  CHART_SLOT_MINUTES,
  PACE_WINDOW_MINUTES,
  type DeskStatsRow,
  type ListCharts,
  type ListStats,
  type ListStatsRow,
  type ListTicketStats,
  slotOf,
} from '../../shared/list-stats.ts';
import { InsideFold, foldInOrder, type PersonPassage } from '../../shared/presence.ts';
import { dayBounds } from '../../shared/time-zone.ts';
import { csvCell } from './csv.ts';
import { requireList } from './passages.ts';

export interface ListStatisticsDeps {
  db: Db;
  deskStore: DeskStore;
  clock: Clock;
  events: CoreEvents;
  requireEvent(eventId: number): { id: number; name: string };
}

/** An event's fold of its log for the inside-over-the-day series, and what it has read. */
interface Kept {
  fold: InsideFold;
  /** People inside at each slot's end (ms), for the slots' ends the fold has passed. */
  values: Map<number, number>;
  lastCheckIn: number;
  lastCheckOut: number;
  /** The walk-in links the fold read the rows by. */
  links: string;
}

const MINUTE = 60_000;
/** Figures that take longer than this to read are answered again for SLOW_STATS_REUSE_MS. */
const SLOW_STATS_MS = 50;
const SLOW_STATS_REUSE_MS = 3_000;
const DAY = 24 * 60 * MINUTE;

export class ListStatistics {
  private readonly sql: ListStatsStore;
  /** Each event's fold of the log, and its slots' counts so far (insideSeries). */
  private readonly statsCache = new Map<number, { stats: ListStats; readAt: number }>();
  private readonly folds = new Map<number, Kept>();

  constructor(private readonly deps: ListStatisticsDeps) {
    this.sql = new ListStatsStore(deps.db);
  }

  /**
   * The figures; on a large event whose figures took long to read, the same answer for a few
   * seconds (the page asks again as entries arrive: the desk's own check-ins must not wait behind it).
   */
  stats(eventId: number): ListStats {
    this.deps.requireEvent(eventId);
    const cached = this.statsCache.get(eventId);
    if (cached && performance.now() - cached.readAt < SLOW_STATS_REUSE_MS) return cached.stats;
    const started = performance.now();
    const stats = this.readStats(eventId);
    const took = performance.now() - started;
    if (took > SLOW_STATS_MS) this.statsCache.set(eventId, { stats, readAt: performance.now() });
    else this.statsCache.delete(eventId);
    return stats;
  }

  private readStats(eventId: number): ListStats {
    const venue = this.deps.deskStore.venue;
    const nowMs = this.deps.clock.now();
    const now = isoTime(nowMs);
    const zone = venue.lists.zoneOf(eventId);
    // Pace: the entries of the slots that hold the last PACE_WINDOW_MINUTES (10 to 15 minutes of them).
    const sinceSlot = slotOf(isoTime(nowMs - PACE_WINDOW_MINUTES * MINUTE));
    const paceMinutes = Math.max(PACE_WINDOW_MINUTES, (nowMs - Date.parse(sinceSlot)) / MINUTE);
    const counts = this.sql.passageCounts(eventId, sinceSlot);
    const insideByList = venue.presence.insideByList(eventId);
    const attending = this.sql.attendingByTicket(eventId);
    const today = new Date(dayBounds(now, zone).start).toISOString();

    const admittedRows = this.sql.admittedByTicket(eventId);
    const lists: ListStatsRow[] = [];
    for (const list of venue.lists.listsOf(eventId)) {
      const mine = counts.filter((c) => c.listId === list.id);
      if (list.removed && mine.length === 0) continue;
      const sum = (action: 'check_in' | 'exit', key: 'n' | 'recent' | 'overrides') =>
        mine.filter((c) => c.action === action).reduce((n, c) => n + c[key], 0);
      const admits = (t: string | null) =>
        list.ticketTypes === null || (t !== null && list.ticketTypes.includes(t));
      const byName = new Map<string | null, ListTicketStats & { admittedAttending: number }>();
      const row = (t: string | null) => {
        let r = byName.get(t);
        if (!r) byName.set(t, (r = { ticketName: t, admitted: 0, expected: 0, admittedAttending: 0 }));
        return r;
      };
      for (const a of attending) if (admits(a.ticketName)) row(a.ticketName).expected += a.n;
      // A list that admits once per day counts today's people.
      const admittedHere =
        list.rule === 'once_per_day'
          ? this.sql.admittedSince(eventId, list.id, today)
          : admittedRows.filter((a) => a.listId === list.id);
      for (const a of admittedHere) {
        const n = a.n;
        if (n === 0) continue;
        const r = row(a.ticketName);
        r.admitted += n;
        if (a.attending && admits(a.ticketName)) r.admittedAttending += n;
      }
      const tickets = [...byName.values()].sort(
        (a, b) => b.expected - a.expected || (a.ticketName ?? '').localeCompare(b.ticketName ?? ''),
      );
      const remaining = tickets.reduce((n, t) => n + Math.max(0, t.expected - t.admittedAttending), 0);
      const pace = sum('check_in', 'recent') / paceMinutes;
      lists.push({
        id: list.id,
        name: list.name,
        main: list.main,
        removed: list.removed,
        inside: insideByList.get(list.id) ?? 0,
        entries: sum('check_in', 'n'),
        exits: sum('exit', 'n'),
        overrides: sum('check_in', 'overrides'),
        admitted: tickets.reduce((n, t) => n + t.admitted, 0),
        expected: tickets.reduce((n, t) => n + t.expected, 0),
        remaining,
        pacePerMinute: pace,
        finishAt: remaining > 0 && pace > 0 ? isoTime(nowMs + (remaining / pace) * MINUTE) : null,
        byTicket: tickets.map(({ ticketName, admitted, expected }) => ({ ticketName, admitted, expected })),
      });
    }

    const desks = new Map<string, DeskStatsRow>();
    for (const c of counts) {
      let d = desks.get(c.stationId);
      if (!d)
        desks.set(
          c.stationId,
          (d = { stationId: c.stationId, stationName: c.station, entries: 0, exits: 0, pacePerMinute: 0 }),
        );
      if (c.action === 'check_in') {
        d.entries += c.n;
        d.pacePerMinute += c.recent / paceMinutes;
      } else d.exits += c.n;
    }
    return {
      eventId,
      zone,
      at: now,
      venueInside: venue.presence.venueInsideCount(eventId),
      lists,
      desks: [...desks.values()].sort(
        (a, b) => b.entries - a.entries || a.stationName.localeCompare(b.stationName),
      ),
    };
  }

  /**
   * Entries per 5 minutes by desk, and people inside the venue at the end of each slot, over the
   * last day of the event's passages (to now, while it goes on).
   */
  charts(eventId: number): ListCharts {
    this.deps.requireEvent(eventId);
    const slotMs = CHART_SLOT_MINUTES * MINUTE;
    const empty: ListCharts = {
      eventId,
      slotMinutes: CHART_SLOT_MINUTES,
      slots: [],
      arrivals: [],
      inside: [],
    };
    const span = this.sql.tallySpan(eventId);
    if (!span) return empty;
    const nowMs = this.deps.clock.now();
    const lastMs = Date.parse(span.last);
    const endMs = Math.floor((nowMs - lastMs < DAY ? Math.max(nowMs, lastMs) : lastMs) / slotMs) * slotMs;
    const startMs = Math.max(Date.parse(span.first), endMs - DAY + slotMs);
    const slots: string[] = [];
    for (let t = startMs; t <= endMs; t += slotMs) slots.push(new Date(t).toISOString());
    const index = new Map(slots.map((s, i) => [s, i]));
    const byDesk = new Map<string, { stationId: string; stationName: string; counts: number[] }>();
    for (const r of this.sql.arrivals(eventId, slots[0]!)) {
      const i = index.get(r.slot);
      if (i === undefined) continue;
      let d = byDesk.get(r.stationId);
      if (!d)
        byDesk.set(
          r.stationId,
          (d = { stationId: r.stationId, stationName: r.station, counts: slots.map(() => 0) }),
        );
      d.counts[i] = r.n;
    }
    return {
      eventId,
      slotMinutes: CHART_SLOT_MINUTES,
      slots,
      arrivals: [...byDesk.values()]
        .filter((d) => d.counts.some((c) => c > 0))
        .sort((a, b) => a.stationName.localeCompare(b.stationName)),
      inside: this.insideSeries(eventId, slots, slotMs),
    };
  }

  /**
   * Inside the venue at each slot's end: the presence rule folded over the event's log once
   * (shared/presence.ts InsideFold), then kept and fed the new passages as they come in the venue's
   * order. An undo, or a passage or check-out that sorts before the last one read (a desk back from a
   * partition), has the fold start again from the whole log.
   */
  private insideSeries(eventId: number, slots: string[], slotMs: number): number[] {
    const boundaries = slots.map((s) => Date.parse(s) + slotMs);
    let kept = this.folds.get(eventId);
    if (kept && !this.feed(eventId, kept, boundaries)) kept = undefined;
    if (!kept) {
      kept = {
        fold: new InsideFold(),
        values: new Map(),
        lastCheckIn: 0,
        lastCheckOut: 0,
        links: '',
      };
      this.feed(eventId, kept, boundaries);
      this.folds.set(eventId, kept);
    }
    // Slots that ended by now are final: nothing read later can sort before them without a new fold.
    const nowMs = this.deps.clock.now();
    const { values, fold } = kept;
    for (const b of boundaries) if (b <= nowMs && !values.has(b)) values.set(b, fold.venue);
    return boundaries.map((b) => values.get(b) ?? fold.venue);
  }

  /** Reads the passages and check-outs after the kept ones into the fold; false when one sorts before. */
  private feed(eventId: number, kept: Kept, boundaries: number[]): boolean {
    const passages = this.sql.passagesAfter(eventId, kept.lastCheckIn);
    const outs = this.sql.checkOutsAfter(eventId, kept.lastCheckOut);
    const fresh = kept.fold.last === null;
    // A walk-in linked or unlinked changes whose rows count for whom: the fold starts again.
    const links = this.sql.links(eventId);
    const linksKey = links.map((l) => `${l.walkIn}>${l.person}`).join(',');
    if (!fresh) {
      if (linksKey !== kept.links) return false;
      if (passages.rows.some((p) => p.action === 'undo')) return false;
      const first = [passages.rows[0], outs.rows[0]].filter((x) => x !== undefined);
      if (first.some((x) => !kept.fold.accepts(x))) return false;
    }
    kept.links = linksKey;
    let next = 0;
    const personOf = new Map(links.map((l) => [l.walkIn, l.person]));
    foldInOrder(
      kept.fold,
      passages.rows.map((p): PersonPassage => ({
        id: p.id,
        at: p.at,
        stationId: p.stationId,
        stationName: '',
        kind: p.action,
        undoes: p.undoes,
        person: personOf.get(p.attendeeId) ?? p.attendeeId,
        list: p.listId,
      })),
      outs.rows.map((c) => ({ id: c.id, at: c.at, stationId: c.stationId, list: c.listId })),
      (at) => {
        // Passages come in order: each slot end is passed once, before the first passage after it.
        const t = Date.parse(at);
        for (; next < boundaries.length && boundaries[next]! <= t; next++)
          if (!kept.values.has(boundaries[next]!)) kept.values.set(boundaries[next]!, kept.fold.venue);
      },
    );
    kept.lastCheckIn = passages.lastId;
    kept.lastCheckOut = outs.lastId;
    return true;
  }

  /** One list's entries, exits and undos as CSV, in the venue's order, with each override's reason. */
  exportCsv(eventId: number, listId: string): { filename: string; csv: string } {
    const event = this.deps.requireEvent(eventId);
    const list =
      this.deps.deskStore.venue.lists.list(eventId, listId) ??
      requireList(this.deps.deskStore, eventId, listId);
    const lines = [
      ['time', 'action', 'attendee', 'email', 'ticket', 'barcode', 'station', 'action_id', 'override'].join(
        ',',
      ),
    ];
    for (const r of this.sql.exportRows(eventId, list.id))
      lines.push(
        [
          r.at,
          r.action === 'check_in' ? 'entry' : r.action,
          r.full_name,
          r.email,
          r.ticket_name,
          r.barcode,
          r.station,
          r.action_id,
          r.override_reason,
        ]
          .map(csvCell)
          .join(','),
      );
    const slug = (s: string) =>
      s
        .normalize('NFKD')
        .replace(/[^\w]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40)
        .toLowerCase() || 'list';
    const stamp = isoTime(this.deps.clock.now()).slice(0, 16).replace(/[:T]/g, '-');
    return {
      filename: `${slug(event.name)}-${slug(list.name)}-${stamp}.csv`,
      csv: `\uFEFF${lines.join('\r\n')}\r\n`,
    };
  }
}
