// The venue's data half: moves entries between an event's Yjs document and the SQLite read model.
// - Remote entries (any transaction not made here) are validated (shared/venue.ts checkEntry),
//   then written to the same tables the desk uses; duplicates are ignored by their id; entries
//   whose attendee is not in the mirror yet wait in venue_pending until the attendee arrives.
// - Local actions are written to SQLite first (the desk's own transaction), then into the
//   document in the same tick (publish*). With no document attached they stay in SQLite and go
//   into the document when it is attached.
// - attach() reconciles both ways: what the document holds and SQLite lacks, and the reverse (a
//   crash between the two writes, a document lost or restored from an older copy).
// No replication logic here: Yjs merges, the network half carries the documents.
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import type { MirrorStore } from '../../db/store.ts';
import type { CheckInRecord, PrintRecord, VenueStore, VipRecord } from '../../db/venue-store.ts';
import type { Clock } from '../../ground/clock.ts';
import { isoTime } from '../../ground/clock.ts';
import type { CoreEvents } from '../../ground/events.ts';
import type { VenueDocumentKey, VenueDocumentSource } from '../contracts.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Actor } from '../../../shared/types.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import {
  VENUE_MAPS,
  VENUE_SCHEMA_VERSION,
  checkEntry,
  nextVipTime,
  type CheckInEntry,
  type EntryOf,
  type PrintEntry,
  type PriorPrint,
  type RefusedEntries,
  type VenueConflicts,
  type VenueMapName,
  type VipEntry,
} from '../../../shared/venue.ts';

export interface VenueReplicaDeps {
  store: MirrorStore;
  venueStore: VenueStore;
  clock: Clock;
  events: CoreEvents;
}

/** The origin of this replica's own document transactions: its observers skip them. */
const LOCAL_ORIGIN = Symbol('venue replica: local action');

type VenueMaps = Record<VenueMapName, Y.Map<unknown>>;

interface Attachment {
  key: VenueDocumentKey;
  eventId: number;
  doc: Y.Doc;
  maps: VenueMaps;
  stop(): void;
}

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

/** A station name as an entry may carry it: plain text, at most 60 characters. */
function entryStationName(name: string): string {
  return (
    name
      .replace(/\p{Cc}/gu, ' ')
      .trim()
      .slice(0, 60)
      .trim() || 'Desk'
  );
}

const stationOf = (actor: Actor) => entryStationName(actor.name?.trim() || 'Desk');

export function checkInEntryOf(r: CheckInRecord, providerAttendeeId: string): CheckInEntry {
  return {
    v: VENUE_SCHEMA_VERSION,
    kind: r.action,
    actionId: r.actionId,
    attendee: providerAttendeeId,
    ...(r.undoes !== null ? { undoes: r.undoes } : {}),
    at: new Date(r.at).toISOString(),
    stationId: r.stationId,
    stationName: entryStationName(r.station),
  };
}

export function vipEntryOf(r: VipRecord, providerAttendeeId: string): VipEntry {
  return { v: VENUE_SCHEMA_VERSION, attendee: providerAttendeeId, vip: r.vip, at: new Date(r.at).toISOString(), stationId: r.stationId, stationName: entryStationName(r.stationName) };
}

export function printEntryOf(r: PrintRecord, providerAttendeeId: string): PrintEntry {
  return {
    v: VENUE_SCHEMA_VERSION,
    attendee: providerAttendeeId,
    kind: r.kind,
    at: new Date(r.at).toISOString(),
    stationId: r.stationId,
    stationName: entryStationName(r.stationName),
    ...(r.by !== null ? { by: r.by.slice(0, 80) } : {}),
    ...(r.reason !== null ? { reason: r.reason.slice(0, 200) } : {}),
  };
}

/** JSON with sorted keys: two entries are the same entry when these are equal. */
function canonical(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}

const MAP_NAMES: readonly VenueMapName[] = ['checkins', 'vip', 'prints'];

export class VenueReplica {
  readonly stationId: string;
  private readonly attached = new Map<number, Attachment>();
  private readonly refusals = new Map<string, RefusedEntries>();

