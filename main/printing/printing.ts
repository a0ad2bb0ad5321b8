// Badge printing: the printers, the print triggers (check-in, by hand, batch, reprint) and the
// persistent print queue. Templates are badge-templates.ts; the queue's workers, one per printer
// (a jammed printer holds up only its own work), are queue-workers.ts; what each printer last
// said of itself is printer-health.ts; badges sent to (or received as) a print station of the
// venue are print-stations.ts. A station prints on its pool: its printer and the printers that
// share its badges. Printing never blocks check-in: a check-in only adds a queue row; a worker
// (or a print station) prints afterwards.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { MirrorStore } from '../db/store.ts';
import type { PrintStore } from '../db/print-store.ts';
import type { StationJobStore } from '../db/station-job-store.ts';
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
  type PrintJobState,
  type PrintQueueSummary,
} from '../../shared/printing.ts';
import type { PriorPrint } from '../../shared/venue.ts';
import { canPrintOn, type PrinterCondition, type PrinterStatusView } from '../../shared/printer-status.ts';
import { HANDED_BACK, PRINT_HERE, type PrintAt } from '../../shared/print-stations.ts';
import type { UndoBadge } from '../../shared/desk.ts';
import { withQrMatrices } from './render.ts';
import type { FileWritten, OsPrinting } from './drivers.ts';
import type { LabelDriverTimes } from './label-drivers.ts';
import { BadgeTemplates, TEST_BADGE_PERSON } from './badge-templates.ts';
import { PrintQueueWorkers } from './queue-workers.ts';
import { PrinterHealth } from './printer-health.ts';
import { PrintStations, type VenueStations } from './print-stations.ts';
import { BadgeTriggers } from './badge-triggers.ts';

export interface PrintingDeps {
  store: MirrorStore;
  printStore: PrintStore;
  stationJobStore: StationJobStore;
  clock: Clock;
  events: CoreEvents;
  os?: OsPrinting | undefined;
  /**
   * The station's choice: which printer, the printers that share its badges (a pool), whether a
   * check-in prints a badge, where its badges print (here, or at a print station of the venue),
   * and the name it offers its printers to the venue under (none: it does not).
   */
  stationPrinting(): StationPrinting;
  /** Label printers' time limits (tests and benchmarks shorten them). */
  printerTimes?: Partial<LabelDriverTimes> | undefined;
  /** The venue's earliest first print of this attendee at any desk (the venue's print records), or null. */
  venuePrintOf?(attendeeId: number): PriorPrint | null;
  /** The venue's print stations, presence and documents (null: this desk is in no venue). */
  venueStations?(): VenueStations | null;
  /** A badge file was written (a PDF printer's folder): the desk records it, to remove it when it forgets the event. */
  fileWritten?: FileWritten;
}

export interface StationPrinting {
  printerId: number | null;
  poolPrinterIds?: number[] | undefined;
  autoPrint: boolean;
  printAt?: PrintAt | undefined;
  offerAs?: string | null | undefined;
}

