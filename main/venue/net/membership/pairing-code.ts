// The pairing code: everything a desk needs to join a venue, as text an admin can read out,
// type or scan (the UI shows the same text as a QR code). It holds the venue secret, so it is
// shown to admins only and never advertised. Crockford base32 (no I, L, O, U; case and dashes
// ignored when typed) with a checksum, so a mistyped code is told apart from a wrong one.
// BD1 codes hold the key only; BD2 codes add the address of the venue's relay (main/venue/relay),
// so a desk that joins with one can reach the venue where the network keeps desks apart; BD3
// codes carry several relays (instances sharing the venue through Redis), up to four.
import { createHash } from 'node:crypto';
import { AppError } from '../../../../shared/errors.ts';
import type { VenueKeyMaterial } from '../transport/psk.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'BD1';
const PREFIX_WITH_RELAY = 'BD2';
const PREFIX_WITH_RELAYS = 'BD3';
/** The most relays a code carries. */
export const MAX_CODE_RELAYS = 4;
/** A relay's address in a code: `host:port`, at most this many characters. */
const RELAY_MAX_CHARS = 120;
const RELAY_IPV4 = 4;
const RELAY_TEXT = 0;
const VENUE_ID_BYTES = 6;
export const VENUE_SECRET_BYTES = 16;
const CHECKSUM_BYTES = 2;
const GROUP = 5;

