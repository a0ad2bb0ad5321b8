// The check-in desk's rules that both sides need: what a check-in answer can be and what the desk
// says for each, when an event counts as "working offline", and what each provider accepts back.
// Pure: no Node, no DOM.
import type { Attendee, ProviderKind } from './types.ts';
import { PROVIDER_LABEL } from './types.ts';
import type { PrintJob } from './printing.ts';
import type { PriorPrint } from './venue.ts';
import { attentionPrompt, type AdmissionStamp, type OrderGroup } from './door.ts';
import { looksLikeTicketCode } from './ticket-code.ts';
import { refusalText, type ListRefusal } from './lists.ts';

/** Where the desk stands with one attendee, derived from the append-only check-in log. */
export interface CheckInState {
  /** Time of the check-in (ISO). */
  at: string;
  /** The station's name, as set in its settings ("Desk 2"). */
  station: string;
}

/**
 * The answer to a check-in attempt. Refusals are answers, not errors: the desk shows them.
 * Errors (typed AppError) are for bad input: an unknown event, an attendee of another event.
 */
export type CheckInOutcome =
  | {
      kind: 'checked_in';
      attendee: Attendee;
      actionId: string;
      via: 'scan' | 'search';
      /** The badge queued by this check-in (auto-print), or null. */
      printJob: PrintJob | null;
      /**
       * A badge the venue already printed for this person (at any desk), when this check-in queued
       * none: the desk asks "Badge printed at Desk 1 at 10:42 — reprint?" (priorPrintPrompt).
       */
      priorPrint?: PriorPrint | null;
      /** The other people of this person's order, when it has several (shared/door.ts). */
      order?: OrderGroup | null;
      /** The check-in list, when it is not the event's main list (shared/lists.ts). */
      list?: ListRef;
      /** An admin admitted the person over the list's refusal, for this reason. */
      override?: string;
    }
  | {
      kind: 'already_checked_in';
      attendee: Attendee;
      /** The other people of this person's order, when it has several: the rest may still come in. */
      order?: OrderGroup | null;
    }
  /** The desk's check-in list does not admit this person now; an admin may override, with a reason. */
  | { kind: 'refused'; attendee: Attendee; list: ListRef; refusal: ListRefusal }
  /** A desk in exit mode recorded the person leaving the list. */
  | { kind: 'exited'; attendee: Attendee; actionId: string; list: ListRef }
  | { kind: 'not_attending'; attendee: Attendee }
  | { kind: 'not_yet_attending'; attendee: Attendee }
  | { kind: 'not_found'; code: string }
  /** A person flagged "needs attention": nothing is written until the operator confirms (shared/door.ts). */
  | { kind: 'needs_confirmation'; attendee: Attendee; reason: string };

/** A check-in list as an answer names it. */
export interface ListRef {
  id: string;
  name: string;
}

/**
 * What an undo did to the person's first badge. A badge still waiting in the queue (queued, or
 * failed and not printed) from that check-in is cancelled, and the person's first print is free
 * again for their real check-in; one already printing or printed, or sent by a manual or batch
 * print, is left alone and named, so the operator can take a printed badge back.
 */
export type UndoBadge = { kind: 'cancelled'; job: PrintJob } | { kind: 'kept'; job: PrintJob };

export type UndoOutcome =
  | {
      kind: 'undone';
      attendee: Attendee;
      actionId: string;
      /** The person's first badge, or null when there is none (or on a retried call's answer). */
      badge: UndoBadge | null;
    }
  | { kind: 'not_checked_in'; attendee: Attendee }
  /** At an exit desk: the person has no exit to take back. */
  | { kind: 'not_checked_out'; attendee: Attendee };

export interface DeskSearchResult {
  /** Best first: exact barcode, exact name, then by relevance (name matches above email/company). */
  rows: Attendee[];
  /** More rows matched than were returned. */
  more: boolean;
}

