// One station on the venue network, a desk's or a relay's: the embedded Hocuspocus server
// (document-server.ts) fed from this station's own TLS-PSK https server and ws
// (transport/psk-server.ts), and one HocuspocusProvider per (peer, document) bound to the
// server's own document (transport/peer-links.ts), so every update a desk receives is served on
// to every desk connected to it: updates relay along any path without a protocol of our own.
// Who may connect is membership/admission.ts; who is here, membership/presence.ts.
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import type { Connection, Document, Extension } from '@hocuspocus/server';
import type { Clock } from '../../ground/clock.ts';
import { isPollKey, MAX_POLL_KEYS } from '../../../shared/venue-poller.ts';
import type { PrintStationOffer } from '../../../shared/print-stations.ts';
import type { VenueDocumentPersistence } from '../contracts.ts';
import { DocumentServer, directoryDocumentName } from './document-server.ts';
import type { VenueNodeEvent } from './node-events.ts';
import { PeerRefused, admit, type DeskIdentity } from './membership/admission.ts';
import { PresenceBook, type PeerPresence, type PresenceState } from './membership/presence.ts';
import { remoteOf, type PeerAddress } from './transport/addresses.ts';
import { PeerLinks, helloMessage, type PeerLinkHealth } from './transport/peer-links.ts';
import { PskServer } from './transport/psk-server.ts';
import type { VenueKeyMaterial } from './transport/psk.ts';
import { DEFAULT_VENUE_LIMITS, type VenueLimits } from './transport/limits.ts';
import { Holdings, type HoldingsAnswer } from './holdings.ts';

/** What a desk answers a peer that asks for a document it forgot (forgetting: main/core/forgetting.ts). */
export const FORGOTTEN_DOCUMENT_REFUSAL = 'this desk forgot that event';

export interface VenueNodeHealth {
  links: PeerLinkHealth[];
  server: { connections: number; sessions: number };
  documents: { name: string; stationIds: string[] }[];
}

export interface VenueNodeOptions {
  identity: DeskIdentity;
  clock: Clock;
  persistence: VenueDocumentPersistence;
  /** The address to listen on; port 0 picks a free port. */
  listen?: { host?: string; port?: number };
  limits?: Partial<VenueLimits>;
  /** How often presence is renewed; a peer silent for 3.5 of these is reconnected. */
  heartbeatMs?: number;
  /** Reconnect backoff (ms). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** Everything the node has to tell: refusals, limits, peers in step, presence, stateless messages. */
  onEvent?: (event: VenueNodeEvent) => void;
  /** A relay: says `relay: true` in presence. */
  relay?: boolean;
  /** Hocuspocus extensions for the node's document server (a relay's Redis link). */
  extensions?: Extension[];
}

export class VenueNode {
  private readonly documents: DocumentServer;
  private readonly server: PskServer;
  private readonly links: PeerLinks;
  private readonly presence: PresenceBook;
  private readonly holdings: Holdings;
  private readonly heartbeatMs: number;
  private material: VenueKeyMaterial | null = null;
  private readonly removedStations = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private identity: DeskIdentity;
  private polls: string[] = [];
  private printStation: PrintStationOffer | null = null;
  private stopped = false;

