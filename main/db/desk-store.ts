// The desk's SQL: search over the FTS5 index, the append-only check-in log and what is derived
// from it (current state, statistics, the export). Writes only local tables (checkins and the
// state derived with it, through venue-store.ts): never a provider-owned column.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import {
  ATTENDEE_SELECT,
  SHOWN_NAME,
  SHOWN_NAME_JOIN,
  answersFromColumn,
  type AttendeeRow,
} from './mirror-rows.ts';
import type { RegistrationAnswer } from '../../shared/answers.ts';
import { AttendeeRowsById } from './attendee-store.ts';
import { foldForSearch, toCodeKeyMatchExpression } from './search-text.ts';
import { lumaCheckInKey, storedCodeKey } from '../../shared/ticket-code.ts';
import type { Attendee } from '../../shared/types.ts';
import type { CheckInLogEntry, CheckInStats, TicketStats } from '../../shared/desk.ts';
import { ARRIVAL_SLOT_MINUTES } from '../../shared/desk.ts';
import { VenueStore, type CheckInRecord, type CheckInRow } from './venue-store.ts';
import { StatementCachingStore } from './statement-cache.ts';

export type { CheckInAction, CheckInRecord } from './venue-store.ts';

interface LogRow extends CheckInRow {
  full_name: string;
  email: string | null;
  ticket_name: string | null;
  barcode: string | null;
}

const toLogEntry = (r: LogRow): CheckInLogEntry => ({
  id: r.id,
  actionId: r.action_id,
  attendeeId: r.attendee_id,
  attendeeName: r.full_name,
  email: r.email,
  ticketName: r.ticket_name,
  action: r.action,
  station: r.station,
  at: r.at,
  ...(r.list_id !== 'main' ? { listId: r.list_id } : {}),
  ...(r.override_reason !== null ? { override: r.override_reason } : {}),
});

export interface ExportRow extends CheckInLogEntry {
  barcode: string | null;
  /** The station whose clock stamped the row. */
  stationId?: string;
  /** The person's registration answers (the export shows those the event's settings pick). */
  answers: RegistrationAnswer[];
}

// How many of the shortest names holding every typed word are compared for "exact name":
// an exact match is as short as such a name can be, so it is always among them.
const EXACT_NAME_CANDIDATES = 8;
// Rows whose barcode holds a scanned key's words, read to find the one whose key it is (one, unless
// a provider reused a key); bounded so a short key cannot read the whole event.
const CODE_KEY_CANDIDATES = 20;

export class DeskStore extends StatementCachingStore {
  private readonly ranked;
  private readonly unranked;
  private readonly nameCandidates;
  private readonly byBarcode;
  private readonly stateOf;
  /** The merged log's writes and derived state (shared with remote entries of the venue). */
  readonly venue: VenueStore;
  private readonly byCodeKey;
  private readonly rowsById;

  constructor(db: Db) {
    super(db);
    // FTS5 sorts by its configured rank (bm25, name hits weighted up; see migration 002) and
    // stops once `limit` rows of this event are found: only those rows are read in full.
    this.ranked = db.prepare<{ match: string; eventId: number; limit: number }, { id: number }>(
      `SELECT a.id FROM attendee_search s JOIN attendees a ON a.id = s.rowid
       WHERE attendee_search MATCH @match AND a.event_id = @eventId ORDER BY s.rank LIMIT @limit`,
    );
    this.unranked = db.prepare<{ match: string; eventId: number; limit: number }, { id: number }>(
      `SELECT a.id FROM attendee_search s JOIN attendees a ON a.id = s.rowid
       WHERE attendee_search MATCH @match AND a.event_id = @eventId LIMIT @limit`,
    );
    this.nameCandidates = db.prepare<{ match: string; eventId: number }, { id: number; full_name: string }>(
      `SELECT a.id, a.full_name FROM attendee_search s JOIN attendees a ON a.id = s.rowid
       WHERE attendee_search MATCH @match AND a.event_id = @eventId
       ORDER BY length(a.full_name), a.id LIMIT ${EXACT_NAME_CANDIDATES}`,
    );
    this.byBarcode = db.prepare<[number, string], AttendeeRow>(
      // Barcodes are unique per provider; should two rows ever share one, the attending one wins.
      `${ATTENDEE_SELECT} WHERE a.event_id = ? AND a.barcode = ? ORDER BY a.status = 'ATTENDING' DESC, a.id LIMIT 1`,
    );
    this.byCodeKey = db.prepare<
      { match: string; eventId: number },
      { id: number; barcode: string | null; status: string }
    >(
      `SELECT a.id, a.barcode, a.status FROM attendee_search s JOIN attendees a ON a.id = s.rowid
       WHERE attendee_search MATCH @match AND a.event_id = @eventId LIMIT ${CODE_KEY_CANDIDATES}`,
    );
    this.rowsById = new AttendeeRowsById(db);
    this.stateOf = db.prepare<[number], { checked_in: number }>(
      'SELECT checked_in FROM attendee_checkin WHERE attendee_id = ?',
    );
    this.venue = new VenueStore(db);
  }

