// The check-in lists' entries (shared/list-entries.ts: definitions and check-outs) between an
// event's document and SQLite, as door-log.ts moves the door's:
// - remote entries are validated (checkListEntry), then kept by the same functions as this desk's
//   own (main/db/list-store.ts, main/db/venue-store.ts applyCheckOut); a refused one is counted;
// - a list that arrives lets in the entries that waited for it (entry-log.ts listsArrived), and a
//   check-out of a list this desk does not know waits for it too;
// - this desk's entries are kept in SQLite first (main/desk/lists.ts), then written into the document;
// - entries are written once and never deleted: a changed one is refused, a deleted one restored.
import type * as Y from 'yjs';
import type { VenueStore } from '../../db/venue-store.ts';
import type { CheckOutRecord, StoredListEntry } from '../../db/list-store.ts';
import type { CoreEvents } from '../../ground/events.ts';
import { VENUE_SCHEMA_VERSION } from '../../../shared/venue.ts';
import {
  LIST_MAPS,
  checkListEntry,
  type CheckOutEntry,
  type ListMapName,
} from '../../../shared/list-entries.ts';
import { LOCAL_ORIGIN, type AttachmentOf } from './attachment.ts';
import { canonical } from './entries.ts';
import type { RefusalCounts } from './refusals.ts';

export interface ListLogDeps {
  venueStore: VenueStore;
  events: CoreEvents;
  refusals: RefusalCounts;
  attachmentOf: AttachmentOf;
  /** A list arrived: the check-ins that waited for it go in (entry-log.ts). */
  listsArrived(eventId: number): void;
}

interface Change {
  key: string;
  value: unknown;
}

/** A check-out as the document holds it. */
export function checkOutEntryOf(r: CheckOutRecord): CheckOutEntry {
  return {
    v: VENUE_SCHEMA_VERSION,
    list: r.listId,
    scheduled: r.scheduled,
    at: r.at,
    stationId: r.stationId,
    stationName: r.station,
  };
}

export class ListLog {
  constructor(private readonly deps: ListLogDeps) {}

