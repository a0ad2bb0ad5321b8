// Print stations, the printing side (the rules: shared/print-stations.ts). Both ends of a badge
// that travels between desks of a venue:
// - the sending desk keeps the badge in its print queue as a sent row (no printer here): it picks
//   the station (the one chosen in Settings, or the nearest free one), and follows the station's
//   word on it; a badge that comes back (handed back, or its station went away) waits for a person
//   to send it elsewhere, as the next sending (epoch) of the same job;
// - the station takes a badge sent to it into its own queue through the same first-badge rule as
//   its own badges (Printing.firstPrintRefusal, and the queue's index), prints it on its pool, and
//   prints it only while it still holds the claim (mayPrint); it hands waiting badges back when it
//   stops offering, closes, restarts, or stops hearing the desk that sent them.
// The venue's documents and presence are reached through VenueStations (main/core wires them).
import { randomUUID } from 'node:crypto';
import { isoTime, type Clock } from '../ground/clock.ts';
import type { PrintStore } from '../db/print-store.ts';
import type { StationJobStore } from '../db/station-job-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Attendee } from '../../shared/types.ts';
import type { PrintJob, PrintJobReason, PrintJobState } from '../../shared/printing.ts';
import type { PrinterCondition } from '../../shared/printer-status.ts';
import {
  HANDED_BACK,
  NO_STATION_SEEN_TEXT,
  PRINT_HERE,
  canSendElsewhere,
  nearestFreeStation,
  sentJobUpdate,
  stationGoneText,
  type PrintAt,
  type ReceivedRequest,
  type PrintStationOffer,
  type PrintStationView,
  type StationWord,
} from '../../shared/print-stations.ts';

/** What printing needs of the venue: its print stations, presence and documents. */
export interface VenueStations {
  /** The other desks' print stations seen now. */
  seen(): PrintStationView[];
  /** A sent badge (new, or sent elsewhere): its request into its event's document. */
  publishRequest(job: PrintJob): void;
  /** Why this station no longer holds its claim on a badge sent to it (sent elsewhere, its sender not heard lately), or null. */
  claimLost(job: PrintJob): string | null;
  /** Whether the desk that sent a badge to this station was heard lately. */
  senderHeard(stationId: string): boolean;
  /** Whether the station a badge went to is still here, is gone (silent too long, or stopped offering), or this desk cannot tell yet. */
  stationStanding(stationId: string): 'here' | 'gone' | 'unsure';
}

export interface PrintStationsDeps {
  printStore: PrintStore;
  stationJobs: StationJobStore;
  clock: Clock;
  /** Where this desk's badges print, and the name it offers its printers under (null: it does not). */
  settings(): { printAt: PrintAt; offerAs: string | null };
  venue(): VenueStations | null;
  /** The station's first printer (a badge sent here waits on the pool as the station's own do), or null. */
  stationPrinter(): number | null;
  /** The first-badge rule (Printing): why this person's first badge may not be queued here, or null. */
  firstPrintRefusal(attendee: Attendee): AppError | null;
  attendee(attendeeId: number): Attendee | undefined;
  /** Whether a printer of the station's pool may print now, and when none may, the first one's condition. */
  poolState(): { ready: boolean; stopped: { condition: PrinterCondition; detail: string | null } | null };
  announce(jobId: number): void;
  kickPool(): void;
}

const FIRST_PRINT_REASONS: readonly PrintJobReason[] = ['check_in', 'manual', 'batch'];
/** A sent badge a person may send elsewhere, or cancel. */
const BACK_STATES: readonly PrintJobState[] = ['returned', 'failed', 'may_have_printed'];

export class PrintStations {
  constructor(private readonly deps: PrintStationsDeps) {}

  /** Where this desk's badges print now. */
  destination(): PrintAt {
    return this.deps.settings().printAt ?? PRINT_HERE;
  }

  /** Whether this desk sends its badges to a print station. */
  sendsElsewhere(): boolean {
    return this.destination().kind !== 'here';
  }

  // ---- the sending desk ----

  /** Sends a badge to this desk's print station: a sent row here, and its request in the venue. */
  send(j: {
    eventId: number;
    attendeeId: number;
    reason: Exclude<PrintJobReason, 'test'>;
    requestedBy: string;
    note: string | null;
  }): PrintJob {
    const { station, away } = this.choose(this.destination());
    let job: PrintJob;
    try {
      job = this.deps.stationJobs.insertSent({
        ...j,
        venueJob: randomUUID(),
        station,
        state: station && !away ? 'queued' : 'returned',
        error: !station ? NO_STATION_SEEN_TEXT : away ? stationGoneText(station.name, false) : null,
        now: this.now(),
      });
    } catch (err) {
      if (FIRST_PRINT_REASONS.includes(j.reason) && /UNIQUE/.test(String(err)))
        throw new AppError('CONFLICT', 'this badge was already printed; a second copy is a reprint');
      throw err;
    }
    this.deps.announce(job.id);
    if (station && !away) this.deps.venue()?.publishRequest(job);
    return job;
  }

