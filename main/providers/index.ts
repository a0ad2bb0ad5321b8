// The providers module as the rest of the core sees it: build a client for a provider kind,
// find its base URL (real API, simulator or test server), and make the rate limiter that one
// credential's clients share.
import type { Clock } from '../ground/clock.ts';
import type { ProviderKind } from '../../shared/types.ts';
import { EventbriteClient } from './eventbrite.ts';
import { LumaClient } from './luma.ts';
import { RateLimiter } from './rate-limiter.ts';
import {
  BASE_URL_ENV,
  DEFAULT_BASE_URLS,
  DEFAULT_RATE_BUDGETS,
  type ProviderClient,
  type ProviderClientOptions,
  type RateBudget,
} from './types.ts';

export * from './types.ts';
export { RateLimiter } from './rate-limiter.ts';
export { EventbriteClient, formatChangedSince } from './eventbrite.ts';
export { LumaClient, lumaPathPrefix } from './luma.ts';
export { requestJson, DEFAULT_TIMEOUT_MS, type RequestContext, type RequestOptions } from './http.ts';
export { cleanText } from './response.ts';

export function createProviderClient(kind: ProviderKind, options: ProviderClientOptions): ProviderClient {
  switch (kind) {
    case 'eventbrite':
      return new EventbriteClient(options);
    case 'luma':
      return new LumaClient(options);
  }
}

/**
 * One limiter per credential, shared by its import and its live polling, so that together they
 * stay within the provider's published budget.
 */
export function createRateLimiter(
  kind: ProviderKind,
  clock: Clock,
  budget: RateBudget = DEFAULT_RATE_BUDGETS[kind],
): RateLimiter {
  return new RateLimiter(budget, clock);
}

/**
 * The base URL for `kind`: the environment override (BASE_URL_ENV, e.g. to point at the
 * simulator) or the real API. Trailing slashes are removed; anything but http(s) is refused.
 */
export function resolveBaseUrl(
  kind: ProviderKind,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const variable = BASE_URL_ENV[kind];
  const override = env[variable]?.trim();
  const raw = override || DEFAULT_BASE_URLS[kind];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${variable} is not a valid URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${variable} must be an http or https URL, got "${url.protocol}"`);
  }
  if (url.search || url.hash) throw new Error(`${variable} must not contain a query or fragment`);
  return url.href.replace(/\/+$/, '');
}
