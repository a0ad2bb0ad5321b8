// The door, as the core offers it: one object, `core.door`. Walk-ins and badge-name corrections are
// any operator's; notes, "needs attention" flags, links, turning walk-ins off and the review are an
// admin's (the IPC contract says so, and the door itself refuses them to an operator). Whole orders
// check in through the desk.
import type { Desk } from '../desk/desk.ts';
import type { Door, WalkInInput } from '../desk/door.ts';
import type { Actor } from '../../shared/types.ts';
import { requireAdmin } from './guards.ts';

export function createDoorHandlers(door: Door, desk: Desk) {
  return {
    walkInChoices: (eventId: number) => door.walkInChoices(eventId),
    registerWalkIn: (actor: Actor, input: WalkInInput) => door.registerWalkIn(actor, input),
    correctName: (actor: Actor, input: Parameters<Door['correctName']>[1]) => door.correctName(actor, input),
    clearCorrection: (actor: Actor, input: Parameters<Door['clearCorrection']>[1]) =>
      door.clearCorrection(actor, input),
    setNote: (actor: Actor, input: Parameters<Door['setNote']>[1]) => {
      requireAdmin(actor);
      return door.setNote(actor, input);
    },
    setAttention: (actor: Actor, input: Parameters<Door['setAttention']>[1]) => {
      requireAdmin(actor);
      return door.setAttention(actor, input);
    },
    link: (actor: Actor, input: Parameters<Door['link']>[1]) => {
      requireAdmin(actor);
      return door.link(actor, input);
    },
    setWalkInsEnabled: (actor: Actor, input: Parameters<Door['setWalkInsEnabled']>[1]) => {
      requireAdmin(actor);
      return door.setWalkInsEnabled(actor, input);
    },
    review: (actor: Actor, eventId: number) => {
      requireAdmin(actor);
      return door.review(actor, eventId);
    },
    checkInGroup: (actor: Actor, input: Parameters<Desk['checkInGroup']>[1]) =>
      desk.checkInGroup(actor, input),
    undoGroup: (actor: Actor, input: Parameters<Desk['undoGroup']>[1]) => desk.undoGroup(actor, input),
  };
}

export type DoorHandlers = ReturnType<typeof createDoorHandlers>;
