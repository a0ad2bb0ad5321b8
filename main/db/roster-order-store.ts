// The venue roster's own order (shared/venue-roster.ts "rosterChangeWins"): where the provider
// stamps no change time on a record (Luma), the event's poller numbers the records it writes from
// a counter per event, persisted here (roster_counters), and every desk keeps the order of the
// record it holds (attendees.roster_order). A desk counts past every order it has seen, so when it
// takes over as poller its records come after all of them.
import type { Db } from './open.ts';

export class RosterOrderStore {
  constructor(private readonly db: Db) {}

  /** The orders of these records as this mirror holds them (null: none yet), by provider attendee id. */
  orders(eventId: number, providerAttendeeIds: readonly string[]): Map<string, number | null> {
    const one = this.db.prepare<[number, string], { roster_order: number | null }>(
      'SELECT roster_order FROM attendees WHERE event_id = ? AND provider_attendee_id = ?',
    );
    const out = new Map<string, number | null>();
    for (const pid of providerAttendeeIds) {
      const r = one.get(eventId, pid);
      if (r) out.set(pid, r.roster_order);
    }
    return out;
  }

  /**
   * Records these orders for the records the mirror has (never lowering one), and counts past the
   * highest, in one transaction.
   */
  setOrders(eventId: number, orders: ReadonlyMap<string, number>): void {
    if (orders.size === 0) return;
    const set = this.db.prepare(
      `UPDATE attendees SET roster_order = ? WHERE event_id = ? AND provider_attendee_id = ?
         AND (roster_order IS NULL OR roster_order < ?)`,
    );
    this.db.transaction(() => {
      let highest = 0;
      for (const [pid, order] of orders) {
        set.run(order, eventId, pid, order);
        highest = Math.max(highest, order);
      }
      this.raiseCounter(eventId, highest);
    })();
  }

  /** The highest order given or seen for the event here (0: none). */
  counter(eventId: number): number {
    return (
      this.db
        .prepare<[number], { last_order: number }>(
          'SELECT last_order FROM roster_counters WHERE event_id = ?',
        )
        .get(eventId)?.last_order ?? 0
    );
  }

  /** Counts past `order` (an order seen in the document): never lowers the counter. */
  raiseCounter(eventId: number, order: number): void {
    if (!(order > 0)) return;
    this.db
      .prepare(
        `INSERT INTO roster_counters (event_id, last_order) VALUES (?, ?)
         ON CONFLICT (event_id) DO UPDATE SET last_order = max(last_order, excluded.last_order)`,
      )
      .run(eventId, order);
  }

  /** Takes the next `count` orders of the event; returns the first (they follow one another). */
  takeOrders(eventId: number, count: number): number {
    return this.db.transaction(() => {
      const first = this.counter(eventId) + 1;
      this.raiseCounter(eventId, first + count - 1);
      return first;
    })();
  }
}
