// The desk slice's state and actions, as the desk's screens and the store see them.
import type { Attendee } from '../../../shared/types.ts';
import type { CheckInLogEntry } from '../../../shared/desk.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import type { FirstBadgeResult } from '../venue/state.ts';
import type { DeskFeedback, DeskFeedbackInput } from './desk-feedback.ts';

/** The results on the desk, and the exact field text they answer. */
export interface DeskResults {
  query: string;
  rows: Attendee[];
  more: boolean;
}

export interface DeskState {
  eventId: number;
  /** The search field's text. */
  query: string;
  results: DeskResults | null;
  /** The row the operator chose with ↑ ↓ (Enter checks that one in); null while no one is chosen. */
  highlight: number | null;
  searchError: string | null;
  /** Check-in, undo or print calls not answered yet. */
  pending: number;
  feedback: DeskFeedback | null;
  /** Recent check-in log entries, newest first; null until the first answer. */
  log: CheckInLogEntry[] | null;
  logError: string | null;
  /** Check-ins the station could not save (disk full, folder read-only or gone): tried again, with their own action ids, once it can. */
  unsaved: number;
  /** Bumped when the field's text is to be selected: a "not found" keeps it, and the next keystroke replaces it. */
  selectQuery: number;
}

export interface DeskSlice {
  /** The check-in desk, while its screen is open. */
  desk: DeskState | null;
  /** The desk's search field changed: search as the operator types. */
  deskType(text: string): void;
  /** Moves the choice through the results (wraps); the first move from no choice goes to the first or last row. */
  deskMove(delta: number): void;
  /** Escape: clears the field, the results and the choice (the feedback stays). */
  deskClear(): void;
  /**
   * Enter in the search field with its current text: checks in the chosen row, the exact ticket
   * code or the only match; with several matches it moves to the first row and asks (decideEnter).
   */
  deskEnter(text: string): Promise<void>;
  /**
   * A code the camera read (`binary`: the decoder found bytes, not text): the path a scanner's
   * Enter takes, with no choice made. A code the desk must not look up (shared/scanned-code.ts)
   * is said as "not found" or "another event". Enter's own text goes through the same screen.
   */
  deskScan(text: string, decoded?: { binary?: boolean }): Promise<void>;
  /** A row's "Check in": checks that person in. */
  deskCheckIn(attendee: Attendee): Promise<void>;
  deskUndo(attendee: Attendee): Promise<void>;
  /** "Admit anyway": an admin admits a person the desk's list refused, with a reason (logged by main). */
  deskOverride(attendee: Attendee, reason: string): Promise<void>;
  /** "Confirm and check in": a person flagged "needs attention", once the operator confirmed (logged by main). */
  deskConfirm(attendee: Attendee): Promise<void>;
  /**
   * A desk action of another slice (the door's: a walk-in, a whole order, its undo), run in the
   * desk's queue after the ones before it: its answer shows on the panel, and the log, the event and
   * the statistics follow. An error is the caller's to show.
   */
  deskAction(eventId: number, run: () => Promise<DeskFeedbackInput | null>): Promise<void>;
  /** "Print badge only": the person's first badge, without a check-in; the panel says what it did. */
  deskPrintBadge(attendee: Attendee): Promise<FirstBadgeResult>;
  /** A reprint sent from the desk's dialog: the panel follows it. */
  deskReprinted(attendee: Attendee, job: PrintJob): void;
  /** The check-in log as CSV (admin). */
  exportCheckIns(eventId: number): Promise<{ filename: string; csv: string }>;
  /** A fresh copy of an attendee from an answer (another slice's): replaces its row in the results. */
  replaceDeskRow(attendee: Attendee): void;
}
