// The salvaged check-ins of a damaged database and the admin's notice about it (migration 005).
// Rows are kept by provider identity until their attendee exists again, then written to the
// check-in log with their own action id: offered twice, or given back by another desk as well,
// a check-in still counts once.
import type { Db } from './open.ts';
import type { SalvagedRow } from './salvage.ts';
import type { SetAsideFile } from './recovery.ts';
import type { VenueStore } from './venue-store.ts';
import type { ProviderKind } from '../../shared/types.ts';
import {
  DAMAGED_DATABASE_WHAT_TO_DO,
  type DamagedDatabaseNotice,
  type EventToReimport,
  type SalvageCounts,
  type SalvagedCheckIn,
} from '../../shared/storage.ts';

interface SalvagedDbRow {
  action_id: string;
  provider: ProviderKind;
  provider_event_id: string;
  provider_attendee_id: string;
  action: 'check_in' | 'undo';
  station: string;
  at: string;
  state: SalvagedCheckIn['state'];
  skipped_reason: string | null;
}

const toSalvaged = (r: SalvagedDbRow): SalvagedCheckIn => ({
  actionId: r.action_id,
  provider: r.provider,
  providerEventId: r.provider_event_id,
  providerAttendeeId: r.provider_attendee_id,
  action: r.action,
  station: r.station,
  at: r.at,
  state: r.state,
  skippedReason: r.skipped_reason,
});

export interface AppliedCheckIns {
  /** Per local event: the attendees whose check-in state changed, and the log rows written. */
  byEvent: Map<number, { attendeeIds: number[]; actionIds: string[] }>;
  applied: number;
  skipped: number;
}

export class SalvageStore {
  constructor(private readonly db: Db) {}

  /** Records a file set aside and offers what was read back from it. */
  recordDamaged(
    aside: SetAsideFile,
    salvaged: { checkIns: SalvagedRow[]; events: EventToReimport[] },
    integrationsRestored: number,
  ): number {
    return this.db.transaction(() => {
      const id = this.db
        .prepare<[string, string, string, number, string], { id: number }>(
          'INSERT INTO damaged_databases (file, reason, set_aside_at, integrations_restored, events_json) VALUES (?, ?, ?, ?, ?) RETURNING id',
        )
        .get(aside.file, aside.reason, aside.at, integrationsRestored, JSON.stringify(salvaged.events))!.id;
      // OR IGNORE: an action id already offered (a second damaged file with the same rows) stays once.
      const offer = this.db.prepare(
        `INSERT OR IGNORE INTO salvaged_checkins
           (action_id, damaged_id, provider, provider_event_id, provider_attendee_id, action, station, at, source_order, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'offered')`,
      );
      for (const c of salvaged.checkIns) {
        offer.run(
          c.actionId,
          id,
          c.provider,
          c.providerEventId,
          c.providerAttendeeId,
          c.action,
          c.station,
          c.at,
          c.sourceOrder,
        );
      }
      return id;
    })();
  }

  /** The notices an admin has not dismissed, newest first. */
  notices(): DamagedDatabaseNotice[] {
    const rows = this.db
      .prepare<
        [],
        {
          id: number;
          file: string;
          reason: string;
          set_aside_at: string;
          integrations_restored: number;
          events_json: string;
        }
      >('SELECT * FROM damaged_databases WHERE dismissed_at IS NULL ORDER BY id DESC')
      .all();
    return rows.map((r) => ({
      id: r.id,
      damagedFile: r.file,
      reason: r.reason,
      setAsideAt: r.set_aside_at,
      integrationsRestored: r.integrations_restored,
      eventsToReimport: JSON.parse(r.events_json) as DamagedDatabaseNotice['eventsToReimport'],
      salvage: this.counts(r.id),
      whatToDo: DAMAGED_DATABASE_WHAT_TO_DO,
    }));
  }

  exists(damagedId: number): boolean {
    return this.db.prepare('SELECT 1 FROM damaged_databases WHERE id = ?').get(damagedId) !== undefined;
  }

