// What the desk's answer panel says after the door's actions: a walk-in registered and checked in,
// a badge name corrected (and reprinted), a whole order checked in, and its undo. Pure: the door
// slice shows them through the desk's queue (deskAction).
import type { Attendee } from '../../../shared/types.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { describeCheckInOutcome } from '../../../shared/desk.ts';
import {
  groupCheckInText,
  type GroupCheckInOutcome,
  type GroupUndoOutcome,
  type WalkInResult,
} from '../../../shared/door.ts';
import { plural } from '../ui/format.ts';
import { answerActions, jobPrintLine, type DeskFeedbackInput, type DeskPrintLine } from './desk-feedback.ts';

/** The print line that follows a badge the door's action queued. */
function doorPrintLine(job: PrintJob | null): DeskPrintLine | null {
  if (!job) return null;
  const reason = job.reason === 'manual' || job.reason === 'reprint' ? job.reason : 'check_in';
  return jobPrintLine(job, reason);
}

/** "Walk-in checked in", the person marked as a walk-in, their badge followed to the printer. */
export function walkInFeedback(result: WalkInResult, time: (iso: string) => string): DeskFeedbackInput {
  const view = describeCheckInOutcome(result.checkIn, time);
  const print = doorPrintLine(result.printJob);
  return {
    ...view,
    title: result.checkIn.kind === 'checked_in' ? 'Walk-in checked in' : view.title,
    ...answerActions(result.checkIn, print),
    // The walk-in as main reads it now (marked "Walk-in", with their ticket's note).
    person: result.attendee,
    print,
  };
}

/** "Name corrected — badge reprinting", the provider's record beside the corrected name. */
export function correctionFeedback(
  corrected: Attendee,
  printJob: PrintJob | null,
  reprintAsked: boolean,
): DeskFeedbackInput {
  return {
    tone: 'info',
    title: reprintAsked ? 'Name corrected — badge reprinting' : 'Name corrected',
    subject: corrected.fullName,
    detail: corrected.correction ? null : 'The badge prints the name on the registration again',
    undoable: corrected.checkedIn ? corrected : null,
    person: corrected,
    print: doorPrintLine(printJob),
  };
}

/** Up to three names, then "and 2 more". */
function namesOf(people: readonly Attendee[]): string {
  const shown = people.slice(0, 3).map((a) => a.fullName);
  const more = people.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** "3 checked in · 1 already checked in", the badges sent as one batch, and an Undo of the group. */
export function groupFeedback(eventId: number, outcome: GroupCheckInOutcome): DeskFeedbackInput {
  const admitted = outcome.results.filter((r) => r.result === 'checked_in').map((r) => r.attendee);
  const batch =
    outcome.printJobs.length > 0
      ? ` · ${plural(outcome.printJobs.length, 'badge', 'badges')} sent to the printer`
      : '';
  return {
    tone: admitted.length > 0 ? 'success' : 'warning',
    title: admitted.length > 0 ? 'Order checked in' : 'Nobody checked in',
    subject: namesOf(admitted.length > 0 ? admitted : outcome.results.map((r) => r.attendee)),
    detail: `${groupCheckInText(outcome)}${batch}`,
    undoable: null,
    group: admitted.length > 0 ? { eventId, actionId: outcome.actionId, checkedIn: admitted.length } : null,
  };
}

/** "Group check-in undone": each check-in the group made, taken back. */
export function groupUndoFeedback(outcome: GroupUndoOutcome): DeskFeedbackInput {
  return {
    tone: 'info',
    title: 'Group check-in undone',
    subject: namesOf(outcome.undone),
    detail:
      outcome.undone.length > 0
        ? `${plural(outcome.undone.length, 'check-in', 'check-ins')} taken back`
        : 'Each of these check-ins was already undone',
    undoable: null,
  };
}
