// One desk on the venue network: the embedded Hocuspocus server (fed from our own TLS-PSK
// https server and ws, see psk.ts for why PSK) and one HocuspocusProvider per (peer, document)
// bound to this server's own document, so every update a desk receives is served on to every
// desk connected to it: updates relay along any path without a protocol of our own.
import { createServer, type Server as HttpsServer } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { ClientRequestArgs, IncomingMessage } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { Hocuspocus, type Document, type Connection } from '@hocuspocus/server';
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import type { Clock } from '../../ground/clock.ts';
import { parseVenueDocumentName } from '../../../shared/venue.ts';
import { isPollKey, isPollKeyList, MAX_POLL_KEYS } from '../../../shared/venue-poller.ts';
import type { VenueDocumentPersistence } from '../contracts.ts';
import { VENUE_TLS_CIPHERS, VENUE_TLS_VERSION, derivePsk, pskIdentity, serverPskFor, type HandshakeRefusal, type VenueKeyMaterial } from './transport/psk.ts';
import { DEFAULT_VENUE_LIMITS, MessageRateLimit, type VenueLimits } from './transport/limits.ts';

/** Raised by the server's hooks; Hocuspocus sends `reason` to the peer's provider. */
class PeerRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What a desk says about itself on every connection (the Hocuspocus token) and in presence. */
export interface DeskIdentity {
  stationId: string;
  deskName: string;
  /** The app's version, named in a mismatch message. */
  appVersion: string;
  /** The venue protocol (document schema and messages); desks of different protocols are refused. */
  protocol: number;
}

/** A desk's presence, as carried by Yjs awareness on the venue's directory document. */
export interface PresenceState {
  stationId: string;
  deskName: string;
  appVersion: string;
  /** The sender's clock when it sent this (ms since epoch); a skew > 2 min is shown. */
  clock: number;
  /** The events (`<provider>:<providerEventId>`) this desk could poll (shared/venue-poller.ts); absent from older desks. */
  polls?: string[];
  /** Said by a venue relay (main/venue/relay): listed apart, never a desk of the venue. */
  relay?: true;
}

export interface PeerPresence extends PresenceState {
  online: boolean;
  /** Our clock when we last heard from it. */
  lastSeenAt: number;
  /** Their clock minus ours, at the time we heard from them (ms). */
  clockOffsetMs: number;
}

export interface PeerAddress {
  host: string;
  port: number;
}

export type VenueNodeEvent =
  | { kind: 'handshake-refused'; remote: string; reason: HandshakeRefusal | 'wrong-secret' }
  | { kind: 'peer-refused'; remote: string; reason: string }
  | { kind: 'refused-by-peer'; peer: string; reason: string }
  | { kind: 'limit'; remote: string; reason: 'rate' | 'size' }
  | { kind: 'peer-synced'; peer: string; documentName: string }
  | { kind: 'presence' }
  | { kind: 'stateless'; from: 'server' | 'client'; stationId: string | null; payload: string; reply: (payload: string) => void };

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
  /** Documents whose names the server accepts, beyond the venue's own (`venue:<venueId>:`). */
  onEvent?: (event: VenueNodeEvent) => void;
  /** A relay: says `relay: true` in presence. */
  relay?: boolean;
}

/** The name of the venue's directory document (desks, addresses, removals; never attendee data). */
export function directoryDocumentName(venueId: string): string {
  return `venue:${venueId}:directory`;
}

const TOKEN_MAX_CHARS = 2_000;
/** How long a closing socket may wait for the other side's close frame. */
const CLOSE_GRACE_MS = 500;
const HANDSHAKE_TIMEOUT_MS = 3_000;

function parseToken(token: string): DeskIdentity | null {
  if (token.length > TOKEN_MAX_CHARS) return null;
  try {
    const t = JSON.parse(token) as Partial<DeskIdentity>;
    if (typeof t.stationId !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(t.stationId)) return null;
    if (typeof t.deskName !== 'string' || t.deskName.length === 0 || t.deskName.length > 60) return null;
    if (typeof t.appVersion !== 'string' || t.appVersion.length > 40) return null;
    if (typeof t.protocol !== 'number' || !Number.isInteger(t.protocol)) return null;
    return { stationId: t.stationId, deskName: t.deskName, appVersion: t.appVersion, protocol: t.protocol };
  } catch {
    return null;
  }
}