  /** A badge that came back (or failed, or may have printed there): sent to another station, a person's call. */
  sendElsewhere(job: PrintJob, to: { kind: 'station'; stationId: string } | { kind: 'nearest' }): PrintJob {
    if (!canSendElsewhere(job))
      throw new AppError(
        'INVALID_STATE',
        job.station?.direction === 'sent'
          ? `this badge is ${job.state === 'printed' ? 'printed' : 'still at its station'}; it cannot be sent elsewhere`
          : 'only a badge sent to a print station can be sent elsewhere',
      );
    const seen = this.deps.venue()?.seen() ?? [];
    const target =
      to.kind === 'nearest' ? nearestFreeStation(seen) : seen.find((s) => s.stationId === to.stationId);
    if (!target)
      throw new AppError(
        'INVALID_STATE',
        to.kind === 'nearest' ? 'no print station is seen now' : 'that print station is not seen now',
      );
    const station = { id: target.stationId, name: target.name };
    if (!this.deps.stationJobs.resend(job.id, BACK_STATES, station, this.now()))
      throw new AppError('INVALID_STATE', 'this badge changed meanwhile; look again');
    this.deps.announce(job.id);
    const sent = this.deps.printStore.getJob(job.id)!;
    this.deps.venue()?.publishRequest(sent);
    return sent;
  }

  /**
   * A station's word on a badge this desk sent. `stale`: about an earlier sending (or not a badge
   * of this desk); `refused`: from a desk the badge was not sent to.
   */
  answered(report: {
    job: string;
    epoch: number;
    station: string;
    word: StationWord;
    at: string;
  }): 'applied' | 'stale' | 'refused' {
    const job = this.deps.stationJobs.sent(report.job);
    if (!job?.station || report.epoch !== job.station.epoch) return 'stale';
    if (report.station !== job.station.stationId) return 'refused';
    if (job.state === 'cancelled') return 'stale';
    const next = sentJobUpdate(report.word, job.station.stationName);
    if (next.state === job.state && next.error === job.error && job.station.answered) return 'applied';
    const moved = this.deps.stationJobs.applyWord(
      job.id,
      ['queued', 'printing', 'printed', 'failed', 'may_have_printed', 'returned'],
      { ...next, printedAt: next.state === 'printed' ? report.at : null },
      this.now(),
    );
    if (moved) this.deps.announce(job.id);
    return 'applied';
  }

  // ---- the station ----

  /** The name this desk offers its printers under, or null (it offers none, or has no printer to offer). */
  offeredName(): string | null {
    const name = this.deps.settings().offerAs;
    return name && this.deps.stationPrinter() !== null ? name : null;
  }

  /** Badges desks sent to this station that wait for its printers. */
  queuedReceived(): PrintJob[] {
    return this.deps.stationJobs.queuedReceived();
  }

  /** What this desk's presence tells while it offers its printers (null: it does not). */
  offer(): PrintStationOffer | null {
    const name = this.offeredName();
    if (!name) return null;
    return { name, waiting: this.deps.stationJobs.waitingCount(), ready: this.deps.poolState().ready };
  }

  /** The station's printers' condition when none of them can print (its held badges say it at the sender). */
  stoppedCondition(): { condition: PrinterCondition; detail: string | null } | null {
    return this.deps.poolState().stopped;
  }

