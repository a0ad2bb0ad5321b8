// The SQL of the event page's attendee list: orders and filter sets as lists of ids, each read
// from an index (nothing here sorts the event), and full rows for a page of ids. Reads only.
// How they combine into a page is main/desk/attendee-list.ts.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import { AttendeeRowsById } from './attendee-store.ts';
import type { Attendee, AttendeeStatus } from '../../shared/types.ts';

export class AttendeeListStore {
  private readonly rowsById;
  private readonly inNameOrder;
  private readonly pageByName;
  private readonly pageByNameDesc;
  private readonly countOf;
  private readonly ticketNamesOf;
  private readonly withTicket;
  private readonly withStatus;
  private readonly checkedIn;
  private readonly vips;
  private readonly matching;
  private readonly matchingCorrected;
  private readonly maxId;

  constructor(private readonly db: Db) {
    this.rowsById = new AttendeeRowsById(db);
    // Migration 004's index, covering: no row is read. Named, because two indexes now start with
    // event_id and statistics (ANALYZE) that know only one of them made the planner take the ticket
    // index and sort the event: 60 ms a page instead of 2.
    this.inNameOrder = db
      .prepare<[number], number>(
        'SELECT id FROM attendees INDEXED BY attendees_by_event_name WHERE event_id = ? ORDER BY full_name COLLATE NOCASE, id',
      )
      .pluck();
    // The same index walked to an offset, for one page: no list of the whole event is made.
    this.pageByName = db
      .prepare<[number, number, number], number>(
        'SELECT id FROM attendees INDEXED BY attendees_by_event_name WHERE event_id = ? ORDER BY full_name COLLATE NOCASE, id LIMIT ? OFFSET ?',
      )
      .pluck();
    this.pageByNameDesc = db
      .prepare<[number, number, number], number>(
        'SELECT id FROM attendees INDEXED BY attendees_by_event_name WHERE event_id = ? ORDER BY full_name COLLATE NOCASE DESC, id DESC LIMIT ? OFFSET ?',
      )
      .pluck();
    this.countOf = db.prepare<[number], number>('SELECT count(*) FROM attendees WHERE event_id = ?').pluck();
    // Migration 006's index: its distinct ticket names (a skip over the index), then one group in name order.
    this.ticketNamesOf = db
      .prepare<[number], string | null>(
        'SELECT DISTINCT ticket_name FROM attendees WHERE event_id = ? ORDER BY ticket_name',
      )
      .pluck();
    this.withTicket = db
      .prepare<[number, string | null], number>(
        'SELECT id FROM attendees INDEXED BY attendees_by_event_ticket_name WHERE event_id = ? AND ticket_name IS ? ORDER BY full_name COLLATE NOCASE, id',
      )
      .pluck();
    // Migration 002's (event_id, status, ticket_name) index, covering; in no particular order.
    this.withStatus = db
      .prepare<[number, AttendeeStatus], number>('SELECT id FROM attendees WHERE event_id = ? AND status = ?')
      .pluck();
    // attendee_checkin's (event_id, checked_in, at) index, covering (attendee_id is its rowid).
    this.checkedIn = db
      .prepare<[number], number>(
        'SELECT attendee_id FROM attendee_checkin WHERE event_id = ? AND checked_in = 1 ORDER BY at, attendee_id',
      )
      .pluck();
    this.vips = db
      .prepare<[number], number>(
        'SELECT l.attendee_id FROM attendee_local l JOIN attendees a ON a.id = l.attendee_id WHERE l.vip = 1 AND a.event_id = ?',
      )
      .pluck();
    // Every event's matches: the caller keeps those of its event (a membership test it makes anyway).
    this.matching = db
      .prepare<[string], number>('SELECT rowid FROM attendee_search WHERE attendee_search MATCH ?')
      .pluck();
    // A corrected badge name or company matches too (migration 012's door_search).
    this.matchingCorrected = db
      .prepare<[string], number>(
        `SELECT a.id FROM door_search s JOIN attendee_door d ON d.id = s.rowid
           JOIN attendees a ON a.event_id = d.event_id AND a.provider_attendee_id = d.provider_attendee_id
         WHERE door_search MATCH ? AND d.corrected_at IS NOT NULL`,
      )
      .pluck();
    this.maxId = db.prepare<[], number | null>('SELECT max(id) FROM attendees').pluck();
  }

  /** Every attendee of the event by name (case-folded as the index folds it), then id. */
  idsByName(eventId: number): number[] {
    return this.inNameOrder.all(eventId);
  }

  /** One page of idsByName (or of its reverse), read by walking the index to the offset. */
  idsByNamePage(eventId: number, descending: boolean, page: { offset: number; limit: number }): number[] {
    return (descending ? this.pageByNameDesc : this.pageByName).all(eventId, page.limit, page.offset);
  }

  attendeeCount(eventId: number): number {
    return this.countOf.get(eventId) ?? 0;
  }

  /** The event's ticket names in ascending order, null (no ticket type) first. */
  ticketNames(eventId: number): (string | null)[] {
    return this.ticketNamesOf.all(eventId);
  }

  /** The attendees holding this ticket (null: none), by name, then id. */
  idsWithTicket(eventId: number, ticketName: string | null): number[] {
    return this.withTicket.all(eventId, ticketName);
  }

  idsWithStatus(eventId: number, status: AttendeeStatus): number[] {
    return this.withStatus.all(eventId, status);
  }

  /** The attendees checked in now, by the time of their check-in (earliest first), then id. */
  idsCheckedInByTime(eventId: number): number[] {
    return this.checkedIn.all(eventId);
  }

  /** The event's walk-ins (their ids sort in one range of the unique provider-id index). */
  walkInIds(eventId: number): number[] {
    this.walkIns ??= this.db
      .prepare<[number], number>(
        `SELECT id FROM attendees WHERE event_id = ? AND provider_attendee_id >= 'walk-in:' AND provider_attendee_id < 'walk-in;'`,
      )
      .pluck();
    return this.walkIns.all(eventId);
  }
  private walkIns: Statement<[number], number> | undefined;

  /** People admitted at two desks or more (migration 006's partial index over admission_stations > 1). */
  admittedTwiceIds(eventId: number): number[] {
    this.admittedTwice ??= this.db
      .prepare<[number], number>(
        'SELECT attendee_id FROM attendee_checkin WHERE event_id = ? AND admission_stations > 1',
      )
      .pluck();
    return this.admittedTwice.all(eventId);
  }
  private admittedTwice: Statement<[number], number> | undefined;

  vipIds(eventId: number): number[] {
    return this.vips.all(eventId);
  }

  /** Rows of any event matching an FTS5 expression (build it with toMatchExpression: typed text is never syntax). */
  idsMatching(match: string): number[] {
    const ids = this.matching.all(match);
    const corrected = this.matchingCorrected.all(match);
    if (corrected.length === 0) return ids;
    const seen = new Set(ids);
    return [...ids, ...corrected.filter((id) => !seen.has(id))];
  }

  /** The largest attendee id (0 for none): the size of a membership table over ids. */
  maxAttendeeId(): number {
    return this.maxId.get() ?? 0;
  }

  rows(ids: readonly number[]): Attendee[] {
    return this.rowsById.get(ids);
  }
}
