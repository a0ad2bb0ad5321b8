// The door's facts in the event's venue document: walk-ins, badge-name corrections, notes, "needs
// attention" flags, links of a walk-in to the provider's record, the event's walk-in setting and the
// confirmations of flagged check-ins. How each entry is validated, and the pure rules that turn a set
// of entries into the state every desk shows. Pure: no Node, no DOM.
//
// Maps of the event's document (schema version 1, beside those of shared/venue.ts):
//   walkIns        Y.Map<walkInId, WalkInEntry>          a person registered at a desk; written once.
//                  The key is the walk-in's attendee id (`walk-in:<uuid>`): their check-ins, prints
//                  and VIP flag travel in the maps of shared/venue.ts under that id.
//   corrections    Y.Map<actionId, CorrectionEntry>      the badge name of a person; the latest
//                  (time, then station id, then id) wins; `badge: null` clears it.
//   notes          Y.Map<actionId, NoteEntry>            a note on a person or on a ticket type; latest wins.
//   flags          Y.Map<actionId, FlagEntry>            "needs attention" and why; latest wins.
//   links          Y.Map<actionId, LinkEntry>            a walk-in is the provider's record of the
//                  same person; the latest link of a walk-in wins (`attendee: null` unlinks).
//   doorSettings   Y.Map<actionId, DoorSettingEntry>     whether the event takes walk-ins; latest wins.
//   confirmations  Y.Map<checkInActionId, ConfirmationEntry>  a flagged person admitted after the
//                  operator confirmed; written once.
// Every entry is written once and never changed; a change is a new entry. Unlike the log maps of
// shared/venue.ts, walk-ins and corrections carry names, emails and companies (the roster does too):
// never a credential or PIN. None of this ever reaches a provider.
import { z } from 'zod';
import {
  MAX_ENTRY_CHARS,
  STATION_ID,
  VENUE_ACTION_ID,
  VENUE_SCHEMA_VERSION,
  compareStamped,
  type Stamped,
} from './venue.ts';
import {
  MAX_COMPANY_CHARS,
  MAX_NAME_CHARS,
  MAX_NOTE_CHARS,
  MAX_REASON_CHARS,
  WALK_IN_ID,
  checkDoorText,
  checkEmail,
} from './door.ts';

export const DOOR_MAPS = [
  'walkIns',
  'corrections',
  'notes',
  'flags',
  'links',
  'doorSettings',
  'confirmations',
] as const;
export type DoorMapName = (typeof DOOR_MAPS)[number];

const ISO_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
const version = z.literal(VENUE_SCHEMA_VERSION);
const at = z
  .string()
  .regex(ISO_TIME, 'a time is an ISO time in UTC with milliseconds')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real time');
const stationId = z.string().regex(STATION_ID, 'a station id is 8 to 64 letters, digits or dashes');
const stationName = z
  .string()
  .min(1)
  .max(60)
  .refine((s) => s.trim() === s && !/[\p{Cc}]/u.test(s), 'a station name is plain text');
const attendee = z
  .string()
  .regex(/^[\x21-\x7E]{1,200}$/, 'a provider attendee id is 1 to 200 printable characters');
const walkInId = z
  .string()
  .regex(WALK_IN_ID, 'a walk-in id is walk-in: and 8 to 64 letters, digits or dashes');

/** A field of typed text as the desk's own commands accept it (shared/door.ts checkDoorText), stored as typed. */
function typed(label: string, max: number, required: boolean, name = false) {
  return z
    .string()
    .nullable()
    .superRefine((v, ctx) => {
      const check = checkDoorText(v, { label, max, required, name });
      if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
      else if (check.value !== v)
        ctx.addIssue({ code: 'custom', message: `${label} is not stored as typed` });
    });
}
const firstName = typed('The first name', MAX_NAME_CHARS, true, true);
const lastName = (required: boolean) => typed('The last name', MAX_NAME_CHARS, required, true);
const company = typed('The company', MAX_COMPANY_CHARS, false);
const email = z
  .string()
  .nullable()
  .superRefine((v, ctx) => {
    const check = checkEmail(v);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
    else if (check.value !== v) ctx.addIssue({ code: 'custom', message: 'The email is not stored as typed' });
  });