  constructor(private readonly options: VenueNodeOptions) {
    this.identity = { ...options.identity };
    const limits: VenueLimits = { ...DEFAULT_VENUE_LIMITS, ...options.limits };
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    const stationId = options.identity.stationId;
    const emit = (event: VenueNodeEvent) => this.emit(event);
    this.presence = new PresenceBook(stationId, options.clock);
    // A dead peer's socket is closed after this long without a pong.
    const silenceTimeoutMs = Math.max(5_000, this.heartbeatMs * 3);
    this.documents = new DocumentServer({
      stationId,
      persistence: options.persistence,
      timeoutMs: silenceTimeoutMs,
      authenticate: (token, documentName, request) => this.authenticate(token, documentName, request),
      connected: (connection, documentName) => this.greet(connection, documentName),
      stateless: (from, payload, reply) =>
        this.emit({ kind: 'stateless', from: 'client', stationId: from, payload, reply }),
      opened: (name, document) => this.links.attachEverywhere(name, document),
      closed: (name) => this.links.detachEverywhere(name),
      ...(options.extensions ? { extensions: options.extensions } : {}),
    });
    this.server = new PskServer({
      limits,
      silenceTimeoutMs,
      clock: options.clock,
      currentKey: () => this.material,
      accept: (ws, request) => this.documents.handleConnection(ws, request),
      emit,
    });
    this.holdings = new Holdings({
      send: (payload) => this.sendToPeers(payload, () => true),
      loaded: (name) => this.documents.loaded(name),
      deskName: () => this.identity.deskName,
      relay: options.relay === true,
    });
    this.links = new PeerLinks({
      stationId,
      limits,
      heartbeatMs: this.heartbeatMs,
      ...(options.reconnect ? { reconnect: options.reconnect } : {}),
      token: () => JSON.stringify(this.identity),
      directoryName: () => this.directoryName(),
      ownPresence: () => this.presenceState(),
      onPresence: (peer) => {
        this.presence.note(this.links.liveDirectoryAwareness(peer));
        this.emit({ kind: 'presence' });
      },
      emit,
    });
  }

  /**
   * Starts listening; resolves with the bound port. `preferredPort` (the port of the last run)
   * comes first, so desks that knew this one find it again after a restart; if it is taken,
   * the configured port (0: any free one).
   */
  async start(preferredPort?: number): Promise<number> {
    const host = this.options.listen?.host ?? '0.0.0.0';
    const configured = this.options.listen?.port ?? 0;
    if (preferredPort && configured === 0) {
      await this.server.listen(host, preferredPort).catch(() => this.server.listen(host, 0));
    } else {
      await this.server.listen(host, configured);
    }
    this.heartbeat = setInterval(() => this.renewPresence(), this.heartbeatMs);
    this.heartbeat.unref();
    return this.port;
  }

  get port(): number {
    return this.server.port;
  }

  get stationId(): string {
    return this.identity.stationId;
  }

  get venue(): { venueId: string; epoch: number } | null {
    return this.material ? { venueId: this.material.venueId, epoch: this.material.epoch } : null;
  }

  /**
   * Joins (or switches to) a venue's key. A new epoch closes every connection of the old one,
   * so a desk holding only the old secret is shut out, and reconnects the peers with the new key.
   */
  async setKey(material: VenueKeyMaterial | null): Promise<void> {
    const previous = this.material;
    this.material = material ? { ...material, secret: Buffer.from(material.secret) } : null;
    if (previous && material && previous.venueId === material.venueId && previous.epoch === material.epoch)
      return;
    this.server.closeAll(4403, 'the venue secret changed');
    const addresses = this.links.dropAll();
    if (previous?.venueId !== material?.venueId) this.presence.forgetDesks();
    if (material) {
      await this.openDirectory(material.venueId);
      for (const address of addresses) this.connectPeer(address);
    }
  }

  setDeskName(deskName: string): void {
    this.identity = { ...this.identity, deskName };
    this.renewPresence();
  }

  /**
   * The events this desk could poll, carried by its presence. Renewed only when the set changes
   * (statuses change often; the set seldom does).
   */
  setPolls(keys: readonly string[]): void {
    // Past the cap (a station with more than 500 live events) the rest are polled as if alone:
    // a second poller costs requests, a missing one would cost the event its updates.
    const next = [...new Set(keys)].filter(isPollKey).sort().slice(0, MAX_POLL_KEYS);
    if (next.join('\n') === this.polls.join('\n')) return;
    this.polls = next;
    this.renewPresence();
  }

  /** What this desk offers the venue as a print station (null: nothing), carried by its presence; renewed when it changes. */
  setPrintStation(offer: PrintStationOffer | null): void {
    const same =
      offer === this.printStation ||
      (offer !== null &&
        this.printStation !== null &&
        offer.name === this.printStation.name &&
        offer.waiting === this.printStation.waiting &&
        offer.ready === this.printStation.ready);
    if (same) return;
    this.printStation = offer ? { ...offer } : null;
    this.renewPresence();
  }

