// The events table with its status history and sync repairs: an event's details, its sync
// status (written with its history row; legality is the status machine's), the watermark of its
// next incremental pass, and what full listings had to repair.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';
import type { Integration, ProviderKind, StatusTransition, SyncRepair } from '../../shared/types.ts';
import { POLLING_STATUSES, VENUE_EVENT_REASON, type SyncStatus } from '../../shared/sync-status.ts';
import type { ProviderEvent } from '../providers/types.ts';
import {
  toStoredEvent,
  toSyncRepair,
  type EventRow,
  type StoredEvent,
  type SyncRepairRow,
} from './mirror-rows.ts';
import type { JobStore } from './job-store.ts';
import type { AttendeeStore } from './attendee-store.ts';

export interface EventSyncState {
  integrationId: number;
  provider: ProviderKind;
  providerEventId: string;
  status: SyncStatus;
  importCompletedAt: string | null;
  syncWatermark: string | null;
}

export class EventStore {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobStore,
    private readonly attendees: AttendeeStore,
  ) {}

  findEventByProviderId(provider: ProviderKind, providerEventId: string): number | undefined {
    const row = this.db
      .prepare<[string, string], { id: number }>(
        'SELECT id FROM events WHERE provider = ? AND provider_event_id = ?',
      )
      .get(provider, providerEventId);
    return row?.id;
  }

  /** Adds an event in PENDING and records its first status, in one transaction. */
  insertEvent(integration: Integration, e: ProviderEvent, reason: string, now: string): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO events (integration_id, provider, provider_event_id, name, starts_at, ends_at, timezone, url,
             questions, status, status_reason, status_changed_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)`,
        )
        .run(
          integration.id,
          integration.provider,
          e.providerEventId,
          e.name,
          e.startsAt,
          e.endsAt,
          e.timezone,
          e.url,
          e.questions && e.questions.length > 0 ? JSON.stringify(e.questions) : null,
          reason,
          now,
          now,
        );
      const id = Number(lastInsertRowid);
      this.db
        .prepare(
          'INSERT INTO status_history (event_id, from_status, to_status, reason, at) VALUES (?, NULL, ?, ?, ?)',
        )
        .run(id, 'PENDING', reason, now);
      return id;
    })();
  }

  /**
   * Adds an event the venue's poller mirrors: no integration here, DISCONNECTED ("no account on
   * this desk") so live sync leaves it alone and Reconnect can give it an account.
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
        .prepare(
          'INSERT INTO status_history (event_id, from_status, to_status, reason, at) VALUES (?, NULL, ?, ?, ?)',
        )
        .run(id, 'DISCONNECTED', reason, now);
      return id;
    })();
  }

  /** The event's sync status, whether or not this station syncs it itself. */
  eventStatus(eventId: number): SyncStatus | undefined {
    return this.db
      .prepare<[number], { status: SyncStatus }>('SELECT status FROM events WHERE id = ?')
      .get(eventId)?.status;
  }

  /** Whether this station holds an account for the event (it can poll it itself). */
  eventHasIntegration(eventId: number): boolean {
    return (
      this.db
        .prepare<[number], { i: number | null }>('SELECT integration_id AS i FROM events WHERE id = ?')
        .get(eventId)?.i != null
    );
  }

  /**
   * What the sync engine needs of an event this station syncs itself; undefined for an event it
   * does not have, or one mirrored from the venue without an account here (nothing to poll with).
   */
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

  /** Whether the event was forgotten on this desk. */
  eventForgotten(eventId: number): boolean {
    return (
      this.db
        .prepare<[number], { f: string | null }>('SELECT forgotten_at AS f FROM events WHERE id = ?')
        .get(eventId)?.f != null
    );
  }

  /** Asked by every desk call (requireEvent): its statement is prepared once. */
  eventName(eventId: number): string | undefined {
    this.nameOf ??= this.db.prepare<[number], { name: string }>('SELECT name FROM events WHERE id = ?');
    return this.nameOf.get(eventId)?.name;
  }
  private nameOf: Statement<[number], { name: string }> | undefined;

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
    return (
      this.db
        // A forgotten event syncs no more: live sync never polls it, and no desk elects itself for it.
        .prepare<[string], { id: number }>(
          'SELECT id FROM events WHERE status = ? AND forgotten_at IS NULL ORDER BY id',
        )
        .all(status)
        .map((r) => r.id)
    );
  }

  /** The events live sync polls (the polling statuses, in their order; by id within each). */
  eventIdsPolling(): number[] {
    return POLLING_STATUSES.flatMap((status) => this.eventIdsWithStatus(status));
  }

  /** Events of the integration that live sync polls. */
  liveEventCountOfIntegration(integrationId: number): number {
    return (
      this.db
        .prepare(
          `SELECT count(*) AS n FROM events WHERE integration_id = ? AND forgotten_at IS NULL AND status IN (${POLLING_STATUSES.map(() => '?').join(', ')})`,
        )
        .get(integrationId, ...POLLING_STATUSES) as { n: number }
    ).n;
  }

  eventIdsOfIntegration(integrationId: number): number[] {
    return this.db
      .prepare<[number], { id: number }>('SELECT id FROM events WHERE integration_id = ? ORDER BY id')
      .all(integrationId)
      .map((r) => r.id);
  }

  private toEvent(r: EventRow): StoredEvent {
    return toStoredEvent(r, this.jobs.activeJob(r.id) ?? null, this.attendees.attendeeCounts(r.id));
  }

  /** Writes a status change and its history row atomically. Legality is the status machine's job. */
  writeStatus(
    eventId: number,
    from: SyncStatus,
    to: SyncStatus,
    reason: string,
    now: string,
    error?: { message: string },
  ): void {
    this.db.transaction(() => {
      const res = this.db
        .prepare(
          `UPDATE events SET status = ?, status_reason = ?, status_changed_at = ?,
             last_error = CASE WHEN ? IS NULL THEN last_error ELSE ? END,
             last_error_at = CASE WHEN ? IS NULL THEN last_error_at ELSE ? END
           WHERE id = ? AND status = ?`,
        )
        .run(
          to,
          reason,
          now,
          error?.message ?? null,
          error?.message ?? null,
          error ? now : null,
          error ? now : null,
          eventId,
          from,
        );
      if (res.changes !== 1) throw new Error(`event ${eventId} is no longer ${from}`);
      this.db
        .prepare(
          'INSERT INTO status_history (event_id, from_status, to_status, reason, at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(eventId, from, to, reason, now);
    })();
  }

  recordError(eventId: number, message: string, now: string): void {
    this.db
      .prepare('UPDATE events SET last_error = ?, last_error_at = ? WHERE id = ?')
      .run(message, now, eventId);
  }

  statusHistory(eventId: number): StatusTransition[] {
    return this.db
      .prepare<
        [number],
        {
          id: number;
          event_id: number;
          from_status: SyncStatus | null;
          to_status: SyncStatus;
          reason: string;
          at: string;
        }
      >('SELECT * FROM status_history WHERE event_id = ? ORDER BY id')
      .all(eventId)
      .map((r) => ({
        id: r.id,
        eventId: r.event_id,
        from: r.from_status,
        to: r.to_status,
        reason: r.reason,
        at: r.at,
      }));
  }

  setEventIntegration(eventId: number, integrationId: number): void {
    this.db.prepare('UPDATE events SET integration_id = ? WHERE id = ?').run(integrationId, eventId);
  }

  /** The event's details as the provider (or the venue's poller) gave them; its questions only when given. */
  updateEventDetails(eventId: number, e: ProviderEvent): void {
    this.db
      .prepare(
        `UPDATE events SET name = ?, starts_at = ?, ends_at = ?, timezone = ?, url = ?,
           questions = COALESCE(?, questions) WHERE id = ?`,
      )
      .run(
        e.name,
        e.startsAt,
        e.endsAt,
        e.timezone,
        e.url,
        e.questions && e.questions.length > 0 ? JSON.stringify(e.questions) : null,
        eventId,
      );
  }

  markSynced(eventId: number, now: string, watermark: string | null, importCompleted: boolean): void {
    this.db
      .prepare(
        `UPDATE events SET last_synced_at = ?, sync_watermark = COALESCE(?, sync_watermark),
           import_completed_at = CASE WHEN ? THEN ? ELSE import_completed_at END WHERE id = ?`,
      )
      .run(now, watermark, importCompleted ? 1 : 0, now, eventId);
  }

  // ---- sync repairs: what a full listing had to put right ----

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
      .map(toSyncRepair);
  }
}
