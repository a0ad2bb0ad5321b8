// The check-in lists' SQL (migration 013), but for who is inside (presence-store.ts): each list's
// entries and the definition in force (the latest, shared/door-entries.ts latestStamped), the
// lists' check-outs, and remote entries waiting for a list this desk does not know yet. Local and
// remote entries go through the same functions, so every desk holds the same lists.
import { latestStamped } from '../../shared/door-entries.ts';
import { definitionOf, type CheckOutEntry, type ListEntry } from '../../shared/list-entries.ts';
import { MAIN_LIST_ID, mainListOf, type CheckInList } from '../../shared/lists.ts';
import { ruleZone } from '../../shared/time-zone.ts';
import type { Stamped } from '../../shared/venue.ts';
import { StatementCachingStore } from './statement-cache.ts';

/** A list entry as list_entries holds it. */
export interface StoredListEntry {
  id: string;
  eventId: number;
  listId: string;
  at: string;
  stationId: string;
  entry: ListEntry;
}

/** A check-out of everyone in a list. */
export interface CheckOutRecord {
  actionId: string;
  eventId: number;
  listId: string;
  at: string;
  stationId: string;
  station: string;
  scheduled: boolean;
}

/** A remote entry (a check-in map's or a check-out) waiting for its list. */
export interface ListPendingEntry {
  map: 'checkins' | 'checkOuts';
  entryId: string;
  eventId: number;
  listId: string;
  entry: string;
}

interface EntryRow {
  action_id: string;
  event_id: number;
  list_id: string;
  at: string;
  station_id: string;
  entry: string;
}
interface CheckOutRow {
  action_id: string;
  event_id: number;
  list_id: string;
  at: string;
  station_id: string;
  station: string;
  scheduled: number;
}

const toCheckOut = (r: CheckOutRow): CheckOutRecord => ({
  actionId: r.action_id,
  eventId: r.event_id,
  listId: r.list_id,
  at: r.at,
  stationId: r.station_id,
  station: r.station,
  scheduled: r.scheduled === 1,
});

export class ListStore extends StatementCachingStore {
  /** Each event's lists, read once and dropped when an entry of the event comes in. */
  private readonly lists = new Map<number, CheckInList[]>();
  /** Each list's check-outs as the presence rule takes them: read on every check-in, so kept. */
  private readonly checkOuts = new Map<string, Stamped[]>();
  private readonly zones = new Map<number, string>();

  /** The zone the event's rules use (shared/time-zone.ts ruleZone). */
  zoneOf(eventId: number): string {
    let zone = this.zones.get(eventId);
    if (zone === undefined) {
      const tz = this.cached<[number], { timezone: string | null }>(
        'SELECT timezone FROM events WHERE id = ?',
      ).get(eventId)?.timezone;
      zone = ruleZone(tz);
      this.zones.set(eventId, zone);
    }
    return zone;
  }

  /** A sync changed the event's details (its time zone among them). */
  eventChanged(eventId: number): void {
    this.zones.delete(eventId);
  }

  // ---- definitions ----

  /** Keeps a validated list entry; false when its id was already kept (the first wins). */
  putEntry(e: StoredListEntry): boolean {
    const kept =
      this.cached(
        `INSERT INTO list_entries (action_id, event_id, list_id, at, station_id, entry) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (action_id) DO NOTHING`,
      ).run(e.id, e.eventId, e.listId, e.at, e.stationId, JSON.stringify(e.entry)).changes === 1;
    if (kept) this.lists.delete(e.eventId);
    return kept;
  }

  entry(id: string): StoredListEntry | undefined {
    const r = this.cached<[string], EntryRow>('SELECT * FROM list_entries WHERE action_id = ?').get(id);
    return r ? toStored(r) : undefined;
  }

  entriesOfEvent(eventId: number): StoredListEntry[] {
    return this.cached<[number], EntryRow>('SELECT * FROM list_entries WHERE event_id = ?')
      .all(eventId)
      .map(toStored);
  }

