// Forgetting an event on this desk, in SQL (shared/forget.ts says what is removed and what stays).
// Every attendee row of the event stays as an anonymous shell: the check-in log is append-only
// and names its rows, and the statistics count them by ticket type and status. The shell keeps
// its ticket type, status and check-in state; its names, email, company, order, ticket code,
// answers and provider id are gone, and so are the event's walk-ins' details, corrections, notes,
// flags and links, the entries waiting for a person, the reasons typed for reprints and
// overrides, and the event's venue documents. The search indexes are merged so no deleted term
// stays in an old segment, and the file is rewritten (VACUUM) and its WAL emptied: with
// secure_delete on (open.ts), nothing forgotten stays readable in the database's bytes.
import type { CheckInsHeld, ForgetDue, ForgetReason, ForgottenEvent } from '../../shared/forget.ts';
import { WALK_IN_ID_PREFIX } from '../../shared/door.ts';
import { parseVenueDocumentName } from '../../shared/venue.ts';
import type { ProviderKind } from '../../shared/types.ts';
import { StatementCachingStore } from './statement-cache.ts';

/** Print jobs still to come out, or waiting for a person: forgetting the event waits for them. */
const WAITING_PRINT_STATES = ['queued', 'printing', 'failed', 'may_have_printed'] as const;
const WALK_IN_TO = `${WALK_IN_ID_PREFIX.slice(0, -1)};`;
/** A shell's provider id: walk-ins stay walk-ins (their statistics count them by this prefix). */
const SHELL_ID = (pid: string, rowId: string) =>
  `CASE WHEN ${pid} >= '${WALK_IN_ID_PREFIX}' AND ${pid} < '${WALK_IN_TO}'
     THEN '${WALK_IN_ID_PREFIX}forgotten-' || ${rowId} ELSE 'forgotten-' || ${rowId} END`;
/** The append-only rule of the check-in log (migration 013), set aside only to blank an override's typed reason. */
const CHECKINS_APPEND_ONLY_UPDATE = `CREATE TRIGGER checkins_append_only_update BEFORE UPDATE ON checkins
  BEGIN SELECT RAISE(ABORT, 'checkins is append-only'); END`;

/** How often, and how far apart, the WAL's truncation is tried while another checkpoint runs (at most 1 s). */
const TRUNCATE_ATTEMPTS = 40;
const TRUNCATE_RETRY_MS = 25;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export type HeldKind = 'desk' | 'relay' | 'csv';
export type DeskFileKind = 'badge_pdf' | 'csv';

export interface DeskFile {
  id: number;
  kind: DeskFileKind;
  path: string;
}

export interface EventForgetCounts {
  people: number;
  attending: number;
  checkedIn: number;
  logEntries: number;
  venueDocuments: number;
}

export class ForgetStore extends StatementCachingStore {
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- which events ----

  forgotten(eventId: number): ForgottenEvent | null {
    const r = this.cached<[number], { at: string | null; reason: ForgetReason | null }>(
      'SELECT forgotten_at AS at, forgotten_reason AS reason FROM events WHERE id = ?',
    ).get(eventId);
    return r?.at && r.reason ? { at: r.at, reason: r.reason } : null;
  }

  /** `provider:providerEventId` of every forgotten event: their venue documents are refused here. */
  forgottenKeys(): Set<string> {
    return new Set(
      this.cached<[], { k: string }>(
        `SELECT provider || ':' || provider_event_id AS k FROM events WHERE forgotten_at IS NOT NULL`,
      )
        .all()
        .map((r) => r.k),
    );
  }

  /** Events not forgotten whose document of this venue is kept here: the venue's events on this desk. */
  eventsWithDocumentsOf(venueId: string): number[] {
    const keys = new Set(
      this.cached<[], { name: string }>('SELECT name FROM venue_documents')
        .all()
        .flatMap((r) => {
          const ref = parseVenueDocumentName(r.name);
          return ref?.venueId === venueId ? [`${ref.provider}:${ref.providerEventId}`] : [];
        }),
    );
    return this.cached<[], { id: number; k: string }>(
      `SELECT id, provider || ':' || provider_event_id AS k FROM events WHERE forgotten_at IS NULL ORDER BY id`,
    )
      .all()
      .filter((e) => keys.has(e.k))
      .map((e) => e.id);
  }

