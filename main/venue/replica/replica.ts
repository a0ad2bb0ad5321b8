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
import type { EventSyncSource } from '../../../shared/types.ts';
import {
  MAX_ROSTER_ENTRIES,
  ROSTER_MAPS,
  checkRosterEntry,
  eventDetailsSchema,
  rosterChangeWins,
  rosterEntryOf,
  sameRosterFields,
  syncSourceSchema,
  venueEventKey,
  type EventDetailsEntry,
  type RosterAttendee,
  type SyncSourceEntry,
  type VenueEventListing,
} from '../../../shared/venue-roster.ts';
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
  /**
   * Whether this desk is the one that polls the event's provider for the venue, and so writes
   * the event's roster and sync status into its document. Default: it holds an account for it.
   */
  isPoller?: (eventId: number) => boolean;
  /** This desk's name, as the sync status it shares names it. */
  stationName?: () => string;
}

/** Roster records applied (or published) per turn of the event loop: a 100,000-row roster never holds the desk. */
const ROSTER_CHUNK = 2_000;

/** The origin of this replica's own document transactions: its observers skip them. */
const LOCAL_ORIGIN = Symbol('venue replica: local action');

type VenueMaps = Record<VenueMapName, Y.Map<unknown>>;

interface Attachment {
  key: VenueDocumentKey;
  eventId: number;
  doc: Y.Doc;
  maps: VenueMaps;
  roster: Y.Map<unknown>;
  eventMap: Y.Map<unknown>;
  /** Roster keys a peer wrote that wait to be applied to the mirror, a chunk per turn. */
  rosterInbox: Set<string>;
  /** Mirror rows (provider attendee ids) this desk, as poller, still has to publish. */
  rosterOutbox: string[] | null;
  rosterTurn: NodeJS.Immediate | null;
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
    const roster = doc.getMap(ROSTER_MAPS.roster);
    const eventMap = doc.getMap(ROSTER_MAPS.event);
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
    const rosterObserver = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
      if (tr.origin === LOCAL_ORIGIN) return;
      const a = this.attached.get(eventId);
      if (!a) return;
      const deleted: string[] = [];
      event.changes.keys.forEach((change, k) => {
        if (change.action === 'delete') deleted.push(k);
        else a.rosterInbox.add(k);
      });
      if (deleted.length) this.rosterDeleted(a, deleted);
      this.scheduleRoster(a);
    };
    const eventObserver = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
      if (tr.origin === LOCAL_ORIGIN) return;
      if (event.keysChanged.has('details')) this.applyEventDetails(eventId);
      // Announced so the event page re-reads "Syncing via …"; not answered with this desk's own
      // status (two desks that both hold an account would write theirs back and forth).
      this.announcingRemoteSource = true;
      try {
        this.deps.events.emit('syncChanged', { eventId });
      } finally {
        this.announcingRemoteSource = false;
      }
    };
    roster.observe(rosterObserver);
    eventMap.observe(eventObserver);
    offs.push(() => roster.unobserve(rosterObserver), () => eventMap.unobserve(eventObserver));
    const attachment: Attachment = {
      key,
      eventId,
      doc,
      maps,
      roster,
      eventMap,
      rosterInbox: new Set(),
      rosterOutbox: null,
      rosterTurn: null,
      stop: () => {
        offs.forEach((off) => off());
        if (attachment.rosterTurn) clearImmediate(attachment.rosterTurn);
        this.settleRoster(attachment);
      },
    };
    this.attached.set(eventId, attachment);
    const counts = this.reconcile(attachment);
    this.reconcileRoster(attachment);
    return counts;
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
    /** Documents of the venue's events this mirror lacks, open until their details arrive. */
    const arriving = new Map<string, { key: VenueDocumentKey; stop: () => void }>();
    let closed = false;
    this.source = source;
    const open = async (eventId: number, key: VenueDocumentKey) => {
      if (keys.has(eventId)) return;
      keys.set(eventId, key);
      const doc = await source.open(key);
      if (keys.get(eventId) !== key) return;
      this.attach(key, doc);
      this.listEvent(eventId);
    };
    // An event of the venue that this mirror lacks: its document gives the details, then the
    // roster; the event becomes a venue event here (no account), and its desk works as any other.
    const openArriving = async (listing: VenueEventListing) => {
      const name = venueEventKey(listing.provider, listing.providerEventId);
      if (arriving.has(name) || this.deps.store.findEventByProviderId(listing.provider, listing.providerEventId) !== undefined) return;
      const key: VenueDocumentKey = { venueId, provider: listing.provider, providerEventId: listing.providerEventId };
      const entry = { key, stop: () => undefined as void };
      arriving.set(name, entry);
      const doc = await source.open(key);
      const eventMap = doc.getMap(ROSTER_MAPS.event);
      const tryAdd = (): boolean => {
        if (closed) return true;
        const details = eventDetailsSchema.safeParse(eventMap.get('details'));
        if (!details.success) return false;
        // It arrived another way meanwhile (an import here): followed as this mirror's own event.
        if (this.deps.store.findEventByProviderId(listing.provider, listing.providerEventId) !== undefined) return true;
        const { v: _v, ...d } = details.data;
        const eventId = this.deps.store.insertVenueEvent(listing.provider, { providerEventId: listing.providerEventId, ...d }, isoTime(this.deps.clock.now()));
        keys.set(eventId, key);
        this.attach(key, doc);
        this.deps.events.emit('eventAdded', { eventId });
        return true;
      };
      if (tryAdd()) {
        arriving.delete(name);
        return;
      }
      const observer = () => {
        if (!tryAdd()) return;
        eventMap.unobserve(observer);
        arriving.delete(name);
      };
      eventMap.observe(observer);
      entry.stop = () => eventMap.unobserve(observer);
    };
    const followDirectory = () => {
      for (const listing of source.venueEvents()) void openArriving(listing);
    };
    for (const e of this.deps.venueStore.eventKeys()) await open(e.eventId, { venueId, provider: e.provider, providerEventId: e.providerEventId });
    const offAdded = this.deps.events.on('eventAdded', ({ eventId }) => {
      const e = this.deps.venueStore.eventKeys().find((k) => k.eventId === eventId);
      if (e) void open(eventId, { venueId, provider: e.provider, providerEventId: e.providerEventId });
    });
    const offDirectory = source.onVenueEventsChanged(followDirectory);
    followDirectory();
    return async () => {
      closed = true;
      offAdded();
      offDirectory();
      if (this.source === source) this.source = null;
      for (const { key, stop } of arriving.values()) {
        stop();
        await source.close(key);
      }
      arriving.clear();
      for (const key of keys.values()) {
        this.detach(key);
        await source.close(key);
      }
      keys.clear();
    };
  }

  private source: VenueDocumentSource | null = null;
  private announcingRemoteSource = false;

  private isPoller(eventId: number): boolean {
    return this.deps.isPoller ? this.deps.isPoller(eventId) : this.deps.store.eventHasIntegration(eventId);
  }

  /** The poller lists its event in the venue's directory, so desks without an account open it. */
  private listEvent(eventId: number): void {
    const a = this.attached.get(eventId);
    const name = this.deps.store.eventName(eventId);
    if (!a || name === undefined || !this.source || !this.isPoller(eventId)) return;
    this.source.listVenueEvent({ v: 1, provider: a.key.provider, providerEventId: a.key.providerEventId, name: name.slice(0, 300), stationId: this.stationId });
  }

  // ---- the roster: the attendee list from the desk that polls the provider ----

  /**
   * At attach: the poller puts what its mirror holds and the document lacks (or holds otherwise)
   * into the document; every other desk takes the document's records. Either way a chunk a turn.
   */
  private reconcileRoster(a: Attachment): void {
    if (this.isPoller(a.eventId)) {
      this.publishEvent(a.eventId);
      a.rosterOutbox = this.deps.store.providerAttendeeIds(a.eventId);
    }
    a.roster.forEach((_v, k) => a.rosterInbox.add(k));
    this.applyEventDetails(a.eventId);
    this.scheduleRoster(a);
  }

  private scheduleRoster(a: Attachment): void {
    if (a.rosterTurn || (a.rosterInbox.size === 0 && !a.rosterOutbox?.length)) {
      if (!a.rosterTurn) this.settleRoster(a);
      return;
    }
    a.rosterTurn = setImmediate(() => {
      a.rosterTurn = null;
      if (this.attached.get(a.eventId) !== a) return;
      try {
        if (a.rosterOutbox?.length) this.publishRosterRecords(a, a.rosterOutbox.splice(0, ROSTER_CHUNK));
        else this.applyRosterChunk(a);
      } catch (err) {
        // A storage failure: the records stay in the document and are applied at the next attach.
        this.refuse(null, `roster not applied: ${err instanceof Error ? err.message : String(err)}`);
        a.rosterInbox.clear();
        a.rosterOutbox = null;
      }
      this.scheduleRoster(a);
    });
  }

  private applyRosterChunk(a: Attachment): void {
    const keys: string[] = [];
    for (const k of a.rosterInbox) {
      keys.push(k);
      if (keys.length === ROSTER_CHUNK) break;
    }
    for (const k of keys) a.rosterInbox.delete(k);
    const valid: RosterAttendee[] = [];
    for (const k of keys) {
      if (!a.roster.has(k)) continue;
      const check = checkRosterEntry(k, a.roster.get(k));
      if (!check.ok) {
        this.refuse(check.stationId, check.reason);
        continue;
      }
      valid.push(check.attendee);
    }
    if (valid.length === 0) return;
    const current = this.deps.store.providerRecordsByProviderId(a.eventId, valid.map((r) => r.providerAttendeeId));
    const sameStampWins = !this.isPoller(a.eventId);
    let room = MAX_ROSTER_ENTRIES - a.roster.size;
    const rows = valid.filter((r) => {
      if (!rosterChangeWins(r, current.get(r.providerAttendeeId), sameStampWins)) return false;
      if (current.has(r.providerAttendeeId)) return true;
      // A roster over the cap (a peer holding the secret filling the document): what is already
      // in the mirror still updates; nothing new is added beyond the cap.
      if (room >= 0) return true;
      room++;
      this.refuse(null, `the roster holds more than ${MAX_ROSTER_ENTRIES} attendees`);
      return false;
    });
    if (rows.length === 0) return;
    const result = this.deps.store.upsertAttendees(a.eventId, rows, null, isoTime(this.deps.clock.now()));
    if (result.changedIds.length) this.deps.events.emit('attendeesChanged', { eventId: a.eventId, attendeeIds: result.changedIds });
  }

  /** The sync changed these rows (the engine's attendeesChanged): the poller publishes them. */
  publishRoster(eventId: number, attendeeIds: readonly number[]): void {
    const a = this.attached.get(eventId);
    if (!a || attendeeIds.length === 0 || !this.isPoller(eventId)) return;
    const records = this.deps.store.providerRecords(eventId, attendeeIds);
    this.writeRoster(a, [...records.values()]);
  }

  private publishRosterRecords(a: Attachment, providerAttendeeIds: readonly string[]): void {
    if (!this.isPoller(a.eventId)) {
      a.rosterOutbox = null;
      return;
    }
    this.writeRoster(a, [...this.deps.store.providerRecordsByProviderId(a.eventId, providerAttendeeIds).values()]);
  }

  private writeRoster(a: Attachment, records: readonly RosterAttendee[]): void {
    const changed = records.filter((r) => {
      const inDoc = checkRosterEntry(r.providerAttendeeId, a.roster.get(r.providerAttendeeId));
      return !inDoc.ok || !sameRosterFields(inDoc.attendee, r);
    });
    if (changed.length === 0) return;
    a.doc.transact(() => {
      for (const r of changed) a.roster.set(r.providerAttendeeId, rosterEntryOf(r, this.stationId));
    }, LOCAL_ORIGIN);
  }

  /** A peer deleted roster records: the poller writes them back from its mirror; others keep their rows. */
  private rosterDeleted(a: Attachment, keys: readonly string[]): void {
    this.refuse(null, `${keys.length} roster entr${keys.length === 1 ? 'y was' : 'ies were'} deleted from the document`);
    if (!this.isPoller(a.eventId)) return;
    queueMicrotask(() => {
      if (this.attached.get(a.eventId) === a) this.writeRoster(a, [...this.deps.store.providerRecordsByProviderId(a.eventId, keys).values()]);
    });
  }

  private readonly rosterWaiters = new Map<number, (() => void)[]>();

  private settleRoster(a: Attachment): void {
    const waiters = this.rosterWaiters.get(a.eventId);
    if (!waiters) return;
    this.rosterWaiters.delete(a.eventId);
    for (const w of waiters) w();
  }

  /** Resolves when the event's roster records received so far are in the mirror (tests, benchmarks). */
  rosterSettled(eventId: number): Promise<void> {
    const a = this.attached.get(eventId);
    if (!a || (!a.rosterTurn && a.rosterInbox.size === 0 && !a.rosterOutbox?.length)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.rosterWaiters.get(eventId) ?? [];
      list.push(resolve);
      this.rosterWaiters.set(eventId, list);
    });
  }

  /**
   * The poller writes what desks that mirror the event from the venue show of it: its details
   * (name, times) and its own sync status ("Syncing via Desk 1"). Written only when they changed.
   */
  publishEvent(eventId: number): void {
    const a = this.attached.get(eventId);
    if (!a || this.announcingRemoteSource || !this.isPoller(eventId)) return;
    const e = this.deps.store.getEvent(eventId);
    if (!e) return;
    const details: EventDetailsEntry = { v: 1, name: e.name.slice(0, 300), startsAt: e.startsAt, endsAt: e.endsAt, timezone: e.timezone, url: e.url };
    const source: SyncSourceEntry = {
      v: 1,
      stationId: this.stationId,
      stationName: entryStationName(this.deps.stationName?.() ?? 'Desk'),
      status: e.status,
      statusReason: e.statusReason?.slice(0, 300) ?? null,
      lastError: e.lastError?.slice(0, 1_000) ?? null,
      lastSyncedAt: e.lastSyncedAt,
      at: isoTime(this.deps.clock.now()),
    };
    const currentDetails = eventDetailsSchema.safeParse(a.eventMap.get('details'));
    const currentSource = syncSourceSchema.safeParse(a.eventMap.get('source'));
    const detailsChanged = !currentDetails.success || canonical(currentDetails.data) !== canonical(details);
    // The time it was written is not a change of its own.
    const sourceChanged = !currentSource.success || canonical({ ...currentSource.data, at: '' }) !== canonical({ ...source, at: '' });
    if (!detailsChanged && !sourceChanged) return;
    a.doc.transact(() => {
      if (detailsChanged) a.eventMap.set('details', details);
      if (sourceChanged) a.eventMap.set('source', source);
    }, LOCAL_ORIGIN);
  }

  /** A venue event's details as its poller wrote them, into this mirror (a desk without an account). */
  private applyEventDetails(eventId: number): void {
    const a = this.attached.get(eventId);
    if (!a || this.deps.store.eventHasIntegration(eventId)) return;
    const details = eventDetailsSchema.safeParse(a.eventMap.get('details'));
    if (!details.success) return;
    const { v: _v, ...d } = details.data;
    this.deps.store.updateEventDetails(eventId, { providerEventId: a.key.providerEventId, ...d });
  }

  /** Who syncs the event for this desk, when it is another desk (null: this desk itself, or nobody said yet). */
  syncSource(eventId: number): EventSyncSource | null {
    const a = this.attached.get(eventId);
    if (!a) return null;
    const parsed = syncSourceSchema.safeParse(a.eventMap.get('source'));
    if (!parsed.success || parsed.data.stationId === this.stationId) return null;
    const s = parsed.data;
    return {
      stationId: s.stationId,
      deskName: s.stationName,
      online: this.source?.deskOnline(s.stationId) ?? false,
      status: s.status,
      statusReason: s.statusReason,
      lastError: s.lastError,
      lastSyncedAt: s.lastSyncedAt,
      at: s.at,
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
