// Who is here: every desk renews its presence (Yjs awareness on the venue's directory document)
// every heartbeat, and each desk keeps what it last heard of every other: online, last seen, how
// far its clock is from ours, the events it could poll, and how long it has been silent.
import type { Awareness } from 'y-protocols/awareness';
import type { Clock } from '../../../ground/clock.ts';
import { isPollKeyList } from '../../../../shared/venue-poller.ts';
import { MAX_STATION_NAME_CHARS, type PrintStationOffer } from '../../../../shared/print-stations.ts';

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
  /** The desk offers its printers to the venue as a print station (shared/print-stations.ts); absent from older desks. */
  printStation?: PrintStationOffer;
}

export interface PeerPresence extends PresenceState {
  online: boolean;
  /** Our clock when we last heard from it. */
  lastSeenAt: number;
  /** Their clock minus ours, at the time we heard from them (ms). */
  clockOffsetMs: number;
}

function isPresenceState(s: unknown): s is PresenceState {
  if (typeof s !== 'object' || s === null) return false;
  const p = s as Record<string, unknown>;
  return (
    typeof p.stationId === 'string' &&
    p.stationId.length <= 64 &&
    typeof p.deskName === 'string' &&
    p.deskName.length <= 60 &&
    typeof p.appVersion === 'string' &&
    p.appVersion.length <= 40 &&
    typeof p.clock === 'number' &&
    Number.isFinite(p.clock) &&
    (p.polls === undefined || isPollKeyList(p.polls)) &&
    (p.relay === undefined || p.relay === true) &&
    (p.printStation === undefined || isPrintStationOffer(p.printStation))
  );
}

function isPrintStationOffer(o: unknown): o is PrintStationOffer {
  if (typeof o !== 'object' || o === null) return false;
  const s = o as Record<string, unknown>;
  return (
    Object.keys(s).length === 3 &&
    typeof s.name === 'string' &&
    s.name.length > 0 &&
    s.name.length <= MAX_STATION_NAME_CHARS &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f-\u009f]/.test(s.name) &&
    Number.isInteger(s.waiting) &&
    (s.waiting as number) >= 0 &&
    (s.waiting as number) <= 1_000_000 &&
    typeof s.ready === 'boolean'
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

/** What this desk has heard of the others' presence. */
export class PresenceBook {
  private readonly presence = new Map<string, PeerPresence>();
  /** When (Date.now()) each desk's presence was last renewed: every heartbeat while it runs. */
  private readonly heardAt = new Map<string, number>();

  constructor(
    private readonly ownStationId: string,
    private readonly clock: Clock,
  ) {}

  /** The valid states a peer's server relays (null: its link is down), one per station, this desk's own left out. */
  statesIn(awareness: Awareness | null): PresenceState[] {
    if (!awareness) return [];
    return latestPerStation(
      [...awareness.getStates().values()]
        .filter(isPresenceState)
        .filter((s) => s.stationId !== this.ownStationId),
    );
  }

  /** A peer's server relayed presence: every desk in it was seen now. */
  note(awareness: Awareness | null): void {
    const now = this.clock.now();
    for (const state of this.statesIn(awareness)) {
      const previous = this.presence.get(state.stationId);
      // A renewal that carries the same clock reading says nothing new about the offset.
      const clockOffsetMs =
        previous && previous.clock === state.clock ? previous.clockOffsetMs : state.clock - now;
      this.presence.set(state.stationId, { ...state, online: true, lastSeenAt: now, clockOffsetMs });
    }
    this.noteHeard(awareness);
  }

  /** Every desk heard of, online when one of the live links carries its presence now. */
  peerPresence(liveAwarenesses: readonly Awareness[]): PeerPresence[] {
    const online = new Set<string>();
    for (const awareness of liveAwarenesses) {
      for (const state of this.statesIn(awareness)) online.add(state.stationId);
    }
    return [...this.presence.values()].map((p) => ({ ...p, online: online.has(p.stationId) }));
  }

  /** How long since the station's presence was last renewed (real time, whatever the clock). */
  silentForMs(stationId: string): number {
    const at = this.heardAt.get(stationId);
    // Awareness stamps its states with Date.now() (y-protocols' getUnixTime).
    return at === undefined ? Infinity : Date.now() - at;
  }

  /** Another venue: its desks are not ours to list. */
  forgetDesks(): void {
    this.presence.clear();
  }

  /**
   * When each desk's presence was last renewed, by the awareness's own record of each state's
   * last update: a state a peer relays for a desk that froze stays in its awareness (until that
   * desk's socket to it times out), but is not renewed, whatever else the peer sends.
   */
  private noteHeard(awareness: Awareness | null): void {
    if (!awareness || this.statesIn(awareness).length === 0) return;
    for (const [clientId, state] of awareness.getStates()) {
      if (!isPresenceState(state) || state.stationId === this.ownStationId) continue;
      const updated = awareness.meta.get(clientId)?.lastUpdated;
      if (updated !== undefined)
        this.heardAt.set(state.stationId, Math.max(this.heardAt.get(state.stationId) ?? 0, updated));
    }
  }
}
