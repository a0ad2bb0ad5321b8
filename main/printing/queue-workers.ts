// The print queue's workers: one per printer, so a slow or jammed printer holds up only its own
// work. A worker takes the oldest due job it may print (its test prints, and the station's badges
// when it is one of the station's printers: the next free printer takes the next badge), asks the
// printer its state, and sends the badge on the same connection.
// - A printer that cannot print now (paper out, head or cover open, paused, a jam, the wrong
//   labels, unreachable) is left alone for a while; the badge stays queued with the state in
//   words and goes to another printer of the station, or waits for this one. Never failed for it.
// - A badge is taken by one printer at a time (in memory while its printer is asked, then by the
//   queued -> printing step in SQLite), so a badge that moves never prints twice. A badge another
//   desk sent to this print station is taken only while the station holds its claim (mayPrint).
// - A failure puts the job back with a back-off (or fails it after a few tries); a driver that
//   never answers, or a fault reported while printing, leaves the job "may have printed" for a
//   person, never printed twice by itself.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { PrintStore } from '../db/print-store.ts';
import type { BadgeLayout } from '../../shared/badge.ts';
import { printJobDispatch, type PrintJob, type Printer } from '../../shared/printing.ts';
import { canPrintOn, printerStatusText, type PrinterStatus } from '../../shared/printer-status.ts';
import {
  driverFor,
  type FileWritten,
  PrinterUnreachableError,
  type BadgeToPrint,
  type OsPrinting,
  type PrinterSession,
} from './drivers.ts';
import type { LabelDriverTimes } from './label-drivers.ts';
import type { PrinterHealth } from './printer-health.ts';

/** Failures other than "unreachable" are tried this many times before the job shows as failed. */
const MAX_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 30_000;
const DRIVER_TIMEOUT_MS = 120_000;

export interface PrintQueueWorkersDeps {
  printStore: PrintStore;
  clock: Clock;
  os?: OsPrinting | undefined;
  health: PrinterHealth;
  /** The station's printers, which take its badges. */
  pool(): number[];
  layoutOfJob(job: PrintJob): BadgeLayout;
  announce(jobId: number): void;
  /**
   * The last look before a badge is taken for printing: false when it is not this station's to
   * print any more (a badge a desk sent here that was sent elsewhere, or whose sender is not heard:
   * print-stations.ts hands it back).
   */
  mayPrint(job: PrintJob): boolean;
  /** Label printers' time limits (tests and benchmarks shorten them). */
  printerTimes?: Partial<LabelDriverTimes> | undefined;
  /** A badge file was written (a PDF printer's folder). */
  fileWritten?: FileWritten | undefined;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timed out'> {
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

type Next = 'next' | 'stop';

export class PrintQueueWorkers {
  private readonly workers = new Map<number, Promise<void>>();
  private readonly wakeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly kickedWhileRunning = new Set<number>();
  /** Jobs a printer is being asked about: no other printer takes them meanwhile. */
  private readonly taking = new Set<number>();
  private closed = false;

  constructor(private readonly deps: PrintQueueWorkersDeps) {}

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

  /** Every printer of the station looks for work (a badge was queued, or one printer stopped). */
  kickPool(except?: number): void {
    for (const id of this.deps.pool()) if (id !== except) this.kick(id);
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

  /** Opens a session with a printer: its state, or null when it is left alone for now. */
  async ask(
    printer: Omit<Printer, 'available'>,
  ): Promise<{ session: PrinterSession | null; status: PrinterStatus | null }> {
    const driver = driverFor(
      printer,
      this.deps.os,
      { ...this.deps.printerTimes, now: () => isoTime(this.deps.clock.now()) },
      this.deps.fileWritten,
    );
    try {
      const session = await driver.open();
      if (session.status) this.deps.health.record(printer.id, session.status);
      return { session, status: session.status };
    } catch (err) {
      if (!(err instanceof PrinterUnreachableError)) throw err;
      const status: PrinterStatus = {
        condition: 'unreachable',
        detail: err.reason,
        media: null,
        checkedAt: isoTime(this.deps.clock.now()),
      };
      this.deps.health.record(printer.id, status);
      return { session: null, status };
    }
  }

  /** Prints every due job the printer may take, one at a time, until none is due or the printer stops. */
  private async drain(printerId: number): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const printer = this.deps.printStore.getPrinter(printerId);
      if (!printer) return;
      if (this.deps.health.heldUntil(printerId) !== null) {
        // A badge queued meanwhile says why it waits too.
        this.noteWaiting(printer);
        return;
      }
      const job = this.deps.printStore.nextDueFor(
        printerId,
        this.deps.pool().includes(printerId),
        this.now(),
        [...this.taking],
      );
      if (!job) return;
      this.taking.add(job.id);
      let next: Next;
      try {
        next = await this.printOne(printer, job);
      } finally {
        this.taking.delete(job.id);
      }
      if (next === 'stop') return;
    }
  }

