// The kiosk's two look-ups: the people of an event with one email (any case), and the people of
// one order. Each names a few people by id, never a page of them: the kiosk shows one person or none.
import { StatementCachingStore } from './statement-cache.ts';

/** More than this many people behind one email or order is not one person: the kiosk asks staff. */
const MAX_MATCHES = 20;

export class KioskStore extends StatementCachingStore {
  /** Ids of the event's people whose email is this one, whatever its case; with the order each belongs to. */
  peopleWithEmail(eventId: number, email: string): { id: number; orderId: string | null }[] {
    const phrase = `email : "${email.replace(/"/g, '""')}"`;
    return this.cached<[string, number], { id: number; email: string | null; order_id: string | null }>(
      `SELECT a.id, a.email, a.order_id FROM attendee_search s JOIN attendees a ON a.id = s.rowid
       WHERE attendee_search MATCH ? AND a.event_id = ? LIMIT ${MAX_MATCHES}`,
    )
      .all(phrase, eventId)
      .filter((r) => r.email?.toLowerCase() === email.toLowerCase())
      .map((r) => ({ id: r.id, orderId: r.order_id }));
  }

  /** Ids of the people of one order (migration 012's index). */
  peopleOfOrder(eventId: number, orderId: string): number[] {
    return this.cached<[number, string], number>(
      `SELECT id FROM attendees INDEXED BY attendees_by_event_order WHERE event_id = ? AND order_id = ?
       ORDER BY id LIMIT ${MAX_MATCHES}`,
    )
      .pluck()
      .all(eventId, orderId);
  }
}
