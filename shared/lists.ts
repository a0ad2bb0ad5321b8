// Check-in lists: every event has its main list, and an admin adds lists for sessions, areas or
// days. What a list is, how a definition is checked, which entries it admits and what the desk says
// when it refuses one, as the operator would say it. Pure: no Node, no DOM, no zod (the renderer
// imports it). Who is inside is shared/presence.ts; the venue's entries are shared/list-entries.ts.
import type { EntryRule, PassageFact, Presence } from './presence.ts';
import { dayOf, instantOf, zonedTime } from './time-zone.ts';

export type { EntryRule } from './presence.ts';
export const ENTRY_RULES = ['once', 'once_per_day', 'every_time'] as const satisfies readonly EntryRule[];

/** The id of every event's main list (other lists have random ids of 8 to 64 letters, digits or dashes). */
export const MAIN_LIST_ID = 'main';
export const MAIN_LIST_NAME = 'Main list';
export const LIST_ID = /^[A-Za-z0-9-]{8,64}$/;

export function isListId(id: string): boolean {
  return id === MAIN_LIST_ID || LIST_ID.test(id);
}

export const MAX_LIST_NAME_CHARS = 80;
export const MAX_LIST_TICKETS = 100;
export const MAX_TOLERANCE_MINUTES = 720;
export const MAX_GAP_MINUTES = 1440;
export const MAX_OVERRIDE_REASON_CHARS = 200;
const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const ISO_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/** When a list admits: from `opensAt` less the tolerance to `closesAt` plus the tolerance (ISO, UTC). */
export interface ListWindow {
  opensAt: string;
  closesAt: string;
  toleranceMinutes: number;
}

/** What an admin sets on a list. */
export interface ListDefinition {
  name: string;
  /** The ticket types it admits; null: all of them. */
  ticketTypes: string[] | null;
  window: ListWindow | null;
  rule: EntryRule;
  /** Under "every time": the least time between two entries of one person (null: none). */
  minGapMinutes: number | null;
  /** Everyone is checked out of the list at this time of the event's day ("23:00"), every day; null: never. */
  checkOutAt: string | null;
}

