// Venue documents kept in the station's SQLite (table venue_documents, migration 005): one merged
// Yjs update per document. The network half hands these to Hocuspocus (onLoadDocument /
// onStoreDocument, which already waits for changes to settle); LocalDocumentSource does the same
// for a station with no network half (tests, a desk before it joins a venue).
import * as Y from 'yjs';
import type { VenueStore } from '../../db/venue-store.ts';
import type { Clock } from '../../ground/clock.ts';
import { isoTime } from '../../ground/clock.ts';
import type { VenueDocumentKey, VenueDocumentPersistence, VenueDocumentSource } from '../contracts.ts';
import { parseVenueDocumentName, venueDocumentName } from '../../../shared/venue.ts';
import {
  ROSTER_MAPS,
  listVenueEventIn,
  readVenueEvents,
  type VenueEventListing,
} from '../../../shared/venue-roster.ts';

export class SqliteDocumentPersistence implements VenueDocumentPersistence {
  /** `provider:providerEventId` of the events this desk forgot: their documents in any venue. */
  private readonly forgotten: Set<string>;

  constructor(
    private readonly venueStore: VenueStore,
    private readonly clock: Clock,
    forgotten: Iterable<string> = [],
  ) {
    this.forgotten = new Set(forgotten);
  }

  load(documentName: string): Uint8Array | null {
    if (this.refuses(documentName)) return null;
    return this.venueStore.loadDocument(documentName);
  }

  store(documentName: string, state: Uint8Array): void {
    if (this.refuses(documentName)) return;
    this.venueStore.storeDocument(documentName, state, isoTime(this.clock.now()));
  }

  /** An event this desk forgot: its documents are neither loaded, stored nor served from now on. */
  forget(provider: string, providerEventId: string): void {
    this.forgotten.add(`${provider}:${providerEventId}`);
  }

  refuses(documentName: string): boolean {
    if (this.forgotten.size === 0) return false;
    const ref = parseVenueDocumentName(documentName);
    return ref !== null && this.forgotten.has(`${ref.provider}:${ref.providerEventId}`);
  }
}

/** How long a document must stay quiet before it is stored, and the longest a change waits. */
export const SETTLE_MS = 500;
export const MAX_WAIT_MS = 5_000;

interface Open {
  name: string;
  doc: Y.Doc;
  /** Updates since the last store, merged with the stored state on the next store. */
  updates: Uint8Array[];
  stored: Uint8Array | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  firstChangeAt: number;
  off(): void;
}

/**
 * Documents held in this process only, persisted after their changes settle: the stored state and
 * the updates since are compacted into one update with Y.mergeUpdates.
 */
export class LocalDocumentSource implements VenueDocumentSource {
  private readonly docs = new Map<string, Open>();

  private readonly eventListeners = new Set<() => void>();
  /** The directory's part the data half reads: the venue's event list (tests sync it like the event documents). */
  readonly directory: Y.Doc;

  constructor(
    private readonly persistence: VenueDocumentPersistence,
    private readonly opts: { settleMs?: number; maxWaitMs?: number; directory?: Y.Doc } = {},
  ) {
    this.directory = opts.directory ?? new Y.Doc();
    this.directory.on('update', () => {
      for (const l of this.eventListeners) l();
    });
  }

  venueEvents(): VenueEventListing[] {
    return readVenueEvents(this.directory.getMap(ROSTER_MAPS.directoryEvents));
  }

  listVenueEvent(listing: VenueEventListing): void {
    listVenueEventIn(this.directory.getMap(ROSTER_MAPS.directoryEvents), listing);
  }

  onVenueEventsChanged(listener: () => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Documents in one process: every desk that shares them is "online". */
  deskOnline(): boolean {
    return true;
  }

  async open(key: VenueDocumentKey): Promise<Y.Doc> {
    const name = venueDocumentName(key);
    const existing = this.docs.get(name);
    if (existing) return existing.doc;
    const doc = new Y.Doc();
    const stored = this.persistence.load(name);
    if (stored) Y.applyUpdate(doc, stored);
    const o: Open = {
      name,
      doc,
      updates: [],
      stored,
      timer: undefined,
      firstChangeAt: 0,
      off: () => undefined,
    };
    const onUpdate = (update: Uint8Array) => {
      if (o.updates.length === 0) o.firstChangeAt = Date.now();
      o.updates.push(update);
      this.schedule(o);
    };
    doc.on('update', onUpdate);
    o.off = () => doc.off('update', onUpdate);
    this.docs.set(name, o);
    return doc;
  }

  async close(key: VenueDocumentKey): Promise<void> {
    const o = this.docs.get(venueDocumentName(key));
    if (!o) return;
    this.flushOne(o);
    o.off();
    o.doc.destroy();
    this.docs.delete(o.name);
  }

  /** Stores every document with unstored changes now (shutdown, tests). */
  flush(): void {
    for (const o of this.docs.values()) this.flushOne(o);
  }

  private schedule(o: Open): void {
    if (o.timer) clearTimeout(o.timer);
    const settle = this.opts.settleMs ?? SETTLE_MS;
    const waited = Date.now() - o.firstChangeAt;
    const delay = Math.max(0, Math.min(settle, (this.opts.maxWaitMs ?? MAX_WAIT_MS) - waited));
    // Unref'd: a process may exit with a store pending. Nothing is lost: every entry is in SQLite
    // first, and attaching the document at the next start-up puts back what it lacks.
    o.timer = setTimeout(() => this.flushOne(o), delay);
    o.timer.unref?.();
  }

  private flushOne(o: Open): void {
    if (o.timer) clearTimeout(o.timer);
    o.timer = undefined;
    if (o.updates.length === 0) return;
    const state = Y.mergeUpdates(o.stored ? [o.stored, ...o.updates] : o.updates);
    this.persistence.store(o.name, state);
    o.stored = state;
    o.updates = [];
  }
}
