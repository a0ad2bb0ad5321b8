// The printing SQL: printers, badge templates, the print queue. Local state only.
import type { Db } from './open.ts';
import { SHOWN_NAME, SHOWN_NAME_JOIN } from './mirror-rows.ts';
import type { BadgeField, BadgeTemplate, BadgeTemplateInput, PageSizeId } from '../../shared/badge.ts';
import type {
  Printer,
  PrinterConfig,
  PrintJob,
  PrintJobReason,
  PrintJobState,
  PrintQueueSummary,
} from '../../shared/printing.ts';

interface PrinterRow {
  id: number;
  name: string;
  config: string;
  created_at: string;
}
interface TemplateRow {
  id: number;
  name: string;
  page_size: PageSizeId;
  ticket_name: string | null;
  fields: string;
  answer_question: string | null;
  updated_at: string;
}
interface JobRow {
  id: number;
  event_id: number | null;
  attendee_id: number | null;
  attendee_name: string | null;
  printer_id: number;
  printer_name: string;
  reason: PrintJobReason;
  state: PrintJobState;
  error: string | null;
  attempts: number;
  next_attempt_at: string | null;
  requested_by: string;
  note: string | null;
  created_at: string;
  updated_at: string;
  printed_at: string | null;
}

const toPrinter = (r: PrinterRow): Omit<Printer, 'available'> => ({
  id: r.id,
  name: r.name,
  config: JSON.parse(r.config) as PrinterConfig,
  createdAt: r.created_at,
});
const toTemplate = (r: TemplateRow): BadgeTemplate => ({
  id: r.id,
  name: r.name,
  pageSize: r.page_size,
  ticketName: r.ticket_name,
  fields: JSON.parse(r.fields) as Record<BadgeField, boolean>,
  answerLabel: r.answer_question,
  updatedAt: r.updated_at,
});
const toJob = (r: JobRow): PrintJob => ({
  id: r.id,
  eventId: r.event_id,
  attendeeId: r.attendee_id,
  attendeeName: r.attendee_name,
  printerId: r.printer_id,
  printerName: r.printer_name,
  reason: r.reason,
  state: r.state,
  error: r.error,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  requestedBy: r.requested_by,
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  printedAt: r.printed_at,
});

const JOB_SELECT = `SELECT j.*, ${SHOWN_NAME} AS attendee_name, p.name AS printer_name
  FROM print_jobs j JOIN printers p ON p.id = j.printer_id LEFT JOIN attendees a ON a.id = j.attendee_id ${SHOWN_NAME_JOIN}`;

export class PrintStore {
  constructor(private readonly db: Db) {}

  // ---- printers ----
  listPrinters(): Omit<Printer, 'available'>[] {
    return this.db.prepare<[], PrinterRow>('SELECT * FROM printers ORDER BY id').all().map(toPrinter);
  }
  getPrinter(id: number): Omit<Printer, 'available'> | undefined {
    const r = this.db.prepare<[number], PrinterRow>('SELECT * FROM printers WHERE id = ?').get(id);
    return r ? toPrinter(r) : undefined;
  }
  addPrinter(name: string, config: PrinterConfig, now: string): Omit<Printer, 'available'> {
    return toPrinter(
      this.db
        .prepare<[string, string, string], PrinterRow>(
          'INSERT INTO printers (name, config, created_at) VALUES (?, ?, ?) RETURNING *',
        )
        .get(name, JSON.stringify(config), now)!,
    );
  }
  /** Printers with jobs keep their rows (the queue's history names them); they are not removable. */
  printerHasJobs(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM print_jobs WHERE printer_id = ? LIMIT 1').get(id) !== undefined;
  }
  removePrinter(id: number): void {
    this.db.prepare('DELETE FROM printers WHERE id = ?').run(id);
  }