  /** What this desk's own presence says it could poll. */
  ownPolls(): readonly string[] {
    return this.polls;
  }

  /** Desks removed from the venue: their connections are refused even before a rotation. */
  setRemovedStations(stationIds: Iterable<string>): void {
    this.removedStations.clear();
    for (const id of stationIds) this.removedStations.add(id);
    this.server.closeStations(this.removedStations, 4403, 'this desk was removed from the venue');
  }

  // ---- documents (VenueDocumentSource) ----

  /** The live document of this name, loaded from persistence, replicated with every peer. */
  openDocument(name: string): Promise<Y.Doc> {
    return this.documents.open(name);
  }

  closeDocument(name: string): Promise<void> {
    return this.documents.close(name);
  }

  /**
   * Drops every peer's connection to a document this desk forgot (its persistence refuses it
   * from now on, so they are not let back in): nothing of it stays loaded here once they are gone.
   */
  dropDocument(name: string): void {
    this.documents.closeConnectionsOf(name);
  }

  /** Asks every connected peer what it holds of the station's log entries in the document (holdings.ts). */
  askHoldings(
    name: string,
    stationId: string,
    timeoutMs: number,
    enough?: (answer: HoldingsAnswer) => boolean,
  ): Promise<HoldingsAnswer[]> {
    return this.holdings.ask(name, stationId, timeoutMs, enough);
  }

  /** The directory document's current state (desks, removals), shared with every peer. */
  directory(): Y.Doc | null {
    return this.directoryDocument();
  }

  // ---- peers ----

  /** Connects to a desk at this address (kept and retried until removed). */
  connectPeer(address: PeerAddress): void {
    if (this.stopped || !this.material) return;
    this.links.connect(address, this.material, this.documents.entries());
  }

  disconnectPeer(address: PeerAddress): void {
    this.links.drop(address);
  }

  /** Whether the link to this address is up now. */
  peerConnected(address: PeerAddress): boolean {
    return this.links.isConnected(address);
  }

  peerAddresses(): PeerAddress[] {
    return this.links.addresses();
  }

  /** The peers whose server said who it is (hello), with their station ids. */
  identifiedPeers(): { address: PeerAddress; stationId: string }[] {
    return this.links.identified();
  }

  /** Sends a stateless message to every connected peer (both directions) whose station passes. */
  sendToPeers(payload: string, accept: (stationId: string) => boolean): number {
    const reached = new Set<string>();
    if (!this.material) return 0;
    this.links.sendStateless(payload, accept, reached);
    for (const connection of this.directoryDocument()?.getConnections() ?? []) {
      const stationId = (connection.context as { stationId?: string }).stationId;
      if (!stationId || !accept(stationId) || reached.has(stationId)) continue;
      connection.sendStateless(payload);
      reached.add(stationId);
    }
    return reached.size;
  }

  // ---- presence ----

  /** Every desk this one has heard of, with whether it is online now. */
  peerPresence(): PeerPresence[] {
    return this.presence.peerPresence(this.links.liveDirectoryAwarenesses());
  }

  /**
   * How long since this desk last heard the station's presence (real time, whatever the clock):
   * a desk that froze (a closed lid, a stopped process) still looks connected until its socket
   * times out (3.5 heartbeats), but stops renewing at once.
   */
  silentForMs(stationId: string): number {
    return this.presence.silentForMs(stationId);
  }

  /**
   * How long since this desk last heard the station's presence by any way (real time): over its
   * links to peers' servers (silentForMs), or from the station's own connection to this desk's
   * server, which a desk that has just joined has before this desk links back to it.
   */
  heardAgoMs(stationId: string): number {
    let latest = -Infinity;
    const awareness = this.directoryDocument()?.awareness;
    if (awareness) {
      for (const [clientId, state] of awareness.getStates()) {
        if ((state as { stationId?: unknown }).stationId !== stationId) continue;
        const updated = awareness.meta.get(clientId)?.lastUpdated;
        if (updated !== undefined && updated > latest) latest = updated;
      }
    }
    return Math.min(this.presence.silentForMs(stationId), Date.now() - latest);
  }