  /**
   * Ranked search: an exact barcode first, then exact names (compared case- and accent-folded),
   * then the index's relevance order. Three small queries, each bounded, instead of one that
   * would sort every match of a common three-letter prefix.
   */
  searchAttendees(
    eventId: number,
    query: { match: string; nameMatch: string | null; text: string; ranked: boolean },
    limit: number,
  ): { rows: Attendee[]; more: boolean } {
    const ids: number[] = [];
    const scanned = this.attendeeIdByCode(eventId, query.text);
    if (scanned !== undefined) ids.push(scanned);
    if (query.nameMatch) {
      const folded = foldForSearch(query.text);
      for (const c of this.nameCandidates.all({ match: query.nameMatch, eventId })) {
        if (foldForSearch(c.full_name) === folded) ids.push(c.id);
      }
    }
    const listed = (query.ranked ? this.ranked : this.unranked).all({
      match: query.match,
      eventId,
      limit: limit + 1,
    });
    for (const r of listed) ids.push(r.id);
    const unique = [...new Set(ids)];
    return { rows: this.rowsById.get(unique.slice(0, limit)), more: unique.length > limit };
  }

  /** The bare FTS5 query, ranked by its own bm25: the benchmark's baseline for search. */
  rawMatch(match: string, limit: number): number[] {
    this.raw ??= this.db.prepare<[string, number], { rowid: number }>(
      'SELECT rowid FROM attendee_search WHERE attendee_search MATCH ? ORDER BY rank LIMIT ?',
    );
    return this.raw.all(match, limit).map((r) => r.rowid);
  }
  private raw: Statement<[string, number], { rowid: number }> | undefined;

  /** The attendee a scanned code names: the barcode as typed, else a Luma check-in URL's key (any host, any further parameters). */
  attendeeByCode(eventId: number, code: string): Attendee | undefined {
    const id = this.attendeeIdByCode(eventId, code);
    return id === undefined ? undefined : this.rowsById.get([id])[0];
  }

  private attendeeIdByCode(eventId: number, text: string): number | undefined {
    const code = text.trim();
    if (!code) return undefined;
    const exact = this.byBarcode.get(eventId, code);
    if (exact) return exact.id;
    const key = lumaCheckInKey(code);
    if (key === null) return undefined;
    const matches = this.byCodeKey
      .all({ match: toCodeKeyMatchExpression(key), eventId })
      .filter((r) => r.barcode !== null && storedCodeKey(r.barcode) === key);
    // As for an exact barcode: should two rows share a key, the attending one wins.
    return (matches.find((r) => r.status === 'ATTENDING') ?? matches[0])?.id;
  }

  isCheckedIn(attendeeId: number): boolean {
    return this.stateOf.get(attendeeId)?.checked_in === 1;
  }

  checkInByActionId(actionId: string): CheckInRecord | undefined {
    return this.venue.checkInByActionId(actionId);
  }

