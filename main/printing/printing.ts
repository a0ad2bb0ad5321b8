// Badge printing: the printers, the print triggers (check-in, by hand, batch, reprint) and the
// persistent print queue. Templates are badge-templates.ts; the queue's workers, one per printer
// (a jammed printer holds up only its own work), are queue-workers.ts; what each printer last
// said of itself is printer-health.ts. A station prints on its pool: its printer and the printers
// that share its badges. Printing never blocks check-in: a check-in only adds a queue row; a
// worker prints afterwards.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { MirrorStore } from '../db/store.ts';
import type { PrintStore } from '../db/print-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import {
  type BadgeLayout,
  type BadgePerson,
  type BadgeTemplate,
  type BadgeTemplateInput,
} from '../../shared/badge.ts';
import {
  printJobDispatch,
  type Printer,
  type PrinterConfig,
  type PrintJob,
  type PrintJobReason,
  type PrintJobState,
  type PrintQueueSummary,
} from '../../shared/printing.ts';
import type { PriorPrint } from '../../shared/venue.ts';
import type { PrinterStatusView } from '../../shared/printer-status.ts';
import type { UndoBadge } from '../../shared/desk.ts';
import { withQrMatrices } from './render.ts';
import type { FileWritten, OsPrinting } from './drivers.ts';
import type { LabelDriverTimes } from './label-drivers.ts';
import { BadgeTemplates, TEST_BADGE_PERSON } from './badge-templates.ts';
import { PrintQueueWorkers } from './queue-workers.ts';
import { PrinterHealth } from './printer-health.ts';

export interface PrintingDeps {
  store: MirrorStore;
  printStore: PrintStore;
  clock: Clock;
  events: CoreEvents;
  os?: OsPrinting | undefined;
  /**
   * The station's choice: which printer, the printers that share its badges (a pool), and
   * whether a check-in prints a badge.
   */
  stationPrinting(): { printerId: number | null; poolPrinterIds?: number[] | undefined; autoPrint: boolean };
  /** Label printers' time limits (tests and benchmarks shorten them). */
  printerTimes?: Partial<LabelDriverTimes> | undefined;
  /** The venue's earliest first print of this attendee at any desk (the venue's print records), or null. */
  venuePrintOf?(attendeeId: number): PriorPrint | null;
  /** A badge file was written (a PDF printer's folder): the desk records it, to remove it when it forgets the event. */
  fileWritten?: FileWritten;
}

const FIRST_PRINT_REASONS: readonly PrintJobReason[] = ['check_in', 'manual', 'batch'];

export class Printing {
  private readonly templates: BadgeTemplates;
  private readonly workers: PrintQueueWorkers;
  private readonly health: PrinterHealth;

  constructor(private readonly deps: PrintingDeps) {
    this.templates = new BadgeTemplates({
      store: deps.store,
      printStore: deps.printStore,
      now: () => this.now(),
    });
    this.health = new PrinterHealth({
      clock: deps.clock,
      announce: (view) => deps.events.emit('printerStatusChanged', view),
    });
    this.workers = new PrintQueueWorkers({
      printStore: deps.printStore,
      clock: deps.clock,
      os: deps.os,
      health: this.health,
      pool: () => this.pool(),
      layoutOfJob: (job) => this.layoutOfJob(job),
      announce: (jobId) => this.announce(jobId),
      printerTimes: deps.printerTimes,
      fileWritten: deps.fileWritten,
    });
  }

  /** At start-up: jobs a crash left "printing" wait for a person; queued ones resume. */
  start(): void {
    for (const id of this.deps.printStore.markInterruptedJobs(this.now())) this.announce(id);
    for (const printerId of this.deps.printStore.printerIdsWithQueuedTests()) this.kick(printerId);
    if (this.deps.printStore.hasQueuedStationJobs()) this.workers.kickPool();
  }

