// What a venue node tells its owner (a desk's VenueNetwork, or a relay): refusals in either
// direction, a peer over a limit, a document in step with a peer, presence that changed, and the
// stateless messages (rotation, sync requests) that travel on the directory document.
import type { HandshakeRefusal } from './transport/psk.ts';

export type VenueNodeEvent =
  | { kind: 'handshake-refused'; remote: string; reason: HandshakeRefusal | 'wrong-secret' }
  | { kind: 'peer-refused'; remote: string; reason: string }
  | { kind: 'refused-by-peer'; peer: string; reason: string }
  | { kind: 'limit'; remote: string; reason: 'rate' | 'size' }
  | { kind: 'peer-synced'; peer: string; documentName: string }
  | { kind: 'presence' }
  | {
      kind: 'stateless';
      from: 'server' | 'client';
      stationId: string | null;
      payload: string;
      reply: (payload: string) => void;
    };