  /**
   * A badge a desk sent to this station: into its queue through the first-badge rule, once per
   * sending. Answers the new (or known) job, or the word to say when it is not taken.
   */
  receive(r: ReceivedRequest): { job: PrintJob } | { word: StationWord } {
    const known = this.deps.stationJobs.received(r.job, r.epoch);
    if (known) return { job: known };
    if (!this.deps.settings().offerAs)
      return { word: { state: 'returned', detail: HANDED_BACK.stoppedOffering } };
    const attendee = r.attendeeId === undefined ? undefined : this.deps.attendee(r.attendeeId);
    if (!attendee || attendee.eventId !== r.eventId)
      return { word: { state: 'returned', detail: HANDED_BACK.notKnown } };
    if (FIRST_PRINT_REASONS.includes(r.reason)) {
      const refusal = this.deps.firstPrintRefusal(attendee);
      if (refusal) return { word: { state: 'refused', detail: refusal.message.slice(0, 300) } };
    }
    const printerId = this.deps.stationPrinter();
    if (printerId === null)
      return { word: { state: 'returned', detail: 'the station has no printer set now' } };
    let job: PrintJob;
    try {
      job = this.deps.stationJobs.insertReceived({
        eventId: r.eventId,
        attendeeId: attendee.id,
        printerId,
        reason: r.reason,
        requestedBy: r.by ?? r.fromName,
        note: r.note ?? null,
        venueJob: r.job,
        epoch: r.epoch,
        from: { id: r.from, name: r.fromName },
        now: this.now(),
      });
    } catch (err) {
      // Two desks' first badges of one person, met in the queue's own index: the second is refused.
      if (/UNIQUE/.test(String(err)))
        return {
          word: {
            state: 'refused',
            detail: `${attendee.fullName}'s badge was already sent to the printer; a second copy is a reprint`,
          },
        };
      throw err;
    }
    this.deps.announce(job.id);
    this.deps.kickPool();
    return { job };
  }

  /** The request of a badge this station holds now sends it elsewhere (or a later sending): its copies hand back. */
  moved(venueJob: string, current: { epoch: number; toHere: boolean }): void {
    for (const job of this.deps.stationJobs.receivedOf(venueJob)) {
      if (job.station!.epoch === current.epoch && current.toHere) continue;
      this.handBack(job, HANDED_BACK.moved);
    }
  }

  /** The worker's last look before a badge sent here prints: the station still holds its claim. */
  mayPrint(job: PrintJob): boolean {
    if (job.station?.direction !== 'received') return true;
    const venue = this.deps.venue();
    const lost = !this.offeredName()
      ? HANDED_BACK.stoppedOffering
      : venue
        ? venue.claimLost(job)
        : HANDED_BACK.senderGone;
    if (lost === null) return true;
    this.handBack(job, lost);
    return false;
  }

  /** Every badge sent here and still waiting goes back (the station closes, restarts or stops offering). */
  handBackAll(why: string): number {
    let n = 0;
    for (const job of this.deps.stationJobs.queuedReceived()) if (this.handBack(job, why)) n++;
    return n;
  }

  /**
   * The look every heartbeat: at the station, waiting badges whose sender is not heard lately go
   * back; at the sender, badges whose station went away come back ("returned"), or, caught
   * printing, may have printed.
   */
  sweep(): void {
    const venue = this.deps.venue();
    const offering = this.offeredName() !== null;
    for (const job of this.deps.stationJobs.queuedReceived()) {
      if (!offering) this.handBack(job, HANDED_BACK.stoppedOffering);
      else if (!venue?.senderHeard(job.station!.stationId!)) this.handBack(job, HANDED_BACK.senderGone);
    }
    if (!venue) return;
    for (const job of this.deps.stationJobs.liveSent()) {
      const station = job.station!;
      if (station.stationId === null || venue.stationStanding(station.stationId) !== 'gone') continue;
      const printing = job.state === 'printing';
      if (
        this.deps.printStore.transition(
          job.id,
          [job.state],
          printing ? 'may_have_printed' : 'returned',
          { error: stationGoneText(station.stationName, printing) },
          this.now(),
        )
      )
        this.deps.announce(job.id);
    }
  }

  private handBack(job: PrintJob, why: string): boolean {
    if (!this.deps.printStore.transition(job.id, ['queued'], 'cancelled', { error: why }, this.now()))
      return false;
    this.deps.announce(job.id);
    return true;
  }

  /**
   * The station a badge goes to: the chosen one, under the name it goes by now (`away` when it is
   * known to be gone: the badge comes back at once), or the nearest free one; none without a venue.
   */
  private choose(printAt: PrintAt): { station: { id: string; name: string } | null; away: boolean } {
    const venue = this.deps.venue();
    if (!venue || printAt.kind === 'here') return { station: null, away: false };
    const seen = venue.seen();
    if (printAt.kind === 'station') {
      const now = seen.find((s) => s.stationId === printAt.stationId);
      return {
        station: { id: printAt.stationId, name: now?.name ?? printAt.name },
        away: !now && venue.stationStanding(printAt.stationId) === 'gone',
      };
    }
    const nearest = nearestFreeStation(seen);
    return { station: nearest ? { id: nearest.stationId, name: nearest.name } : null, away: false };
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }
}
