// The pairing code: everything a desk needs to join a venue, as text an admin can read out,
// type or scan (the UI shows the same text as a QR code). It holds the venue secret, so it is
// shown to admins only and never advertised. Crockford base32 (no I, L, O, U; case and dashes
// ignored when typed) with a checksum, so a mistyped code is told apart from a wrong one.
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { VenueKeyMaterial } from './psk.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'BD1';
const VENUE_ID_BYTES = 6;
export const VENUE_SECRET_BYTES = 16;
const CHECKSUM_BYTES = 2;
const GROUP = 5;

function checksum(payload: Buffer): Buffer {
  return createHash('sha256').update('badge-desk pairing code').update(payload).digest().subarray(0, CHECKSUM_BYTES);
}

function toBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string, byteCount: number): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return bytes.length === byteCount ? Buffer.from(bytes) : null;
}

/** `BD1-XXXXX-XXXXX-…`: venue id, epoch, secret and checksum. */
export function encodePairingCode(material: VenueKeyMaterial): string {
  const venueId = Buffer.from(material.venueId, 'hex');
  if (venueId.length !== VENUE_ID_BYTES || material.secret.length !== VENUE_SECRET_BYTES) {
    throw new AppError('INTERNAL', 'a venue id is 6 bytes and a venue secret 16');
  }
  const epoch = Buffer.alloc(2);
  epoch.writeUInt16BE(material.epoch);
  const payload = Buffer.concat([venueId, epoch, material.secret]);
  const text = toBase32(Buffer.concat([payload, checksum(payload)]));
  const groups = text.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? [];
  return [PREFIX, ...groups].join('-');
}

/** Reads a typed or scanned code; a code that does not read is INVALID_INPUT, never a guess. */
export function decodePairingCode(code: string): VenueKeyMaterial {
  const cleaned = code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (!cleaned.startsWith(PREFIX)) throw new AppError('INVALID_INPUT', 'this is not a Badge Desk pairing code (it starts with BD1)');
  const total = VENUE_ID_BYTES + 2 + VENUE_SECRET_BYTES + CHECKSUM_BYTES;
  const bytes = fromBase32(cleaned.slice(PREFIX.length), total);
  if (!bytes) throw new AppError('INVALID_INPUT', 'the pairing code is incomplete or has a character that does not belong; check it against the desk that shows it');
  const payload = bytes.subarray(0, total - CHECKSUM_BYTES);
  if (!checksum(payload).equals(bytes.subarray(total - CHECKSUM_BYTES))) {
    throw new AppError('INVALID_INPUT', 'the pairing code is mistyped (its checksum does not match); check it against the desk that shows it');
  }
  return {
    venueId: payload.subarray(0, VENUE_ID_BYTES).toString('hex'),
    epoch: payload.readUInt16BE(VENUE_ID_BYTES),
    secret: Buffer.from(payload.subarray(VENUE_ID_BYTES + 2)),
  };
}
