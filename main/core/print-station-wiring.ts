// Print stations, wired: printing's two ends of a badge that travels (main/printing/print-stations.ts),
// the venue's documents (main/venue/replica/station-jobs.ts) and presence
// (main/venue/net/directory/print-stations.ts). This desk's offer goes into its presence as it
// changes (at most four times a second); every heartbeat, waiting badges whose other end went
// away are handed back (shared/print-stations.ts says the rules).
import type { CoreEvents } from '../ground/events.ts';
import type { StationJobStore } from '../db/station-job-store.ts';
import type { Printing } from '../printing/printing.ts';
import type { VenueStations } from '../printing/print-stations.ts';
import type { VenueNetwork } from '../venue/net/venue-network.ts';
import type { VenueReplica } from '../venue/replica/replica.ts';
import type { StationJobHooks } from '../venue/replica/station-jobs.ts';
import { AppError } from '../../shared/errors.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { HANDED_BACK, stationWordOf, type PrintStationsView } from '../../shared/print-stations.ts';

const OFFER_THROTTLE_MS = 250;

/** What the venue replica needs to follow badges sent to print stations. */
export function stationJobHooks(deps: {
  printing: Printing;
  stationJobStore: StationJobStore;
  network: Pick<VenueNetwork, 'isVenueDesk'> | null;
  deskName(): string;
}): StationJobHooks {
  const stations = deps.printing.stations;
  return {
    offering: () => stations.offeredName(),
    deskName: deps.deskName,
    isVenueDesk: (stationId) => deps.network?.isVenueDesk(stationId) ?? false,
    received: (r) => stations.receive(r),
    moved: (job, current) => stations.moved(job, current),
    answered: (report) => stations.answered(report),
    jobsOfEvent: (eventId, route) => deps.stationJobStore.ofEvent(eventId, route),
    wordOf: (job) =>
      stationWordOf(job, job.state === 'queued' && job.error ? stations.stoppedCondition() : null),
  };
}

/** What printing needs of the venue (null: this desk has no venue network). */
export function venueStationsOf(replica: VenueReplica, network: VenueNetwork | null): VenueStations | null {
  if (!network) return null;
  const presence = network.printStations;
  return {
    seen: () => presence.seen(),
    publishRequest: (job) => replica.publishStationRequest(job),
    claimLost: (job: PrintJob) => {
      const moved = replica.stationClaimLost(job);
      if (moved) return moved;
      return job.station?.stationId && presence.heard(job.station.stationId) ? null : HANDED_BACK.senderGone;
    },
    senderHeard: (stationId) => presence.heard(stationId),
    stationStanding: (stationId) => presence.standing(stationId),
  };
}

export interface PrintStationControl {
  /** What this desk offers, and the stations it sees now. */
  view(): PrintStationsView;
  /** The station's settings changed: its offer (and, when it stops offering, its waiting badges go back). */
  settingsChanged(): void;
  /** A badge that came back, sent to another station (or the nearest free one). */
  sendElsewhere(jobId: number, to: { kind: 'station'; stationId: string } | { kind: 'nearest' }): PrintJob;
  /** Closing: badges sent here and still waiting go back, and the heartbeat's look stops. */
  close(): void;
}

export function wirePrintStations(deps: {
  printing: Printing;
  replica: VenueReplica;
  network: VenueNetwork | null;
  events: CoreEvents;
}): PrintStationControl {
  const { printing, replica, network, events } = deps;
  const stations = printing.stations;
  let offerTimer: ReturnType<typeof setTimeout> | null = null;
  const offerNow = () => {
    offerTimer = null;
    network?.printStations.offer(stations.offer());
  };
  const offerSoon = () => {
    if (!network || offerTimer) return;
    offerTimer = setTimeout(offerNow, OFFER_THROTTLE_MS);
    offerTimer.unref?.();
  };
  events.on('printJobChanged', ({ job }) => {
    if (job.station?.direction === 'received') replica.publishStationWord(job);
    offerSoon();
  });
  // A printer stopping or starting changes the word on every held badge, and the offer's "ready".
  events.on('printerStatusChanged', () => {
    for (const job of stations.queuedReceived()) replica.publishStationWord(job);
    offerSoon();
  });
  offerNow();
  // Every heartbeat (a real, unref'd timer: the injected clock says only what time it is).
  const sweep = setInterval(
    () => {
      try {
        stations.sweep();
      } catch {
        // The queue's write failed (the disk full): the next heartbeat looks again.
      }
    },
    network ? network.node.heartbeatIntervalMs : 10_000,
  );
  sweep.unref();

  return {
    view: () => ({ offering: stations.offer(), stations: network?.printStations.seen() ?? [] }),
    settingsChanged() {
      if (stations.offeredName() === null) stations.handBackAll(HANDED_BACK.stoppedOffering);
      offerNow();
    },
    sendElsewhere(jobId, to) {
      const job = printing.listJob(jobId);
      if (!job) throw new AppError('NOT_FOUND', `print job ${jobId} does not exist`);
      return stations.sendElsewhere(job, to);
    },
    close() {
      clearInterval(sweep);
      if (offerTimer) clearTimeout(offerTimer);
      network?.printStations.offer(null);
      try {
        stations.handBackAll(HANDED_BACK.closed);
      } catch {
        // The database is closed or cannot be written: the badges stay as they were, their senders
        // take them back when this station goes silent, and it hands them back when it starts.
      }
    },
  };
}
