// Remote entries of the venue's log kept until their attendee is in the mirror (migration 006
// venue_pending): a check-in, VIP flag or print of a person another desk's sync has and this one's
// has not yet. Kept as validated JSON; applied, and removed, once the attendee arrives.
import type { VenueMapName } from '../../shared/venue.ts';
import type { PendingEntry } from './venue-rows.ts';
import { StatementCachingStore } from './statement-cache.ts';

export class PendingEntries extends StatementCachingStore {
  add(p: PendingEntry): boolean {
    return (
      this.cached(
        'INSERT INTO venue_pending (map, entry_id, event_id, provider_attendee_id, entry) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(p.map, p.entryId, p.eventId, p.providerAttendeeId, p.entry).changes === 1
    );
  }

  /** Waiting entries whose attendee has arrived in the mirror, with the attendee's row id. */
  arrived(eventId: number): (PendingEntry & { attendeeId: number })[] {
    return this.cached<
      [number],
      {
        map: VenueMapName;
        entry_id: string;
        event_id: number;
        provider_attendee_id: string;
        entry: string;
        attendee_id: number;
      }
    >(
      `SELECT p.*, a.id AS attendee_id FROM venue_pending p
         JOIN attendees a ON a.event_id = p.event_id AND a.provider_attendee_id = p.provider_attendee_id
         WHERE p.event_id = ?`,
    )
      .all(eventId)
      .map((r) => ({
        map: r.map,
        entryId: r.entry_id,
        eventId: r.event_id,
        providerAttendeeId: r.provider_attendee_id,
        entry: r.entry,
        attendeeId: r.attendee_id,
      }));
  }

  ofEvent(eventId: number): PendingEntry[] {
    return this.cached<
      [number],
      { map: VenueMapName; entry_id: string; event_id: number; provider_attendee_id: string; entry: string }
    >('SELECT * FROM venue_pending WHERE event_id = ?')
      .all(eventId)
      .map((r) => ({
        map: r.map,
        entryId: r.entry_id,
        eventId: r.event_id,
        providerAttendeeId: r.provider_attendee_id,
        entry: r.entry,
      }));
  }

  /** A waiting entry's JSON, or undefined. */
  entry(map: VenueMapName, entryId: string): string | undefined {
    return this.cached<[string, string], { entry: string }>(
      'SELECT entry FROM venue_pending WHERE map = ? AND entry_id = ?',
    ).get(map, entryId)?.entry;
  }

  remove(map: VenueMapName, entryId: string): void {
    this.cached('DELETE FROM venue_pending WHERE map = ? AND entry_id = ?').run(map, entryId);
  }
}
