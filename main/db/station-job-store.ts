// The print queue's rows of badges that travel between desks (shared/print-stations.ts): badges
// this desk sent to a print station (route 'sent', no printer here) and badges a desk sent to
// this station (route 'received', printed by its pool as its own). The first-print rule is the
// queue's own index (migration 015): it holds whichever way a badge goes.
import type { Db } from './open.ts';
import { JOB_SELECT, toJob, type JobRow } from './print-store.ts';
import type { PrintJob, PrintJobReason, PrintJobState } from '../../shared/printing.ts';

export class StationJobStore {
  constructor(private readonly db: Db) {}

  /** A badge this desk sends to a station (or, with none to send it to, returned at once). */
  insertSent(j: {
    eventId: number;
    attendeeId: number;
    reason: Exclude<PrintJobReason, 'test'>;
    requestedBy: string;
    note: string | null;
    venueJob: string;
    station: { id: string; name: string } | null;
    state: Extract<PrintJobState, 'queued' | 'returned'>;
    error: string | null;
    now: string;
  }): PrintJob {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO print_jobs (event_id, attendee_id, printer_id, reason, state, error, requested_by, note, created_at, updated_at,
                                 route, venue_job, venue_epoch, peer_station_id, peer_station_name)
         VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, 1, ?, ?)`,
      )
      .run(
        j.eventId,
        j.attendeeId,
        j.reason,
        j.state,
        j.error,
        j.requestedBy,
        j.note,
        j.now,
        j.now,
        j.venueJob,
        j.station?.id ?? null,
        j.station?.name ?? 'a print station',
      );
    return this.byId(Number(lastInsertRowid))!;
  }

  /** A badge a desk sent to this station, queued for its printers. */
  insertReceived(j: {
    eventId: number;
    attendeeId: number;
    printerId: number;
    reason: Exclude<PrintJobReason, 'test'>;
    requestedBy: string;
    note: string | null;
    venueJob: string;
    epoch: number;
    from: { id: string; name: string };
    now: string;
  }): PrintJob {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO print_jobs (event_id, attendee_id, printer_id, reason, state, requested_by, note, created_at, updated_at, next_attempt_at,
                                 route, venue_job, venue_epoch, peer_station_id, peer_station_name)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?)`,
      )
      .run(
        j.eventId,
        j.attendeeId,
        j.printerId,
        j.reason,
        j.requestedBy,
        j.note,
        j.now,
        j.now,
        j.now,
        j.venueJob,
        j.epoch,
        j.from.id,
        j.from.name,
      );
    return this.byId(Number(lastInsertRowid))!;
  }

  /** This desk's sent badge of that venue job. */
  sent(venueJob: string): PrintJob | undefined {
    const r = this.db
      .prepare<[string], JobRow>(`${JOB_SELECT} WHERE j.route = 'sent' AND j.venue_job = ?`)
      .get(venueJob);
    return r ? toJob(r) : undefined;
  }

  /** This station's copy of one sending of a badge. */
  received(venueJob: string, epoch: number): PrintJob | undefined {
    const r = this.db
      .prepare<[string, number], JobRow>(
        `${JOB_SELECT} WHERE j.route = 'received' AND j.venue_job = ? AND j.venue_epoch = ?`,
      )
      .get(venueJob, epoch);
    return r ? toJob(r) : undefined;
  }

  /** This station's copies of every sending of a badge (it may have come back more than once). */
  receivedOf(venueJob: string): PrintJob[] {
    return this.db
      .prepare<[string], JobRow>(`${JOB_SELECT} WHERE j.route = 'received' AND j.venue_job = ? ORDER BY j.id`)
      .all(venueJob)
      .map(toJob);
  }

  /** The sent (or received) badges of an event, for a document attached again. */
  ofEvent(eventId: number, route: 'sent' | 'received'): PrintJob[] {
    return this.db
      .prepare<[number, string], JobRow>(`${JOB_SELECT} WHERE j.event_id = ? AND j.route = ? ORDER BY j.id`)
      .all(eventId, route)
      .map(toJob);
  }

  /** Sent badges a station still has (its word may change), oldest first. */
  liveSent(): PrintJob[] {
    return this.db
      .prepare<[], JobRow>(
        `${JOB_SELECT} WHERE j.route = 'sent' AND j.state IN ('queued', 'printing') ORDER BY j.id`,
      )
      .all()
      .map(toJob);
  }

  /** Badges desks sent to this station that wait for its printers. */
  queuedReceived(): PrintJob[] {
    return this.db
      .prepare<[], JobRow>(`${JOB_SELECT} WHERE j.route = 'received' AND j.state = 'queued' ORDER BY j.id`)
      .all()
      .map(toJob);
  }

  /** Badges waiting for this station's printers (its own and those desks sent): the load its presence tells. */
  waitingCount(): number {
    return (
      this.db
        .prepare<[], { n: number }>(
          `SELECT count(*) AS n FROM print_jobs WHERE state = 'queued' AND reason <> 'test' AND route <> 'sent'`,
        )
        .get()?.n ?? 0
    );
  }

  /** The station's word on a sent badge: its state and words here, and that the station has it. */
  applyWord(
    id: number,
    from: readonly PrintJobState[],
    patch: { state: PrintJobState; error: string | null; printedAt: string | null },
    now: string,
  ): boolean {
    return (
      this.db
        .prepare(
          `UPDATE print_jobs SET state = ?, error = ?, printed_at = coalesce(?, printed_at), station_answered = 1, updated_at = ?
           WHERE id = ? AND route = 'sent' AND state IN (${from.map(() => '?').join(', ')})`,
        )
        .run(patch.state, patch.error, patch.printedAt, now, id, ...from).changes === 1
    );
  }

  /** A sent badge goes to another station: the next sending (epoch), not answered yet. */
  resend(
    id: number,
    from: readonly PrintJobState[],
    station: { id: string; name: string },
    now: string,
  ): boolean {
    return (
      this.db
        .prepare(
          `UPDATE print_jobs SET state = 'queued', error = NULL, venue_epoch = venue_epoch + 1, peer_station_id = ?, peer_station_name = ?,
             station_answered = 0, attempts = attempts + 1, updated_at = ?
           WHERE id = ? AND route = 'sent' AND state IN (${from.map(() => '?').join(', ')})`,
        )
        .run(station.id, station.name, now, id, ...from).changes === 1
    );
  }

  private byId(id: number): PrintJob | undefined {
    const r = this.db.prepare<[number], JobRow>(`${JOB_SELECT} WHERE j.id = ?`).get(id);
    return r ? toJob(r) : undefined;
  }
}
