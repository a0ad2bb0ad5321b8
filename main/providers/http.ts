// The one request path of every provider call. Failures are classified here, once, into the
// kinds of docs/PROVIDERS.md "Mapping errors to statuses"; the clients and the sync engine only ever
// see a parsed body or a ProviderError (or the caller's own AbortError).
//
// Retry rules:
// - 429: wait Retry-After (or back off), pausing the shared limiter so every caller of the
//   credential waits too; give up as 'rate_limited' once the total wait would pass the limit.
//   A Retry-After longer than the limit still pauses the limiter until the time the provider
//   named: the block is the credential's, and the token's other events must not call through it.
// - 5xx, timeouts, resets, unreadable 2xx bodies ('transient' / 'bad_response') and our own
//   network being down ('offline'): deterministic exponential backoff on the injected clock,
//   at most `maxAttempts` tries, then thrown.
// - 401/403/404 and other 4xx: thrown at once; asking again gives the same answer.
// - The caller's abort signal: its reason is rethrown as is, never classified nor retried.
import type { Clock } from '../ground/clock.ts';
import { PROVIDER_LABEL, type ProviderKind } from '../../shared/types.ts';
import {
  DEFAULT_RETRY_POLICY,
  ProviderError,
  type ProviderClientOptions,
  type ProviderErrorKind,
  type RequestLane,
  type RequestLimiter,
  type RequestLogEntry,
  type RetryPolicy,
} from './types.ts';
import { cleanText } from './response.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RequestContext {
  provider: ProviderKind;
  /** e.g. `https://www.eventbriteapi.com/v3`; a trailing slash is ignored. */
  baseUrl: string;
  /** Carry the credential; their values are also scrubbed from every error message. */
  authHeaders: Record<string, string>;
  fetch: typeof fetch;
  clock: Clock;
  limiter: RequestLimiter;
  /** Wall-clock limit of one attempt, body included (a real timer: it guards real sockets). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /**
   * The call exists to check the credential (who-am-I): a 403 then means the credential itself
   * is unusable ('credential' -> DISCONNECTED) rather than one resource being off limits.
   */
  credentialCheck?: boolean;
  /** What the path names, for messages: "this event" gives "no access to this event". */
  resource?: string;
  /** The budget share the request draws on (default 'live'). */
  lane?: RequestLane;
}

/** A parsed body with the provider's clock reading (its Date header, UTC ISO) when it sent one. */
export interface JsonResponse {
  body: unknown;
  providerDate: string | null;
}

export type QueryParams = Record<string, string | undefined>;

/** Builds the context a client passes to `requestJson` from the options it was given. */
export function createRequestContext(
  provider: ProviderKind,
  options: ProviderClientOptions,
  authHeaders: Record<string, string>,
): RequestContext {
  return {
    provider,
    baseUrl: options.baseUrl,
    authHeaders,
    // Looked up per call, so a fetch patched in later (proxy support, recording) is honoured.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: options.clock,
    limiter: options.limiter,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    onRequest: options.onRequest,
  };
}

/** GETs `path` and returns its parsed JSON body, retrying what may succeed on a second try. */
export async function requestJson(
  ctx: RequestContext,
  path: string,
  query: QueryParams,
  opts: RequestOptions = {},
): Promise<unknown> {
  return (await requestJsonResponse(ctx, path, query, opts)).body;
}

