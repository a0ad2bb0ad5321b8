// The door as it really is: walk-ins, badge-name corrections, whole orders, and what staff must
// notice at check-in. The rules and texts both sides need; the venue entries that carry these facts
// between desks are shared/door-entries.ts (with their schemas), the channels shared/door-ipc.ts.
// Pure: no Node, no DOM, no zod (the renderer imports it).
import type { Attendee } from './types.ts';
import type { CheckInOutcome } from './desk.ts';
import type { PrintJob } from './printing.ts';
import { looksLikeTicketCode } from './ticket-code.ts';

// ---- walk-ins ----

/**
 * A walk-in's attendee id: this prefix and a UUID. No provider's ids look like it (Eventbrite's are
 * digits, Luma's `gst-…`), and a provider row or roster entry that does is refused, so a sync can
 * never write over a walk-in.
 */
export const WALK_IN_ID_PREFIX = 'walk-in:';
export const WALK_IN_ID = /^walk-in:[A-Za-z0-9-]{8,64}$/;

export function isWalkInId(providerAttendeeId: string): boolean {
  return providerAttendeeId.startsWith(WALK_IN_ID_PREFIX);
}

export function walkInIdOf(uuid: string): string {
  return `${WALK_IN_ID_PREFIX}${uuid}`;
}

/** The ticket a walk-in holds when the operator picks none of the event's ticket types. */
export const WALK_IN_TICKET = 'Walk-in';
/** The status text a walk-in carries where a provider's own status would be. */
export const WALK_IN_STATUS = 'Walk-in';
/** The status text of a walk-in an admin linked to the provider's record of the same person. */
export const LINKED_WALK_IN_STATUS = 'Walk-in, linked to a registration';

/** The ticket types an operator may give a walk-in: the event's, then "Walk-in" (once). */
export function walkInTicketChoices(eventTicketNames: readonly (string | null)[]): string[] {
  const names = eventTicketNames.filter((n): n is string => n !== null && n.trim() !== '');
  return [...new Set([...names, WALK_IN_TICKET])];
}

/** What registering a walk-in answers: the person, their check-in (the desk's own), their badge. */
export interface WalkInResult {
  attendee: Attendee;
  checkIn: CheckInOutcome;
  /** The badge queued for them (at check-in, or at once where the station has a printer), or null. */
  printJob: PrintJob | null;
}

/** What the walk-in form offers: whether the event takes walk-ins, and the ticket types to pick from. */
export interface WalkInChoices {
  enabled: boolean;
  tickets: string[];
}

// ---- text a person types at the door ----

export const MAX_NAME_CHARS = 100;
export const MAX_COMPANY_CHARS = 200;
export const MAX_EMAIL_CHARS = 254;
export const MAX_NOTE_CHARS = 500;
export const MAX_REASON_CHARS = 200;

export type TextCheck = { ok: true; value: string | null } | { ok: false; reason: string };

/**
 * One field a person typed, as stored: trimmed, never normalized (a name with right-to-left or
 * combining characters prints as typed). Refused: control characters and line breaks (a name is one
 * line of text), more than `max` characters, and, where the field names a person, text without a
 * letter or digit (only spaces, only punctuation). Empty is null where the field is optional.
 */
export function checkDoorText(
  value: string | null | undefined,
  field: { label: string; max: number; required: boolean; name?: boolean },
): TextCheck {
  const text = (value ?? '').trim();
  if (text === '') {
    return field.required ? { ok: false, reason: `${field.label} is required` } : { ok: true, value: null };
  }
  if (/[\p{Cc}\u2028\u2029]/u.test(text))
    return { ok: false, reason: `${field.label} holds control characters or line breaks` };
  if (text.length > field.max)
    return { ok: false, reason: `${field.label} is longer than ${field.max} characters` };
  if (field.name && !/[\p{L}\p{N}]/u.test(text))
    return { ok: false, reason: `${field.label} needs at least one letter or digit` };
  return { ok: true, value: text };
}