export interface CheckInLogEntry {
  id: number;
  actionId: string;
  attendeeId: number;
  attendeeName: string;
  email: string | null;
  ticketName: string | null;
  /** An entry (a check-in), an exit, or an undo of one. */
  action: 'check_in' | 'undo' | 'exit';
  station: string;
  at: string;
  /** The check-in list of a row of another list than the main one (shared/lists.ts). */
  listId?: string;
  /** An entry an admin let in over the list's refusal: the reason given. */
  override?: string;
  /** The person's check-ins not undone at two or more desks (Recent check-ins says "Admitted twice"). */
  admittedAt?: AdmissionStamp[];
  /** Registered at the door (a walk-in). */
  walkIn?: boolean;
}

export interface TicketStats {
  ticketName: string | null;
  attending: number;
  checkedIn: number;
}

export interface CheckInStats {
  eventId: number;
  /** ATTENDING rows: the denominator of "checked in / attending". */
  attending: number;
  /** ATTENDING rows currently checked in. */
  checkedIn: number;
  /** Rows checked in here and since cancelled on the provider: flagged for a person to look at. */
  cancelledAfterCheckIn: number;
  byTicket: TicketStats[];
  /** Current check-ins by the desk that shows them (the earliest not undone), the venue's desks together. */
  byDesk?: { stationName: string; checkedIn: number }[];
  /** Current check-ins by the quarter hour they arrived in (UTC slot starts, ISO), oldest first, no gaps. */
  arrivals: { slotStart: string; count: number }[];
  lastCheckInAt: string | null;
  /** Walk-ins of the event: registered (not linked to a provider record), and checked in now. */
  walkIns?: { registered: number; checkedIn: number };
  /** People admitted at two or more desks (the event page leads to the list). */
  doubleAdmissions?: number;
  /** A check-in of the event was made at another desk: statistics by desk are shown (shared/door.ts). */
  checkInsElsewhere?: boolean;
}

export const ARRIVAL_SLOT_MINUTES = 15;

/** Checked in at this desk, then cancelled on the provider: flagged, never silently changed. */
export function isCancelledAfterCheckIn(a: Pick<Attendee, 'status' | 'checkedIn'>): boolean {
  return a.checkedIn !== null && a.status === 'NOT_ATTENDING';
}

export interface CheckInFeedback {
  tone: 'success' | 'vip' | 'warning' | 'error';
  title: string;
  /** The person's name (or the scanned code), shown as text. */
  subject: string;
  detail: string | null;
}

/** What the desk shows for a check-in answer. `time` formats an ISO time as the station's HH:MM. */
export function describeCheckInOutcome(
  outcome: CheckInOutcome,
  time: (iso: string) => string,
): CheckInFeedback {
  switch (outcome.kind) {
    case 'checked_in': {
      const a = outcome.attendee;
      const detail = [a.ticketName, a.company].filter(Boolean).join(' · ') || null;
      return a.vip
        ? { tone: 'vip', title: 'VIP checked in', subject: a.fullName, detail }
        : { tone: 'success', title: 'Checked in', subject: a.fullName, detail };
    }
    case 'already_checked_in': {
      const c = outcome.attendee.checkedIn;
      return {
        tone: 'warning',
        title: 'Already checked in',
        subject: outcome.attendee.fullName,
        detail: c ? `Already checked in at ${time(c.at)} at ${c.station}` : null,
      };
    }
    case 'not_attending':
      return {
        tone: 'error',
        title: 'Not attending (cancelled)',
        subject: outcome.attendee.fullName,
        detail: outcome.attendee.providerStatus
          ? `Provider status: ${outcome.attendee.providerStatus}`
          : null,
      };
    case 'not_yet_attending':
      return {
        tone: 'error',
        title: 'Not attending yet',
        subject: outcome.attendee.fullName,
        detail: `Registration is ${outcome.attendee.providerStatus ?? 'not approved yet'}; an organiser must approve it first`,
      };
    case 'not_found':
      return { tone: 'error', title: 'Not found', subject: outcome.code, detail: notFoundText(outcome.code) };
    case 'needs_confirmation':
      return {
        tone: 'warning',
        title: 'Needs attention',
        subject: outcome.attendee.fullName,
        detail: attentionPrompt(outcome.reason),
      };
    case 'refused':
      return {
        tone: 'error',
        title: 'Not admitted',
        subject: outcome.attendee.fullName,
        detail: refusalText(outcome.refusal),
      };
    case 'exited':
      return {
        tone: 'success',
        title: 'Checked out',
        subject: outcome.attendee.fullName,
        detail: `Left ${outcome.list.name}`,
      };
  }
}

