// The attendee list from peers: what the desks that sync an event with the provider
// write into the event's venue document, so that a desk holding no account mirrors the event.
// Pure: no Node, no DOM.
//
// In the event's document (schema version 1, beside the maps of shared/venue.ts):
//   roster  Y.Map<providerAttendeeId, RosterEntry>  the provider-owned fields of each attendee,
//           as the writing desk's mirror holds them, with the order the poller gave the record.
//           Unlike the log maps, an entry is replaced when the provider changes the record; never
//           by an older one (rosterChangeWins).
//   event   Y.Map<'details' | 'source', ...>       the event's details, and the sync status of
//           the desk that polls it ("Syncing via Desk 1").
// In the venue's directory document:
//   events  Y.Map<'<provider>:<providerEventId>', VenueEventListing>  the venue's events, so a
//           desk without an account knows which documents to open.
// Nothing here is a credential, a PIN or this station's local state (VIP, check-ins, prints
// travel in their own maps).
import { z } from 'zod';
import { PROVIDERS, type ProviderKind, type ProviderOwnedAttendeeFields } from './types.ts';
import { MAX_ANSWERS, fitAnswers, registrationAnswerSchema } from './answers.ts';
import { SYNC_STATUSES } from './sync-status.ts';
import { STATION_ID } from './venue.ts';
import { isWalkInId } from './door.ts';

export const ROSTER_MAPS = { roster: 'roster', event: 'event', directoryEvents: 'events' } as const;

/** Characters of one roster entry as JSON: a real attendee with long fields is far below. */
export const MAX_ROSTER_ENTRY_CHARS = 6_000;
/** Attendees one event's roster may hold: far above any real event, a cap on what a peer can make us store. */
export const MAX_ROSTER_ENTRIES = 250_000;

const PROVIDER_ID = /^[\x21-\x7E]{1,200}$/;
const text = (max: number) => z.string().max(max).nullable();
const time = z.string().max(40).nullable();
const stationId = z.string().regex(STATION_ID, 'a station id is 8 to 64 letters, digits or dashes');
const stationName = z.string().min(1).max(60);

export const rosterEntrySchema = z
  .object({
    v: z.literal(1),
    firstName: text(200),
    lastName: text(200),
    fullName: z.string().min(1).max(400),
    email: text(320),
    company: text(200),
    jobTitle: text(200),
    ticketName: text(200),
    otherTicketNames: z.array(z.string().max(200)).max(50).optional(),
    orderId: text(200),
    barcode: text(200),
    status: z.enum(['ATTENDING', 'NOT_ATTENDING', 'NOT_YET_ATTENDING']),
    providerStatus: text(100),
    providerCheckedIn: z.boolean(),
    registeredAt: time,
    providerUpdatedAt: time,
    /** Registration answers, cut to fit the entry's size (fitAnswers); absent: none. */
    answers: z.array(registrationAnswerSchema).max(MAX_ANSWERS).optional(),
    /** The order the event's poller gave this record (its counter); absent in entries of older desks. */
    order: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    /** The desk that wrote it. */
    stationId,
  })
  .strict();
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

/**
 * The provider-owned fields of an attendee, as a roster entry carries them (the key is the
 * provider id), and the poller's order of the record (null or absent: none known).
 */
export type RosterAttendee = ProviderOwnedAttendeeFields & {
  providerCheckedIn: boolean;
  rosterOrder?: number | null;
};

export const eventDetailsSchema = z
  .object({
    v: z.literal(1),
    name: z.string().min(1).max(300),
    startsAt: time,
    endsAt: time,
    timezone: text(100),
    url: text(2_000),
  })
  .strict();
export type EventDetailsEntry = z.infer<typeof eventDetailsSchema>;

export const syncSourceSchema = z
  .object({
    v: z.literal(1),
    stationId,
    stationName,
    status: z.enum(SYNC_STATUSES),
    statusReason: text(300),
    lastError: text(1_000),
    lastSyncedAt: time,
    at: z.string().max(40),
  })
  .strict();
export type SyncSourceEntry = z.infer<typeof syncSourceSchema>;

