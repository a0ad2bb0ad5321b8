// The desk's check-in list and mode, as its answers need them: which list and whether exits (a
// station setting an admin chooses, shared/lists.ts DeskPassage), whether an answer moves the
// event's "checked in" count, and what a failed scan is called at an exit desk.
import { DEFAULT_DESK_PASSAGE, MAIN_LIST_ID, type DeskPassage } from '../../../shared/lists.ts';
import type { StationSettings } from '../../../shared/ipc-contract.ts';

/** This desk's list and mode for the event: the main list's entries until an admin chooses. */
export function deskPassageOf(settings: Pick<StationSettings, 'deskLists'>, eventId: number): DeskPassage {
  return settings.deskLists?.[String(eventId)] ?? DEFAULT_DESK_PASSAGE;
}

/** Whether the desk's answers move the event's "checked in" count: entries to the main list. */
export function countsArrivals(passage: DeskPassage): boolean {
  return passage.listId === MAIN_LIST_ID && !passage.exit;
}

/** The panel's title for a scan main refused or could not save. */
export function failedTitle(exit: boolean, notSaved: boolean): string {
  if (exit) return notSaved ? 'Exit not saved' : 'Exit not recorded';
  return notSaved ? 'Check-in not saved' : 'Check-in failed';
}
