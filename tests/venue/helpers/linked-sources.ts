// Venue documents of several stations in one process, linked as the network would link them:
// every update a station's document makes is applied to the same document at every other
// station that has it open, and a document opened late starts from what the others hold. The
// directory (the venue's event list) is linked the same way. No sockets: the data half alone.
import * as Y from 'yjs';
import { LocalDocumentSource } from '../../../main/venue/replica/persistence.ts';
import type { VenueDocumentKey, VenueDocumentPersistence } from '../../../main/venue/contracts.ts';
import { venueDocumentName } from '../../../shared/venue.ts';

const PEER = Symbol('linked peer');

export class LinkedVenue {
  private readonly sources: LinkedSource[] = [];
  /** While false, nothing travels (the desks are apart); `connect()` brings them together again. */
  connected = true;

  source(persistence: VenueDocumentPersistence): LinkedSource {
    const s = new LinkedSource(this, persistence);
    this.sources.push(s);
    this.link(s.directory, (other) => other.directory);
    return s;
  }

  /** Forwards the document's updates to the same document at every other station. */
  link(doc: Y.Doc, counterpart: (s: LinkedSource) => Y.Doc | undefined): void {
    for (const s of this.sources) {
      const other = counterpart(s);
      if (other && other !== doc) Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), PEER);
    }
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === PEER || !this.connected) return;
      for (const s of this.sources) {
        const other = counterpart(s);
        if (other && other !== doc) Y.applyUpdate(other, update, PEER);
      }
    });
  }

  /** The desks see each other again: every document catches up both ways. */
  reconnect(): void {
    this.connected = true;
    for (const a of this.sources) {
      for (const b of this.sources) {
        if (a === b) continue;
        Y.applyUpdate(b.directory, Y.encodeStateAsUpdate(a.directory), PEER);
        for (const [name, doc] of a.linked) {
          const other = b.linked.get(name);
          if (other) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc), PEER);
        }
      }
    }
  }
}

export class LinkedSource extends LocalDocumentSource {
  readonly linked = new Map<string, Y.Doc>();

  constructor(
    private readonly venue: LinkedVenue,
    persistence: VenueDocumentPersistence,
  ) {
    super(persistence);
  }

  override async open(key: VenueDocumentKey): Promise<Y.Doc> {
    const name = venueDocumentName(key);
    const known = this.linked.get(name);
    if (known) return known;
    const doc = await super.open(key);
    this.linked.set(name, doc);
    this.venue.link(doc, (s) => s.linked.get(name));
    return doc;
  }

  override async close(key: VenueDocumentKey): Promise<void> {
    this.linked.delete(venueDocumentName(key));
    await super.close(key);
  }
}
