// What the desk's answer panel holds, and the answers that are not a check-in's: "Several match",
// "Not found", and a badge printed without a check-in. The panel always shows the latest action
// on the desk, so each of these replaces whatever person it showed before.
import type { Attendee } from '../../../shared/types.ts';
import type { CheckInFeedback, CheckInOutcome } from '../../../shared/desk.ts';
import { notFoundText } from '../../../shared/desk.ts';
import { SEVERAL_MATCH_TEXT } from '../../../shared/desk-enter.ts';
import type { Printer, PrintJob, PrintJobReason } from '../../../shared/printing.ts';
import type { PriorPrint } from '../../../shared/venue-view.ts';
import type { OrderGroup } from '../../../shared/door.ts';
import type { Glance } from '../../../shared/glance.ts';
import { priorPrintPrompt } from '../../../shared/venue-view.ts';
import { plural } from '../ui/format.ts';
import { newerJob } from '../printing/state.ts';
import type { FirstBadgeResult } from '../venue/state.ts';

export type DeskFeedbackTone = CheckInFeedback['tone'] | 'info' | 'badge';

export interface DeskFeedback {
  /** Bumped per answer, so the panel can flash even when two answers read alike. */
  id: number;
  tone: DeskFeedbackTone;
  title: string;
  subject: string;
  detail: string | null;
  /** The person the panel offers Undo for: a check-in just recorded, or one found already there. */
  undoable: Attendee | null;
  /** The person the panel offers "Print badge" for (a check-in that printed none). */
  printable?: Attendee | null;
  /** A "not found": the panel adds what the desk's list may be missing (describeDeskList). */
  notFound?: boolean;
  /** The badge this answer sent to the printer, followed by its job's state. */
  print?: DeskPrintLine | null;
  /** The person whose door facts the panel shows: notes, a flag, walk-in, admitted twice, a correction, tickets. */
  person?: Attendee | null;
  /** A person flagged "needs attention" whom nothing admitted yet: the panel offers "Confirm and check in". */
  confirmable?: Attendee | null;
  /** A person the desk's check-in list refused: an admin may admit them anyway, with a reason. */
  overridable?: Attendee | null;
  /** The person's order when it holds several people: "Check in all 4", or a pick of each. */
  order?: OrderGroup | null;
  /** A group check-in this answer made: its Undo takes back each check-in the group made. */
  group?: DeskGroup | null;
  /** A door outcome (a check-in or a scan) shows at a glance: green, amber or red (shared/glance.ts). */
  glance?: Glance | null;
}

/** A group check-in on the panel: what its Undo needs. */
export interface DeskGroup {
  eventId: number;
  actionId: string;
  /** How many check-ins it made (its Undo takes back these, and nothing else). */
  checkedIn: number;
}

export type DeskFeedbackInput = Omit<DeskFeedback, 'id'>;

/** The desk's "Badge printing on …" line under an answer. Printing never holds a check-in up. */
export interface DeskPrintLine {
  attendeeId: number;
  /** Which jobs this line follows: a check-in's auto-print, a badge printed from the desk, a reprint. */
  reason: Extract<PrintJobReason, 'check_in' | 'manual' | 'reprint'>;
  printerName: string;
  /** Jobs with a higher id are new since the answer was asked for. */
  afterJobId: number;
  /** The job main queued for this answer; null until it shows up. */
  job: PrintJob | null;
  /** Said instead when no job showed up. */
  note: string | null;
  /** The venue already printed this badge (at any desk), so none was queued: the desk offers a reprint. */
  priorPrint: PriorPrint | null;
}

/** Longer typed or scanned text is cut to this in the answer panel. */
const SUBJECT_MAX = 80;

export function panelSubject(text: string): string {
  const code = text.trim();
  return code.length > SUBJECT_MAX ? `${code.slice(0, SUBJECT_MAX)}…` : code;
}

/** Enter on several matches with no choice made: nobody is admitted, the operator is asked. */
export function severalMatchFeedback(query: string, matches: number, more: boolean): DeskFeedbackInput {
  return {
    tone: 'warning',
    title: SEVERAL_MATCH_TEXT,
    subject: panelSubject(query),
    detail: more
      ? `More than ${plural(matches, 'person matches', 'people match')} — keep typing to narrow it down`
      : `${plural(matches, 'person matches', 'people match')}`,
    undoable: null,
  };
}

/** Enter on text that matches no one, in the words notFoundText picks (a name, or a ticket code). */
export function notFoundFeedback(query: string): DeskFeedbackInput {
  return {
    tone: 'error',
    title: 'Not found',
    subject: panelSubject(query),
    detail: notFoundText(query),
    undoable: null,
    notFound: true,
  };
}

/** Where a checked-in person was admitted, for a badge printed without a check-in. */
function checkedInLine(a: Attendee, time: (iso: string) => string): string | null {
  return a.checkedIn ? `Checked in at ${time(a.checkedIn.at)} at ${a.checkedIn.station}` : null;
}

/** A print line that follows a job the answer already names. */
export function jobPrintLine(job: PrintJob, reason: DeskPrintLine['reason']): DeskPrintLine {
  return {
    attendeeId: job.attendeeId ?? 0,
    reason,
    printerName: job.printerName,
    afterJobId: job.id - 1,
    job,
    note: null,
    priorPrint: null,
  };
}

