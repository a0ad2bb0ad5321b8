// Badge printing: templates and their variants, the persistent print queue with one worker per
// printer (a jammed printer holds up only its own queue), and the print triggers. Printing never
// blocks check-in: a check-in only adds a queue row; the worker prints afterwards.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { MirrorStore } from '../db/store.ts';
import type { PrintStore } from '../db/print-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import {
  DEFAULT_TEMPLATE,
  layoutBadge,
  selectTemplate,
  type BadgeLayout,
  type BadgePerson,
  type BadgeTemplate,
  type BadgeTemplateInput,
  type MeasureText,
} from '../../shared/badge.ts';
import type {
  Printer,
  PrinterConfig,
  PrintJob,
  PrintJobReason,
  PrintJobState,
  PrintQueueSummary,
} from '../../shared/printing.ts';
import type { PriorPrint } from '../../shared/venue.ts';
import type { UndoBadge } from '../../shared/desk.ts';
import { createMeasure, withQrMatrices } from './render.ts';
import { driverFor, PrinterUnreachableError, type OsPrinting, type PrinterDriver } from './drivers.ts';

export interface PrintingDeps {
  store: MirrorStore;
  printStore: PrintStore;
  clock: Clock;
  events: CoreEvents;
  os?: OsPrinting | undefined;
  /** The station's choice: which printer, and whether a check-in prints a badge. */
  stationPrinting(): { printerId: number | null; autoPrint: boolean };
  /** The venue's earliest first print of this attendee at any desk (the venue's print records), or null. */
  venuePrintOf?(attendeeId: number): PriorPrint | null;
}

/** Failures other than "unreachable" are tried this many times before the job shows as failed. */
const MAX_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 30_000;
const DRIVER_TIMEOUT_MS = 120_000;

async function withTimeout(p: Promise<void>, ms: number): Promise<void | 'timed out'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const TEST_PERSON: BadgePerson = {
  firstName: 'Test',
  lastName: 'Badge',
  fullName: 'Test Badge',
  company: 'Badge Desk',
  ticketName: 'Test print',
  barcode: 'BADGE-DESK-TEST',
  vip: true,
};

const FIRST_PRINT_REASONS: readonly PrintJobReason[] = ['check_in', 'manual', 'batch'];

export class Printing {
  private readonly measure: MeasureText = createMeasure();
  private readonly workers = new Map<number, Promise<void>>();
  private readonly wakeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly kickedWhileRunning = new Set<number>();
  private closed = false;

  constructor(private readonly deps: PrintingDeps) {
    if (!deps.printStore.listTemplates().some((t) => t.ticketName === null)) {
      deps.printStore.insertTemplate(DEFAULT_TEMPLATE, this.now());
    }
  }

  /** At start-up: jobs a crash left "printing" wait for a person; queued ones resume. */
  start(): void {
    for (const id of this.deps.printStore.markInterruptedJobs(this.now())) this.announce(id);
    for (const printerId of this.deps.printStore.printerIdsWithQueuedJobs()) this.kick(printerId);
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
    return this.deps.printStore.listTemplates();
  }

  saveTemplate(input: BadgeTemplateInput & { id?: number | undefined }): BadgeTemplate {
    const clash = this.listTemplates().find((t) => t.ticketName === input.ticketName && t.id !== input.id);
    if (clash) {
      throw new AppError(
        'CONFLICT',
        input.ticketName === null
          ? 'there is already a default template; edit it instead'
          : `"${clash.name}" is already the template for ${input.ticketName}`,
      );
    }
    if (input.id === undefined) return this.deps.printStore.insertTemplate(input, this.now());
    const current = this.deps.printStore.getTemplate(input.id);
    if (!current) throw new AppError('NOT_FOUND', `template ${input.id} does not exist`);
    if (current.ticketName === null && input.ticketName !== null) {
      throw new AppError(
        'INVALID_STATE',
        'the default template stays the default; make a new template for a ticket type',
      );
    }
    return this.deps.printStore.updateTemplate(input.id, input, this.now())!;
  }

  removeTemplate(templateId: number): void {
    const t = this.deps.printStore.getTemplate(templateId);
    if (!t) throw new AppError('NOT_FOUND', `template ${templateId} does not exist`);
    if (t.ticketName === null)
      throw new AppError('INVALID_STATE', 'the default template cannot be deleted: every badge needs one');
    this.deps.printStore.removeTemplate(templateId);
  }

  /** The layout a badge prints with: a draft being edited, the given template, else the attendee's variant. */
  layoutFor(
    person: BadgePerson,
    templateId?: number,
    draft?: Pick<BadgeTemplate, 'pageSize' | 'fields'> & { answerLabel?: string | null },
  ): BadgeLayout {
    if (draft) return layoutBadge(draft, person, this.measure);
    const templates = this.listTemplates();
    const template =
      templateId !== undefined
        ? templates.find((t) => t.id === templateId)
        : selectTemplate(templates, person.ticketName);
    if (!template)
      throw new AppError(
        'NOT_FOUND',
        templateId !== undefined ? `template ${templateId} does not exist` : 'no badge template',
      );
    return layoutBadge(template, person, this.measure);
  }

