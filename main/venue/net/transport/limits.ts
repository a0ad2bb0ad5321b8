// What one peer connection may send: a size cap per message (ws maxPayload, both directions)
// and a message rate (a token bucket per connection). A peer over either is disconnected and
// counted; it reconnects later like any peer, so a burst from a healthy desk costs a retry,
// not data: Yjs resends whatever the other side lacks on the next sync.

export interface VenueLimits {
  /** Largest single message, in bytes. A full first sync of a 100,000-check-in event is ~20 MB. */
  maxMessageBytes: number;
  /** Sustained messages per second per connection. */
  messagesPerSecond: number;
  /** Burst allowance on top of the sustained rate. */
  messageBurst: number;
  /**
   * How long a connection may take from its first byte to an open session (TLS handshake, then
   * the websocket upgrade's headers). A link that dies half-way through is closed after this long,
   * not after Node's defaults (2 minutes for TLS, 1 for headers): half-open sockets do not pile up.
   */
  handshakeTimeoutMs: number;
}

export const DEFAULT_VENUE_LIMITS: VenueLimits = {
  maxMessageBytes: 64 * 1024 * 1024,
  messagesPerSecond: 500,
  messageBurst: 5_000,
  handshakeTimeoutMs: 10_000,
};

/** A token bucket on a caller-given clock (milliseconds). */
export class MessageRateLimit {
  private tokens: number;
  private last: number;
  constructor(
    private readonly limits: Pick<VenueLimits, 'messagesPerSecond' | 'messageBurst'>,
    now: number,
  ) {
    this.tokens = limits.messageBurst;
    this.last = now;
  }

  /** Takes one message's token; false when the peer is over its rate. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(
      this.limits.messageBurst,
      this.tokens + (elapsed * this.limits.messagesPerSecond) / 1000,
    );
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
