// What puts a badge in the print queue: a check-in (when the station prints at check-in), a
// person's Print badge, a reprint, an admin's batch; and what an undo does to the badge its
// check-in queued. Each badge goes where the station's badges print: its own printers, or a print
// station of the venue (print-stations.ts). The first-badge rule is here, once: a person's first
// badge is queued once, whichever desk or station it goes to (firstPrintRefusal, backed by the
// queue's unique index), and a print station takes badges desks send it through the same rule.
import { isoTime, type Clock } from '../ground/clock.ts';
import type { MirrorStore } from '../db/store.ts';
import type { PrintStore } from '../db/print-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { PrintJob, PrintJobReason, PrintJobState } from '../../shared/printing.ts';
import type { PriorPrint } from '../../shared/venue.ts';
import type { UndoBadge } from '../../shared/desk.ts';
import type { PrintStations } from './print-stations.ts';

export interface BadgeTriggersDeps {
  store: MirrorStore;
  printStore: PrintStore;
  clock: Clock;
  stations: PrintStations;
  stationPrinting(): { printerId: number | null; autoPrint: boolean };
  venuePrintOf?(attendeeId: number): PriorPrint | null;
  announce(jobId: number): void;
  kickPool(): void;
  kick(printerId: number): void;
}

const FIRST_PRINT_REASONS: readonly PrintJobReason[] = ['check_in', 'manual', 'batch'];

export class BadgeTriggers {
  constructor(private readonly deps: BadgeTriggersDeps) {}

  /**
   * The first-badge rule: why this person's first badge may not be queued (it was queued or sent
   * here and not cancelled, or it came out at a desk of the venue), or null.
   */
  firstPrintRefusal(attendee: Attendee): AppError | null {
    const existing = this.deps.printStore.firstPrintOf(attendee.id);
    if (existing)
      return new AppError(
        'CONFLICT',
        `${attendee.fullName}'s badge was already ${existing.state === 'printed' ? 'printed' : 'sent to the printer'}; a second copy is a reprint`,
        { jobId: existing.id },
      );
    const elsewhere = this.deps.venuePrintOf?.(attendee.id);
    if (elsewhere)
      return new AppError(
        'CONFLICT',
        `${attendee.fullName}'s badge was already printed at ${elsewhere.stationName}; a second copy is a reprint`,
        { priorPrint: elsewhere },
      );
    return null;
  }

  /** Whether this station's badges have somewhere to print: its printer, or a print station of the venue. */
  canPrint(): boolean {
    return this.deps.stations.sendsElsewhere() || this.ownPrinter() !== null;
  }

  /** Called after a check-in is committed: queues the badge if the station prints at check-in. */
  onCheckedIn(actor: Actor, attendee: Attendee): PrintJob | null {
    if (!this.deps.stationPrinting().autoPrint || !this.canPrint()) return null;
    // Printed before here or at a desk of the venue: a reprint is a person's call (the desk asks "reprint?").
    if (this.firstPrintRefusal(attendee)) return null;
    return this.badge(actor, attendee, 'check_in', null);
  }

  /**
   * Called after an undo is committed. The badge that check-in queued is cancelled while it still
   * waits (queued, or failed without printing; a badge sent to a station, once it came back), which
   * frees the person's first print for their real check-in; a badge printing or printed, at a
   * station, or one a person sent by hand or in a batch, is left alone and reported.
   */
  onCheckInUndone(attendee: Attendee): UndoBadge | null {
    const job = this.deps.printStore.firstPrintOf(attendee.id);
    if (!job) return null;
    const waiting: readonly PrintJobState[] =
      job.station?.direction === 'sent' ? ['returned', 'failed'] : ['queued', 'failed'];
    if (job.reason === 'check_in' && waiting.includes(job.state)) {
      // Only from a waiting state: a worker that took the job meanwhile wins, and the job is reported as it is.
      if (
        this.deps.printStore.transition(job.id, waiting, 'cancelled', { nextAttemptAt: null }, this.now())
      ) {
        this.deps.announce(job.id);
        return { kind: 'cancelled', job: this.requireJob(job.id) };
      }
    }
    return { kind: 'kept', job: this.requireJob(job.id) };
  }

