// The venue document: what one event's Yjs document holds, how every entry is
// validated, and the pure rules that turn a set of entries into the state every desk shows.
// Pure: no Node, no DOM. Main (the replica and the desk) and the renderer (texts) share it.
//
// Schema, version 1. One document per event, named by venueDocumentName(). Three log maps:
//   checkins  Y.Map<actionId, CheckInEntry>  entries (check-ins), exits and undos; an undo names the
//             entry or exit it undoes (`undoes`), so any desk can undo any desk's. Each belongs to
//             one check-in list (`list`; absent: the event's main list), and an entry an admin let
//             in over the list's refusal carries the reason (`override`). Lists and their
//             check-outs are maps of their own (shared/list-entries.ts).
//   vip       Y.Map<actionId, VipEntry>      the flag is the entry with the greatest
//             (at, stationId, actionId): last writer wins, the same on every desk.
//   prints    Y.Map<printId, PrintEntry>     badges that came out of a printer: first prints and
//             reprints, with who and why.
// Beside them the document holds the roster and the event's details, written by the desk that
// polls the provider (shared/venue-roster.ts says what they hold).
// Every log entry carries `v: 1` and is written once, never changed. Entries name attendees by the
// provider's attendee id (local row ids differ between desks) and hold no names, emails,
// credentials or PINs: only ids, times, station names and the VIP and print facts.
import { z } from 'zod';
import type { ProviderKind } from './types.ts';
import { PROVIDERS } from './types.ts';
import { LIST_ID, MAX_OVERRIDE_REASON_CHARS } from './lists.ts';
import { derivePresence, doubleAdmission, type PassageFact } from './presence.ts';
import { compareStamped, type Stamped } from './venue-order.ts';

export const VENUE_SCHEMA_VERSION = 1;
export const VENUE_MAPS = { checkins: 'checkins', vip: 'vip', prints: 'prints', roster: 'roster' } as const;
export type VenueMapName = Exclude<keyof typeof VENUE_MAPS, 'roster'>;

export interface VenueDocumentRef {
  venueId: string;
  provider: ProviderKind;
  providerEventId: string;
}

const VENUE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PROVIDER_EVENT_ID = /^[\x21-\x7E]{1,200}$/;

/** `venue:<venueId>:<provider>:<providerEventId>`: the one place a document's name is made. */
export function venueDocumentName(ref: VenueDocumentRef): string {
  if (!VENUE_ID.test(ref.venueId))
    throw new Error('a venue id is 1 to 64 letters, digits, dashes or underscores');
  if (!PROVIDER_EVENT_ID.test(ref.providerEventId))
    throw new Error('a provider event id is 1 to 200 printable characters');
  return `venue:${ref.venueId}:${ref.provider}:${ref.providerEventId}`;
}

/** The key of a document name, or null when it is not one of ours (a peer asking for anything else). */
export function parseVenueDocumentName(name: string): VenueDocumentRef | null {
  const m = /^venue:([^:]+):([^:]+):(.+)$/.exec(name);
  if (!m) return null;
  const [, venueId, provider, providerEventId] = m as unknown as [string, string, string, string];
  if (!VENUE_ID.test(venueId) || !PROVIDER_EVENT_ID.test(providerEventId)) return null;
  if (!(PROVIDERS as readonly string[]).includes(provider)) return null;
  return { venueId, provider: provider as ProviderKind, providerEventId };
}

// ---- entries ----

/** Action ids: the desk's UUIDs (8-64 letters, digits, dashes), plus a suffix for a multi-part undo. */
export const VENUE_ACTION_ID = /^[A-Za-z0-9-]{8,64}(?:\.[0-9]{1,3})?$/;
export const STATION_ID = /^[A-Za-z0-9-]{8,64}$/;
/** Station clocks as Date#toISOString writes them, so times compare as strings on every desk. */
const ISO_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
/** Characters of one entry as JSON: the largest real entry (a reprint with a 200-character reason) is far below. */
export const MAX_ENTRY_CHARS = 2048;

