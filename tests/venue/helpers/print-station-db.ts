// Print stations of one venue in one process, for the data half's tests: each desk a real database
// with its printing (badges to PDF files in a temp folder, or no printer), its venue replica
// following an in-memory Y.Doc, wired as main/core wires them. The venue's presence is a stand-in
// (StandInVenue): which desks are in the venue, which offer their printers, which are heard. Documents
// are synced by hand (syncAll) in whatever order a test chooses.
import { join } from 'node:path';
import * as Y from 'yjs';
import { openDeskDb, type DeskDb } from '../../helpers/desk-db.ts';
import { PrintStore } from '../../../main/db/print-store.ts';
import { StationJobStore } from '../../../main/db/station-job-store.ts';
import { Printing, type StationPrinting } from '../../../main/printing/printing.ts';
import type { VenueStations } from '../../../main/printing/print-stations.ts';
import { VenueReplica } from '../../../main/venue/replica/replica.ts';
import { stationJobHooks, wirePrintStations } from '../../../main/core/print-station-wiring.ts';
import { HANDED_BACK, type PrintStationView } from '../../../shared/print-stations.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import type { Actor } from '../../../shared/types.ts';
import { roster, syncDocs, VENUE_KEY } from './replica-stations.ts';

export interface PrintStationDb extends DeskDb {
  name: string;
  stationId: string;
  printing: Printing;
  stationJobs: StationJobStore;
  replica: VenueReplica;
  doc: Y.Doc;
  settings: StationPrinting;
  actor: Actor;
  idOf(pid: string): number;
  jobs(): PrintJob[];
}

/** Who is in the venue, and who is heard: the presence a real network half would give. */
export class StandInVenue {
  readonly stations: PrintStationDb[] = [];
  /** Desks not heard now (killed, apart). */
  readonly silent = new Set<string>();

  isVenueDesk(stationId: string): boolean {
    return this.stations.some((s) => s.stationId === stationId);
  }

  seenFrom(self: string): PrintStationView[] {
    return this.stations.flatMap((s) => {
      const offer = s.printing.stations.offer();
      return s.stationId !== self && offer && !this.silent.has(s.stationId)
        ? [{ stationId: s.stationId, deskName: s.name, ...offer }]
        : [];
    });
  }

  syncAll(): void {
    const live = this.stations.filter((s) => !this.silent.has(s.stationId));
    // Twice round: a word written while receiving reaches the others on the second pass.
    for (let round = 0; round < 2; round++)
      for (const a of live) for (const b of live) if (a !== b) syncDocs(a.doc, b.doc);
  }
}

export function openPrintStation(
  t: { after(fn: () => void | Promise<void>): void },
  venue: StandInVenue,
  name: string,
  settings: Partial<StationPrinting> & { printer?: boolean } = {},
): PrintStationDb {
  // This desk's printing stops before its database closes: its clean-up runs first.
  const cleanups: (() => void)[] = [];
  const d = openDeskDb({ after: (fn) => void cleanups.push(fn) });
  const people = roster(10);
  const shift = name.charCodeAt(name.length - 1) % people.length;
  d.put([...people.slice(shift), ...people.slice(0, shift)]);
  const printStore = new PrintStore(d.db);
  const stationJobs = new StationJobStore(d.db);
  const printerId =
    settings.printer === false
      ? null
      : printStore.addPrinter(
          'PDF',
          { kind: 'pdf_folder', folder: join(d.dir, 'badges') },
          '2026-11-23T08:00:00Z',
        ).id;
  const current: StationPrinting = { printerId, autoPrint: false, ...settings };
  const stationId = d.deskStore.venue.stationId;
  // eslint-disable-next-line prefer-const
  let replica: VenueReplica;
  const venueStations: VenueStations = {
    seen: () => venue.seenFrom(stationId),
    publishRequest: (job) => replica.publishStationRequest(job),
    claimLost: (job) =>
      replica.stationClaimLost(job) ??
      (venue.silent.has(job.station!.stationId!) ? HANDED_BACK.senderGone : null),
    senderHeard: (id) => !venue.silent.has(id),
    stationStanding: (id) => (venue.silent.has(id) ? 'gone' : 'here'),
  };
  const printing = new Printing({
    store: d.store,
    printStore,
    stationJobStore: stationJobs,
    clock: d.clock,
    events: d.events,
    stationPrinting: () => current,
    venuePrintOf: (attendeeId) => replica.priorPrint(attendeeId),
    venueStations: () => venueStations,
  });
  replica = new VenueReplica({
    store: d.store,
    venueStore: d.deskStore.venue,
    clock: d.clock,
    events: d.events,
    stationJobs: stationJobHooks({
      printing,
      stationJobStore: stationJobs,
      network: { isVenueDesk: (id) => venue.isVenueDesk(id) },
      deskName: () => name,
    }),
  });
  d.events.on('printJobChanged', ({ job }) => replica.recordPrinted(job));
  const control = wirePrintStations({ printing, replica, network: null, events: d.events });
  t.after(async () => {
    control.close();
    await printing.close();
    for (const fn of cleanups) fn();
  });
  const doc = new Y.Doc();
  replica.attach(VENUE_KEY, doc);
  const station: PrintStationDb = {
    ...d,
    name,
    stationId,
    printing,
    stationJobs,
    replica,
    doc,
    settings: current,
    actor: { role: 'operator', name },
    idOf: (pid) => d.store.findAttendeeByProviderId(d.eventId, pid)!.id,
    jobs: () => printing.listJobs({ limit: 1000 }),
  };
  venue.stations.push(station);
  return station;
}
