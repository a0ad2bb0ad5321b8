// Who is inside, in SQL (migration 013 list_presence): each person's state in each list, derived
// by the pure rule (shared/presence.ts derivePresence) from their rows of the log and the list's
// check-outs, in the transaction of each row, so counts need no scan of the log. A linked walk-in's
// rows count for the person it is (shared/door-entries.ts deriveLinks). Inside now, per list and for
// the venue (a person inside two lists counts once), is a count over this table.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import type { ListStore } from './list-store.ts';
import { checkInFact, type CheckInRow } from './venue-rows.ts';
import { slotOf } from '../../shared/list-stats.ts';
import type { PassageTally } from '../../shared/ipc-wire.ts';
import { derivePresence, doubleAdmission, type Presence } from '../../shared/presence.ts';
import type { CheckInFact } from '../../shared/venue.ts';

export type PresenceFact = CheckInFact & { row: CheckInRow };

/** Tally changes kept for one push at most; more than this and the chart reads its series again. */
const MAX_UNANNOUNCED = 1_000;

/** What the kept counts need of a person's state in a list. */
interface KeptState {
  inside: number;
  admitted: number;
  /** The ticket type, '' for none. */
  ticket: string;
  attending: number;
}

export class PresenceStore {
  private readonly statements = new Map<string, Statement>();
  private readonly factsOf: Statement<{ id: number; list: string }, CheckInRow>;
  private readonly write: Statement<unknown[]>;

