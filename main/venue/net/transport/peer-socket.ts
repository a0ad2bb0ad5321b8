// The client side of a link to a peer: a ws socket opened over TLS-PSK (psk.ts), and the
// provider's socket wrapper that stays down once destroyed.
import { connect as tlsConnect } from 'node:tls';
import type { ClientRequestArgs } from 'node:http';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { HocuspocusProviderWebsocket, MessageType, WebSocketStatus } from '@hocuspocus/provider';
import {
  VENUE_TLS_CIPHERS,
  VENUE_TLS_VERSION,
  derivePsk,
  pskIdentity,
  type VenueKeyMaterial,
} from './psk.ts';

/** How long a closing socket may wait for the other side's close frame. */
const CLOSE_GRACE_MS = 500;
const HANDSHAKE_TIMEOUT_MS = 3_000;

/**
 * The provider's socket to one peer, which stays down once destroyed. HocuspocusProviderWebsocket
 * (3.4) answers a close by scheduling a reconnect (onClose: setTimeout(connect, delay)) and
 * destroy() does not cancel it: connect() then sets shouldConnect again and the destroyed socket
 * retries for ever, with the key it was made with (a desk dropped just after its peer closed the
 * connection, as a rotation does, kept a process alive with TLS attempts every few seconds).
 */
export class PeerSocket extends HocuspocusProviderWebsocket {
  private destroyed = false;
  /**
   * The last sign of life: an attempt begun, the socket opened, a message. The provider's own
   * check counts silence only from a first message, so a link that died half-way stays in one of
   * two states for ever: opened and never spoken to (its check waits for that first message), or
   * connecting for good (a TLS handshake whose peer went silent, which ws's own timeout did not
   * end). Past the message timeout plus the handshake bound and the longest retry delay without a
   * sign of life, the socket is closed through the provider's close path, which retries.
   */
  private lastSignOfLife = Date.now();

  override connect(): Promise<unknown> {
    if (this.destroyed) return Promise.resolve();
    return super.connect();
  }

  override createWebSocketConnection(): Promise<unknown> {
    this.lastSignOfLife = Date.now();
    return super.createWebSocketConnection();
  }

  override onOpen(event: Parameters<HocuspocusProviderWebsocket['onOpen']>[0]): Promise<void> {
    this.lastSignOfLife = Date.now();
    return super.onOpen(event);
  }

  override onMessage(event: Parameters<HocuspocusProviderWebsocket['onMessage']>[0]): void {
    this.lastSignOfLife = Date.now();
    super.onMessage(event);
  }

  override checkConnection(): void {
    super.checkConnection();
    // A socket that has spoken is the provider's check's to judge.
    if (this.destroyed || !this.shouldConnect) return;
    if (this.status === WebSocketStatus.Connected && this.lastMessageReceived) return;
    const { messageReconnectTimeout, maxDelay } = this.configuration;
    if (Date.now() - this.lastSignOfLife <= messageReconnectTimeout + HANDSHAKE_TIMEOUT_MS + maxDelay) return;
    this.lastSignOfLife = Date.now();
    // With a socket: its close rejects the attempt the retry waits on, so the retry goes on.
    // Without one for this long: the retry itself stopped; start another.
    if (this.webSocket) this.onClose({ event: { code: 4408, reason: 'no answer from the peer' } });
    else void this.connect();
  }

  /**
   * A document's changes are not queued while the link is down. The provider keeps every message
   * sent while its socket is not open and sends them all as soon as the next connection answers,
   * ahead of that connection's own sync, which carries the same changes. A backlog made apart
   * (50,000 check-ins) then reached the peer as 50,000 updates with a gap before them, and Yjs
   * merged each into its pending set (each merge as long as the set): minutes of a held desk.
   * Presence and stateless messages still wait for the link, as the provider meant.
   */
  override send(message: Parameters<HocuspocusProviderWebsocket['send']>[0]): void {
    if (this.webSocket?.readyState !== WebSocket.OPEN && isDocumentSync(message)) return;
    super.send(message);
  }

  override destroy(): void {
    this.destroyed = true;
    super.destroy();
  }
}

/** Whether a provider message is a document's sync (its state vector, or changes): names the document, then its type. */
export function isDocumentSync(message: unknown): boolean {
  if (!(message instanceof Uint8Array)) return false;
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    return decoding.readVarUint(decoder) === MessageType.Sync;
  } catch {
    return false;
  }
}

/** A ws client class that opens its socket with TLS-PSK (the provider constructs it with a URL only). */
export function venueSocketClass(
  material: VenueKeyMaterial,
  maxPayload: number,
): new (url: string) => WebSocket {
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
