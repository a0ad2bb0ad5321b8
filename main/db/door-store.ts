// The door's SQL (migration 012): its entries (walk-ins, corrections, notes, flags, links, the
// walk-in setting, confirmations), each person's door state derived from them, walk-ins' rows in
// `attendees`, the search over corrected names, and what the admin reviews. Local and remote entries
// go through the same functions, so every desk derives the same state with the same rules
// (shared/door-entries.ts). Never writes a provider's row: a walk-in's row is the desk's own.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import { AttendeeRowsById } from './attendee-store.ts';
import type { VenueStore } from './venue-store.ts';
import type { Attendee } from '../../shared/types.ts';
import {
  EVENT_SUBJECT,
  deriveLinks,
  latestStamped,
  ticketSubject,
  type CorrectionEntry,
  type DoorEntryOf,
  type DoorMapName,
  type DoorSettingEntry,
  type FlagEntry,
  type LinkEntry,
  type NoteEntry,
  type WalkInEntry,
} from '../../shared/door-entries.ts';
import {
  LINKED_WALK_IN_STATUS,
  WALK_IN_ID_PREFIX,
  WALK_IN_STATUS,
  fullNameOf,
  type WalkInSummary,
} from '../../shared/door.ts';

/** An entry as door_entries holds it, with the stamp every rule orders by. */
export interface StoredDoorEntry<M extends DoorMapName = DoorMapName> {
  map: M;
  id: string;
  eventId: number;
  subject: string;
  at: string;
  stationId: string;
  entry: DoorEntryOf<M>;
}

interface EntryRow {
  map: DoorMapName;
  entry_id: string;
  event_id: number;
  subject: string;
  at: string;
  station_id: string;
  entry: string;
}

const toStored = <M extends DoorMapName>(r: EntryRow): StoredDoorEntry<M> => ({
  map: r.map as M,
  id: r.entry_id,
  eventId: r.event_id,
  subject: r.subject,
  at: r.at,
  stationId: r.station_id,
  entry: JSON.parse(r.entry) as DoorEntryOf<M>,
});

/** Walk-ins' attendee ids sort between these two: an index range over (event_id, provider_attendee_id). */
const WALK_IN_FROM = WALK_IN_ID_PREFIX;
const WALK_IN_TO = `${WALK_IN_ID_PREFIX.slice(0, -1)};`;
/** Members of an order read at most: far above a real order, a bound on a check-in's read. */
const MAX_ORDER_MEMBERS = 50;

