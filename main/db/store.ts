// The mirror's SQL (integrations, events, jobs, provider-owned attendees). With desk-store.ts
// (the desk's local state) the only modules that write SQL; everything else calls these typed functions.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import type {
  Attendee,
  AttendeeCounts,
  AttendeeStatus,
  Integration,
  IntegrationStatus,
  ProviderKind,
  ProviderOwnedAttendeeFields,
  StatusTransition,
  SyncedEvent,
  SyncJob,
  SyncJobKind,
  SyncJobState,
  SyncRepair,
  SyncRepairTrigger,
} from '../../shared/types.ts';
import { VENUE_EVENT_REASON, type SyncStatus } from '../../shared/sync-status.ts';
import type { ProviderAttendee, ProviderEvent } from '../providers/types.ts';

interface IntegrationRow {
  id: number;
  provider: ProviderKind;
  account_id: string;
  account_email: string;
  account_name: string;
  status: IntegrationStatus;
  status_reason: string | null;
  secret_ref: string;
  created_at: string;
  updated_at: string;
}

interface EventRow {
  id: number;
  /** Null for an event mirrored from the venue's poller (no account on this station). */
  integration_id: number | null;
  provider: ProviderKind;
  provider_event_id: string;
  name: string;
  starts_at: string | null;
  ends_at: string | null;
  timezone: string | null;
  url: string | null;
  status: SyncStatus;
  status_reason: string | null;
  status_changed_at: string;
  last_error: string | null;
  last_error_at: string | null;
  last_synced_at: string | null;
  import_completed_at: string | null;
  sync_watermark: string | null;
}

interface JobRow {
  id: number;
  event_id: number;
  kind: SyncJobKind;
  state: SyncJobState;
  started_at: string;
  finished_at: string | null;
  fetched: number;
  expected_total: number | null;
  error: string | null;
}

interface SyncRepairRow {
  id: number;
  event_id: number;
  at: string;
  trigger: SyncRepairTrigger;
  provider_attending: number | null;
  provider_not_attending: number | null;
  mirror_attending: number | null;
  mirror_not_attending: number | null;
  changed: number;
  removed: number;
}

interface AttendeeRow {
  id: number;
  event_id: number;
  provider_attendee_id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string;
  email: string | null;
  company: string | null;
  job_title: string | null;
  ticket_name: string | null;
  other_ticket_names: string | null;
  order_id: string | null;
  barcode: string | null;
  status: AttendeeStatus;
  provider_status: string | null;
  registered_at: string | null;
  provider_updated_at: string | null;
  vip: number | null;
  checkin_at: string | null;
  checkin_station: string | null;
}

/**
 * An attendee row with its local state (VIP, current check-in): every read of attendees selects
 * this, so each Attendee carries the same fields wherever it comes from. Alias `a` is attendees.
 */
const ATTENDEE_COLUMNS = 'a.*, l.vip, c.at AS checkin_at, c.station AS checkin_station';
const ATTENDEE_LOCAL_JOINS = `LEFT JOIN attendee_local l ON l.attendee_id = a.id
  LEFT JOIN attendee_checkin c ON c.attendee_id = a.id AND c.checked_in = 1`;
export const ATTENDEE_SELECT = `SELECT ${ATTENDEE_COLUMNS} FROM attendees a ${ATTENDEE_LOCAL_JOINS}`;

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
      statement = this.db.prepare<number[], AttendeeRow>(`${ATTENDEE_SELECT} WHERE a.id IN (${Array(ids.length).fill('?').join(', ')})`);
      this.byCount.set(ids.length, statement);
    }
    const rows = new Map(statement.all(...ids).map((r) => [r.id, toAttendee(r)] as const));
    return ids.map((id) => rows.get(id)).filter((a): a is Attendee => a !== undefined);
  }
}

/** An event as the mirror holds it; the engine's timing (next attempt, ETA) is added by the core. */
export type StoredEvent = Omit<SyncedEvent, 'nextAttemptAt' | 'importEta' | 'syncVia'>;

