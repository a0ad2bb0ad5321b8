// Before a join changes anything: does this code's key open a TLS session with the desk at the
// address? A wrong code fails the handshake, a desk that is not there does not answer.
import { connect as tlsConnect } from 'node:tls';
import type { PeerAddress } from './addresses.ts';
import {
  VENUE_TLS_CIPHERS,
  VENUE_TLS_VERSION,
  derivePsk,
  pskIdentity,
  type VenueKeyMaterial,
} from './psk.ts';

const NETWORK_ERRORS = [
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
  'ENOTFOUND',
];

/** Whether this code's key opens a TLS session with the desk at the address. */
export function probe(
  address: PeerAddress,
  material: VenueKeyMaterial,
  timeoutMs: number,
): Promise<'ok' | 'wrong-code' | 'unreachable'> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: address.host,
      port: address.port,
      ciphers: VENUE_TLS_CIPHERS,
      minVersion: VENUE_TLS_VERSION,
      maxVersion: VENUE_TLS_VERSION,
      pskCallback: () => ({ psk: derivePsk(material), identity: pskIdentity(material) }),
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => finish('unreachable'), timeoutMs);
    function finish(result: 'ok' | 'wrong-code' | 'unreachable') {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('secureConnect', () => finish('ok'));
    socket.once('error', (err: Error & { code?: string }) => {
      finish(err.code && NETWORK_ERRORS.includes(err.code) ? 'unreachable' : 'wrong-code');
    });
  });
}
