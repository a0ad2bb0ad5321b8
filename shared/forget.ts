// Forgetting an event on this desk: what the desk removes (every attendee's personal data of the
// event) and what it keeps (counts and the anonymous check-in log, for statistics), whether the
// check-ins made here are held anywhere else first, and when an event is due to be forgotten by
// the retention rule. Pure: main applies these rules, the renderer shows these texts.

/** "Forget events N days after they end": the default, and the bounds an admin may set. */
export const DEFAULT_FORGET_AFTER_DAYS = 30;
export const MIN_FORGET_AFTER_DAYS = 1;
export const MAX_FORGET_AFTER_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Who forgot the event here: an admin, the retention rule, or the desk's removal from the venue. */
export type ForgetReason = 'admin' | 'retention' | 'removed';

export interface ForgottenEvent {
  at: string;
  reason: ForgetReason;
}

/**
 * Where the check-ins made on this desk are held besides here, as the desk last confirmed it:
 * another desk or the relay holds every one (its answer matched this desk's own list of them), or
 * an admin exported them as CSV before forgetting; or nobody is known to hold them all.
 */
export type CheckInsHeld =
  | { kind: 'none-made' }
  | { kind: 'held'; made: number; by: string; relay: boolean; at: string }
  | { kind: 'exported'; made: number; file: string; at: string }
  | { kind: 'not-held'; made: number; unheld: number; why: string };

export interface ForgetCheck {
  eventId: number;
  eventName: string;
  /** Already forgotten here (the check then changes nothing). */
  forgotten: ForgottenEvent | null;
  /** What forgetting removes from this desk. */
  removes: {
    /** People of the event (registered and walk-ins): names, emails, companies, answers, notes, corrections. */
    people: number;
    /** The event's venue documents kept on this desk. */
    venueDocuments: number;
    /** Badge PDFs in a PDF printer's folder, and CSV files this desk wrote. */
    badgeFiles: number;
    csvFiles: number;
  };
  /** What stays: the counts the statistics show, and the anonymous log (times, desks, ticket types). */
  keeps: { attending: number; checkedIn: number; logEntries: number };
  held: CheckInsHeld;
  /** Badges of the event still waiting to print (queued, printing, retrying or awaiting a person). */
  waitingPrints: number;
}

export interface ForgetOutcome {
  eventId: number;
  forgotten: ForgottenEvent;
  removed: { people: number; venueDocuments: number; files: number };
}

/** An event the retention rule or the desk's removal would forget, and why it has not yet. */
export interface ForgetDue {
  reason: Exclude<ForgetReason, 'admin'>;
  since: string;
  /** Why it waits: its check-ins are held nowhere else (export the CSV), a badge waits to print, or a sync runs. */
  blockedBy: 'not-held' | 'print-waiting' | 'sync-running';
  detail: string;
}

/** Why a forget was refused (the typed error's details carry it). */
export type ForgetRefusal =
  | { refusal: 'print-waiting'; waiting: number }
  | { refusal: 'not-held'; held: CheckInsHeld }
  | { refusal: 'forgotten'; forgotten: ForgottenEvent };

/**
 * When an event is due to be forgotten: N days after it ends (its start when it names no end).
 * An event that names neither is never due by itself (an admin forgets it by hand).
 */
export function forgetDueAt(
  event: { endsAt: string | null; startsAt: string | null },
  days: number,
): number | null {
  const end = Date.parse(event.endsAt ?? event.startsAt ?? '');
  return Number.isNaN(end) ? null : end + days * DAY_MS;
}

/** Whether every check-in made here is held elsewhere (or none was made): forgetting loses none. */
export function checkInsSafe(held: CheckInsHeld): boolean {
  return held.kind !== 'not-held';
}

/** "The 12 check-ins made on this desk are held by no other desk or relay (why)", or "3 of the 12 …". */
export function unheldText(held: Extract<CheckInsHeld, { kind: 'not-held' }>): string {
  const { made, unheld, why } = held;
  const which =
    unheld < made
      ? `${unheld} of the ${made} check-ins made on this desk are`
      : made === 1
        ? 'The check-in made on this desk is'
        : `The ${made} check-ins made on this desk are`;
  return `${which} held by no other desk or relay (${why})`;
}

/** What the desk says of its check-ins before forgetting. */
export function heldText(held: CheckInsHeld, hhmm: (iso: string) => string): string {
  switch (held.kind) {
    case 'none-made':
      return 'No check-ins were made on this desk: none can be lost.';
    case 'held':
      return `Every check-in made on this desk (${held.made}) is held by ${held.relay ? 'the relay' : held.by} (confirmed at ${hhmm(held.at)}).`;
    case 'exported':
      return `The check-ins made on this desk (${held.made}) were exported as ${held.file} at ${hhmm(held.at)}: keep that file.`;
    case 'not-held':
      return `${unheldText(held)}. Export the CSV first.`;
  }
}

/** Why a forget was refused, in the admin's words. */
export function refusalText(r: ForgetRefusal, hhmm: (iso: string) => string): string {
  switch (r.refusal) {
    case 'print-waiting':
      return `${r.waiting === 1 ? 'A badge' : `${r.waiting} badges`} of this event ${r.waiting === 1 ? 'is' : 'are'} waiting to print: print or cancel ${r.waiting === 1 ? 'it' : 'them'} in the print queue first.`;
    case 'not-held':
      return heldText(r.held, hhmm);
    case 'forgotten':
      return `This event was already forgotten on this desk at ${hhmm(r.forgotten.at)}.`;
  }
}

/** What the confirmation says is removed and what stays. */
export const FORGET_REMOVES_TEXT =
  "Removed from this desk: every attendee's name, email, company, order and ticket code, registration answers, " +
  "walk-ins, badge-name corrections, notes and flags, the event's venue documents, the badge PDFs in the PDF " +
  'printer’s folder and the CSV files this desk saved.';
export const FORGET_KEEPS_TEXT =
  'Kept, for statistics: the counts (attending, checked in, by ticket type) and the anonymous check-in log ' +
  '(times, desks, lists). The event itself stays in the list, marked forgotten; it no longer syncs here.';

/** How the event's page names a forgotten event. */
export function forgottenText(f: ForgottenEvent, date: (iso: string) => string): string {
  const by =
    f.reason === 'admin'
      ? 'by an admin'
      : f.reason === 'retention'
        ? 'by the retention setting'
        : 'when this desk was removed from the venue';
  return `Forgotten on this desk ${date(f.at)}, ${by}: its attendees' personal data is gone from here; the counts stay.`;
}
