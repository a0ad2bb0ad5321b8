// The venue's data half: moves entries between an event's Yjs document and the SQLite read model,
// which stays the desk's only source for reads. It composes:
// - the log (entry-log.ts): check-ins and undos, VIP flags and prints, both ways, every remote
//   entry validated on the way in;
// - print records (print-records.ts): badges printed here become the venue's print entries, and
//   the venue's first print of an attendee answers the print pre-check;
// - the roster (roster-replica.ts): the attendee list and event details from the desk that polls;
// - badges sent to print stations (station-jobs.ts), when the core gives their hooks.
// attach() reconciles both ways (a crash between the two writes, a document lost or restored from
// an older copy), then follows every remote change; with no document attached, local actions
// stay in SQLite and go into the document when it is attached. No replication logic here: Yjs
// merges, the network half carries the documents.
import type * as Y from 'yjs';
import type { MirrorStore } from '../../db/store.ts';
import type { VenueStore } from '../../db/venue-store.ts';
import type { DoorStore, StoredDoorEntry } from '../../db/door-store.ts';
import type { Clock } from '../../ground/clock.ts';
import { isoTime } from '../../ground/clock.ts';
import type { CoreEvents } from '../../ground/events.ts';
import type { VenueDocumentKey, VenueDocumentSource } from '../contracts.ts';
import { AppError } from '../../../shared/errors.ts';
import { yieldToEventLoop } from '../../ground/yield.ts';
import type { Actor, EventSyncSource } from '../../../shared/types.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import {
  ROSTER_MAPS,
  eventDetailsSchema,
  venueEventKey,
  type VenueEventListing,
} from '../../../shared/venue-roster.ts';
import {
  VENUE_MAPS,
  type PriorPrint,
  type RefusedEntries,
  type VenueConflicts,
} from '../../../shared/venue.ts';
import type { Attachment, VenueMaps } from './attachment.ts';
import { EntryLog, type ReceiveCounts } from './entry-log.ts';
import { PrintRecords } from './print-records.ts';
import { RefusalCounts } from './refusals.ts';
import { RosterReplica } from './roster-replica.ts';
import { DoorLog } from './door-log.ts';
import { ListLog } from './list-log.ts';
import { StationJobLog, type StationJobHooks } from './station-jobs.ts';
import type { CheckOutRecord, StoredListEntry } from '../../db/list-store.ts';
import { duplicateWalkIns } from '../../../shared/door.ts';

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
  /** The door's entries (walk-ins, corrections, notes, flags, links): followed when given. */
  doorStore?: DoorStore;
  /** Badges sent to print stations: followed when given (the core wires printing and the network half). */
  stationJobs?: StationJobHooks;
}

export class VenueReplica {
  readonly stationId: string;
  private readonly attached = new Map<number, Attachment>();
  private readonly refusals: RefusalCounts;
  private readonly log: EntryLog;
  private readonly prints: PrintRecords;
  private readonly roster: RosterReplica;
  private readonly door: DoorLog | null;
  private readonly lists: ListLog;
  private readonly stationJobs: StationJobLog | null;
  private source: VenueDocumentSource | null = null;
  /** While connected to a source: stops following an event and releases its document there. */
  private release: ((eventId: number) => Promise<void>) | null = null;

  constructor(private readonly deps: VenueReplicaDeps) {
    this.stationId = deps.venueStore.stationId;
    const attachmentOf = (eventId: number) => this.attached.get(eventId);
    this.refusals = new RefusalCounts(deps.clock);
    this.log = new EntryLog({
      store: deps.store,
      venueStore: deps.venueStore,
      clock: deps.clock,
      events: deps.events,
      refusals: this.refusals,
      attachmentOf,
      stationId: this.stationId,
    });
    this.prints = new PrintRecords({
      venueStore: deps.venueStore,
      stationId: this.stationId,
      attachmentOf,
      write: (a, entries) => this.log.write(a, entries),
    });
    this.roster = new RosterReplica({
      store: deps.store,
      clock: deps.clock,
      events: deps.events,
      refusals: this.refusals,
      attachmentOf,
      stationId: this.stationId,
      ...(deps.stationName ? { stationName: deps.stationName } : {}),
      isPoller: (eventId) => this.isPoller(eventId),
      source: () => this.source,
    });
    this.door = deps.doorStore
      ? new DoorLog({
          doorStore: deps.doorStore,
          clock: deps.clock,
          events: deps.events,
          refusals: this.refusals,
          attachmentOf,
          attendeesArrived: (eventId) => this.log.attendeesArrived(eventId),
        })
      : null;
    this.lists = new ListLog({
      venueStore: deps.venueStore,
      events: deps.events,
      refusals: this.refusals,
      attachmentOf,
      listsArrived: (eventId) => this.log.listsArrived(eventId),
    });
    this.stationJobs = deps.stationJobs
      ? new StationJobLog({
          stationId: this.stationId,
          store: deps.store,
          venueStore: deps.venueStore,
          clock: deps.clock,
          events: deps.events,
          refusals: this.refusals,
          attachmentOf,
          hooks: deps.stationJobs,
        })
      : null;
    this.prints.recordUnrecordedPrints();
  }

