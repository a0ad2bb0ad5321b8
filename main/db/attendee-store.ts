// The attendees table's provider-owned rows: a provider listing's upserts, the rows it no longer
// lists, counts, reads with local state, the roster's records, and the VIP flag (attendee_local).
// The desk's own tables (check-ins) are desk-store.ts and venue-store.ts.
import type { Statement } from 'better-sqlite3';
import { StatementCachingStore } from './statement-cache.ts';
import type { Db } from './open.ts';
import type { Attendee, AttendeeCounts, AttendeeStatus } from '../../shared/types.ts';
import type { ProviderAttendee } from '../providers/types.ts';
import { companyLine } from '../../shared/answers.ts';
import {
  ATTENDEE_SELECT,
  PROVIDER_COLUMNS,
  answersFromColumn,
  providerValues,
  toAttendee,
  toProviderRecord,
  type AttendeeRow,
  type ProviderRecordRow,
} from './mirror-rows.ts';
import type { JobStore } from './job-store.ts';
import { isWalkInId } from '../../shared/door.ts';

/** SQL: the row is a provider's, not a walk-in's (walk-in ids sort in this range of the unique index). */
const PROVIDER_ROW = `NOT (provider_attendee_id >= 'walk-in:' AND provider_attendee_id < 'walk-in;')`;

/**
 * Full attendee rows for a list of ids, in the order given: the desk's search and the event
 * page's list read their rows so, a page at a time. One prepared statement per count, kept (both
 * ask per keystroke or per scrolled page).
 */
export class AttendeeRowsById {
  private readonly byCount = new Map<number, Statement<number[], AttendeeRow>>();
  constructor(private readonly db: Db) {}

  get(ids: readonly number[]): Attendee[] {
    if (ids.length === 0) return [];
    let statement = this.byCount.get(ids.length);
    if (!statement) {
      statement = this.db.prepare<number[], AttendeeRow>(
        `${ATTENDEE_SELECT} WHERE a.id IN (${Array(ids.length).fill('?').join(', ')})`,
      );
      this.byCount.set(ids.length, statement);
    }
    const rows = new Map(statement.all(...ids).map((r) => [r.id, toAttendee(r)] as const));
    return ids.map((id) => rows.get(id)).filter((a): a is Attendee => a !== undefined);
  }
}

/** The provider status text of a row a complete listing no longer returned. */
export const REMOVED_ON_PROVIDER = 'Removed on provider';

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Ids of rows that were inserted or whose provider fields changed. */
  changedIds: number[];
}

export class AttendeeStore extends StatementCachingStore {
  private readonly upsertAttendee;
  private readonly unlistedFirst;
  private readonly unlistedAfter;
  private readonly markRemovedRow;
  private changeSeq: number;

  constructor(
    db: Db,
    private readonly jobs: JobStore,
    /** The event's company question (answer-store.ts), applied to every row a sync or the roster writes. */
    private readonly companyQuestionOf: (eventId: number) => string | null,
  ) {
    super(db);
    const cols = PROVIDER_COLUMNS.join(', ');
    const params = PROVIDER_COLUMNS.map(() => '?').join(', ');
    const sets = PROVIDER_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ');
    const differs = PROVIDER_COLUMNS.map((c) => `attendees.${c} IS NOT excluded.${c}`).join(' OR ');
    // Only a change to a provider column counts as a change (and is reported to the desk). A row
    // that did not change is not written at all (the DO UPDATE's WHERE; RETURNING then gives no
    // row): live sync of a Luma event lists every guest on every pass, and rewrote them all.
    // seen_in_job (migration 001) is no longer stamped: removals are found from the listed ids
    // (markUnlistedAsRemoved), so a re-import does not rewrite every unchanged row either.
    this.upsertAttendee = db.prepare<unknown[], { id: number; changed: number; inserted: number }>(`
      INSERT INTO attendees (event_id, provider_attendee_id, ${cols}, seen_in_job, synced_at, change_seq, inserted_seq)
      VALUES (?, ?, ${params}, ?, ?, ?, ?)
      ON CONFLICT (event_id, provider_attendee_id) DO UPDATE SET
        ${sets},
        seen_in_job = COALESCE(excluded.seen_in_job, attendees.seen_in_job),
        synced_at = CASE WHEN ${differs} THEN excluded.synced_at ELSE attendees.synced_at END,
        change_seq = CASE WHEN ${differs} THEN excluded.change_seq ELSE attendees.change_seq END
      WHERE ${differs} OR (excluded.seen_in_job IS NOT NULL AND excluded.seen_in_job IS NOT attendees.seen_in_job)
      RETURNING id, change_seq = ? AS changed, inserted_seq = ? AS inserted`);
    this.changeSeq =
      (db.prepare('SELECT max(change_seq) AS s FROM attendees').get() as { s: number | null }).s ?? 0;
    type ListedRow = { id: number; provider_attendee_id: string; status: string };
    const slice = 'SELECT id, provider_attendee_id, status FROM attendees WHERE event_id = ?';
    const order = 'ORDER BY provider_attendee_id LIMIT ?';
    this.unlistedFirst = db.prepare<[number, number], ListedRow>(`${slice} ${order}`);
    this.unlistedAfter = db.prepare<[number, string, number], ListedRow>(
      `${slice} AND provider_attendee_id > ? ${order}`,
    );
    this.markRemovedRow = db.prepare(
      `UPDATE attendees SET status = 'NOT_ATTENDING', provider_status = ?, synced_at = ?, change_seq = ?
       WHERE id = ? AND event_id = ? AND status <> 'NOT_ATTENDING'`,
    );
  }