  /** The event's lists, the main one first, then by name; removed ones included (marked). */
  listsOf(eventId: number): CheckInList[] {
    let lists = this.lists.get(eventId);
    if (!lists) {
      const byList = new Map<string, StoredListEntry[]>();
      for (const e of this.entriesOfEvent(eventId))
        byList.set(e.listId, [...(byList.get(e.listId) ?? []), e]);
      lists = [mainListOf(eventId)];
      for (const [listId, entries] of byList) {
        const current = latestStamped(entries)!;
        const list: CheckInList = {
          id: listId,
          eventId,
          main: listId === MAIN_LIST_ID,
          ...definitionOf(current.entry),
          removed: current.entry.removed,
          updatedAt: current.at,
          updatedBy: current.entry.stationName,
        };
        if (listId === MAIN_LIST_ID) lists[0] = list;
        else lists.push(list);
      }
      const [main, ...others] = lists;
      lists = [main!, ...others.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1))];
      this.lists.set(eventId, lists);
    }
    return lists;
  }

  /** A list of the event (the main list always), or undefined where this desk does not know it. */
  list(eventId: number, listId: string): CheckInList | undefined {
    return this.listsOf(eventId).find((l) => l.id === listId);
  }

  /** The entry in force of a list, for the stamp of a change (shared/door-entries.ts nextStampTime). */
  current(eventId: number, listId: string): StoredListEntry | null {
    return latestStamped(this.entriesOfEvent(eventId).filter((e) => e.listId === listId));
  }

  /** The event that holds a list id, if any: "a list of another event" is said as such. */
  eventOfList(listId: string): number | undefined {
    return this.cached<[string], { event_id: number }>(
      'SELECT event_id FROM list_entries WHERE list_id = ? LIMIT 1',
    ).get(listId)?.event_id;
  }

  // ---- check-outs ----

  /** The time of a list's latest passage (an entry, exit or undo), or null. */
  latestPassage(eventId: number, listId: string): { at: string } | null {
    const at = this.cached<[number, string], { at: string | null }>(
      'SELECT max(at) AS at FROM checkins WHERE event_id = ? AND list_id = ?',
    ).get(eventId, listId)?.at;
    return at ? { at } : null;
  }

  putCheckOut(r: CheckOutRecord): boolean {
    const kept =
      this.cached(
        `INSERT INTO list_check_outs (action_id, event_id, list_id, at, station_id, station, scheduled) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (action_id) DO NOTHING`,
      ).run(r.actionId, r.eventId, r.listId, r.at, r.stationId, r.station, r.scheduled ? 1 : 0).changes === 1;
    if (kept) this.checkOuts.delete(`${r.eventId}:${r.listId}`);
    return kept;
  }

  checkOut(actionId: string): CheckOutRecord | undefined {
    const r = this.cached<[string], CheckOutRow>('SELECT * FROM list_check_outs WHERE action_id = ?').get(
      actionId,
    );
    return r ? toCheckOut(r) : undefined;
  }

  /** A list's check-outs, as stamps in the venue's order. */
  checkOutStamps(eventId: number, listId: string): Stamped[] {
    const key = `${eventId}:${listId}`;
    let stamps = this.checkOuts.get(key);
    if (!stamps) {
      stamps = this.cached<[number, string], { id: string; at: string; stationId: string }>(
        `SELECT action_id AS id, at, station_id AS stationId FROM list_check_outs WHERE event_id = ? AND list_id = ? ORDER BY at`,
      ).all(eventId, listId);
      this.checkOuts.set(key, stamps);
    }
    return stamps;
  }

  checkOutsOfEvent(eventId: number): CheckOutRecord[] {
    return this.cached<[number], CheckOutRow>('SELECT * FROM list_check_outs WHERE event_id = ? ORDER BY at')
      .all(eventId)
      .map(toCheckOut);
  }

  /** Whether a check-out of the list stamped exactly `at` is kept (a scheduled one is written once a day). */
  hasCheckOutAt(eventId: number, listId: string, at: string): boolean {
    return this.checkOutStamps(eventId, listId).some((s) => s.at === at);
  }

  // ---- entries waiting for their list ----

  addPending(p: ListPendingEntry): boolean {
    return (
      this.cached(
        'INSERT INTO list_pending (map, entry_id, event_id, list_id, entry) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(p.map, p.entryId, p.eventId, p.listId, p.entry).changes === 1
    );
  }

  pendingEntry(map: ListPendingEntry['map'], entryId: string): string | undefined {
    return this.cached<[string, string], { entry: string }>(
      'SELECT entry FROM list_pending WHERE map = ? AND entry_id = ?',
    ).get(map, entryId)?.entry;
  }

  /** Waiting entries of the event whose list this desk now knows. */
  arrivedPending(eventId: number): ListPendingEntry[] {
    const known = new Set(this.listsOf(eventId).map((l) => l.id));
    return this.pendingOfEvent(eventId).filter((p) => known.has(p.listId));
  }

  pendingOfEvent(eventId: number): ListPendingEntry[] {
    return this.cached<
      [number],
      { map: ListPendingEntry['map']; entry_id: string; event_id: number; list_id: string; entry: string }
    >('SELECT * FROM list_pending WHERE event_id = ?')
      .all(eventId)
      .map((r) => ({
        map: r.map,
        entryId: r.entry_id,
        eventId: r.event_id,
        listId: r.list_id,
        entry: r.entry,
      }));
  }

  removePending(map: ListPendingEntry['map'], entryId: string): void {
    this.cached('DELETE FROM list_pending WHERE map = ? AND entry_id = ?').run(map, entryId);
  }
}

function toStored(r: EntryRow): StoredListEntry {
  return {
    id: r.action_id,
    eventId: r.event_id,
    listId: r.list_id,
    at: r.at,
    stationId: r.station_id,
    entry: JSON.parse(r.entry) as ListEntry,
  };
}

export type { CheckOutEntry };