  // ---- documents ----

  /**
   * Binds an event's document (already loaded from persistence) to the read model: reconciles both
   * ways, then follows every remote change. The event must be in the mirror.
   */
  attach(key: VenueDocumentKey, doc: Y.Doc): { fromDocument: ReceiveCounts; toDocument: number } {
    const eventId = this.deps.store.findEventByProviderId(key.provider, key.providerEventId);
    if (eventId === undefined)
      throw new AppError(
        'NOT_FOUND',
        `event ${key.provider}:${key.providerEventId} is not in this station's mirror`,
      );
    if (this.attached.has(eventId))
      throw new AppError('CONFLICT', 'this event already has a venue document attached');
    const maps: VenueMaps = {
      checkins: doc.getMap(VENUE_MAPS.checkins),
      vip: doc.getMap(VENUE_MAPS.vip),
      prints: doc.getMap(VENUE_MAPS.prints),
    };
    const roster = doc.getMap(ROSTER_MAPS.roster);
    const eventMap = doc.getMap(ROSTER_MAPS.event);
    const offs = [
      this.log.observe(eventId, maps),
      this.roster.observe(eventId, roster, eventMap),
      ...(this.door ? [this.door.observe(eventId, doc)] : []),
      this.lists.observe(eventId, doc),
      ...(this.stationJobs ? [this.stationJobs.observe(eventId, doc)] : []),
    ];
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
        this.roster.stop(attachment);
      },
    };
    this.attached.set(eventId, attachment);
    // The door's entries first: check-ins of a walk-in from another desk then find the walk-in's row.
    this.door?.reconcile(eventId, doc);
    // The lists before the log: an entry of a list then finds it.
    this.lists.reconcile(eventId, doc);
    const counts = this.log.reconcile(attachment);
    this.roster.reconcile(attachment);
    this.stationJobs?.reconcile(eventId, doc);
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
      // Loading a day's document holds the event loop for a while; the desk's calls go first.
      await yieldToEventLoop();
      if (keys.get(eventId) !== key) return;
      this.attach(key, doc);
      this.roster.listEvent(eventId);
    };
    // An event of the venue that this mirror lacks: its document gives the details, then the
    // roster; the event becomes a venue event here (no account), and its desk works as any other.
    const openArriving = async (listing: VenueEventListing) => {
      const name = venueEventKey(listing.provider, listing.providerEventId);
      if (
        arriving.has(name) ||
        this.deps.store.findEventByProviderId(listing.provider, listing.providerEventId) !== undefined
      )
        return;
      const key: VenueDocumentKey = {
        venueId,
        provider: listing.provider,
        providerEventId: listing.providerEventId,
      };
      const entry = { key, stop: () => undefined as void };
      arriving.set(name, entry);
      const doc = await source.open(key);
      const eventMap = doc.getMap(ROSTER_MAPS.event);
      const tryAdd = (): boolean => {
        if (closed) return true;
        const details = eventDetailsSchema.safeParse(eventMap.get('details'));
        if (!details.success) return false;
        // It arrived another way meanwhile (an import here): followed as this mirror's own event.
        if (this.deps.store.findEventByProviderId(listing.provider, listing.providerEventId) !== undefined)
          return true;
        const { v: _v, ...d } = details.data;
        const eventId = this.deps.store.insertVenueEvent(
          listing.provider,
          { providerEventId: listing.providerEventId, ...d },
          isoTime(this.deps.clock.now()),
        );
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
    for (const e of this.deps.venueStore.eventKeys())
      await open(e.eventId, { venueId, provider: e.provider, providerEventId: e.providerEventId });
    const offAdded = this.deps.events.on('eventAdded', ({ eventId }) => {
      const e = this.deps.venueStore.eventKeys().find((k) => k.eventId === eventId);
      if (e) void open(eventId, { venueId, provider: e.provider, providerEventId: e.providerEventId });
    });
    const offDirectory = source.onVenueEventsChanged(followDirectory);
    followDirectory();
    const release = async (eventId: number) => {
      const key = keys.get(eventId);
      if (!key) return;
      keys.delete(eventId);
      this.detach(key);
      await source.close(key);
    };
    this.release = release;
    return async () => {
      closed = true;
      offAdded();
      offDirectory();
      if (this.source === source) this.source = null;
      if (this.release === release) this.release = null;
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

  /**
   * Stops following a forgotten event: its document is detached and released (the network half
   * refuses it from then on, and its persistence neither loads nor stores it).
   */
  async forget(eventId: number): Promise<void> {
    if (this.release) await this.release(eventId);
    const a = this.attached.get(eventId);
    if (a) {
      a.stop();
      this.attached.delete(eventId);
    }
  }

  private isPoller(eventId: number): boolean {
    return this.deps.isPoller ? this.deps.isPoller(eventId) : this.deps.store.eventHasIntegration(eventId);
  }

  // ---- the roster: the attendee list from the desk that polls the provider ----

  /** The sync changed these rows (the engine's attendeesChanged): the poller publishes them. */
  publishRoster(eventId: number, attendeeIds: readonly number[]): void {
    this.roster.publishRoster(eventId, attendeeIds);
  }

  /** Resolves when the event's roster records received so far are in the mirror (tests, benchmarks). */
  rosterSettled(eventId: number): Promise<void> {
    return this.roster.rosterSettled(eventId);
  }

  /** The poller writes the event's details and its own sync status, when they changed. */
  publishEvent(eventId: number): void {
    this.roster.publishEvent(eventId);
  }

  /** Who syncs the event for this desk, when it is another desk (null: this desk itself, or nobody said yet). */
  syncSource(eventId: number): EventSyncSource | null {
    return this.roster.syncSource(eventId);
  }

  // ---- the log: remote entries in, local actions out (SQLite first, done by the caller) ----

  /** Applies the waiting entries whose attendee has arrived in the mirror (after a sync's upsert). */
  attendeesArrived(eventId: number): number {
    const applied = this.log.attendeesArrived(eventId);
    // A walk-in's link whose other end has just arrived: one person from now on.
    const linked =
      this.deps.doorStore?.transaction(() => this.deps.doorStore!.attendeesArrived(eventId)) ?? [];
    if (linked.length) this.deps.events.emit('checkinsChanged', { eventId, attendeeIds: linked });
    return applied;
  }

  /** Remote entries refused since start-up, per station they claimed to come from. */
  refused(): RefusedEntries[] {
    return this.refusals.refused();
  }

  /** The desk committed these log rows (check-ins, undos): into the document, in the same tick. */
  publishCheckIns(eventId: number, actionIds: readonly string[]): void {
    this.log.publishCheckIns(eventId, actionIds);
  }

  /** Sets the VIP flag as a new entry that wins over the current one (nextVipTime), then publishes it. */
  setVip(actor: Actor, attendeeId: number, vip: boolean): void {
    this.log.setVip(actor, attendeeId, vip);
  }

  /** This desk's list definitions, committed: into the event's document, in the same tick. */
  publishLists(eventId: number, entries: readonly StoredListEntry[]): void {
    this.lists.publishLists(eventId, entries);
  }

  /** This desk's check-out of a list, committed: into the event's document. */
  publishCheckOut(r: CheckOutRecord): void {
    this.lists.publishCheckOut(r);
  }

  /** This desk's door entries, committed: into the event's document, in the same tick. */
  publishDoor(eventId: number, entries: readonly StoredDoorEntry[]): void {
    this.door?.publish(eventId, entries);
  }

  /** A print job changed: a badge that came out of the printer becomes the venue's print record. */
  recordPrinted(job: PrintJob): void {
    this.prints.recordPrinted(job);
  }

  // ---- badges sent to print stations (station-jobs.ts) ----

  /** A badge this desk sends to a print station (or sends elsewhere): its request into the event's document. */
  publishStationRequest(job: PrintJob): void {
    this.stationJobs?.publishRequest(job);
  }

  /** This station's word on a badge a desk sent it, into the event's document. */
  publishStationWord(job: PrintJob): void {
    this.stationJobs?.publishWord(job);
  }

  /** Why this station no longer holds its claim on a badge sent to it (the document sends it elsewhere), or null. */
  stationClaimLost(job: PrintJob): string | null {
    return this.stationJobs?.claimLost(job) ?? null;
  }

  // ---- what the desk and the admin read ----

  /** The venue's earliest first print of this attendee, for the print pre-check; null when none. */
  priorPrint(attendeeId: number): PriorPrint | null {
    return this.prints.priorPrint(attendeeId);
  }

  /** People admitted, or badges printed, at two or more desks while they could not see each other. */
  conflicts(eventId: number): VenueConflicts {
    return {
      eventId,
      admissions: this.deps.venueStore.doubleAdmissions(eventId),
      prints: this.deps.venueStore.doublePrints(eventId),
      ...(this.deps.doorStore ? { walkIns: duplicateWalkIns(this.deps.doorStore.walkIns(eventId)) } : {}),
    };
  }

  /** Remote entries of this event waiting for their attendee to reach the mirror. */
  pendingCount(eventId: number): number {
    return this.deps.venueStore.pending.ofEvent(eventId).length;
  }

  /** The events whose documents are attached now. */
  attachedEventIds(): number[] {
    return [...this.attached.keys()];
  }

  /** Whether the event's document is attached (tests, the network half's status). */
  isAttached(eventId: number): boolean {
    return this.attached.has(eventId);
  }
}