  /** How often this desk renews its presence (and so, by the same setting, its peers theirs). */
  get heartbeatIntervalMs(): number {
    return this.heartbeatMs;
  }

  /**
   * The node's connections as they stand: its links out, the TCP connections its server holds (and
   * how many are sessions), and the stations connected to each document. A link that never
   * syncs, a handshake that never ends or a station on a document twice shows here.
   */
  health(): VenueNodeHealth {
    return {
      links: this.links.health(),
      server: this.server.counts(),
      documents: this.documents.clients(),
    };
  }

  /** Stores every document loaded now, as it is (a relay's shutdown: no waiting for Hocuspocus's debounce). */
  storeAll(): void {
    this.documents.storeAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.links.dropAll();
    this.server.terminateAll();
    await this.documents.releaseAll();
    await this.server.close();
  }

  // ---- internals ----

  private emit(event: VenueNodeEvent): void {
    // What a node holds of a desk's entries is answered here, by desks and relays alike.
    if (event.kind === 'stateless' && this.onHoldingsMessage(event)) return;
    this.options.onEvent?.(event);
  }

  private onHoldingsMessage(event: Extract<VenueNodeEvent, { kind: 'stateless' }>): boolean {
    if (!event.payload.includes('"holds-')) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.payload);
    } catch {
      return false;
    }
    return this.holdings.handle(event.stationId, parsed, event.reply);
  }

  private directoryName(): string | null {
    return this.material ? directoryDocumentName(this.material.venueId) : null;
  }

  private directoryDocument(): Document | null {
    const name = this.directoryName();
    return name === null ? null : this.documents.get(name);
  }

  private async openDirectory(venueId: string): Promise<void> {
    const name = directoryDocumentName(venueId);
    for (const existing of this.documents.names()) {
      if (existing.endsWith(':directory') && existing !== name) await this.documents.close(existing);
    }
    if (this.documents.has(name)) return;
    const document = await this.documents.open(name);
    this.renewPresence();
    document.awareness.setLocalState(this.presenceState());
  }

  private presenceState(): PresenceState {
    return {
      stationId: this.identity.stationId,
      deskName: this.identity.deskName,
      appVersion: this.identity.appVersion,
      clock: this.options.clock.now(),
      ...(this.polls.length > 0 ? { polls: this.polls } : {}),
      ...(this.options.relay ? { relay: true as const } : {}),
      ...(this.printStation ? { printStation: this.printStation } : {}),
    };
  }

  private renewPresence(): void {
    const document = this.directoryDocument();
    if (!document) return;
    const state = this.presenceState();
    document.awareness.setLocalState(state);
    // And on every provider to a peer's server, which serves it on to that server's other
    // clients: a desk that reaches the others only through a relay (or one desk) is seen online.
    this.links.setPresence(state);
  }

  private authenticate(
    token: string,
    documentName: string,
    request: IncomingMessage,
  ): { stationId: string; deskName: string } {
    // Not a refusal of the peer (it is one of the venue's): this desk no longer holds that event.
    if (this.options.persistence.refuses?.(documentName) === true)
      throw new PeerRefused(FORGOTTEN_DOCUMENT_REFUSAL);
    const verdict = admit(token, documentName, {
      identity: this.identity,
      venueId: this.material?.venueId ?? null,
      removedStations: this.removedStations,
    });
    if ('refused' in verdict) {
      this.emit({ kind: 'peer-refused', remote: remoteOf(request.socket), reason: verdict.refused });
      throw new PeerRefused(verdict.refused);
    }
    return { stationId: verdict.peer.stationId, deskName: verdict.peer.deskName };
  }

  private greet(connection: Connection, documentName: string): void {
    const stationId = (connection.context as { stationId?: string }).stationId;
    if (stationId) this.server.noteStation(connection.webSocket, stationId);
    if (documentName === this.directoryName())
      connection.sendStateless(helloMessage(this.identity.stationId));
  }
}
