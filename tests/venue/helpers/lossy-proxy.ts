// The tests' own TCP proxy between desks: each route listens on one address and forwards every
// connection to one target, shaping both directions as a network profile says (network-profiles.ts:
// delay with jitter, losses that stall the stream, no reordering within a stream), and drops the
// link on demand (an outage that holds everything, or that cuts every connection and refuses new
// ones). It can also cut the next connections a few bytes in, at seeded points, to break TLS and
// Hocuspocus handshakes half-way. Seeded: the same seed draws the same delays for each stream.
// proxy-process.ts runs it in a process of its own (in the bridge's namespace when there is one).
import { EventEmitter } from 'node:events';
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  LinkShaper,
  seededRandom,
  streamSeed,
  type NetworkProfile,
  type OutageMode,
} from './network-profiles.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ProxyStats {
  /** Connections accepted, over the proxy's life. */
  connections: number;
  /** Connections open now (with a live side). */
  open: number;
  /** Bytes delivered, both directions. */
  bytes: number;
  pieces: number;
  /** Pieces lost and retransmitted (each a stall of the stream). */
  losses: number;
  /** Bytes an outage holds now. */
  heldBytes: number;
  /** Connections cut at a seeded point (cutNextConnections). */
  handshakeCuts: number;
  /** Connections still to be given a cut point (the next ones accepted). */
  pendingCuts: number;
  /** Connections reset by a cutting outage, and connections refused during one. */
  outageResets: number;
  refused: number;
}

/** What crosses one direction: bytes, the sender's FIN, or its reset; `at` is null while an outage holds it. */
/** How a handshake cut ends a connection: both sides reset, or the link goes silent for good. */
export type CutStyle = 'reset' | 'silent';

type Item =
  | { kind: 'data'; data: Buffer; at: number | null }
  | { kind: 'end'; at: number | null }
  | { kind: 'reset'; at: number | null };

/** Above this much queued in one direction the sender is paused (TCP's window, roughly). */
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 2 * 1024 * 1024;

const keyOf = (e: Endpoint) => `${e.host}:${e.port}`;

/** One direction of one connection: a queue released piece by piece at the shaper's times. */
class Pipe {
  readonly queue: Item[] = [];
  queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  held = false;

  /** The socket this direction reads from (paused while the queue is long). */
  source: Socket | null = null;

  constructor(
    readonly shaper: LinkShaper,
    private readonly deliver: (item: Item) => void,
    private readonly proxy: LossyProxy,
  ) {}

  push(item: Item): void {
    if (item.kind === 'data') {
      this.queuedBytes += item.data.length;
      if (this.queuedBytes > HIGH_WATER) this.source?.pause();
    }
    this.queue.push(item);
    this.schedule();
  }

  /** Holds everything (an outage): queued pieces stay, new ones wait untimed. */
  hold(): void {
    this.held = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The link is back: what was held goes out, retimed from now, in order. */
  release(now: number): void {
    this.held = false;
    for (const item of this.queue) item.at = this.time(now, item.kind);
    this.schedule();
  }

  /** Times a piece that reached the link at `now` (counted as a loss when it was one). */
  time(now: number, kind: Item['kind']): number {
    const delivery = this.shaper.deliver(now);
    if (kind === 'data') {
      this.proxy.counters.pieces += 1;
      if (delivery.lost) this.proxy.counters.losses += 1;
    }
    return delivery.at;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  heldBytes(): number {
    return this.held ? this.queuedBytes : 0;
  }

  private schedule(): void {
    if (this.held || this.timer || this.queue.length === 0) return;
    const head = this.queue[0]!;
    const wait = (head.at ?? 0) - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
      return;
    }
    this.flush();
  }

  private flush(): void {
    const now = performance.now();
    while (!this.held && this.queue.length > 0 && (this.queue[0]!.at ?? Infinity) <= now) {
      const item = this.queue.shift()!;
      if (item.kind === 'data') {
        this.queuedBytes -= item.data.length;
        if (this.queuedBytes < LOW_WATER && this.source?.isPaused()) this.source.resume();
      }
      this.deliver(item);
    }
    this.schedule();
  }
}

/** One accepted connection and its upstream, shaped both ways. */
class ProxiedConnection {
  upstream: Socket | null = null;
  readonly up: Pipe;
  readonly down: Pipe;
  private closed = false;
  private delivered = 0;
  /** Cut once this many bytes have crossed (a handshake cut half-way), or never; and how. */
  cutAt: number | null = null;
  cutStyle: CutStyle = 'reset';
  /** Cut silently: nothing crosses any more, either way, not even a close. */
  private silenced = false;

