// The sync_jobs table: an event's import, re-import and manual Sync jobs, their progress and how
// they ended. A unique index keeps at most one job running per event.
import type { Db } from './open.ts';
import type { SyncJob, SyncJobKind, SyncJobState } from '../../shared/types.ts';
import { toJob, type JobRow } from './mirror-rows.ts';

export class JobStore {
  private readonly progress;

  constructor(private readonly db: Db) {
    this.progress = db.prepare(
      'UPDATE sync_jobs SET fetched = fetched + ?, expected_total = COALESCE(?, expected_total) WHERE id = ?',
    );
  }

  startJob(eventId: number, kind: SyncJobKind, now: string): SyncJob {
    const row = this.db
      .prepare<unknown[], JobRow>(
        `INSERT INTO sync_jobs (event_id, kind, state, started_at) VALUES (?, ?, 'running', ?) RETURNING *`,
      )
      .get(eventId, kind, now);
    return toJob(row!);
  }

  activeJob(eventId: number): SyncJob | undefined {
    const row = this.db
      .prepare<[number], JobRow>(`SELECT * FROM sync_jobs WHERE event_id = ? AND state = 'running'`)
      .get(eventId);
    return row ? toJob(row) : undefined;
  }

  getJob(jobId: number): SyncJob | undefined {
    const row = this.db.prepare<[number], JobRow>('SELECT * FROM sync_jobs WHERE id = ?').get(jobId);
    return row ? toJob(row) : undefined;
  }

  jobsOfEvent(eventId: number): SyncJob[] {
    return this.db
      .prepare<[number], JobRow>('SELECT * FROM sync_jobs WHERE event_id = ? ORDER BY id')
      .all(eventId)
      .map(toJob);
  }

  finishJob(jobId: number, state: Exclude<SyncJobState, 'running'>, error: string | null, now: string): void {
    this.db
      .prepare(
        `UPDATE sync_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state = 'running'`,
      )
      .run(state, error, now, jobId);
  }

  /**
   * Jobs left "running" by a process that died. Called once at start-up, before any job starts:
   * they are marked abandoned, so their events show "Import failed" with Retry.
   */
  abandonRunningJobs(now: string): number {
    return this.db
      .prepare(
        `UPDATE sync_jobs SET state = 'abandoned', error = 'the app stopped before the job finished', finished_at = ? WHERE state = 'running'`,
      )
      .run(now).changes;
  }

  /** Counts rows a job fetched: called inside the transaction that wrote them (AttendeeStore.upsertAttendees). */
  addFetched(jobId: number, rows: number): void {
    this.progress.run(rows, null, jobId);
  }

  setJobExpectedTotal(jobId: number, total: number | null): void {
    if (total !== null) this.progress.run(0, total, jobId);
  }
}
