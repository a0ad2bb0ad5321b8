// Where a desk listens for the other desks of its venue and how it finds them, from the
// environment, for both shells: the Electron app (a desk at a venue: on, on every interface,
// found over mDNS) and the browser host (tests and demos: off unless asked, never multicasting
// unless asked, so a test reaches only the desks it made).
import type { AppHostDeps } from './types.ts';
import { MdnsDiscovery, type Discovery } from '../venue/net/directory/discovery.ts';

export interface VenueNetworkDefaults {
  /** The venue is on without BADGE_DESK_VENUE_LISTEN (listening on every interface). */
  on: boolean;
  /** mDNS discovery without BADGE_DESK_VENUE_MDNS. */
  mdns: boolean;
}

export const ELECTRON_VENUE_NETWORK: VenueNetworkDefaults = { on: true, mdns: true };
export const BROWSER_HOST_VENUE_NETWORK: VenueNetworkDefaults = { on: false, mdns: false };

/**
 * BADGE_DESK_VENUE_LISTEN=<address> listens there only (0.0.0.0 for every interface), and the
 * desk advertises that address; `off` turns the venue's network off. BADGE_DESK_VENUE_MDNS=1 or
 * 0 turns mDNS on or off; without it the shell's default holds. The desk's name is the
 * station's (the app host's settings), not an environment value.
 */
export function venueNetworkOf(
  env: Record<string, string | undefined>,
  defaults: VenueNetworkDefaults,
  mdnsDiscovery: () => Discovery = () => new MdnsDiscovery(),
): { venue?: AppHostDeps['venue'] } {
  const configured = env.BADGE_DESK_VENUE_LISTEN?.trim() || undefined;
  if (configured === 'off' || (!configured && !defaults.on)) return {};
  const host = configured ?? '0.0.0.0';
  const mdns =
    env.BADGE_DESK_VENUE_MDNS === '1' ? true : env.BADGE_DESK_VENUE_MDNS === '0' ? false : defaults.mdns;
  return {
    venue: {
      listen: { host, port: 0 },
      discovery: mdns ? mdnsDiscovery() : null,
      ...(host !== '0.0.0.0' ? { advertiseHosts: [host] } : {}),
    },
  };
}