  constructor(
    readonly route: string,
    private readonly client: Socket,
    private readonly target: Endpoint,
    index: number,
    private readonly proxy: LossyProxy,
  ) {
    const { profile, seed } = proxy;
    this.up = new Pipe(
      new LinkShaper(profile, seededRandom(streamSeed(seed, index, 0))),
      (item) => this.deliverTo(this.upstream, item),
      proxy,
    );
    this.up.source = client;
    // `down` reads from the upstream socket once there is one (open()).
    this.down = new Pipe(
      new LinkShaper(profile, seededRandom(streamSeed(seed, index, 1))),
      (item) => this.deliverTo(this.client, item),
      proxy,
    );
    client.on('data', (chunk: Buffer) => this.receive(this.up, chunk));
    client.on('end', () => this.ended(client, this.up));
    client.on('error', () => undefined);
    client.on('close', (hadError) => {
      if (hadError) this.up.push({ kind: 'reset', at: this.timeOf(this.up, 'reset') });
      // A client that gave up before the link came back never reached the server (its SYN was lost).
      if (this.upstream === null) this.destroy();
      else this.settle();
    });
  }

  /** Opens the upstream connection (at once, or when an outage that held this connection ends). */
  open(): void {
    if (this.closed || this.upstream) return;
    const upstream = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('data', (chunk: Buffer) => this.receive(this.down, chunk));
    upstream.on('end', () => this.ended(upstream, this.down));
    upstream.on('error', () => undefined);
    upstream.on('close', (hadError) => {
      if (hadError) this.down.push({ kind: 'reset', at: this.timeOf(this.down, 'reset') });
      this.settle();
    });
    this.down.source = upstream;
  }

  hold(): void {
    this.up.hold();
    this.down.hold();
  }

  release(): void {
    const now = performance.now();
    this.open();
    this.up.release(now);
    this.down.release(now);
  }

  /** Resets both sides now (a cutting outage, a handshake cut, the proxy closing). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.up.stop();
    this.down.stop();
    for (const socket of [this.client, this.upstream]) {
      if (socket && !socket.destroyed) socket.resetAndDestroy();
    }
    this.proxy.forget(this);
  }

  heldBytes(): number {
    return this.up.heldBytes() + this.down.heldBytes();
  }

  /** Both sides closed: nothing more can be delivered. */
  private settle(): void {
    if (this.client.destroyed && this.upstream?.destroyed) {
      this.closed = true;
      this.up.stop();
      this.down.stop();
      this.proxy.forget(this);
    }
  }

  /** A side sent its FIN: passed on in order, or, on a silenced link, the proxy's end of it just closes. */
  private ended(socket: Socket, pipe: Pipe): void {
    if (this.silenced) socket.destroy();
    else pipe.push({ kind: 'end', at: this.timeOf(pipe, 'end') });
  }

  private timeOf(pipe: Pipe, kind: 'end' | 'reset'): number | null {
    return pipe.held ? null : pipe.time(performance.now(), kind);
  }

  private receive(pipe: Pipe, chunk: Buffer): void {
    const now = performance.now();
    const size = pipe.shaper.pieceBytes;
    for (let offset = 0; offset < chunk.length; offset += size) {
      const item: Item = { kind: 'data', data: chunk.subarray(offset, offset + size), at: null };
      if (!pipe.held) item.at = pipe.time(now, 'data');
      pipe.push(item);
    }
    if (pipe.held) this.proxy.emit('held', this.proxy.stats().heldBytes);
  }

  private deliverTo(socket: Socket | null, item: Item): void {
    if (this.closed || this.silenced || !socket || socket.destroyed) return;
    if (item.kind === 'end') {
      socket.end();
      return;
    }
    if (item.kind === 'reset') {
      this.destroy();
      return;
    }
    let data = item.data;
    if (this.cutAt !== null && this.delivered + data.length >= this.cutAt) {
      data = data.subarray(0, this.cutAt - this.delivered);
      this.proxy.counters.bytes += data.length;
      this.proxy.counters.handshakeCuts += 1;
      // The reset after the last bytes are written: a reset with a write pending closes with a FIN.
      const cut = () => {
        if (this.cutStyle === 'reset') this.destroy();
        this.proxy.emit('cut');
      };
      // Silent: the link went dead here; each side finds out by its own timeouts.
      if (this.cutStyle === 'silent') {
        this.silenced = true;
        this.up.stop();
        this.down.stop();
      }
      if (data.length > 0) socket.write(data, cut);
      else cut();
      return;
    }
    this.delivered += data.length;
    this.proxy.counters.bytes += data.length;
    socket.write(data);
  }
}

export interface LossyProxyOptions {
  profile: NetworkProfile;
  seed: number;
}

/**
 * Events: 'held' (bytes an outage holds now, each time more arrives), 'cut' (a handshake cut),
 * 'connection' (one accepted).
 */
export class LossyProxy extends EventEmitter {
  profile: NetworkProfile;
  readonly seed: number;
  readonly counters = {
    connections: 0,
    bytes: 0,
    pieces: 0,
    losses: 0,
    handshakeCuts: 0,
    outageResets: 0,
    refused: 0,
  };
  private readonly servers = new Map<string, Server>();
  private readonly connections = new Set<ProxiedConnection>();
  /** Routes in an outage now, by listen key, and how. */
  private readonly outages = new Map<string, OutageMode>();
  private readonly cutRandom: () => number;
  private pendingCuts: { count: number; maxBytes: number; style: CutStyle } | null = null;

