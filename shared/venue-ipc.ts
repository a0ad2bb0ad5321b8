// The venue's IPC channels, spread into IPC_CHANNELS by shared/ipc-contract.ts: one
// table, validated by main like every other channel. Pairing and presence are answered by the
// network half (main/venue/net through the core), conflicts, refusals and the print pre-check by
// the data half (main/venue/replica). Everything that changes the venue needs the admin role; so
// do the pairing code (it holds the venue secret) and the conflicts (they name attendees).
import { z } from 'zod';
import { channel, empty, eventRef, id } from './ipc-channel.ts';
import type { VenueStatus } from './venue-desks.ts';
import type { PriorPrint, RefusedEntries, VenueConflicts } from './venue.ts';
import { STATION_ID } from './venue.ts';

/** `host:port` of a desk, typed by a person when mDNS is blocked (an IPv6 host in brackets). */
export const venueAddressSchema = z
  .string()
  .trim()
  .min(3)
  .max(300)
  .regex(
    /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/,
    'an address is host:port, e.g. 192.168.1.20:41234',
  );

/**
 * Codes read "BD1-XXXXX-…" (about 55 characters; a BD2 code with a relay address up to about 270,
 * a BD3 code with up to four about 1,000); main decodes them and says what is wrong.
 */
// A pairing code as typed or scanned (BD1-…); main checks its checksum.
const pairingCode = z
  .string()
  .trim()
  .min(10)
  .max(1_000)
  .regex(/^[A-Za-z0-9\s-]+$/, 'a pairing code is letters, digits and dashes');

/** What removing a desk or rotating the secret answers: desks that did not get the new secret join again with the new code. */
export interface VenueRotation {
  status: VenueStatus;
  /** Names of the desks the new secret did not reach (off at the time). */
  notReached: string[];
}

export const VENUE_CHANNELS = {
  /** This desk, its venue (or none), the venue's desks with presence, desks found by mDNS, refused connections. */
  'venue.status': channel<VenueStatus>()(empty, { admin: false }),
  /** The code other desks join with: it holds the venue secret. */
  'venue.pairingCode': channel<{ code: string }>()(empty, { admin: true }),
  /** "Start a venue": a name and a random secret; this desk is its first desk. */
  'venue.start': channel<VenueStatus>()(z.object({ name: z.string().trim().min(1).max(80) }).strict(), {
    admin: true,
  }),
  /**
   * Joins the venue of `code` through the desk at `address` (picked from the discovered desks or
   * typed); without an address, through a discovered desk of that venue.
   */
  'venue.join': channel<VenueStatus>()(
    z.object({ code: pairingCode, address: venueAddressSchema.optional() }).strict(),
    { admin: true },
  ),
  /** Connects to another desk of this venue by its address (when mDNS is blocked). */
  'venue.addDesk': channel<VenueStatus>()(z.object({ address: venueAddressSchema }).strict(), {
    admin: true,
  }),
  /** Renames this desk; names are unique within the venue. */
  'venue.renameDesk': channel<VenueStatus>()(z.object({ name: z.string().trim().min(1).max(60) }).strict(), {
    admin: true,
  }),
  /** Removes a desk from the venue and rotates the secret, so it can neither read nor write. */
  'venue.removeDesk': channel<VenueRotation>()(
    z.object({ stationId: z.string().regex(STATION_ID, 'a station id') }).strict(),
    { admin: true },
  ),
  'venue.rotateSecret': channel<VenueRotation>()(empty, { admin: true }),
  /** Leaves the venue: this desk keeps its data and works alone. */
  'venue.leave': channel<VenueStatus>()(empty, { admin: true }),

  /** People admitted, and badges printed, at two or more desks while they could not see each other (names: admin). */
  'venue.conflicts': channel<VenueConflicts>()(eventRef, { admin: true }),
  /** Entries from other desks this desk refused since it started, per station. */
  'venue.refused': channel<RefusedEntries[]>()(empty, { admin: true }),
  /** The print pre-check before a first badge: the venue's earliest first print of this attendee, or null. */
  'print.priorPrint': channel<PriorPrint | null>()(z.object({ attendeeId: id }).strict(), { admin: false }),
} as const;
