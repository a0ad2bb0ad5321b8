// npm run dev -- [--port <n>] [--data-dir <dir>]
// The development loop: the browser host (the real app on a data folder; its empty workspace
// offers the demo) answers IPC and pushes, and Vite's dev server in front of it serves the
// renderer from source with hot reload. Prints one line: the URL to open.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer, type ProxyOptions } from 'vite';
import { startWebHost } from './web-host.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5173' },
    'data-dir': { type: 'string', default: '.badge-desk-web' },
  },
});
const root = new URL('../..', import.meta.url).pathname;
const host = await startWebHost({ dataDir: resolve(values['data-dir']!), rendererDir: null, port: 0 });
const hostOrigin = `http://127.0.0.1:${host.port}`;

// The host refuses requests that name another host or come from another origin (DNS rebinding,
// other pages): the dev server's requests are passed on as the host's own.
const toHost: ProxyOptions = {
  target: hostOrigin,
  changeOrigin: true,
  configure(proxy) {
    proxy.on('proxyReq', (request) => {
      if (request.getHeader('origin') !== undefined) request.setHeader('origin', hostOrigin);
    });
  },
};
const vite = await createServer({
  configFile: resolve(root, 'vite.config.ts'),
  server: { port: Number(values.port), proxy: { '/ipc': toHost, '/push': toHost } },
});
await vite.listen();
const address = vite.httpServer?.address();
const vitePort = typeof address === 'object' && address ? address.port : Number(values.port);
console.log(`Badge Desk dev server: http://127.0.0.1:${vitePort}/?token=${host.token}`);

const stop = async () => {
  await vite.close();
  await host.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
