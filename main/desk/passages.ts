// The desk's check-in lists (shared/lists.ts): which list a call names, whether the list admits the
// person now, and the exit a desk in exit mode records. The desk's check-in (desk.ts) asks these
// inside its own transaction, so a decision and its row are one write.
import type { DeskStore } from '../db/desk-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor, Attendee } from '../../shared/types.ts';
import type { ListRef } from '../../shared/desk.ts';
import { nextStampTime } from '../../shared/door-entries.ts';
import {
  MAIN_LIST_ID,
  MAX_OVERRIDE_REASON_CHARS,
  decideEntry,
  type CheckInList,
  type ListRefusal,
} from '../../shared/lists.ts';

/** The list a desk call names (the main list when it names none), or a typed error. */
export function requireList(deskStore: DeskStore, eventId: number, listId: string | undefined): CheckInList {
  const id = listId ?? MAIN_LIST_ID;
  const lists = deskStore.venue.lists;
  const list = lists.list(eventId, id);
  if (!list) {
    const other = lists.eventOfList(id);
    if (other !== undefined && other !== eventId)
      throw new AppError('INVALID_INPUT', `the check-in list ${id} belongs to another event`);
    throw new AppError('NOT_FOUND', `the event has no check-in list ${id}`);
  }
  if (list.removed)
    throw new AppError(
      'INVALID_STATE',
      `the list ${list.name} was removed: an admin chooses another list for this desk`,
    );
  return list;
}

/** A list as an answer names it; none for the main list (an answer there reads as before lists). */
export function listRefOf(list: CheckInList): { list?: ListRef } {
  return list.main ? {} : { list: { id: list.id, name: list.name } };
}

/** The reason an admin gives to admit over a refusal: plain text, one line; an operator may not. */
export function checkOverride(actor: Actor, reason: string | undefined): string | null {
  if (reason === undefined) return null;
  if (actor.role !== 'admin')
    throw new AppError('FORBIDDEN', 'only an admin may admit a person over the list’s refusal');
  const text = reason.trim();
  if (text === '' || text.length > MAX_OVERRIDE_REASON_CHARS || /[\p{Cc}\u2028\u2029]/u.test(text))
    throw new AppError(
      'INVALID_INPUT',
      `an override needs a reason of one line, at most ${MAX_OVERRIDE_REASON_CHARS} characters`,
    );
  return text;
}

/** Every ticket the person holds (a Luma guest may hold several). */
export function ticketNamesOf(a: Attendee): (string | null)[] {
  return [a.ticketName, ...(a.otherTicketNames ?? [])];
}

/**
 * Whether the list admits the person now, by the list's rules (shared/lists.ts decideEntry); the
 * main list admits once, as the desk always did ("already" is then today's answer). `refusal` null:
 * admitted, with the entry stamped `at`: this desk's clock, but never before a passage of theirs it
 * has seen (an exit made a moment ago at a desk whose clock runs ahead), so it reads after it everywhere.
 */
export function decideListEntry(
  deskStore: DeskStore,
  list: CheckInList,
  person: Attendee,
  now: string,
): { refusal: ListRefusal | null; at: string } {
  const venue = deskStore.venue;
  const presence = venue.presence.presenceOf(person.id, person.eventId, list.id);
  const refusal = decideEntry(
    list,
    { ticketNames: ticketNamesOf(person) },
    presence,
    now,
    venue.lists.zoneOf(person.eventId),
  );
  return { refusal, at: nextStampTime(now, presence.latest) };
}

/**
 * When this desk stamps a person's exit: its clock, but never before the entry it closes, so the
 * exit reads after that entry on every desk even when this desk's clock runs behind the other's.
 * Null: the person is not inside the list (nothing to close).
 */
export function exitTime(
  deskStore: DeskStore,
  list: CheckInList,
  person: Attendee,
  now: string,
): string | null {
  const presence = deskStore.venue.presence.presenceOf(person.id, person.eventId, list.id);
  const last = presence.stay[presence.stay.length - 1];
  return last ? nextStampTime(now, last) : null;
}

/** The person's latest exit of the list not undone (what Undo at an exit desk takes back). */
export function lastExit(deskStore: DeskStore, list: CheckInList, person: Attendee): string | null {
  const presence = deskStore.venue.presence.presenceOf(person.id, person.eventId, list.id);
  return presence.exits[presence.exits.length - 1]?.id ?? null;
}
