// The venue panel's rules, shared by main (which computes them) and the renderer (which shows
// them): what a desk row says, when a clock is "off", and the name a joining desk is offered.
import { isClockSkewed } from './station-clock.ts';

/** A desk's clock is shown as off beyond the one clock tolerance (the providers' clocks use it too). */
export function isClockOff(offsetMs: number): boolean {
  return isClockSkewed({ offsetMs });
}

/** New stations are all "Desk 1": a joining desk is offered the first "Desk N" nobody uses. */
export function nextFreeDeskName(taken: Iterable<string>): string {
  const names = new Set([...taken].map((n) => n.trim().toLowerCase()));
  for (let n = 1; ; n++) {
    if (!names.has(`desk ${n}`)) return `Desk ${n}`;
  }
}

/**
 * Two desks that joined at the same moment may both have taken the same free name. Once the
 * directory shows it, the one whose station id sorts later takes the next free name; the other
 * keeps it. Every desk decides from the same directory, so exactly one of each clashing pair moves
 * (three at once settle in two steps). Returns the new name, or null when this desk keeps its own.
 */
export function renameOnNameClash(
  ownStationId: string,
  ownName: string,
  members: Iterable<readonly [stationId: string, name: string]>,
): string | null {
  const mine = ownName.trim().toLowerCase();
  const others = [...members].filter(([id]) => id !== ownStationId);
  if (!others.some(([id, name]) => name.trim().toLowerCase() === mine && id < ownStationId)) return null;
  return nextFreeDeskName([ownName, ...others.map(([, name]) => name)]);
}

export interface VenueDeskView {
  stationId: string;
  name: string;
  thisDesk: boolean;
  online: boolean;
  /** ISO time we last heard from it (null: never since this desk started). */
  lastSeenAt: string | null;
  /** Its clock minus ours (ms), when known. */
  clockOffsetMs: number | null;
  clockOff: boolean;
  appVersion: string | null;
}

/** A venue relay (main/venue/relay) this desk knows of: listed as "Relay", never a desk of the venue. */
export interface VenueRelayView {
  stationId: string;
  /** The address desks connect to it at (as it was typed or came in a pairing code), when known. */
  address: string | null;
  online: boolean;
  lastSeenAt: string | null;
  appVersion: string | null;
}

export interface DiscoveredDesk {
  host: string;
  port: number;
  deskName: string;
  venueName: string | null;
  /** Whether it belongs to this desk's venue (then it is connected to automatically). */
  sameVenue: boolean;
}

export interface VenueRefusal {
  at: string;
  /** Who: an address, or a desk's name when known. */
  from: string;
  reason: string;
}

export interface VenueStatus {
  /** Null while this desk is in no venue. */
  venue: { id: string; name: string; epoch: number } | null;
  thisDesk: { stationId: string; name: string; port: number };
  desks: VenueDeskView[];
  /** The venue's relays (none for most venues). */
  relays: VenueRelayView[];
  discovered: DiscoveredDesk[];
  /** Handshakes and connections refused, and peers over their limits (latest first, bounded). */
  refusals: VenueRefusal[];
  refusalCount: number;
}
