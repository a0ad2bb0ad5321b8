// The check-in lists at the IPC boundary, and the one station setting they add: which list this
// desk checks in for, and whether its scans are exits. The desk's check-in and undo go to that list
// in that mode (the renderer cannot name another), so choosing it is the admin's, as the contract
// says; the core checks that the list is the event's and not removed.
import type { BadgeDeskCore } from '../core/create-core.ts';
import type { Actor } from '../../shared/types.ts';
import { DEFAULT_DESK_PASSAGE, type DeskPassage } from '../../shared/lists.ts';
import type { ChannelInput } from '../../shared/ipc-contract.ts';
import type { KeyValueStore } from './types.ts';
import { readSettings, updateSettings } from './settings.ts';

/** This station's list and mode for an event (the main list, entries, until an admin chooses). */
export function deskPassageOf(settingsStore: KeyValueStore, eventId: number): DeskPassage {
  return readSettings(settingsStore).deskLists?.[String(eventId)] ?? DEFAULT_DESK_PASSAGE;
}

export function createListHandlers(core: BadgeDeskCore, settingsStore: KeyValueStore) {
  return {
    'lists.view': ({ eventId }: { eventId: number }) => core.lists.view(eventId),
    'lists.save': (input: ChannelInput<'lists.save'>, actor: Actor) => core.lists.save(actor, input),
    'lists.remove': (input: ChannelInput<'lists.remove'>, actor: Actor) => core.lists.remove(actor, input),
    'lists.checkOutAll': (input: ChannelInput<'lists.checkOutAll'>, actor: Actor) =>
      core.lists.checkOutAll(actor, input),
    'lists.setDesk': ({ eventId, listId, exit }: ChannelInput<'lists.setDesk'>) => {
      core.lists.requireList(eventId, listId);
      const deskLists = {
        ...(readSettings(settingsStore).deskLists ?? {}),
        [String(eventId)]: { listId, exit },
      };
      updateSettings(settingsStore, { deskLists });
      return { listId, exit };
    },
    'lists.stats': ({ eventId }: { eventId: number }) => core.lists.stats(eventId),
    'lists.charts': ({ eventId }: { eventId: number }) => core.lists.charts(eventId),
    /** A scan at the desk: an entry to the desk's list, or an exit where the desk records exits. */
    'desk.checkIn': (input: ChannelInput<'desk.checkIn'>, actor: Actor) => {
      const passage = deskPassageOf(settingsStore, input.eventId);
      if (passage.exit) {
        const { confirm: _confirm, override: _override, ...scan } = input;
        return core.desk.exit(actor, { ...scan, listId: passage.listId });
      }
      return core.desk.checkIn(actor, { ...input, listId: passage.listId });
    },
    /** Undo at the desk takes back what it records: the entries in force, or at an exit desk the latest exit. */
    'desk.undo': (input: ChannelInput<'desk.undo'>, actor: Actor) => {
      const passage = deskPassageOf(settingsStore, input.eventId);
      return core.desk.undo(actor, { ...input, listId: passage.listId, exit: passage.exit });
    },
  };
}
