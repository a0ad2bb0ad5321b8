// The station's own channels, spread into IPC_CHANNELS by shared/ipc-contract.ts: the sound of the
// answer at a glance (any operator turns it down), and the kiosk. Turning a station into a kiosk
// needs the admin; leaving needs the admin PIN, checked by main. While a kiosk, only the kiosk's
// channels look attendees up: main refuses the desk's search and the attendee list.
import { z } from 'zod';
import { channel, empty, eventRef, id } from './ipc-channel.ts';
import type { AnswerSound } from './glance.ts';
import type { CheckInOutcome } from './desk.ts';
import { MAX_COLLECT_AT_CHARS, type KioskFind, type KioskStatus } from './kiosk.ts';
import { checkDoorText, MAX_NAME_CHARS } from './door.ts';
import { pinSchema } from './pin.ts';

const actionId = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'an action id is 8 to 64 letters, digits or dashes');

const badgeName = (label: string, required: boolean) =>
  z
    .string()
    .max(2_000)
    .nullable()
    .superRefine((v, ctx) => {
      const r = checkDoorText(v, { label, max: MAX_NAME_CHARS, required, name: true });
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
    });

/** What a kiosk check-in did: the outcome, and whether a badge was queued. */
export interface KioskCheckInResult {
  outcome: CheckInOutcome;
  badgeQueued: boolean;
}

export const STATION_CHANNELS = {
  'station.answerSound': channel<AnswerSound>()(empty, { admin: false }),
  'station.setAnswerSound': channel<AnswerSound>()(
    z.object({ on: z.boolean(), volume: z.number().min(0).max(1) }).strict(),
    { admin: false },
  ),
  /** The kiosk this station is, or null. */
  'kiosk.status': channel<KioskStatus | null>()(empty, { admin: false }),
  'kiosk.start': channel<KioskStatus>()(
    eventRef
      .extend({
        collectAt: z
          .string()
          .trim()
          .min(1)
          .max(MAX_COLLECT_AT_CHARS)
          // eslint-disable-next-line no-control-regex
          .refine((v) => !/[\u0000-\u001f\u007f-\u009f]/.test(v), 'no control characters'),
      })
      .strict(),
    { admin: true },
  ),
  /** Leaving kiosk mode: the admin PIN (wrong PINs count toward the same lockout as unlocking). */
  'kiosk.leave': channel<null>()(z.object({ pin: pinSchema }).strict(), {
    admin: false,
  }),
  /** A scanned code, an email or an order code: one person, or a question, or "see staff". Never a list. */
  'kiosk.find': channel<KioskFind>()(
    eventRef.extend({ text: z.string().max(500), orderCode: z.string().max(200).optional() }).strict(),
    { admin: false },
  ),
  /** The person confirmed their name (or corrected it: a badge-name correction made at the kiosk). */
  'kiosk.checkIn': channel<KioskCheckInResult>()(
    eventRef
      .extend({
        attendeeId: id,
        actionId,
        correction: z
          .object({
            actionId,
            firstName: badgeName('The first name', true),
            lastName: badgeName('The last name', false),
          })
          .strict()
          .optional(),
      })
      .strict(),
    { admin: false },
  ),
} as const;