  /** A row of this station's desk (its station id); the state is derived with the venue's rule. */
  appendCheckIn(
    r: Omit<CheckInRecord, 'id' | 'stationId' | 'undoes' | 'listId' | 'override'> & {
      undoes?: string | null;
      listId?: string;
      override?: string | null;
    },
  ): CheckInRecord {
    const record = this.venue.appendCheckIn({
      ...r,
      stationId: this.venue.stationId,
      undoes: r.undoes ?? null,
    });
    if (!record) throw new Error(`action ${r.actionId} is already in the log`);
    return record;
  }

  /** The attendee's entries in force in a list (an undo at the desk names each of them). */
  openCheckIns(attendeeId: number, listId?: string): CheckInRecord[] {
    return this.venue.openCheckIns(attendeeId, listId);
  }

  /**
   * Runs a desk decision and its log write as one IMMEDIATE transaction: the write lock is taken
   * before the decision reads, so no other connection can slip a write in between. Commits use
   * the database's synchronous=NORMAL in WAL mode: durable across an app crash or kill (what
   * the crash tests prove); an OS crash or power cut may lose the last moments. FULL was measured
   * at a 4-10 ms fsync per check-in on this machine's disk, twice the desk's 5 ms budget.
   */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Newest first. */
  log(eventId: number, limit: number, beforeId?: number): CheckInLogEntry[] {
    return this.db
      .prepare<[number, number | null, number | null, number], LogRow>(
        `SELECT k.*, ${SHOWN_NAME} AS full_name, a.email, a.ticket_name, a.barcode FROM checkins k JOIN attendees a ON a.id = k.attendee_id
         ${SHOWN_NAME_JOIN}
         WHERE k.event_id = ? AND (? IS NULL OR k.id < ?) ORDER BY k.id DESC LIMIT ?`,
      )
      .all(eventId, beforeId ?? null, beforeId ?? null, limit)
      .map(toLogEntry);
  }

  /**
   * The main list's whole log of an event in time order (each other list has its own CSV), then station id, then action id (the venue's order of
   * entries, shared/venue.ts compareStamped: the same on every desk), streamed row by row.
   */
  *exportRows(eventId: number): Generator<ExportRow> {
    const rows = this.db
      .prepare<[number], LogRow & { walk_in: number; answers: string | null }>(
        `SELECT k.*, a.full_name, a.email, a.ticket_name, a.barcode, a.answers,
                a.provider_attendee_id >= 'walk-in:' AND a.provider_attendee_id < 'walk-in;' AS walk_in
         FROM checkins k JOIN attendees a ON a.id = k.attendee_id
         WHERE k.event_id = ? AND k.list_id = 'main' ORDER BY k.at, k.station_id, k.action_id`,
      )
      .iterate(eventId);
    for (const r of rows)
      yield {
        ...toLogEntry(r),
        barcode: r.barcode,
        stationId: r.station_id,
        answers: answersFromColumn(r.answers),
        ...(r.walk_in === 1 ? { walkIn: true } : {}),
      };
  }

  /**
   * The event page's check-in statistics, read off the counts kept with each row (migration 014):
   * a few rows whatever the event's size, so asking again as check-ins arrive costs next to nothing.
   */
  stats(eventId: number): CheckInStats {
    const byTicket = this.cached<[number, number], TicketRow>(
      `SELECT CASE WHEN t.ticketless THEN NULL ELSE t.ticket END AS ticket_name, t.n AS attending,
              coalesce(c.n, 0) AS checked_in
         FROM attendee_tally t
         LEFT JOIN checkin_tally_ticket c ON c.event_id = ? AND c.status = t.status
           AND c.ticketless = t.ticketless AND c.ticket = t.ticket
        WHERE t.event_id = ? AND t.status = 'ATTENDING' AND t.n > 0
        ORDER BY attending DESC, ticket_name`,
    )
      .all(eventId, eventId)
      .map(toTicketStats);
    const cancelled = this.cached<[number], { n: number | null }>(
      `SELECT sum(n) AS n FROM checkin_tally_ticket WHERE event_id = ? AND status = 'NOT_ATTENDING'`,
    ).get(eventId)!.n;
    const slots = this.cached<[number], { slot: string; n: number }>(
      'SELECT slot, n FROM checkin_tally_slot WHERE event_id = ? AND n > 0 ORDER BY slot',
    ).all(eventId);
    return this.statsOf(eventId, byTicket, cancelled ?? 0, slots);
  }