  constructor(private readonly deps: VenueReplicaDeps) {
    this.stationId = deps.venueStore.stationId;
    this.recordUnrecordedPrints();
  }

  // ---- documents ----

  /**
   * Binds an event's document (already loaded from persistence) to the read model: reconciles both
   * ways, then follows every remote change. The event must be in the mirror.
   */
  attach(key: VenueDocumentKey, doc: Y.Doc): { fromDocument: ReceiveCounts; toDocument: number } {
    const eventId = this.deps.store.findEventByProviderId(key.provider, key.providerEventId);
    if (eventId === undefined) throw new AppError('NOT_FOUND', `event ${key.provider}:${key.providerEventId} is not in this station's mirror`);
    if (this.attached.has(eventId)) throw new AppError('CONFLICT', 'this event already has a venue document attached');
    const maps: VenueMaps = { checkins: doc.getMap(VENUE_MAPS.checkins), vip: doc.getMap(VENUE_MAPS.vip), prints: doc.getMap(VENUE_MAPS.prints) };
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
    const attachment: Attachment = { key, eventId, doc, maps, stop: () => offs.forEach((off) => off()) };
    this.attached.set(eventId, attachment);
    return this.reconcile(attachment);
  }

  /** Stops following the event's document (the document itself belongs to the network half). */
  detach(key: VenueDocumentKey): void {
    const eventId = this.deps.store.findEventByProviderId(key.provider, key.providerEventId);
    const a = eventId === undefined ? undefined : this.attached.get(eventId);
    if (!a) return;
    a.stop();
    this.attached.delete(a.eventId);
  }

  /**
   * Opens the document of every event in the mirror through the network half's source (and of
   * each event added later), attached to this replica. Returns the function that closes them.
   */
  async connect(source: VenueDocumentSource, venueId: string): Promise<() => Promise<void>> {
    const keys = new Map<number, VenueDocumentKey>();
    const open = async (eventId: number, key: VenueDocumentKey) => {
      if (keys.has(eventId)) return;
      keys.set(eventId, key);
      const doc = await source.open(key);
      if (keys.get(eventId) === key) this.attach(key, doc);
    };
    for (const e of this.deps.venueStore.eventKeys()) await open(e.eventId, { venueId, provider: e.provider, providerEventId: e.providerEventId });
    const offAdded = this.deps.events.on('eventAdded', ({ eventId }) => {
      const e = this.deps.venueStore.eventKeys().find((k) => k.eventId === eventId);
      if (e) void open(eventId, { venueId, provider: e.provider, providerEventId: e.providerEventId });
    });
    return async () => {
      offAdded();
      for (const key of keys.values()) {
        this.detach(key);
        await source.close(key);
      }
      keys.clear();
    };
  }

