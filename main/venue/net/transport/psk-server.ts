// The listening side of a desk: an https server that opens sessions with the venue's current
// key only (TLS-PSK, psk.ts says why), upgraded to ws for the document server, with a size cap
// and a message rate per connection (limits.ts). A new key closes every session of the old one.
import { createServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import type { Clock } from '../../../ground/clock.ts';
import type { VenueNodeEvent } from '../node-events.ts';
import { remoteOf } from './addresses.ts';
import { VENUE_TLS_CIPHERS, VENUE_TLS_VERSION, serverPskFor, type VenueKeyMaterial } from './psk.ts';
import { MessageRateLimit, type VenueLimits } from './limits.ts';

export interface PskServerOptions {
  limits: VenueLimits;
  clock: Clock;
  /** The key sessions open with now; null (in no venue) refuses every handshake. */
  currentKey: () => VenueKeyMaterial | null;
  /**
   * How long a session may go without a message or a pong before it is closed. The document
   * server's own ping closes the documents of a silent connection but not its socket, and one that
   * never authenticated has no document to close: on a link that died, the socket stayed open.
   */
  silenceTimeoutMs: number;
  /** Hands an accepted socket to the server that speaks over it. */
  accept: (ws: WebSocket, request: IncomingMessage) => void;
  emit: (event: VenueNodeEvent) => void;
}

const epochOfSocket = new WeakMap<TLSSocket, number>();
const stationOfSocket = new WeakMap<WebSocket, string>();

export class PskServer {
  private readonly https: HttpsServer;
  private readonly wss: WebSocketServer;
  /** Server-side sockets with the epoch they authenticated with, closed on rotation. */
  private readonly sockets = new Map<WebSocket, number>();
  /** Every TCP connection open now, sessions and handshakes under way alike. */
  private readonly connections = new Set<Socket>();

  constructor(private readonly options: PskServerOptions) {
    this.https = createServer(
      {
        handshakeTimeout: options.limits.handshakeTimeoutMs,
        // The upgrade request's headers within the same bound (checked at a fraction of it).
        headersTimeout: options.limits.handshakeTimeoutMs,
        requestTimeout: options.limits.handshakeTimeoutMs,
        connectionsCheckingInterval: Math.max(100, Math.floor(options.limits.handshakeTimeoutMs / 4)),
        ciphers: VENUE_TLS_CIPHERS,
        minVersion: VENUE_TLS_VERSION,
        maxVersion: VENUE_TLS_VERSION,
        pskCallback: (socket: TLSSocket, identity: string) => {
          const material = options.currentKey();
          const found = serverPskFor(material, identity);
          if ('refused' in found) {
            options.emit({ kind: 'handshake-refused', remote: remoteOf(socket), reason: found.refused });
            return null;
          }
          epochOfSocket.set(socket, material!.epoch);
          return found.psk;
        },
      },
      (_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' });
        res.end('a Badge Desk venue desk speaks websocket only');
      },
    );
    this.https.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    // A client that names our identity but holds another key fails TLS's Finished check.
    this.https.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
      if (epochOfSocket.has(socket))
        options.emit({ kind: 'handshake-refused', remote: remoteOf(socket), reason: 'wrong-secret' });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.limits.maxMessageBytes });
    this.https.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      const epoch = epochOfSocket.get(socket as TLSSocket);
      const material = options.currentKey();
      if (epoch === undefined || !material || epoch !== material.epoch) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.acceptConnection(ws, request, epoch));
    });
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.https.once('error', reject);
      this.https.listen(port, host, () => {
        this.https.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.https.address() as AddressInfo).port;
  }

  /** The station a session speaks for, once the document server has authenticated it. */
  noteStation(ws: WebSocket, stationId: string): void {
    stationOfSocket.set(ws, stationId);
  }

  /** Closes every session (the key changed: they were opened with the old one). */
  closeAll(code: number, reason: string): void {
    for (const [ws] of this.sockets) ws.close(code, reason);
    this.sockets.clear();
  }

  /** Closes the sessions of these stations (removed from the venue). */
  closeStations(stationIds: ReadonlySet<string>, code: number, reason: string): void {
    for (const [ws] of this.sockets) {
      const stationId = stationOfSocket.get(ws);
      if (stationId && stationIds.has(stationId)) ws.close(code, reason);
    }
  }

  /** TCP connections open now, and how many of them are sessions: the rest are handshakes under way. */
  counts(): { connections: number; sessions: number } {
    return { connections: this.connections.size, sessions: this.sockets.size };
  }

  terminateAll(): void {
    for (const [ws] of this.sockets) ws.terminate();
  }

  async close(): Promise<void> {
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.https.close(() => resolve());
      this.https.closeAllConnections();
    });
  }

  private acceptConnection(ws: WebSocket, request: IncomingMessage, epoch: number): void {
    this.sockets.set(ws, epoch);
    const rate = new MessageRateLimit(this.options.limits, this.options.clock.now());
    // Registered before the document server's own listener, so it sees each message first.
    ws.on('message', () => {
      if (!rate.take(Date.now())) {
        this.options.emit({ kind: 'limit', remote: remoteOf(request.socket), reason: 'rate' });
        ws.terminate();
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.options.emit({ kind: 'limit', remote: remoteOf(request.socket), reason: 'size' });
    });
    let heard = Date.now();
    const hear = () => (heard = Date.now());
    ws.on('message', hear);
    ws.on('pong', hear);
    const { silenceTimeoutMs } = this.options;
    const watch = setInterval(() => {
      if (Date.now() - heard > silenceTimeoutMs) ws.terminate();
      else ws.ping();
    }, silenceTimeoutMs / 2);
    watch.unref();
    ws.on('close', () => {
      clearInterval(watch);
      this.sockets.delete(ws);
    });
    this.options.accept(ws, request);
  }
}