/** As `requestJson`, with the answer's Date header (the provider's clock) beside the body. */
export async function requestJsonResponse(
  ctx: RequestContext,
  path: string,
  query: QueryParams,
  opts: RequestOptions = {},
): Promise<JsonResponse> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...ctx.retry };
  const url = buildUrl(ctx.baseUrl, path, query);
  const { signal } = opts;
  let attempt = 0;
  let failedAttempts = 0;
  let rateLimitedTimes = 0;
  let rateLimitWaitedMs = 0;

  for (;;) {
    signal?.throwIfAborted();
    // Every attempt, retries included, is a request the provider counts against the budget.
    await ctx.limiter.acquire(signal, opts.lane);
    attempt += 1;
    const outcome = await attemptOnce(ctx, url, attempt, opts);
    if (outcome.ok) return { body: outcome.body, providerDate: outcome.providerDate };
    const { error, retryable } = outcome;

    if (error.kind === 'rate_limited') {
      rateLimitedTimes += 1;
      // Honour Retry-After, but never hammer: repeated 429s back off at least exponentially.
      const waitMs = Math.max(error.retryAfterMs ?? 0, backoffDelay(policy, rateLimitedTimes - 1));
      if (rateLimitWaitedMs + waitMs > policy.maxRateLimitWaitMs) {
        // We stop waiting, the provider's block does not: hold the credential until then.
        if (error.retryAfterMs !== null) ctx.limiter.pauseUntil(ctx.clock.now() + error.retryAfterMs);
        throw new ProviderError(
          ctx.provider,
          'rate_limited',
          rateLimitWaitedMs === 0
            ? `${error.message}; asks to wait ${formatDuration(waitMs)}, longer than allowed (${formatDuration(policy.maxRateLimitWaitMs)})`
            : `${error.message}; still throttled after waiting ${formatDuration(rateLimitWaitedMs)}`,
          { httpStatus: error.httpStatus, retryAfterMs: waitMs, cause: error },
        );
      }
      rateLimitWaitedMs += waitMs;
      // The next acquire (ours and everyone else's on this credential) waits out the pause.
      ctx.limiter.pauseUntil(ctx.clock.now() + waitMs);
      continue;
    }

    if (!retryable) throw error;
    failedAttempts += 1;
    if (failedAttempts >= policy.maxAttempts) {
      throw new ProviderError(
        ctx.provider,
        error.kind,
        `${error.message}; gave up after ${failedAttempts} ${failedAttempts === 1 ? 'attempt' : 'attempts'}`,
        { httpStatus: error.httpStatus, cause: error },
      );
    }
    await ctx.clock.sleep(backoffDelay(policy, failedAttempts - 1), signal);
  }
}

/** base * 2^retryIndex, capped: 500, 1000, 2000, ... 30000 with the defaults. No jitter, so tests are exact. */
export function backoffDelay(policy: RetryPolicy, retryIndex: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
}

type AttemptOutcome =
  | { ok: true; body: unknown; providerDate: string | null }
  | { ok: false; error: ProviderError; retryable: boolean };

async function attemptOnce(
  ctx: RequestContext,
  url: URL,
  attempt: number,
  opts: RequestOptions,
): Promise<AttemptOutcome> {
  const { provider } = ctx;
  const label = PROVIDER_LABEL[provider];
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One controller ends the attempt on either our timeout or the caller's abort; `timedOut`
  // tells them apart afterwards.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let status: number | null = null;
  let providerDate: string | null = null;

  /** A thrown fetch or body read: the caller's abort, our timeout, or a network fault. */
  const failureFrom = (err: unknown): AttemptOutcome => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (timedOut) {
      const message = `${label}: no answer from ${url.host} within ${formatDuration(timeoutMs)} (timeout)`;
      return {
        ok: false,
        error: new ProviderError(provider, 'transient', message, { httpStatus: status, cause: err }),
        retryable: true,
      };
    }
    return {
      ok: false,
      error: classifyNetworkError(provider, url, err, status, secretsOf(ctx.authHeaders)),
      retryable: true,
    };
  };

  try {
    let response: Response;
    try {
      response = await ctx.fetch(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...ctx.authHeaders },
        signal: controller.signal,
        // A redirect must not carry the credential header to some other host.
        redirect: 'manual',
      });
    } catch (err) {
      return failureFrom(err);
    }
    status = response.status;
    providerDate = httpDate(response.headers.get('date'));
    let text: string;
    try {
      // Read inside the timeout too: a stalled body is as bad as a stalled connect.
      text = await response.text();
    } catch (err) {
      const failure = failureFrom(err);
      if (failure.ok || timedOut) return failure;
      // An error status says enough without its body.
      if (!response.ok) return interpretResponse(ctx, response, '', opts);
      // A 200 whose body broke off: unreadable (nothing from it may be stored), worth a retry.
      const message = `${label}: bad response: the body was cut off (${failure.error.message.replace(`${label}: `, '')})`;
      return {
        ok: false,
        error: new ProviderError(provider, 'bad_response', message, { httpStatus: status, cause: err }),
        retryable: true,
      };
    }
    return interpretResponse(ctx, response, text, opts);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCallerAbort);
    try {
      ctx.onRequest?.({
        method: 'GET',
        url: redactUrl(url),
        status,
        attempt,
        providerDate,
        receivedAt: ctx.clock.now(),
      });
    } catch {
      // A logging hook must never change the outcome of a request.
    }
  }
}