/** The provider status text of a row a complete listing no longer returned. */
export const REMOVED_ON_PROVIDER = 'Removed on provider';

export interface EventSyncState {
  integrationId: number;
  provider: ProviderKind;
  providerEventId: string;
  status: SyncStatus;
  importCompletedAt: string | null;
  syncWatermark: string | null;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Ids of rows that were inserted or whose provider fields changed. */
  changedIds: number[];
}

function toIntegration(r: IntegrationRow): Integration {
  return {
    id: r.id,
    provider: r.provider,
    accountId: r.account_id,
    accountEmail: r.account_email,
    accountName: r.account_name,
    status: r.status,
    statusReason: r.status_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toJob(r: JobRow): SyncJob {
  return {
    id: r.id,
    eventId: r.event_id,
    kind: r.kind,
    state: r.state,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    fetched: r.fetched,
    expectedTotal: r.expected_total,
    error: r.error,
  };
}

export type { AttendeeRow };

export function toAttendee(r: AttendeeRow): Attendee {
  return {
    id: r.id,
    eventId: r.event_id,
    ...providerOwnedFields(r),
    vip: r.vip === 1,
    checkedIn: r.checkin_at !== null && r.checkin_station !== null ? { at: r.checkin_at, station: r.checkin_station } : null,
  };
}

// Provider-owned columns, in one list so the insert, the update and the "did anything change"
// test can never drift apart.
const PROVIDER_COLUMNS = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'company',
  'job_title',
  'ticket_name',
  'other_ticket_names',
  'order_id',
  'barcode',
  'status',
  'provider_status',
  'provider_checked_in',
  'registered_at',
  'provider_updated_at',
] as const;

function providerValues(a: ProviderAttendee): (string | number | null)[] {
  return [
    a.firstName,
    a.lastName,
    a.fullName,
    a.email,
    a.company,
    a.jobTitle,
    a.ticketName,
    otherTicketNamesColumn(a.otherTicketNames),
    a.orderId,
    a.barcode,
    a.status,
    a.providerStatus,
    a.providerCheckedIn ? 1 : 0,
    a.registeredAt,
    a.providerUpdatedAt,
  ];
}

/** The provider-owned columns of an attendee row, in the one mapping every read uses. */
type ProviderColumnsRow = Omit<AttendeeRow, 'id' | 'event_id' | 'vip' | 'checkin_at' | 'checkin_station'>;

function providerOwnedFields(r: ProviderColumnsRow): ProviderOwnedAttendeeFields {
  return {
    providerAttendeeId: r.provider_attendee_id,
    firstName: r.first_name,
    lastName: r.last_name,
    fullName: r.full_name,
    email: r.email,
    company: r.company,
    jobTitle: r.job_title,
    ticketName: r.ticket_name,
    otherTicketNames: otherTicketNamesFromColumn(r.other_ticket_names),
    orderId: r.order_id,
    barcode: r.barcode,
    status: r.status,
    providerStatus: r.provider_status,
    registeredAt: r.registered_at,
    providerUpdatedAt: r.provider_updated_at,
  };
}

type ProviderRecordRow = ProviderColumnsRow & { provider_checked_in: number };

function toProviderRecord(r: ProviderRecordRow): ProviderAttendee {
  return { ...providerOwnedFields(r), providerCheckedIn: r.provider_checked_in === 1 };
}

/** Stored as a JSON array, NULL when there are none (nearly every row), so one ticket costs nothing. */
function otherTicketNamesColumn(names: readonly string[] | undefined): string | null {
  return names && names.length > 0 ? JSON.stringify(names) : null;
}

function otherTicketNamesFromColumn(column: string | null): string[] {
  if (column === null) return [];
  try {
    const parsed: unknown = JSON.parse(column);
    return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    // Only this code writes the column; an unreadable value hides the extra names, not the row.
    return [];
  }
}

export class MirrorStore {
  readonly db: Db;
  private readonly upsertAttendee;
  private readonly jobProgress;
  private readonly unlistedFirst;
  private readonly unlistedAfter;
  private readonly markRemovedRow;
  private changeSeq: number;

  constructor(db: Db) {
    this.db = db;
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
    this.changeSeq = (db.prepare('SELECT max(change_seq) AS s FROM attendees').get() as { s: number | null }).s ?? 0;
    this.jobProgress = db.prepare('UPDATE sync_jobs SET fetched = fetched + ?, expected_total = COALESCE(?, expected_total) WHERE id = ?');
    type ListedRow = { id: number; provider_attendee_id: string; status: string };
    const slice = 'SELECT id, provider_attendee_id, status FROM attendees WHERE event_id = ?';
    const order = 'ORDER BY provider_attendee_id LIMIT ?';
    this.unlistedFirst = db.prepare<[number, number], ListedRow>(`${slice} ${order}`);
    this.unlistedAfter = db.prepare<[number, string, number], ListedRow>(`${slice} AND provider_attendee_id > ? ${order}`);
    this.markRemovedRow = db.prepare(
      `UPDATE attendees SET status = 'NOT_ATTENDING', provider_status = ?, synced_at = ?, change_seq = ?
       WHERE id = ? AND event_id = ? AND status <> 'NOT_ATTENDING'`,
    );
  }

  // ---- integrations ----

  upsertIntegration(input: {
    provider: ProviderKind;
    accountId: string;
    accountEmail: string;
    accountName: string;
    secretRef: string;
    now: string;
  }): Integration {
    const row = this.db
      .prepare<unknown[], IntegrationRow>(
        `INSERT INTO integrations (provider, account_id, account_email, account_name, status, status_reason, secret_ref, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'CONNECTED', NULL, ?, ?, ?)
         ON CONFLICT (provider, account_id) DO UPDATE SET
           account_email = excluded.account_email, account_name = excluded.account_name,
           status = 'CONNECTED', status_reason = NULL, secret_ref = excluded.secret_ref, updated_at = excluded.updated_at
         RETURNING *`,
      )
      .get(input.provider, input.accountId, input.accountEmail, input.accountName, input.secretRef, input.now, input.now);
    return toIntegration(row!);
  }

  getIntegration(id: number): (Integration & { secretRef: string }) | undefined {
    const row = this.db.prepare<[number], IntegrationRow>('SELECT * FROM integrations WHERE id = ?').get(id);
    return row ? { ...toIntegration(row), secretRef: row.secret_ref } : undefined;
  }

  listIntegrations(): Integration[] {
    return this.db.prepare<[], IntegrationRow>('SELECT * FROM integrations ORDER BY id').all().map(toIntegration);
  }

  setIntegrationStatus(id: number, status: IntegrationStatus, reason: string | null, now: string): void {
    this.db
      .prepare('UPDATE integrations SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?')
      .run(status, reason, now, id);
  }

  countEventsOfIntegration(id: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events WHERE integration_id = ?').get(id) as { n: number }).n;
  }

  deleteIntegration(id: number): void {
    this.db.prepare('DELETE FROM integrations WHERE id = ?').run(id);
  }

  // ---- events ----

  findEventByProviderId(provider: ProviderKind, providerEventId: string): number | undefined {
    const row = this.db
      .prepare<[string, string], { id: number }>('SELECT id FROM events WHERE provider = ? AND provider_event_id = ?')
      .get(provider, providerEventId);
    return row?.id;
  }

  /** Adds an event in PENDING and records its first status, in one transaction. */
  insertEvent(integration: Integration, e: ProviderEvent, reason: string, now: string): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO events (integration_id, provider, provider_event_id, name, starts_at, ends_at, timezone, url,
             status, status_reason, status_changed_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)`,
        )
        .run(integration.id, integration.provider, e.providerEventId, e.name, e.startsAt, e.endsAt, e.timezone, e.url, reason, now, now);
      const id = Number(lastInsertRowid);
      this.db
        .prepare('INSERT INTO status_history (event_id, from_status, to_status, reason, at) VALUES (?, NULL, ?, ?, ?)')
        .run(id, 'PENDING', reason, now);
      return id;
    })();
  }

  /**
   * What the sync engine needs of an event this station syncs itself; undefined for an event it
   * does not have, or one mirrored from the venue without an account here (nothing to poll with).
   */
  /**
   * Adds an event the venue's poller mirrors (issue 17): no integration here, DISCONNECTED ("no
   * account on this desk") so live sync leaves it alone and Reconnect can give it an account.
   */
  insertVenueEvent(provider: ProviderKind, e: ProviderEvent, now: string): number {
    return this.db.transaction(() => {
      const reason = VENUE_EVENT_REASON;
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO events (integration_id, provider, provider_event_id, name, starts_at, ends_at, timezone, url,
             status, status_reason, status_changed_at, created_at)
           VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, 'DISCONNECTED', ?, ?, ?)`,
        )
        .run(provider, e.providerEventId, e.name, e.startsAt, e.endsAt, e.timezone, e.url, reason, now, now);
      const id = Number(lastInsertRowid);
      this.db
        .prepare('INSERT INTO status_history (event_id, from_status, to_status, reason, at) VALUES (?, NULL, ?, ?, ?)')
        .run(id, 'DISCONNECTED', reason, now);
      return id;
    })();
  }

  /** The event's sync status, whether or not this station syncs it itself. */
  eventStatus(eventId: number): SyncStatus | undefined {
    return this.db.prepare<[number], { status: SyncStatus }>('SELECT status FROM events WHERE id = ?').get(eventId)?.status;
  }

  /** The newest provider stamp (`changed`, `updated_at`) among the event's rows, as the provider wrote it; null when none. */
  newestProviderStamp(eventId: number): string | null {
    return this.db.prepare<[number], { t: string | null }>('SELECT MAX(provider_updated_at) AS t FROM attendees WHERE event_id = ?').get(eventId)?.t ?? null;
  }

  /** Whether this station holds an account for the event (it can poll it itself). */
  eventHasIntegration(eventId: number): boolean {
    return this.db.prepare<[number], { i: number | null }>('SELECT integration_id AS i FROM events WHERE id = ?').get(eventId)?.i != null;
  }

  eventSyncState(eventId: number): EventSyncState | undefined {
    const r = this.db.prepare<[number], EventRow>('SELECT * FROM events WHERE id = ?').get(eventId);
    if (!r || r.integration_id === null) return undefined;
    return {
      integrationId: r.integration_id,
      provider: r.provider,
      providerEventId: r.provider_event_id,
      status: r.status,
      importCompletedAt: r.import_completed_at,
      syncWatermark: r.sync_watermark,
    };
  }

  eventName(eventId: number): string | undefined {
    return this.db.prepare<[number], { name: string }>('SELECT name FROM events WHERE id = ?').get(eventId)?.name;
  }

  getEvent(eventId: number): StoredEvent | undefined {
    const r = this.db.prepare<[number], EventRow>('SELECT * FROM events WHERE id = ?').get(eventId);
    return r ? this.toEvent(r) : undefined;
  }

  listEvents(): StoredEvent[] {
    return this.db
      .prepare<[], EventRow>('SELECT * FROM events ORDER BY starts_at IS NULL, starts_at, id')
      .all()
      .map((r) => this.toEvent(r));
  }

  eventIdsWithStatus(status: SyncStatus): number[] {
    return this.db
      .prepare<[string], { id: number }>('SELECT id FROM events WHERE status = ? ORDER BY id')
      .all(status)
      .map((r) => r.id);
  }

  /** Events of the integration that live sync polls (ACTIVE or FAILED). */
  liveEventCountOfIntegration(integrationId: number): number {
    return (
      this.db
        .prepare(`SELECT count(*) AS n FROM events WHERE integration_id = ? AND status IN ('ACTIVE', 'FAILED')`)
        .get(integrationId) as { n: number }
    ).n;
  }

  eventIdsOfIntegration(integrationId: number): number[] {
    return this.db
      .prepare<[number], { id: number }>('SELECT id FROM events WHERE integration_id = ? ORDER BY id')
      .all(integrationId)
      .map((r) => r.id);
  }

  private toEvent(r: EventRow): StoredEvent {
    return {
      id: r.id,
      integrationId: r.integration_id,
      provider: r.provider,
      providerEventId: r.provider_event_id,
      name: r.name,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      timezone: r.timezone,
      url: r.url,
      status: r.status,
      statusReason: r.status_reason,
      statusChangedAt: r.status_changed_at,
      lastErrorAt: r.last_error_at,
      lastError: r.last_error,
      lastSyncedAt: r.last_synced_at,
      importCompletedAt: r.import_completed_at,
      activeJob: this.activeJob(r.id) ?? null,
      counts: this.attendeeCounts(r.id),
    };
  }

  /** Writes a status change and its history row atomically. Legality is the status machine's job. */
  writeStatus(eventId: number, from: SyncStatus, to: SyncStatus, reason: string, now: string, error?: { message: string }): void {
    this.db.transaction(() => {
      const res = this.db
        .prepare(
          `UPDATE events SET status = ?, status_reason = ?, status_changed_at = ?,
             last_error = CASE WHEN ? IS NULL THEN last_error ELSE ? END,
             last_error_at = CASE WHEN ? IS NULL THEN last_error_at ELSE ? END
           WHERE id = ? AND status = ?`,
        )
        .run(to, reason, now, error?.message ?? null, error?.message ?? null, error ? now : null, error ? now : null, eventId, from);
      if (res.changes !== 1) throw new Error(`event ${eventId} is no longer ${from}`);
      this.db
        .prepare('INSERT INTO status_history (event_id, from_status, to_status, reason, at) VALUES (?, ?, ?, ?, ?)')
        .run(eventId, from, to, reason, now);
    })();
  }

  recordError(eventId: number, message: string, now: string): void {
    this.db.prepare('UPDATE events SET last_error = ?, last_error_at = ? WHERE id = ?').run(message, now, eventId);
  }

  statusHistory(eventId: number): StatusTransition[] {
    return this.db
      .prepare<[number], { id: number; event_id: number; from_status: SyncStatus | null; to_status: SyncStatus; reason: string; at: string }>(
        'SELECT * FROM status_history WHERE event_id = ? ORDER BY id',
      )
      .all(eventId)
      .map((r) => ({ id: r.id, eventId: r.event_id, from: r.from_status, to: r.to_status, reason: r.reason, at: r.at }));
  }

  setEventIntegration(eventId: number, integrationId: number): void {
    this.db.prepare('UPDATE events SET integration_id = ? WHERE id = ?').run(integrationId, eventId);
  }

  updateEventDetails(eventId: number, e: ProviderEvent): void {
    this.db
      .prepare('UPDATE events SET name = ?, starts_at = ?, ends_at = ?, timezone = ?, url = ? WHERE id = ?')
      .run(e.name, e.startsAt, e.endsAt, e.timezone, e.url, eventId);
  }

  markSynced(eventId: number, now: string, watermark: string | null, importCompleted: boolean): void {
    this.db
      .prepare(
        `UPDATE events SET last_synced_at = ?, sync_watermark = COALESCE(?, sync_watermark),
           import_completed_at = CASE WHEN ? THEN ? ELSE import_completed_at END WHERE id = ?`,
      )
      .run(now, watermark, importCompleted ? 1 : 0, now, eventId);
  }

  // ---- jobs ----

  startJob(eventId: number, kind: SyncJobKind, now: string): SyncJob {
    const row = this.db
      .prepare<unknown[], JobRow>(`INSERT INTO sync_jobs (event_id, kind, state, started_at) VALUES (?, ?, 'running', ?) RETURNING *`)
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
    return this.db.prepare<[number], JobRow>('SELECT * FROM sync_jobs WHERE event_id = ? ORDER BY id').all(eventId).map(toJob);
  }

  finishJob(jobId: number, state: Exclude<SyncJobState, 'running'>, error: string | null, now: string): void {
    this.db
      .prepare(`UPDATE sync_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state = 'running'`)
      .run(state, error, now, jobId);
  }

  /**
   * Jobs left "running" by a process that died. Called once at start-up, before any job starts:
   * they are marked abandoned, so their events show "Import failed" with Retry.
   */
  abandonRunningJobs(now: string): number {
    return this.db
      .prepare(`UPDATE sync_jobs SET state = 'abandoned', error = 'the app stopped before the job finished', finished_at = ? WHERE state = 'running'`)
      .run(now).changes;
  }

  // ---- attendees ----

  /**
   * Upserts one page of provider rows in one short transaction, and advances the job's progress
   * in the same transaction, so a crash can never leave counts and rows disagreeing.
   * Only provider-owned columns are written.
   */
  upsertAttendees(eventId: number, rows: readonly ProviderAttendee[], jobId: number | null, now: string): UpsertResult {
    return this.db.transaction(() => {
      const result: UpsertResult = { inserted: 0, updated: 0, changedIds: [] };
      const seq = ++this.changeSeq;
      for (const a of rows) {
        const r = this.upsertAttendee.get(eventId, a.providerAttendeeId, ...providerValues(a), null, now, seq, seq, seq, seq);
        if (!r) continue; // listed again, unchanged
        if (r.inserted) result.inserted++;
        else if (r.changed) result.updated++;
        if (r.changed) result.changedIds.push(r.id);
      }
      if (jobId !== null) this.jobProgress.run(rows.length, null, jobId);
      return result;
    })();
  }

  setJobExpectedTotal(jobId: number, total: number | null): void {
    if (total !== null) this.jobProgress.run(0, total, jobId);
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
      cursor === null ? this.unlistedFirst.all(eventId, limit) : this.unlistedAfter.all(eventId, cursor, limit);
    const unlisted = rows.filter((r) => r.status !== 'NOT_ATTENDING' && !listedIds.has(r.provider_attendee_id)).map((r) => r.id);
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
      return ids.filter((id) => this.markRemovedRow.run(REMOVED_ON_PROVIDER, now, seq, id, eventId).changes === 1);
    })();
  }

  /** Counts by status of the rows the provider still lists (what its own counts can be compared with). */
  listedCounts(eventId: number): { attending: number; notAttending: number } {
    const row = this.db
      .prepare<[string, number], { attending: number | null; notAttending: number | null }>(
        `SELECT sum(status = 'ATTENDING') AS attending,
                sum(status = 'NOT_ATTENDING' AND provider_status IS NOT ?) AS notAttending
         FROM attendees WHERE event_id = ?`,
      )
      .get(REMOVED_ON_PROVIDER, eventId);
    return { attending: row?.attending ?? 0, notAttending: row?.notAttending ?? 0 };
  }

  recordSyncRepair(repair: Omit<SyncRepair, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO sync_repairs (event_id, at, trigger, provider_attending, provider_not_attending,
           mirror_attending, mirror_not_attending, changed, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        repair.eventId,
        repair.at,
        repair.trigger,
        repair.providerCounts?.attending ?? null,
        repair.providerCounts?.notAttending ?? null,
        repair.mirrorCounts?.attending ?? null,
        repair.mirrorCounts?.notAttending ?? null,
        repair.changed,
        repair.removed,
      );
  }

  syncRepairs(eventId: number): SyncRepair[] {
    return this.db
      .prepare<[number], SyncRepairRow>('SELECT * FROM sync_repairs WHERE event_id = ? ORDER BY id')
      .all(eventId)
      .map((r) => ({
        id: r.id,
        eventId: r.event_id,
        at: r.at,
        trigger: r.trigger,
        providerCounts:
          r.provider_attending === null || r.provider_not_attending === null
            ? null
            : { attending: r.provider_attending, notAttending: r.provider_not_attending },
        mirrorCounts:
          r.mirror_attending === null || r.mirror_not_attending === null
            ? null
            : { attending: r.mirror_attending, notAttending: r.mirror_not_attending },
        changed: r.changed,
        removed: r.removed,
      }));
  }

  attendeeCounts(eventId: number): AttendeeCounts {
    const rows = this.db
      .prepare<[number], { status: AttendeeStatus; n: number }>('SELECT status, count(*) AS n FROM attendees WHERE event_id = ? GROUP BY status')
      .all(eventId);
    const by = (s: AttendeeStatus) => rows.find((r) => r.status === s)?.n ?? 0;
    const counts = { attending: by('ATTENDING'), notAttending: by('NOT_ATTENDING'), notYetAttending: by('NOT_YET_ATTENDING') };
    const checkedIn = (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM attendee_checkin c JOIN attendees a ON a.id = c.attendee_id
           WHERE c.event_id = ? AND c.checked_in = 1 AND a.status = 'ATTENDING'`,
        )
        .get(eventId) as { n: number }
    ).n;
    return { ...counts, total: counts.attending + counts.notAttending + counts.notYetAttending, checkedIn };
  }

  getAttendee(attendeeId: number): Attendee | undefined {
    const row = this.db
      .prepare<[number], AttendeeRow>(`${ATTENDEE_SELECT} WHERE a.id = ?`)
      .get(attendeeId);
    return row ? toAttendee(row) : undefined;
  }

  findAttendeeByProviderId(eventId: number, providerAttendeeId: string): Attendee | undefined {
    const row = this.db
      .prepare<[number, string], AttendeeRow>(
        `${ATTENDEE_SELECT} WHERE a.event_id = ? AND a.provider_attendee_id = ?`,
      )
      .get(eventId, providerAttendeeId);
    return row ? toAttendee(row) : undefined;
  }

  providerAttendeeIds(eventId: number): string[] {
    return this.db
      .prepare<[number], { provider_attendee_id: string }>('SELECT provider_attendee_id FROM attendees WHERE event_id = ? ORDER BY provider_attendee_id')
      .all(eventId)
      .map((r) => r.provider_attendee_id);
  }

  /**
   * The provider-owned fields of attendees (the venue roster's records), by provider attendee id:
   * the rows of these local ids, or every row of the event when `ids` is omitted.
   */
  providerRecords(eventId: number, ids?: readonly number[]): Map<string, ProviderAttendee> {
    const out = new Map<string, ProviderAttendee>();
    const select = `SELECT provider_attendee_id, ${PROVIDER_COLUMNS.join(', ')} FROM attendees WHERE event_id = ?`;
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
  providerRecordsByProviderId(eventId: number, providerAttendeeIds: readonly string[]): Map<string, ProviderAttendee> {
    const out = new Map<string, ProviderAttendee>();
    const one = this.db.prepare<[number, string], ProviderRecordRow>(
      `SELECT provider_attendee_id, ${PROVIDER_COLUMNS.join(', ')} FROM attendees WHERE event_id = ? AND provider_attendee_id = ?`,
    );
    for (const pid of providerAttendeeIds) {
      const r = one.get(eventId, pid);
      if (r) out.set(pid, toProviderRecord(r));
    }
    return out;
  }

  /** Local state: only the desk writes it. */
  setVip(attendeeId: number, vip: boolean, now: string): void {
    this.db
      .prepare(
        `INSERT INTO attendee_local (attendee_id, vip, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (attendee_id) DO UPDATE SET vip = excluded.vip, updated_at = excluded.updated_at`,
      )
      .run(attendeeId, vip ? 1 : 0, now);
  }
}
