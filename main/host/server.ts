// The browser host: serves the built renderer on 127.0.0.1 and carries the IPC contract to the
// same app host over HTTP (POST /ipc/<channel>) and Server-Sent Events (GET /push). Every request
// must carry this run's token, name this host (no DNS rebinding) and come from its own origin.
// It exists because Electron's binary cannot be downloaded on our build machines; users run Electron.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AppHost } from '../app/types.ts';
import type { StartupFailure } from '../app/startup-failure.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

export { CONTENT_SECURITY_POLICY };

const MAX_BODY_BYTES = 1_000_000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  // The camera's decoder (ZXing): served as WebAssembly so the worker compiles it as it streams.
  '.wasm': 'application/wasm',
};

export interface BrowserHostOptions {
  app: AppHost;
  /** The built renderer's folder; null when a dev server serves the renderer (then only IPC and pushes are answered here). */
  rendererDir: string | null;
  port?: number;
  /** Fixed token (tests); random per run otherwise. */
  token?: string;
}

export interface BrowserHost {
  port: number;
  token: string;
  /** The URL to open: the token rides in the query once; the page moves it out of the address bar. */
  url: string;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const pushClients = new Set<ServerResponse>();
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const unsubscribe = opts.app.subscribe((message) => {
    const frame = `data: ${JSON.stringify(message)}\n\n`;
    for (const res of pushClients) res.write(frame);
  });

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(body);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 403, '{"error":"unknown host"}');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) {
        return send(res, 403, '{"error":"foreign origin"}');
      }

      if (url.pathname.startsWith('/ipc/')) {
        if (req.method !== 'POST') return send(res, 405, '{"error":"POST only"}');
        if (!sameToken(req.headers['x-badge-desk-token'] as string | undefined, token))
          return send(res, 401, '{"error":"token required"}');
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body.trim() === '' ? undefined : JSON.parse(body);
        } catch {
          return send(
            res,
            400,
            JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: 'the body is not JSON' } }),
          );
        }
        const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
        return send(res, 200, JSON.stringify(await opts.app.invoke(channel, input)));
      }

      if (url.pathname === '/push') {
        if (!sameToken(url.searchParams.get('token'), token))
          return send(res, 401, '{"error":"token required"}');
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        pushClients.add(res);
        req.on('close', () => pushClients.delete(res));
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{"error":"GET only"}');
      // Static files of the built renderer; nothing outside its folder.
      if (opts.rendererDir === null) return send(res, 404, 'not found', 'text/plain');
      const relative =
        url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const path = normalize(join(opts.rendererDir, relative));
      if (!path.startsWith(normalize(opts.rendererDir) + sep))
        return send(res, 404, 'not found', 'text/plain');
      try {
        const body = await readFile(path);
        res.writeHead(200, {
          'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        send(res, 404, 'not found', 'text/plain');
      }
    } catch {
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const res of pushClients) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * When the app host could not start: one page that says what happened and what to do (no
 * stack trace), on the address the browser host would have had, and every IPC call answered
 * with the same words as a typed error, so nothing in a page or a test waits for an answer.
 */
export async function startFailurePage(opts: {
  failure: StartupFailure;
  port?: number;
}): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const { failure } = opts;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(failure.title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1 role="alert">${escapeHtml(failure.title)}</h1><p>${escapeHtml(failure.what)}</p><h2>What to do</h2><p>${escapeHtml(failure.todo)}</p></body></html>`;
  const server = createServer((req, res) => {
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    if ((req.url ?? '').startsWith('/ipc/')) {
      res.writeHead(503, { ...headers, 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `${failure.title}: ${failure.what} ${failure.todo}`,
            details: { startupFailure: failure.kind },
          },
        }),
      );
      return;
    }
    res.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