/** The refusal a desk of another protocol gets, naming both versions. */
export function versionMismatchMessage(server: DeskIdentity, client: DeskIdentity): string {
  return (
    `version mismatch: ${client.deskName} runs Badge Desk ${client.appVersion} (venue protocol ${client.protocol}), ` +
    `${server.deskName} runs Badge Desk ${server.appVersion} (venue protocol ${server.protocol}); update both desks to the same version`
  );
}

function isPresenceState(s: unknown): s is PresenceState {
  if (typeof s !== 'object' || s === null) return false;
  const p = s as Record<string, unknown>;
  return (
    typeof p.stationId === 'string' && p.stationId.length <= 64 &&
    typeof p.deskName === 'string' && p.deskName.length <= 60 &&
    typeof p.appVersion === 'string' && p.appVersion.length <= 40 &&
    typeof p.clock === 'number' && Number.isFinite(p.clock) &&
    (p.polls === undefined || isPollKeyList(p.polls)) &&
    (p.relay === undefined || p.relay === true)
  );
}

/**
 * One state per station: a station's presence reaches us along every path (its own server, each
 * desk or relay it is connected to, and a restart's new client id until the old one times out);
 * the latest reading of its clock wins.
 */
export function latestPerStation(states: Iterable<PresenceState>): PresenceState[] {
  const byStation = new Map<string, PresenceState>();
  for (const s of states) {
    const seen = byStation.get(s.stationId);
    if (!seen || s.clock > seen.clock) byStation.set(s.stationId, s);
  }
  return [...byStation.values()];
}

interface Peer {
  address: PeerAddress;
  socket: HocuspocusProviderWebsocket;
  providers: Map<string, HocuspocusProvider>;
  /** The station behind the address, once its server said hello. */
  stationId: string | null;
  epoch: number;
}

interface OpenDocument {
  document: Document;
  release: () => Promise<void>;
  users: number;
}

export class VenueNode {
  private readonly hocuspocus: Hocuspocus;
  private readonly https: HttpsServer;
  private readonly wss: WebSocketServer;
  private readonly limits: VenueLimits;
  private readonly heartbeatMs: number;
  private material: VenueKeyMaterial | null = null;
  private readonly removedStations = new Set<string>();
  private readonly peers = new Map<string, Peer>();
  private readonly documents = new Map<string, OpenDocument>();
  private readonly presence = new Map<string, PeerPresence>();
  /** When (Date.now()) each desk's presence was last renewed: every heartbeat while it runs. */
  private readonly heardAt = new Map<string, number>();
  /** Server-side sockets with the epoch they authenticated with, closed on rotation. */
  private readonly serverSockets = new Map<WebSocket, number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private identity: DeskIdentity;
  private polls: string[] = [];
  private stopped = false;

