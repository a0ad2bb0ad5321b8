// The door's IPC channels, spread into IPC_CHANNELS by shared/ipc-contract.ts: validated by main
// like every other channel. Operators add walk-ins, correct badge names and check in whole orders;
// notes, "needs attention" flags, links, turning walk-ins off and the review need the admin role
// (and the core refuses them to an operator all the same). Typed text is checked here by the rules
// the core applies (shared/door.ts checkDoorText), so bad input is refused with the same reason.
import { z } from 'zod';
import { channel, eventRef, id } from './ipc-channel.ts';
import type { Attendee } from './types.ts';
import type { PrintJob } from './printing.ts';
import {
  MAX_COMPANY_CHARS,
  MAX_NAME_CHARS,
  MAX_NOTE_CHARS,
  MAX_REASON_CHARS,
  checkDoorText,
  checkEmail,
  type DoorReview,
  type GroupCheckInOutcome,
  type GroupUndoOutcome,
  type TextCheck,
  type WalkInChoices,
  type WalkInResult,
} from './door.ts';

const actionId = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'an action id is 8 to 64 letters, digits or dashes');

/** Typed text, refused by the door's rule (the raw length is bounded first: a paste is not a name). */
function typed(check: (v: string | null) => TextCheck) {
  return z
    .string()
    .max(2_000)
    .nullable()
    .superRefine((v, ctx) => {
      const r = check(v);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
    });
}
const name = (label: string, required: boolean) =>
  typed((v) => checkDoorText(v, { label, max: MAX_NAME_CHARS, required, name: true }));
const company = typed((v) =>
  checkDoorText(v, { label: 'The company', max: MAX_COMPANY_CHARS, required: false }),
);

export const DOOR_CHANNELS = {
  /** Whether the event takes walk-ins, and the ticket types a walk-in may get ("Walk-in" last). */
  'door.walkInChoices': channel<WalkInChoices>()(eventRef, { admin: false }),
  /** Registers a person at the door and checks them in through the desk's check-in; their badge prints. */
  'door.registerWalkIn': channel<WalkInResult>()(
    z
      .object({
        eventId: id,
        actionId,
        firstName: name('The first name', true),
        lastName: name('The last name', true),
        email: typed(checkEmail).optional(),
        company: company.optional(),
        ticketName: z.string().trim().min(1).max(200),
      })
      .strict(),
    { admin: false },
  ),
  /** The name and company a badge prints; `reprint`: print it again (a reprint, "name corrected"). */
  'door.correctName': channel<{ attendee: Attendee; printJob: PrintJob | null }>()(
    z
      .object({
        attendeeId: id,
        actionId,
        firstName: name('The first name', true),
        lastName: name('The last name', false).optional(),
        company: company.optional(),
        reprint: z.boolean().optional(),
      })
      .strict(),
    { admin: false },
  ),
  'door.clearCorrection': channel<Attendee>()(z.object({ attendeeId: id, actionId }).strict(), {
    admin: false,
  }),
  /** A note on a person or on a ticket type, shown large at check-in (null clears it). */
  'door.setNote': channel<null>()(
    z
      .object({
        eventId: id,
        actionId,
        attendeeId: id.optional(),
        ticketName: z.string().min(1).max(200).optional(),
        text: typed((v) => checkDoorText(v, { label: 'The note', max: MAX_NOTE_CHARS, required: false })),
      })
      .strict()
      .refine(
        (v) => (v.attendeeId === undefined) !== (v.ticketName === undefined),
        'a note is on a person or on a ticket type',
      ),
    { admin: true },
  ),
  /** "Needs attention" and why (null clears it): a scan alone no longer admits the person. */
  'door.setAttention': channel<Attendee>()(
    z
      .object({
        attendeeId: id,
        actionId,
        reason: typed((v) =>
          checkDoorText(v, { label: 'The reason', max: MAX_REASON_CHARS, required: false }),
        ),
      })
      .strict(),
    { admin: true },
  ),
  /** A walk-in is the provider's record of the same person (null: unlinks it). */
  'door.link': channel<Attendee>()(z.object({ walkInId: id, attendeeId: id.nullable(), actionId }).strict(), {
    admin: true,
  }),
  'door.setWalkInsEnabled': channel<boolean>()(
    z.object({ eventId: id, actionId, enabled: z.boolean() }).strict(),
    { admin: true },
  ),
  /** Possible duplicate walk-ins, walk-ins the provider now lists, and the walk-in setting (names: admin). */
  'door.review': channel<DoorReview>()(eventRef, { admin: true }),
  /** "Check in all 4": the people of an order in one step (a flagged one only with `confirm`). */
  'desk.checkInGroup': channel<GroupCheckInOutcome>()(
    z
      .object({
        eventId: id,
        actionId,
        attendeeIds: z.array(id).min(1).max(100),
        confirm: z.boolean().optional(),
      })
      .strict(),
    { admin: false },
  ),
  /** Takes back each check-in a group check-in made. */
  'desk.undoGroup': channel<GroupUndoOutcome>()(
    z.object({ eventId: id, groupActionId: actionId, actionId }).strict(),
    { admin: false },
  ),
} as const;
