// The venue panel's view: this desk, the venue's desks (the directory's members with what
// presence says of each: online, last seen, a clock off), its relays listed apart, the desks
// discovered on the network, and the connections refused.
import {
  isClockOff,
  type DiscoveredDesk,
  type VenueDeskView,
  type VenueRefusal,
  type VenueRelayView,
  type VenueStatus,
} from '../../../../shared/venue-desks.ts';
import { isoTime } from '../../../ground/clock.ts';
import type { PeerPresence } from '../membership/presence.ts';
import type { VenueConfig } from '../membership/venue-settings.ts';
import type { VenueDirectory } from './directory.ts';
import type { FoundDesk } from './discovery.ts';

export interface VenueStatusSources {
  thisDesk: { stationId: string; name: string; port: number; appVersion: string };
  /** This desk's clock now (ms). */
  now: number;
  venue: VenueConfig['venue'];
  directory: VenueDirectory;
  presence: readonly PeerPresence[];
  found: readonly FoundDesk[];
  refusals: readonly VenueRefusal[];
  refusalCount: number;
}

export function venueStatusOf(s: VenueStatusSources): VenueStatus {
  const self = s.thisDesk;
  const presence = new Map(s.presence.map((p) => [p.stationId, p]));
  const relays = new Map<string, VenueRelayView>();
  for (const [stationId, entry] of s.directory.relays()) {
    relays.set(stationId, {
      stationId,
      address: entry.addresses[0] ?? null,
      online: false,
      lastSeenAt: null,
      appVersion: null,
    });
  }
  for (const p of presence.values()) {
    if (!p.relay) continue;
    relays.set(p.stationId, {
      stationId: p.stationId,
      address: relays.get(p.stationId)?.address ?? null,
      online: p.online,
      lastSeenAt: isoTime(p.lastSeenAt),
      appVersion: p.appVersion,
    });
  }
  const desks: VenueDeskView[] = [];
  for (const [stationId, entry] of s.directory.members()) {
    if (relays.has(stationId)) continue;
    const thisDesk = stationId === self.stationId;
    const p = presence.get(stationId);
    desks.push({
      stationId,
      name: thisDesk ? self.name : (p?.deskName ?? entry.name),
      thisDesk,
      online: thisDesk || (p?.online ?? false),
      lastSeenAt: thisDesk ? isoTime(s.now) : p ? isoTime(p.lastSeenAt) : null,
      clockOffsetMs: thisDesk ? 0 : (p?.clockOffsetMs ?? null),
      clockOff: p ? isClockOff(p.clockOffsetMs) : false,
      appVersion: thisDesk ? self.appVersion : (p?.appVersion ?? null),
    });
  }
  desks.sort((a, b) => Number(b.thisDesk) - Number(a.thisDesk) || a.name.localeCompare(b.name));
  const discovered: DiscoveredDesk[] = s.found
    .filter((d) => d.stationId !== self.stationId)
    .map((d) => ({
      host: d.host,
      port: d.port,
      deskName: d.deskName,
      venueName: d.venueName,
      sameVenue: d.venueId !== null && d.venueId === s.venue?.id,
    }));
  return {
    venue: s.venue ? { ...s.venue } : null,
    thisDesk: { stationId: self.stationId, name: self.name, port: self.port },
    desks,
    relays: [...relays.values()].sort((a, b) => (a.address ?? '').localeCompare(b.address ?? '')),
    discovered,
    refusals: [...s.refusals],
    refusalCount: s.refusalCount,
  };
}