  preview(
    eventId: number,
    attendeeId?: number,
    templateId?: number,
    draft?: Pick<BadgeTemplate, 'pageSize' | 'fields'> & { answerLabel?: string | null },
  ): BadgeLayout {
    let person: BadgePerson = { ...TEST_PERSON, vip: true };
    if (attendeeId !== undefined) {
      const a = this.deps.store.getAttendee(attendeeId);
      if (!a || a.eventId !== eventId)
        throw new AppError('NOT_FOUND', `attendee ${attendeeId} is not on this event`);
      person = a;
    }
    return withQrMatrices(this.layoutFor(person, templateId, draft));
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
    this.kick(printerId);
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
    this.kick(job.printerId);
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
    if (this.closed) return;
    if (this.workers.has(printerId)) {
      // The worker may already have found nothing due and be on its way out: it runs again.
      this.kickedWhileRunning.add(printerId);
      return;
    }
    const timer = this.wakeTimers.get(printerId);
    if (timer) clearTimeout(timer);
    this.wakeTimers.delete(printerId);
    const run = this.drain(printerId)
      // The queue's own write failed (the disk full under the database): the job stays as it
      // was written last, and the wake timer tries again. Never an unhandled rejection.
      .catch(() => undefined)
      .finally(() => {
        this.workers.delete(printerId);
        if (this.kickedWhileRunning.delete(printerId)) this.kick(printerId);
        else this.scheduleWake(printerId);
      });
    this.workers.set(printerId, run);
  }

  /** Resolves when no printer's worker is running (tests). */
  async idle(): Promise<void> {
    while (this.workers.size) await Promise.all([...this.workers.values()]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.wakeTimers.values()) clearTimeout(t);
    this.wakeTimers.clear();
    await this.idle();
  }

  /** Prints every due job of the printer, one at a time. */
  private async drain(printerId: number): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const job = this.deps.printStore.nextDue(printerId, this.now());
      if (!job) return;
      const printer = this.deps.printStore.getPrinter(printerId);
      if (!printer) return;
      if (!this.deps.printStore.transition(job.id, ['queued'], 'printing', { attemptsDelta: 1 }, this.now()))
        continue;
      this.announce(job.id);
      let driver: PrinterDriver;
      try {
        driver = driverFor(printer, this.deps.os);
        const printed = driver.print({
          jobId: job.id,
          title: job.attendeeName ?? 'Test badge',
          layout: this.layoutOfJob(job),
        });
        if ((await withTimeout(printed, DRIVER_TIMEOUT_MS)) === 'timed out') {
          // The printer took the badge and never answered: it may well have printed. A person decides.
          this.deps.printStore.transition(
            job.id,
            ['printing'],
            'may_have_printed',
            { error: 'the printer did not confirm within 2 minutes' },
            this.now(),
          );
          this.announce(job.id);
          return;
        }
        this.deps.printStore.transition(
          job.id,
          ['printing'],
          'printed',
          { error: null, printedAt: this.now(), nextAttemptAt: null },
          this.now(),
        );
        this.announce(job.id);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const attempts = job.attempts + 1;
        const backoff = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempts - 1, 5));
        const next = isoTime(this.deps.clock.now() + backoff);
        if (err instanceof PrinterUnreachableError || attempts < MAX_ATTEMPTS) {
          this.deps.printStore.transition(
            job.id,
            ['printing'],
            'queued',
            { error: message, nextAttemptAt: next },
            this.now(),
          );
        } else {
          this.deps.printStore.transition(
            job.id,
            ['printing'],
            'failed',
            { error: message, nextAttemptAt: null },
            this.now(),
          );
        }
        this.announce(job.id);
        // The printer failed: its other jobs would fail the same way; wait for the retry time.
        if (err instanceof PrinterUnreachableError) return;
      }
    }
  }

  private scheduleWake(printerId: number): void {
    if (this.closed) return;
    const due = this.deps.printStore.nextDueAt(printerId);
    if (due === undefined) return;
    // A real timer (the injected clock only says what time it is): unref'd, never holds the process.
    const delay = Math.max(20, Math.min(MAX_BACKOFF_MS, (due ? Date.parse(due) : 0) - this.deps.clock.now()));
    const timer = setTimeout(() => {
      this.wakeTimers.delete(printerId);
      this.kick(printerId);
    }, delay);
    timer.unref?.();
    this.wakeTimers.set(printerId, timer);
  }

  private layoutOfJob(job: PrintJob): BadgeLayout {
    if (job.attendeeId === null) return withQrMatrices(this.layoutFor(TEST_PERSON));
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
    this.kick(j.printerId);
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