export interface CheckInList extends ListDefinition {
  id: string;
  eventId: number;
  main: boolean;
  /** Taken out of the choices by an admin; its entries stay in the log and the statistics. */
  removed: boolean;
  /** The latest change (null for a main list nobody changed). */
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The main list as every event has it: all tickets, any time, once (the desk's behaviour before lists). */
export function mainListOf(eventId: number): CheckInList {
  return {
    id: MAIN_LIST_ID,
    eventId,
    main: true,
    name: MAIN_LIST_NAME,
    ticketTypes: null,
    window: null,
    rule: 'once',
    minGapMinutes: null,
    checkOutAt: null,
    removed: false,
    updatedAt: null,
    updatedBy: null,
  };
}

export type DefinitionCheck = { ok: true; value: ListDefinition } | { ok: false; reason: string };

/**
 * Checks a list's definition as an admin typed it (and as another desk's entry carries it): a name
 * of plain text, at least one ticket type when they are listed, a window that ends after it starts,
 * no negative tolerance or gap, a check-out time of the day. The main list's rules are fixed: only
 * its check-out time can change. The value is the definition as stored (names trimmed, a gap only
 * under "every time").
 */
export function checkListDefinition(d: ListDefinition, main = false): DefinitionCheck {
  const name = d.name.trim();
  if (name === '') return { ok: false, reason: 'The list needs a name' };
  if (/[\p{Cc}\u2028\u2029]/u.test(name))
    return { ok: false, reason: 'The list name holds control characters or line breaks' };
  if (name.length > MAX_LIST_NAME_CHARS)
    return { ok: false, reason: `The list name is longer than ${MAX_LIST_NAME_CHARS} characters` };
  let tickets: string[] | null = null;
  if (d.ticketTypes !== null) {
    tickets = [...new Set(d.ticketTypes.map((t) => t.trim()))];
    if (tickets.length === 0 || tickets.some((t) => t === ''))
      return { ok: false, reason: 'A list admits at least one ticket type (or all of them)' };
    if (tickets.length > MAX_LIST_TICKETS)
      return { ok: false, reason: `A list names at most ${MAX_LIST_TICKETS} ticket types` };
    if (tickets.some((t) => t.length > 200 || /\p{Cc}/u.test(t)))
      return { ok: false, reason: 'A ticket type is plain text of at most 200 characters' };
  }
  const w = d.window;
  if (w !== null) {
    if (!ISO_TIME.test(w.opensAt) || !ISO_TIME.test(w.closesAt) || Number.isNaN(Date.parse(w.opensAt)))
      return { ok: false, reason: 'A window opens and closes at a time' };
    if (Number.isNaN(Date.parse(w.closesAt)) || w.closesAt <= w.opensAt)
      return { ok: false, reason: 'The window ends before it starts' };
    if (!Number.isInteger(w.toleranceMinutes) || w.toleranceMinutes < 0)
      return { ok: false, reason: 'The tolerance cannot be below zero minutes' };
    if (w.toleranceMinutes > MAX_TOLERANCE_MINUTES)
      return { ok: false, reason: `The tolerance is at most ${MAX_TOLERANCE_MINUTES} minutes` };
  }
  if (!(ENTRY_RULES as readonly string[]).includes(d.rule))
    return { ok: false, reason: 'The entry rule is once, once per day or every time' };
  const gap = d.minGapMinutes;
  if (gap !== null) {
    if (!Number.isInteger(gap) || gap < 0)
      return { ok: false, reason: 'The minimum gap cannot be below zero minutes' };
    if (gap > MAX_GAP_MINUTES)
      return { ok: false, reason: `The minimum gap is at most ${MAX_GAP_MINUTES} minutes` };
  }
  if (d.checkOutAt !== null && !CLOCK.test(d.checkOutAt))
    return { ok: false, reason: 'The check-out time is a time of day, such as 23:00' };
  const value: ListDefinition = {
    name,
    ticketTypes: tickets,
    window: w,
    rule: d.rule,
    minGapMinutes: d.rule === 'every_time' && gap !== null && gap > 0 ? gap : null,
    checkOutAt: d.checkOutAt,
  };
  if (main) {
    const m = mainListOf(0);
    if (value.name !== m.name || value.ticketTypes !== null || value.window !== null || value.rule !== m.rule)
      return {
        ok: false,
        reason: 'The main list admits every ticket, at any time, once: only its check-out time changes',
      };
  }
  return { ok: true, value };
}

// ---- admitting an entry ----

/** Why a list refuses an entry. Times are ISO; `zone` and `now` make the text the same on every desk. */
export type ListRefusal = { listName: string; zone: string; now: string } & (
  | { reason: 'ticket'; ticketName: string | null }
  | { reason: 'not_yet'; opensAt: string; admitsFrom: string }
  | { reason: 'closed'; closesAt: string; admitsUntil: string }
  | { reason: 'already'; today: boolean; at: string; station: string }
  | { reason: 'too_soon'; at: string; station: string; againAt: string }
);

const MINUTE = 60_000;
const shift = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/**
 * Whether a list admits this person now, or why not, in this order: the ticket type, the window
 * (with its tolerance), then the entry rule. "Once": not while an entry of theirs holds (they left
 * through an exit, or a check-out, to come in again). "Once per day": not while an entry of the same
 * day, in the event's zone, holds. "Every time": always, but not sooner than the minimum gap after
 * their latest entry.
 */
export function decideEntry<F extends PassageFact>(
  list: Pick<CheckInList, 'name' | 'ticketTypes' | 'window' | 'rule' | 'minGapMinutes'>,
  person: { ticketNames: readonly (string | null)[] },
  presence: Pick<Presence<F>, 'stay' | 'lastEntry'>,
  now: string,
  zone: string,
): ListRefusal | null {
  const base = { listName: list.name, zone, now };
  if (list.ticketTypes !== null) {
    const admitted = new Set(list.ticketTypes);
    if (!person.ticketNames.some((t) => t !== null && admitted.has(t)))
      return { ...base, reason: 'ticket', ticketName: person.ticketNames[0] ?? null };
  }
  const w = list.window;
  if (w !== null) {
    const from = shift(w.opensAt, -w.toleranceMinutes);
    const until = shift(w.closesAt, w.toleranceMinutes);
    if (now < from) return { ...base, reason: 'not_yet', opensAt: w.opensAt, admitsFrom: from };
    if (now > until) return { ...base, reason: 'closed', closesAt: w.closesAt, admitsUntil: until };
  }
  if (list.rule === 'once') {
    const first = presence.stay[0];
    if (first) return { ...base, reason: 'already', today: false, at: first.at, station: first.stationName };
  } else if (list.rule === 'once_per_day') {
    const today = dayOf(now, zone);
    const first = presence.stay.find((e) => dayOf(e.at, zone) === today);
    if (first) return { ...base, reason: 'already', today: true, at: first.at, station: first.stationName };
  } else if (list.minGapMinutes !== null && list.minGapMinutes > 0 && presence.lastEntry) {
    const againAt = shift(presence.lastEntry.at, list.minGapMinutes);
    if (now < againAt)
      return {
        ...base,
        reason: 'too_soon',
        at: presence.lastEntry.at,
        station: presence.lastEntry.stationName,
        againAt,
      };
  }
  return null;
}

/**
 * What the desk says for a refusal: "Not valid for Workshop B — ticket: General Admission", "Not
 * valid until 14:00 (opens 13:45)", "Already entered today at 09:12 at Side Door". Times are on the
 * event's clock; a time on another day than now carries its date.
 */
export function refusalText(r: ListRefusal): string {
  const t = (iso: string, day = r.now) => zonedTime(iso, r.zone, day);
  switch (r.reason) {
    case 'ticket':
      return `Not valid for ${r.listName} — ticket: ${r.ticketName ?? 'none'}`;
    case 'not_yet':
      return `Not valid until ${t(r.opensAt)} (opens ${t(r.admitsFrom, r.opensAt)})`;
    case 'closed':
      return `Not valid after ${t(r.closesAt)} (closed ${t(r.admitsUntil, r.closesAt)})`;
    case 'already':
      return `Already entered ${r.today ? 'today ' : ''}at ${t(r.at)} at ${r.station}`;
    case 'too_soon':
      return `Not valid again until ${t(r.againAt)} (entered ${t(r.at)} at ${r.station})`;
  }
}

/** The rule as the lists panel says it: "Once", "Once per day", "Every time, 30 min apart". */
export function ruleText(list: Pick<CheckInList, 'rule' | 'minGapMinutes'>): string {
  if (list.rule === 'once') return 'Once';
  if (list.rule === 'once_per_day') return 'Once per day';
  return list.minGapMinutes ? `Every time, ${list.minGapMinutes} min apart` : 'Every time';
}

// ---- check-out-all on a schedule ----

/**
 * The latest scheduled check-out of a list at or before `now` and after `since` (the list's
 * definition), in ms, or null: a list checked out at 23:00 every day has one each day at 23:00 of
 * the event's zone. Only the latest matters: it checks out everyone an earlier one would have.
 */
export function dueCheckOut(
  checkOutAt: string | null,
  since: string,
  now: string,
  zone: string,
): number | null {
  if (checkOutAt === null || !CLOCK.test(checkOutAt)) return null;
  const [h, m] = checkOutAt.split(':').map(Number) as [number, number];
  const nowMs = Date.parse(now);
  let at = instantOf(dayOf(now, zone), h, m, zone);
  if (at > nowMs) at = instantOf(dayOf(new Date(nowMs - 86_400_000).toISOString(), zone), h, m, zone);
  return at > Date.parse(since) && at <= nowMs ? at : null;
}

// ---- the desk's list ----

/** Which list a desk checks in for, and whether its scans are exits (a station setting, per event). */
export interface DeskPassage {
  listId: string;
  exit: boolean;
}

export const DEFAULT_DESK_PASSAGE: DeskPassage = { listId: MAIN_LIST_ID, exit: false };

/** "Workshop B", "Workshop B · Exit": the desk's header. */
export function deskPassageText(listName: string, exit: boolean): string {
  return exit ? `${listName} · Exit` : listName;
}

/** "Inside now: 1,234" where the desk's list stands. */
export function insideNowText(n: number): string {
  return `Inside now: ${new Intl.NumberFormat('en-US').format(n)}`;
}
