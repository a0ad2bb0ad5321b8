// The secret's rotation as it travels between stations: an admin's desk sends `rotate` (the next
// epoch's secret) over the current encrypted sessions of the directory document, and every
// station that takes it answers `rotated`. Desks (VenueMembership) and the relay (main/venue/relay) read
// them here, so both accept exactly the same messages.
import { z } from 'zod';
import { STATION_ID } from '../../../../shared/venue.ts';
import { VENUE_SECRET_BYTES } from './pairing-code.ts';
import type { VenueKeyMaterial } from '../transport/psk.ts';

const rotateMessage = z
  .object({
    type: z.literal('rotate'),
    venueId: z.string(),
    epoch: z.number().int(),
    secret: z.string().max(64),
  })
  .strict();

const rotatedMessage = z
  .object({
    type: z.literal('rotated'),
    epoch: z.number().int(),
    /** Set by a relay passing on the answer of a desk it reached for the sender: that desk's id. */
    stationId: z.string().regex(STATION_ID).optional(),
  })
  .strict();

export function rotateMessageFor(next: VenueKeyMaterial): string {
  return JSON.stringify({
    type: 'rotate',
    venueId: next.venueId,
    epoch: next.epoch,
    secret: next.secret.toString('base64'),
  });
}

/** The next key a `rotate` message hands over, or null when it is not the next epoch of our venue. */
export function readRotation(message: unknown, current: VenueKeyMaterial): VenueKeyMaterial | null {
  const rotate = rotateMessage.safeParse(message);
  if (!rotate.success) return null;
  const { venueId, epoch, secret } = rotate.data;
  const bytes = Buffer.from(secret, 'base64');
  if (venueId !== current.venueId || epoch !== current.epoch + 1 || bytes.length !== VENUE_SECRET_BYTES)
    return null;
  return { venueId, epoch, secret: bytes };
}

export function rotatedMessageFor(epoch: number, onBehalfOf?: string): string {
  return JSON.stringify({ type: 'rotated', epoch, ...(onBehalfOf ? { stationId: onBehalfOf } : {}) });
}

/** An answer to a rotation: its epoch and, when a relay passes it on, the desk it came from. */
export function readRotated(message: unknown): { epoch: number; stationId: string | null } | null {
  const parsed = rotatedMessage.safeParse(message);
  return parsed.success ? { epoch: parsed.data.epoch, stationId: parsed.data.stationId ?? null } : null;
}
