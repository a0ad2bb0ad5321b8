// The venue, as the core offers it: one object, `core.venue`. The network half's actions
// (start, join, pairing code, desks, the secret) are admin actions that wait for the network to
// be up and leave the replica following the venue the desk is in; the replica and the network
// half themselves are there too, for the app's venue channels and for tests.
import type { CoreEvents } from '../ground/events.ts';
import type { VenueNetwork } from '../venue/net/venue-network.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';
import type { VenueStatus } from '../../shared/venue-desks.ts';
import { requireAdmin } from './guards.ts';
import type { VenueWiring } from './venue-wiring.ts';

type DeskRemoval = { status: VenueStatus; notReached: string[] };

export function createVenueHandlers(venue: VenueWiring, events: CoreEvents) {
  const { network, ready } = venue;

  function requireNetwork(): VenueNetwork {
    if (!network) throw new AppError('INVALID_STATE', 'the venue network is not available on this host');
    return network;
  }

  async function act<T extends VenueStatus | DeskRemoval>(
    actor: Actor,
    action: (net: VenueNetwork) => Promise<T> | T,
  ): Promise<T> {
    requireAdmin(actor);
    const net = requireNetwork();
    // A venue action needs the network half now, whether or not start-up got to it yet.
    await venue.start();
    const result = await action(net);
    await venue.follow();
    events.emit('venueDesksChanged', { venueId: net.venueId });
    return result;
  }

  return {
    /** The read model: attach and connect documents, conflicts, refusals, a badge printed elsewhere. */
    replica: venue.replica,
    /** The documents' state in this station's SQLite, which the network half serves. */
    persistence: venue.persistence,
    /** The network half (pairing, desks, presence, the poller election); null where the host has none. */
    network,
    /** Resolves once the network half has started and the replica follows its venue. */
    ready,

    /** The venue panel: this desk, the venue's desks with presence, discovered desks, refusals. */
    async status(): Promise<VenueStatus> {
      const net = requireNetwork();
      await venue.start();
      return net.status();
    },

    /** "Start a venue" on this desk (a name and a random secret). */
    start(actor: Actor, name: string): Promise<VenueStatus> {
      return act(actor, (net) => net.startVenue(name));
    },

    /** The pairing code (holds the secret: admins only). */
    async pairingCode(actor: Actor): Promise<{ code: string }> {
      requireAdmin(actor);
      await venue.start();
      return { code: requireNetwork().pairingCode() };
    },

    /** Joins a venue with its pairing code, through the desk at `address` (discovered or typed) or the code's relay. */
    join(actor: Actor, code: string, address?: string): Promise<VenueStatus> {
      return act(actor, (net) => net.join(code, address));
    },

    /** Connects to another desk of this venue by address (mDNS blocked). */
    addDesk(actor: Actor, address: string): Promise<VenueStatus> {
      return act(actor, (net) => net.addPeer(address));
    },

    /** Removes a desk and rotates the secret; desks not reached join again with the new code. */
    removeDesk(actor: Actor, stationId: string): Promise<DeskRemoval> {
      return act(actor, (net) => net.removeDesk(stationId));
    },

    rotateSecret(actor: Actor): Promise<DeskRemoval> {
      return act(actor, (net) => net.rotateSecret());
    },

    renameDesk(actor: Actor, name: string): Promise<VenueStatus> {
      return act(actor, (net) => net.renameDesk(name));
    },

    leave(actor: Actor): Promise<VenueStatus> {
      return act(actor, (net) => net.leave());
    },
  };
}

export type VenueHandlers = ReturnType<typeof createVenueHandlers>;