const signed = { at, stationId, stationName };

export const walkInEntrySchema = z
  .object({
    v: version,
    firstName: firstName.refine((s) => s !== null),
    lastName: lastName(true).refine((s) => s !== null),
    email,
    company,
    ticketName: typed('The ticket type', 200, true).refine((s) => s !== null),
    ...signed,
  })
  .strict();

export const correctionEntrySchema = z
  .object({
    v: version,
    attendee,
    badge: z
      .object({ firstName: firstName.refine((s) => s !== null), lastName: lastName(false), company })
      .strict()
      .nullable(),
    /** The provider's record when the correction was made (the desk shows when it changes since). */
    base: z
      .object({ fullName: z.string().min(1).max(400), company: z.string().max(400).nullable() })
      .strict(),
    ...signed,
  })
  .strict();

export const noteEntrySchema = z
  .object({
    v: version,
    attendee: attendee.optional(),
    ticketName: z.string().min(1).max(200).optional(),
    text: typed('The note', MAX_NOTE_CHARS, false),
    ...signed,
  })
  .strict()
  .refine(
    (e) => (e.attendee === undefined) !== (e.ticketName === undefined),
    'a note is on a person or on a ticket type',
  );

export const flagEntrySchema = z
  .object({ v: version, attendee, reason: typed('The reason', MAX_REASON_CHARS, false), ...signed })
  .strict();

export const linkEntrySchema = z
  .object({ v: version, walkIn: walkInId, attendee: attendee.nullable(), ...signed })
  .strict()
  .refine((e) => e.attendee !== e.walkIn, 'a walk-in cannot be linked to itself');

export const doorSettingEntrySchema = z.object({ v: version, walkIns: z.boolean(), ...signed }).strict();

export const confirmationEntrySchema = z
  .object({ v: version, attendee, reason: z.string().min(1).max(MAX_REASON_CHARS), ...signed })
  .strict();

const SCHEMAS = {
  walkIns: walkInEntrySchema,
  corrections: correctionEntrySchema,
  notes: noteEntrySchema,
  flags: flagEntrySchema,
  links: linkEntrySchema,
  doorSettings: doorSettingEntrySchema,
  confirmations: confirmationEntrySchema,
} as const;

export type WalkInEntry = z.infer<typeof walkInEntrySchema>;
export type CorrectionEntry = z.infer<typeof correctionEntrySchema>;
export type NoteEntry = z.infer<typeof noteEntrySchema>;
export type FlagEntry = z.infer<typeof flagEntrySchema>;
export type LinkEntry = z.infer<typeof linkEntrySchema>;
export type DoorSettingEntry = z.infer<typeof doorSettingEntrySchema>;
export type ConfirmationEntry = z.infer<typeof confirmationEntrySchema>;
export type DoorEntryOf<M extends DoorMapName> = z.infer<(typeof SCHEMAS)[M]>;
export type DoorEntry = DoorEntryOf<DoorMapName>;

/** The subject of settings entries: the event itself. */
export const EVENT_SUBJECT = 'event';
const TICKET_SUBJECT = 'ticket:';

/** The note subject of a ticket type. */
export function ticketSubject(ticketName: string): string {
  return `${TICKET_SUBJECT}${ticketName}`;
}