/** Longer codes are cut to this in "No ticket with code …". */
const CODE_SHOWN_MAX = 24;

/**
 * What "not found" says: of a ticket code when the text reads as one (looksLikeTicketCode), else
 * of the person typed: "No ticket with code 5000123…", "No one matches “xyz”".
 */
export function notFoundText(text: string): string {
  const typed = text.trim();
  if (!looksLikeTicketCode(typed)) return `No one matches “${typed}”`;
  const shown = typed.length > CODE_SHOWN_MAX ? `${typed.slice(0, CODE_SHOWN_MAX)}…` : typed;
  return `No ticket with code ${shown}`;
}

export interface UndoFeedback {
  tone: 'info' | 'warning';
  title: string;
  subject: string;
  detail: string | null;
}

/** What the badge line of an undo says; a badge that is out (or may be) is a warning: someone holds it. */
function undoBadgeLine(badge: UndoBadge | null): { warn: boolean; text: string | null } {
  if (badge === null) return { warn: false, text: null };
  if (badge.kind === 'cancelled') return { warn: false, text: 'The badge was taken out of the print queue' };
  switch (badge.job.state) {
    case 'printed':
      return { warn: true, text: 'The badge already printed: take it back' };
    case 'printing':
      return { warn: true, text: 'The badge is already printing: take it back' };
    case 'may_have_printed':
      return { warn: true, text: 'The badge may have printed: check the printer' };
    case 'queued':
    case 'failed':
      return { warn: false, text: 'The badge stays in the print queue' };
    case 'cancelled':
      return { warn: false, text: null };
  }
}

/** What the desk shows for an undo answer. */
export function describeUndoOutcome(outcome: UndoOutcome): UndoFeedback {
  if (outcome.kind === 'not_checked_in') {
    return {
      tone: 'warning',
      title: 'Not checked in',
      subject: outcome.attendee.fullName,
      detail: 'There is no check-in to undo',
    };
  }
  if (outcome.kind === 'not_checked_out') {
    return {
      tone: 'warning',
      title: 'Not checked out',
      subject: outcome.attendee.fullName,
      detail: 'There is no exit to undo',
    };
  }
  const line = undoBadgeLine(outcome.badge);
  return {
    tone: line.warn ? 'warning' : 'info',
    title: 'Check-in undone',
    subject: outcome.attendee.fullName,
    detail: line.text,
  };
}

export { OFFLINE_REASON, isWorkingOffline } from './sync-status.ts';

/** "Offline — working from local data, last synced HH:MM". */
export function offlineHeaderText(lastSyncedAt: string | null, time: (iso: string) => string): string {
  return `Offline — working from local data, ${lastSyncedAt ? `last synced ${time(lastSyncedAt)}` : 'not synced yet'}`;
}

/**
 * Whether a provider accepts check-ins through its API (docs/PROVIDERS.md). Neither is confirmed, so
 * check-ins stay on this station; the event settings say so. A provider that gains a documented
 * endpoint gets an outbox here, not a guess.
 */
export const CHECKIN_WRITE_BACK: Record<ProviderKind, { supported: false; explanation: string }> = {
  eventbrite: {
    supported: false,
    explanation: `${PROVIDER_LABEL.eventbrite} has no documented API to mark an attendee checked in, so check-ins stay on this station. Export the log as CSV to keep a record.`,
  },
  luma: {
    supported: false,
    explanation: `${PROVIDER_LABEL.luma}'s public API is not known to accept check-ins, so check-ins stay on this station. Export the log as CSV to keep a record.`,
  },
};
