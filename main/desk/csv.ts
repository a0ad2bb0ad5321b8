// The check-in log as CSV (RFC 4180): one row per action, so an undo is visible as its own line,
// in time order (then station id, then action id: the venue's own order, the same on every desk).
// Each time is the clock of the desk that stamped it: the `clock` column names that desk, and for
// this station's rows says how far its clock was from the providers' when last compared
// (shared/station-clock.ts). `walk_in` marks people registered at the door. After the fixed
// columns, one column per registration question the event's settings show at the desk, headed by
// the question.
import type { ExportRow } from '../db/desk-store.ts';
import { exportClockNote } from '../../shared/station-clock.ts';
import { answerTo, type EventQuestion } from '../../shared/answers.ts';

export const CSV_COLUMNS = [
  'time',
  'action',
  'attendee',
  'email',
  'ticket',
  'walk_in',
  'barcode',
  'station',
  'action_id',
  'clock',
] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR) as a formula: an attendee
 * named "=HYPERLINK(...)" must stay text. Such cells get a leading apostrophe (OWASP's advice).
 */
export function csvCell(value: string | null): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The `clock` cell of a row another desk stamped: "Desk 2's clock". */
export function otherDeskClock(stationName: string): string {
  return `${stationName}'s clock`;
}

/**
 * `thisStationId`: rows stamped elsewhere name their desk's clock; without it every row is taken
 * as this station's.
 */
export function checkInLogCsv(
  rows: Iterable<ExportRow>,
  clockNote: string = exportClockNote([]),
  questions: readonly Pick<EventQuestion, 'key' | 'label'>[] = [],
  thisStationId?: string,
): string {
  const lines = [[...CSV_COLUMNS, ...questions.map((q) => csvCell(q.label))].join(',')];
  for (const r of rows) {
    const clock =
      thisStationId === undefined || r.stationId === undefined || r.stationId === thisStationId
        ? clockNote
        : otherDeskClock(r.station);
    lines.push(
      [
        r.at,
        r.action === 'check_in' ? 'check-in' : r.action,
        r.attendeeName,
        r.email,
        r.ticketName,
        r.walkIn ? 'walk-in' : '',
        r.barcode,
        r.station,
        r.actionId,
        clock,
        ...questions.map((q) => answerTo(r.answers, q.key)),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  // CRLF per RFC 4180, and a BOM so spreadsheet apps read UTF-8 names (Zoë, 山田) correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
