// npm run web -- --port <n> --data-dir <dir>
// Starts the app host on a data folder and serves it, with the built renderer, to a browser.
// Prints one line: the URL. (`npm run dev` serves the renderer from source instead, see dev.ts.)
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startWebHost } from './web-host.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string', default: '.badge-desk-web' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
  },
});
const rendererDir = resolve(values['renderer-dir']!);
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`no built renderer in ${rendererDir}: run \`npm run build:renderer\` first`);
  process.exit(1);
}
const host = await startWebHost({
  dataDir: resolve(values['data-dir']!),
  rendererDir,
  port: Number(values.port),
});
console.log(`Badge Desk browser host: ${host.url}`);

const stop = async () => {
  await host.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