  /** The same figures read from every row, not the kept counts (tests compare the two). */
  recountStats(eventId: number): CheckInStats {
    const byTicket = this.db
      .prepare<[number], TicketRow>(
        `SELECT a.ticket_name, count(*) AS attending, count(c.attendee_id) AS checked_in
         FROM attendees a LEFT JOIN attendee_checkin c ON c.attendee_id = a.id AND c.checked_in = 1
         WHERE a.event_id = ? AND a.status = 'ATTENDING'
         GROUP BY a.ticket_name ORDER BY attending DESC, a.ticket_name`,
      )
      .all(eventId)
      .map(toTicketStats);
    const cancelled = this.db
      .prepare<[number], { n: number }>(
        `SELECT count(*) AS n FROM attendee_checkin c JOIN attendees a ON a.id = c.attendee_id
         WHERE c.event_id = ? AND c.checked_in = 1 AND a.status = 'NOT_ATTENDING'`,
      )
      .get(eventId)!.n;
    // Quarter hours are aligned in every time zone (all UTC offsets are multiples of 15 minutes),
    // so UTC slots read right on the station's clock.
    const slots = this.db
      .prepare<[number], { slot: string; n: number }>(
        `SELECT strftime('%Y-%m-%dT%H:', at) || printf('%02d', (CAST(strftime('%M', at) AS INTEGER) / ${ARRIVAL_SLOT_MINUTES}) * ${ARRIVAL_SLOT_MINUTES}) || ':00.000Z' AS slot,
                count(*) AS n
         FROM attendee_checkin WHERE event_id = ? AND checked_in = 1 GROUP BY slot ORDER BY slot`,
      )
      .all(eventId);
    return this.statsOf(eventId, byTicket, cancelled, slots);
  }

  private statsOf(
    eventId: number,
    byTicket: TicketStats[],
    cancelledAfterCheckIn: number,
    slots: { slot: string; n: number }[],
  ): CheckInStats {
    // The (event_id, checked_in, at) index answers this from its last entry.
    const last = this.cached<[number], { at: string | null }>(
      `SELECT max(at) AS at FROM attendee_checkin WHERE event_id = ? AND checked_in = 1`,
    ).get(eventId)!.at;
    return {
      eventId,
      attending: byTicket.reduce((n, t) => n + t.attending, 0),
      checkedIn: byTicket.reduce((n, t) => n + t.checkedIn, 0),
      cancelledAfterCheckIn,
      byTicket,
      arrivals: fillSlots(slots),
      lastCheckInAt: last,
    };
  }
}

interface TicketRow {
  ticket_name: string | null;
  attending: number;
  checked_in: number;
}

const toTicketStats = (r: TicketRow): TicketStats => ({
  ticketName: r.ticket_name,
  attending: r.attending,
  checkedIn: r.checked_in,
});

/** Slots without arrivals are listed with 0, so a chart shows the quiet quarter hours too. */
function fillSlots(slots: { slot: string; n: number }[]): { slotStart: string; count: number }[] {
  if (slots.length === 0) return [];
  const counts = new Map(slots.map((s) => [s.slot, s.n]));
  const step = ARRIVAL_SLOT_MINUTES * 60_000;
  const first = Date.parse(slots[0]!.slot);
  const last = Date.parse(slots[slots.length - 1]!.slot);
  // A day's worth at most: a log spanning weeks (a multi-day event) keeps only its last day.
  const from = Math.max(first, last - 24 * 3600_000 + step);
  const out: { slotStart: string; count: number }[] = [];
  for (let t = from; t <= last; t += step) {
    const key = new Date(t).toISOString();
    out.push({ slotStart: key, count: counts.get(key) ?? 0 });
  }
  return out;
}