export class Printing {
  /** Badges sent to print stations of the venue, and badges desks sent to this one. */
  readonly stations: PrintStations;
  private readonly triggers: BadgeTriggers;
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
      mayPrint: (job) => this.stations.mayPrint(job),
      printerTimes: deps.printerTimes,
      fileWritten: deps.fileWritten,
    });
    this.stations = new PrintStations({
      printStore: deps.printStore,
      stationJobs: deps.stationJobStore,
      clock: deps.clock,
      settings: () => {
        const s = deps.stationPrinting();
        return { printAt: s.printAt ?? PRINT_HERE, offerAs: s.offerAs ?? null };
      },
      venue: () => deps.venueStations?.() ?? null,
      stationPrinter: () => this.pool()[0] ?? null,
      firstPrintRefusal: (attendee) => this.triggers.firstPrintRefusal(attendee),
      attendee: (attendeeId) => deps.store.getAttendee(attendeeId),
      poolState: () => this.poolState(),
      announce: (jobId) => this.announce(jobId),
      kickPool: () => this.workers.kickPool(),
    });
    this.triggers = new BadgeTriggers({
      store: deps.store,
      printStore: deps.printStore,
      clock: deps.clock,
      stations: this.stations,
      stationPrinting: () => deps.stationPrinting(),
      venuePrintOf: (attendeeId) => deps.venuePrintOf?.(attendeeId) ?? null,
      announce: (jobId) => this.announce(jobId),
      kickPool: () => this.workers.kickPool(),
      kick: (printerId) => this.kick(printerId),
    });
  }

  /**
   * At start-up: jobs a crash left "printing" wait for a person; queued ones resume. Badges desks
   * sent to this station go back to them: they may have been sent elsewhere meanwhile.
   */
  start(): void {
    this.stations.handBackAll(HANDED_BACK.restarted);
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

  /** Whether a printer of the pool may print now; when none may, the first one's condition (a print station's badges say it). */
  poolState(): { ready: boolean; stopped: { condition: PrinterCondition; detail: string | null } | null } {
    const pool = this.pool();
    const ready = pool.some((id) => {
      const status = this.health.status(id);
      return this.health.heldUntil(id) === null && (status === null || canPrintOn(status.condition));
    });
    if (ready || pool.length === 0) return { ready, stopped: null };
    const status = this.health.status(pool[0]!);
    return { ready, stopped: status ? { condition: status.condition, detail: status.detail } : null };
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
    return this.triggers.testPrint(actor, printerId);
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

  // ---- triggers (badge-triggers.ts) ----

  /** Called after a check-in is committed: queues the badge if the station prints at check-in. */
  onCheckedIn(actor: Actor, attendee: Attendee): PrintJob | null {
    return this.triggers.onCheckedIn(actor, attendee);
  }

  /** Called after an undo is committed: the badge its check-in queued is cancelled while it still waits. */
  onCheckInUndone(attendee: Attendee): UndoBadge | null {
    return this.triggers.onCheckInUndone(attendee);
  }

  printBadge(actor: Actor, attendeeId: number): PrintJob {
    return this.triggers.printBadge(actor, attendeeId);
  }

  /** Whether the person's first badge was queued or sent here (and not cancelled) or came out at a desk of the venue. */
  hasFirstPrint(attendeeId: number): boolean {
    const attendee = this.deps.store.getAttendee(attendeeId);
    return attendee !== undefined && this.triggers.firstPrintRefusal(attendee) !== null;
  }

  /** Whether this station's badges have somewhere to print: its printer, or a print station of the venue. */
  hasStationPrinter(): boolean {
    return this.triggers.canPrint();
  }

  reprint(actor: Actor, attendeeId: number, note: string): PrintJob {
    return this.triggers.reprint(actor, attendeeId, note);
  }

  batch(
    actor: Actor,
    eventId: number,
    filter: { vipOnly: boolean; ticketName: string | null },
  ): { queued: number; alreadyPrinted: number } {
    return this.triggers.batch(actor, eventId, filter);
  }

  // ---- the queue ----

  listJobs(filter: {
    eventId?: number | undefined;
    states?: readonly PrintJobState[] | undefined;
    limit: number;
  }): PrintJob[] {
    return this.deps.printStore.listJobs(filter);
  }

  /** One job of the queue, as it is now. */
  listJob(jobId: number): PrintJob | undefined {
    return this.deps.printStore.getJob(jobId);
  }

  summary(): PrintQueueSummary {
    return this.deps.printStore.summary();
  }

  /** Tries a job now: a failed one, a queued one waiting for its retry, or a "may have printed" one a person chose to print again. */
  retry(jobId: number): PrintJob {
    const job = this.requireJob(jobId);
    if (printJobDispatch(job) === 'station')
      throw new AppError(
        'INVALID_STATE',
        `this badge prints at ${job.printerName}; send it elsewhere, or retry it there`,
      );
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
    if (job.printerId !== null) {
      this.health.release(job.printerId);
      this.kick(job.printerId);
    }
    if (printJobDispatch(job) === 'pool') this.workers.kickPool();
    return this.requireJob(jobId);
  }

  /** Cancels a waiting badge; a badge sent to a print station only once it came back (at the station it is the station's). */
  cancel(jobId: number): PrintJob {
    const job = this.requireJob(jobId);
    const from: readonly PrintJobState[] =
      printJobDispatch(job) === 'station'
        ? ['returned', 'failed', 'may_have_printed']
        : ['queued', 'failed', 'may_have_printed'];
    if (!this.deps.printStore.transition(jobId, from, 'cancelled', {}, this.now())) {
      throw new AppError(
        'INVALID_STATE',
        printJobDispatch(job) === 'station' && job.state === 'queued'
          ? `this badge waits at ${job.printerName}; it can be cancelled there`
          : `a ${job.state} job cannot be cancelled`,
      );
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

  private requirePrinter(printerId: number) {
    const p = this.deps.printStore.getPrinter(printerId);
    if (!p) throw new AppError('NOT_FOUND', `printer ${printerId} does not exist`);
    return p;
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
