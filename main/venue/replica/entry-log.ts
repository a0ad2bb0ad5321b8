// The venue's log (check-ins and undos, VIP flags, badge prints) between an event's document and
// the SQLite read model:
// - remote entries (any transaction not made here) are validated (shared/venue.ts checkEntry),
//   then written to the same tables the desk uses; duplicates are ignored by their id; entries
//   whose attendee is not in the mirror yet wait in venue_pending until the attendee arrives;
// - local actions are written to SQLite first (the desk's own transaction), then into the
//   document in the same tick;
// - entries are written once and never deleted: a changed one is refused, a deleted one restored.
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import type { MirrorStore } from '../../db/store.ts';
import type { VenueStore, VipRecord } from '../../db/venue-store.ts';
import { isoTime, type Clock } from '../../ground/clock.ts';
import type { CoreEvents } from '../../ground/events.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Actor } from '../../../shared/types.ts';
import {
  checkEntry,
  nextVipTime,
  type CheckInEntry,
  type EntryOf,
  type PrintEntry,
  type VenueMapName,
  type VipEntry,
} from '../../../shared/venue.ts';
import { MAIN_LIST_ID } from '../../../shared/lists.ts';
import { LOCAL_ORIGIN, MAP_NAMES, type Attachment, type AttachmentOf, type VenueMaps } from './attachment.ts';
import { canonical, checkInEntryOf, printEntryOf, stationOf, vipEntryOf } from './entries.ts';
import type { RefusalCounts } from './refusals.ts';

interface Change {
  key: string;
  value: unknown;
  /** The key already held another value in the document (entries are written once). */
  replaced: boolean;
}

/** What one pass over a batch of remote entries did, for reconcile and tests. */
export interface ReceiveCounts {
  applied: number;
  pending: number;
  duplicates: number;
  refused: number;
}

export interface EntryLogDeps {
  store: MirrorStore;
  venueStore: VenueStore;
  clock: Clock;
  events: CoreEvents;
  refusals: RefusalCounts;
  attachmentOf: AttachmentOf;
  stationId: string;
}

export class EntryLog {
  constructor(private readonly deps: EntryLogDeps) {}