  // ---- templates ----
  listTemplates(): BadgeTemplate[] {
    return this.db
      .prepare<[], TemplateRow>(
        'SELECT * FROM badge_templates ORDER BY ticket_name IS NOT NULL, ticket_name, id',
      )
      .all()
      .map(toTemplate);
  }
  getTemplate(id: number): BadgeTemplate | undefined {
    const r = this.db.prepare<[number], TemplateRow>('SELECT * FROM badge_templates WHERE id = ?').get(id);
    return r ? toTemplate(r) : undefined;
  }
  insertTemplate(t: BadgeTemplateInput, now: string): BadgeTemplate {
    return toTemplate(
      this.db
        .prepare<unknown[], TemplateRow>(
          'INSERT INTO badge_templates (name, page_size, ticket_name, fields, answer_question, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
        )
        .get(t.name, t.pageSize, t.ticketName, JSON.stringify(t.fields), t.answerLabel ?? null, now)!,
    );
  }
  updateTemplate(id: number, t: BadgeTemplateInput, now: string): BadgeTemplate | undefined {
    const r = this.db
      .prepare<unknown[], TemplateRow>(
        'UPDATE badge_templates SET name = ?, page_size = ?, ticket_name = ?, fields = ?, answer_question = ?, updated_at = ? WHERE id = ? RETURNING *',
      )
      .get(t.name, t.pageSize, t.ticketName, JSON.stringify(t.fields), t.answerLabel ?? null, now, id);
    return r ? toTemplate(r) : undefined;
  }
  removeTemplate(id: number): void {
    this.db.prepare('DELETE FROM badge_templates WHERE id = ?').run(id);
  }

