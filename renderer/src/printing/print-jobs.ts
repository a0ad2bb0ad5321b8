// Print jobs as this window learns of them (pushes and answers), and the rules for merging two
// versions of a job. Shared by the printing slice (queue page, batch progress) and the desk
// (the "Badge printing on …" line under a check-in).
import type { PrintJob, PrintJobState } from '../../../shared/printing.ts';
import { Throttle, type Timers } from '../app/scheduling.ts';

export const PRINT_QUEUE_LIMIT = 200;

/** Pushed jobs are applied together, at most once per this: a batch of thousands does not re-render per job. */
const FLUSH_MS = 50;
/** Check-in jobs remembered by attendee (for a check-in whose answer comes after its job's push). */
const RECENT_CHECK_IN_JOBS = 200;

/** Newer of two versions of a job (by updatedAt; on a tie, the fresh one: it arrived later). */
export function newerJob(current: PrintJob | undefined, fresh: PrintJob): PrintJob {
  return current && current.updatedAt > fresh.updatedAt ? current : fresh;
}

/** Fresh versions of jobs into a newest-first list: rows in place, new jobs at their place, capped. */
export function upsertJobs(
  list: PrintJob[],
  fresh: Iterable<PrintJob>,
  limit = PRINT_QUEUE_LIMIT,
): PrintJob[] {
  const byId = new Map(list.map((j) => [j.id, j] as const));
  let added = false;
  for (const job of fresh) {
    const current = byId.get(job.id);
    if (!current) added = true;
    byId.set(job.id, newerJob(current, job));
  }
  if (!added) return list.map((j) => byId.get(j.id)!);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

/** A batch of badges queued from an event page, followed until it is done. */
export interface BatchProgress {
  eventId: number;
  /** Badges the batch queued; null while the request is on its way. */
  total: number | null;
  alreadyPrinted: number;
  /** The batch's jobs seen so far (from pushes and reads), with their last known state. */
  jobs: Record<number, { state: PrintJobState; updatedAt: string }>;
  /** Jobs with a lower id belong to earlier batches. */
  minJobId: number | null;
}

export function mergeBatchJobs(batch: BatchProgress, jobs: Iterable<PrintJob>): BatchProgress['jobs'] {
  const next = { ...batch.jobs };
  for (const job of jobs) {
    if (job.reason !== 'batch' || job.eventId !== batch.eventId) continue;
    if (batch.minJobId !== null && job.id < batch.minJobId) continue;
    const current = next[job.id];
    if (!current || current.updatedAt <= job.updatedAt)
      next[job.id] = { state: job.state, updatedAt: job.updatedAt };
  }
  return next;
}

/**
 * A batch's progress after reading the event's batch jobs. A batch this window just queued is
 * the newest `count` batch jobs (and what pushes brought meanwhile); with no batch followed yet,
 * one still printing is the batch jobs queued around the oldest unfinished one. Null: no change.
 */
export function followBatch(
  eventId: number,
  batch: BatchProgress | undefined,
  batchJobs: PrintJob[],
  count?: number,
): BatchProgress | null {
  if (batch && batch.total === null) return null;
  if (batch && batch.minJobId !== null) return { ...batch, jobs: mergeBatchJobs(batch, batchJobs) };
  if (batch) {
    const wanted = count ?? batch.total ?? 0;
    const taken = [...batchJobs].sort((a, b) => b.id - a.id).slice(0, wanted);
    const ids = [...taken.map((j) => j.id), ...Object.keys(batch.jobs).map(Number)];
    if (ids.length === 0) return null;
    const minJobId =
      taken.length >= wanted && taken.length > 0 ? Math.min(...taken.map((j) => j.id)) : Math.min(...ids);
    const next = {
      ...batch,
      minJobId,
      jobs: Object.fromEntries(Object.entries(batch.jobs).filter(([id]) => Number(id) >= minJobId)),
    };
    return { ...next, jobs: mergeBatchJobs(next, taken) };
  }
  const open = batchJobs.filter((j) => j.state === 'queued' || j.state === 'printing');
  if (open.length === 0) return null;
  const oldest = open.reduce((a, b) => (b.id < a.id ? b : a));
  const since = Date.parse(oldest.createdAt) - 5000;
  const members = batchJobs.filter((j) => j.id >= oldest.id || Date.parse(j.createdAt) >= since);
  const found: BatchProgress = {
    eventId,
    total: members.length,
    alreadyPrinted: 0,
    jobs: {},
    minJobId: Math.min(...members.map((j) => j.id)),
  };
  return { ...found, jobs: mergeBatchJobs(found, members) };
}

export class PrintJobLedger {
  /** The highest job id seen: a job above it is newer than anything read before. */
  private maxIdSeen = 0;
  /** Check-in jobs received recently, by attendee: a push can arrive before the check-in's own answer. */
  private readonly recentCheckIns = new Map<number, PrintJob>();
  /** Received jobs not handed to the listeners yet. */
  private readonly pending = new Map<number, PrintJob>();
  private readonly listeners: ((jobs: PrintJob[]) => void)[] = [];
  private readonly throttle: Throttle;

  constructor(timers: Timers) {
    this.throttle = new Throttle(timers);
  }

  get highestIdSeen(): number {
    return this.maxIdSeen;
  }

  /** Jobs read from main (a list answer): counted as seen, without being handed on. */
  see(jobs: Iterable<PrintJob>): void {
    for (const job of jobs) if (job.id > this.maxIdSeen) this.maxIdSeen = job.id;
  }

  /** A job from a push or an answer: remembered, then handed to the listeners with the others of its moment. */
  receive(job: PrintJob): void {
    this.see([job]);
    if (job.reason === 'check_in' && job.attendeeId !== null) {
      const known = this.recentCheckIns.get(job.attendeeId);
      // Delete first, so the map's order stays "least recently received first" for the cap.
      this.recentCheckIns.delete(job.attendeeId);
      this.recentCheckIns.set(job.attendeeId, known?.id === job.id ? newerJob(known, job) : job);
      if (this.recentCheckIns.size > RECENT_CHECK_IN_JOBS)
        this.recentCheckIns.delete(this.recentCheckIns.keys().next().value!);
    }
    this.pending.set(job.id, newerJob(this.pending.get(job.id), job));
    this.throttle.soon('flush', FLUSH_MS, () => this.flush());
  }

  recentCheckInJob(attendeeId: number): PrintJob | undefined {
    return this.recentCheckIns.get(attendeeId);
  }

  /** Called with every group of received jobs (each job at most once per group, its newest version). */
  onJobs(listener: (jobs: PrintJob[]) => void): void {
    this.listeners.push(listener);
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const listener of this.listeners) listener(jobs);
  }
}
