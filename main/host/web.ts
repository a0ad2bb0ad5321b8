// npm run web -- --port <n> --data-dir <dir>
// Starts the app host on a data folder and serves it to a browser. Prints one line: the URL.
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createAppHost } from '../app/app-host.ts';
import { startBrowserHost, startFailurePage } from './server.ts';
import { describeStartupFailure, startupFailureText } from '../app/startup-failure.ts';
import type { AppHost } from '../app/types.ts';
import { FileSecretStore, JsonFileStore } from './file-stores.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string', default: '.badge-desk-web' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
  },
});
const dataDir = resolve(values['data-dir']!);
const rendererDir = resolve(values['renderer-dir']!);
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`no built renderer in ${rendererDir}: run \`npm run build:renderer\` first`);
  process.exit(1);
}
let app: AppHost;
try {
  app = await createAppHost({
    dataDir,
    host: 'browser',
    secretStore: new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key')),
    settingsStore: new JsonFileStore(join(dataDir, 'station.json')),
    env: process.env,
    liveSync: true,
  });
} catch (err) {
  // What happened and what to do, on the console and as the page: never a stack trace.
  const failure = describeStartupFailure(err, dataDir);
  console.error(startupFailureText(failure));
  const page = await startFailurePage({ failure, port: Number(values.port) });
  console.log(`Badge Desk browser host: ${page.url}`);
  const stopPage = async () => {
    await page.close();
    process.exit(1);
  };
  process.on('SIGINT', stopPage);
  process.on('SIGTERM', stopPage);
  await new Promise(() => undefined);
  throw err;
}
const host = await startBrowserHost({ app, rendererDir, port: Number(values.port) });
console.log(`Badge Desk browser host: ${host.url}`);

const stop = async () => {
  await host.close();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
