// "Sign in with Eventbrite": authorize in the system browser, loopback redirect, code exchange.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEventbriteOAuth } from '../../main/app/oauth.ts';
import { AppError } from '../../shared/errors.ts';

async function tokenServer(t: { after(fn: () => unknown): void }) {
  const exchanges: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      exchanges.push(form);
      const ok = form.get('code') === 'good-code' && form.get('client_secret') === 'shh';
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(ok ? { access_token: 'EB-TOKEN-123' } : { error_description: 'The code is invalid.' }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`, exchanges };
}

test('the loopback redirect exchanges the code and hands over the token', async (t) => {
  const stub = await tokenServer(t);
  const received: string[] = [];
  const flow = await startEventbriteOAuth({
    clientId: 'app-id',
    clientSecret: 'shh',
    authorizeUrl: 'https://www.eventbrite.com/oauth/authorize',
    tokenUrl: stub.url,
    onToken: async (token) => {
      received.push(token);
    },
  });
  const authorize = new URL(flow.authorizeUrl);
  assert.equal(authorize.searchParams.get('client_id'), 'app-id');
  assert.equal(authorize.searchParams.get('response_type'), 'code');
  const redirect = new URL(authorize.searchParams.get('redirect_uri')!);
  assert.equal(redirect.hostname, '127.0.0.1', 'only a loopback redirect');

  // A forged callback (wrong state) is refused and exchanges nothing.
  const forged = await fetch(`${redirect}?code=good-code&state=forged`);
  assert.equal(forged.status, 400);
  assert.equal(stub.exchanges.length, 0);

  const state = authorize.searchParams.get('state')!;
  const answer = await fetch(`${redirect}?code=good-code&state=${state}`);
  assert.equal(answer.status, 200);
  assert.match(await answer.text(), /connected/i);
  await flow.done;
  assert.deepEqual(received, ['EB-TOKEN-123']);
  assert.equal(stub.exchanges[0]!.get('redirect_uri'), redirect.toString());
  await assert.rejects(fetch(`${redirect}?code=good-code&state=${state}`), 'the one-shot server is gone');
});

test('a refused code is shown on the browser page; no token is handed over', async (t) => {
  const stub = await tokenServer(t);
  const received: string[] = [];
  const flow = await startEventbriteOAuth({
    clientId: 'app-id',
    clientSecret: 'shh',
    tokenUrl: stub.url,
    onToken: async (tk) => void received.push(tk),
  });
  const authorize = new URL(flow.authorizeUrl);
  const answer = await fetch(
    `${authorize.searchParams.get('redirect_uri')}?code=bad&state=${authorize.searchParams.get('state')}`,
  );
  assert.equal(answer.status, 502);
  assert.match(await answer.text(), /The code is invalid/);
  assert.deepEqual(received, []);
});

test('without a client id the flow says to paste a private token', async () => {
  await assert.rejects(
    startEventbriteOAuth({ clientId: undefined, clientSecret: undefined, onToken: async () => undefined }),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_STATE' && /private token/.test(e.message),
  );
});