  private async printOne(printer: Omit<Printer, 'available'>, job: PrintJob): Promise<Next> {
    let badge: BadgeToPrint;
    try {
      badge = { jobId: job.id, title: job.attendeeName ?? 'Test badge', layout: this.deps.layoutOfJob(job) };
    } catch (err) {
      this.failAttempt(job, err, ['queued']);
      return 'next';
    }
    let asked: Awaited<ReturnType<PrintQueueWorkers['ask']>>;
    try {
      asked = await this.ask(printer);
    } catch (err) {
      // Not the printer's state (an address the network cannot use): tried again, then failed.
      this.failAttempt(job, err, ['queued']);
      return 'next';
    }
    const { session, status } = asked;
    if (!session) {
      this.hold(job, printer, status!);
      return 'stop';
    }
    try {
      const refusal = status && !canPrintOn(status.condition) ? status : session.refuse(badge);
      if (refusal) {
        if (refusal !== status) this.deps.health.record(printer.id, refusal);
        this.hold(job, printer, refusal);
        return 'stop';
      }
      if (!this.deps.mayPrint(job)) return 'next';
      if (!this.deps.printStore.claim(job.id, printer.id, this.now())) return 'next';
      this.deps.announce(job.id);
      return await this.send(session, printer, job, badge);
    } finally {
      session.close();
    }
  }

  private async send(
    session: PrinterSession,
    printer: Omit<Printer, 'available'>,
    job: PrintJob,
    badge: BadgeToPrint,
  ): Promise<Next> {
    try {
      const outcome = await withTimeout(session.send(badge), DRIVER_TIMEOUT_MS);
      if (outcome === 'timed out') {
        // The printer took the badge and never answered: it may well have printed. A person decides.
        this.settle(job.id, 'may_have_printed', { error: 'the printer did not confirm within 2 minutes' });
        return 'stop';
      }
      if (outcome.kind === 'fault_while_printing') {
        // Part of the badge may have come out: a person looks, and this printer stops.
        this.deps.health.record(printer.id, outcome.status);
        this.settle(job.id, 'may_have_printed', {
          error: `${printerStatusText(printer.name, outcome.status)} while this badge was printing`,
        });
        this.kickPool(printer.id);
        return 'stop';
      }
      this.settle(job.id, 'printed', { error: null, printedAt: this.now(), nextAttemptAt: null });
      if (outcome.statusAfter) {
        // Printed, and the printer stopped after it (the roll ran out with the last label).
        this.deps.health.record(printer.id, outcome.statusAfter);
        if (!canPrintOn(outcome.statusAfter.condition)) {
          this.kickPool(printer.id);
          return 'stop';
        }
      }
      return 'next';
    } catch (err) {
      if (err instanceof PrinterUnreachableError) {
        // Nothing left for the printer: the badge waits, for this printer or another of the station.
        const status: PrinterStatus = {
          condition: 'unreachable',
          detail: err.reason,
          media: null,
          checkedAt: this.now(),
        };
        this.deps.health.record(printer.id, status);
        this.settle(job.id, 'queued', {
          error: printerStatusText(printer.name, status),
          nextAttemptAt: this.retryAt(job, printer.id),
        });
        this.kickPool(printer.id);
        return 'stop';
      }
      this.failAttempt({ ...job, attempts: job.attempts + 1 }, err, ['printing']);
      return 'next';
    }
  }