  constructor(
    private readonly db: Db,
    private readonly lists: ListStore,
    /** The attendee whose admission an attendee's rows count for (a linked walk-in's person). */
    private readonly personOf: (attendeeId: number) => number,
  ) {
    this.factsOf = db.prepare(
      `SELECT * FROM checkins WHERE attendee_id = @id AND list_id = @list
       UNION ALL
       SELECT k.* FROM attendees r
         JOIN attendee_door d ON d.event_id = r.event_id AND d.linked_to = r.provider_attendee_id
         JOIN attendees w ON w.event_id = d.event_id AND w.provider_attendee_id = d.provider_attendee_id
         JOIN checkins k ON k.attendee_id = w.id AND k.list_id = @list
       WHERE r.id = @id`,
    );
    this.write = db.prepare(
      `INSERT OR REPLACE INTO list_presence (attendee_id, list_id, event_id, inside, stay_at, stay_station, last_at,
         double_stations, entries, last_entry_at, ticket_name, attending)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

  /** A person's presence in a list now, from their rows (what the desk decides an entry by). */
  presenceOf(personId: number, eventId: number, listId: string): Presence<PresenceFact> {
    return derivePresence(
      this.factsOf.all({ id: personId, list: listId }).map(checkInFact),
      this.lists.checkOutStamps(eventId, listId),
    );
  }

  /** Adds to the kept inside counts (migration 013 list_inside; '*': the venue). */
  private bump(eventId: number, listId: string, delta: number): void {
    if (delta === 0) return;
    this.cached<[number, string, number]>(
      `INSERT INTO list_inside (event_id, list_id, inside) VALUES (?, ?, ?)
       ON CONFLICT (event_id, list_id) DO UPDATE SET inside = inside + excluded.inside`,
    ).run(eventId, listId, delta);
  }

  /** Whether the person is inside another list of the event than this one. */
  private insideElsewhere(personId: number, listId: string): boolean {
    return (
      this.cached<[number, string], { x: number }>(
        'SELECT 1 AS x FROM list_presence WHERE attendee_id = ? AND list_id <> ? AND inside = 1 LIMIT 1',
      ).get(personId, listId) !== undefined
    );
  }

  /**
   * A person's state in a list changes from `was` to `now` (inside or not): the list's count and the
   * venue's (a person inside two lists counts once) follow, in the same transaction.
   */
  private counted(personId: number, eventId: number, listId: string, was: boolean, now: boolean): void {
    if (was === now) return;
    this.bump(eventId, listId, now ? 1 : -1);
    if (!this.insideElsewhere(personId, listId)) this.bump(eventId, '*', now ? 1 : -1);
  }

  /** A person's kept state in a list, as far as the counts need it (null: none kept). */
  private stateOf(personId: number, listId: string): KeptState | null {
    return (
      this.cached<[number, string], KeptState>(
        `SELECT inside, entries > 0 AS admitted, coalesce(ticket_name, '') AS ticket, attending
           FROM list_presence WHERE attendee_id = ? AND list_id = ?`,
      ).get(personId, listId) ?? null
    );
  }

  /** Moves a person between the admitted counts (by list, ticket type and whether attending). */
  private admitted(eventId: number, listId: string, was: KeptState | null, now: KeptState | null): void {
    const key = (k: KeptState) => `${k.ticket}\u0000${k.attending}`;
    if (was?.admitted && now?.admitted && key(was) === key(now)) return;
    const add = (k: KeptState, delta: number) =>
      this.cached(
        `INSERT INTO list_admitted (event_id, list_id, ticket, attending, n) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event_id, list_id, ticket, attending) DO UPDATE SET n = n + excluded.n`,
      ).run(eventId, listId, k.ticket, k.attending, delta);
    if (was?.admitted) add(was, -1);
    if (now?.admitted) add(now, 1);
  }

  private forget(personId: number, eventId: number, listId: string): void {
    const was = this.stateOf(personId, listId);
    this.cached('DELETE FROM list_presence WHERE attendee_id = ? AND list_id = ?').run(personId, listId);
    this.counted(personId, eventId, listId, was?.inside === 1, false);
    this.admitted(eventId, listId, was, null);
  }

  /**
   * Derives an attendee's presence in a list again (a row of theirs came in, a link changed). A linked
   * walk-in holds no presence of its own: its person's is derived.
   */
  derive(attendeeId: number, eventId: number, listId: string): void {
    const person = this.personOf(attendeeId);
    if (person !== attendeeId) {
      this.forget(attendeeId, eventId, listId);
      this.derive(person, eventId, listId);
      return;
    }
    const facts = this.factsOf.all({ id: person, list: listId }).map(checkInFact);
    if (facts.length === 0) {
      this.forget(person, eventId, listId);
      return;
    }
    const checkOuts = this.lists.checkOutStamps(eventId, listId);
    const p = derivePresence(facts, checkOuts);
    const list = this.lists.list(eventId, listId);
    const double = list ? doubleAdmission(p, list.rule, this.lists.zoneOf(eventId)) : null;
    // The latest passage read, check-outs included: a later check-out only changes rows before it.
    let last = facts.reduce((m, f) => (f.at > m ? f.at : m), '');
    const lastCheckOut = checkOuts[checkOuts.length - 1];
    if (lastCheckOut && lastCheckOut.at > last) last = lastCheckOut.at;
    const first = p.stay[0];
    const was = this.stateOf(person, listId);
    const who = this.cached<[number], { ticket: string | null; attending: number }>(
      `SELECT ticket_name AS ticket, status = 'ATTENDING' AS attending FROM attendees WHERE id = ?`,
    ).get(person);
    const now: KeptState = {
      inside: p.inside ? 1 : 0,
      admitted: p.entries.length > 0 ? 1 : 0,
      ticket: who?.ticket ?? '',
      attending: who?.attending ?? 1,
    };
    this.write.run(
      person,
      listId,
      eventId,
      p.inside ? 1 : 0,
      first?.at ?? null,
      first?.stationName ?? null,
      last,
      double ? new Set(double.map((e) => e.stationId)).size : 0,
      p.entries.length,
      p.lastEntry?.at ?? null,
      who?.ticket ?? null,
      now.attending,
    );
    this.counted(person, eventId, listId, was?.inside === 1, p.inside);
    this.admitted(eventId, listId, was, now);
  }

  /** Derives every list presence of an attendee again (a walk-in was linked or unlinked). */
  deriveAllOf(attendeeId: number, eventId: number): void {
    const lists = this.cached<[number, number], { list_id: string }>(
      `SELECT DISTINCT list_id FROM checkins WHERE attendee_id = ?
       UNION SELECT list_id FROM list_presence WHERE attendee_id = ?`,
    ).all(attendeeId, attendeeId);
    for (const { list_id } of lists) this.derive(attendeeId, eventId, list_id);
  }

  /**
   * A check-out at `at` came in: everyone inside whose passages all came before it is outside now
   * (one statement); the few with a passage at or after it, or a double admission it may split, are
   * derived again one by one.
   */
  checkedOut(eventId: number, listId: string, at: string): number[] {
    const exact = this.cached<[number, string, string], { attendee_id: number }>(
      `SELECT attendee_id FROM list_presence WHERE event_id = ? AND list_id = ? AND last_at >= ?
         AND (inside = 1 OR double_stations > 1)`,
    )
      .all(eventId, listId, at)
      .map((r) => r.attendee_id);
    const bulk = this.cached<[number, string, string], { attendee_id: number }>(
      `SELECT attendee_id FROM list_presence WHERE event_id = ? AND list_id = ? AND inside = 1 AND last_at < ?`,
    )
      .all(eventId, listId, at)
      .map((r) => r.attendee_id);
    // The counts follow: everyone out of the list, and out of the venue unless inside another list.
    const leaveVenue = bulk.filter((id) => !this.insideElsewhere(id, listId)).length;
    this.cached<[{ eventId: number; listId: string; at: string }]>(
      `UPDATE list_presence SET inside = 0, stay_at = NULL, stay_station = NULL, last_at = @at
       WHERE event_id = @eventId AND list_id = @listId AND inside = 1 AND last_at < @at`,
    ).run({ eventId, listId, at });
    this.bump(eventId, listId, -bulk.length);
    this.bump(eventId, '*', -leaveVenue);
    for (const id of exact) this.derive(id, eventId, listId);
    return [...bulk, ...exact];
  }

  // ---- the tallies of entries and exits (statistics, pace, the arrivals chart) ----

  /**
   * A row just kept in the log: an entry or exit counts in its list, desk and slot unless an undo
   * already names it (one that came first, from another desk); an undo, the first to name an entry or
   * exit, takes that one out. So the tallies are those of the entries and exits not undone, in any order.
   */
  tally(row: CheckInRow): void {
    if (row.action !== 'undo') {
      const undone = this.cached<[string], { x: number }>(
        'SELECT 1 AS x FROM checkins WHERE undoes_action_id = ? LIMIT 1',
      ).get(row.action_id);
      if (!undone) this.addTally(row, 1);
      return;
    }
    if (row.undoes_action_id === null) return;
    const undos = this.cached<[string], { n: number }>(
      'SELECT count(*) AS n FROM checkins WHERE undoes_action_id = ?',
    ).get(row.undoes_action_id)!.n;
    if (undos !== 1) return;
    const target = this.cached<[string], CheckInRow>('SELECT * FROM checkins WHERE action_id = ?').get(
      row.undoes_action_id,
    );
    if (target && target.action !== 'undo' && target.event_id === row.event_id) this.addTally(target, -1);
  }

  /** The tallies' changes not announced yet, by event (drainTallies). */
  private readonly unannounced = new Map<number, { tallies: PassageTally[]; complete: boolean }>();

  /** The tallies' changes since the last call, for the push that moves the charts. */
  drainTallies(eventId: number): { tallies: PassageTally[]; complete: boolean } {
    const out = this.unannounced.get(eventId) ?? { tallies: [], complete: true };
    this.unannounced.delete(eventId);
    return out;
  }

  private addTally(row: CheckInRow, delta: number): void {
    const kept = this.unannounced.get(row.event_id) ?? { tallies: [], complete: true };
    // Bounded: a heal of thousands of entries is read whole by the chart instead.
    if (kept.tallies.length >= MAX_UNANNOUNCED) kept.complete = false;
    else
      kept.tallies.push({
        listId: row.list_id,
        stationId: row.station_id,
        stationName: row.station,
        slot: slotOf(row.at),
        action: row.action as PassageTally['action'],
        delta,
      });
    this.unannounced.set(row.event_id, kept);
    this.cached(
      `INSERT INTO list_tally (event_id, list_id, station_id, slot, action, station, n, overrides)
       VALUES (@event, @list, @stationId, @slot, @action, @station, @delta, @overrides)
       ON CONFLICT (event_id, list_id, station_id, slot, action) DO UPDATE SET
         n = n + excluded.n, overrides = overrides + excluded.overrides, station = excluded.station`,
    ).run({
      event: row.event_id,
      list: row.list_id,
      stationId: row.station_id,
      slot: slotOf(row.at),
      action: row.action,
      station: row.station,
      delta,
      overrides: row.override_reason !== null ? delta : 0,
    });
  }

  // ---- what the desk and the statistics read ----

  /** People inside a list now (the kept count). */
  insideCount(eventId: number, listId: string): number {
    return (
      this.cached<[number, string], { n: number }>(
        'SELECT inside AS n FROM list_inside WHERE event_id = ? AND list_id = ?',
      ).get(eventId, listId)?.n ?? 0
    );
  }

  /** People inside any list of the event now: a person inside two lists counts once. */
  venueInsideCount(eventId: number): number {
    return this.insideCount(eventId, '*');
  }

  /** Inside now in each list of the event that anyone passed through. */
  insideByList(eventId: number): Map<string, number> {
    return new Map(
      this.cached<[number], { list_id: string; n: number }>(
        `SELECT list_id, inside AS n FROM list_inside WHERE event_id = ? AND list_id <> '*'`,
      )
        .all(eventId)
        .map((r) => [r.list_id, r.n]),
    );
  }

  /** The same counts read from every person's state, not the kept ones (tests compare the two). */
  recount(eventId: number): { lists: Map<string, number>; venue: number } {
    const lists = new Map(
      this.cached<[number], { list_id: string; n: number }>(
        'SELECT list_id, sum(inside) AS n FROM list_presence WHERE event_id = ? GROUP BY list_id',
      )
        .all(eventId)
        .map((r) => [r.list_id, r.n]),
    );
    const venue = this.cached<[number], { n: number }>(
      'SELECT count(DISTINCT attendee_id) AS n FROM list_presence WHERE event_id = ? AND inside = 1',
    ).get(eventId)!.n;
    return { lists, venue };
  }

  /** People admitted by two desks in one stay of a list that admits once, by list. */
  doubles(eventId: number): { attendeeId: number; listId: string }[] {
    return this.cached<[number], { attendee_id: number; list_id: string }>(
      `SELECT attendee_id, list_id FROM list_presence WHERE event_id = ? AND double_stations > 1 ORDER BY list_id, attendee_id`,
    )
      .all(eventId)
      .map((r) => ({ attendeeId: r.attendee_id, listId: r.list_id }));
  }
}
