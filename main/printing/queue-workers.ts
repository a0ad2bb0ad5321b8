// The print queue's workers: one per printer, so a slow or jammed printer holds up only its own
// queue. A worker prints the printer's due jobs one at a time; a failure puts the job back with a
// back-off (or fails it after a few tries), and a driver that never answers leaves the job "may
// have printed" for a person, never printed twice by itself.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { PrintStore } from '../db/print-store.ts';
import type { BadgeLayout } from '../../shared/badge.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { driverFor, PrinterUnreachableError, type OsPrinting, type PrinterDriver } from './drivers.ts';

/** Failures other than "unreachable" are tried this many times before the job shows as failed. */
const MAX_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 30_000;
const DRIVER_TIMEOUT_MS = 120_000;

export interface PrintQueueWorkersDeps {
  printStore: PrintStore;
  clock: Clock;
  os?: OsPrinting | undefined;
  layoutOfJob(job: PrintJob): BadgeLayout;
  announce(jobId: number): void;
}

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

export class PrintQueueWorkers {
  private readonly workers = new Map<number, Promise<void>>();
  private readonly wakeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly kickedWhileRunning = new Set<number>();
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
      const job = this.deps.printStore.nextDue(printerId, isoTime(this.deps.clock.now()));
      if (!job) return;
      const printer = this.deps.printStore.getPrinter(printerId);
      if (!printer) return;
      if (
        !this.deps.printStore.transition(
          job.id,
          ['queued'],
          'printing',
          { attemptsDelta: 1 },
          isoTime(this.deps.clock.now()),
        )
      )
        continue;
      this.deps.announce(job.id);
      let driver: PrinterDriver;
      try {
        driver = driverFor(printer, this.deps.os);
        const printed = driver.print({
          jobId: job.id,
          title: job.attendeeName ?? 'Test badge',
          layout: this.deps.layoutOfJob(job),
        });
        if ((await withTimeout(printed, DRIVER_TIMEOUT_MS)) === 'timed out') {
          // The printer took the badge and never answered: it may well have printed. A person decides.
          this.deps.printStore.transition(
            job.id,
            ['printing'],
            'may_have_printed',
            { error: 'the printer did not confirm within 2 minutes' },
            isoTime(this.deps.clock.now()),
          );
          this.deps.announce(job.id);
          return;
        }
        this.deps.printStore.transition(
          job.id,
          ['printing'],
          'printed',
          { error: null, printedAt: isoTime(this.deps.clock.now()), nextAttemptAt: null },
          isoTime(this.deps.clock.now()),
        );
        this.deps.announce(job.id);
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
            isoTime(this.deps.clock.now()),
          );
        } else {
          this.deps.printStore.transition(
            job.id,
            ['printing'],
            'failed',
            { error: message, nextAttemptAt: null },
            isoTime(this.deps.clock.now()),
          );
        }
        this.deps.announce(job.id);
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
}
