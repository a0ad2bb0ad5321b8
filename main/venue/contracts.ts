// The seam between the venue's two halves, so each can be built and tested alone:
// - the network half (main/venue/net/, VenueNetwork): the embedded Hocuspocus server with its
//   transport (TLS-PSK sessions, links to peers), membership (pairing, who may connect, presence,
//   removal, rotation), the directory (desks, relays, the venue's events, mDNS) and poll requests.
//   It owns the Y.Doc instances (one per event document).
// - the data half (main/venue/replica/, VenueReplica): what a venue document holds, validation of
//   every remote entry, the SQLite read model (the log, print records, the roster) and
//   persistence of the documents.
// Neither half imports the other's internals; main/core composes them through these types.
import type * as Y from 'yjs';
import type { VenueEventListing } from '../../shared/venue-roster.ts';

/**
 * A venue document's name: one Yjs document per event, keyed by provider and provider event id
 * (never a local row id), scoped by the venue so a relay can serve several venues apart.
 */
export interface VenueDocumentKey {
  venueId: string;
  provider: 'eventbrite' | 'luma';
  providerEventId: string;
}

/** Stores and loads a document's state (Yjs updates), in the station's SQLite. */
export interface VenueDocumentPersistence {
  /** The stored state of a document (one merged update), or null for a new document. */
  load(documentName: string): Uint8Array | null;
  /** Stores the document's full state (a merged update); called after changes settle. */
  store(documentName: string, state: Uint8Array): void;
  /**
   * A document of an event this desk forgot: it loads nothing, stores nothing, and the node
   * refuses to serve it to peers. Absent: none is refused (a relay).
   */
  refuses?(documentName: string): boolean;
}

/** What the data half needs from the network half for one event. */
export interface VenueDocumentSource {
  /** The live document of this event (already loaded from persistence), shared with the peers. */
  open(key: VenueDocumentKey): Promise<Y.Doc>;
  /** Releases it (the network half keeps serving it while peers need it). */
  close(key: VenueDocumentKey): Promise<void>;
  /**
   * The venue's events as its directory lists them (valid listings only), so a desk without an
   * account knows which documents to open.
   */
  venueEvents(): VenueEventListing[];
  /** Lists an event this desk syncs with the provider (idempotent). */
  listVenueEvent(listing: VenueEventListing): void;
  /** Called whenever the directory's list of events changes; returns the function that stops it. */
  onVenueEventsChanged(listener: () => void): () => void;
  /** The desk names and whether each is online now, for "Syncing via Desk 1". */
  deskOnline(stationId: string): boolean;
}
