// The attendee list from the desk that polls the provider: that desk (the poller) writes its
// mirror's provider records into the event's roster map, its event's details and its sync status
// ("Syncing via Desk 1") into the event map, and lists the event in the venue's directory; every
// other desk takes the roster into its mirror through the provider sync's own upsert (newest by
// the provider's change stamp), a chunk per turn so a 100,000-row roster never holds the desk.
import type * as Y from 'yjs';
import type { MirrorStore } from '../../db/store.ts';
import { isoTime, type Clock } from '../../ground/clock.ts';
import type { CoreEvents } from '../../ground/events.ts';
import type { VenueDocumentSource } from '../contracts.ts';
import type { EventSyncSource } from '../../../shared/types.ts';
import {
  MAX_ROSTER_ENTRIES,
  asRosterRecord,
  checkRosterEntry,
  compareRosterRecords,
  eventDetailsSchema,
  rosterChangeWins,
  rosterEntryOf,
  sameRosterFields,
  syncSourceSchema,
  type EventDetailsEntry,
  type RosterAttendee,
  type SyncSourceEntry,
} from '../../../shared/venue-roster.ts';
import { LOCAL_ORIGIN, type Attachment, type AttachmentOf } from './attachment.ts';
import { canonical, entryStationName } from './entries.ts';
import type { RefusalCounts } from './refusals.ts';

/** Roster records applied (or published) per turn of the event loop: a 100,000-row roster never holds the desk. */
const ROSTER_CHUNK = 2_000;

export interface RosterReplicaDeps {
  store: MirrorStore;
  clock: Clock;
  events: CoreEvents;
  refusals: RefusalCounts;
  attachmentOf: AttachmentOf;
  stationId: string;
  /** This desk's name, as the sync status it shares names it. */
  stationName?: () => string;
  /** Whether this desk polls the event for the venue (and so writes its roster and status). */
  isPoller: (eventId: number) => boolean;
  /** The network half's documents, while the replica is connected to a venue. */
  source: () => VenueDocumentSource | null;
}

export class RosterReplica {
  private announcingRemoteSource = false;
  private readonly rosterWaiters = new Map<number, (() => void)[]>();

  constructor(private readonly deps: RosterReplicaDeps) {}

  /** Follows the remote changes of the event's roster and event maps; returns the function that stops. */
  observe(eventId: number, roster: Y.Map<unknown>, eventMap: Y.Map<unknown>): () => void {
    const rosterObserver = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
      if (tr.origin === LOCAL_ORIGIN) return;
      const a = this.deps.attachmentOf(eventId);
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
    return () => {
      roster.unobserve(rosterObserver);
      eventMap.unobserve(eventObserver);
    };
  }

  /**
   * At attach: the poller puts what its mirror holds and the document lacks (or holds otherwise)
   * into the document; every other desk takes the document's records. Either way a chunk a turn.
   */
  reconcile(a: Attachment): void {
    this.countPastDocumentOrders(a);
    if (this.deps.isPoller(a.eventId)) {
      this.publishEvent(a.eventId);
      a.rosterOutbox = this.deps.store.providerAttendeeIds(a.eventId);
    }
    a.roster.forEach((_v, k) => a.rosterInbox.add(k));
    this.applyEventDetails(a.eventId);
    this.scheduleRoster(a);
  }

  /**
   * Every desk counts past the orders its document holds, so that if it takes over as poller its
   * records come after every record of the pollers before it. A quick scan without validation:
   * only an integer order in range is read (the entries themselves are checked when applied).
   */
  private countPastDocumentOrders(a: Attachment): void {
    let highest = 0;
    a.roster.forEach((value) => {
      const order = (value as { order?: unknown } | null)?.order;
      if (typeof order === 'number' && Number.isSafeInteger(order) && order > highest) highest = order;
    });
    this.deps.store.raiseRosterCounter(a.eventId, highest);
  }

  /** The document is no longer followed: no turn left to run, and whoever waited for the roster is told. */
  stop(a: Attachment): void {
    if (a.rosterTurn) clearImmediate(a.rosterTurn);
    this.settleRoster(a);
  }

  /** The poller lists its event in the venue's directory, so desks without an account open it. */
  listEvent(eventId: number): void {
    const a = this.deps.attachmentOf(eventId);
    const name = this.deps.store.eventName(eventId);
    const source = this.deps.source();
    if (!a || name === undefined || !source || !this.deps.isPoller(eventId)) return;
    source.listVenueEvent({
      v: 1,
      provider: a.key.provider,
      providerEventId: a.key.providerEventId,
      name: name.slice(0, 300),
      stationId: this.deps.stationId,
    });
  }

  /** The sync changed these rows (the engine's attendeesChanged): the poller publishes them. */
  publishRoster(eventId: number, attendeeIds: readonly number[]): void {
    const a = this.deps.attachmentOf(eventId);
    if (!a || attendeeIds.length === 0 || !this.deps.isPoller(eventId)) return;
    const records = this.deps.store.providerRecords(eventId, attendeeIds);
    this.writeRoster(a, [...records.values()], 'changed');
  }

