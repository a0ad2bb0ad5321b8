// The check-in lists' statistics in SQL: entries and exits by list and desk, who was admitted by
// ticket type, each desk's recent entries (its pace), arrivals per slot by desk, and every passage
// of the event in the venue's order for the inside-over-the-day series. Reads only: the log and the
// presence derived from it (migration 013) are written by venue-store.ts.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import { CHART_SLOT_MINUTES } from '../../shared/list-stats.ts';

export interface PassageRow {
  id: string;
  attendeeId: number;
  listId: string;
  action: 'check_in' | 'undo' | 'exit';
  undoes: string | null;
  at: string;
  stationId: string;
}

export class ListStatsStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private cached<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as unknown as Statement<P, R>;
  }

  /** Entries and exits not undone, and overrides, by list and desk; `recent`: those at or after `since`. */
  passageCounts(
    eventId: number,
    since: string,
  ): {
    listId: string;
    stationId: string;
    station: string;
    action: 'check_in' | 'exit';
    n: number;
    recent: number;
    overrides: number;
  }[] {
    return this.cached<
      [string, number],
      {
        listId: string;
        stationId: string;
        station: string;
        action: 'check_in' | 'exit';
        n: number;
        recent: number;
        overrides: number;
      }
    >(
      `SELECT k.list_id AS listId, k.station_id AS stationId, max(k.station) AS station, k.action,
              count(*) AS n, sum(k.at >= ?) AS recent, count(k.override_reason) AS overrides
         FROM checkins k
        WHERE k.event_id = ? AND k.action IN ('check_in', 'exit')
          AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes_action_id = k.action_id)
        GROUP BY k.list_id, k.station_id, k.action`,
    ).all(since, eventId);
  }

  /** People with an entry in force in a list (at or after `since`: today's), by ticket type and status. */
  admittedByTicket(
    eventId: number,
    listId: string,
    since: string | null,
  ): { ticketName: string | null; attending: number; n: number }[] {
    return this.cached<
      [number, string, string | null, string | null],
      { ticketName: string | null; attending: number; n: number }
    >(
      `SELECT a.ticket_name AS ticketName, a.status = 'ATTENDING' AS attending, count(*) AS n
         FROM list_presence p JOIN attendees a ON a.id = p.attendee_id
        WHERE p.event_id = ? AND p.list_id = ? AND p.entries > 0 AND (? IS NULL OR p.last_entry_at >= ?)
        GROUP BY a.ticket_name, attending`,
    ).all(eventId, listId, since, since);
  }

  /** Attending people by ticket type: who a list expects. */
  attendingByTicket(eventId: number): { ticketName: string | null; n: number }[] {
    return this.cached<[number], { ticketName: string | null; n: number }>(
      `SELECT ticket_name AS ticketName, count(*) AS n FROM attendees WHERE event_id = ? AND status = 'ATTENDING'
        GROUP BY ticket_name`,
    ).all(eventId);
  }

  /** The first and latest passage of the event (the charts' span), or null. */
  span(eventId: number): { first: string; last: string } | null {
    const r = this.cached<[number], { first: string | null; last: string | null }>(
      `SELECT min(at) AS first, max(at) AS last FROM checkins WHERE event_id = ?`,
    ).get(eventId);
    return r?.first && r.last ? { first: r.first, last: r.last } : null;
  }

  /** Entries not undone at or after `since`, per desk and 5-minute slot (UTC slots, ISO starts). */
  arrivals(
    eventId: number,
    since: string,
  ): { stationId: string; station: string; slot: string; n: number }[] {
    // A slot of whole minutes that divides an hour: UTC offsets are whole quarter hours, so the
    // slots fall on the same minutes on every clock.
    return this.cached<[number, string], { stationId: string; station: string; slot: string; n: number }>(
      `SELECT k.station_id AS stationId, max(k.station) AS station,
              substr(k.at, 1, 14) || printf('%02d', (CAST(substr(k.at, 15, 2) AS INTEGER) / ${CHART_SLOT_MINUTES}) * ${CHART_SLOT_MINUTES}) || ':00.000Z' AS slot,
              count(*) AS n
         FROM checkins k
        WHERE k.event_id = ? AND k.at >= ? AND k.action = 'check_in'
          AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes_action_id = k.action_id)
        GROUP BY k.station_id, slot`,
    ).all(eventId, since);
  }

  /** Every passage of the event (undos included), in the venue's order: the inside-over-time fold. */
  *passages(eventId: number): Generator<PassageRow> {
    const rows = this.cached<[number], PassageRow>(
      `SELECT action_id AS id, attendee_id AS attendeeId, list_id AS listId, action, undoes_action_id AS undoes,
              at, station_id AS stationId
         FROM checkins WHERE event_id = ? ORDER BY at, station_id, action_id`,
    ).iterate(eventId);
    yield* rows;
  }

  /** The event's list check-outs, in the venue's order. */
  checkOuts(eventId: number): { id: string; listId: string; at: string; stationId: string }[] {
    return this.cached<[number], { id: string; listId: string; at: string; stationId: string }>(
      `SELECT action_id AS id, list_id AS listId, at, station_id AS stationId FROM list_check_outs
        WHERE event_id = ? ORDER BY at, station_id, action_id`,
    ).all(eventId);
  }

  /** Walk-ins linked to a person: their rows count for that person. */
  links(eventId: number): { walkIn: number; person: number }[] {
    return this.cached<[number], { walkIn: number; person: number }>(
      `SELECT w.id AS walkIn, r.id AS person FROM attendee_door d
         JOIN attendees w ON w.event_id = d.event_id AND w.provider_attendee_id = d.provider_attendee_id
         JOIN attendees r ON r.event_id = d.event_id AND r.provider_attendee_id = d.linked_to
        WHERE d.event_id = ? AND d.linked_to IS NOT NULL`,
    ).all(eventId);
  }

  /** A list's rows for its CSV, in the venue's order, with the person's name, email and ticket. */
  *exportRows(
    eventId: number,
    listId: string,
  ): Generator<{
    action_id: string;
    action: 'check_in' | 'undo' | 'exit';
    station: string;
    station_id: string;
    at: string;
    override_reason: string | null;
    full_name: string;
    email: string | null;
    ticket_name: string | null;
    barcode: string | null;
  }> {
    yield* this.cached<
      [number, string],
      {
        action_id: string;
        action: 'check_in' | 'undo' | 'exit';
        station: string;
        station_id: string;
        at: string;
        override_reason: string | null;
        full_name: string;
        email: string | null;
        ticket_name: string | null;
        barcode: string | null;
      }
    >(
      `SELECT k.action_id, k.action, k.station, k.station_id, k.at, k.override_reason,
              a.full_name, a.email, a.ticket_name, a.barcode
         FROM checkins k JOIN attendees a ON a.id = k.attendee_id
        WHERE k.event_id = ? AND k.list_id = ? ORDER BY k.at, k.station_id, k.action_id`,
    ).iterate(eventId, listId);
  }
}
