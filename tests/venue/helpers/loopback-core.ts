// A whole core on the venue network on loopback, as the benchmarks and the in-process venue tests
// run desks: its desk name kept in memory (every new station is "Desk 1"; joining may rename it),
// no discovery, listening on 127.0.0.1 at port 0.
import { createCore, type BadgeDeskCore, type CoreDeps } from '../../../main/core/create-core.ts';
import { MemorySecretStore } from '../../../main/ground/secrets.ts';
import type { VenueNetParts } from '../../../main/venue/net/venue-network.ts';

export interface LoopbackVenueCore {
  core: BadgeDeskCore;
  /** The desk's name now. */
  name(): string;
}

export function loopbackVenueCore(
  dataDir: string,
  opts: { core?: Partial<CoreDeps>; net?: Partial<Omit<VenueNetParts, 'station'>> } = {},
): LoopbackVenueCore {
  let name = 'Desk 1';
  const core = createCore({
    dataDir,
    secretStore: new MemorySecretStore(),
    ...opts.core,
    venueNetwork: {
      appVersion: '0.1.0',
      station: { get: () => name, set: (n) => (name = n) },
      discovery: null,
      listen: { host: '127.0.0.1', port: 0 },
      advertiseHosts: ['127.0.0.1'],
      ...opts.net,
    },
  });
  return { core, name: () => name };
}