  /** Resolves when the event's roster records received so far are in the mirror (tests, benchmarks). */
  rosterSettled(eventId: number): Promise<void> {
    const a = this.deps.attachmentOf(eventId);
    if (!a || (!a.rosterTurn && a.rosterInbox.size === 0 && !a.rosterOutbox?.length))
      return Promise.resolve();
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
    const a = this.deps.attachmentOf(eventId);
    if (!a || this.announcingRemoteSource || !this.deps.isPoller(eventId)) return;
    const e = this.deps.store.getEvent(eventId);
    if (!e) return;
    const details: EventDetailsEntry = {
      v: 1,
      name: e.name.slice(0, 300),
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      timezone: e.timezone,
      url: e.url,
    };
    const source: SyncSourceEntry = {
      v: 1,
      stationId: this.deps.stationId,
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
    const sourceChanged =
      !currentSource.success ||
      canonical({ ...currentSource.data, at: '' }) !== canonical({ ...source, at: '' });
    if (!detailsChanged && !sourceChanged) return;
    a.doc.transact(() => {
      if (detailsChanged) a.eventMap.set('details', details);
      if (sourceChanged) a.eventMap.set('source', source);
    }, LOCAL_ORIGIN);
  }

  /** Who syncs the event for this desk, when it is another desk (null: this desk itself, or nobody said yet). */
  syncSource(eventId: number): EventSyncSource | null {
    const a = this.deps.attachmentOf(eventId);
    if (!a) return null;
    const parsed = syncSourceSchema.safeParse(a.eventMap.get('source'));
    if (!parsed.success || parsed.data.stationId === this.deps.stationId) return null;
    const s = parsed.data;
    return {
      stationId: s.stationId,
      deskName: s.stationName,
      online: this.deps.source()?.deskOnline(s.stationId) ?? false,
      status: s.status,
      statusReason: s.statusReason,
      lastError: s.lastError,
      lastSyncedAt: s.lastSyncedAt,
      at: s.at,
    };
  }

  private scheduleRoster(a: Attachment): void {
    if (a.rosterTurn || (a.rosterInbox.size === 0 && !a.rosterOutbox?.length)) {
      if (!a.rosterTurn) this.settleRoster(a);
      return;
    }
    a.rosterTurn = setImmediate(() => {
      a.rosterTurn = null;
      if (this.deps.attachmentOf(a.eventId) !== a) return;
      try {
        if (a.rosterOutbox?.length) this.publishRosterRecords(a, a.rosterOutbox.splice(0, ROSTER_CHUNK));
        else this.applyRosterChunk(a);
      } catch (err) {
        // A storage failure: the records stay in the document and are applied at the next attach.
        this.deps.refusals.refuse(
          null,
          `roster not applied: ${err instanceof Error ? err.message : String(err)}`,
        );
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
        this.deps.refusals.refuse(check.stationId, check.reason);
        continue;
      }
      valid.push(check.attendee);
    }
    if (valid.length === 0) return;
    const ids = valid.map((r) => r.providerAttendeeId);
    const records = this.deps.store.providerRecordsByProviderId(a.eventId, ids);
    const orders = this.deps.store.rosterOrders(a.eventId, ids);
    const current = (pid: string): RosterAttendee | undefined => {
      const record = records.get(pid);
      return record && { ...record, rosterOrder: orders.get(pid) ?? null };
    };
    const poller = this.deps.isPoller(a.eventId);
    const sameStampWins = !poller;
    const newOrders = new Map<string, number>();
    const rewrite: RosterAttendee[] = [];
    let room = MAX_ROSTER_ENTRIES - a.roster.size;
    const rows = valid.filter((r) => {
      const mine = current(r.providerAttendeeId);
      if (!rosterChangeWins(r, mine, sameStampWins)) {
        if (mine && compareRosterRecords(r, mine) < 0 && !sameRosterFields(r, asRosterRecord(mine))) {
          // An older record in the document (a poller before this one wrote it late): the poller
          // writes its own back, so every desk, and a desk that joins later, ends on the newer one.
          if (poller) rewrite.push(mine);
        } else if (mine && typeof r.rosterOrder === 'number')
          newOrders.set(r.providerAttendeeId, r.rosterOrder);
        return false;
      }
      if (typeof r.rosterOrder === 'number') newOrders.set(r.providerAttendeeId, r.rosterOrder);
      if (mine) return true;
      // A roster over the cap (a peer holding the secret filling the document): what is already
      // in the mirror still updates; nothing new is added beyond the cap.
      if (room >= 0) return true;
      room++;
      newOrders.delete(r.providerAttendeeId);
      this.deps.refusals.refuse(null, `the roster holds more than ${MAX_ROSTER_ENTRIES} attendees`);
      return false;
    });
    const result =
      rows.length === 0
        ? null
        : this.deps.store.upsertAttendees(a.eventId, rows, null, isoTime(this.deps.clock.now()));
    // The order of each record taken (or equal to the one held, and later) is kept; every order
    // seen is counted past, so a takeover here continues after it.
    this.deps.store.setRosterOrders(a.eventId, newOrders);
    this.deps.store.raiseRosterCounter(
      a.eventId,
      Math.max(0, ...valid.map((r) => (typeof r.rosterOrder === 'number' ? r.rosterOrder : 0))),
    );
    if (result?.changedIds.length)
      this.deps.events.emit('attendeesChanged', { eventId: a.eventId, attendeeIds: result.changedIds });
    if (rewrite.length > 0) this.writeRoster(a, rewrite, 'republish');
  }

  /**
   * At attach, the poller's mirror records the document lacks or holds otherwise. One the document
   * holds newer (a poller that took over while this desk was away wrote it) is not written: the
   * inbox takes it into the mirror instead.
   */
  private publishRosterRecords(a: Attachment, providerAttendeeIds: readonly string[]): void {
    if (!this.deps.isPoller(a.eventId)) {
      a.rosterOutbox = null;
      return;
    }
    const records = this.deps.store.providerRecordsByProviderId(a.eventId, providerAttendeeIds);
    const orders = this.deps.store.rosterOrders(a.eventId, providerAttendeeIds);
    const stale = (r: RosterAttendee) => {
      const inDoc = checkRosterEntry(r.providerAttendeeId, a.roster.get(r.providerAttendeeId));
      const mine = { ...r, rosterOrder: orders.get(r.providerAttendeeId) ?? null };
      return inDoc.ok && compareRosterRecords(mine, inDoc.attendee) < 0;
    };
    this.writeRoster(
      a,
      [...records.values()].filter((r) => !stale(r)),
      'republish',
    );
  }

  /**
   * The poller writes the records the document lacks or holds otherwise. The order says when the
   * poller saw the record: one its sync just `changed` takes the next order of the event's counter;
   * one it writes again (`republish`: at attach, or back over a deleted or older entry) keeps the
   * order it was given, so a record this desk saw before a takeover never passes for newer than
   * what the desk that took over saw since. Orders are kept in the mirror too.
   */
  private writeRoster(a: Attachment, records: readonly RosterAttendee[], why: 'changed' | 'republish'): void {
    const changed = records.filter((r) => {
      const inDoc = checkRosterEntry(r.providerAttendeeId, a.roster.get(r.providerAttendeeId));
      return !inDoc.ok || !sameRosterFields(inDoc.attendee, asRosterRecord(r));
    });
    if (changed.length === 0) return;
    const known =
      why === 'republish'
        ? this.deps.store.rosterOrders(
            a.eventId,
            changed.map((r) => r.providerAttendeeId),
          )
        : new Map<string, number | null>();
    const unordered = changed.filter((r) => typeof known.get(r.providerAttendeeId) !== 'number').length;
    let next = unordered > 0 ? this.deps.store.takeRosterOrders(a.eventId, unordered) : 0;
    const orders = new Map<string, number>();
    a.doc.transact(() => {
      for (const r of changed) {
        const order = known.get(r.providerAttendeeId) ?? next++;
        orders.set(r.providerAttendeeId, order);
        a.roster.set(r.providerAttendeeId, rosterEntryOf(r, this.deps.stationId, order));
      }
    }, LOCAL_ORIGIN);
    this.deps.store.setRosterOrders(a.eventId, orders);
  }

  /** A peer deleted roster records: the poller writes them back from its mirror; others keep their rows. */
  private rosterDeleted(a: Attachment, keys: readonly string[]): void {
    this.deps.refusals.refuse(
      null,
      `${keys.length} roster entr${keys.length === 1 ? 'y was' : 'ies were'} deleted from the document`,
    );
    if (!this.deps.isPoller(a.eventId)) return;
    queueMicrotask(() => {
      if (this.deps.attachmentOf(a.eventId) === a)
        this.writeRoster(
          a,
          [...this.deps.store.providerRecordsByProviderId(a.eventId, keys).values()],
          'republish',
        );
    });
  }

  private settleRoster(a: Attachment): void {
    const waiters = this.rosterWaiters.get(a.eventId);
    if (!waiters) return;
    this.rosterWaiters.delete(a.eventId);
    for (const w of waiters) w();
  }

  /** A venue event's details as its poller wrote them, into this mirror (a desk without an account). */
  private applyEventDetails(eventId: number): void {
    const a = this.deps.attachmentOf(eventId);
    if (!a || this.deps.store.eventHasIntegration(eventId)) return;
    const details = eventDetailsSchema.safeParse(a.eventMap.get('details'));
    if (!details.success) return;
    const { v: _v, ...d } = details.data;
    this.deps.store.updateEventDetails(eventId, { providerEventId: a.key.providerEventId, ...d });
  }
}