  /** Events not forgotten, with their dates: the retention rule reads them. */
  remembered(): { id: number; startsAt: string | null; endsAt: string | null }[] {
    return this.cached<[], { id: number; startsAt: string | null; endsAt: string | null }>(
      'SELECT id, starts_at AS startsAt, ends_at AS endsAt FROM events WHERE forgotten_at IS NULL ORDER BY id',
    ).all();
  }

  setDue(eventId: number, due: ForgetDue | null): void {
    this.cached('UPDATE events SET forget_due = ? WHERE id = ?').run(
      due ? JSON.stringify(due) : null,
      eventId,
    );
  }

  due(eventId: number): ForgetDue | null {
    const r = this.cached<[number], { due: string | null }>(
      'SELECT forget_due AS due FROM events WHERE id = ?',
    ).get(eventId);
    return r?.due ? (JSON.parse(r.due) as ForgetDue) : null;
  }

  // ---- what forgetting would remove, and what waits ----

  counts(eventId: number): EventForgetCounts {
    const people = this.cached<[number], { n: number; attending: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'ATTENDING') AS attending FROM attendees WHERE event_id = ?`,
    ).get(eventId)!;
    const checkedIn = this.cached<[number], { n: number }>(
      `SELECT count(*) AS n FROM attendee_checkin c JOIN attendees a ON a.id = c.attendee_id
       WHERE c.event_id = ? AND c.checked_in = 1 AND a.status = 'ATTENDING'`,
    ).get(eventId)!.n;
    const logEntries = this.cached<[number], { n: number }>(
      'SELECT count(*) AS n FROM checkins WHERE event_id = ?',
    ).get(eventId)!.n;
    const ref = this.eventRef(eventId);
    return {
      people: people.n,
      attending: people.attending,
      checkedIn,
      logEntries,
      venueDocuments: ref ? this.documentNamesOf(ref).length : 0,
    };
  }

  waitingPrints(eventId: number): number {
    return this.cached<[number], { n: number }>(
      `SELECT count(*) AS n FROM print_jobs WHERE event_id = ? AND reason <> 'test'
         AND state IN (${WAITING_PRINT_STATES.map((s) => `'${s}'`).join(', ')})`,
    ).get(eventId)!.n;
  }

  // ---- the check-ins made here, and who else holds them ----

  /** This station's own log rows of the event: their action ids (sorted) and the last row's id. */
  ownActions(eventId: number, stationId: string): { actionIds: string[]; throughId: number } {
    const rows = this.cached<[number, string], { id: number; action_id: string }>(
      'SELECT id, action_id FROM checkins WHERE event_id = ? AND station_id = ? ORDER BY id',
    ).all(eventId, stationId);
    return {
      actionIds: rows.map((r) => r.action_id).sort(),
      throughId: rows.length > 0 ? rows[rows.length - 1]!.id : 0,
    };
  }

  /** Confirms that every own row up to throughId is held elsewhere (a newer confirmation never goes back). */
  recordHeld(
    eventId: number,
    held: { throughId: number; made: number; kind: HeldKind; by: string; at: string },
  ): void {
    this.cached(
      `INSERT INTO checkins_held (event_id, through_id, made, kind, by, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (event_id) DO UPDATE SET through_id = excluded.through_id, made = excluded.made,
         kind = excluded.kind, by = excluded.by, at = excluded.at
       WHERE excluded.through_id >= checkins_held.through_id`,
    ).run(eventId, held.throughId, held.made, held.kind, held.by, held.at);
  }

  /** What the desk knows of its own check-ins of the event: none made, all held (by whom), or some not. */
  held(eventId: number, stationId: string, notHeldWhy: string): CheckInsHeld {
    const made = this.cached<[number, string], { n: number }>(
      'SELECT count(*) AS n FROM checkins WHERE event_id = ? AND station_id = ?',
    ).get(eventId, stationId)!.n;
    if (made === 0) return { kind: 'none-made' };
    const confirmed = this.cached<[number], { through_id: number; kind: HeldKind; by: string; at: string }>(
      'SELECT through_id, kind, by, at FROM checkins_held WHERE event_id = ?',
    ).get(eventId);
    const unheld = this.cached<[number, string, number], { n: number }>(
      'SELECT count(*) AS n FROM checkins WHERE event_id = ? AND station_id = ? AND id > ?',
    ).get(eventId, stationId, confirmed?.through_id ?? 0)!.n;
    if (!confirmed || unheld > 0) return { kind: 'not-held', made, unheld, why: notHeldWhy };
    if (confirmed.kind === 'csv') return { kind: 'exported', made, file: confirmed.by, at: confirmed.at };
    return { kind: 'held', made, by: confirmed.by, relay: confirmed.kind === 'relay', at: confirmed.at };
  }

  /** Events with check-ins made here that no confirmation covers yet (the venue is asked about these). */
  eventsWithUnheldCheckIns(stationId: string): number[] {
    return this.cached<[string], { event_id: number }>(
      `SELECT DISTINCT c.event_id FROM checkins c JOIN events e ON e.id = c.event_id
         LEFT JOIN checkins_held h ON h.event_id = c.event_id
       WHERE c.station_id = ? AND e.forgotten_at IS NULL AND c.id > coalesce(h.through_id, 0)`,
    )
      .all(stationId)
      .map((r) => r.event_id);
  }

  // ---- files the desk wrote ----

  recordFile(eventId: number, kind: DeskFileKind, path: string, at: string): void {
    this.cached(
      `INSERT INTO desk_files (event_id, kind, path, written_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET event_id = excluded.event_id, kind = excluded.kind, written_at = excluded.written_at`,
    ).run(eventId, kind, path, at);
  }

  /** A badge PDF written for a print job: recorded with the job's event (a test print names no one). */
  recordBadgeFile(jobId: number, path: string, at: string): void {
    this.cached(
      `INSERT INTO desk_files (event_id, kind, path, written_at)
         SELECT event_id, 'badge_pdf', ?, ? FROM print_jobs WHERE id = ? AND event_id IS NOT NULL
       ON CONFLICT (path) DO UPDATE SET event_id = excluded.event_id, written_at = excluded.written_at`,
    ).run(path, at, jobId);
  }

  files(eventId: number): DeskFile[] {
    return this.cached<[number], DeskFile>(
      'SELECT id, kind, path FROM desk_files WHERE event_id = ? ORDER BY id',
    ).all(eventId);
  }

  /** Forgotten events with files still on record (a removal that failed, or a crash between the two). */
  forgottenWithFiles(): number[] {
    return this.cached<[], { id: number }>(
      `SELECT DISTINCT e.id FROM events e JOIN desk_files f ON f.event_id = e.id WHERE e.forgotten_at IS NOT NULL`,
    )
      .all()
      .map((r) => r.id);
  }

  fileRemoved(fileId: number): void {
    this.cached('DELETE FROM desk_files WHERE id = ?').run(fileId);
  }

  /** The event's print jobs: their PDFs are named by job id (files written before they were recorded). */
  printJobIds(eventId: number): number[] {
    return this.cached<[number], { id: number }>('SELECT id FROM print_jobs WHERE event_id = ?')
      .all(eventId)
      .map((r) => r.id);
  }

  // ---- forgetting ----

  /**
   * Removes every attendee's personal data of the event from the database, in one transaction,
   * and marks it forgotten. Returns how many people and venue documents it touched.
   */
  scrub(eventId: number, reason: ForgetReason, at: string): { people: number; venueDocuments: number } {
    return this.transaction(() => {
      const ref = this.eventRef(eventId);
      // The door's rows follow their person to the shell's new id (a walk-in's link too), first.
      const shellOf = (column: string) =>
        `(SELECT ${SHELL_ID('a.provider_attendee_id', 'a.id')} FROM attendees a
           WHERE a.event_id = attendee_door.event_id AND a.provider_attendee_id = attendee_door.${column})`;
      this.db
        .prepare(
          `UPDATE attendee_door SET
             provider_attendee_id = coalesce(${shellOf('provider_attendee_id')}, 'forgotten-door-' || id),
             linked_to = CASE WHEN linked_to IS NULL THEN NULL
               ELSE coalesce(${shellOf('linked_to')}, 'forgotten-link-' || id) END,
             badge_first_name = NULL, badge_last_name = NULL, badge_full_name = NULL, badge_company = NULL,
             base_full_name = NULL, base_company = NULL, corrected_at = NULL, corrected_by = NULL,
             note = NULL, attention = NULL
           WHERE event_id = ?`,
        )
        .run(eventId);
      const people = this.db
        .prepare(
          `UPDATE attendees SET provider_attendee_id = ${SHELL_ID('provider_attendee_id', 'id')},
             first_name = NULL, last_name = NULL, full_name = '', email = NULL, company = NULL,
             job_title = NULL, order_id = NULL, barcode = NULL, answers = NULL, provider_company = NULL,
             registered_at = NULL, provider_updated_at = NULL, roster_order = NULL
           WHERE event_id = ?`,
        )
        .run(eventId).changes;
      // The door's entries name and describe people; the event's walk-in setting is not about anyone.
      this.db.prepare(`DELETE FROM door_entries WHERE event_id = ? AND map <> 'doorSettings'`).run(eventId);
      // Entries waiting for a person who will now never arrive here.
      this.db.prepare('DELETE FROM venue_pending WHERE event_id = ?').run(eventId);
      this.db.prepare('DELETE FROM list_pending WHERE event_id = ?').run(eventId);
      // Reasons typed for a reprint or an override may name someone: the facts stay, the words go.
      this.db
        .prepare('UPDATE print_jobs SET note = NULL WHERE event_id = ? AND note IS NOT NULL')
        .run(eventId);
      this.db
        .prepare('UPDATE venue_prints SET reason = NULL WHERE event_id = ? AND reason IS NOT NULL')
        .run(eventId);
      const overrides = this.db
        .prepare<[number], { n: number }>(
          'SELECT count(*) AS n FROM checkins WHERE event_id = ? AND override_reason IS NOT NULL',
        )
        .get(eventId)!.n;
      if (overrides > 0) {
        this.db.exec('DROP TRIGGER checkins_append_only_update');
        this.db
          .prepare(
            `UPDATE checkins SET override_reason = 'forgotten' WHERE event_id = ? AND override_reason IS NOT NULL`,
          )
          .run(eventId);
        this.db.exec(CHECKINS_APPEND_ONLY_UPDATE);
      }
      let venueDocuments = 0;
      if (ref) {
        this.db
          .prepare('DELETE FROM salvaged_checkins WHERE provider = ? AND provider_event_id = ?')
          .run(ref.provider, ref.providerEventId);
        for (const name of this.documentNamesOf(ref)) {
          venueDocuments += this.db.prepare('DELETE FROM venue_documents WHERE name = ?').run(name).changes;
        }
      }
      this.db
        .prepare(
          `UPDATE events SET forgotten_at = ?, forgotten_reason = ?, forget_due = NULL, sync_watermark = NULL
           WHERE id = ?`,
        )
        .run(at, reason, eventId);
      return { people, venueDocuments };
    });
  }

  /**
   * Makes what was removed unreadable in the file: the search indexes merged into one segment each
   * (a deleted term otherwise stays in an older one), the database rewritten, the WAL emptied.
   */
  compact(): { walTruncated: boolean } {
    this.db.exec(`INSERT INTO attendee_search (attendee_search) VALUES ('optimize')`);
    this.db.exec(`INSERT INTO door_search (door_search) VALUES ('optimize')`);
    this.db.exec('VACUUM');
    // One checkpoint runs at a time: while the checkpointer's thread copies pages back (PASSIVE),
    // TRUNCATE answers busy at once and the WAL keeps its frames, the forgotten rows' among them.
    // Tried again for a moment, in this same turn: the event never reads as forgotten while its
    // old pages can still be read.
    for (let attempt = 0; attempt < TRUNCATE_ATTEMPTS; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy === 0) return { walTruncated: true };
      Atomics.wait(PAUSE, 0, 0, TRUNCATE_RETRY_MS);
    }
    return { walTruncated: false };
  }

  private eventRef(eventId: number): { provider: ProviderKind; providerEventId: string } | undefined {
    return this.cached<[number], { provider: ProviderKind; providerEventId: string }>(
      'SELECT provider, provider_event_id AS providerEventId FROM events WHERE id = ?',
    ).get(eventId);
  }

  /** The stored venue documents of this event, in any venue. */
  private documentNamesOf(ref: { provider: ProviderKind; providerEventId: string }): string[] {
    return this.cached<[], { name: string }>('SELECT name FROM venue_documents')
      .all()
      .map((r) => r.name)
      .filter((name) => {
        const parsed = parseVenueDocumentName(name);
        return parsed?.provider === ref.provider && parsed.providerEventId === ref.providerEventId;
      });
  }
}