function interpretResponse(
  ctx: RequestContext,
  response: Response,
  text: string,
  opts: RequestOptions,
): AttemptOutcome {
  const { provider } = ctx;
  const label = PROVIDER_LABEL[provider];
  const status = response.status;
  const fail = (
    kind: ProviderErrorKind,
    message: string,
    retryable: boolean,
    retryAfterMs?: number | null,
  ): AttemptOutcome => ({
    ok: false,
    error: new ProviderError(provider, kind, scrub(message, secretsOf(ctx.authHeaders)), {
      httpStatus: status,
      retryAfterMs,
    }),
    retryable,
  });

  if (status >= 200 && status < 300) {
    if (text.trim() === '')
      return fail('bad_response', `${label}: bad response: empty body (${status})`, true);
    try {
      return {
        ok: true,
        body: JSON.parse(text) as unknown,
        providerDate: httpDate(response.headers.get('date')),
      };
    } catch {
      // Often a connection cut mid-body, so worth another try.
      return fail(
        'bad_response',
        `${label}: bad response: the body is not valid JSON, possibly truncated (${status})`,
        true,
      );
    }
  }

  const detail = providerErrorDetail(text);
  const resource = opts.resource ?? 'this resource';
  const withDetail = (summary: string) => `${label}: ${summary}${detail ? `: ${detail}` : ''} (${status})`;
  if (status === 401)
    return fail('credential', `${label}: ${detail ?? 'the credential was rejected'} (${status})`, false);
  if (status === 403) {
    return opts.credentialCheck
      ? fail(
          'credential',
          `${label}: ${detail ?? 'the credential is not allowed to use the API'} (${status})`,
          false,
        )
      : fail('forbidden', withDetail(`no access to ${resource}`), false);
  }
  if (status === 404 || status === 410)
    return fail('not_found', withDetail(`${resource} was not found`), false);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), ctx.clock.now());
    return fail('rate_limited', withDetail('rate limited'), true, retryAfterMs);
  }
  if (status >= 500 || status === 408) return fail('transient', withDetail('server error'), true);
  if (status >= 300 && status < 400) {
    return fail(
      'bad_response',
      withDetail(`unexpected redirect to ${response.headers.get('location') ?? 'an unknown place'}`),
      false,
    );
  }
  // Any other 4xx: our request was refused as malformed; the same request would fail again.
  return fail('bad_response', withDetail('request rejected'), false);
}

/**
 * The provider's own words from an error body: Eventbrite `{error, error_description}`
 * ("INVALID_AUTH — The OAuth token you provided was invalid."), Luma `{message}`.
 * Plain-text bodies are used when short; HTML error pages are not.
 */
function providerErrorDetail(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const plain = cleanText(text, 300);
    return plain && !plain.startsWith('<') ? plain : null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const asText = (value: unknown) => (typeof value === 'string' ? cleanText(value, 300) : null);
  const nested =
    typeof record.error === 'object' && record.error !== null
      ? (record.error as Record<string, unknown>)
      : null;
  const code = asText(record.error) ?? asText(nested?.code);
  const description = asText(record.error_description) ?? asText(record.message) ?? asText(nested?.message);
  if (code && description) return `${code} — ${description}`;
  return code ?? description;
}

