// Who is inside, in SQL (migration 013 list_presence): each person's state in each list, derived
// by the pure rule (shared/presence.ts derivePresence) from their rows of the log and the list's
// check-outs, in the transaction of each row, so counts need no scan of the log. A linked walk-in's
// rows count for the person it is (shared/door-entries.ts deriveLinks). Inside now, per list and for
// the venue (a person inside two lists counts once), is a count over this table.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import type { ListStore } from './list-store.ts';
import { checkInFact, type CheckInRow } from './venue-rows.ts';
import { derivePresence, doubleAdmission, type Presence } from '../../shared/presence.ts';
import type { CheckInFact } from '../../shared/venue.ts';

export type PresenceFact = CheckInFact & { row: CheckInRow };

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
         double_stations, entries, last_entry_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

  /**
   * Derives an attendee's presence in a list again (a row of theirs came in, a link changed). A linked
   * walk-in holds no presence of its own: its person's is derived.
   */
  derive(attendeeId: number, eventId: number, listId: string): void {
    const person = this.personOf(attendeeId);
    if (person !== attendeeId) {
      this.cached('DELETE FROM list_presence WHERE attendee_id = ? AND list_id = ?').run(attendeeId, listId);
      this.derive(person, eventId, listId);
      return;
    }
    const facts = this.factsOf.all({ id: person, list: listId }).map(checkInFact);
    if (facts.length === 0) {
      this.cached('DELETE FROM list_presence WHERE attendee_id = ? AND list_id = ?').run(person, listId);
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
    );
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
    this.cached<[{ eventId: number; listId: string; at: string }]>(
      `UPDATE list_presence SET inside = 0, stay_at = NULL, stay_station = NULL, last_at = @at
       WHERE event_id = @eventId AND list_id = @listId AND inside = 1 AND last_at < @at`,
    ).run({ eventId, listId, at });
    for (const id of exact) this.derive(id, eventId, listId);
    return [...bulk, ...exact];
  }

  // ---- what the desk and the statistics read ----

  /** People inside a list now. */
  insideCount(eventId: number, listId: string): number {
    return this.cached<[number, string], { n: number }>(
      'SELECT count(*) AS n FROM list_presence WHERE event_id = ? AND list_id = ? AND inside = 1',
    ).get(eventId, listId)!.n;
  }

  /** People inside any list of the event now: a person inside two lists counts once. */
  venueInsideCount(eventId: number): number {
    return this.cached<[number], { n: number }>(
      'SELECT count(DISTINCT attendee_id) AS n FROM list_presence WHERE event_id = ? AND inside = 1',
    ).get(eventId)!.n;
  }

  /** Inside now in each list of the event that anyone passed through. */
  insideByList(eventId: number): Map<string, number> {
    return new Map(
      this.cached<[number], { list_id: string; n: number }>(
        `SELECT list_id, sum(inside) AS n FROM list_presence WHERE event_id = ? GROUP BY list_id`,
      )
        .all(eventId)
        .map((r) => [r.list_id, r.n]),
    );
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
