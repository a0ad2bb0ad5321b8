// The venue's SQL (migration 005): the station's id, the merged check-in log and the state derived
// from it (with each row, a person's presence in the row's check-in list: presence-store.ts), VIP
// entries, print records, entries waiting for their attendee (venue-pending.ts), and the venue
// documents' stored state. Local and remote entries go through the same functions, so every desk derives its
// state from the same rows with the same rules (shared/venue.ts).
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import type { VenueConflict, VipFact } from '../../shared/venue.ts';
import { deriveCheckIn, derivePrints, deriveVip } from '../../shared/venue.ts';
import { MAIN_LIST_ID } from '../../shared/lists.ts';
import { doubleAdmission } from '../../shared/presence.ts';
import { ListStore, type CheckOutRecord } from './list-store.ts';
import { PresenceStore } from './presence-store.ts';
import { PendingEntries } from './venue-pending.ts';
import type { ProviderKind } from '../../shared/types.ts';
import {
  toCheckInRecord,
  checkInFact,
  vipFact,
  printFact,
  toPrintRecord,
  toVipRecord,
  type CheckInRecord,
  type CheckInRow,
  type VipRecord,
  type PrintRecord,
  type VipRow,
  type PrintRow,
} from './venue-rows.ts';

export type {
  CheckInAction,
  CheckInRecord,
  CheckInRow,
  PendingEntry,
  PrintRecord,
  VipRecord,
} from './venue-rows.ts';

export class VenueStore {
  /** This station's id (random, made with the database by migration 005). */
  readonly stationId: string;
  private readonly insertCheckIn: Statement<unknown[], CheckInRow>;
  private readonly checkInsOf: Statement<{ id: number }, CheckInRow>;
  private readonly personOf: Statement<[number], { id: number }>;
  private readonly writeCheckInState: Statement<unknown[]>;
  private readonly insertVip: Statement<unknown[]>;
  private readonly vipOf: Statement<[number], VipRow>;
  private readonly writeVip: Statement<unknown[]>;
  private readonly insertPrint: Statement<unknown[]>;
  private readonly printsOf: Statement<[number], PrintRow>;
  private readonly attendeeByProviderId: Statement<[number, string], { id: number }>;
  /** The event's check-in lists, their check-outs and entries waiting for a list (migration 013). */
  readonly lists: ListStore;
  /** Who is inside each list, derived with every row (shared/presence.ts). */
  readonly presence: PresenceStore;
  /** Remote entries waiting for their attendee. */
  readonly pending: PendingEntries;

