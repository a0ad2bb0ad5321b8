// The app host on a data folder, served to a browser: what `npm run web` and `npm run dev` start.
import { join } from 'node:path';
import { createAppHost } from '../app/app-host.ts';
import type { AppHost } from '../app/types.ts';
import { BROWSER_HOST_VENUE_NETWORK, venueNetworkOf } from '../app/venue-network.ts';
import { startBrowserHost, startFailurePage, type BrowserHost } from './server.ts';
import { describeStartupFailure, startupFailureText } from '../app/startup-failure.ts';
import { FileSecretStore, JsonFileStore } from './file-stores.ts';

export interface WebHostOptions {
  dataDir: string;
  /** The built renderer to serve; null when a dev server serves it instead (the host then answers only IPC and pushes). */
  rendererDir: string | null;
  port: number;
}

/**
 * Starts the app host and serves it. Should the app host not start, the console says what
 * happened and what to do (never a stack trace), and the same address serves a page saying so.
 */
export async function startWebHost(opts: WebHostOptions): Promise<BrowserHost> {
  const { dataDir } = opts;
  let app: AppHost;
  try {
    app = await createAppHost({
      dataDir,
      host: 'browser',
      secretStore: new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key')),
      settingsStore: new JsonFileStore(join(dataDir, 'station.json')),
      env: process.env,
      liveSync: true,
      // The venue's network only with BADGE_DESK_VENUE_LISTEN, mDNS only with BADGE_DESK_VENUE_MDNS=1.
      ...venueNetworkOf(process.env, BROWSER_HOST_VENUE_NETWORK),
    });
  } catch (err) {
    const failure = describeStartupFailure(err, dataDir);
    console.error(startupFailureText(failure));
    const page = await startFailurePage({ failure, port: opts.port });
    return { port: page.port, token: '', url: page.url, close: page.close };
  }
  const host = await startBrowserHost({ app, rendererDir: opts.rendererDir, port: opts.port });
  return {
    ...host,
    async close() {
      await host.close();
      await app.close();
    },
  };
}
