// The door at the desk: the walk-in form's choices, registering a walk-in (checked in and their
// badge printed by main), a badge-name correction (reprinted with its reason when asked), and a
// flagged person's confirmed check-in. Each answer shows on the desk's answer panel.
import type { Attendee } from '../../../shared/types.ts';
import type { CheckInOutcome } from '../../../shared/desk.ts';
import { describeCheckInOutcome } from '../../../shared/desk.ts';
import {
  correctionText,
  type DoorReview,
  type WalkInChoices,
  type WalkInResult,
} from '../../../shared/door.ts';
import { formatClock } from '../ui/format.ts';
import type { SliceCreator } from '../app/store-kit.ts';
import type { DeskFeedback } from './desk-slice.ts';

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
  /** Registers and checks in a walk-in; main prints the badge. The answer panel says so. */
  registerWalkIn(eventId: number, form: WalkInForm): Promise<WalkInResult>;
  correctBadgeName(attendee: Attendee, form: BadgeNameForm): Promise<Attendee>;
  /** Checks in a person flagged "needs attention" once the operator confirmed (the confirmation is logged). */
  confirmCheckIn(attendee: Attendee): Promise<void>;

  // An admin's, on the event page: the person's note and flag, a ticket type's note, links, the setting.
  /** What the admin reviews of the event's walk-ins (possible duplicates, the provider's records of them). */
  doorReview: DoorReview | null;
  loadDoorReview(eventId: number): Promise<void>;
  setPersonNote(attendee: Attendee, text: string): Promise<void>;
  setTicketNote(eventId: number, ticketName: string, text: string): Promise<void>;
  setAttention(attendee: Attendee, reason: string): Promise<void>;
  /** Links a walk-in to the attendee who is the same person (null: unlinks it). */
  linkWalkIn(walkIn: Attendee, attendeeId: number | null): Promise<void>;
  setWalkInsEnabled(eventId: number, enabled: boolean): Promise<void>;
}

const optional = (text: string) => (text.trim() === '' ? null : text);

export const createDoorSlice: SliceCreator<DoorSlice> =
  ({ call, adminCall, newActionId }) =>
  (set, get) => {
    // The panel flashes on a new id; the door's answers count down so they never meet the desk's.
    let feedbackId = 0;
    const show = (eventId: number, feedback: Omit<DeskFeedback, 'id'>) =>
      set((s) =>
        s.desk && s.desk.eventId === eventId
          ? { desk: { ...s.desk, feedback: { ...feedback, id: --feedbackId } } }
          : {},
      );
    const showOutcome = (eventId: number, outcome: CheckInOutcome, title?: string) => {
      const f = describeCheckInOutcome(outcome, formatClock);
      show(eventId, {
        tone: f.tone,
        title: title && outcome.kind === 'checked_in' ? title : f.title,
        subject: f.subject,
        detail: f.detail,
        undoable: outcome.kind === 'checked_in' ? outcome.attendee : null,
      });
    };

    return {
      walkInChoices: null,

      async loadWalkInChoices(eventId) {
        const choices = await call('door.walkInChoices', { eventId });
        set({ walkInChoices: { ...choices, eventId } });
      },

      async registerWalkIn(eventId, form) {
        const result = await call('door.registerWalkIn', {
          eventId,
          actionId: newActionId(),
          firstName: form.firstName,
          lastName: form.lastName,
          email: optional(form.email),
          company: optional(form.company),
          ticketName: form.ticketName,
        });
        showOutcome(eventId, result.checkIn, 'Walk-in checked in');
        get().replaceDeskRow(result.attendee);
        return result;
      },

      async correctBadgeName(attendee, form) {
        const { attendee: corrected } = await call('door.correctName', {
          attendeeId: attendee.id,
          actionId: newActionId(),
          firstName: form.firstName,
          lastName: optional(form.lastName),
          company: optional(form.company),
          reprint: form.reprint,
        });
        show(attendee.eventId, {
          tone: 'info',
          title: form.reprint ? 'Name corrected — badge reprinting' : 'Name corrected',
          subject: corrected.fullName,
          detail: corrected.correction ? correctionText(corrected.correction) : null,
          undoable: corrected.checkedIn ? corrected : null,
        });
        get().replaceDeskRow(corrected);
        return corrected;
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

      async linkWalkIn(walkIn, attendeeId) {
        await adminCall('door.link', { walkInId: walkIn.id, attendeeId, actionId: newActionId() });
        await get().loadDoorReview(walkIn.eventId);
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

      async confirmCheckIn(attendee) {
        const outcome = await call('desk.checkIn', {
          eventId: attendee.eventId,
          actionId: newActionId(),
          attendeeId: attendee.id,
          confirm: true,
        });
        showOutcome(attendee.eventId, outcome);
        if (outcome.kind === 'checked_in') get().replaceDeskRow(outcome.attendee);
      },
    };
  };
