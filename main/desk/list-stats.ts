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
import {
  CHART_SLOT_MINUTES,
  PACE_WINDOW_MINUTES,
  type DeskStatsRow,
  type ListCharts,
  type ListStats,
  type ListStatsRow,
  type ListTicketStats,
} from '../../shared/list-stats.ts';
import { insideOverTime, type PersonPassage } from '../../shared/presence.ts';
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

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A recount of inside over the day slower than this is done at most once per this long (a large event). */
const SLOW_RECOUNT_MS = 50;
const RECOUNT_EVERY_MS = 2_000;

export class ListStatistics {
  private readonly sql: ListStatsStore;
  /** Each event's count of changes, and the inside series last counted (with the count it was made at). */
  private readonly versions = new Map<number, number>();
  private readonly insideCache = new Map<
    number,
    { version: number; slots: string; inside: number[]; at: number; took: number }
  >();

  constructor(private readonly deps: ListStatisticsDeps) {
    this.sql = new ListStatsStore(deps.db);
    const bump = ({ eventId }: { eventId: number }) =>
      this.versions.set(eventId, (this.versions.get(eventId) ?? 0) + 1);
    deps.events.on('checkinsChanged', bump);
    deps.events.on('listsChanged', bump);
  }

  stats(eventId: number): ListStats {
    this.deps.requireEvent(eventId);
    const venue = this.deps.deskStore.venue;
    const nowMs = this.deps.clock.now();
    const now = isoTime(nowMs);
    const zone = venue.lists.zoneOf(eventId);
    const counts = this.sql.passageCounts(eventId, isoTime(nowMs - PACE_WINDOW_MINUTES * MINUTE));
    const insideByList = venue.presence.insideByList(eventId);
    const attending = this.sql.attendingByTicket(eventId);
    const today = new Date(dayBounds(now, zone).start).toISOString();

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
      for (const a of this.sql.admittedByTicket(
        eventId,
        list.id,
        list.rule === 'once_per_day' ? today : null,
      )) {
        const r = row(a.ticketName);
        r.admitted += a.n;
        if (a.attending && admits(a.ticketName)) r.admittedAttending += a.n;
      }
      const tickets = [...byName.values()].sort(
        (a, b) => b.expected - a.expected || (a.ticketName ?? '').localeCompare(b.ticketName ?? ''),
      );
      const remaining = tickets.reduce((n, t) => n + Math.max(0, t.expected - t.admittedAttending), 0);
      const pace = sum('check_in', 'recent') / PACE_WINDOW_MINUTES;
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
        d.pacePerMinute += c.recent / PACE_WINDOW_MINUTES;
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
    const span = this.sql.span(eventId);
    if (!span) return empty;
    const nowMs = this.deps.clock.now();
    const lastMs = Date.parse(span.last);
    const endMs = Math.floor((nowMs - lastMs < DAY ? Math.max(nowMs, lastMs) : lastMs) / slotMs) * slotMs;
    const startMs = Math.max(Math.floor(Date.parse(span.first) / slotMs) * slotMs, endMs - DAY + slotMs);
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
      arrivals: [...byDesk.values()].sort((a, b) => a.stationName.localeCompare(b.stationName)),
      inside: this.insideSeries(eventId, slots, slotMs),
    };
  }

  /** Inside the venue at each slot's end: counted again after a change, at most every 2 s on a large event. */
  private insideSeries(eventId: number, slots: string[], slotMs: number): number[] {
    const version = this.versions.get(eventId) ?? 0;
    const key = `${slots[0]}|${slots.length}`;
    const cached = this.insideCache.get(eventId);
    const wall = Date.now();
    if (
      cached &&
      cached.slots === key &&
      (cached.version === version || (cached.took > SLOW_RECOUNT_MS && wall - cached.at < RECOUNT_EVERY_MS))
    ) {
      // The last slot is now: it reads the count the desks keep.
      const inside = [...cached.inside];
      if (inside.length)
        inside[inside.length - 1] = this.deps.deskStore.venue.presence.venueInsideCount(eventId);
      return inside;
    }
    const started = performance.now();
    const personOf = new Map(this.sql.links(eventId).map((l) => [l.walkIn, l.person]));
    const passages: PersonPassage[] = [];
    for (const p of this.sql.passages(eventId))
      passages.push({
        id: p.id,
        at: p.at,
        stationId: p.stationId,
        stationName: '',
        kind: p.action,
        undoes: p.undoes,
        person: personOf.get(p.attendeeId) ?? p.attendeeId,
        list: p.listId,
      });
    const checkOuts = this.sql
      .checkOuts(eventId)
      .map((c) => ({ id: c.id, at: c.at, stationId: c.stationId, list: c.listId }));
    const inside = insideOverTime(
      passages,
      checkOuts,
      slots.map((s) => Date.parse(s) + slotMs),
    );
    this.insideCache.set(eventId, {
      version,
      slots: key,
      inside,
      at: wall,
      took: performance.now() - started,
    });
    return inside;
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