const actionIdSchema = z.string().regex(VENUE_ACTION_ID, 'an action id is 8 to 64 letters, digits or dashes');
const stationIdSchema = z.string().regex(STATION_ID, 'a station id is 8 to 64 letters, digits or dashes');
const attendeeSchema = z
  .string()
  .regex(/^[\x21-\x7E]{1,200}$/, 'a provider attendee id is 1 to 200 printable characters');
const atSchema = z
  .string()
  .regex(ISO_TIME, 'a time is an ISO time in UTC with milliseconds')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real time');
const stationNameSchema = z
  .string()
  .min(1)
  .max(60)
  .refine((s) => s.trim() === s && !/[\p{Cc}]/u.test(s), 'a station name is plain text');
const version = z.literal(VENUE_SCHEMA_VERSION);

export const checkInEntrySchema = z
  .object({
    v: version,
    kind: z.enum(['check_in', 'undo', 'exit']),
    actionId: actionIdSchema,
    attendee: attendeeSchema,
    undoes: actionIdSchema.optional(),
    at: atSchema,
    stationId: stationIdSchema,
    stationName: stationNameSchema,
    // The check-in list (shared/lists.ts) of another list than the event's main one.
    list: z.string().regex(LIST_ID, 'a list id is 8 to 64 letters, digits or dashes').optional(),
    // An admin admitted the person over the list's refusal, for this reason.
    override: z
      .string()
      .min(1)
      .max(MAX_OVERRIDE_REASON_CHARS)
      .refine((s) => s.trim() === s && !/[\p{Cc}]/u.test(s), 'a reason is plain text')
      .optional(),
  })
  .strict()
  .refine(
    (e) => (e.kind === 'undo') === (e.undoes !== undefined),
    'an undo names the entry or exit it undoes, and only an undo does',
  )
  .refine((e) => e.undoes !== e.actionId, 'an undo cannot undo itself')
  .refine(
    (e) => e.override === undefined || e.kind === 'check_in',
    'only an entry is admitted by an override',
  );

export const vipEntrySchema = z
  .object({
    v: version,
    attendee: attendeeSchema,
    vip: z.boolean(),
    at: atSchema,
    stationId: stationIdSchema,
    stationName: stationNameSchema,
  })
  .strict();

export const printEntrySchema = z
  .object({
    v: version,
    attendee: attendeeSchema,
    kind: z.enum(['first', 'reprint']),
    at: atSchema,
    stationId: stationIdSchema,
    stationName: stationNameSchema,
    by: z.string().min(1).max(80).optional(),
    reason: z.string().min(1).max(200).optional(),
  })
  .strict();

export type CheckInEntry = z.infer<typeof checkInEntrySchema>;
export type VipEntry = z.infer<typeof vipEntrySchema>;
export type PrintEntry = z.infer<typeof printEntrySchema>;

const SCHEMAS = { checkins: checkInEntrySchema, vip: vipEntrySchema, prints: printEntrySchema } as const;

export type EntryOf<M extends VenueMapName> = z.infer<(typeof SCHEMAS)[M]>;

export type EntryCheck<M extends VenueMapName> =
  { ok: true; entry: EntryOf<M> } | { ok: false; reason: string; stationId: string | null };

/**
 * Checks one entry of a document map before it may touch SQLite: its size, its shape, and that
 * it is stored under its own id (a check-in under another's action id would shadow it).
 * Refusals name the station the entry claims to come from, for the count shown to the admin.
 */
