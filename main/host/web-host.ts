// The app host on a data folder, served to a browser: what `npm run web` and `npm run dev` start.
import { join } from 'node:path';
import { createAppHost } from '../app/app-host.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';
import { FileSecretStore, JsonFileStore } from './file-stores.ts';

export interface WebHostOptions {
  dataDir: string;
  /** The built renderer to serve; null when a dev server serves it instead (the host then answers only IPC and pushes). */
  rendererDir: string | null;
  port: number;
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
