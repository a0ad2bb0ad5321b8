// The check-in lists' IPC channels, spread into IPC_CHANNELS by shared/ipc-contract.ts: validated
// by main like every other channel. Reading lists, statistics and charts is any operator's; adding,
// changing or removing a list, checking everyone out, choosing this desk's list and the CSV need
// the admin role (the core refuses them to an operator all the same). A definition is checked here
// by the rule the core applies (shared/lists.ts checkListDefinition), so bad input is refused with
// the same reason.
import { z } from 'zod';
import { channel, eventRef, id } from './ipc-channel.ts';
import {
  ENTRY_RULES,
  MAX_OVERRIDE_REASON_CHARS,
  checkListDefinition,
  isListId,
  type CheckInList,
  type DeskPassage,
} from './lists.ts';
import type { ListCharts, ListStats, ListsView } from './list-stats.ts';

const actionId = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'an action id is 8 to 64 letters, digits or dashes');
export const listIdSchema = z
  .string()
  .refine(isListId, 'a list id is main, or 8 to 64 letters, digits or dashes');
const time = z.string().max(40);

export const listDefinitionSchema = z
  .object({
    name: z.string().max(500),
    ticketTypes: z.array(z.string().max(500)).max(500).nullable(),
    window: z
      .object({
        opensAt: time,
        closesAt: time,
        toleranceMinutes: z.number().int().min(-100_000).max(100_000),
      })
      .strict()
      .nullable(),
    rule: z.enum(ENTRY_RULES),
    minGapMinutes: z.number().int().min(-100_000).max(100_000).nullable(),
    checkOutAt: z.string().max(10).nullable(),
  })
  .strict();

/** An override's reason, as the desk sends it with a check-in (the core checks the role). */
export const overrideReasonSchema = z.string().trim().min(1).max(MAX_OVERRIDE_REASON_CHARS);

/** Which list this station's desk checks in for, per event (kept in the station's settings). */
export const deskPassageSchema = z.object({ listId: listIdSchema, exit: z.boolean() }).strict();
export type DeskPassages = Record<string, DeskPassage>;
export const deskPassagesSchema = z.record(z.string().regex(/^[0-9]{1,15}$/), deskPassageSchema);

export const LIST_CHANNELS = {
  /** The event's lists, who is inside each, and inside the venue. */
  'lists.view': channel<ListsView>()(eventRef, { admin: false }),
  /** Adds a list (no listId) or changes one; the main list takes only a check-out time. */
  'lists.save': channel<CheckInList>()(
    z
      .object({ eventId: id, actionId, listId: listIdSchema.optional(), definition: listDefinitionSchema })
      .strict()
      .superRefine((v, ctx) => {
        const check = checkListDefinition(v.definition, v.listId === 'main');
        if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason, path: ['definition'] });
      }),
    { admin: true },
  ),
  'lists.remove': channel<CheckInList>()(z.object({ eventId: id, actionId, listId: listIdSchema }).strict(), {
    admin: true,
  }),
  /** Everyone inside the list checked out now (the end of a day); how many left. */
  'lists.checkOutAll': channel<{ checkedOut: number }>()(
    z.object({ eventId: id, actionId, listId: listIdSchema }).strict(),
    { admin: true },
  ),
  /** The list this station's desk checks in for, and whether its scans are exits: a station setting. */
  'lists.setDesk': channel<DeskPassage>()(
    z.object({ eventId: id, listId: listIdSchema, exit: z.boolean() }).strict(),
    { admin: true },
  ),
  /** Per list, per desk and per ticket type, with each desk's pace and when the expected arrivals are in. */
  'lists.stats': channel<ListStats>()(eventRef, { admin: false }),
  /** Entries per 5 minutes by desk, and inside the venue over the day. */
  'lists.charts': channel<ListCharts>()(eventRef, { admin: false }),
  /** One list's entries and exits as CSV (names and emails: an admin's call). */
  'lists.exportCsv': channel<{ filename: string; csv: string }>()(
    z.object({ eventId: id, listId: listIdSchema }).strict(),
    { admin: true },
  ),
} as const;
