// The door's entries (shared/door-entries.ts: walk-ins, corrections, notes, flags, links, the walk-in
// setting, confirmations) between an event's document and SQLite, as entry-log.ts moves the check-in
// log:
// - remote entries are validated (checkDoorEntry), then kept and derived by the same function as
//   this desk's own (main/db/door-store.ts apply); a refused one is counted, a duplicate ignored;
// - this desk's entries are kept in SQLite first (main/desk/door-record.ts), then written into the
//   document in the same tick;
// - entries are written once and never deleted: a changed one is refused, a deleted one restored.
// Entries name people by provider id, so none waits for its attendee: the derived state joins them.
import type * as Y from 'yjs';
import type { DoorStore, StoredDoorEntry } from '../../db/door-store.ts';
import { isoTime, type Clock } from '../../ground/clock.ts';
import type { CoreEvents } from '../../ground/events.ts';
import { DOOR_MAPS, checkDoorEntry, subjectOf, type DoorMapName } from '../../../shared/door-entries.ts';
import { LOCAL_ORIGIN, type AttachmentOf } from './attachment.ts';
import type { RefusalCounts } from './refusals.ts';

export type DoorMaps = Record<DoorMapName, Y.Map<unknown>>;

export interface DoorLogDeps {
  doorStore: DoorStore;
  clock: Clock;
  events: CoreEvents;
  refusals: RefusalCounts;
  attachmentOf: AttachmentOf;
  /** After remote walk-ins are kept: check-ins waiting for their attendee are applied (entry-log.ts). */
  attendeesArrived(eventId: number): void;
}

/** The door's maps of an event's document. */
export function doorMapsOf(doc: Y.Doc): DoorMaps {
  return Object.fromEntries(DOOR_MAPS.map((m) => [m, doc.getMap(m)])) as DoorMaps;
}

/** JSON with every object's keys sorted: two entries are the same entry when these are equal. */
function sameEntry(a: unknown, b: unknown): boolean {
  const sorted = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([k, x]) => [k, sorted(x)]),
        )
      : v;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

export class DoorLog {
  constructor(private readonly deps: DoorLogDeps) {}

  /** Follows every remote change of the event's door maps; returns the function that stops. */
  observe(eventId: number, doc: Y.Doc): () => void {
    const maps = doorMapsOf(doc);
    const offs = DOOR_MAPS.map((name) => {
      const observer = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
        if (tr.origin === LOCAL_ORIGIN) return;
        const changes: { key: string; value: unknown; replaced: boolean }[] = [];
        const deleted: string[] = [];
        event.changes.keys.forEach((change, key) => {
          if (change.action === 'delete') deleted.push(key);
          else changes.push({ key, value: maps[name].get(key), replaced: change.action === 'update' });
        });
        if (changes.length) this.receive(eventId, name, changes);
        if (deleted.length) this.restoreDeleted(eventId, name, deleted);
      };
      maps[name].observe(observer);
      return () => maps[name].unobserve(observer);
    });
    return () => offs.forEach((off) => off());
  }

  /** At attach, both ways: what the document holds and SQLite lacks, and the reverse. */
  reconcile(eventId: number, doc: Y.Doc): { fromDocument: number; toDocument: number } {
    const maps = doorMapsOf(doc);
    let fromDocument = 0;
    // Walk-ins first: the other entries of a person who is a walk-in then find their row.
    for (const name of DOOR_MAPS) {
      const changes: { key: string; value: unknown; replaced: boolean }[] = [];
      maps[name].forEach((value, key) => changes.push({ key, value, replaced: false }));
      fromDocument += this.receive(eventId, name, changes);
    }
    const missing = this.deps.doorStore.entriesOfEvent(eventId).filter((e) => !maps[e.map].has(e.id));
    this.write(doc, missing);
    return { fromDocument, toDocument: missing.length };
  }

  /** This desk's committed entries, into the event's document (when one is attached). */
  publish(eventId: number, entries: readonly StoredDoorEntry[]): void {
    const a = this.deps.attachmentOf(eventId);
    if (a) this.write(a.doc, entries);
  }

  /** Validates and keeps a batch of remote entries of one map; returns how many were new. */
  private receive(
    eventId: number,
    map: DoorMapName,
    changes: readonly { key: string; value: unknown; replaced: boolean }[],
  ): number {
    const store = this.deps.doorStore;
    const now = isoTime(this.deps.clock.now());
    const attendeeIds = new Set<number>();
    const checkIns = new Set<number>();
    let applied = 0;
    let refused = 0;
    store.transaction(() => {
      for (const c of changes) {
        const check = checkDoorEntry(map, c.key, c.value);
        if (!check.ok) {
          this.deps.refusals.refuse(check.stationId, check.reason);
          refused++;
          continue;
        }
        const entry = check.entry;
        const known = store.entry(map, c.key);
        if (known) {
          if (known.eventId !== eventId || !sameEntry(known.entry, entry)) {
            this.deps.refusals.refuse(entry.stationId, 'an entry was changed after it was written');
            refused++;
          }
          continue;
        }
        const stored: StoredDoorEntry = {
          map,
          id: c.key,
          eventId,
          subject: subjectOf(map, c.key, entry),
          at: entry.at,
          stationId: entry.stationId,
          entry,
        };
        const changed = store.apply(stored, now);
        if (!changed) continue;
        applied++;
        changed.attendeeIds.forEach((id) => attendeeIds.add(id));
        changed.checkInsChanged.forEach((id) => checkIns.add(id));
      }
    });
    if (map === 'walkIns' && applied > 0) this.deps.attendeesArrived(eventId);
    if (checkIns.size) this.deps.events.emit('checkinsChanged', { eventId, attendeeIds: [...checkIns] });
    if (applied > 0) this.deps.events.emit('attendeesChanged', { eventId, attendeeIds: [...attendeeIds] });
    if (applied > 0 || refused > 0) this.deps.events.emit('venueChanged', { eventId });
    return applied;
  }

  /** Entries are never deleted: one a peer deleted goes back into the document from SQLite. */
  private restoreDeleted(eventId: number, map: DoorMapName, keys: readonly string[]): void {
    const restore = keys
      .map((k) => this.deps.doorStore.entry(map, k))
      .filter((e): e is StoredDoorEntry => e !== undefined && e.eventId === eventId);
    this.deps.refusals.refuse(
      null,
      `${keys.length} entr${keys.length === 1 ? 'y was' : 'ies were'} deleted from the document`,
    );
    // After the current transaction's observers: a new transaction from inside one would nest.
    queueMicrotask(() => {
      const a = this.deps.attachmentOf(eventId);
      if (a) this.write(a.doc, restore);
    });
  }

  /** Entries into the document, as one transaction of this replica's own. */
  private write(doc: Y.Doc, entries: readonly StoredDoorEntry[]): void {
    if (entries.length === 0) return;
    doc.transact(() => {
      for (const e of entries) doc.getMap(e.map).set(e.id, e.entry);
    }, LOCAL_ORIGIN);
  }
}