/** A light check, enough to catch a name typed in the email field; the provider is not asked. */
export function checkEmail(value: string | null | undefined): TextCheck {
  const text = checkDoorText(value, { label: 'The email', max: MAX_EMAIL_CHARS, required: false });
  if (!text.ok || text.value === null) return text;
  return /^[^\s@]+@[^\s@]+$/.test(text.value) ? text : { ok: false, reason: 'The email is not an address' };
}

/** First and last name as one, the way providers write `fullName`. */
export function fullNameOf(firstName: string | null, lastName: string | null): string {
  return [firstName, lastName].filter((p): p is string => p !== null && p !== '').join(' ');
}

// ---- badge-name corrections ----

/** The name and company a correction prints, in place of the provider's. */
export interface BadgeName {
  firstName: string;
  lastName: string | null;
  company: string | null;
}

/**
 * A correction as an attendee carries it. The attendee's firstName, lastName, fullName and company
 * are the corrected ones (what prints and what the desk shows); the provider's record is here.
 */
export interface NameCorrection {
  provider: { firstName: string | null; lastName: string | null; fullName: string; company: string | null };
  /** The provider's name and company when the correction was made. */
  base: { fullName: string; company: string | null };
  at: string;
  stationName: string;
}

/**
 * Whether the provider changed the corrected fields after the correction was made. The correction
 * stays until someone clears it; the desk then shows both.
 */
export function providerChangedSinceCorrection(c: NameCorrection): boolean {
  return c.provider.fullName !== c.base.fullName || c.provider.company !== c.base.company;
}

/** "Corrected at Desk 2 · provider: Jon Smith, Acme" (and "changed on the provider since" when it did). */
export function correctionText(c: NameCorrection): string {
  const provider = [c.provider.fullName, c.provider.company].filter(Boolean).join(', ');
  const changed = providerChangedSinceCorrection(c) ? ' (changed on the provider since)' : '';
  return `Corrected at ${c.stationName} · provider: ${provider}${changed}`;
}

/** The reprint reason after a correction: a second copy stays a reprint, with this reason. */
export const NAME_CORRECTED_REASON = 'name corrected';

// ---- what staff must notice ----

/** A person's note, the note of their ticket type, and a "needs attention" flag with its reason. */
export interface DoorNotes {
  note: string | null;
  ticketNote: string | null;
  attention: string | null;
}

export function doorNotesOf(a: Pick<Attendee, 'note' | 'ticketNote' | 'attention'>): DoorNotes {
  return { note: a.note ?? null, ticketNote: a.ticketNote ?? null, attention: a.attention ?? null };
}

/** What a flagged person's scan answers: the operator confirms, and the confirmation is logged. */
export function attentionPrompt(reason: string): string {
  return `Needs attention: ${reason} — confirm to check in`;
}

// ---- whole orders ----

export interface OrderMember {
  attendee: Attendee;
  /** Whether a group check-in would admit them now (admissibleInGroup). */
  admissible: boolean;
}

/**
 * Whether "Check in all" admits this person now: attending, not checked in, and not flagged "needs
 * attention" (a flagged person comes in only on the operator's own confirmation, one by one).
 */
export function admissibleInGroup(a: Pick<Attendee, 'status' | 'checkedIn' | 'attention'>): boolean {
  return a.status === 'ATTENDING' && a.checkedIn === null && !a.attention;
}

/** The people of one order (two or more), or the tickets of one Luma guest. */
export interface OrderGroup {
  orderId: string;
  members: OrderMember[];
}

/** "Check in all 4": the order's people a group check-in would admit now; null when none are left. */
export function orderActionText(group: OrderGroup): string | null {
  const n = group.members.filter((m) => m.admissible).length;
  if (n === 0) return null;
  return n === 1 ? 'Check in the other person of this order' : `Check in all ${n}`;
}