  /** Follows every remote change of the event's log maps; returns the function that stops. */
  observe(eventId: number, maps: VenueMaps): () => void {
    const offs = MAP_NAMES.map((name) => {
      const observer = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
        if (tr.origin === LOCAL_ORIGIN) return;
        const changes: Change[] = [];
        const deleted: string[] = [];
        event.changes.keys.forEach((change, k) => {
          if (change.action === 'delete') deleted.push(k);
          else changes.push({ key: k, value: maps[name].get(k), replaced: change.action === 'update' });
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
  reconcile(a: Attachment): { fromDocument: ReceiveCounts; toDocument: number } {
    const fromDocument: ReceiveCounts = { applied: 0, pending: 0, duplicates: 0, refused: 0 };
    for (const name of MAP_NAMES) {
      const changes: Change[] = [];
      a.maps[name].forEach((value, key) => changes.push({ key, value, replaced: false }));
      const c = this.receive(a.eventId, name, changes);
      for (const k of Object.keys(fromDocument) as (keyof ReceiveCounts)[]) fromDocument[k] += c[k];
    }
    const vs = this.deps.venueStore;
    const missing: Record<VenueMapName, [string, object][]> = { checkins: [], vip: [], prints: [] };
    for (const r of vs.checkInsOfEvent(a.eventId))
      if (!a.maps.checkins.has(r.actionId))
        missing.checkins.push([r.actionId, checkInEntryOf(r, r.providerAttendeeId)]);
    for (const r of vs.vipOfEvent(a.eventId))
      if (!a.maps.vip.has(r.actionId)) missing.vip.push([r.actionId, vipEntryOf(r, r.providerAttendeeId)]);
    for (const r of vs.printsOfEvent(a.eventId))
      if (!a.maps.prints.has(r.printId))
        missing.prints.push([r.printId, printEntryOf(r, r.providerAttendeeId)]);
    for (const p of vs.pending.ofEvent(a.eventId))
      if (!a.maps[p.map].has(p.entryId)) missing[p.map].push([p.entryId, JSON.parse(p.entry) as object]);
    for (const p of vs.lists.pendingOfEvent(a.eventId))
      if (p.map === 'checkins' && !a.maps.checkins.has(p.entryId))
        missing.checkins.push([p.entryId, JSON.parse(p.entry) as object]);
    this.write(a, missing);
    return { fromDocument, toDocument: MAP_NAMES.reduce((n, m) => n + missing[m].length, 0) };
  }

  // ---- remote entries ----

  private receive(eventId: number, map: VenueMapName, changes: readonly Change[]): ReceiveCounts {
    const counts: ReceiveCounts = { applied: 0, pending: 0, duplicates: 0, refused: 0 };
    const attendees = new Set<number>();
    const vs = this.deps.venueStore;
    vs.transaction(() => {
      for (const c of changes) {
        const check = checkEntry(map, c.key, c.value);
        if (!check.ok) {
          this.deps.refusals.refuse(check.stationId, check.reason);
          counts.refused++;
          continue;
        }
        // A key whose value was replaced may hold an entry already applied: compare. A new key
        // needs no look-up first: the inserts below ignore an id already stored (the first wins).
        const known = c.replaced ? this.storedEntry(map, c.key) : undefined;
        if (known !== undefined) {
          if (canonical(known) !== canonical(check.entry)) {
            this.deps.refusals.refuse(check.entry.stationId, 'an entry was changed after it was written');
            counts.refused++;
          } else counts.duplicates++;
          continue;
        }
        // An entry of a list this desk does not know yet waits for the list, then for its attendee.
        const listId = map === 'checkins' ? (check.entry as CheckInEntry).list : undefined;
        if (listId !== undefined && !vs.lists.list(eventId, listId)) {
          const kept = vs.lists.addPending({
            map: 'checkins',
            entryId: c.key,
            eventId,
            listId,
            entry: JSON.stringify(check.entry),
          });
          if (kept) counts.pending++;
          else counts.duplicates++;
          continue;
        }
        const attendeeId = vs.attendeeIdOf(eventId, check.entry.attendee);
        if (attendeeId === undefined) {
          const kept = vs.pending.add({
            map,
            entryId: c.key,
            eventId,
            providerAttendeeId: check.entry.attendee,
            entry: JSON.stringify(check.entry),
          });
          if (kept) counts.pending++;
          else counts.duplicates++;
          continue;
        }
        if (this.apply(eventId, attendeeId, map, c.key, check.entry)) {
          attendees.add(attendeeId);
          counts.applied++;
        } else counts.duplicates++;
      }
    });
    this.announce(eventId, map, [...attendees], counts.refused > 0 || counts.pending > 0);
    return counts;
  }

  /** The entry as SQLite holds it (applied or waiting), or undefined when it is new here. */
  private storedEntry(map: VenueMapName, key: string): object | undefined {
    const vs = this.deps.venueStore;
    let found: object | undefined;
    if (map === 'checkins') {
      const r = vs.checkInByActionId(key);
      if (r) found = checkInEntryOf(r, vs.providerAttendeeIdOf(r.attendeeId)!);
    } else if (map === 'vip') {
      const r = vs.vipByActionId(key);
      if (r) found = vipEntryOf(r, vs.providerAttendeeIdOf(r.attendeeId)!);
    } else {
      const r = vs.printById(key);
      if (r) found = printEntryOf(r, vs.providerAttendeeIdOf(r.attendeeId)!);
    }
    if (found) return found;
    const pending =
      vs.pending.entry(map, key) ?? (map === 'checkins' ? vs.lists.pendingEntry(map, key) : undefined);
    return pending === undefined ? undefined : (JSON.parse(pending) as object);
  }

  /** Writes a valid entry to the read model; false when its id was already there. */
  private apply<M extends VenueMapName>(
    eventId: number,
    attendeeId: number,
    map: M,
    key: string,
    entry: EntryOf<M>,
  ): boolean {
    const vs = this.deps.venueStore;
    if (map === 'checkins') {
      const e = entry as CheckInEntry;
      return (
        vs.appendCheckIn({
          actionId: key,
          eventId,
          attendeeId,
          action: e.kind,
          station: e.stationName,
          stationId: e.stationId,
          undoes: e.undoes ?? null,
          at: e.at,
          listId: e.list ?? MAIN_LIST_ID,
          override: e.override ?? null,
        }) !== null
      );
    }
    if (map === 'vip') {
      const e = entry as VipEntry;
      return vs.appendVip({
        actionId: key,
        eventId,
        attendeeId,
        vip: e.vip,
        at: e.at,
        stationId: e.stationId,
        stationName: e.stationName,
      });
    }
    const p = entry as PrintEntry;
    return vs.appendPrint({
      printId: key,
      eventId,
      attendeeId,
      kind: p.kind,
      at: p.at,
      stationId: p.stationId,
      stationName: p.stationName,
      by: p.by ?? null,
      reason: p.reason ?? null,
      jobId: null,
    });
  }

  /** Entries are never deleted: one a peer deleted goes back into the document from SQLite. */
  private restoreDeleted(eventId: number, map: VenueMapName, keys: readonly string[]): void {
    const restore: [string, object][] = [];
    for (const k of keys) {
      const entry = this.storedEntry(map, k);
      if (entry) restore.push([k, entry]);
    }
    this.deps.refusals.refuse(
      null,
      `${keys.length} entr${keys.length === 1 ? 'y was' : 'ies were'} deleted from the document`,
    );
    // After the current transaction's observers: a new transaction from inside one would nest.
    queueMicrotask(() => {
      const a = this.deps.attachmentOf(eventId);
      if (a) this.write(a, { checkins: [], vip: [], prints: [], [map]: restore });
    });
  }

  /**
   * Takes in the waiting entries whose list this desk now knows (a list's definition arrived): each
   * goes through as a remote entry again, so one whose attendee is still missing waits for them.
   */
  listsArrived(eventId: number): number {
    const vs = this.deps.venueStore;
    const arrived = vs.lists.arrivedPending(eventId).filter((p) => p.map === 'checkins');
    if (arrived.length === 0) return 0;
    // One transaction: a crash cannot lose an entry between the two tables.
    const c = vs.transaction(() => {
      for (const p of arrived) vs.lists.removePending(p.map, p.entryId);
      return this.receive(
        eventId,
        'checkins',
        arrived.map((p) => ({ key: p.entryId, value: JSON.parse(p.entry) as unknown, replaced: false })),
      );
    });
    return c.applied + c.pending;
  }

  /** Applies the waiting entries whose attendee has arrived in the mirror (after a sync's upsert). */
  attendeesArrived(eventId: number): number {
    const vs = this.deps.venueStore;
    const arrived = vs.pending.arrived(eventId);
    if (arrived.length === 0) return 0;
    const touched: Record<VenueMapName, Set<number>> = {
      checkins: new Set(),
      vip: new Set(),
      prints: new Set(),
    };
    vs.transaction(() => {
      for (const p of arrived) {
        const check = checkEntry(p.map, p.entryId, JSON.parse(p.entry));
        vs.pending.remove(p.map, p.entryId);
        if (!check.ok) continue;
        this.apply(eventId, p.attendeeId, p.map, p.entryId, check.entry);
        touched[p.map].add(p.attendeeId);
      }
    });
    for (const m of MAP_NAMES) if (touched[m].size) this.announce(eventId, m, [...touched[m]], false);
    return arrived.length;
  }

  private announce(eventId: number, map: VenueMapName, attendeeIds: number[], venueOnly: boolean): void {
    if (attendeeIds.length) {
      if (map === 'checkins') this.deps.events.emit('checkinsChanged', { eventId, attendeeIds });
      else if (map === 'vip') this.deps.events.emit('attendeesChanged', { eventId, attendeeIds });
    }
    if (attendeeIds.length || venueOnly) this.deps.events.emit('venueChanged', { eventId });
  }

  // ---- local actions: SQLite first (done by the caller), then the document ----

  /** The desk committed these log rows (check-ins, undos): into the document, in the same tick. */
  publishCheckIns(eventId: number, actionIds: readonly string[]): void {
    const a = this.deps.attachmentOf(eventId);
    if (!a) return;
    const vs = this.deps.venueStore;
    const entries: [string, object][] = [];
    for (const id of actionIds) {
      const r = vs.checkInByActionId(id);
      if (r && r.eventId === eventId)
        entries.push([id, checkInEntryOf(r, vs.providerAttendeeIdOf(r.attendeeId)!)]);
    }
    this.write(a, { checkins: entries, vip: [], prints: [] });
  }

  /** Sets the VIP flag as a new entry that wins over the current one (nextVipTime), then publishes it. */
  setVip(actor: Actor, attendeeId: number, vip: boolean): void {
    const vs = this.deps.venueStore;
    const attendee = this.deps.store.getAttendee(attendeeId);
    if (!attendee) throw new AppError('NOT_FOUND', `attendee ${attendeeId} does not exist`);
    const record: VipRecord = vs.transaction(() => {
      const r: VipRecord = {
        actionId: randomUUID(),
        eventId: attendee.eventId,
        attendeeId,
        vip,
        at: nextVipTime(isoTime(this.deps.clock.now()), vs.currentVip(attendeeId)),
        stationId: this.deps.stationId,
        stationName: stationOf(actor),
      };
      vs.appendVip(r);
      return r;
    });
    const a = this.deps.attachmentOf(attendee.eventId);
    if (a)
      this.write(a, {
        checkins: [],
        vip: [[record.actionId, vipEntryOf(record, attendee.providerAttendeeId)]],
        prints: [],
      });
  }

  /** Local entries into the document, as one transaction of this replica's own. */
  write(a: Attachment, entries: Record<VenueMapName, [string, object][]>): void {
    if (MAP_NAMES.every((m) => entries[m].length === 0)) return;
    a.doc.transact(() => {
      for (const m of MAP_NAMES) for (const [k, v] of entries[m]) a.maps[m].set(k, v);
    }, LOCAL_ORIGIN);
  }
}
