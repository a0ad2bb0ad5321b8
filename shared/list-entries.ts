// The check-in lists' facts in the event's venue document, beside the log maps of shared/venue.ts
// and the door's of shared/door-entries.ts (schema version 1, the same `v` as theirs):
//   lists      Y.Map<actionId, ListEntry>      a list's definition, or its removal; the latest entry
//              of a list (time, then station id, then id) is in force. The main list takes only
//              a check-out time (shared/lists.ts checkListDefinition).
//   checkOuts  Y.Map<actionId, CheckOutEntry>  everyone checked out of a list at `at`: an exit of each
//              person inside then (shared/presence.ts). A scheduled one is stamped with its scheduled
//              time, so two desks that both wrote it change nothing more than one would.
// Entries and exits name their list in the `checkins` map (shared/venue.ts). An entry naming a list
// a desk does not know yet waits for the list, as one naming an unknown attendee waits for them.
// Entries are written once and never changed; list names and ticket type names are the only text.
import { z } from 'zod';
import { MAX_ENTRY_CHARS, STATION_ID, VENUE_ACTION_ID, VENUE_SCHEMA_VERSION } from './venue.ts';
import { ENTRY_RULES, LIST_ID, MAIN_LIST_ID, checkListDefinition, type ListDefinition } from './lists.ts';

export const LIST_MAPS = ['lists', 'checkOuts'] as const;
export type ListMapName = (typeof LIST_MAPS)[number];

const ISO_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
const version = z.literal(VENUE_SCHEMA_VERSION);
const at = z
  .string()
  .regex(ISO_TIME, 'a time is an ISO time in UTC with milliseconds')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real time');
const signed = {
  at,
  stationId: z.string().regex(STATION_ID, 'a station id is 8 to 64 letters, digits or dashes'),
  stationName: z
    .string()
    .min(1)
    .max(60)
    .refine((s) => s.trim() === s && !/[\p{Cc}]/u.test(s), 'a station name is plain text'),
};
const listId = z
  .string()
  .refine(
    (s) => s === MAIN_LIST_ID || LIST_ID.test(s),
    'a list id is main, or 8 to 64 letters, digits or dashes',
  );

export const listEntrySchema = z
  .object({
    v: version,
    list: listId,
    name: z.string().max(200),
    tickets: z.array(z.string().max(200)).max(200).nullable(),
    window: z.object({ opensAt: at, closesAt: at, toleranceMinutes: z.number().int() }).strict().nullable(),
    rule: z.enum(ENTRY_RULES),
    minGapMinutes: z.number().int().nullable(),
    checkOutAt: z.string().max(5).nullable(),
    removed: z.boolean(),
    ...signed,
  })
  .strict()
  .superRefine((e, ctx) => {
    // The same rules as an admin's own definition, and stored as that would be: a desk's entry
    // cannot carry what this desk's admin could not set.
    const check = checkListDefinition(definitionOf(e), e.list === MAIN_LIST_ID);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
    else if (JSON.stringify(check.value) !== JSON.stringify(definitionOf(e)))
      ctx.addIssue({ code: 'custom', message: 'the definition is not stored as checked' });
    if (e.list === MAIN_LIST_ID && e.removed)
      ctx.addIssue({ code: 'custom', message: 'the main list cannot be removed' });
  });

export const checkOutEntrySchema = z
  .object({ v: version, list: listId, scheduled: z.boolean(), ...signed })
  .strict();

export type ListEntry = z.infer<typeof listEntrySchema>;
export type CheckOutEntry = z.infer<typeof checkOutEntrySchema>;
export type ListEntryOf<M extends ListMapName> = M extends 'lists' ? ListEntry : CheckOutEntry;

/** A list entry's definition, in the order checkListDefinition gives it. */
export function definitionOf(
  e: Pick<ListEntry, 'name' | 'tickets' | 'window' | 'rule' | 'minGapMinutes' | 'checkOutAt'>,
): ListDefinition {
  return {
    name: e.name,
    ticketTypes: e.tickets,
    window: e.window,
    rule: e.rule,
    minGapMinutes: e.minGapMinutes,
    checkOutAt: e.checkOutAt,
  };
}

export type ListEntryCheck<M extends ListMapName> =
  { ok: true; entry: ListEntryOf<M> } | { ok: false; reason: string; stationId: string | null };

/** Checks one entry of a list map before it may touch SQLite: size, key, shape and the list rules. */
export function checkListEntry<M extends ListMapName>(
  map: M,
  key: string,
  value: unknown,
): ListEntryCheck<M> {
  const claimed = (value as { stationId?: unknown } | null)?.stationId;
  const from = typeof claimed === 'string' && STATION_ID.test(claimed) ? claimed : null;
  let size: number;
  try {
    size = (JSON.stringify(value) ?? '').length;
  } catch {
    return { ok: false, reason: 'not JSON', stationId: from };
  }
  if (size > MAX_ENTRY_CHARS * 4)
    return {
      ok: false,
      reason: `entry of ${size} characters (at most ${MAX_ENTRY_CHARS * 4})`,
      stationId: from,
    };
  if (!VENUE_ACTION_ID.test(key)) return { ok: false, reason: `malformed ${map} key`, stationId: from };
  const parsed = (map === 'lists' ? listEntrySchema : checkOutEntrySchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `${map} ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'malformed'}`,
      stationId: from,
    };
  }
  return { ok: true, entry: parsed.data as ListEntryOf<M> };
}