  /**
   * Upserts one page of provider rows in one short transaction, and advances the job's progress
   * in the same transaction, so a crash can never leave counts and rows disagreeing.
   * Only provider-owned columns are written.
   */
  upsertAttendees(
    eventId: number,
    rows: readonly ProviderAttendee[],
    jobId: number | null,
    now: string,
  ): UpsertResult {
    return this.db.transaction(() => {
      const result: UpsertResult = { inserted: 0, updated: 0, changedIds: [] };
      const seq = ++this.changeSeq;
      const companyQuestion = this.companyQuestionOf(eventId);
      for (const a of rows) {
        // A walk-in belongs to this app: no provider record may write over one (shared/door.ts).
        if (isWalkInId(a.providerAttendeeId)) continue;
        const r = this.upsertAttendee.get(
          eventId,
          a.providerAttendeeId,
          ...providerValues(a, companyQuestion),
          null,
          now,
          seq,
          seq,
          seq,
          seq,
        );
        if (!r) continue; // listed again, unchanged
        if (r.inserted) result.inserted++;
        else if (r.changed) result.updated++;
        if (r.changed) result.changedIds.push(r.id);
      }
      if (jobId !== null) this.jobs.addFetched(jobId, rows.length);
      return result;
    })();
  }

  /**
   * After a complete listing (an import, a Sync's full listing, a Luma live pass), rows the
   * provider no longer lists are kept, marked NOT_ATTENDING "Removed on provider". Finding them
   * reads the whole event, so it is done a slice at a time (the engine yields between slices:
   * at 100,000 rows one read and filter held the event loop for 400 ms): this returns, of at most
   * `limit` rows of the event after `cursor` in the unique (event_id, provider_attendee_id)
   * index's order, the ids of those not listed and not already NOT_ATTENDING, and the cursor of
   * the next slice (null when the event has been read to its end). Reads only.
   */
  unlistedSlice(
    eventId: number,
    listedIds: ReadonlySet<string>,
    cursor: string | null,
    limit: number,
  ): { unlisted: number[]; next: string | null } {
    // The limit counts rows of the index walked, not rows kept, so a slice stays small however
    // many of the event's rows are already NOT_ATTENDING.
    const rows =
      cursor === null
        ? this.unlistedFirst.all(eventId, limit)
        : this.unlistedAfter.all(eventId, cursor, limit);
    const unlisted = rows
      .filter(
        (r) =>
          r.status !== 'NOT_ATTENDING' &&
          !listedIds.has(r.provider_attendee_id) &&
          // A walk-in is never listed by the provider, and never removed by its listing.
          !isWalkInId(r.provider_attendee_id),
      )
      .map((r) => r.id);
    return { unlisted, next: rows.length < limit ? null : rows[rows.length - 1]!.provider_attendee_id };
  }