  private reconcile(a: Attachment): { fromDocument: ReceiveCounts; toDocument: number } {
    const fromDocument: ReceiveCounts = { applied: 0, pending: 0, duplicates: 0, refused: 0 };
    for (const name of MAP_NAMES) {
      const changes: Change[] = [];
      a.maps[name].forEach((value, key) => changes.push({ key, value, replaced: false }));
      const c = this.receive(a.eventId, name, changes);
      for (const k of Object.keys(fromDocument) as (keyof ReceiveCounts)[]) fromDocument[k] += c[k];
    }
    const vs = this.deps.venueStore;
    const missing: Record<VenueMapName, [string, object][]> = { checkins: [], vip: [], prints: [] };
    for (const r of vs.checkInsOfEvent(a.eventId)) if (!a.maps.checkins.has(r.actionId)) missing.checkins.push([r.actionId, checkInEntryOf(r, r.providerAttendeeId)]);
    for (const r of vs.vipOfEvent(a.eventId)) if (!a.maps.vip.has(r.actionId)) missing.vip.push([r.actionId, vipEntryOf(r, r.providerAttendeeId)]);
    for (const r of vs.printsOfEvent(a.eventId)) if (!a.maps.prints.has(r.printId)) missing.prints.push([r.printId, printEntryOf(r, r.providerAttendeeId)]);
    for (const p of vs.pendingOfEvent(a.eventId)) if (!a.maps[p.map].has(p.entryId)) missing[p.map].push([p.entryId, JSON.parse(p.entry) as object]);
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
          this.refuse(check.stationId, check.reason);
          counts.refused++;
          continue;
        }
        // A key whose value was replaced may hold an entry already applied: compare. A new key
        // needs no look-up first: the inserts below ignore an id already stored (the first wins).
        const known = c.replaced ? this.storedEntry(map, c.key) : undefined;
        if (known !== undefined) {
          if (canonical(known) !== canonical(check.entry)) {
            this.refuse(check.entry.stationId, 'an entry was changed after it was written');
            counts.refused++;
          } else counts.duplicates++;
          continue;
        }
        const attendeeId = vs.attendeeIdOf(eventId, check.entry.attendee);
        if (attendeeId === undefined) {
          const kept = vs.addPending({ map, entryId: c.key, eventId, providerAttendeeId: check.entry.attendee, entry: JSON.stringify(check.entry) });
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
    const pending = vs.pendingEntry(map, key);
    return pending === undefined ? undefined : (JSON.parse(pending) as object);
  }

  /** Writes a valid entry to the read model; false when its id was already there. */
  private apply<M extends VenueMapName>(eventId: number, attendeeId: number, map: M, key: string, entry: EntryOf<M>): boolean {
    const vs = this.deps.venueStore;
    if (map === 'checkins') {
      const e = entry as CheckInEntry;
      return vs.appendCheckIn({ actionId: key, eventId, attendeeId, action: e.kind, station: e.stationName, stationId: e.stationId, undoes: e.undoes ?? null, at: e.at }) !== null;
    }
    if (map === 'vip') {
      const e = entry as VipEntry;
      return vs.appendVip({ actionId: key, eventId, attendeeId, vip: e.vip, at: e.at, stationId: e.stationId, stationName: e.stationName });
    }
    const p = entry as PrintEntry;
    return vs.appendPrint({ printId: key, eventId, attendeeId, kind: p.kind, at: p.at, stationId: p.stationId, stationName: p.stationName, by: p.by ?? null, reason: p.reason ?? null, jobId: null });
  }

  /** Entries are never deleted: one a peer deleted goes back into the document from SQLite. */
  private restoreDeleted(eventId: number, map: VenueMapName, keys: readonly string[]): void {
    const restore: [string, object][] = [];
    for (const k of keys) {
      const entry = this.storedEntry(map, k);
      if (entry) restore.push([k, entry]);
    }
    this.refuse(null, `${keys.length} entr${keys.length === 1 ? 'y was' : 'ies were'} deleted from the document`);
    // After the current transaction's observers: a new transaction from inside one would nest.
    queueMicrotask(() => {
      const a = this.attached.get(eventId);
      if (a) this.write(a, { checkins: [], vip: [], prints: [], [map]: restore });
    });
  }