  constructor(private readonly options: VenueNodeOptions) {
    this.identity = { ...options.identity };
    this.limits = { ...DEFAULT_VENUE_LIMITS, ...options.limits };
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.hocuspocus = new Hocuspocus({
      name: options.identity.stationId,
      quiet: true,
      debounce: 1_000,
      maxDebounce: 5_000,
      // A dead peer's socket is closed after this long without a pong.
      timeout: Math.max(5_000, this.heartbeatMs * 3),
      onAuthenticate: async (data) => this.authenticate(data.token, data.documentName, data.request),
      connected: async (data) => this.greet(data.connection, data.documentName),
      onLoadDocument: async (data) => {
        const stored = this.options.persistence.load(data.documentName);
        if (stored) Y.applyUpdate(data.document, stored, 'persistence');
        return data.document;
      },
      onStoreDocument: async (data) => {
        this.options.persistence.store(data.documentName, Y.encodeStateAsUpdate(data.document));
      },
      onStateless: async (data) => {
        const stationId = (data.connection.context as { stationId?: string }).stationId ?? null;
        this.emit({ kind: 'stateless', from: 'client', stationId, payload: data.payload, reply: (p) => data.connection.sendStateless(p) });
      },
    });

    this.https = createServer({
      ciphers: VENUE_TLS_CIPHERS,
      minVersion: VENUE_TLS_VERSION,
      maxVersion: VENUE_TLS_VERSION,
      pskCallback: (socket: TLSSocket, identity: string) => {
        const found = serverPskFor(this.material, identity);
        if ('refused' in found) {
          this.emit({ kind: 'handshake-refused', remote: remoteOf(socket), reason: found.refused });
          return null;
        }
        epochOfSocket.set(socket, this.material!.epoch);
        return found.psk;
      },
    }, (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('a Badge Desk venue desk speaks websocket only');
    });
    // A client that names our identity but holds another key fails TLS's Finished check.
    this.https.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
      if (epochOfSocket.has(socket)) this.emit({ kind: 'handshake-refused', remote: remoteOf(socket), reason: 'wrong-secret' });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxMessageBytes });
    this.https.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      const epoch = epochOfSocket.get(socket as TLSSocket);
      if (epoch === undefined || !this.material || epoch !== this.material.epoch) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.acceptConnection(ws, request, epoch));
    });
  }

  /**
   * Starts listening; resolves with the bound port. `preferredPort` (the port of the last run)
   * comes first, so desks that knew this one find it again after a restart; if it is taken,
   * the configured port (0: any free one).
   */
  async start(preferredPort?: number): Promise<number> {
    const host = this.options.listen?.host ?? '0.0.0.0';
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        this.https.once('error', reject);
        this.https.listen(port, host, () => {
          this.https.off('error', reject);
          resolve();
        });
      });
    const configured = this.options.listen?.port ?? 0;
    if (preferredPort && configured === 0) {
      await listen(preferredPort).catch(() => listen(0));
    } else {
      await listen(configured);
    }
    this.heartbeat = setInterval(() => this.renewPresence(), this.heartbeatMs);
    this.heartbeat.unref();
    return this.port;
  }

  get port(): number {
    return (this.https.address() as AddressInfo).port;
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
    if (previous && material && previous.venueId === material.venueId && previous.epoch === material.epoch) return;
    for (const [ws] of this.serverSockets) ws.close(4403, 'the venue secret changed');
    this.serverSockets.clear();
    const addresses = [...this.peers.values()].map((p) => p.address);
    for (const key of [...this.peers.keys()]) this.dropPeer(key);
    if (previous?.venueId !== material?.venueId) this.presence.clear();
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

  /** What this desk's own presence says it could poll. */
  ownPolls(): readonly string[] {
    return this.polls;
  }

  /** Desks removed from the venue: their connections are refused even before a rotation. */
  setRemovedStations(stationIds: Iterable<string>): void {
    this.removedStations.clear();
    for (const id of stationIds) this.removedStations.add(id);
    for (const [ws] of this.serverSockets) {
      const stationId = stationOfSocket.get(ws);
      if (stationId && this.removedStations.has(stationId)) ws.close(4403, 'this desk was removed from the venue');
    }
  }

  // ---- documents (VenueDocumentSource) ----

  /** The live document of this name, loaded from persistence, replicated with every peer. */
  async openDocument(name: string): Promise<Y.Doc> {
    const open = this.documents.get(name);
    if (open) {
      open.users += 1;
      return open.document;
    }
    const direct = await this.hocuspocus.openDirectConnection(name, { stationId: this.identity.stationId, local: true });
    const document = direct.document!;
    let storeScheduled = false;
    // Hocuspocus stores only what arrives through its connections; our own writes are stored too.
    document.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin instanceof HocuspocusProvider || isHocuspocusConnection(origin) || origin === 'persistence') return;
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
    for (const peer of this.peers.values()) this.attachProvider(peer, name);
    return document;
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

  async closeDocument(name: string): Promise<void> {
    const open = this.documents.get(name);
    if (!open) return;
    open.users -= 1;
    if (open.users > 0) return;
    this.documents.delete(name);
    for (const peer of this.peers.values()) {
      peer.providers.get(name)?.destroy();
      peer.providers.delete(name);
    }
    await open.release();
  }

  /** The directory document's current state (desks, removals), shared with every peer. */
  directory(): Y.Doc | null {
    return this.material ? (this.documents.get(directoryDocumentName(this.material.venueId))?.document ?? null) : null;
  }

  // ---- peers ----

  /** Connects to a desk at this address (kept and retried until removed). */
  connectPeer(address: PeerAddress): void {
    const key = `${address.host}:${address.port}`;
    if (this.peers.has(key) || this.stopped || !this.material) return;
    const material = this.material;
    const socket = new PeerSocket({
      url: `wss://${formatHost(address.host)}:${address.port}`,
      WebSocketPolyfill: venueSocketClass(material, this.limits.maxMessageBytes),
      delay: this.options.reconnect?.minDelayMs ?? 250,
      minDelay: this.options.reconnect?.minDelayMs ?? 250,
      maxDelay: this.options.reconnect?.maxDelayMs ?? 5_000,
      factor: 2,
      jitter: true,
      maxAttempts: 0,
      messageReconnectTimeout: this.heartbeatMs * 3.5,
    });
    const peer: Peer = { address, socket, providers: new Map(), stationId: null, epoch: material.epoch };
    socket.on('status', () => this.emit({ kind: 'presence' }));
    this.peers.set(key, peer);
    for (const name of this.documents.keys()) this.attachProvider(peer, name);
  }

  disconnectPeer(address: PeerAddress): void {
    this.dropPeer(`${address.host}:${address.port}`);
  }

  peerAddresses(): PeerAddress[] {
    return [...this.peers.values()].map((p) => p.address);
  }

  /** The peers whose server said who it is (hello), with their station ids. */
  identifiedPeers(): { address: PeerAddress; stationId: string }[] {
    return [...this.peers.values()].flatMap((p) => (p.stationId ? [{ address: p.address, stationId: p.stationId }] : []));
  }

  /** Sends a stateless message to every connected peer (both directions) whose station passes. */
  sendToPeers(payload: string, accept: (stationId: string) => boolean): number {
    const reached = new Set<string>();
    if (!this.material) return 0;
    const directoryName = directoryDocumentName(this.material.venueId);
    for (const peer of this.peers.values()) {
      if (!peer.stationId || !accept(peer.stationId)) continue;
      const provider = peer.providers.get(directoryName);
      if (provider?.isAuthenticated) {
        provider.sendStateless(payload);
        reached.add(peer.stationId);
      }
    }
    const document = this.documents.get(directoryName)?.document;
    for (const connection of document?.getConnections() ?? []) {
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
    const online = new Set<string>();
    for (const peer of this.peers.values()) {
      for (const state of this.directoryStatesOf(peer)) online.add(state.stationId);
    }
    return [...this.presence.values()].map((p) => ({ ...p, online: online.has(p.stationId) }));
  }

  /**
   * How long since this desk last heard the station's presence (real time, whatever the clock):
   * a desk that froze (a closed lid, a stopped process) still looks connected until its socket
   * times out (3.5 heartbeats), but stops renewing at once.
   */
  silentForMs(stationId: string): number {
    const at = this.heardAt.get(stationId);
    // Awareness stamps its states with Date.now() (y-protocols' getUnixTime).
    return at === undefined ? Infinity : Date.now() - at;
  }

  /** How often this desk renews its presence (and so, by the same setting, its peers theirs). */
  get heartbeatIntervalMs(): number {
    return this.heartbeatMs;
  }

  /** Stores every document loaded now, as it is (a relay's shutdown: no waiting for Hocuspocus's debounce). */
  storeAll(): void {
    for (const [name, document] of this.hocuspocus.documents) this.options.persistence.store(name, Y.encodeStateAsUpdate(document));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const key of [...this.peers.keys()]) this.dropPeer(key);
    for (const [ws] of this.serverSockets) ws.terminate();
    for (const [name, open] of [...this.documents]) {
      this.documents.delete(name);
      await open.release();
    }
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.https.close(() => resolve());
      this.https.closeAllConnections();
    });
  }

  // ---- internals ----

  private emit(event: VenueNodeEvent): void {
    this.options.onEvent?.(event);
  }

  private async openDirectory(venueId: string): Promise<void> {
    const name = directoryDocumentName(venueId);
    for (const existing of [...this.documents.keys()]) {
      if (existing.endsWith(':directory') && existing !== name) await this.closeDocument(existing);
    }
    if (this.documents.has(name)) return;
    const document = (await this.openDocument(name)) as Document;
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
    };
  }

  private renewPresence(): void {
    const document = this.directory() as Document | null;
    if (!document) return;
    const state = this.presenceState();
    document.awareness.setLocalState(state);
    // And on every provider to a peer's server, which serves it on to that server's other
    // clients: a desk that reaches the others only through a relay (or one desk) is seen online.
    const name = directoryDocumentName(this.material!.venueId);
    for (const peer of this.peers.values()) peer.providers.get(name)?.awareness?.setLocalState(state);
  }

  private authenticate(token: string, documentName: string, request: IncomingMessage): { stationId: string; deskName: string } {
    const remote = remoteOf(request.socket);
    const peer = parseToken(token);
    const refuse = (reason: string): never => {
      this.emit({ kind: 'peer-refused', remote, reason });
      throw new PeerRefused(reason);
    };
    if (!peer) return refuse('not a Badge Desk desk');
    if (peer.protocol !== this.identity.protocol) return refuse(versionMismatchMessage(this.identity, peer));
    const isOurs = this.material !== null && (documentName === directoryDocumentName(this.material.venueId) || parseVenueDocumentName(documentName)?.venueId === this.material.venueId);
    if (!isOurs) return refuse('that document is not one of this venue');
    if (this.removedStations.has(peer.stationId)) return refuse('this desk was removed from the venue');
    if (peer.stationId === this.identity.stationId) return refuse('a desk does not connect to itself');
    return { stationId: peer.stationId, deskName: peer.deskName };
  }

  private async greet(connection: Connection, documentName: string): Promise<void> {
    const stationId = (connection.context as { stationId?: string }).stationId;
    if (stationId) stationOfSocket.set(connection.webSocket, stationId);
    if (this.material && documentName === directoryDocumentName(this.material.venueId)) {
      connection.sendStateless(JSON.stringify({ type: 'hello', stationId: this.identity.stationId }));
    }
  }

  private acceptConnection(ws: WebSocket, request: IncomingMessage, epoch: number): void {
    this.serverSockets.set(ws, epoch);
    const rate = new MessageRateLimit(this.limits, this.options.clock.now());
    // Registered before Hocuspocus's own listener, so it sees each message first.
    ws.on('message', () => {
      if (!rate.take(Date.now())) {
        this.emit({ kind: 'limit', remote: remoteOf(request.socket), reason: 'rate' });
        ws.terminate();
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.emit({ kind: 'limit', remote: remoteOf(request.socket), reason: 'size' });
    });
    ws.on('close', () => this.serverSockets.delete(ws));
    this.hocuspocus.handleConnection(ws, request, {});
  }

  private attachProvider(peer: Peer, name: string): void {
    if (peer.providers.has(name)) return;
    const document = this.documents.get(name)?.document;
    if (!document) return;
    const isDirectory = this.material !== null && name === directoryDocumentName(this.material.venueId);
    // Each provider has its own awareness: it holds the states the peer's server relays (that
    // desk's presence and its other clients'). Ours is on our server's document, which every peer
    // connects to, and on the directory's providers, so peers' servers relay it to their clients.
    const awareness = new Awareness(document);
    awareness.setLocalState(isDirectory ? this.presenceState() : null);
    const provider = new HocuspocusProvider({
      websocketProvider: peer.socket,
      name,
      document,
      awareness,
      token: () => JSON.stringify(this.identity),
      onAuthenticationFailed: ({ reason }) => this.emit({ kind: 'refused-by-peer', peer: `${peer.address.host}:${peer.address.port}`, reason }),
      onSynced: () => this.emit({ kind: 'peer-synced', peer: peer.stationId ?? `${peer.address.host}:${peer.address.port}`, documentName: name }),
      onStateless: ({ payload }) => {
        if (isDirectory) this.onServerStateless(peer, payload);
      },
    });
    if (isDirectory) {
      // Our own renewals (origin 'local') say nothing about the peers.
      awareness.on('update', (_changes: unknown, origin: unknown) => {
        if (origin !== 'local') this.notePresence(peer);
      });
    }
    provider.attach();
    peer.providers.set(name, provider);
  }

  private onServerStateless(peer: Peer, payload: string): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const m = message as { type?: unknown; stationId?: unknown };
    if (m.type === 'hello' && typeof m.stationId === 'string') {
      if (m.stationId === this.identity.stationId) {
        // Our own address (learned from discovery or the directory): no loop through ourselves.
        this.dropPeer(`${peer.address.host}:${peer.address.port}`);
        return;
      }
      peer.stationId = m.stationId;
      this.emit({ kind: 'presence' });
      return;
    }
    const provider = this.material ? peer.providers.get(directoryDocumentName(this.material.venueId)) : undefined;
    this.emit({ kind: 'stateless', from: 'server', stationId: peer.stationId, payload, reply: (p) => provider?.sendStateless(p) });
  }

  private directoryStatesOf(peer: Peer): PresenceState[] {
    if (!this.material) return [];
    const provider = peer.providers.get(directoryDocumentName(this.material.venueId));
    // The socket's status, not the provider's: a socket closed for silence (a partition) reports
    // "disconnected" without the close event that would clear the provider's state.
    if (!provider?.awareness || !provider.isAuthenticated || peer.socket.status !== WebSocketStatus.Connected) return [];
    return latestPerStation([...provider.awareness.getStates().values()].filter(isPresenceState).filter((s) => s.stationId !== this.identity.stationId));
  }

  /**
   * When each desk's presence was last renewed, by the awareness's own record of each state's
   * last update: a state a peer relays for a desk that froze stays in its awareness (until that
   * desk's socket to it times out), but is not renewed, whatever else the peer sends.
   */
  private noteHeard(peer: Peer): void {
    const awareness = this.material ? peer.providers.get(directoryDocumentName(this.material.venueId))?.awareness : null;
    if (!awareness || this.directoryStatesOf(peer).length === 0) return;
    for (const [clientId, state] of awareness.getStates()) {
      if (!isPresenceState(state) || state.stationId === this.identity.stationId) continue;
      const updated = awareness.meta.get(clientId)?.lastUpdated;
      if (updated !== undefined) this.heardAt.set(state.stationId, Math.max(this.heardAt.get(state.stationId) ?? 0, updated));
    }
  }

  private notePresence(peer: Peer): void {
    const now = this.options.clock.now();
    for (const state of this.directoryStatesOf(peer)) {
      const previous = this.presence.get(state.stationId);
      // A renewal that carries the same clock reading says nothing new about the offset.
      const clockOffsetMs = previous && previous.clock === state.clock ? previous.clockOffsetMs : state.clock - now;
      this.presence.set(state.stationId, { ...state, online: true, lastSeenAt: now, clockOffsetMs });
    }
    this.noteHeard(peer);
    this.emit({ kind: 'presence' });
  }

  private dropPeer(key: string): void {
    const peer = this.peers.get(key);
    if (!peer) return;
    this.peers.delete(key);
    for (const provider of peer.providers.values()) provider.destroy();
    peer.socket.destroy();
  }
}