  constructor(options: LossyProxyOptions) {
    super();
    this.profile = options.profile;
    this.seed = options.seed;
    this.cutRandom = seededRandom(options.seed ^ 0x5bd1e995);
  }

  /** Listens on `listen` (port 0: any free port) and forwards there to `target`; resolves with the address. */
  route(listen: Endpoint, target: Endpoint): Promise<Endpoint> {
    const bound = { ...listen };
    const server = createServer({ allowHalfOpen: true }, (client) =>
      this.accept(keyOf(bound), client, target),
    );
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        bound.port = (server.address() as AddressInfo).port;
        this.servers.set(keyOf(bound), server);
        resolve({ ...bound });
      });
    });
  }

  /** Stops listening on a route and resets its connections. */
  async unroute(listen: Endpoint): Promise<void> {
    const key = keyOf(listen);
    const server = this.servers.get(key);
    if (!server) return;
    this.servers.delete(key);
    for (const c of [...this.connections]) if (c.route === key) c.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  routes(): string[] {
    return [...this.servers.keys()];
  }

  /** Another profile from now on, for new pieces of every connection. */
  setProfile(profile: NetworkProfile): void {
    this.profile = profile;
    for (const c of this.connections) {
      c.up.shaper.setProfile(profile);
      c.down.shaper.setProfile(profile);
    }
  }

  /** Drops the link of these routes (default: every route) until endOutage. */
  startOutage(mode: OutageMode, routes: string[] = this.routes()): void {
    for (const route of routes) this.outages.set(route, mode);
    for (const c of [...this.connections]) {
      const outage = this.outages.get(c.route);
      if (outage === 'cut') {
        this.counters.outageResets += 1;
        c.destroy();
      } else if (outage === 'blackhole') c.hold();
    }
  }

  /** The link is back: held connections open upstream and what was held goes out. */
  endOutage(routes: string[] = [...this.outages.keys()]): void {
    for (const route of routes) this.outages.delete(route);
    for (const c of [...this.connections]) if (!this.outages.has(c.route)) c.release();
  }

  /**
   * The next `count` connections are cut once a seeded number of bytes (1..maxBytes) has crossed
   * them: reset both ways, or silent (nothing more crosses, not even a close).
   */
  cutNextConnections(count: number, maxBytes: number, style: CutStyle = 'reset'): void {
    this.pendingCuts = count > 0 ? { count, maxBytes, style } : null;
  }

  stats(): ProxyStats {
    let heldBytes = 0;
    for (const c of this.connections) heldBytes += c.heldBytes();
    return {
      ...this.counters,
      open: this.connections.size,
      heldBytes,
      pendingCuts: this.pendingCuts?.count ?? 0,
    };
  }

  /** A connection closed for good. */
  forget(connection: ProxiedConnection): void {
    this.connections.delete(connection);
  }

  async close(): Promise<void> {
    for (const c of [...this.connections]) c.destroy();
    await Promise.all(
      [...this.servers.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
    this.servers.clear();
  }

  private accept(route: string, client: Socket, target: Endpoint): void {
    client.setNoDelay(true);
    const outage = this.outages.get(route);
    if (outage === 'cut') {
      this.counters.refused += 1;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const index = this.counters.connections++;
    const connection = new ProxiedConnection(route, client, target, index, this);
    this.connections.add(connection);
    if (this.pendingCuts) {
      connection.cutAt = 1 + Math.floor(this.cutRandom() * this.pendingCuts.maxBytes);
      connection.cutStyle = this.pendingCuts.style;
      this.pendingCuts.count -= 1;
      if (this.pendingCuts.count === 0) this.pendingCuts = null;
    }
    if (outage === 'blackhole') connection.hold();
    else connection.open();
    this.emit('connection');
  }
}