  /** Applies the waiting entries whose attendee has arrived in the mirror (after a sync's upsert). */
  attendeesArrived(eventId: number): number {
    const vs = this.deps.venueStore;
    const arrived = vs.arrivedPending(eventId);
    if (arrived.length === 0) return 0;
    const touched: Record<VenueMapName, Set<number>> = { checkins: new Set(), vip: new Set(), prints: new Set() };
    vs.transaction(() => {
      for (const p of arrived) {
        const check = checkEntry(p.map, p.entryId, JSON.parse(p.entry));
        vs.removePending(p.map, p.entryId);
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

  private refuse(stationId: string | null, reason: string): void {
    const key = stationId ?? '';
    const prev = this.refusals.get(key);
    this.refusals.set(key, { stationId, count: (prev?.count ?? 0) + 1, lastReason: reason, lastAt: isoTime(this.deps.clock.now()) });
  }

  /** Remote entries refused since start-up, per station they claimed to come from. */
  refused(): RefusedEntries[] {
    return [...this.refusals.values()].sort((a, b) => b.count - a.count);
  }

  // ---- local actions: SQLite first (done by the caller), then the document ----

  /** The desk committed these log rows (check-ins, undos): into the document, in the same tick. */
  publishCheckIns(eventId: number, actionIds: readonly string[]): void {
    const a = this.attached.get(eventId);
    if (!a) return;
    const vs = this.deps.venueStore;
    const entries: [string, object][] = [];
    for (const id of actionIds) {
      const r = vs.checkInByActionId(id);
      if (r && r.eventId === eventId) entries.push([id, checkInEntryOf(r, vs.providerAttendeeIdOf(r.attendeeId)!)]);
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
        stationId: this.stationId,
        stationName: stationOf(actor),
      };
      vs.appendVip(r);
      return r;
    });
    const a = this.attached.get(attendee.eventId);
    if (a) this.write(a, { checkins: [], vip: [[record.actionId, vipEntryOf(record, attendee.providerAttendeeId)]], prints: [] });
  }

  /** A print job changed: a badge that came out of the printer becomes the venue's print record. */
  recordPrinted(job: PrintJob): void {
    if (job.state !== 'printed' || job.attendeeId === null || job.eventId === null || job.reason === 'test') return;
    this.recordPrint({ jobId: job.id, eventId: job.eventId, attendeeId: job.attendeeId, reason: job.reason, requestedBy: job.requestedBy, note: job.note, printedAt: job.printedAt ?? job.updatedAt });
  }

  private recordPrint(j: { jobId: number; eventId: number; attendeeId: number; reason: string; requestedBy: string; note: string | null; printedAt: string }): void {
    const vs = this.deps.venueStore;
    const record: PrintRecord = {
      // One record per job, whoever writes it (the print itself or the start-up repair).
      printId: `p-${this.stationId}-${j.jobId}`,
      eventId: j.eventId,
      attendeeId: j.attendeeId,
      kind: j.reason === 'reprint' ? 'reprint' : 'first',
      at: j.printedAt,
      stationId: this.stationId,
      stationName: entryStationName(j.requestedBy),
      by: j.requestedBy,
      reason: j.note,
      jobId: j.jobId,
    };
    if (!vs.appendPrint(record)) return;
    const a = this.attached.get(j.eventId);
    const pid = vs.providerAttendeeIdOf(j.attendeeId);
    if (a && pid !== undefined) this.write(a, { checkins: [], vip: [], prints: [[record.printId, printEntryOf(record, pid)]] });
  }

  /** At start-up: badges printed just before a crash that wrote the job but not its record. */
  private recordUnrecordedPrints(): void {
    for (const j of this.deps.venueStore.printedJobsWithoutRecord()) this.recordPrint(j);
  }

  private write(a: Attachment, entries: Record<VenueMapName, [string, object][]>): void {
    if (MAP_NAMES.every((m) => entries[m].length === 0)) return;
    a.doc.transact(() => {
      for (const m of MAP_NAMES) for (const [k, v] of entries[m]) a.maps[m].set(k, v);
    }, LOCAL_ORIGIN);
  }

  // ---- what the desk and the admin read ----

  /** The venue's earliest first print of this attendee, for the print pre-check; null when none. */
  priorPrint(attendeeId: number): PriorPrint | null {
    const p = this.deps.venueStore.firstPrint(attendeeId);
    return p ? { at: p.at, stationName: p.stationName } : null;
  }

  /** People admitted, or badges printed, at two or more desks while they could not see each other. */
  conflicts(eventId: number): VenueConflicts {
    return { eventId, admissions: this.deps.venueStore.doubleAdmissions(eventId), prints: this.deps.venueStore.doublePrints(eventId) };
  }

  /** Remote entries of this event waiting for their attendee to reach the mirror. */
  pendingCount(eventId: number): number {
    return this.deps.venueStore.pendingOfEvent(eventId).length;
  }

  /** Whether the event's document is attached (tests, the network half's status). */
  isAttached(eventId: number): boolean {
    return this.attached.has(eventId);
  }
}