  /**
   * The badge cannot print on this printer now: it stays queued, and the station's other printers
   * look. A test print waits for its printer, saying why; the station's badges say why when no
   * printer of the station can take them.
   */
  private hold(job: PrintJob, printer: Omit<Printer, 'available'>, status: PrinterStatus): void {
    if (printJobDispatch(job) === 'printer') {
      const text = printerStatusText(printer.name, status);
      const nextAttemptAt = this.retryAt(job, printer.id);
      if (job.error !== text || job.nextAttemptAt !== nextAttemptAt) {
        this.deps.printStore.transition(
          job.id,
          ['queued'],
          'queued',
          { error: text, nextAttemptAt },
          this.now(),
        );
        this.deps.announce(job.id);
      }
    } else {
      this.noteWaiting(printer);
    }
    this.kickPool(printer.id);
  }

  /** When every printer of the station is stopped, its waiting badges say why (this printer's state, in words). */
  private noteWaiting(printer: Omit<Printer, 'available'>): void {
    const pool = this.deps.pool();
    const status = this.deps.health.status(printer.id);
    if (!status || !pool.includes(printer.id)) return;
    if (pool.some((id) => this.deps.health.heldUntil(id) === null)) return;
    const text = printerStatusText(printer.name, status);
    for (const id of this.deps.printStore.noteWaitingStationJobs(text, this.now())) this.deps.announce(id);
  }

  /** A test print waits for its printer; a badge is free for any printer of the station at once. */
  private retryAt(job: PrintJob, printerId: number): string | null {
    if (printJobDispatch(job) === 'pool') return null;
    const held = this.deps.health.heldUntil(printerId);
    return isoTime(held ?? this.deps.clock.now() + 1_000);
  }

  /** A failure that is not the printer's state: tried again after a back-off, failed after a few tries. */
  private failAttempt(job: PrintJob, err: unknown, from: ['queued'] | ['printing']): void {
    const message = err instanceof Error ? err.message : String(err);
    const attempts = from[0] === 'queued' ? job.attempts + 1 : job.attempts;
    const backoff = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempts - 1, 5));
    const delta = from[0] === 'queued' ? 1 : 0;
    if (attempts < MAX_ATTEMPTS) {
      this.deps.printStore.transition(
        job.id,
        from,
        'queued',
        { error: message, nextAttemptAt: isoTime(this.deps.clock.now() + backoff), attemptsDelta: delta },
        this.now(),
      );
    } else {
      this.deps.printStore.transition(
        job.id,
        from,
        'failed',
        { error: message, nextAttemptAt: null, attemptsDelta: delta },
        this.now(),
      );
    }
    this.deps.announce(job.id);
  }

  private settle(
    jobId: number,
    to: 'printed' | 'may_have_printed' | 'queued',
    patch: { error?: string | null; printedAt?: string; nextAttemptAt?: string | null },
  ): void {
    this.deps.printStore.transition(jobId, ['printing'], to, patch, this.now());
    this.deps.announce(jobId);
  }

  private scheduleWake(printerId: number): void {
    if (this.closed) return;
    const held = this.deps.health.heldUntil(printerId);
    // Badges other printers are taking are theirs: when one comes back, its printer says so (kickPool).
    const due = this.deps.printStore.nextDueAtFor(printerId, this.deps.pool().includes(printerId), [
      ...this.taking,
    ]);
    if (due === undefined) return;
    // A stopped printer is asked again when its hold ends.
    const delay = (held ?? (due ? Date.parse(due) : 0)) - this.deps.clock.now();
    // A real timer (the injected clock only says what time it is): unref'd, never holds the process.
    const timer = setTimeout(
      () => {
        this.wakeTimers.delete(printerId);
        this.kick(printerId);
      },
      Math.max(20, Math.min(MAX_BACKOFF_MS, delay)),
    );
    timer.unref?.();
    this.wakeTimers.set(printerId, timer);
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }
}
