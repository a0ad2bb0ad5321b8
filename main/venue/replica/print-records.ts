// Badge prints as venue entries: a badge that came out of this desk's printer becomes the venue's
// print record (one per job, whoever writes it), and the earliest first print anywhere in the
// venue is what the print pre-check asks about ("Badge printed at Desk 1 at 10:42 — reprint?").
import type { PrintRecord, VenueStore } from '../../db/venue-store.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import type { PriorPrint, VenueMapName } from '../../../shared/venue.ts';
import type { Attachment, AttachmentOf } from './attachment.ts';
import { entryStationName, printEntryOf } from './entries.ts';

export interface PrintRecordsDeps {
  venueStore: VenueStore;
  stationId: string;
  attachmentOf: AttachmentOf;
  /** Local entries into the event's document. */
  write: (a: Attachment, entries: Record<VenueMapName, [string, object][]>) => void;
}

export class PrintRecords {
  constructor(private readonly deps: PrintRecordsDeps) {}

  /** A print job changed: a badge that came out of the printer becomes the venue's print record. */
  recordPrinted(job: PrintJob): void {
    if (job.state !== 'printed' || job.attendeeId === null || job.eventId === null || job.reason === 'test')
      return;
    // A badge sent to a print station came out of the station's printer: the station records it.
    if (job.station?.direction === 'sent') return;
    this.recordPrint({
      jobId: job.id,
      eventId: job.eventId,
      attendeeId: job.attendeeId,
      reason: job.reason,
      requestedBy: job.requestedBy,
      note: job.note,
      printedAt: job.printedAt ?? job.updatedAt,
    });
  }

  /** At start-up: badges printed just before a crash that wrote the job but not its record. */
  recordUnrecordedPrints(): void {
    for (const j of this.deps.venueStore.printedJobsWithoutRecord()) this.recordPrint(j);
  }

  /** The venue's earliest first print of this attendee, for the print pre-check; null when none. */
  priorPrint(attendeeId: number): PriorPrint | null {
    const p = this.deps.venueStore.firstPrint(attendeeId);
    return p ? { at: p.at, stationName: p.stationName } : null;
  }

  private recordPrint(j: {
    jobId: number;
    eventId: number;
    attendeeId: number;
    reason: string;
    requestedBy: string;
    note: string | null;
    printedAt: string;
  }): void {
    const vs = this.deps.venueStore;
    const record: PrintRecord = {
      // One record per job, whoever writes it (the print itself or the start-up repair).
      printId: `p-${this.deps.stationId}-${j.jobId}`,
      eventId: j.eventId,
      attendeeId: j.attendeeId,
      kind: j.reason === 'reprint' ? 'reprint' : 'first',
      at: j.printedAt,
      stationId: this.deps.stationId,
      stationName: entryStationName(j.requestedBy),
      by: j.requestedBy,
      reason: j.note,
      jobId: j.jobId,
    };
    if (!vs.appendPrint(record)) return;
    const a = this.deps.attachmentOf(j.eventId);
    const pid = vs.providerAttendeeIdOf(j.attendeeId);
    if (a && pid !== undefined)
      this.deps.write(a, { checkins: [], vip: [], prints: [[record.printId, printEntryOf(record, pid)]] });
  }
}