/** Whose state an entry changes: a provider attendee id (walk-ins too), a ticket type, or the event. */
export function subjectOf<M extends DoorMapName>(map: M, key: string, entry: DoorEntryOf<M>): string {
  switch (map) {
    case 'walkIns':
      return key;
    case 'links':
      return (entry as LinkEntry).walkIn;
    case 'doorSettings':
      return EVENT_SUBJECT;
    case 'notes': {
      const n = entry as NoteEntry;
      return n.attendee ?? ticketSubject(n.ticketName!);
    }
    default:
      return (entry as CorrectionEntry | FlagEntry | ConfirmationEntry).attendee;
  }
}

export type DoorEntryCheck<M extends DoorMapName> =
  { ok: true; entry: DoorEntryOf<M> } | { ok: false; reason: string; stationId: string | null };

/**
 * Checks one entry of a door map before it may touch SQLite: its size, its key, its shape and its
 * typed text (by the rules the desk's own commands apply). Refusals name the station the entry
 * claims to come from, for the count shown to the admin.
 */
export function checkDoorEntry<M extends DoorMapName>(
  map: M,
  key: string,
  value: unknown,
): DoorEntryCheck<M> {
  const claimed = (value as { stationId?: unknown } | null)?.stationId;
  const from = typeof claimed === 'string' && STATION_ID.test(claimed) ? claimed : null;
  let size: number;
  try {
    size = (JSON.stringify(value) ?? '').length;
  } catch {
    return { ok: false, reason: 'not JSON', stationId: from };
  }
  if (size > MAX_ENTRY_CHARS)
    return { ok: false, reason: `entry of ${size} characters (at most ${MAX_ENTRY_CHARS})`, stationId: from };
  const keyOk = map === 'walkIns' ? WALK_IN_ID.test(key) : VENUE_ACTION_ID.test(key);
  if (!keyOk) return { ok: false, reason: `malformed ${map} key`, stationId: from };
  const parsed = SCHEMAS[map].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `${map} ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'malformed'}`,
      stationId: from,
    };
  }
  return { ok: true, entry: parsed.data as DoorEntryOf<M> };
}

// ---- the derived state ----

/** The entry in force: the greatest (time, station id, id), the same on every desk; null for none. */
export function latestStamped<F extends Stamped>(facts: readonly F[]): F | null {
  return facts.reduce<F | null>((best, f) => (best === null || compareStamped(f, best) > 0 ? f : best), null);
}

/**
 * The time a station stamps a change of a fact it saw: its clock, but never before the entry in
 * force, so the change a person made after seeing that entry wins even over a desk whose clock runs
 * ahead (shared/venue.ts nextVipTime is the same rule for VIP flags).
 */
export function nextStampTime(nowIso: string, current: Pick<Stamped, 'at'> | null): string {
  if (current === null || current.at < nowIso) return nowIso;
  return new Date(Date.parse(current.at) + 1).toISOString();
}

export interface LinkFact extends Stamped {
  walkIn: string;
  attendee: string | null;
}

/**
 * Which person each walk-in is: the walk-in's latest link names another attendee (a provider's
 * record, or another walk-in); links are taken in the agreed order (time, station id, id) and one
 * that would close a circle (two desks linking two walk-ins to each other at once) is left out;
 * a chain resolves to its end. Returns walk-in id -> the attendee id of the person it is.
 */
export function deriveLinks(facts: readonly LinkFact[]): Map<string, string> {
  const current = new Map<string, LinkFact>();
  for (const f of facts) {
    const best = current.get(f.walkIn);
    if (!best || compareStamped(f, best) > 0) current.set(f.walkIn, f);
  }
  const accepted = new Map<string, string>();
  const rootOf = (id: string): string => {
    let at = id;
    for (let hops = 0; accepted.has(at) && hops <= accepted.size; hops++) at = accepted.get(at)!;
    return at;
  };
  for (const f of [...current.values()].sort(compareStamped)) {
    if (f.attendee === null || rootOf(f.attendee) === f.walkIn) continue;
    accepted.set(f.walkIn, f.attendee);
  }
  return new Map([...accepted.keys()].map((w) => [w, rootOf(w)]));
}
