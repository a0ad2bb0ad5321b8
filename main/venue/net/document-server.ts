// The Hocuspocus server every desk embeds: the venue's documents (its directory and one per
// event), loaded from and stored to persistence, served to every connection the transport
// accepts and open here for this desk's own use (a count of users per document).
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { Hocuspocus, type Document, type Connection, type Extension } from '@hocuspocus/server';
import { HocuspocusProvider } from '@hocuspocus/provider';
import type { VenueDocumentPersistence } from '../contracts.ts';

/** The name of the venue's directory document (desks, addresses, removals; never attendee data). */
export function directoryDocumentName(venueId: string): string {
  return `venue:${venueId}:directory`;
}

export interface DocumentServerOptions {
  stationId: string;
  persistence: VenueDocumentPersistence;
  /** How long a connection may stay silent (no pong) before it is closed. */
  timeoutMs: number;
  /** The identity a connection is admitted with (its context), or throws to refuse it. */
  authenticate: (
    token: string,
    documentName: string,
    request: IncomingMessage,
  ) => { stationId: string; deskName: string };
  connected: (connection: Connection, documentName: string) => void;
  stateless: (stationId: string | null, payload: string, reply: (payload: string) => void) => void;
  /** A document was opened here (the peers' links serve it too). */
  opened: (name: string, document: Document) => void;
  /** A document's last user closed it here. */
  closed: (name: string) => void;
  /** Hocuspocus extensions (a relay's Redis link). */
  extensions?: Extension[];
}

interface OpenDocument {
  document: Document;
  release: () => Promise<void>;
  users: number;
}

export class DocumentServer {
  private readonly hocuspocus: Hocuspocus;
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly options: DocumentServerOptions) {
    this.hocuspocus = new Hocuspocus({
      name: options.stationId,
      quiet: true,
      debounce: 1_000,
      maxDebounce: 5_000,
      timeout: options.timeoutMs,
      extensions: options.extensions ?? [],
      onAuthenticate: async (data) => options.authenticate(data.token, data.documentName, data.request),
      connected: async (data) => options.connected(data.connection, data.documentName),
      // Applied into Hocuspocus's own document, and nothing returned: a document returned here is
      // encoded whole and applied again (a day's 40 MB document: another second of a held desk).
      onLoadDocument: async (data) => {
        const stored = options.persistence.load(data.documentName);
        if (stored) Y.applyUpdate(data.document, stored, 'persistence');
      },
      onStoreDocument: async (data) => {
        options.persistence.store(data.documentName, Y.encodeStateAsUpdate(data.document));
      },
      onStateless: async (data) => {
        const stationId = (data.connection.context as { stationId?: string }).stationId ?? null;
        options.stateless(stationId, data.payload, (p) => data.connection.sendStateless(p));
      },
    });
  }

  handleConnection(ws: WebSocket, request: IncomingMessage): void {
    this.hocuspocus.handleConnection(ws, request, {});
  }

  /** The live document of this name, loaded from persistence, replicated with every peer. */
  async open(name: string): Promise<Document> {
    const open = this.documents.get(name);
    if (open) {
      open.users += 1;
      return open.document;
    }
    const direct = await this.hocuspocus.openDirectConnection(name, {
      stationId: this.options.stationId,
      local: true,
    });
    const document = direct.document!;
    let storeScheduled = false;
    // Hocuspocus stores only what arrives through its connections; our own writes are stored too.
    document.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin instanceof HocuspocusProvider || isHocuspocusConnection(origin) || origin === 'persistence')
        return;
      if (storeScheduled) return;
      storeScheduled = true;
      // Outside the desk's tick: Hocuspocus's debouncer runs the store synchronously once its
      // maximum wait has passed, and a check-in must not pay for writing the whole document.
      setImmediate(() => {
        storeScheduled = false;
        void this.storeLocalChanges(document, name);
      });
    });
    this.documents.set(name, { document, release: () => direct.disconnect(), users: 1 });
    this.options.opened(name, document);
    return document;
  }

  async close(name: string): Promise<void> {
    const open = this.documents.get(name);
    if (!open) return;
    open.users -= 1;
    if (open.users > 0) return;
    this.documents.delete(name);
    this.options.closed(name);
    await open.release();
  }

  get(name: string): Document | null {
    return this.documents.get(name)?.document ?? null;
  }

  /** The document as Hocuspocus has it loaded now (for this desk's use or only a peer's), or null. */
  loaded(name: string): Document | null {
    return this.hocuspocus.documents.get(name) ?? null;
  }

  /** Closes every peer's connection to this document (the desk forgot it). */
  closeConnectionsOf(name: string): void {
    this.hocuspocus.closeConnections(name);
  }

  has(name: string): boolean {
    return this.documents.has(name);
  }

  names(): string[] {
    return [...this.documents.keys()];
  }

  /** The stations connected to each document open here (a station twice is a session left half-open). */
  clients(): { name: string; stationIds: string[] }[] {
    return [...this.hocuspocus.documents].map(([name, document]) => ({
      name,
      stationIds: document
        .getConnections()
        .map((c) => (c.context as { stationId?: string }).stationId ?? '?')
        .sort(),
    }));
  }

  /** The documents open here, for a new peer's links. */
  *entries(): Generator<[string, Document]> {
    for (const [name, open] of this.documents) yield [name, open.document];
  }

  /** Stores every document loaded now, as it is (no waiting for Hocuspocus's debounce). */
  storeAll(): void {
    for (const [name, document] of this.hocuspocus.documents)
      this.options.persistence.store(name, Y.encodeStateAsUpdate(document));
  }

  /** Releases every document open here (the node stops). */
  async releaseAll(): Promise<void> {
    for (const [name, open] of [...this.documents]) {
      this.documents.delete(name);
      await open.release();
    }
  }

  private storeLocalChanges(document: Document, name: string): Promise<void> {
    if (!this.documents.has(name)) return Promise.resolve();
    return this.hocuspocus.storeDocumentHooks(document, {
      clientsCount: document.getConnectionsCount(),
      context: { local: true },
      document,
      documentName: name,
      instance: this.hocuspocus,
      requestHeaders: {},
      requestParameters: new URLSearchParams(),
      socketId: 'local',
    });
  }
}

function isHocuspocusConnection(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && 'webSocket' in origin && 'document' in origin;
}