  constructor(private readonly db: Db) {
    this.lists = new ListStore(db);
    this.presence = new PresenceStore(db, this.lists, (id) => this.personIdOf(id));
    this.pending = new PendingEntries(db);
    this.stationId = db
      .prepare<[], { station_id: string }>('SELECT station_id FROM venue_station')
      .get()!.station_id;
    this.insertCheckIn = db.prepare(
      `INSERT INTO checkins (action_id, event_id, attendee_id, action, station, station_id, undoes_action_id, at, list_id, override_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (action_id) DO NOTHING RETURNING *`,
    );
    // A person's rows of the main list: their own, and those of every walk-in linked to them
    // (shared/door-entries.ts deriveLinks): a walk-in an admin linked to the provider's record is one
    // person, one admission.
    this.checkInsOf = db.prepare(
      `SELECT * FROM checkins WHERE attendee_id = @id AND list_id = 'main'
       UNION ALL
       SELECT k.* FROM attendees r
         JOIN attendee_door d ON d.event_id = r.event_id AND d.linked_to = r.provider_attendee_id
         JOIN attendees w ON w.event_id = d.event_id AND w.provider_attendee_id = d.provider_attendee_id
         JOIN checkins k ON k.attendee_id = w.id AND k.list_id = 'main'
       WHERE r.id = @id`,
    );
    this.personOf = db.prepare(
      `SELECT r.id FROM attendees w
         JOIN attendee_door d ON d.event_id = w.event_id AND d.provider_attendee_id = w.provider_attendee_id
         JOIN attendees r ON r.event_id = d.event_id AND r.provider_attendee_id = d.linked_to
       WHERE w.id = ?`,
    );
    // An upsert, not INSERT OR REPLACE: a replace deletes the row without its delete triggers, and
    // the statistics' tallies (migration 014) follow each change of this row through its triggers.
    this.writeCheckInState = db.prepare(
      `INSERT INTO attendee_checkin (attendee_id, event_id, checked_in, at, station, last_checkin_id, station_id, admission_stations)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (attendee_id) DO UPDATE SET event_id = excluded.event_id, checked_in = excluded.checked_in,
         at = excluded.at, station = excluded.station, last_checkin_id = excluded.last_checkin_id,
         station_id = excluded.station_id, admission_stations = excluded.admission_stations`,
    );
    this.insertVip = db.prepare(
      `INSERT INTO vip_entries (action_id, event_id, attendee_id, vip, at, station_id, station_name) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (action_id) DO NOTHING`,
    );
    this.vipOf = db.prepare('SELECT * FROM vip_entries WHERE attendee_id = ?');
    this.writeVip = db.prepare(
      `INSERT INTO attendee_local (attendee_id, vip, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (attendee_id) DO UPDATE SET vip = excluded.vip, updated_at = excluded.updated_at`,
    );
    this.insertPrint = db.prepare(
      `INSERT INTO venue_prints (print_id, event_id, attendee_id, kind, at, station_id, station_name, by, reason, job_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.printsOf = db.prepare('SELECT * FROM venue_prints WHERE attendee_id = ?');
    this.attendeeByProviderId = db.prepare(
      'SELECT id FROM attendees WHERE event_id = ? AND provider_attendee_id = ?',
    );
  }

  /** A statement prepared once per SQL text: the venue's calls run per entry, 100,000 at a heal. */
  private cached<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  }
  private readonly statements = new Map<string, Statement>();

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Every event of the mirror by its provider identity (what names its venue document); not those forgotten here. */
  eventKeys(): { eventId: number; provider: ProviderKind; providerEventId: string }[] {
    return this.cached<[], { eventId: number; provider: ProviderKind; providerEventId: string }>(
      'SELECT id AS eventId, provider, provider_event_id AS providerEventId FROM events WHERE forgotten_at IS NULL ORDER BY id',
    ).all();
  }

  /** The local row id of an attendee named by the provider's id, or undefined when not in the mirror (yet). */
  attendeeIdOf(eventId: number, providerAttendeeId: string): number | undefined {
    return this.attendeeByProviderId.get(eventId, providerAttendeeId)?.id;
  }

  providerAttendeeIdOf(attendeeId: number): string | undefined {
    return this.cached<[number], { p: string }>(
      'SELECT provider_attendee_id AS p FROM attendees WHERE id = ?',
    ).get(attendeeId)?.p;
  }

  // ---- check-ins ----

  /**
   * Appends a log row and derives the attendee's state from all of their rows, in the caller's
   * transaction: their presence in the row's list, and for the main list their check-in. A row
   * whose action id is already in the log is ignored (null): the first wins.
   */
  appendCheckIn(
    r: Omit<CheckInRecord, 'id' | 'listId' | 'override'> & { listId?: string; override?: string | null },
  ): CheckInRecord | null {
    const listId = r.listId ?? MAIN_LIST_ID;
    const row = this.insertCheckIn.get(
      r.actionId,
      r.eventId,
      r.attendeeId,
      r.action,
      r.station,
      r.stationId,
      r.undoes,
      r.at,
      listId,
      r.override ?? null,
    );
    if (!row) return null;
    if (listId === MAIN_LIST_ID) this.deriveCheckInState(r.attendeeId, r.eventId);
    this.presence.derive(r.attendeeId, r.eventId, listId);
    this.presence.tally(row);
    return toCheckInRecord(row);
  }

  /** The attendee's entries in force in a list (the stay in progress), earliest first: what an undo takes back. */
  openCheckIns(attendeeId: number, listId: string = MAIN_LIST_ID): CheckInRecord[] {
    const eventId = this.eventOfAttendee(attendeeId);
    if (eventId === undefined) return [];
    if (listId !== MAIN_LIST_ID)
      return this.presence.presenceOf(attendeeId, eventId, listId).stay.map((f) => toCheckInRecord(f.row));
    return this.mainCheckIn(attendeeId, eventId).admissions.map((f) => toCheckInRecord(f.row));
  }

  private eventOfAttendee(attendeeId: number): number | undefined {
    return this.cached<[number], { event_id: number }>('SELECT event_id FROM attendees WHERE id = ?').get(
      attendeeId,
    )?.event_id;
  }

  private mainCheckIn(attendeeId: number, eventId: number) {
    return deriveCheckIn(
      this.checkInsOf.all({ id: attendeeId }).map(checkInFact),
      this.lists.checkOutStamps(eventId, MAIN_LIST_ID),
    );
  }

  /**
   * The attendee whose admission this attendee's check-ins count for: the person a linked walk-in
   * is, else the attendee itself.
   */
  personIdOf(attendeeId: number): number {
    return this.personOf.get(attendeeId)?.id ?? attendeeId;
  }

  /** Derives an attendee's check-in state and presence again (the door linked or unlinked a walk-in). */
  rederiveCheckInState(attendeeId: number, eventId: number): void {
    this.deriveCheckInState(attendeeId, eventId);
    this.presence.deriveAllOf(attendeeId, eventId);
  }

  /**
   * Keeps a check-out of a list (ignored when its id is known) and checks out everyone inside it
   * then, in the caller's transaction. Returns the people it touched, or null when it was known.
   */
  applyCheckOut(r: CheckOutRecord): number[] | null {
    if (!this.lists.putCheckOut(r)) return null;
    const touched = this.presence.checkedOut(r.eventId, r.listId, r.at);
    // The main list's check-in state keeps the arrival; its double admissions may change.
    if (r.listId === MAIN_LIST_ID) for (const id of touched) this.deriveCheckInState(id, r.eventId);
    return touched;
  }

  private deriveCheckInState(attendeeId: number, eventId: number): void {
    const person = this.personIdOf(attendeeId);
    if (person !== attendeeId) {
      // A linked walk-in's check-ins are its person's admission: not checked in as itself.
      const own = this.cached<[number], CheckInRow>(
        'SELECT * FROM checkins WHERE attendee_id = ? ORDER BY at DESC, station_id DESC, action_id DESC LIMIT 1',
      ).get(attendeeId);
      if (own)
        this.writeCheckInState.run(attendeeId, eventId, 0, own.at, own.station, own.id, own.station_id, 0);
      this.deriveCheckInState(person, eventId);
      return;
    }
    const d = this.mainCheckIn(attendeeId, eventId);
    if (d.latest === null) {
      this.cached('DELETE FROM attendee_checkin WHERE attendee_id = ?').run(attendeeId);
      return;
    }
    const row = (d.shown ?? d.latest)!.row;
    // Two or more: a double admission, listed for the admin.
    const stations = d.double
      ? new Set(d.double.map((a) => a.stationId)).size
      : d.admissions.length > 0
        ? 1
        : 0;
    this.writeCheckInState.run(
      attendeeId,
      eventId,
      d.shown ? 1 : 0,
      row.at,
      row.station,
      row.id,
      row.station_id,
      stations,
    );
  }

  checkInByActionId(actionId: string): CheckInRecord | undefined {
    const row = this.cached<[string], CheckInRow>('SELECT * FROM checkins WHERE action_id = ?').get(actionId);
    return row ? toCheckInRecord(row) : undefined;
  }

  /** An event's whole log with the provider's attendee ids, for a venue document. */
  *checkInsOfEvent(eventId: number): Generator<CheckInRecord & { providerAttendeeId: string }> {
    const rows = this.cached<[number], CheckInRow & { provider_attendee_id: string }>(
      'SELECT k.*, a.provider_attendee_id FROM checkins k JOIN attendees a ON a.id = k.attendee_id WHERE k.event_id = ?',
    ).iterate(eventId);
    for (const r of rows) yield { ...toCheckInRecord(r), providerAttendeeId: r.provider_attendee_id };
  }

  // ---- VIP ----

  /** The entry that sets the attendee's flag now, or null. */
  currentVip(attendeeId: number): VipFact | null {
    return deriveVip(this.vipOf.all(attendeeId).map(vipFact));
  }

  /** Appends a VIP entry (ignored when its id is known) and derives the flag; true when new. */
  appendVip(r: VipRecord): boolean {
    if (
      this.insertVip.run(r.actionId, r.eventId, r.attendeeId, r.vip ? 1 : 0, r.at, r.stationId, r.stationName)
        .changes === 0
    )
      return false;
    const winner = this.currentVip(r.attendeeId)!;
    this.writeVip.run(r.attendeeId, winner.vip ? 1 : 0, winner.at);
    return true;
  }

  vipOfEvent(eventId: number): (VipRecord & { providerAttendeeId: string })[] {
    return this.rowsOfEvent('vip_entries', eventId, toVipRecord);
  }

  /** An event's rows of a venue table, with the provider's attendee ids (what a venue document names). */
  private rowsOfEvent<Row, Out>(
    table: 'vip_entries' | 'venue_prints',
    eventId: number,
    to: (r: Row) => Out,
  ): (Out & { providerAttendeeId: string })[] {
    return this.cached<[number], Row & { provider_attendee_id: string }>(
      `SELECT x.*, a.provider_attendee_id FROM ${table} x JOIN attendees a ON a.id = x.attendee_id WHERE x.event_id = ?`,
    )
      .all(eventId)
      .map((r) => ({ ...to(r), providerAttendeeId: r.provider_attendee_id }));
  }

  vipByActionId(actionId: string): VipRecord | undefined {
    const r = this.cached<[string], VipRow>('SELECT * FROM vip_entries WHERE action_id = ?').get(actionId);
    return r ? toVipRecord(r) : undefined;
  }

  // ---- print records ----

  appendPrint(r: PrintRecord): boolean {
    return (
      this.insertPrint.run(
        r.printId,
        r.eventId,
        r.attendeeId,
        r.kind,
        r.at,
        r.stationId,
        r.stationName,
        r.by,
        r.reason,
        r.jobId,
      ).changes === 1
    );
  }

  /** The earliest first print of this attendee anywhere in the venue, or null. */
  firstPrint(attendeeId: number): PrintRecord | null {
    const first = derivePrints(this.printsOf.all(attendeeId).map(printFact)).first;
    return first ? toPrintRecord(first.row) : null;
  }

  printById(printId: string): PrintRecord | undefined {
    const r = this.cached<[string], PrintRow>('SELECT * FROM venue_prints WHERE print_id = ?').get(printId);
    return r ? toPrintRecord(r) : undefined;
  }

  printsOfEvent(eventId: number): (PrintRecord & { providerAttendeeId: string })[] {
    return this.rowsOfEvent('venue_prints', eventId, toPrintRecord);
  }

  /**
   * This station's printed badges that have no record yet (a crash came between the two writes).
   * A badge sent to a print station is the station's to record: it came out of its printer.
   */
  printedJobsWithoutRecord(): {
    jobId: number;
    eventId: number;
    attendeeId: number;
    reason: string;
    requestedBy: string;
    note: string | null;
    printedAt: string;
  }[] {
    return this.cached<
      [],
      {
        jobId: number;
        eventId: number;
        attendeeId: number;
        reason: string;
        requestedBy: string;
        note: string | null;
        printedAt: string;
      }
    >(
      `SELECT j.id AS jobId, j.event_id AS eventId, j.attendee_id AS attendeeId, j.reason, j.requested_by AS requestedBy, j.note,
                coalesce(j.printed_at, j.updated_at) AS printedAt
         FROM print_jobs j
         WHERE j.state = 'printed' AND j.attendee_id IS NOT NULL AND j.event_id IS NOT NULL AND j.reason <> 'test'
           AND j.route <> 'sent'
           AND NOT EXISTS (SELECT 1 FROM venue_prints p WHERE p.job_id = j.id)
         ORDER BY j.id`,
    ).all();
  }

  /**
   * Current check-ins by the station of the check-in shown (the earliest not undone), for every
   * desk that made a check-in of the event (0 where none of its check-ins is in force now): read off
   * the counts kept with each row (migration 014).
   */
  checkedInByDesk(eventId: number): { stationName: string; checkedIn: number }[] {
    return this.cached<[number, number], { stationName: string; checkedIn: number }>(
      `SELECT s.station AS stationName, coalesce(c.n, 0) AS checkedIn
         FROM (SELECT DISTINCT station FROM checkin_stations WHERE event_id = ?) s
         LEFT JOIN checkin_tally_station c ON c.event_id = ? AND c.station = s.station
         ORDER BY checkedIn DESC, stationName`,
    ).all(eventId, eventId);
  }

  /** Whether a check-in of the event was made at another desk (statistics by desk are shown then). */
  checkInsElsewhere(eventId: number): boolean {
    return (
      this.cached<[number, string], { x: number }>(
        `SELECT 1 AS x FROM checkin_stations WHERE event_id = ? AND station_id <> ? LIMIT 1`,
      ).get(eventId, this.stationId) !== undefined
    );
  }

  // ---- what happened twice ----

  /** People with check-ins not undone from two or more stations, with those check-ins. */
  doubleAdmissions(eventId: number): VenueConflict[] {
    return [...this.mainDoubleAdmissions(eventId), ...this.listDoubleAdmissions(eventId)];
  }

  private mainDoubleAdmissions(eventId: number): VenueConflict[] {
    const people = this.cached<[number], { attendee_id: number; full_name: string }>(
      `SELECT c.attendee_id, a.full_name FROM attendee_checkin c JOIN attendees a ON a.id = c.attendee_id
         WHERE c.event_id = ? AND c.admission_stations > 1 ORDER BY c.at, c.attendee_id`,
    ).all(eventId);
    return people.map((p) => ({
      attendeeId: p.attendee_id,
      attendeeName: p.full_name,
      stamps: this.doubleOf(p.attendee_id).map((c) => ({
        at: c.at,
        stationId: c.stationId,
        stationName: c.station,
      })),
    }));
  }

  /** People admitted by two desks in one stay of another list that admits once (or once a day). */
  listDoubleAdmissions(eventId: number): VenueConflict[] {
    const zone = this.lists.zoneOf(eventId);
    return this.presence
      .doubles(eventId)
      .filter((d) => d.listId !== MAIN_LIST_ID)
      .flatMap(({ attendeeId, listId }) => {
        const list = this.lists.list(eventId, listId);
        const entries = list
          ? doubleAdmission(this.presence.presenceOf(attendeeId, eventId, listId), list.rule, zone)
          : null;
        if (!list || !entries) return [];
        return [
          {
            attendeeId,
            attendeeName: this.cached<[number], { n: string }>(
              'SELECT full_name AS n FROM attendees WHERE id = ?',
            ).get(attendeeId)!.n,
            listName: list.name,
            stamps: entries.map((e) => ({ at: e.at, stationId: e.stationId, stationName: e.stationName })),
          },
        ];
      });
  }

  /** The entries of a person's double admission in the main list, earliest first (empty: none). */
  doubleOf(attendeeId: number): CheckInRecord[] {
    const eventId = this.eventOfAttendee(attendeeId);
    if (eventId === undefined) return [];
    return (this.mainCheckIn(attendeeId, eventId).double ?? []).map((f) => toCheckInRecord(f.row));
  }

  /** Badges printed first at two or more stations. */
  doublePrints(eventId: number): VenueConflict[] {
    const people = this.cached<[number], { attendee_id: number; full_name: string }>(
      `SELECT p.attendee_id, a.full_name FROM venue_prints p JOIN attendees a ON a.id = p.attendee_id
         WHERE p.event_id = ? AND p.kind = 'first' GROUP BY p.attendee_id HAVING count(DISTINCT p.station_id) > 1 ORDER BY min(p.at), p.attendee_id`,
    ).all(eventId);
    return people.map((p) => ({
      attendeeId: p.attendee_id,
      attendeeName: p.full_name,
      stamps: (derivePrints(this.printsOf.all(p.attendee_id).map(printFact)).doublePrint ?? []).map((f) => ({
        at: f.at,
        stationId: f.stationId,
        stationName: f.stationName,
      })),
    }));
  }

  // ---- documents ----

  loadDocument(name: string): Uint8Array | null {
    const r = this.cached<[string], { state: Buffer }>(
      'SELECT state FROM venue_documents WHERE name = ?',
    ).get(name);
    return r ? new Uint8Array(r.state.buffer, r.state.byteOffset, r.state.byteLength) : null;
  }

  storeDocument(name: string, state: Uint8Array, now: string): void {
    this.cached(
      'INSERT INTO venue_documents (name, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    ).run(name, Buffer.from(state.buffer, state.byteOffset, state.byteLength), now);
  }
}
