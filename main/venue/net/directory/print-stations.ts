// The venue's print stations as this desk hears them: each desk that offers its printers says so
// in its presence (its name, badges waiting, whether a printer can print now), renewed every
// heartbeat. The timings are shared/print-stations.ts's: a station (or a desk that sent a badge)
// heard within stationSeenMs is here; one silent for stationGoneMs, or heard without its offer,
// is gone. Right after this desk starts, nothing has been heard yet: it cannot tell.
import {
  stationGoneMs,
  stationSeenMs,
  type PrintStationOffer,
  type PrintStationView,
} from '../../../../shared/print-stations.ts';
import type { VenueNode } from '../node.ts';

export class PrintStationPresence {
  /** Real time (Date.now, as presence's own stamps) when this desk started listening. */
  private readonly startedAt = Date.now();

  constructor(
    private readonly node: VenueNode,
    private readonly inVenue: () => boolean,
  ) {}

  /** What this desk offers (null: nothing), told to every desk in its presence. */
  offer(offer: PrintStationOffer | null): void {
    this.node.setPrintStation(offer);
  }

  /** The other desks' print stations heard lately. */
  seen(): PrintStationView[] {
    if (!this.inVenue()) return [];
    const seenMs = stationSeenMs(this.node.heartbeatIntervalMs);
    return this.node
      .peerPresence()
      .filter((p) => p.online && p.printStation && this.node.silentForMs(p.stationId) <= seenMs)
      .map((p) => ({ stationId: p.stationId, deskName: p.deskName, ...p.printStation! }));
  }

  /** Whether a desk was heard within stationSeenMs, by any way (a station's claim on the badges that desk sent it). */
  heard(stationId: string): boolean {
    return this.inVenue() && this.node.heardAgoMs(stationId) <= stationSeenMs(this.node.heartbeatIntervalMs);
  }

  /** Where the station a badge went to stands, as the sending desk decides to take the badge back. */
  standing(stationId: string): 'here' | 'gone' | 'unsure' {
    const goneMs = stationGoneMs(this.node.heartbeatIntervalMs);
    const silent = this.node.heardAgoMs(stationId);
    if (silent > goneMs) return Date.now() - this.startedAt > goneMs ? 'gone' : 'unsure';
    // Heard lately: gone when its presence no longer offers (it stopped offering; it hands back too).
    const p = this.node.peerPresence().find((x) => x.stationId === stationId);
    return p && !p.printStation ? 'gone' : 'here';
  }
}
