// The app host on a data folder, served to a browser: what `npm run web` and `npm run dev` start.
import { join } from 'node:path';
import { createAppHost } from '../app/app-host.ts';
import type { AppHostDeps } from '../app/types.ts';
import { MdnsDiscovery } from '../venue/net/discovery.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';
import { FileSecretStore, JsonFileStore } from './file-stores.ts';

export interface WebHostOptions {
  dataDir: string;
  /** The built renderer to serve; null when a dev server serves it instead (the host then answers only IPC and pushes). */
  rendererDir: string | null;
  port: number;
}

/**
 * The venue's network in the browser host: BADGE_DESK_VENUE_LISTEN=<address> turns it on
 * (0.0.0.0 for every interface); BADGE_DESK_VENUE_MDNS=0 leaves mDNS off (desks by address).
 */
function venueOf(env: NodeJS.ProcessEnv): { venue?: AppHostDeps['venue'] } {
  const host = env.BADGE_DESK_VENUE_LISTEN;
  if (!host) return {};
  const discovery = env.BADGE_DESK_VENUE_MDNS === '0' ? null : new MdnsDiscovery();
  return { venue: { listen: { host, port: 0 }, discovery, ...(host !== '0.0.0.0' ? { advertiseHosts: [host] } : {}) } };
}

export async function startWebHost(opts: WebHostOptions): Promise<BrowserHost> {
  const { dataDir } = opts;
  const app = await createAppHost({
    dataDir,
    host: 'browser',
    secretStore: new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key')),
    settingsStore: new JsonFileStore(join(dataDir, 'station.json')),
    env: process.env,
    liveSync: true,
    ...venueOf(process.env),
  });
  const host = await startBrowserHost({ app, rendererDir: opts.rendererDir, port: opts.port });
  return {
    ...host,
    async close() {
      await host.close();
      await app.close();
    },
  };
}