export const venueEventListingSchema = z
  .object({
    v: z.literal(1),
    provider: z.enum(PROVIDERS),
    providerEventId: z.string().regex(PROVIDER_ID),
    name: z.string().min(1).max(300),
    stationId,
  })
  .strict();
export type VenueEventListing = z.infer<typeof venueEventListingSchema>;

/** The directory's key of an event: `<provider>:<providerEventId>`. */
export function venueEventKey(provider: ProviderKind, providerEventId: string): string {
  return `${provider}:${providerEventId}`;
}

export type RosterCheck =
  | { ok: true; attendee: RosterAttendee; stationId: string }
  | { ok: false; reason: string; stationId: string | null };

/** Checks one roster entry from a peer before it may touch the mirror: key, size and shape. */
export function checkRosterEntry(key: string, value: unknown): RosterCheck {
  const claimed = (value as { stationId?: unknown } | null)?.stationId;
  const from = typeof claimed === 'string' && STATION_ID.test(claimed) ? claimed : null;
  if (!PROVIDER_ID.test(key)) return { ok: false, reason: 'malformed roster key', stationId: from };
  // The roster holds the provider's records; a walk-in travels in its own entries (shared/door-entries.ts).
  if (isWalkInId(key)) return { ok: false, reason: 'a walk-in in the roster', stationId: from };
  let size: number;
  try {
    size = (JSON.stringify(value) ?? '').length;
  } catch {
    return { ok: false, reason: 'not JSON', stationId: from };
  }
  if (size > MAX_ROSTER_ENTRY_CHARS)
    return {
      ok: false,
      reason: `roster entry of ${size} characters (at most ${MAX_ROSTER_ENTRY_CHARS})`,
      stationId: from,
    };
  const parsed = rosterEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `roster ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'malformed'}`,
      stationId: from,
    };
  }
  const { v: _v, stationId: writer, otherTicketNames, answers, order, ...fields } = parsed.data;
  return {
    ok: true,
    attendee: {
      providerAttendeeId: key,
      ...fields,
      otherTicketNames: otherTicketNames ?? [],
      answers: answers ?? [],
      ...(order !== undefined ? { rosterOrder: order } : {}),
    },
    stationId: writer,
  };
}

/**
 * The entry a desk writes for a record. Its answers are cut (whole answers first, then one
 * shortened) so the entry stays within MAX_ROSTER_ENTRY_CHARS and every desk accepts it.
 */
export function rosterEntryOf(a: RosterAttendee, writer: string, order?: number): RosterEntry {
  const entry = rosterEntryWithoutAnswers(a, writer, order);
  const answers = a.answers ?? [];
  if (answers.length === 0) return entry;
  // Room left for `,"answers":[...]` beside the rest of the entry.
  const room = MAX_ROSTER_ENTRY_CHARS - JSON.stringify(entry).length - ',"answers":'.length;
  const fitted = fitAnswers(answers, room);
  return fitted.length > 0 ? { ...entry, answers: fitted } : entry;
}

/** The record as a roster entry carries it: what a desk that applies the entry ends up holding. */
export function asRosterRecord(a: RosterAttendee): RosterAttendee {
  const answers = rosterEntryOf(a, 'station-as-record').answers ?? [];
  return { ...a, answers };
}

function rosterEntryWithoutAnswers(
  a: RosterAttendee,
  writer: string,
  order: number | undefined,
): RosterEntry {
  return {
    v: 1,
    firstName: a.firstName,
    lastName: a.lastName,
    fullName: a.fullName,
    email: a.email,
    company: a.company,
    jobTitle: a.jobTitle,
    ticketName: a.ticketName,
    ...(a.otherTicketNames && a.otherTicketNames.length > 0
      ? { otherTicketNames: [...a.otherTicketNames] }
      : {}),
    orderId: a.orderId,
    barcode: a.barcode,
    status: a.status,
    providerStatus: a.providerStatus,
    providerCheckedIn: a.providerCheckedIn,
    registeredAt: a.registeredAt,
    providerUpdatedAt: a.providerUpdatedAt,
    ...(order !== undefined ? { order } : {}),
    stationId: writer,
  };
}

