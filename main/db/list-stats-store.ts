// The check-in lists' statistics in SQL: entries and exits by list and desk and each desk's recent
// entries (its pace) from the kept tallies, who was admitted by ticket type, arrivals per slot by
// desk, and every passage of the event in the venue's order for the inside-over-the-day series.
// Reads only: the log and what is derived from it (migration 013) are written by venue-store.ts.
import { StatementCachingStore } from './statement-cache.ts';

export interface PassageRow {
  id: string;
  attendeeId: number;
  listId: string;
  action: 'check_in' | 'undo' | 'exit';
  undoes: string | null;
  at: string;
  stationId: string;
}

export class ListStatsStore extends StatementCachingStore {
  /**
   * Entries and exits not undone, and overrides, by list and desk, from the kept tallies; `recent`:
   * those in the slots from `sinceSlot` on.
   */
  passageCounts(
    eventId: number,
    sinceSlot: string,
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
      `SELECT list_id AS listId, station_id AS stationId, max(station) AS station, action,
              sum(n) AS n, coalesce(sum(CASE WHEN slot >= ? THEN n END), 0) AS recent, sum(overrides) AS overrides
         FROM list_tally WHERE event_id = ?
        GROUP BY list_id, station_id, action`,
    ).all(sinceSlot, eventId);
  }

  /** People with an entry in force, by list, ticket type and whether attending (the kept counts). */
  admittedByTicket(
    eventId: number,
  ): { listId: string; ticketName: string | null; attending: number; n: number }[] {
    return this.cached<[number], { listId: string; ticket: string; attending: number; n: number }>(
      `SELECT list_id AS listId, ticket, attending, n FROM list_admitted WHERE event_id = ? AND n > 0`,
    )
      .all(eventId)
      .map((r) => ({
        listId: r.listId,
        ticketName: r.ticket === '' ? null : r.ticket,
        attending: r.attending,
        n: r.n,
      }));
  }

  /** Of them, those whose latest entry in a list is at or after `since` (today's, for a list that admits once per day). */
  admittedSince(
    eventId: number,
    listId: string,
    since: string,
  ): { listId: string; ticketName: string | null; attending: number; n: number }[] {
    return this.cached<[number, string, string], { ticketName: string | null; attending: number; n: number }>(
      `SELECT ticket_name AS ticketName, attending, count(*) AS n FROM list_presence
        WHERE event_id = ? AND list_id = ? AND entries > 0 AND last_entry_at >= ?
        GROUP BY ticket_name, attending`,
    )
      .all(eventId, listId, since)
      .map((r) => ({ listId, ...r }));
  }

  /** Attending people by ticket type: who a list expects (the counts kept with each row, migration 014). */
  attendingByTicket(eventId: number): { ticketName: string | null; n: number }[] {
    return this.cached<[number], { ticketName: string | null; n: number }>(
      `SELECT CASE WHEN ticketless THEN NULL ELSE ticket END AS ticketName, n FROM attendee_tally
        WHERE event_id = ? AND status = 'ATTENDING' AND n > 0`,
    ).all(eventId);
  }

  /** Entries not undone in the slots from `sinceSlot` on, per desk and 5-minute slot, from the kept tallies. */
  arrivals(
    eventId: number,
    sinceSlot: string,
  ): { stationId: string; station: string; slot: string; n: number }[] {
    return this.cached<[number, string], { stationId: string; station: string; slot: string; n: number }>(
      `SELECT station_id AS stationId, max(station) AS station, slot, sum(n) AS n
         FROM list_tally WHERE event_id = ? AND action = 'check_in' AND slot >= ?
        GROUP BY station_id, slot`,
    ).all(eventId, sinceSlot);
  }

  /** The first and latest slot with a tallied passage (the charts' span), or null. */
  tallySpan(eventId: number): { first: string; last: string } | null {
    const r = this.cached<[number], { first: string | null; last: string | null }>(
      `SELECT min(slot) AS first, max(slot) AS last FROM list_tally WHERE event_id = ? AND n > 0`,
    ).get(eventId);
    return r?.first && r.last ? { first: r.first, last: r.last } : null;
  }

  /** The event's passages (undos included) after a row id (0: all), in the venue's order, and the last row id. */
  passagesAfter(eventId: number, afterId: number): { rows: PassageRow[]; lastId: number } {
    const rows = this.cached<[number, number], PassageRow & { rowId: number }>(
      `SELECT id AS rowId, action_id AS id, attendee_id AS attendeeId, list_id AS listId, action,
              undoes_action_id AS undoes, at, station_id AS stationId
         FROM checkins WHERE event_id = ? AND id > ? ORDER BY at, station_id, action_id`,
    ).all(eventId, afterId);
    return { rows, lastId: rows.reduce((m, r) => Math.max(m, r.rowId), afterId) };
  }

  /** The event's list check-outs after a row id (0: all), in the venue's order, and the last row id. */
  checkOutsAfter(
    eventId: number,
    afterId: number,
  ): { rows: { id: string; listId: string; at: string; stationId: string }[]; lastId: number } {
    const rows = this.cached<
      [number, number],
      { rowId: number; id: string; listId: string; at: string; stationId: string }
    >(
      `SELECT rowid AS rowId, action_id AS id, list_id AS listId, at, station_id AS stationId FROM list_check_outs
        WHERE event_id = ? AND rowid > ? ORDER BY at, station_id, action_id`,
    ).all(eventId, afterId);
    return { rows, lastId: rows.reduce((m, r) => Math.max(m, r.rowId), afterId) };
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