  /** The station's printers, in order: its printer first, then those sharing its badges (existing ones only). */
  pool(): number[] {
    const { printerId, poolPrinterIds } = this.deps.stationPrinting();
    if (printerId === null) return [];
    const ids = [...new Set([printerId, ...(poolPrinterIds ?? [])])];
    return ids.filter((id) => this.deps.printStore.getPrinter(id) !== undefined);
  }

  // ---- printers ----

  listPrinters(): Printer[] {
    return this.deps.printStore
      .listPrinters()
      .map((p) => ({ ...p, available: p.config.kind !== 'os' || this.deps.os !== undefined }));
  }

  addPrinter(name: string, config: PrinterConfig): Printer {
    const p = this.deps.printStore.addPrinter(name, config, this.now());
    return { ...p, available: config.kind !== 'os' || this.deps.os !== undefined };
  }

  removePrinter(printerId: number): void {
    this.requirePrinter(printerId);
    if (this.deps.printStore.printerHasJobs(printerId)) {
      throw new AppError(
        'CONFLICT',
        'this printer has print jobs in its history; it stays so the queue can name it',
      );
    }
    this.deps.printStore.removePrinter(printerId);
    this.health.forget(printerId);
  }

  /** Each printer's last known state. */
  printerStatuses(): PrinterStatusView[] {
    const ids = new Set(this.deps.printStore.listPrinters().map((p) => p.id));
    return this.health.list().filter((v) => ids.has(v.printerId));
  }

  /**
   * Asks a printer its state now (a label printer, at the address and port its admin entered).
   * A printer found ready is asked by its worker at once: the badges waiting for it go.
   */
  async checkPrinterStatus(printerId: number): Promise<PrinterStatusView> {
    const printer = this.requirePrinter(printerId);
    const { session, status } = await this.workers.ask(printer);
    session?.close();
    const known = status ?? {
      condition: 'unknown' as const,
      detail: 'this printer does not report its state',
      media: null,
      checkedAt: this.now(),
    };
    if (!status) this.health.record(printerId, known);
    if (this.health.heldUntil(printerId) === null) {
      this.kick(printerId);
      this.workers.kickPool();
    }
    return { printerId, status: known };
  }

  async systemPrinters(): Promise<{ name: string; isDefault: boolean }[]> {
    return this.deps.os ? this.deps.os.list() : [];
  }

  testPrint(actor: Actor, printerId: number): PrintJob {
    this.requirePrinter(printerId);
    return this.enqueue({ eventId: null, attendeeId: null, printerId, reason: 'test', actor, note: null });
  }

  // ---- templates ----

  listTemplates(): BadgeTemplate[] {
    return this.templates.list();
  }

  saveTemplate(input: BadgeTemplateInput & { id?: number | undefined }): BadgeTemplate {
    return this.templates.save(input);
  }

  removeTemplate(templateId: number): void {
    this.templates.remove(templateId);
  }

  /** The layout a badge prints with: a draft being edited, the given template, else the attendee's variant. */
  layoutFor(
    person: BadgePerson,
    templateId?: number,
    draft?: Pick<BadgeTemplate, 'pageSize' | 'fields'> & { answerLabel?: string | null },
  ): BadgeLayout {
    return this.templates.layoutFor(person, templateId, draft);
  }

  preview(
    eventId: number,
    attendeeId?: number,
    templateId?: number,
    draft?: Pick<BadgeTemplate, 'pageSize' | 'fields'> & { answerLabel?: string | null },
  ): BadgeLayout {
    return this.templates.preview(eventId, attendeeId, templateId, draft);
  }

  // ---- triggers ----