function checksum(payload: Buffer): Buffer {
  return createHash('sha256')
    .update('badge-desk pairing code')
    .update(payload)
    .digest()
    .subarray(0, CHECKSUM_BYTES);
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

function fromBase32(text: string): Buffer | null {
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
  return Buffer.from(bytes);
}

/** A relay's `host:port` as bytes: 7 for an IPv4 address, else its text with a length byte. */
function relayBytes(relay: string): Buffer {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(relay);
  const port = Number(relay.slice(relay.lastIndexOf(':') + 1));
  if (
    !/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/.test(relay) ||
    relay.length > RELAY_MAX_CHARS ||
    port < 1 ||
    port > 65_535
  ) {
    throw new AppError(
      'INVALID_INPUT',
      'a relay address is host:port, e.g. 192.168.1.5:4444 or relay.example.org:4444',
    );
  }
  if (m && m.slice(1, 5).every((o) => Number(o) <= 255)) {
    const out = Buffer.alloc(7);
    out[0] = RELAY_IPV4;
    m.slice(1, 5).forEach((o, i) => (out[i + 1] = Number(o)));
    out.writeUInt16BE(port, 5);
    return out;
  }
  const text = Buffer.from(relay, 'ascii');
  return Buffer.concat([Buffer.from([RELAY_TEXT, text.length]), text]);
}

/** The relays of a BD3 code: a count, then each as relayBytes wrote it; null when they do not read. */
function readRelays(bytes: Buffer): string[] | null {
  const count = bytes[0] ?? 0;
  if (count < 1 || count > MAX_CODE_RELAYS) return null;
  const out: string[] = [];
  let at = 1;
  for (let i = 0; i < count; i++) {
    const size = bytes[at] === RELAY_IPV4 ? 7 : bytes[at] === RELAY_TEXT ? 2 + (bytes[at + 1] ?? 0) : 0;
    const relay = size > 0 ? readRelay(bytes.subarray(at, at + size)) : null;
    if (relay === null) return null;
    out.push(relay);
    at += size;
  }
  return at === bytes.length ? out : null;
}

function readRelay(bytes: Buffer): string | null {
  if (bytes[0] === RELAY_IPV4 && bytes.length === 7)
    return `${[...bytes.subarray(1, 5)].join('.')}:${bytes.readUInt16BE(5)}`;
  if (bytes[0] === RELAY_TEXT && bytes.length >= 2 && bytes.length === 2 + bytes[1]!) {
    const text = bytes.subarray(2).toString('ascii');
    return /^[\x21-\x7E]+:[0-9]{1,5}$/.test(text) ? text : null;
  }
  return null;
}

/** What a code holds: the venue's key and its relays' addresses (BD2: one, BD3: several). */
export interface PairingCode {
  material: VenueKeyMaterial;
  /** The first relay, or null. */
  relay: string | null;
  relays: string[];
}

/**
 * `BD1-XXXXX-XXXXX-…`: venue id, epoch, secret and checksum; `BD2-…` adds one relay's address
 * (a code older desks read too), `BD3-…` several (up to four; more are left out).
 */
export function encodePairingCode(
  material: VenueKeyMaterial,
  relay: string | readonly string[] | null = null,
): string {
  const relays = (relay === null ? [] : typeof relay === 'string' ? [relay] : [...relay]).slice(
    0,
    MAX_CODE_RELAYS,
  );
  const venueId = Buffer.from(material.venueId, 'hex');
  if (venueId.length !== VENUE_ID_BYTES || material.secret.length !== VENUE_SECRET_BYTES) {
    throw new AppError('INTERNAL', 'a venue id is 6 bytes and a venue secret 16');
  }
  const epoch = Buffer.alloc(2);
  epoch.writeUInt16BE(material.epoch);
  const tail =
    relays.length === 0
      ? Buffer.alloc(0)
      : relays.length === 1
        ? relayBytes(relays[0]!)
        : Buffer.concat([Buffer.from([relays.length]), ...relays.map(relayBytes)]);
  const payload = Buffer.concat([venueId, epoch, material.secret, tail]);
  const text = toBase32(Buffer.concat([payload, checksum(payload)]));
  const groups = text.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? [];
  const prefix = relays.length === 0 ? PREFIX : relays.length === 1 ? PREFIX_WITH_RELAY : PREFIX_WITH_RELAYS;
  return [prefix, ...groups].join('-');
}

/** The key of a typed or scanned code (BD1 or BD2); see readPairingCode. */
export function decodePairingCode(code: string): VenueKeyMaterial {
  return readPairingCode(code).material;
}

/** Reads a typed or scanned code; a code that does not read is INVALID_INPUT, never a guess. */
export function readPairingCode(code: string): PairingCode {
  const cleaned = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const withRelays = cleaned.startsWith(PREFIX_WITH_RELAYS);
  const withRelay = withRelays || cleaned.startsWith(PREFIX_WITH_RELAY);
  if (!withRelay && !cleaned.startsWith(PREFIX))
    throw new AppError(
      'INVALID_INPUT',
      'this is not a Badge Desk pairing code (it starts with BD1, BD2 or BD3)',
    );
  const keyBytes = VENUE_ID_BYTES + 2 + VENUE_SECRET_BYTES;
  const decoded = fromBase32(cleaned.slice(PREFIX.length));
  const total = withRelay ? (decoded?.length ?? 0) : keyBytes + CHECKSUM_BYTES;
  const bytes =
    decoded && (withRelay ? decoded.length > keyBytes + CHECKSUM_BYTES + 1 : decoded.length === total)
      ? decoded
      : null;
  if (!bytes)
    throw new AppError(
      'INVALID_INPUT',
      'the pairing code is incomplete or has a character that does not belong; check it against the desk that shows it',
    );
  const payload = bytes.subarray(0, total - CHECKSUM_BYTES);
  if (!checksum(payload).equals(bytes.subarray(total - CHECKSUM_BYTES))) {
    throw new AppError(
      'INVALID_INPUT',
      'the pairing code is mistyped (its checksum does not match); check it against the desk that shows it',
    );
  }
  const relays = withRelays
    ? readRelays(payload.subarray(keyBytes))
    : withRelay
      ? [readRelay(payload.subarray(keyBytes))].filter((r): r is string => r !== null)
      : [];
  if (withRelay && (relays === null || relays.length === 0))
    throw new AppError('INVALID_INPUT', "the pairing code's relay address does not read; ask for a new code");
  return {
    relay: relays?.[0] ?? null,
    relays: relays ?? [],
    material: {
      venueId: payload.subarray(0, VENUE_ID_BYTES).toString('hex'),
      epoch: payload.readUInt16BE(VENUE_ID_BYTES),
      secret: Buffer.from(payload.subarray(VENUE_ID_BYTES + 2, keyBytes)),
    },
  };
}