  printBadge(actor: Actor, attendeeId: number): PrintJob {
    const attendee = this.requireAttendee(attendeeId);
    const refusal = this.firstPrintRefusal(attendee);
    if (refusal) throw refusal;
    this.requireDestination();
    return this.badge(actor, attendee, 'manual', null);
  }

  reprint(actor: Actor, attendeeId: number, note: string): PrintJob {
    const attendee = this.requireAttendee(attendeeId);
    this.requireDestination();
    return this.badge(actor, attendee, 'reprint', note);
  }

  batch(
    actor: Actor,
    eventId: number,
    filter: { vipOnly: boolean; ticketName: string | null },
  ): { queued: number; alreadyPrinted: number } {
    if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'only a workspace admin may print a batch');
    const printerId = this.requireDestination();
    const candidates = this.deps.printStore.batchCandidates(eventId, filter.vipOnly, filter.ticketName);
    const todo = candidates.filter((c) => !c.printed);
    if (printerId === null) {
      // To a print station: each badge is its own request in the venue.
      for (const c of todo) this.badge(actor, this.requireAttendee(c.id), 'batch', null);
    } else {
      this.deps.store.db.transaction(() => {
        for (const c of todo)
          this.deps.printStore.insertJob({
            eventId,
            attendeeId: c.id,
            printerId,
            reason: 'batch',
            requestedBy: actor.name ?? actor.role,
            note: null,
            now: this.now(),
          });
      })();
      this.deps.kickPool();
    }
    return { queued: todo.length, alreadyPrinted: candidates.length - todo.length };
  }

  /** A test print, for its printer alone. */
  testPrint(actor: Actor, printerId: number): PrintJob {
    return this.enqueue({ eventId: null, attendeeId: null, printerId, reason: 'test', actor, note: null });
  }

  /** One badge, where this station's badges print. */
  private badge(
    actor: Actor,
    attendee: Attendee,
    reason: Exclude<PrintJobReason, 'test'>,
    note: string | null,
  ): PrintJob {
    if (this.deps.stations.sendsElsewhere())
      return this.deps.stations.send({
        eventId: attendee.eventId,
        attendeeId: attendee.id,
        reason,
        requestedBy: actor.name ?? actor.role,
        note,
      });
    return this.enqueue({
      eventId: attendee.eventId,
      attendeeId: attendee.id,
      printerId: this.requireDestination()!,
      reason,
      actor,
      note,
    });
  }

  private enqueue(j: {
    eventId: number | null;
    attendeeId: number | null;
    printerId: number;
    reason: PrintJobReason;
    actor: Actor;
    note: string | null;
  }): PrintJob {
    let job: PrintJob;
    try {
      job = this.deps.printStore.insertJob({
        ...j,
        requestedBy: j.actor.name ?? j.actor.role,
        now: this.now(),
      });
    } catch (err) {
      if (FIRST_PRINT_REASONS.includes(j.reason) && /UNIQUE/.test(String(err))) {
        throw new AppError('CONFLICT', 'this badge was already printed; a second copy is a reprint');
      }
      throw err;
    }
    this.deps.announce(job.id);
    if (j.reason === 'test') this.deps.kick(j.printerId);
    else this.deps.kickPool();
    return job;
  }

  /** The station's printer (null when its badges go to a print station); refused when it has neither. */
  private requireDestination(): number | null {
    if (this.deps.stations.sendsElsewhere()) return null;
    const printerId = this.ownPrinter();
    if (printerId === null)
      throw new AppError('INVALID_STATE', 'this station has no printer; choose one in Settings → Printers');
    return printerId;
  }

  private ownPrinter(): number | null {
    const { printerId } = this.deps.stationPrinting();
    return printerId !== null && this.deps.printStore.getPrinter(printerId) !== undefined ? printerId : null;
  }

  private requireAttendee(attendeeId: number): Attendee {
    const a = this.deps.store.getAttendee(attendeeId);
    if (!a) throw new AppError('NOT_FOUND', `attendee ${attendeeId} does not exist`);
    return a;
  }

  private requireJob(jobId: number): PrintJob {
    const j = this.deps.printStore.getJob(jobId);
    if (!j) throw new AppError('NOT_FOUND', `print job ${jobId} does not exist`);
    return j;
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }
}