  /** Called after a check-in is committed: queues the badge if the station prints at check-in. */
  onCheckedIn(actor: Actor, attendee: Attendee): PrintJob | null {
    const { printerId, autoPrint } = this.deps.stationPrinting();
    if (!autoPrint || printerId === null || !this.deps.printStore.getPrinter(printerId)) return null;
    if (this.deps.printStore.firstPrintOf(attendee.id)) return null; // printed before: a reprint is a person's call
    if (this.deps.venuePrintOf?.(attendee.id)) return null; // printed at a desk of the venue: the desk asks "reprint?"
    return this.enqueue({
      eventId: attendee.eventId,
      attendeeId: attendee.id,
      printerId,
      reason: 'check_in',
      actor,
      note: null,
    });
  }

  /**
   * Called after an undo is committed. The badge that check-in queued is cancelled while it still
   * waits (queued, or failed without printing), which frees the person's first print for their
   * real check-in; a badge printing or printed, or one a person sent by hand or in a batch, is
   * left alone and reported.
   */
  onCheckInUndone(attendee: Attendee): UndoBadge | null {
    const job = this.deps.printStore.firstPrintOf(attendee.id);
    if (!job) return null;
    const waiting: readonly PrintJobState[] = ['queued', 'failed'];
    if (job.reason === 'check_in' && waiting.includes(job.state)) {
      // Only from a waiting state: a worker that took the job meanwhile wins, and the job is reported as it is.
      if (
        this.deps.printStore.transition(job.id, waiting, 'cancelled', { nextAttemptAt: null }, this.now())
      ) {
        this.announce(job.id);
        return { kind: 'cancelled', job: this.requireJob(job.id) };
      }
    }
    return { kind: 'kept', job: this.requireJob(job.id) };
  }

  printBadge(actor: Actor, attendeeId: number): PrintJob {
    const attendee = this.requireAttendee(attendeeId);
    const existing = this.deps.printStore.firstPrintOf(attendeeId);
    if (existing) {
      throw new AppError(
        'CONFLICT',
        `${attendee.fullName}'s badge was already ${existing.state === 'printed' ? 'printed' : 'sent to the printer'}; a second copy is a reprint`,
        { jobId: existing.id },
      );
    }
    const elsewhere = this.deps.venuePrintOf?.(attendeeId);
    if (elsewhere) {
      throw new AppError(
        'CONFLICT',
        `${attendee.fullName}'s badge was already printed at ${elsewhere.stationName}; a second copy is a reprint`,
        { priorPrint: elsewhere },
      );
    }
    return this.enqueue({
      eventId: attendee.eventId,
      attendeeId,
      printerId: this.stationPrinter(),
      reason: 'manual',
      actor,
      note: null,
    });
  }

  /** Whether the person's first badge was sent here (and not cancelled) or came out at a desk of the venue. */
  hasFirstPrint(attendeeId: number): boolean {
    return (
      this.deps.printStore.firstPrintOf(attendeeId) !== undefined ||
      Boolean(this.deps.venuePrintOf?.(attendeeId))
    );
  }

  /** Whether this station has a printer to print on. */
  hasStationPrinter(): boolean {
    const { printerId } = this.deps.stationPrinting();
    return printerId !== null && this.deps.printStore.getPrinter(printerId) !== undefined;
  }

  reprint(actor: Actor, attendeeId: number, note: string): PrintJob {
    const attendee = this.requireAttendee(attendeeId);
    return this.enqueue({
      eventId: attendee.eventId,
      attendeeId,
      printerId: this.stationPrinter(),
      reason: 'reprint',
      actor,
      note,
    });
  }