  /** Follows every remote change of the event's list maps; returns the function that stops. */
  observe(eventId: number, doc: Y.Doc): () => void {
    const offs = LIST_MAPS.map((name) => {
      const map = doc.getMap(name);
      const observer = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
        if (tr.origin === LOCAL_ORIGIN) return;
        const changes: Change[] = [];
        const deleted: string[] = [];
        event.changes.keys.forEach((change, key) => {
          if (change.action === 'delete') deleted.push(key);
          else changes.push({ key, value: map.get(key) });
        });
        if (changes.length) this.receive(eventId, name, changes);
        if (deleted.length) this.restoreDeleted(eventId, name, deleted);
      };
      map.observe(observer);
      return () => map.unobserve(observer);
    });
    return () => offs.forEach((off) => off());
  }

  /** At attach, both ways: what the document holds and SQLite lacks, and the reverse. Lists first. */
  reconcile(eventId: number, doc: Y.Doc): { fromDocument: number; toDocument: number } {
    let fromDocument = 0;
    for (const name of LIST_MAPS) {
      const changes: Change[] = [];
      doc.getMap(name).forEach((value, key) => changes.push({ key, value }));
      fromDocument += this.receive(eventId, name, changes);
    }
    const missing = this.stored(eventId).filter(([map, key]) => !doc.getMap(map).has(key));
    this.write(doc, missing);
    return { fromDocument, toDocument: missing.length };
  }

  /** This desk's committed list entries, into the event's document (when one is attached). */
  publishLists(eventId: number, entries: readonly StoredListEntry[]): void {
    const a = this.deps.attachmentOf(eventId);
    if (a)
      this.write(
        a.doc,
        entries.map((e) => ['lists', e.id, e.entry] as const),
      );
  }

  publishCheckOut(r: CheckOutRecord): void {
    const a = this.deps.attachmentOf(r.eventId);
    if (a) this.write(a.doc, [['checkOuts', r.actionId, checkOutEntryOf(r)]]);
  }

  /** Every list entry and check-out SQLite holds for the event (waiting ones included), as the document would. */
  private stored(eventId: number): (readonly [ListMapName, string, object])[] {
    const lists = this.deps.venueStore.lists;
    return [
      ...lists.entriesOfEvent(eventId).map((e) => ['lists', e.id, e.entry] as const),
      ...lists.checkOutsOfEvent(eventId).map((r) => ['checkOuts', r.actionId, checkOutEntryOf(r)] as const),
      ...lists
        .pendingOfEvent(eventId)
        .filter((p) => p.map === 'checkOuts')
        .map((p) => ['checkOuts', p.entryId, JSON.parse(p.entry) as object] as const),
    ];
  }

  private storedEntry(eventId: number, map: ListMapName, key: string): object | undefined {
    const lists = this.deps.venueStore.lists;
    if (map === 'lists') {
      const e = lists.entry(key);
      return e && e.eventId === eventId ? e.entry : undefined;
    }
    const r = lists.checkOut(key);
    if (r) return r.eventId === eventId ? checkOutEntryOf(r) : undefined;
    const pending = lists.pendingEntry('checkOuts', key);
    return pending === undefined ? undefined : (JSON.parse(pending) as object);
  }

  /** Validates and keeps a batch of remote entries of one map; returns how many were new. */
  private receive(eventId: number, map: ListMapName, changes: readonly Change[]): number {
    const vs = this.deps.venueStore;
    let applied = 0;
    let refused = 0;
    let listsChanged = false;
    vs.transaction(() => {
      for (const c of changes) {
        const check = checkListEntry(map, c.key, c.value);
        if (!check.ok) {
          this.deps.refusals.refuse(check.stationId, check.reason);
          refused++;
          continue;
        }
        const entry = check.entry;
        const known = this.storedEntry(eventId, map, c.key);
        if (known !== undefined || vs.lists.entry(c.key) || vs.lists.checkOut(c.key)) {
          if (known === undefined || canonical(known) !== canonical(entry)) {
            this.deps.refusals.refuse(entry.stationId, 'an entry was changed after it was written');
            refused++;
          }
          continue;
        }
        if (map === 'lists') {
          const e = entry as StoredListEntry['entry'];
          if (
            vs.lists.putEntry({
              id: c.key,
              eventId,
              listId: e.list,
              at: e.at,
              stationId: e.stationId,
              entry: e,
            })
          ) {
            applied++;
            listsChanged = true;
          }
          continue;
        }
        const e = entry as CheckOutEntry;
        if (!vs.lists.list(eventId, e.list)) {
          if (
            vs.lists.addPending({
              map: 'checkOuts',
              entryId: c.key,
              eventId,
              listId: e.list,
              entry: JSON.stringify(e),
            })
          )
            applied++;
          continue;
        }
        if (this.applyCheckOut(eventId, c.key, e)) {
          applied++;
          listsChanged = true;
        }
      }
      // A list that arrived lets in the check-outs that waited for it (its check-ins: listsArrived).
      if (listsChanged && map === 'lists')
        for (const p of vs.lists.arrivedPending(eventId).filter((x) => x.map === 'checkOuts')) {
          vs.lists.removePending(p.map, p.entryId);
          this.applyCheckOut(eventId, p.entryId, JSON.parse(p.entry) as CheckOutEntry);
        }
    });
    if (listsChanged && map === 'lists') this.deps.listsArrived(eventId);
    if (listsChanged) this.deps.events.emit('listsChanged', { eventId });
    if (applied > 0 || refused > 0) this.deps.events.emit('venueChanged', { eventId });
    return applied;
  }

  private applyCheckOut(eventId: number, key: string, e: CheckOutEntry): boolean {
    return (
      this.deps.venueStore.applyCheckOut({
        actionId: key,
        eventId,
        listId: e.list,
        at: e.at,
        stationId: e.stationId,
        station: e.stationName,
        scheduled: e.scheduled,
      }) !== null
    );
  }

  /** Entries are never deleted: one a peer deleted goes back into the document from SQLite. */
  private restoreDeleted(eventId: number, map: ListMapName, keys: readonly string[]): void {
    const restore = keys
      .map((k) => [map, k, this.storedEntry(eventId, map, k)] as const)
      .filter((r): r is readonly [ListMapName, string, object] => r[2] !== undefined);
    this.deps.refusals.refuse(
      null,
      `${keys.length} entr${keys.length === 1 ? 'y was' : 'ies were'} deleted from the document`,
    );
    queueMicrotask(() => {
      const a = this.deps.attachmentOf(eventId);
      if (a) this.write(a.doc, restore);
    });
  }

  private write(doc: Y.Doc, entries: readonly (readonly [ListMapName, string, object])[]): void {
    if (entries.length === 0) return;
    doc.transact(() => {
      for (const [map, key, value] of entries) doc.getMap(map).set(key, value);
    }, LOCAL_ORIGIN);
  }
}
