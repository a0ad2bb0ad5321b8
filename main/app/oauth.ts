// "Sign in with Eventbrite": the OAuth 2 authorization-code flow for a desktop app. The
// authorize page opens in the system browser and redirects to a one-shot loopback server on
// 127.0.0.1, which exchanges the code for a token. Nothing here is reachable from outside the machine.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/errors.ts';

const DEFAULT_AUTHORIZE_URL = 'https://www.eventbrite.com/oauth/authorize';
const DEFAULT_TOKEN_URL = 'https://www.eventbrite.com/oauth/token';
const FLOW_TIMEOUT_MS = 10 * 60_000;

export interface OAuthOptions {
  clientId: string | undefined;
  clientSecret: string | undefined;
  authorizeUrl?: string | undefined;
  tokenUrl?: string | undefined;
  /** Receives the access token; a rejection is shown on the browser page. */
  onToken(token: string): Promise<void>;
}

export interface OAuthFlow {
  authorizeUrl: string;
  /** Resolves once the flow has finished (token stored, refused, cancelled or timed out). */
  done: Promise<void>;
  cancel(): void;
}

export async function startEventbriteOAuth(opts: OAuthOptions): Promise<OAuthFlow> {
  if (!opts.clientId || !opts.clientSecret) {
    throw new AppError(
      'INVALID_STATE',
      'Sign-in with Eventbrite is not set up on this station (no OAuth client id). Paste a private token instead.',
    );
  }
  const state = randomBytes(16).toString('hex');
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const answer = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    };
    const code = url.searchParams.get('code');
    if (url.searchParams.get('state') !== state || !code) {
      answer(400, 'This sign-in link is not the one Badge Desk started. Start again from Badge Desk.');
      return;
    }
    try {
      const response = await fetch(opts.tokenUrl ?? DEFAULT_TOKEN_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: opts.clientId!,
          client_secret: opts.clientSecret!,
          code,
          redirect_uri: redirectUri,
        }),
      });
      const body = (await response.json().catch(() => ({}))) as {
        access_token?: unknown;
        error_description?: unknown;
      };
      if (!response.ok || typeof body.access_token !== 'string') {
        throw new Error(
          typeof body.error_description === 'string'
            ? body.error_description
            : `token exchange failed (${response.status})`,
        );
      }
      await opts.onToken(body.access_token);
      answer(200, 'Eventbrite is connected. You can close this window and return to Badge Desk.');
    } catch (err) {
      answer(502, `Eventbrite could not be connected: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      stop();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const timeout = setTimeout(() => stop(), FLOW_TIMEOUT_MS);
  timeout.unref();
  function stop() {
    clearTimeout(timeout);
    server.close();
    server.closeAllConnections();
    finish();
  }

  const authorize = new URL(opts.authorizeUrl ?? DEFAULT_AUTHORIZE_URL);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('client_id', opts.clientId);
  authorize.searchParams.set('redirect_uri', redirectUri);
  authorize.searchParams.set('state', state);
  return { authorizeUrl: authorize.toString(), done, cancel: stop };
}