/**
 * "Print badge only" from a result row or the panel: what it did, said in the panel. A person who
 * is not checked in is named as such, so no one reads a printed badge as an admission.
 */
export function printOnlyFeedback(
  a: Attendee,
  result: FirstBadgeResult,
  time: (iso: string) => string,
): DeskFeedbackInput {
  const notIn = a.checkedIn === null ? ' — not checked in' : '';
  const base = { subject: a.fullName, undoable: null };
  switch (result.kind) {
    case 'queued':
      return {
        ...base,
        tone: 'badge',
        title: `Badge printed${notIn}`,
        detail: checkedInLine(a, time),
        print: jobPrintLine(result.job, 'manual'),
      };
    case 'already_printed':
      return {
        ...base,
        tone: 'warning',
        title: `Badge printed before${notIn}`,
        detail: 'A second copy is a reprint: give the reason',
      };
    case 'printed_in_venue':
      return {
        ...base,
        tone: 'warning',
        title: `Badge printed before${notIn}`,
        detail: priorPrintPrompt(result.prior, time),
      };
    case 'failed':
      return { ...base, tone: 'error', title: 'Badge not printed', detail: result.message };
  }
}

/** A reprint sent from the desk (a reason given). */
export function reprintFeedback(
  a: Attendee,
  job: PrintJob,
  time: (iso: string) => string,
): DeskFeedbackInput {
  return {
    tone: 'badge',
    title: `Badge reprinted${a.checkedIn === null ? ' — not checked in' : ''}`,
    subject: a.fullName,
    detail: checkedInLine(a, time),
    undoable: null,
    print: jobPrintLine(job, 'reprint'),
  };
}

/** The print line of a check-in: null when this station prints no badge at check-in (the desk's standing notice says so). */
export function checkInPrintLine(
  outcome: Extract<CheckInOutcome, { kind: 'checked_in' }>,
  afterJobId: number,
  station: { autoPrint: boolean; printerId: number | null },
  printers: readonly Printer[] | null,
  /** The newest check-in job this window has heard of for the person. */
  pushed: PrintJob | undefined,
): DeskPrintLine | null {
  const { autoPrint, printerId } = station;
  if (!autoPrint || printerId === null) return null;
  // The answer names the queued job; a push may already have moved it further.
  const job = outcome.printJob
    ? newerJob(pushed && pushed.id === outcome.printJob.id ? pushed : undefined, outcome.printJob)
    : pushed && pushed.id > afterJobId
      ? pushed
      : null;
  return {
    attendeeId: outcome.attendee.id,
    reason: 'check_in',
    printerName: printers?.find((p) => p.id === printerId)?.name ?? 'the badge printer',
    afterJobId,
    job,
    note: null,
    priorPrint: job ? null : (outcome.priorPrint ?? null),
  };
}

/** No job showed up for a print line: what the queue's jobs say of it, looked up once. */
export function settledPrintLine(
  line: DeskPrintLine,
  jobs: readonly PrintJob[],
): Pick<DeskPrintLine, 'job' | 'note'> {
  const mine = jobs.filter((j) => j.attendeeId === line.attendeeId).sort((a, b) => b.id - a.id)[0];
  if (mine && mine.id > line.afterJobId) return { job: mine, note: null };
  if (mine && mine.state === 'printed')
    return { job: null, note: 'Badge printed before; use Print badge for a reprint' };
  return { job: null, note: 'No badge was queued; see the Print queue' };
}

/** The newest version of the line's job among `jobs` (pushes in any order); the same line when nothing is newer. */
export function followPrintLine(line: DeskPrintLine, jobs: readonly PrintJob[]): DeskPrintLine {
  let job = line.job;
  for (const j of jobs) {
    if (j.reason !== line.reason || j.attendeeId !== line.attendeeId || j.id <= line.afterJobId) continue;
    if (!job || j.id > job.id) job = j;
    else if (j.id === job.id) job = newerJob(job, j);
  }
  return job === line.job ? line : { ...line, job, note: null };
}

/** The person a check-in answer names: the panel's Undo, Print badge, Confirm, their order and door facts. */
export function answerActions(
  outcome: CheckInOutcome,
  printLine: DeskPrintLine | null,
): Pick<DeskFeedback, 'undoable' | 'printable' | 'person' | 'confirmable' | 'order' | 'overridable'> {
  switch (outcome.kind) {
    case 'checked_in':
      return {
        undoable: outcome.attendee,
        printable: printLine ? null : outcome.attendee,
        person: outcome.attendee,
        order: outcome.order ?? null,
      };
    case 'already_checked_in':
      return {
        undoable: outcome.attendee,
        printable: outcome.attendee,
        person: outcome.attendee,
        order: outcome.order ?? null,
      };
    case 'needs_confirmation':
      // Nothing was written: the operator reads the reason and confirms, or turns the person away.
      return { undoable: null, printable: null, person: outcome.attendee, confirmable: outcome.attendee };
    case 'not_attending':
    case 'not_yet_attending':
      return { undoable: null, printable: null, person: outcome.attendee };
    case 'refused':
      return { undoable: null, printable: null, person: outcome.attendee, overridable: outcome.attendee };
    case 'exited':
      // Undo at an exit desk takes the exit back.
      return { undoable: outcome.attendee, printable: null, person: outcome.attendee };
    case 'not_found':
      return { undoable: null, printable: null };
  }
}