/**
 * The provider's socket to one peer, which stays down once destroyed. HocuspocusProviderWebsocket
 * (3.4) answers a close by scheduling a reconnect (onClose: setTimeout(connect, delay)) and
 * destroy() does not cancel it: connect() then sets shouldConnect again and the destroyed socket
 * retries for ever, with the key it was made with (a desk dropped just after its peer closed the
 * connection, as a rotation does, kept a process alive with TLS attempts every few seconds).
 */
class PeerSocket extends HocuspocusProviderWebsocket {
  private destroyed = false;

  override connect(): Promise<unknown> {
    if (this.destroyed) return Promise.resolve();
    return super.connect();
  }

  override destroy(): void {
    this.destroyed = true;
    super.destroy();
  }
}

const epochOfSocket = new WeakMap<TLSSocket, number>();
const stationOfSocket = new WeakMap<WebSocket, string>();

function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function isHocuspocusConnection(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && 'webSocket' in origin && 'document' in origin;
}

/** A ws client class that opens its socket with TLS-PSK (the provider constructs it with a URL only). */
function venueSocketClass(material: VenueKeyMaterial, maxPayload: number): new (url: string) => WebSocket {
  const psk = derivePsk(material);
  const identity = pskIdentity(material);
  return class VenueSocket extends WebSocket {
    constructor(url: string) {
      super(url, {
        maxPayload,
        // A connection attempt made during a partition hangs in SYN retries; give up and retry.
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
        createConnection: (options: ClientRequestArgs) =>
          tlsConnect({
            host: options.host ?? undefined,
            port: Number(options.port),
            ciphers: VENUE_TLS_CIPHERS,
            minVersion: VENUE_TLS_VERSION,
            maxVersion: VENUE_TLS_VERSION,
            pskCallback: () => ({ psk, identity }),
            // No certificates in PSK suites: the key is the proof of identity.
            checkServerIdentity: () => undefined,
          }),
      });
      // The provider listens through onerror/onclose and drops them on destroy; a socket closed
      // while still connecting then emits an error nobody hears, which would end the process.
      this.on('error', () => {});
    }

    // The provider closes a socket that went silent (a partition, a dead desk); ws would wait
    // 30 s for the other side's close frame that cannot come, and only then report the close.
    override close(code?: number, reason?: string | Buffer): void {
      super.close(code, reason);
      setTimeout(() => {
        if (this.readyState !== WebSocket.CLOSED) this.terminate();
      }, CLOSE_GRACE_MS).unref();
    }
  };
}