const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Node's fetch (undici) wraps socket errors: the useful code sits in `cause` (or deeper). */
function classifyNetworkError(
  provider: ProviderKind,
  url: URL,
  err: unknown,
  status: number | null,
  secrets: string[],
): ProviderError {
  const label = PROVIDER_LABEL[provider];
  const codes = errorCodes(err);
  const offlineCode = codes.find((code) => OFFLINE_CODES.has(code));
  if (offlineCode) {
    return new ProviderError(
      provider,
      'offline',
      `${label}: offline — cannot reach ${url.host} (${offlineCode})`,
      {
        httpStatus: status,
        cause: err,
      },
    );
  }
  const messages = errorMessages(err).join(' ');
  const resetCode = codes.find((code) => RESET_CODES.has(code));
  const summary =
    resetCode || /socket hang up|other side closed|terminated/i.test(messages)
      ? `connection to ${url.host} was reset (${resetCode ?? 'socket hang up'})`
      : `network error talking to ${url.host} (${codes[0] ?? (cleanText(messages, 200) || 'unknown')})`;
  return new ProviderError(provider, 'transient', scrub(`${label}: ${summary}`, secrets), {
    httpStatus: status,
    cause: err,
  });
}

/** Every `code` in an error's cause chain (and AggregateError members), outermost first. */
function errorCodes(err: unknown): string[] {
  return walkErrorChain(err)
    .map((e) => (e as { code?: unknown }).code)
    .filter((code): code is string => typeof code === 'string');
}

function errorMessages(err: unknown): string[] {
  return walkErrorChain(err)
    .map((e) => (e as { message?: unknown }).message)
    .filter((message): message is string => typeof message === 'string');
}

function walkErrorChain(err: unknown): object[] {
  const found: object[] = [];
  const pending: unknown[] = [err];
  // Bounded: cause chains can in principle be cyclic.
  while (pending.length > 0 && found.length < 20) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || found.includes(current)) continue;
    found.push(current);
    pending.push((current as { cause?: unknown }).cause);
    const members = (current as { errors?: unknown }).errors;
    if (Array.isArray(members)) pending.push(...members);
  }
  return found;
}

/** An HTTP Date header (RFC 9110 §5.6.7) as UTC ISO; null when absent or unreadable. */
export function httpDate(header: string | null): string | null {
  if (header === null) return null;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function buildUrl(baseUrl: string, path: string, query: QueryParams): URL {
  const base = baseUrl.replace(/\/+$/, '');
  const url = new URL(`${base}${path.startsWith('/') ? path : `/${path}`}`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url;
}

const SECRET_QUERY_NAME = /token|key|secret|password/i;

/** The URL as it may be logged: no user info, no token-like query parameters. */
export function redactUrl(url: URL): string {
  const safe = new URL(url.href);
  safe.username = '';
  safe.password = '';
  for (const name of [...safe.searchParams.keys()]) {
    if (SECRET_QUERY_NAME.test(name)) safe.searchParams.set(name, 'REDACTED');
  }
  return safe.href;
}

/** The credential values inside the auth headers (`Bearer <token>` yields the token too). */
function secretsOf(authHeaders: Record<string, string>): string[] {
  const secrets: string[] = [];
  for (const value of Object.values(authHeaders)) {
    secrets.push(value);
    const bearer = /^bearer\s+(.+)$/i.exec(value);
    if (bearer?.[1]) secrets.push(bearer[1]);
    // An HTTP library quoting an invalid value may fold its line breaks: every piece is secret too.
    secrets.push(...value.split(/[\s\p{Cc}]+/u).filter((piece) => !/^bearer$/i.test(piece)));
  }
  // Very short values would blank out ordinary words; real credentials are long.
  return secrets.filter((secret) => secret.length >= 6);
}

/** Providers sometimes echo what they were sent: make sure a credential never reaches a message. */
function scrub(message: string, secrets: string[]): string {
  let out = message;
  for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
  return out;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
