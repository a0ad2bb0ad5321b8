// How desks prove the venue secret to each other and encrypt their traffic: TLS 1.2 with a
// pre-shared key (RFC 4279, ECDHE-PSK suites of RFC 5489 / RFC 7905), the key derived from the
// venue secret by HKDF.
//
// Why TLS-PSK and not the first design considered (wss with a self-signed certificate per station,
// pinned by fingerprint, plus an HMAC over tlsSocket.exportKeyingMaterial):
// - Node has no X.509 generator, and no package that makes one can be installed today; the
//   certificate route would need the openssl binary on every station (absent on Windows and
//   macOS desks) or a hand-written ASN.1 encoder (security code of our own).
// - TLS-PSK gives the same properties from the standard library alone: both sides prove the
//   secret inside the handshake (a wrong key fails the Finished check, before one byte of
//   application data), ECDHE gives forward secrecy (a secret leaked later does not decrypt
//   recorded traffic), and there is no certificate to pin, expire or rotate.
// - Rotation is a new epoch: the epoch is part of the identity and of the key derivation, so
//   a desk holding only the old secret fails the handshake against every rotated desk.
// What it costs: TLS 1.2 (OpenSSL in Node offers external PSKs only there), and the PSK identity
// (venue id and epoch, not secret) travels in clear in the ClientHello.
import { hkdfSync, timingSafeEqual } from 'node:crypto';

/** ECDHE for forward secrecy, AEAD first; the CBC suite is RFC 5489's for peers without ChaCha. */
export const VENUE_TLS_CIPHERS = 'ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES256-CBC-SHA384';
export const VENUE_TLS_VERSION = 'TLSv1.2' as const;

const IDENTITY_PREFIX = 'bdv1';

/** What a desk holds of its venue: who (the id), which generation of the secret, the secret. */
export interface VenueKeyMaterial {
  venueId: string;
  epoch: number;
  /** 32 random bytes. */
  secret: Buffer;
}

/** The PSK for one venue and epoch: binds the key to both, so neither can be swapped. */
export function derivePsk(material: VenueKeyMaterial): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      material.secret,
      Buffer.from(material.venueId, 'utf8'),
      Buffer.from(`badge-desk venue psk epoch ${material.epoch}`, 'utf8'),
      32,
    ),
  );
}

export function pskIdentity(material: Pick<VenueKeyMaterial, 'venueId' | 'epoch'>): string {
  return `${IDENTITY_PREFIX}:${material.venueId}:${material.epoch}`;
}

export function parsePskIdentity(identity: string): { venueId: string; epoch: number } | null {
  const match = /^bdv1:([A-Za-z0-9]{8,40}):(\d{1,9})$/.exec(identity);
  if (!match) return null;
  return { venueId: match[1]!, epoch: Number(match[2]) };
}

/** Why the server refused a handshake (counted and shown in the venue panel). */
export type HandshakeRefusal = 'not-a-venue-desk' | 'another-venue' | 'old-secret' | 'newer-secret';

/**
 * The server side's key lookup: the key for the identity the client names, or why not. A
 * client naming our identity with another key still fails: TLS checks the key itself.
 */
export function serverPskFor(
  current: VenueKeyMaterial | null,
  identity: string,
): { psk: Buffer } | { refused: HandshakeRefusal } {
  const parsed = parsePskIdentity(identity);
  if (!parsed || !current) return { refused: 'not-a-venue-desk' };
  if (parsed.venueId !== current.venueId) return { refused: 'another-venue' };
  if (parsed.epoch < current.epoch) return { refused: 'old-secret' };
  if (parsed.epoch > current.epoch) return { refused: 'newer-secret' };
  return { psk: derivePsk(current) };
}

export function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