  /**
   * Marks rows that a complete listing did not list (found by unlistedSlice) as removed on the
   * provider, in one transaction; a row already NOT_ATTENDING is left as it is. Returns the ids
   * it marked.
   */
  markRemoved(eventId: number, ids: readonly number[], now: string): number[] {
    if (ids.length === 0) return [];
    return this.db.transaction(() => {
      const seq = ++this.changeSeq;
      return ids.filter(
        (id) => this.markRemovedRow.run(REMOVED_ON_PROVIDER, now, seq, id, eventId).changes === 1,
      );
    })();
  }

  /**
   * The event's company question changed: every row's company line again (the chosen answer,
   * else the provider's company), in one transaction. Returns the ids whose line changed.
   */
  applyCompanyQuestion(eventId: number, companyQuestion: string | null, now: string): number[] {
    type Row = {
      id: number;
      company: string | null;
      provider_company: string | null;
      answers: string | null;
    };
    return this.db.transaction(() => {
      const seq = ++this.changeSeq;
      const update = this.db.prepare(
        'UPDATE attendees SET company = ?, synced_at = ?, change_seq = ? WHERE id = ?',
      );
      const changed: number[] = [];
      for (const r of this.db
        .prepare<[number], Row>(
          'SELECT id, company, provider_company, answers FROM attendees WHERE event_id = ?',
        )
        .all(eventId)) {
        const line = companyLine(r.provider_company, answersFromColumn(r.answers), companyQuestion);
        if (line === r.company) continue;
        update.run(line, now, seq, r.id);
        changed.push(r.id);
      }
      return changed;
    })();
  }

  /** The registration answers of the event's rows, counted by question (Settings lists the event's questions). */
  answeredQuestions(
    eventId: number,
  ): { questionId: string | null; label: string; type: string | null; answered: number }[] {
    return this.db
      .prepare<
        [number],
        { questionId: string | null; label: string | null; type: string | null; answered: number }
      >(
        `SELECT json_extract(j.value, '$.questionId') AS questionId, json_extract(j.value, '$.label') AS label,
                json_extract(j.value, '$.type') AS type, count(*) AS answered
         FROM attendees a, json_each(a.answers) j
         WHERE a.event_id = ? AND a.answers IS NOT NULL AND json_valid(a.answers)
         GROUP BY 1, 2, 3 ORDER BY min(a.id), min(j.key)`,
      )
      .all(eventId)
      .filter((q): q is typeof q & { label: string } => typeof q.label === 'string')
      .map((q) => ({ ...q, questionId: typeof q.questionId === 'string' ? q.questionId : null }));
  }

  /** Counts by status of the rows the provider still lists (what its own counts can be compared with). */
  listedCounts(eventId: number): { attending: number; notAttending: number } {
    const row = this.cached<[string, number], { attending: number | null; notAttending: number | null }>(
      `SELECT sum(status = 'ATTENDING') AS attending,
                sum(status = 'NOT_ATTENDING' AND provider_status IS NOT ?) AS notAttending
         FROM attendees WHERE event_id = ? AND ${PROVIDER_ROW}`,
    ).get(REMOVED_ON_PROVIDER, eventId);
    return { attending: row?.attending ?? 0, notAttending: row?.notAttending ?? 0 };
  }

  attendeeCounts(eventId: number): AttendeeCounts {
    // Read off the counts kept with each row (migration 014), not the event's rows.
    const rows = this.cached<[number], { status: AttendeeStatus; n: number }>(
      'SELECT status, sum(n) AS n FROM attendee_tally WHERE event_id = ? GROUP BY status',
    ).all(eventId);
    const by = (s: AttendeeStatus) => rows.find((r) => r.status === s)?.n ?? 0;
    // A walk-in linked to the provider's record of the same person is that person: counted once.
    const linked = (
      this.cached('SELECT count(*) AS n FROM attendee_door WHERE event_id = ? AND linked_to IS NOT NULL').get(
        eventId,
      ) as { n: number }
    ).n;
    const counts = {
      attending: by('ATTENDING'),
      notAttending: by('NOT_ATTENDING') - linked,
      notYetAttending: by('NOT_YET_ATTENDING'),
    };
    const checkedIn = (
      this.cached(
        `SELECT coalesce(sum(n), 0) AS n FROM checkin_tally_ticket WHERE event_id = ? AND status = 'ATTENDING'`,
      ).get(eventId) as { n: number }
    ).n;
    return { ...counts, total: counts.attending + counts.notAttending + counts.notYetAttending, checkedIn };
  }