/** Whether two records hold the same provider fields (the writer and the order are not fields). */
export function sameRosterFields(a: RosterAttendee, b: RosterAttendee): boolean {
  const fields: (keyof RosterAttendee)[] = [
    'firstName',
    'lastName',
    'fullName',
    'email',
    'company',
    'jobTitle',
    'ticketName',
    'orderId',
    'barcode',
    'status',
    'providerStatus',
    'providerCheckedIn',
    'registeredAt',
    'providerUpdatedAt',
  ];
  if (fields.some((f) => a[f] !== b[f])) return false;
  if (JSON.stringify(a.answers ?? []) !== JSON.stringify(b.answers ?? [])) return false;
  return (a.otherTicketNames ?? []).join('\u0000') === (b.otherTicketNames ?? []).join('\u0000');
}

function stampOf(a: Pick<RosterAttendee, 'providerUpdatedAt'>): number {
  const ms = a.providerUpdatedAt ? Date.parse(a.providerUpdatedAt) : Number.NaN;
  return Number.isNaN(ms) ? NO_STAMP : ms;
}

/**
 * Whether `incoming` replaces `current`. Only the event's poller writes the roster, so every
 * desk converges on the poller's listing; never on a desk's clock. What orders two records:
 * - the provider's own change stamp, where either record has one (Eventbrite's `changed`): an
 *   older record never replaces a newer one;
 * - where neither has one (Luma sends none), the order the poller gave each record: a counter per
 *   event that the poller persists, and that a desk taking over continues from the highest order
 *   it has seen, so its records come after every record of the poller before it.
 * A record as new as the current one but with other fields (a removal found by a full listing
 * keeps the provider's stamp) replaces it where `sameStampWins`: on desks that take the poller's
 * word; the poller itself takes only a newer record (left by a poller before it), so it never
 * undoes what its own listing found. Equal records are left alone.
 */
export function rosterChangeWins(
  incoming: RosterAttendee,
  current: RosterAttendee | undefined,
  sameStampWins: boolean,
): boolean {
  if (current === undefined) return true;
  const newer = compareRosterRecords(incoming, current);
  if (newer < 0) return false;
  if (newer === 0 && !sameStampWins) return false;
  return !sameRosterFields(incoming, current);
}

/**
 * Which of two records of one attendee is newer (rosterChangeWins): below 0 when `a` is older,
 * above when it is newer, 0 when neither the provider's stamp nor the poller's order tells.
 */
export function compareRosterRecords(a: RosterAttendee, b: RosterAttendee): number {
  const stamped = stampOf(a) !== NO_STAMP || stampOf(b) !== NO_STAMP;
  const x = stamped ? stampOf(a) : orderOf(a);
  const y = stamped ? stampOf(b) : orderOf(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

const NO_STAMP = Number.NEGATIVE_INFINITY;

function orderOf(a: Pick<RosterAttendee, 'rosterOrder'>): number {
  return typeof a.rosterOrder === 'number' ? a.rosterOrder : NO_STAMP;
}

/** The part of a Y.Map the directory's event list needs (shared has no Yjs). */
export interface ListingMap {
  forEach(f: (value: unknown, key: string) => void): void;
  get(key: string): unknown;
  set(key: string, value: VenueEventListing): unknown;
}

/** The valid listings of the directory's `events` map (one stored under another key is ignored). */
export function readVenueEvents(map: ListingMap): VenueEventListing[] {
  const out: VenueEventListing[] = [];
  map.forEach((value, key) => {
    const parsed = venueEventListingSchema.safeParse(value);
    if (parsed.success && key === venueEventKey(parsed.data.provider, parsed.data.providerEventId))
      out.push(parsed.data);
  });
  return out;
}

/** Lists the event once: a second desk syncing the same event adds nothing. */
export function listVenueEventIn(map: ListingMap, listing: VenueEventListing): void {
  const key = venueEventKey(listing.provider, listing.providerEventId);
  if (venueEventListingSchema.safeParse(map.get(key)).success) return;
  map.set(key, listing);
}