  // ---- jobs ----
  getJob(id: number): PrintJob | undefined {
    const r = this.db.prepare<[number], JobRow>(`${JOB_SELECT} WHERE j.id = ?`).get(id);
    return r ? toJob(r) : undefined;
  }
  /** The attendee's live first-print job (not cancelled), if any. */
  firstPrintOf(attendeeId: number): PrintJob | undefined {
    const r = this.db
      .prepare<[number], JobRow>(
        `${JOB_SELECT} WHERE j.attendee_id = ? AND j.reason IN ('check_in', 'manual', 'batch') AND j.state <> 'cancelled'`,
      )
      .get(attendeeId);
    return r ? toJob(r) : undefined;
  }
  insertJob(j: {
    eventId: number | null;
    attendeeId: number | null;
    printerId: number;
    reason: PrintJobReason;
    requestedBy: string;
    note: string | null;
    now: string;
  }): PrintJob {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO print_jobs (event_id, attendee_id, printer_id, reason, state, requested_by, note, created_at, updated_at, next_attempt_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      )
      .run(j.eventId, j.attendeeId, j.printerId, j.reason, j.requestedBy, j.note, j.now, j.now, j.now);
    return this.getJob(Number(lastInsertRowid))!;
  }
  /**
   * The next due job a printer may take, oldest first: its own test prints, and, when it is one of
   * the station's printers, any badge of the station (shared/printing.ts, printJobDispatch).
   * `skip`: jobs another printer is about to take.
   */
  nextDueFor(
    printerId: number,
    inPool: boolean,
    now: string,
    skip: readonly number[] = [],
  ): PrintJob | undefined {
    const r = this.db
      .prepare<unknown[], JobRow>(
        `${JOB_SELECT} WHERE j.state = 'queued' AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= ?)
           AND ((j.reason = 'test' AND j.printer_id = ?) OR (j.reason <> 'test' AND ? = 1))
           ${skip.length ? `AND j.id NOT IN (${skip.map(() => '?').join(', ')})` : ''}
         ORDER BY j.id LIMIT 1`,
      )
      .get(now, printerId, inPool ? 1 : 0, ...skip);
    return r ? toJob(r) : undefined;
  }
  /** When the next queued job a printer may take is due (for its worker's wake-up): null now, undefined none. */
  nextDueAtFor(printerId: number, inPool: boolean, skip: readonly number[] = []): string | null | undefined {
    const r = this.db
      .prepare<unknown[], { at: string | null }>(
        `SELECT min(coalesce(next_attempt_at, '')) AS at FROM print_jobs
         WHERE state = 'queued' AND ((reason = 'test' AND printer_id = ?) OR (reason <> 'test' AND ? = 1))
         ${skip.length ? `AND id NOT IN (${skip.map(() => '?').join(', ')})` : ''}`,
      )
      .get(printerId, inPool ? 1 : 0, ...skip);
    return r?.at === null ? undefined : r?.at || null;
  }
  /** A printer takes a queued job: it is printing there now. False when it was no longer queued (another took it). */
  claim(jobId: number, printerId: number, now: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE print_jobs SET state = 'printing', printer_id = ?, attempts = attempts + 1, updated_at = ?
           WHERE id = ? AND state = 'queued'`,
        )
        .run(printerId, now, jobId).changes === 1
    );
  }
  /** Every queued badge of the station says why it waits (no printer of the station can print); the ids that changed. */
  noteWaitingStationJobs(error: string, now: string): number[] {
    return this.db
      .prepare<[string, string, string], { id: number }>(
        `UPDATE print_jobs SET error = ?, next_attempt_at = NULL, updated_at = ?
         WHERE state = 'queued' AND reason <> 'test' AND coalesce(error, '') <> ? RETURNING id`,
      )
      .all(error, now, error)
      .map((r) => r.id);
  }
  /** Whether queued badges of the station wait (any printer of the station may take them). */
  hasQueuedStationJobs(): boolean {
    return (
      this.db
        .prepare(`SELECT 1 FROM print_jobs WHERE state = 'queued' AND reason <> 'test' LIMIT 1`)
        .get() !== undefined
    );
  }
  /** Moves a job between states only from the expected one; false when it was not in it. */
  transition(
    id: number,
    from: readonly PrintJobState[],
    to: PrintJobState,
    patch: {
      error?: string | null;
      attemptsDelta?: number;
      nextAttemptAt?: string | null;
      printedAt?: string;
    },
    now: string,
  ): boolean {
    const res = this.db
      .prepare(
        `UPDATE print_jobs SET state = ?, updated_at = ?,
           error = CASE WHEN ? THEN ? ELSE error END,
           attempts = attempts + ?,
           next_attempt_at = CASE WHEN ? THEN ? ELSE next_attempt_at END,
           printed_at = coalesce(?, printed_at)
         WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`,
      )
      .run(
        to,
        now,
        patch.error !== undefined ? 1 : 0,
        patch.error ?? null,
        patch.attemptsDelta ?? 0,
        patch.nextAttemptAt !== undefined ? 1 : 0,
        patch.nextAttemptAt ?? null,
        patch.printedAt ?? null,
        id,
        ...from,
      );
    return res.changes === 1;
  }
  /** At start-up: a job left "printing" may have come out of the printer; a person decides. */
  markInterruptedJobs(now: string): number[] {
    return this.db
      .prepare<[string], { id: number }>(
        `UPDATE print_jobs SET state = 'may_have_printed', error = 'the app stopped while this badge was printing', updated_at = ? WHERE state = 'printing' RETURNING id`,
      )
      .all(now)
      .map((r) => r.id);
  }
  listJobs(filter: {
    eventId?: number | undefined;
    states?: readonly PrintJobState[] | undefined;
    limit: number;
  }): PrintJob[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.eventId !== undefined) {
      where.push('j.event_id = ?');
      params.push(filter.eventId);
    }
    if (filter.states?.length) {
      where.push(`j.state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    return this.db
      .prepare<unknown[], JobRow>(
        `${JOB_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.id DESC LIMIT ?`,
      )
      .all(...params, filter.limit)
      .map(toJob);
  }
  summary(): PrintQueueSummary {
    const rows = this.db
      .prepare<[], { state: PrintJobState; n: number }>(
        'SELECT state, count(*) AS n FROM print_jobs GROUP BY state',
      )
      .all();
    const n = (s: PrintJobState) => rows.find((r) => r.state === s)?.n ?? 0;
    return {
      queued: n('queued'),
      printing: n('printing'),
      failed: n('failed'),
      mayHavePrinted: n('may_have_printed'),
    };
  }
  /** Printers with test prints waiting (a station's badges go to any of its printers). */
  printerIdsWithQueuedTests(): number[] {
    return this.db
      .prepare<[], { printer_id: number }>(
        `SELECT DISTINCT printer_id FROM print_jobs WHERE state = 'queued' AND reason = 'test'`,
      )
      .all()
      .map((r) => r.printer_id);
  }
  /** ATTENDING attendees of an event for a batch, with whether a first print exists. */
  batchCandidates(
    eventId: number,
    vipOnly: boolean,
    ticketName: string | null,
  ): { id: number; printed: boolean }[] {
    return this.db
      .prepare<unknown[], { id: number; printed: number }>(
        `SELECT a.id, EXISTS (SELECT 1 FROM print_jobs j WHERE j.attendee_id = a.id AND j.reason IN ('check_in', 'manual', 'batch') AND j.state <> 'cancelled')
                  OR EXISTS (SELECT 1 FROM venue_prints v WHERE v.attendee_id = a.id AND v.kind = 'first') AS printed
         FROM attendees a LEFT JOIN attendee_local l ON l.attendee_id = a.id
         WHERE a.event_id = ? AND a.status = 'ATTENDING' AND (? = 0 OR l.vip = 1) AND (? IS NULL OR a.ticket_name = ?)
         ORDER BY a.full_name COLLATE NOCASE, a.id`,
      )
      .all(eventId, vipOnly ? 1 : 0, ticketName, ticketName)
      .map((r) => ({ id: r.id, printed: r.printed === 1 }));
  }
}
