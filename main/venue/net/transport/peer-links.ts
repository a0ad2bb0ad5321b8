// A desk's links out: one socket per peer address (retried with backoff until dropped) and, over
// it, one HocuspocusProvider per open document bound to this desk's own copy, so whatever a
// peer's server sends is served on to every desk connected here. Each peer's server first says
// which station it is (`hello` on the directory document).
import type * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { HocuspocusProvider, WebSocketStatus, type HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type { VenueNodeEvent } from '../node-events.ts';
import { formatHost, peerKey, type PeerAddress } from './addresses.ts';
import { PeerSocket, venueSocketClass } from './peer-socket.ts';
import type { VenueKeyMaterial } from './psk.ts';
import type { VenueLimits } from './limits.ts';

export interface Peer {
  address: PeerAddress;
  socket: HocuspocusProviderWebsocket;
  providers: Map<string, HocuspocusProvider>;
  /** The station behind the address, once its server said hello. */
  stationId: string | null;
  epoch: number;
}

/** One link out, as a test or an operator reads it: a link up but never synced is stuck. */
export interface PeerLinkHealth {
  address: string;
  stationId: string | null;
  connected: boolean;
  documents: { name: string; authenticated: boolean; synced: boolean }[];
}

export interface PeerLinksOptions {
  stationId: string;
  limits: VenueLimits;
  heartbeatMs: number;
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** The token each peer's server authenticates: this desk's identity as it is now. */
  token: () => string;
  /** The name of the current venue's directory document; null in no venue. */
  directoryName: () => string | null;
  /** This desk's presence, as its directory providers carry it to the peers' servers. */
  ownPresence: () => object;
  /** A peer's server relayed presence (its own desk's, or its other clients'). */
  onPresence: (peer: Peer) => void;
  emit: (event: VenueNodeEvent) => void;
}

export class PeerLinks {
  private readonly peers = new Map<string, Peer>();

  constructor(private readonly options: PeerLinksOptions) {}

  /** Connects to the desk at this address with this key (kept and retried until dropped), for every open document. */
  connect(address: PeerAddress, material: VenueKeyMaterial, documents: Iterable<[string, Y.Doc]>): void {
    const key = peerKey(address);
    if (this.peers.has(key)) return;
    const { reconnect, heartbeatMs, limits } = this.options;
    const socket = new PeerSocket({
      url: `wss://${formatHost(address.host)}:${address.port}`,
      WebSocketPolyfill: venueSocketClass(material, limits.maxMessageBytes),
      delay: reconnect?.minDelayMs ?? 250,
      minDelay: reconnect?.minDelayMs ?? 250,
      maxDelay: reconnect?.maxDelayMs ?? 5_000,
      factor: 2,
      jitter: true,
      maxAttempts: 0,
      messageReconnectTimeout: heartbeatMs * 3.5,
    });
    const peer: Peer = { address, socket, providers: new Map(), stationId: null, epoch: material.epoch };
    socket.on('status', () => this.options.emit({ kind: 'presence' }));
    this.peers.set(key, peer);
    for (const [name, document] of documents) this.attach(peer, name, document);
  }

  /** A document opened here: every peer gets a provider for it. */
  attachEverywhere(name: string, document: Y.Doc): void {
    for (const peer of this.peers.values()) this.attach(peer, name, document);
  }

  /** A document closed here: no peer serves it to this desk any more. */
  detachEverywhere(name: string): void {
    for (const peer of this.peers.values()) {
      peer.providers.get(name)?.destroy();
      peer.providers.delete(name);
    }
  }

  drop(address: PeerAddress): void {
    const key = peerKey(address);
    const peer = this.peers.get(key);
    if (!peer) return;
    this.peers.delete(key);
    for (const provider of peer.providers.values()) provider.destroy();
    peer.socket.destroy();
  }

  /** Drops every link; returns the addresses it had, to connect again with another key. */
  dropAll(): PeerAddress[] {
    const addresses = this.addresses();
    for (const address of addresses) this.drop(address);
    return addresses;
  }

  /** Whether the link to this address is up now. */
  isConnected(address: PeerAddress): boolean {
    return this.peers.get(peerKey(address))?.socket.status === WebSocketStatus.Connected;
  }

  addresses(): PeerAddress[] {
    return [...this.peers.values()].map((p) => p.address);
  }

  /** Each link as it stands: its socket up or not, and each document's provider authenticated and synced. */
  health(): PeerLinkHealth[] {
    return [...this.peers.values()].map((peer) => ({
      address: `${formatHost(peer.address.host)}:${peer.address.port}`,
      stationId: peer.stationId,
      connected: peer.socket.status === WebSocketStatus.Connected,
      documents: [...peer.providers].map(([name, provider]) => ({
        name,
        authenticated: provider.isAuthenticated,
        synced: provider.isSynced,
      })),
    }));
  }

  /** The peers whose server said who it is (hello), with their station ids. */
  identified(): { address: PeerAddress; stationId: string }[] {
    return [...this.peers.values()].flatMap((p) =>
      p.stationId ? [{ address: p.address, stationId: p.stationId }] : [],
    );
  }

  /** The directory's presence as each linked peer's server relays it, while its link is up. */
  liveDirectoryAwarenesses(): Awareness[] {
    return [...this.peers.values()].flatMap((peer) => {
      const awareness = this.liveDirectoryAwareness(peer);
      return awareness ? [awareness] : [];
    });
  }

  /**
   * The awareness of the peer's directory provider, or null while that link is down: the socket's
   * status, not the provider's, since a socket closed for silence (a partition) reports
   * "disconnected" without the close event that would clear the provider's state.
   */
  liveDirectoryAwareness(peer: Peer): Awareness | null {
    const name = this.options.directoryName();
    const provider = name === null ? undefined : peer.providers.get(name);
    if (!provider?.awareness || !provider.isAuthenticated || peer.socket.status !== WebSocketStatus.Connected)
      return null;
    return provider.awareness;
  }

  /** Sets this desk's presence on every directory provider, so peers' servers relay it to their clients. */
  setPresence(state: object): void {
    const name = this.options.directoryName();
    if (name === null) return;
    for (const peer of this.peers.values()) peer.providers.get(name)?.awareness?.setLocalState(state);
  }

  /** Sends a stateless message on the directory to each identified peer that passes; adds each one reached. */
  sendStateless(payload: string, accept: (stationId: string) => boolean, reached: Set<string>): void {
    const name = this.options.directoryName();
    if (name === null) return;
    for (const peer of this.peers.values()) {
      if (!peer.stationId || !accept(peer.stationId)) continue;
      const provider = peer.providers.get(name);
      if (provider?.isAuthenticated) {
        provider.sendStateless(payload);
        reached.add(peer.stationId);
      }
    }
  }

  private attach(peer: Peer, name: string, document: Y.Doc): void {
    if (peer.providers.has(name)) return;
    const isDirectory = name === this.options.directoryName();
    // Each provider has its own awareness: it holds the states the peer's server relays (that
    // desk's presence and its other clients'). Ours is on our server's document, which every peer
    // connects to, and on the directory's providers, so peers' servers relay it to their clients.
    const awareness = new Awareness(document);
    awareness.setLocalState(isDirectory ? this.options.ownPresence() : null);
    const describe = () => `${peer.address.host}:${peer.address.port}`;
    const provider = new HocuspocusProvider({
      websocketProvider: peer.socket,
      name,
      document,
      awareness,
      token: () => this.options.token(),
      onAuthenticationFailed: ({ reason }) =>
        this.options.emit({ kind: 'refused-by-peer', peer: describe(), reason }),
      onSynced: () =>
        this.options.emit({ kind: 'peer-synced', peer: peer.stationId ?? describe(), documentName: name }),
      onStateless: ({ payload }) => {
        if (isDirectory) this.onServerStateless(peer, payload);
      },
    });
    if (isDirectory) {
      // Our own renewals (origin 'local') say nothing about the peers.
      awareness.on('update', (_changes: unknown, origin: unknown) => {
        if (origin !== 'local') this.options.onPresence(peer);
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
      if (m.stationId === this.options.stationId) {
        // Our own address (learned from discovery or the directory): no loop through ourselves.
        this.drop(peer.address);
        return;
      }
      peer.stationId = m.stationId;
      this.options.emit({ kind: 'presence' });
      return;
    }
    const name = this.options.directoryName();
    const provider = name === null ? undefined : peer.providers.get(name);
    this.options.emit({
      kind: 'stateless',
      from: 'server',
      stationId: peer.stationId,
      payload,
      reply: (p) => provider?.sendStateless(p),
    });
  }
}

/** The greeting a desk's server sends each client of its directory document. */
export function helloMessage(stationId: string): string {
  return JSON.stringify({ type: 'hello', stationId });
}