  /** The newest provider stamp (`changed`, `updated_at`) among the event's rows, as the provider wrote it; null when none. */
  newestProviderStamp(eventId: number): string | null {
    return (
      this.cached<[number], { t: string | null }>(
        'SELECT MAX(provider_updated_at) AS t FROM attendees WHERE event_id = ?',
      ).get(eventId)?.t ?? null
    );
  }

  getAttendee(attendeeId: number): Attendee | undefined {
    const row = this.cached<[number], AttendeeRow>(`${ATTENDEE_SELECT} WHERE a.id = ?`).get(attendeeId);
    return row ? toAttendee(row) : undefined;
  }

  findAttendeeByProviderId(eventId: number, providerAttendeeId: string): Attendee | undefined {
    const row = this.cached<[number, string], AttendeeRow>(
      `${ATTENDEE_SELECT} WHERE a.event_id = ? AND a.provider_attendee_id = ?`,
    ).get(eventId, providerAttendeeId);
    return row ? toAttendee(row) : undefined;
  }

  /** Which of these provider attendee ids the event's mirror has. */
  knownProviderIds(eventId: number, providerAttendeeIds: readonly string[]): Set<string> {
    const one = this.cached<[number, string], number>(
      'SELECT 1 FROM attendees WHERE event_id = ? AND provider_attendee_id = ?',
    ).pluck();
    return new Set(providerAttendeeIds.filter((pid) => one.get(eventId, pid) !== undefined));
  }

  /** The highest row id of the event (0: none): rows added later have higher ids. */
  maxAttendeeId(eventId: number): number {
    return (
      this.cached<[number], number | null>('SELECT max(id) FROM attendees WHERE event_id = ?')
        .pluck()
        .get(eventId) ?? 0
    );
  }

  providerAttendeeIds(eventId: number): string[] {
    return this.db
      .prepare<[number], { provider_attendee_id: string }>(
        `SELECT provider_attendee_id FROM attendees WHERE event_id = ? AND ${PROVIDER_ROW} ORDER BY provider_attendee_id`,
      )
      .all(eventId)
      .map((r) => r.provider_attendee_id);
  }

  /**
   * The provider-owned fields of attendees (the venue roster's records), by provider attendee id:
   * the rows of these local ids, or every row of the event when `ids` is omitted.
   */
  providerRecords(eventId: number, ids?: readonly number[]): Map<string, ProviderAttendee> {
    const out = new Map<string, ProviderAttendee>();
    // Provider records only: a walk-in is the desk's own and travels in its own venue entries.
    const select = `SELECT provider_attendee_id, ${PROVIDER_COLUMNS.join(', ')} FROM attendees WHERE event_id = ? AND ${PROVIDER_ROW}`;
    const rows: ProviderRecordRow[] = [];
    if (ids === undefined) rows.push(...this.db.prepare<[number], ProviderRecordRow>(select).all(eventId));
    else {
      const one = this.db.prepare<[number, number], ProviderRecordRow>(`${select} AND id = ?`);
      for (const id of ids) {
        const r = one.get(eventId, id);
        if (r) rows.push(r);
      }
    }
    for (const r of rows) out.set(r.provider_attendee_id, toProviderRecord(r));
    return out;
  }

  /** The same, for these provider attendee ids (those the mirror has). */
  providerRecordsByProviderId(
    eventId: number,
    providerAttendeeIds: readonly string[],
  ): Map<string, ProviderAttendee> {
    const out = new Map<string, ProviderAttendee>();
    const one = this.cached<[number, string], ProviderRecordRow>(
      `SELECT provider_attendee_id, ${PROVIDER_COLUMNS.join(', ')} FROM attendees WHERE event_id = ? AND provider_attendee_id = ? AND ${PROVIDER_ROW}`,
    );
    for (const pid of providerAttendeeIds) {
      const r = one.get(eventId, pid);
      if (r) out.set(pid, toProviderRecord(r));
    }
    return out;
  }

  /** Local state: only the desk writes it. */
  setVip(attendeeId: number, vip: boolean, now: string): void {
    this.cached(
      `INSERT INTO attendee_local (attendee_id, vip, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (attendee_id) DO UPDATE SET vip = excluded.vip, updated_at = excluded.updated_at`,
    ).run(attendeeId, vip ? 1 : 0, now);
  }
}