  batch(
    actor: Actor,
    eventId: number,
    filter: { vipOnly: boolean; ticketName: string | null },
  ): { queued: number; alreadyPrinted: number } {
    if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'only a workspace admin may print a batch');
    const printerId = this.stationPrinter();
    const candidates = this.deps.printStore.batchCandidates(eventId, filter.vipOnly, filter.ticketName);
    let queued = 0;
    this.deps.store.db.transaction(() => {
      for (const c of candidates) {
        if (c.printed) continue;
        this.deps.printStore.insertJob({
          eventId,
          attendeeId: c.id,
          printerId,
          reason: 'batch',
          requestedBy: actor.name ?? actor.role,
          note: null,
          now: this.now(),
        });
        queued++;
      }
    })();
    this.workers.kickPool();
    return { queued, alreadyPrinted: candidates.length - queued };
  }

  // ---- the queue ----

  listJobs(filter: {
    eventId?: number | undefined;
    states?: readonly PrintJobState[] | undefined;
    limit: number;
  }): PrintJob[] {
    return this.deps.printStore.listJobs(filter);
  }

  summary(): PrintQueueSummary {
    return this.deps.printStore.summary();
  }

  /** Tries a job now: a failed one, a queued one waiting for its retry, or a "may have printed" one a person chose to print again. */
  retry(jobId: number): PrintJob {
    const job = this.requireJob(jobId);
    if (
      !this.deps.printStore.transition(
        jobId,
        ['failed', 'queued', 'may_have_printed'],
        'queued',
        { nextAttemptAt: this.now() },
        this.now(),
      )
    ) {
      throw new AppError('INVALID_STATE', `a ${job.state} job cannot be retried`);
    }
    this.announce(jobId);
    // A person pressing Retry has seen to the printer: it is asked again now, not after its hold.
    this.health.release(job.printerId);
    this.kick(job.printerId);
    if (printJobDispatch(job) === 'pool') this.workers.kickPool();
    return this.requireJob(jobId);
  }

  cancel(jobId: number): PrintJob {
    const job = this.requireJob(jobId);
    if (
      !this.deps.printStore.transition(
        jobId,
        ['queued', 'failed', 'may_have_printed'],
        'cancelled',
        {},
        this.now(),
      )
    ) {
      throw new AppError('INVALID_STATE', `a ${job.state} job cannot be cancelled`);
    }
    this.announce(jobId);
    return this.requireJob(jobId);
  }

  markPrinted(jobId: number): PrintJob {
    const job = this.requireJob(jobId);
    if (
      !this.deps.printStore.transition(
        jobId,
        ['may_have_printed'],
        'printed',
        { error: null, printedAt: this.now() },
        this.now(),
      )
    ) {
      throw new AppError(
        'INVALID_STATE',
        `only a "may have printed" job can be marked printed; this one is ${job.state}`,
      );
    }
    this.announce(jobId);
    return this.requireJob(jobId);
  }

  /** Starts the printer's worker if it is not running; if it is, it looks once more before it stops. */
  kick(printerId: number): void {
    this.workers.kick(printerId);
  }

  /** Resolves when no printer's worker is running (tests). */
  async idle(): Promise<void> {
    await this.workers.idle();
  }

  async close(): Promise<void> {
    await this.workers.close();
  }

  private layoutOfJob(job: PrintJob): BadgeLayout {
    if (job.attendeeId === null) return withQrMatrices(this.layoutFor(TEST_BADGE_PERSON));
    const a = this.deps.store.getAttendee(job.attendeeId);
    if (!a) throw new Error(`attendee ${job.attendeeId} is gone`);
    return withQrMatrices(this.layoutFor(a));
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
    this.deps.events.emit('printJobChanged', { job });
    if (printJobDispatch(job) === 'pool') this.workers.kickPool();
    else this.kick(j.printerId);
    return job;
  }

  private stationPrinter(): number {
    const { printerId } = this.deps.stationPrinting();
    if (printerId === null || !this.deps.printStore.getPrinter(printerId)) {
      throw new AppError('INVALID_STATE', 'this station has no printer; choose one in Settings → Printers');
    }
    return printerId;
  }

  private requirePrinter(printerId: number) {
    const p = this.deps.printStore.getPrinter(printerId);
    if (!p) throw new AppError('NOT_FOUND', `printer ${printerId} does not exist`);
    return p;
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

  private announce(jobId: number): void {
    const job = this.deps.printStore.getJob(jobId);
    if (job) this.deps.events.emit('printJobChanged', { job });
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }
}
