// What a venue's network does to a TCP stream, as the tests' own proxy (lossy-proxy.ts) applies it:
// the named profiles, and the pure model of one direction of one connection (LinkShaper).
// This machine's kernel has no netem, so delay, loss and outages are the proxy's, per chunk of a
// stream rather than per packet:
// - delay: every piece waits `delayMs ± jitterMs` (uniform), one way;
// - loss: a piece is lost with probability `loss`, and its retransmission holds the stream for
//   `stallMs` (about a minimum retransmission timeout), everything behind it included: TCP
//   delivers in order, so a loss is head-of-line blocking, never a missing byte;
// - order: never changed within a stream; across connections it is, by the independent jitter
//   (a chunk of one link can overtake an earlier chunk of another);
// - an outage: the link holds everything (a blackhole: packets vanish, TCP retransmits them once
//   the link is back) or cuts every connection and refuses new ones.
// A piece is at most `pieceBytes` of a chunk: a burst a sender's window puts on the air at once, so a
// bulk transfer meets a loss now and then, not on every socket read.

export interface NetworkProfile {
  name: string;
  /** One-way delay of each piece (mean), ms. */
  delayMs: number;
  /** Uniform spread around the mean, ± ms. */
  jitterMs: number;
  /** Probability that a piece is lost and retransmitted. */
  loss: number;
  /** How long a loss holds the stream (the retransmission), ms. */
  stallMs: number;
  /** The largest piece a loss is drawn for, bytes. */
  pieceBytes: number;
  /** The profile's outage: how long the link drops when a test drops it (null: it never does). */
  outage: { durationMs: number; mode: OutageMode } | null;
}

/** blackhole: nothing crosses and nothing is refused (held, then delivered); cut: connections reset, new ones refused. */
export type OutageMode = 'blackhole' | 'cut';

const RETRANSMISSION_MS = 200;
const PIECE_BYTES = 16 * 1024;

/** A venue's shared Wi-Fi on a normal day. */
export const VENUE_WIFI: NetworkProfile = {
  name: 'venue Wi-Fi',
  delayMs: 20,
  jitterMs: 10,
  loss: 0.02,
  stallMs: RETRANSMISSION_MS,
  pieceBytes: PIECE_BYTES,
  outage: null,
};

/** A crowded hall at the morning peak. */
export const BAD_WIFI: NetworkProfile = {
  name: 'bad Wi-Fi',
  delayMs: 80,
  jitterMs: 40,
  loss: 0.1,
  stallMs: RETRANSMISSION_MS,
  pieceBytes: PIECE_BYTES,
  outage: null,
};

/** Venue Wi-Fi that drops for 30 s and comes back (the access point restarts). */
export const DROP_30S: NetworkProfile = {
  ...VENUE_WIFI,
  name: 'drop 30 s',
  outage: { durationMs: 30_000, mode: 'blackhole' },
};

/** No delay, no loss: the proxy as a plain relay of bytes. */
export const CLEAN: NetworkProfile = {
  name: 'clean',
  delayMs: 0,
  jitterMs: 0,
  loss: 0,
  stallMs: 0,
  pieceBytes: PIECE_BYTES,
  outage: null,
};

export const PROFILES: Record<string, NetworkProfile> = {
  'venue-wifi': VENUE_WIFI,
  'bad-wifi': BAD_WIFI,
  'drop-30s': DROP_30S,
  clean: CLEAN,
};

/** The profile by its key (venue-wifi, bad-wifi, drop-30s, clean); throws on another. */
export function profileNamed(key: string): NetworkProfile {
  const profile = PROFILES[key];
  if (!profile) throw new Error(`no network profile "${key}" (${Object.keys(PROFILES).join(', ')})`);
  return profile;
}

/** The same profile with a shorter (or longer) outage: CI drops the link for seconds, the bench for 30. */
export function withOutage(profile: NetworkProfile, durationMs: number, mode?: OutageMode): NetworkProfile {
  return {
    ...profile,
    outage: { durationMs, mode: mode ?? profile.outage?.mode ?? 'blackhole' },
  };
}

/** A seeded source of fractions in [0, 1) (mulberry32): the same draws for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A seed for one direction of one connection, mixed from the proxy's seed: draws per stream, whatever the interleaving. */
export function streamSeed(seed: number, connection: number, direction: 0 | 1): number {
  return (Math.imul(seed ^ 0x9e3779b9, 2_654_435_761) + connection * 2 + direction) >>> 0;
}

export interface Delivery {
  /** When the piece reaches the other side (ms, on the caller's clock). */
  at: number;
  /** Whether it was lost once and retransmitted. */
  lost: boolean;
}

/** One direction of one connection: when each piece arrives, in order. */
export class LinkShaper {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private profile: NetworkProfile,
    private readonly random: () => number,
  ) {}

  setProfile(profile: NetworkProfile): void {
    this.profile = profile;
  }

  get pieceBytes(): number {
    return this.profile.pieceBytes;
  }

  /** A piece that reached the link at `now`: when it is delivered (never before the one before it). */
  deliver(now: number): Delivery {
    const { delayMs, jitterMs, loss, stallMs } = this.profile;
    const delay = Math.max(0, delayMs + (this.random() * 2 - 1) * jitterMs);
    const lost = loss > 0 && this.random() < loss;
    const at = Math.max(this.last, now + delay + (lost ? stallMs : 0));
    this.last = at;
    return { at, lost };
  }
}