export function checkEntry<M extends VenueMapName>(map: M, key: string, value: unknown): EntryCheck<M> {
  const claimed =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { stationId?: unknown }).stationId === 'string'
      ? (value as { stationId: string }).stationId
      : null;
  const stationId = claimed !== null && STATION_ID.test(claimed) ? claimed : null;
  let size: number;
  try {
    size = (JSON.stringify(value) ?? '').length;
  } catch {
    return { ok: false, reason: 'not JSON', stationId };
  }
  if (size > MAX_ENTRY_CHARS)
    return { ok: false, reason: `entry of ${size} characters (at most ${MAX_ENTRY_CHARS})`, stationId };
  if (!VENUE_ACTION_ID.test(key)) return { ok: false, reason: 'malformed entry key', stationId };
  const parsed = SCHEMAS[map].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'malformed'}`,
      stationId,
    };
  }
  if (map === 'checkins' && (parsed.data as CheckInEntry).actionId !== key)
    return { ok: false, reason: 'stored under another action id', stationId };
  return { ok: true, entry: parsed.data as EntryOf<M> };
}

// ---- the derived state: pure functions of the set of entries ----

export { compareStamped, type Stamped } from './venue-order.ts';

export interface CheckInFact extends PassageFact {
  kind: 'check_in' | 'undo' | 'exit';
}

export interface DerivedCheckIn<F extends CheckInFact = CheckInFact> {
  /** The earliest entry not undone: the arrival shown ("at 10:42 at Desk 1"), or null. */
  shown: F | null;
  /** The entries in force now (the stay in progress), earliest first: what an undo takes back. */
  admissions: F[];
  /** The entries of a stay admitted at two or more desks (a double admission), or null. */
  double: F[] | null;
  doubleAdmission: boolean;
  /** The latest entry of all (what a "not checked in" row shows as its last action). */
  latest: F | null;
}

/**
 * The main list's check-in rule (shared/presence.ts is the rule of every list): an attendee is
 * checked in once an entry of theirs is not undone, and the earliest such entry is shown; an exit
 * ends their stay (they are no longer inside, still arrived). Two or more entries of one stay from
 * different desks are a double admission. An undo counts only for the entry or exit it names; one
 * that names nothing known (yet) undoes nothing, so the answer never depends on the order entries
 * arrive in.
 */
export function deriveCheckIn<F extends CheckInFact>(
  facts: readonly F[],
  checkOuts: readonly Stamped[] = [],
): DerivedCheckIn<F> {
  const p = derivePresence(facts, checkOuts);
  const double = doubleAdmission(p, 'once', 'UTC');
  return {
    shown: p.entries[0] ?? null,
    admissions: p.stay,
    double,
    doubleAdmission: double !== null,
    latest: p.latest,
  };
}

export interface VipFact extends Stamped {
  vip: boolean;
}

/** The VIP flag: the entry with the greatest (at, stationId, id) wins; no entry is not VIP. */
export function deriveVip(facts: readonly VipFact[]): VipFact | null {
  return facts.reduce<VipFact | null>(
    (best, f) => (best === null || compareStamped(f, best) > 0 ? f : best),
    null,
  );
}

/**
 * The time a station stamps a new VIP entry: its clock, but never before the flag it is changing.
 * A person who toggles a flag saw the current one, so their change must win over it even when
 * that entry came from a desk whose clock runs ahead (or was made in the same millisecond).
 */
export function nextVipTime(nowIso: string, current: Pick<VipFact, 'at'> | null): string {
  if (current === null || current.at < nowIso) return nowIso;
  return new Date(Date.parse(current.at) + 1).toISOString();
}

export interface PrintFact extends Stamped {
  kind: 'first' | 'reprint';
  stationName: string;
}

export interface DerivedPrints<F extends PrintFact = PrintFact> {
  /** The earliest first print anywhere in the venue, or null: consulted before a first print. */
  first: F | null;
  /** First prints from two or more stations (badges printed twice while desks were apart). */
  doublePrint: F[] | null;
}

export function derivePrints<F extends PrintFact>(facts: readonly F[]): DerivedPrints<F> {
  const firsts = facts.filter((f) => f.kind === 'first').sort(compareStamped);
  return {
    first: firsts[0] ?? null,
    doublePrint: new Set(firsts.map((f) => f.stationId)).size > 1 ? firsts : null,
  };
}

// ---- what the desk and the admin see: in shared/venue-view.ts, free of zod for the renderer ----

export * from './venue-view.ts';
