// The door at the desk: the walk-in form's choices, registering a walk-in (checked in and their
// badge printed by main), a badge-name correction (reprinted with its reason when asked) or its
// clearing, and a whole order checked in at once and undone at once. Each runs in the desk's queue
// (deskAction) and its answer shows on the desk's answer panel (door-feedback.ts).
import type { Attendee } from '../../../shared/types.ts';
import type { DoorReview, WalkInChoices, WalkInResult } from '../../../shared/door.ts';
import { errorMessage, formatClock } from '../ui/format.ts';
import type { SliceCreator } from '../app/store-kit.ts';
import type { DeskGroup } from './desk-feedback.ts';
import { correctionFeedback, groupFeedback, groupUndoFeedback, walkInFeedback } from './door-feedback.ts';

export interface WalkInForm {
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  ticketName: string;
}

export interface BadgeNameForm {
  firstName: string;
  lastName: string;
  company: string;
  /** Print the badge again with the corrected name (a reprint, "name corrected"). */
  reprint: boolean;
}

export interface DoorSlice {
  /** What the walk-in form offers for the desk's event; null until read. */
  walkInChoices: (WalkInChoices & { eventId: number }) | null;
  loadWalkInChoices(eventId: number): Promise<void>;
  /** Registers and checks in a walk-in; main prints the badge. The answer panel says so; a refusal is the caller's. */
  registerWalkIn(eventId: number, form: WalkInForm): Promise<WalkInResult>;
  correctBadgeName(attendee: Attendee, form: BadgeNameForm): Promise<Attendee>;
  /** The badge prints the provider's name again. */
  clearBadgeName(attendee: Attendee): Promise<Attendee>;
  /** "Check in all 4", or the people picked of an order: one step, their badges in one batch. */
  checkInGroup(eventId: number, people: readonly Attendee[]): Promise<void>;
  /** Takes back each check-in a group check-in made. */
  undoGroup(group: DeskGroup): Promise<void>;

  // An admin's, on the event page: the person's note and flag, a ticket type's note, links, the setting.
  /** What the admin reviews of the event's walk-ins (possible duplicates, the provider's records of them). */
  doorReview: DoorReview | null;
  loadDoorReview(eventId: number): Promise<void>;
  setPersonNote(attendee: Attendee, text: string): Promise<void>;
  setTicketNote(eventId: number, ticketName: string, text: string): Promise<void>;
  setAttention(attendee: Attendee, reason: string): Promise<void>;
  /** Links a walk-in to the attendee (a registration, or another walk-in) who is the same person; null unlinks it. */
  linkWalkIn(eventId: number, walkInId: number, attendeeId: number | null): Promise<void>;
  setWalkInsEnabled(eventId: number, enabled: boolean): Promise<void>;
}

const optional = (text: string) => (text.trim() === '' ? null : text);

export const createDoorSlice: SliceCreator<DoorSlice> =
  ({ call, adminCall, newActionId }) =>
  (set, get) => {
    /** A desk action's refusal, said on the panel (a button on it has no dialog to show it in). */
    const failed = (title: string, subject: string, err: unknown) => ({
      tone: 'error' as const,
      title,
      subject,
      detail: errorMessage(err),
      undoable: null,
    });

    return {
      walkInChoices: null,

      async loadWalkInChoices(eventId) {
        const choices = await call('door.walkInChoices', { eventId });
        set({ walkInChoices: { ...choices, eventId } });
      },

      async registerWalkIn(eventId, form) {
        let result: WalkInResult | null = null;
        await get().deskAction(eventId, async () => {
          const answer = await call('door.registerWalkIn', {
            eventId,
            actionId: newActionId(),
            firstName: form.firstName,
            lastName: form.lastName,
            email: optional(form.email),
            company: optional(form.company),
            ticketName: form.ticketName,
          });
          result = answer;
          if (answer.checkIn.kind === 'checked_in') get().adjustCheckedIn(eventId, 1);
          return walkInFeedback(answer, formatClock);
        });
        return result!;
      },

      async correctBadgeName(attendee, form) {
        let corrected = attendee;
        await get().deskAction(attendee.eventId, async () => {
          const answer = await call('door.correctName', {
            attendeeId: attendee.id,
            actionId: newActionId(),
            firstName: form.firstName,
            lastName: optional(form.lastName),
            company: optional(form.company),
            reprint: form.reprint,
          });
          corrected = answer.attendee;
          get().replaceDeskRow(corrected);
          return correctionFeedback(corrected, answer.printJob, form.reprint);
        });
        return corrected;
      },

      async clearBadgeName(attendee) {
        let cleared = attendee;
        await get().deskAction(attendee.eventId, async () => {
          cleared = await call('door.clearCorrection', { attendeeId: attendee.id, actionId: newActionId() });
          get().replaceDeskRow(cleared);
          return correctionFeedback(cleared, null, false);
        });
        return cleared;
      },

      checkInGroup(eventId, people) {
        return get().deskAction(eventId, async () => {
          try {
            const outcome = await call('desk.checkInGroup', {
              eventId,
              actionId: newActionId(),
              attendeeIds: people.map((a) => a.id),
            });
            const admitted = outcome.results.filter((r) => r.result === 'checked_in');
            for (const r of outcome.results) get().replaceDeskRow(r.attendee);
            const attending = admitted.filter((r) => r.attendee.status === 'ATTENDING').length;
            if (attending > 0) get().adjustCheckedIn(eventId, attending);
            return groupFeedback(eventId, outcome);
          } catch (err) {
            return failed('Check-in failed', people.map((a) => a.fullName).join(', '), err);
          }
        });
      },

      undoGroup(group) {
        return get().deskAction(group.eventId, async () => {
          try {
            const outcome = await call('desk.undoGroup', {
              eventId: group.eventId,
              groupActionId: group.actionId,
              actionId: newActionId(),
            });
            for (const a of outcome.undone) get().replaceDeskRow(a);
            const attending = outcome.undone.filter((a) => a.status === 'ATTENDING').length;
            if (attending > 0) get().adjustCheckedIn(group.eventId, -attending);
            return groupUndoFeedback(outcome);
          } catch (err) {
            return failed('Undo failed', 'Group check-in', err);
          }
        });
      },

      doorReview: null,

      async loadDoorReview(eventId) {
        set({ doorReview: await adminCall('door.review', { eventId }) });
      },

      async setPersonNote(attendee, text) {
        await adminCall('door.setNote', {
          eventId: attendee.eventId,
          actionId: newActionId(),
          attendeeId: attendee.id,
          text: optional(text),
        });
      },

      async setTicketNote(eventId, ticketName, text) {
        await adminCall('door.setNote', {
          eventId,
          actionId: newActionId(),
          ticketName,
          text: optional(text),
        });
      },

      async setAttention(attendee, reason) {
        await adminCall('door.setAttention', {
          attendeeId: attendee.id,
          actionId: newActionId(),
          reason: optional(reason),
        });
      },

      async linkWalkIn(eventId, walkInId, attendeeId) {
        await adminCall('door.link', { walkInId, attendeeId, actionId: newActionId() });
        await get().loadDoorReview(eventId);
      },

      async setWalkInsEnabled(eventId, enabled) {
        const now = await adminCall('door.setWalkInsEnabled', { eventId, actionId: newActionId(), enabled });
        set((s) => ({
          walkInChoices:
            s.walkInChoices?.eventId === eventId ? { ...s.walkInChoices, enabled: now } : s.walkInChoices,
          doorReview:
            s.doorReview?.eventId === eventId ? { ...s.doorReview, walkInsEnabled: now } : s.doorReview,
        }));
      },
    };
  };