/** "Check in 2 chosen" for a pick of the order's people; "Check in all 3" when every one left is picked. */
export function orderPickText(group: OrderGroup, picked: number): string | null {
  const all = orderActionText(group);
  if (all === null || picked === 0) return null;
  return picked === group.members.filter((m) => m.admissible).length ? all : `Check in ${picked} chosen`;
}

/** Where one person of an order stands, beside their name in the panel's list. */
export function orderMemberText(m: OrderMember, time: (iso: string) => string): string {
  const a = m.attendee;
  const ticket = a.ticketName ? `${a.ticketName} · ` : '';
  if (a.checkedIn) return `${ticket}Checked in ${time(a.checkedIn.at)} · ${a.checkedIn.station}`;
  if (a.status === 'NOT_ATTENDING') return `${ticket}Not attending`;
  if (a.status === 'NOT_YET_ATTENDING') return `${ticket}Pending`;
  if (a.attention) return `${ticket}Needs attention: ${a.attention}`;
  return `${ticket}Not checked in`;
}

/** A Luma guest holding several tickets is one row: their tickets, in the provider's order. */
export function ticketsOf(a: Pick<Attendee, 'ticketName' | 'otherTicketNames'>): string[] {
  return [a.ticketName, ...(a.otherTicketNames ?? [])].filter((t): t is string => t !== null);
}

export type GroupMemberResult =
  'checked_in' | 'already_checked_in' | 'not_attending' | 'not_yet_attending' | 'needs_confirmation';

export interface GroupCheckInOutcome {
  actionId: string;
  results: { attendee: Attendee; result: GroupMemberResult; actionId: string | null }[];
  /** Badges queued by this group check-in (one batch), in the order of the people. */
  printJobs: number[];
}

export interface GroupUndoOutcome {
  actionId: string;
  /** The people whose check-in by the group was taken back. */
  undone: Attendee[];
}

/** "3 checked in · 1 already checked in · 1 needs attention". */
export function groupCheckInText(o: Pick<GroupCheckInOutcome, 'results'>): string {
  const count = (r: GroupMemberResult) => o.results.filter((x) => x.result === r).length;
  // The verb agrees with the count: "1 needs attention first", "2 need attention first".
  const parts: [number, string, string][] = [
    [count('checked_in'), 'checked in', 'checked in'],
    [count('already_checked_in'), 'already checked in', 'already checked in'],
    [count('not_attending') + count('not_yet_attending'), 'not attending', 'not attending'],
    [count('needs_confirmation'), 'needs attention first', 'need attention first'],
  ];
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
      .join(' · ') || 'Nobody to check in'
  );
}

// ---- a person admitted twice ----

/** Where and when a check-in not undone was made. */
export interface AdmissionStamp {
  at: string;
  station: string;
}

