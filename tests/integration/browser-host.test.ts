// The browser host's guard: token, host name (no DNS rebinding), own origin only; the same
// contract as the Electron IPC behind it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startAppHarness } from '../helpers/app-harness.ts';
import { startBrowserHost, CONTENT_SECURITY_POLICY } from '../../main/host/server.ts';

function raw(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    },
  );
}

async function startHost(t: { after(fn: () => unknown): void }) {
  const h = await startAppHarness(t);
  const rendererDir = mkdtempSync(join(tmpdir(), 'bd-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Badge Desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'bd-outside-secret.txt'), 'secret');
  const host = await startBrowserHost({ app: h.app, rendererDir });
  t.after(async () => {
    await host.close();
    rmSync(rendererDir, { recursive: true, force: true });
  });
  return { h, host };
}

test('serves the renderer with a strict CSP and nothing outside its folder', async (t) => {
  const { host } = await startHost(t);
  const index = await raw(host.port, '/', { headers: { host: `127.0.0.1:${host.port}` } });
  assert.equal(index.status, 200);
  assert.equal(index.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
  // No inline script and no eval of JavaScript; 'wasm-unsafe-eval' (the camera's bundled decoder) is neither.
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /'unsafe-inline'|'unsafe-eval'/);
  const js = await raw(host.port, '/assets/app.js', { headers: { host: `127.0.0.1:${host.port}` } });
  assert.equal(js.status, 200);
  for (const path of [
    '/../bd-outside-secret.txt',
    '/%2e%2e/bd-outside-secret.txt',
    '/assets/../../bd-outside-secret.txt',
  ]) {
    const escaped = await raw(host.port, path, { headers: { host: `127.0.0.1:${host.port}` } });
    assert.notEqual(escaped.body, 'secret', path);
  }
});

test('IPC needs the token, this host name and this origin', async (t) => {
  const { host } = await startHost(t);
  const own = `127.0.0.1:${host.port}`;
  const call = (headers: Record<string, string>) =>
    raw(host.port, '/ipc/app.snapshot', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });

  assert.equal((await call({ host: own })).status, 401, 'no token');
  assert.equal((await call({ host: own, 'x-badge-desk-token': 'wrong' })).status, 401, 'wrong token');
  assert.equal(
    (await call({ host: 'evil.example:80', 'x-badge-desk-token': host.token })).status,
    403,
    'rebound host name',
  );
  assert.equal(
    (await call({ host: own, origin: 'http://evil.example', 'x-badge-desk-token': host.token })).status,
    403,
    'foreign origin',
  );
  const ok = await call({ host: own, origin: `http://${own}`, 'x-badge-desk-token': host.token });
  assert.equal(ok.status, 200);
  const envelope = JSON.parse(ok.body);
  assert.equal(envelope.ok, true);
  assert.equal(envelope.value.host, 'browser');

  const push = await raw(host.port, '/push?token=nope', { headers: { host: own } });
  assert.equal(push.status, 401);
});

/** Status and headers only: resolves on the response head, then drops the connection (for /push, which never ends). */
function status(port: number, path: string, headers: Record<string, string>, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      req.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

test('the push stream and the static files are guarded too: token, host name, origin ("null" and other ports included)', async (t) => {
  const { host } = await startHost(t);
  const own = `127.0.0.1:${host.port}`;
  const push = `/push?token=${host.token}`;
  const foreignOrigins = [
    'http://evil.example',
    'null',
    `http://127.0.0.1:${host.port + 1}`, // another local app is another origin
    `https://127.0.0.1:${host.port}`,
    `http://127.0.0.1:${host.port}.evil.example`,
    `http://${own}@evil.example`,
  ];
  const wrongHosts = [
    'evil.example',
    `evil.example:${host.port}`,
    '127.0.0.1',
    `127.0.0.1:${host.port + 1}`,
    `127.0.0.1:${host.port}.evil.example`,
    `0.0.0.0:${host.port}`,
  ];

  // The guarded answers exist: the own host and origin get the stream and the page.
  assert.equal((await status(host.port, push, { host: own, origin: `http://${own}` })).status, 200);
  assert.equal((await status(host.port, push, { host: `localhost:${host.port}` })).status, 200);
  assert.equal((await status(host.port, '/', { host: own, origin: `http://${own}` })).status, 200);

  // /push: the token rides in the query (EventSource cannot set headers) and nowhere else.
  assert.equal((await status(host.port, '/push', { host: own })).status, 401, 'no token');
  assert.equal((await status(host.port, '/push?token=', { host: own })).status, 401, 'empty token');
  assert.equal(
    (await status(host.port, `/push?token=${host.token.slice(0, -1)}`, { host: own })).status,
    401,
    'a prefix of the token',
  );
  assert.equal(
    (await status(host.port, '/push', { host: own, 'x-badge-desk-token': host.token })).status,
    401,
    'token as a header',
  );
  for (const origin of foreignOrigins) {
    assert.equal(
      (await status(host.port, push, { host: own, origin })).status,
      403,
      `/push from origin ${origin}`,
    );
    assert.equal(
      (await status(host.port, '/', { host: own, origin })).status,
      403,
      `GET / from origin ${origin}`,
    );
    assert.equal(
      (await status(host.port, '/assets/app.js', { host: own, origin })).status,
      403,
      `GET /assets/app.js from origin ${origin}`,
    );
    const ipc = await raw(host.port, '/ipc/app.snapshot', {
      method: 'POST',
      headers: { host: own, origin, 'x-badge-desk-token': host.token },
      body: '{}',
    });
    assert.equal(ipc.status, 403, `IPC from origin ${origin}`);
  }
  for (const name of wrongHosts) {
    assert.equal((await status(host.port, push, { host: name })).status, 403, `/push for host ${name}`);
    assert.equal((await status(host.port, '/', { host: name })).status, 403, `GET / for host ${name}`);
  }

  // IPC: the token in the header only, and POST only.
  const ipcHeaders = { host: own, 'content-type': 'application/json' };
  assert.equal(
    (
      await raw(host.port, `/ipc/app.snapshot?token=${host.token}`, {
        method: 'POST',
        headers: ipcHeaders,
        body: '{}',
      })
    ).status,
    401,
    'token in the query',
  );
  assert.equal(
    (
      await raw(host.port, '/ipc/app.snapshot', {
        headers: { ...ipcHeaders, 'x-badge-desk-token': host.token },
      })
    ).status,
    405,
    'GET',
  );

  // No answer invites another origin to read it.
  for (const answer of [
    await status(host.port, push, { host: own, origin: 'http://evil.example' }),
    await status(host.port, '/', { host: own }),
    await status(host.port, push, { host: own }),
  ]) {
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
  }
});

test('bad bodies and unknown channels get typed errors over HTTP too', async (t) => {
  const { host } = await startHost(t);
  const headers = {
    host: `127.0.0.1:${host.port}`,
    'x-badge-desk-token': host.token,
    'content-type': 'application/json',
  };
  const notJson = await raw(host.port, '/ipc/events.get', { method: 'POST', headers, body: '{oops' });
  assert.equal(JSON.parse(notJson.body).error.code, 'INVALID_INPUT');
  const unknown = await raw(host.port, '/ipc/fs.readFile', { method: 'POST', headers, body: '{}' });
  assert.equal(JSON.parse(unknown.body).error.code, 'INVALID_INPUT');
  const bad = await raw(host.port, '/ipc/events.get', {
    method: 'POST',
    headers,
    body: '{"eventId":"1; DROP TABLE events"}',
  });
  assert.equal(JSON.parse(bad.body).error.code, 'INVALID_INPUT');
  const huge = await raw(host.port, '/ipc/events.get', {
    method: 'POST',
    headers,
    body: 'x'.repeat(2_000_000),
  }).catch(() => ({ status: 0, body: '' }));
  assert.notEqual(huge.status, 200);
});
