// Kiosk self check-in: a station an admin turned into a kiosk for one event, where attendees
// check themselves in. One screen: "Scan your ticket", or type an email or order code. The kiosk
// never lists or suggests anyone: what it looks up names one person or none, and a name typed
// instead of an email is asked for the email or order code. Anything staff must see ("needs
// attention", not valid, cancelled, not found, already in) sends the person to staff, calmly.
// Pure: main's kiosk and the kiosk screen use the same rules and words.
import type { Attendee } from './types.ts';
import type { CheckInOutcome } from './desk.ts';
import { looksLikeTicketCode } from './ticket-code.ts';

/** The kiosk returns to its first screen, showing no one, after this long without input. */
export const KIOSK_IDLE_MS = 20_000;

/** What this station is while a kiosk. `collectAt`: where the badge is collected ("at the badge table"). */
export interface KioskStatus {
  eventId: number;
  eventName: string;
  /** The check-in list the kiosk admits to: the station's desk list for the event when it started. */
  listId: string;
  listName: string;
  collectAt: string;
  /** This station prints badges (a printer is set and badges print at check-in). */
  printsBadges: boolean;
}

export const MAX_COLLECT_AT_CHARS = 80;

/** What a kiosk user typed or scanned is taken as. */
export type KioskQuery = { kind: 'email'; email: string } | { kind: 'code'; code: string } | { kind: 'name' };

/** An email has an @; a ticket or order code is one word with a digit; anything else reads as a name. */
export function kioskQueryOf(text: string): KioskQuery {
  const t = text.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) return { kind: 'email', email: t };
  if (looksLikeTicketCode(t)) return { kind: 'code', code: t };
  return { kind: 'name' };
}

/** The one person the kiosk may show: their own name, company and ticket, nothing of anyone else. */
export interface KioskPerson {
  attendeeId: number;
  firstName: string | null;
  lastName: string | null;
  fullName: string;
  company: string | null;
  ticketName: string | null;
}

export function kioskPersonOf(a: Attendee): KioskPerson {
  return {
    attendeeId: a.id,
    firstName: a.firstName,
    lastName: a.lastName,
    fullName: a.fullName,
    company: a.company,
    ticketName: a.ticketName,
  };
}

/** Why the kiosk sends a person to staff. */
export type KioskStaffReason = 'not_found' | 'not_valid' | 'cancelled' | 'needs_attention' | 'already_in';

export type KioskFind =
  | { kind: 'person'; person: KioskPerson }
  /** Two or more people share the email: the order code tells them apart. */
  | { kind: 'ask_order_code' }
  /** A name was typed: the kiosk asks for the email or order code, and shows no one. */
  | { kind: 'ask_email' }
  | { kind: 'see_staff'; reason: KioskStaffReason };

/** Whether a found person may check in at the kiosk, or must see staff first. */
export function kioskVerdict(a: Attendee): KioskFind {
  if (a.status === 'NOT_ATTENDING') return { kind: 'see_staff', reason: 'cancelled' };
  if (a.status === 'NOT_YET_ATTENDING') return { kind: 'see_staff', reason: 'not_valid' };
  if (a.attention) return { kind: 'see_staff', reason: 'needs_attention' };
  if (a.checkedIn) return { kind: 'see_staff', reason: 'already_in' };
  return { kind: 'person', person: kioskPersonOf(a) };
}

/** A check-in's outcome at the kiosk: done, or to staff (the same reasons, said the same way). */
export function kioskOutcomeReason(outcome: CheckInOutcome): KioskStaffReason | null {
  switch (outcome.kind) {
    case 'checked_in':
      return null;
    case 'already_checked_in':
      return 'already_in';
    case 'needs_confirmation':
      return 'needs_attention';
    case 'not_attending':
      return 'cancelled';
    case 'not_yet_attending':
      return 'not_valid';
    case 'not_found':
      return 'not_found';
    default:
      // An outcome the kiosk does not know (a rule added later) is for staff to see.
      return 'not_valid';
  }
}

/** The calm words of "please see staff": no reason that would alarm, and nothing about anyone. */
export const KIOSK_STAFF_TEXT: Record<KioskStaffReason, string> = {
  not_found: 'We could not find your ticket. Please see a member of staff at the desk — they will help you.',
  not_valid: 'Your ticket needs a quick check. Please see a member of staff at the desk.',
  cancelled: 'Your ticket needs a quick check. Please see a member of staff at the desk.',
  needs_attention: 'Please see a member of staff at the desk — they will check you in.',
  already_in: 'You are already checked in. For a new badge, please see a member of staff at the desk.',
};

export const KIOSK_ASK_EMAIL_TEXT = 'Please type the email you registered with, or your order code.';
export const KIOSK_ASK_ORDER_TEXT = 'More than one ticket uses this email. Please type your order code.';

/** The station name a kiosk's check-ins and badge-name corrections are logged under. */
export function kioskStationName(stationName: string): string {
  return `${stationName.trim().slice(0, 50)} (kiosk)`;
}