/** "Admitted twice — Front Door 10:24 and Side Door 10:24"; null for one admission or none. */
export function admittedTwiceText(
  stamps: readonly AdmissionStamp[] | undefined,
  time: (iso: string) => string,
): string | null {
  if (!stamps || stamps.length < 2) return null;
  const parts = stamps.map((s) => `${s.station} ${time(s.at)}`);
  const list =
    parts.length === 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Admitted ${stamps.length === 2 ? 'twice' : `${stamps.length} times`} — ${list}`;
}

/** "2 double admissions" for the event page (it leads to the list); null when there are none. */
export function doubleAdmissionsCountText(n: number): string | null {
  if (n <= 0) return null;
  return n === 1 ? '1 person admitted twice' : `${n} people admitted twice`;
}

// ---- possible duplicate walk-ins ----

export interface WalkInSummary {
  attendeeId: number;
  fullName: string;
  email: string | null;
  at: string;
  stationName: string;
}

/** Walk-ins that may be one person: the admin links one to the other, or leaves them. */
export interface DuplicateWalkIn {
  name: string;
  walkIns: WalkInSummary[];
}

const sameText = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Walk-ins registered twice (two desks apart, or one desk twice): the same name (case, accents and
 * spacing aside) or the same email. Each group lists its walk-ins in the order they were registered;
 * groups in the order of their first registration.
 */
export function duplicateWalkIns(walkIns: readonly WalkInSummary[]): DuplicateWalkIn[] {
  const parent = walkIns.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const byKey = new Map<string, number>();
  walkIns.forEach((w, i) => {
    const keys = [`n:${sameText(w.fullName)}`, ...(w.email ? [`e:${w.email.trim().toLowerCase()}`] : [])];
    for (const k of keys) {
      const j = byKey.get(k);
      if (j === undefined) byKey.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, WalkInSummary[]>();
  walkIns.forEach((w, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), w]));
  const order = (a: WalkInSummary, b: WalkInSummary) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.attendeeId - b.attendeeId;
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => [...g].sort(order))
    .sort((a, b) => order(a[0]!, b[0]!))
    .map((g) => ({ name: g[0]!.fullName, walkIns: g }));
}

/** "Possible duplicate walk-in: registered at Desk 1 10:42 and Desk 3 10:44". */
export function duplicateWalkInText(d: DuplicateWalkIn, time: (iso: string) => string): string {
  const parts = d.walkIns.map((w) => `${w.stationName} ${time(w.at)}`);
  const list =
    parts.length === 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Possible duplicate walk-in: registered at ${list}`;
}

/** A walk-in whose email the provider now lists for another person: the admin may link the two. */
export interface LinkSuggestion {
  walkIn: WalkInSummary;
  attendeeId: number;
  fullName: string;
}

/** What the admin sees of the door beside the venue's conflicts. */
export interface DoorReview {
  eventId: number;
  duplicates: DuplicateWalkIn[];
  suggestions: LinkSuggestion[];
  walkInsEnabled: boolean;
}

// ---- what the desk's answer panel says of the person ----

/** The door's lines of the person on the answer panel, in the order staff must read them. */
export interface DoorFacts {
  walkIn: boolean;
  /** The note on the person, then the note on their ticket type: shown large. */
  notes: string[];
  /** "Needs attention: check student ID — confirm to check in", or null. */
  attention: string | null;
  /** "Admitted twice — Front Door 10:24 and Side Door 10:24", or null. */
  admittedTwice: string | null;
  /** "Corrected at Desk 2 · provider: Jon Smith, Acme", or null. */
  correction: string | null;
  /** A guest holding several tickets: each of them; empty for one ticket or none. */
  tickets: string[];
}

export function doorFactsOf(
  a: Pick<
    Attendee,
    | 'walkIn'
    | 'note'
    | 'ticketNote'
    | 'attention'
    | 'admittedAt'
    | 'correction'
    | 'ticketName'
    | 'otherTicketNames'
  >,
  time: (iso: string) => string,
): DoorFacts {
  const tickets = ticketsOf(a);
  return {
    walkIn: a.walkIn === true,
    notes: [a.note, a.ticketNote].filter((n): n is string => typeof n === 'string' && n !== ''),
    attention: a.attention ? attentionPrompt(a.attention) : null,
    admittedTwice: admittedTwiceText(a.admittedAt, time),
    correction: a.correction ? correctionText(a.correction) : null,
    tickets: tickets.length > 1 ? tickets : [],
  };
}

/**
 * The walk-in form's name from the desk's search text that found no one: "Ada Lovelace" gives
 * first "Ada", last "Lovelace". Text that reads as a ticket code, or holds no letter, gives nothing.
 */
export function walkInNameFromSearch(text: string): { firstName: string; lastName: string } {
  const typed = text.trim().replace(/\s+/g, ' ');
  if (typed === '' || looksLikeTicketCode(typed) || !/\p{L}/u.test(typed) || typed.includes('@'))
    return { firstName: '', lastName: '' };
  const space = typed.indexOf(' ');
  return space < 0
    ? { firstName: typed, lastName: '' }
    : { firstName: typed.slice(0, space), lastName: typed.slice(space + 1) };
}