  counts(damagedId: number): SalvageCounts {
    const counts: SalvageCounts = { offered: 0, accepted: 0, applied: 0, skipped: 0 };
    for (const r of this.db
      .prepare<[number], { state: SalvagedCheckIn['state']; n: number }>(
        'SELECT state, count(*) AS n FROM salvaged_checkins WHERE damaged_id = ? GROUP BY state',
      )
      .all(damagedId)) {
      counts[r.state] = r.n;
    }
    return counts;
  }

  list(damagedId: number, limit: number, offset: number): SalvagedCheckIn[] {
    return this.db
      .prepare<[number, number, number], SalvagedDbRow>(
        'SELECT * FROM salvaged_checkins WHERE damaged_id = ? ORDER BY source_order LIMIT ? OFFSET ?',
      )
      .all(damagedId, limit, offset)
      .map(toSalvaged);
  }

  /** The admin said import: offered rows wait for their attendees. */
  accept(damagedId: number): number {
    return this.db
      .prepare("UPDATE salvaged_checkins SET state = 'accepted' WHERE damaged_id = ? AND state = 'offered'")
      .run(damagedId).changes;
  }

  dismiss(damagedId: number, now: string): void {
    this.db
      .prepare('UPDATE damaged_databases SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL')
      .run(now, damagedId);
  }

  /**
   * Writes every accepted row whose attendee exists again into the check-in log, in the damaged
   * log's order, each under its own action id. A row that no longer fits (a check-in of someone
   * already checked in at this desk since, an undo of someone who is not) is skipped with the
   * reason: the log keeps alternating check-in, undo, as the desk's own rule has it. Rows go in
   * through the merged log's own writer, so the derived state follows and each undo names the
   * check-in it takes back; they are this station's rows (the damaged file was this desk's).
   */
  applyWaiting(log: VenueStore): AppliedCheckIns {
    return this.db.transaction((): AppliedCheckIns => {
      const waiting = this.db
        .prepare<[], SalvagedDbRow & { event_id: number; attendee_id: number; logged: number | null }>(
          `SELECT s.*, e.id AS event_id, a.id AS attendee_id,
                  (SELECT 1 FROM checkins k WHERE k.action_id = s.action_id) AS logged
           FROM salvaged_checkins s
           JOIN events e ON e.provider = s.provider AND e.provider_event_id = s.provider_event_id
           JOIN attendees a ON a.event_id = e.id AND a.provider_attendee_id = s.provider_attendee_id
           WHERE s.state = 'accepted' ORDER BY s.damaged_id, s.source_order`,
        )
        .all();
      const mark = this.db.prepare<[string, string | null, string]>(
        'UPDATE salvaged_checkins SET state = ?, skipped_reason = ? WHERE action_id = ?',
      );
      const result: AppliedCheckIns = { byEvent: new Map(), applied: 0, skipped: 0 };
      for (const w of waiting) {
        if (w.logged) {
          // Already in the log (given back by another desk, say): it counts once, as it is.
          mark.run('applied', null, w.action_id);
          continue;
        }
        const open = log.openCheckIns(w.attendee_id);
        const fits = w.action === 'check_in' ? open.length === 0 : open.length > 0;
        if (!fits) {
          mark.run(
            'skipped',
            w.action === 'check_in' ? 'already checked in at this desk' : 'not checked in at this desk',
            w.action_id,
          );
          result.skipped++;
          continue;
        }
        log.appendCheckIn({
          actionId: w.action_id,
          eventId: w.event_id,
          attendeeId: w.attendee_id,
          action: w.action,
          station: w.station,
          stationId: log.stationId,
          undoes: w.action === 'undo' ? open[open.length - 1]!.actionId : null,
          at: w.at,
        });
        mark.run('applied', null, w.action_id);
        result.applied++;
        const touched = result.byEvent.get(w.event_id) ?? { attendeeIds: [], actionIds: [] };
        touched.attendeeIds.push(w.attendee_id);
        touched.actionIds.push(w.action_id);
        result.byEvent.set(w.event_id, touched);
      }
      return result;
    })();
  }
}