export class DoorStore {
  private readonly rowsById: AttendeeRowsById;
  private readonly insertEntry: Statement<unknown[]>;
  private readonly entryById: Statement<[string, string], EntryRow>;
  private readonly entriesOf: Statement<[number, string, string], EntryRow>;
  private readonly upsertPerson: Statement<unknown[]>;
  private readonly insertWalkInRow: Statement<unknown[]>;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    /** The check-in log's derived state: a link makes two attendees one person. */
    private readonly venue: VenueStore,
  ) {
    this.rowsById = new AttendeeRowsById(db);
    this.insertEntry = db.prepare(
      `INSERT INTO door_entries (map, entry_id, event_id, subject, at, station_id, entry) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (map, entry_id) DO NOTHING`,
    );
    this.entryById = db.prepare('SELECT * FROM door_entries WHERE map = ? AND entry_id = ?');
    this.entriesOf = db.prepare('SELECT * FROM door_entries WHERE event_id = ? AND map = ? AND subject = ?');
    this.upsertPerson = db.prepare(
      `INSERT INTO attendee_door (event_id, provider_attendee_id, badge_first_name, badge_last_name, badge_full_name, badge_company,
         base_full_name, base_company, corrected_at, corrected_by, note, attention)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (event_id, provider_attendee_id) DO UPDATE SET
         badge_first_name = excluded.badge_first_name, badge_last_name = excluded.badge_last_name,
         badge_full_name = excluded.badge_full_name, badge_company = excluded.badge_company,
         base_full_name = excluded.base_full_name, base_company = excluded.base_company,
         corrected_at = excluded.corrected_at, corrected_by = excluded.corrected_by,
         note = excluded.note, attention = excluded.attention`,
    );
    // A walk-in's row: its columns come from its entry, never from a provider (change_seq 0: no sync made it).
    this.insertWalkInRow = db.prepare(
      `INSERT INTO attendees (event_id, provider_attendee_id, first_name, last_name, full_name, email, company,
         provider_company, ticket_name, status, provider_status, provider_checked_in, registered_at, synced_at,
         change_seq, inserted_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ATTENDING', ?, 0, ?, ?, 0, 0)
       ON CONFLICT (event_id, provider_attendee_id) DO NOTHING`,
    );
  }

  private cached<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as unknown as Statement<P, R>;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- entries ----

  /** Keeps a validated entry; false when its id was already kept (the first wins; the caller compares). */
  putEntry(e: StoredDoorEntry): boolean {
    return (
      this.insertEntry.run(e.map, e.id, e.eventId, e.subject, e.at, e.stationId, JSON.stringify(e.entry))
        .changes === 1
    );
  }

  entry<M extends DoorMapName>(map: M, id: string): StoredDoorEntry<M> | undefined {
    const r = this.entryById.get(map, id);
    return r ? toStored<M>(r) : undefined;
  }

  entriesOfSubject<M extends DoorMapName>(eventId: number, map: M, subject: string): StoredDoorEntry<M>[] {
    return this.entriesOf.all(eventId, map, subject).map((r) => toStored<M>(r));
  }

  /** Every entry of an event (a venue document's reconcile). */
  entriesOfEvent(eventId: number): StoredDoorEntry[] {
    return this.cached<[number], EntryRow>('SELECT * FROM door_entries WHERE event_id = ?')
      .all(eventId)
      .map((r) => toStored(r));
  }

  /** The entry in force for a subject of a map (shared/door-entries.ts latestStamped). */
  current<M extends DoorMapName>(eventId: number, map: M, subject: string): StoredDoorEntry<M> | null {
    return latestStamped(this.entriesOfSubject(eventId, map, subject));
  }

  /**
   * Keeps a validated entry and derives what it changes, in the caller's transaction: the one path of
   * local and remote entries alike. Returns null when its id was already kept (nothing changes), else
   * the attendees whose rows changed and those whose check-in state was derived again.
   */
  apply(e: StoredDoorEntry, now: string): { attendeeIds: number[]; checkInsChanged: number[] } | null {
    if (!this.putEntry(e)) return null;
    const rowOf = (pid: string) => this.attendeeIdOf(e.eventId, pid);
    const rows = (pids: readonly string[]) => pids.map(rowOf).filter((id): id is number => id !== undefined);
    switch (e.map) {
      case 'walkIns': {
        const id = this.writeWalkIn(e.eventId, e.subject, e.entry as WalkInEntry, now);
        // Links to it may have come first: it takes its place (and its person's admission) now.
        const touched = rows(this.deriveLinks(e.eventId, [e.subject]));
        for (const t of touched) this.venue.rederiveCheckInState(t, e.eventId);
        return { attendeeIds: [...new Set([id, ...touched])], checkInsChanged: touched };
      }
      case 'links': {
        const touched = rows(this.deriveLinks(e.eventId));
        for (const t of touched) this.venue.rederiveCheckInState(t, e.eventId);
        return { attendeeIds: touched, checkInsChanged: touched };
      }
      case 'notes':
        if ((e.entry as NoteEntry).ticketName !== undefined) {
          this.deriveTicketNote(e.eventId, (e.entry as NoteEntry).ticketName!);
          return { attendeeIds: [], checkInsChanged: [] };
        }
        this.derivePerson(e.eventId, e.subject);
        return { attendeeIds: rows([e.subject]), checkInsChanged: [] };
      case 'corrections':
      case 'flags':
        this.derivePerson(e.eventId, e.subject);
        return { attendeeIds: rows([e.subject]), checkInsChanged: [] };
      case 'doorSettings':
      case 'confirmations':
        return { attendeeIds: [], checkInsChanged: [] };
    }
  }

  /**
   * Derives again what joins attendees that arrived in the mirror after their entries (a roster
   * chunk, a sync): links to or from them. Returns the attendees whose check-in state changed.
   */
  attendeesArrived(eventId: number): number[] {
    // Linked walk-ins whose row or check-in state does not say so yet: the walk-in or its person
    // reached the mirror after the link (few rows: the partial index of linked walk-ins).
    const stale = this.cached<[number], { walk_in: number; root: number; status: string }>(
      `SELECT w.id AS walk_in, r.id AS root, w.status FROM attendee_door d
         JOIN attendees w ON w.event_id = d.event_id AND w.provider_attendee_id = d.provider_attendee_id
         JOIN attendees r ON r.event_id = d.event_id AND r.provider_attendee_id = d.linked_to
       WHERE d.event_id = ? AND d.linked_to IS NOT NULL
         AND (w.status = 'ATTENDING' OR EXISTS (SELECT 1 FROM attendee_checkin c WHERE c.attendee_id = w.id AND c.checked_in = 1))`,
    ).all(eventId);
    const changed: number[] = [];
    for (const p of stale) {
      if (p.status === 'ATTENDING')
        this.cached(`UPDATE attendees SET status = 'NOT_ATTENDING', provider_status = ? WHERE id = ?`).run(
          LINKED_WALK_IN_STATUS,
          p.walk_in,
        );
      this.venue.rederiveCheckInState(p.walk_in, eventId);
      changed.push(p.walk_in, p.root);
    }
    return changed;
  }

  // ---- derived state ----

  /** Recomputes a person's correction, note and flag from their entries. */
  derivePerson(eventId: number, providerAttendeeId: string): void {
    const correction = this.current(eventId, 'corrections', providerAttendeeId)?.entry as
      CorrectionEntry | undefined;
    const corrected = correction?.badge ?? null;
    const note = this.current(eventId, 'notes', providerAttendeeId)?.entry as NoteEntry | undefined;
    const flag = this.current(eventId, 'flags', providerAttendeeId)?.entry as FlagEntry | undefined;
    this.upsertPerson.run(
      eventId,
      providerAttendeeId,
      corrected?.firstName ?? null,
      corrected?.lastName ?? null,
      corrected ? fullNameOf(corrected.firstName, corrected.lastName) : null,
      corrected?.company ?? null,
      corrected ? correction!.base.fullName : null,
      corrected ? correction!.base.company : null,
      corrected ? correction!.at : null,
      corrected ? correction!.stationName : null,
      note?.text ?? null,
      flag?.reason ?? null,
    );
  }

  /** Recomputes a ticket type's note. */
  deriveTicketNote(eventId: number, ticketName: string): void {
    const note = this.current(eventId, 'notes', ticketSubject(ticketName))?.entry as NoteEntry | undefined;
    if (note?.text)
      this.cached(
        'INSERT INTO ticket_door (event_id, ticket_name, note) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET note = excluded.note',
      ).run(eventId, ticketName, note.text);
    else
      this.cached('DELETE FROM ticket_door WHERE event_id = ? AND ticket_name = ?').run(eventId, ticketName);
  }

  /**
   * Recomputes who each walk-in of the event is (its links, shared/door-entries.ts deriveLinks) and
   * marks a linked walk-in's row as such. Returns the provider ids whose person changed: the walk-ins
   * and the people they were, or now are, linked to (their check-in state is derived again).
   */
  deriveLinks(eventId: number, refresh: readonly string[] = []): string[] {
    const facts = this.cached<[number], EntryRow>(
      `SELECT * FROM door_entries WHERE event_id = ? AND map = 'links'`,
    )
      .all(eventId)
      .map((r) => toStored<'links'>(r))
      .map((s) => ({ ...(s.entry as LinkEntry), id: s.id }));
    const links = deriveLinks(facts);
    const before = new Map(
      this.cached<[number], { p: string; l: string }>(
        'SELECT provider_attendee_id AS p, linked_to AS l FROM attendee_door WHERE event_id = ? AND linked_to IS NOT NULL',
      )
        .all(eventId)
        .map((r) => [r.p, r.l]),
    );
    const touched = new Set<string>();
    for (const walkIn of new Set([...before.keys(), ...links.keys()])) {
      const old = before.get(walkIn) ?? null;
      const root = links.get(walkIn) ?? null;
      if (old === root && !refresh.includes(walkIn)) continue;
      touched.add(walkIn);
      if (old !== null) touched.add(old);
      if (root !== null) touched.add(root);
      this.cached(
        `INSERT INTO attendee_door (event_id, provider_attendee_id, linked_to) VALUES (?, ?, ?)
         ON CONFLICT (event_id, provider_attendee_id) DO UPDATE SET linked_to = excluded.linked_to`,
      ).run(eventId, walkIn, root);
      // A linked walk-in is not a second person: not attending as itself (its admission is its person's).
      this.cached(
        `UPDATE attendees SET status = ?, provider_status = ? WHERE event_id = ? AND provider_attendee_id = ?`,
      ).run(
        root === null ? 'ATTENDING' : 'NOT_ATTENDING',
        root === null ? WALK_IN_STATUS : LINKED_WALK_IN_STATUS,
        eventId,
        walkIn,
      );
    }
    return [...touched];
  }

  /** Whether the event takes walk-ins now (an admin may turn them off; on by default). */
  walkInsEnabled(eventId: number): boolean {
    const s = this.current(eventId, 'doorSettings', EVENT_SUBJECT)?.entry as DoorSettingEntry | undefined;
    return s?.walkIns ?? true;
  }

  // ---- walk-ins ----

  /** Writes a walk-in's row from its entry; returns its attendee id (the row may exist already). */
  writeWalkIn(eventId: number, walkInId: string, e: WalkInEntry, now: string): number {
    this.insertWalkInRow.run(
      eventId,
      walkInId,
      e.firstName,
      e.lastName,
      fullNameOf(e.firstName, e.lastName),
      e.email,
      e.company,
      // The company line's own source (an event's company question has no answer of a walk-in's to read).
      e.company,
      e.ticketName,
      WALK_IN_STATUS,
      e.at,
      now,
    );
    return this.attendeeIdOf(eventId, walkInId)!;
  }

  attendeeIdOf(eventId: number, providerAttendeeId: string): number | undefined {
    return this.cached<[number, string], { id: number }>(
      'SELECT id FROM attendees WHERE event_id = ? AND provider_attendee_id = ?',
    ).get(eventId, providerAttendeeId)?.id;
  }

  /**
   * The event's ticket types as its attendees hold them (the choices of a walk-in's ticket, asked at
   * every walk-in): one seek per name in migration 007's (event_id, ticket_name, …) index, not a
   * walk over the event's 100,000 entries (3 ms at 50,000).
   */
  ticketNames(eventId: number): string[] {
    this.ticketNamesOf ??= this.db.prepare<{ e: number }, { t: string }>(
      `WITH RECURSIVE names(t) AS (
           SELECT min(ticket_name) FROM attendees WHERE event_id = @e AND ticket_name IS NOT NULL
           UNION ALL
           SELECT (SELECT min(ticket_name) FROM attendees WHERE event_id = @e AND ticket_name > names.t)
           FROM names WHERE names.t IS NOT NULL
         )
         SELECT t FROM names WHERE t IS NOT NULL`,
    );
    return this.ticketNamesOf.all({ e: eventId }).map((r) => r.t);
  }
  private ticketNamesOf: Statement<{ e: number }, { t: string }> | undefined;

  /** The event's walk-ins not linked to another person, in the order they were registered. */
  walkIns(eventId: number): WalkInSummary[] {
    return this.cached<
      [number, string, string],
      { id: number; full_name: string; email: string | null; at: string; entry: string }
    >(
      `SELECT a.id, a.full_name, a.email, e.at, e.entry FROM attendees a
         JOIN door_entries e ON e.map = 'walkIns' AND e.entry_id = a.provider_attendee_id
         LEFT JOIN attendee_door d ON d.event_id = a.event_id AND d.provider_attendee_id = a.provider_attendee_id
       WHERE a.event_id = ? AND a.provider_attendee_id >= ? AND a.provider_attendee_id < ? AND d.linked_to IS NULL
       ORDER BY e.at, a.id`,
    )
      .all(eventId, WALK_IN_FROM, WALK_IN_TO)
      .map((r) => ({
        attendeeId: r.id,
        fullName: r.full_name,
        email: r.email,
        at: r.at,
        stationName: (JSON.parse(r.entry) as WalkInEntry).stationName,
      }));
  }

  /** Attendees of the event with this email (any case) who are not walk-ins: the provider's record of a walk-in. */
  providerPeopleWithEmail(eventId: number, email: string): { id: number; fullName: string }[] {
    const phrase = `email : "${email.replace(/"/g, '""')}"`;
    return this.cached<[string, number], { id: number; full_name: string; email: string | null; p: string }>(
      `SELECT a.id, a.full_name, a.email, a.provider_attendee_id AS p FROM attendee_search s JOIN attendees a ON a.id = s.rowid
       WHERE attendee_search MATCH ? AND a.event_id = ? LIMIT 20`,
    )
      .all(phrase, eventId)
      .filter((r) => !r.p.startsWith(WALK_IN_ID_PREFIX) && r.email?.toLowerCase() === email.toLowerCase())
      .map((r) => ({ id: r.id, fullName: r.full_name }));
  }

  /** Walk-ins of the event: how many, and how many are checked in now. */
  walkInCounts(eventId: number): { registered: number; checkedIn: number } {
    const r = this.cached<[number, string, string], { n: number; c: number | null }>(
      `SELECT count(*) AS n, sum(c.checked_in) AS c FROM attendees a
         LEFT JOIN attendee_checkin c ON c.attendee_id = a.id
       WHERE a.event_id = ? AND a.provider_attendee_id >= ? AND a.provider_attendee_id < ? AND a.status = 'ATTENDING'`,
    ).get(eventId, WALK_IN_FROM, WALK_IN_TO)!;
    return { registered: r.n, checkedIn: r.c ?? 0 };
  }

  /** Walk-ins linked to another person: counted once, as that person (not among the cancelled). */
  linkedWalkInCount(eventId: number): number {
    return this.cached<[number], { n: number }>(
      'SELECT count(*) AS n FROM attendee_door WHERE event_id = ? AND linked_to IS NOT NULL',
    ).get(eventId)!.n;
  }

  // ---- search and reads ----

  /** Attendees whose corrected name or company matches (an FTS5 expression from search-text.ts). */
  correctedMatches(eventId: number, match: string, limit: number): Attendee[] {
    const ids = this.cached<[string, number, number], { id: number }>(
      `SELECT a.id FROM door_search s JOIN attendee_door d ON d.id = s.rowid
         JOIN attendees a ON a.event_id = d.event_id AND a.provider_attendee_id = d.provider_attendee_id
       WHERE door_search MATCH ? AND d.event_id = ? AND d.corrected_at IS NOT NULL ORDER BY s.rank LIMIT ?`,
    )
      .all(match, eventId, limit)
      .map((r) => r.id);
    return this.rowsById.get(ids);
  }

  /**
   * The people of an order, asked at every check-in: one seek in migration 012's (event_id, order_id)
   * index, and their rows read only when the order has several (nine orders in ten have one).
   */
  orderMembers(eventId: number, orderId: string): Attendee[] {
    const ids = this.cached<[number, string], number>(
      `SELECT id FROM attendees INDEXED BY attendees_by_event_order WHERE event_id = ? AND order_id = ?
       ORDER BY id LIMIT ${MAX_ORDER_MEMBERS}`,
    )
      .pluck()
      .all(eventId, orderId);
    return ids.length < 2 ? [] : this.rowsById.get(ids);
  }

  attendees(ids: readonly number[]): Attendee[] {
    return this.rowsById.get(ids);
  }
}
