// The venue document: what one event's Yjs document holds, how every entry is
// validated, and the pure rules that turn a set of entries into the state every desk shows.
// Pure: no Node, no DOM. Main (the replica and the desk) and the renderer (texts) share it.
//
// Schema, version 1. One document per event, named by venueDocumentName(). Three log maps:
//   checkins  Y.Map<actionId, CheckInEntry>  check-ins and undos; an undo names the check-in it
//             undoes (`undoes`), so any desk can undo any desk's check-in.
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
    kind: z.enum(['check_in', 'undo']),
    actionId: actionIdSchema,
    attendee: attendeeSchema,
    undoes: actionIdSchema.optional(),
    at: atSchema,
    stationId: stationIdSchema,
    stationName: stationNameSchema,
  })
  .strict()
  .refine(
    (e) => (e.kind === 'undo') === (e.undoes !== undefined),
    'an undo names the check-in it undoes, and only an undo does',
  )
  .refine((e) => e.undoes !== e.actionId, 'an undo cannot undo itself');

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

/** What the rules below need of an entry: the same fields whether it came from a document or a SQLite row. */
export interface Stamped {
  id: string;
  at: string;
  stationId: string;
}

/** The order every desk agrees on: time, then station id, then the entry's own id. */
export function compareStamped(a: Stamped, b: Stamped): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.stationId !== b.stationId) return a.stationId < b.stationId ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface CheckInFact extends Stamped {
  kind: 'check_in' | 'undo';
  undoes: string | null;
  stationName: string;
}

export interface DerivedCheckIn<F extends CheckInFact = CheckInFact> {
  /** The earliest check-in not undone: the one shown ("at 10:42 at Desk 1"), or null. */
  shown: F | null;
  /** Every check-in not undone, earliest first. */
  admissions: F[];
  /** Two or more check-ins not undone from different stations. */
  doubleAdmission: boolean;
  /** The latest entry of all (what a "not checked in" row shows as its last action). */
  latest: F | null;
}

/**
 * The check-in rule: an attendee is checked in while at least one of their check-ins is not
 * undone; the earliest such check-in is shown; two or more not undone from different desks are a
 * double admission. An undo counts only for the check-in it names; an undo that names nothing
 * known (yet) undoes nothing, so the answer never depends on the order entries arrive in.
 */
export function deriveCheckIn<F extends CheckInFact>(facts: readonly F[]): DerivedCheckIn<F> {
  const undone = new Set<string>();
  for (const f of facts) if (f.kind === 'undo' && f.undoes !== null) undone.add(f.undoes);
  const admissions = facts.filter((f) => f.kind === 'check_in' && !undone.has(f.id)).sort(compareStamped);
  const latest = facts.reduce<F | null>(
    (best, f) => (best === null || compareStamped(f, best) > 0 ? f : best),
    null,
  );
  return {
    shown: admissions[0] ?? null,
    admissions,
    doubleAdmission: new Set(admissions.map((a) => a.stationId)).size > 1,
    latest,
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
