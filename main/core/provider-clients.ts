// The provider clients of this station's integrations: one rate limiter per credential (an
// import and the live polls of one account share its budget), one client per integration, kept
// until its credential or the providers' URLs change.
import { createHash } from 'node:crypto';
import type { Clock } from '../ground/clock.ts';
import type { SecretStore } from '../ground/secrets.ts';
import type { MirrorStore } from '../db/store.ts';
import { createProviderClient, resolveBaseUrl } from '../providers/index.ts';
import { RateLimiter } from '../providers/rate-limiter.ts';
import {
  DEFAULT_RATE_BUDGETS,
  isProviderError,
  type ProviderClient,
  type RateBudget,
  type RequestLogEntry,
} from '../providers/types.ts';
import { describeError } from '../sync/failures.ts';
import { AppError } from '../../shared/errors.ts';
import type { ProviderKind } from '../../shared/types.ts';

export interface ProviderClientsDeps {
  store: MirrorStore;
  clock: Clock;
  secretStore: SecretStore;
  /** Provider base URLs; defaults come from the environment, then the real APIs. */
  baseUrls?: Partial<Record<ProviderKind, string>> | undefined;
  rateBudgets?: Partial<Record<ProviderKind, RateBudget>> | undefined;
  fetch?: typeof fetch | undefined;
  requestTimeoutMs?: number | undefined;
  retry?:
    | { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRateLimitWaitMs?: number }
    | undefined;
  /** Sees every answer (the station's clock against the provider's, the benchmarks' counts). */
  onRequest(provider: ProviderKind, request: RequestLogEntry): void;
}

/** The window with the lowest average rate: what pacing plans against, and what an ETA names. */
function tightestWindow(budget: RateBudget): { limit: number; windowMs: number } {
  const w = budget.windows.reduce((a, b) => (b.limit / b.windowMs < a.limit / a.windowMs ? b : a));
  return { limit: w.limit, windowMs: w.windowMs };
}

export class ProviderClients {
  private readonly budgets: Record<ProviderKind, RateBudget>;
  private baseUrls: Record<ProviderKind, string>;
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly clients = new Map<
    number,
    { secretRef: string; client: ProviderClient; limiter: RateLimiter }
  >();

  constructor(private readonly deps: ProviderClientsDeps) {
    this.budgets = { ...DEFAULT_RATE_BUDGETS, ...deps.rateBudgets };
    this.baseUrls = {
      eventbrite: deps.baseUrls?.eventbrite ?? resolveBaseUrl('eventbrite'),
      luma: deps.baseUrls?.luma ?? resolveBaseUrl('luma'),
    };
  }

  /** A client for a credential, stored or not (connecting one asks its who-am-I first). */
  forCredential(
    provider: ProviderKind,
    credential: string,
  ): { client: ProviderClient; limiter: RateLimiter } {
    // Keyed by a digest of the credential: the budget belongs to the token, whoever uses it.
    const limiterKey = `${provider}:${createHash('sha256').update(credential).digest('hex')}`;
    let limiter = this.limiters.get(limiterKey);
    if (!limiter) {
      limiter = new RateLimiter(this.budgets[provider], this.deps.clock);
      this.limiters.set(limiterKey, limiter);
    }
    const { fetch, requestTimeoutMs, retry } = this.deps;
    const client = createProviderClient(provider, {
      baseUrl: this.baseUrls[provider],
      credential,
      clock: this.deps.clock,
      limiter,
      ...(fetch ? { fetch } : {}),
      ...(requestTimeoutMs ? { timeoutMs: requestTimeoutMs } : {}),
      ...(retry ? { retry } : {}),
      onRequest: (r) => this.deps.onRequest(provider, r),
    });
    return { client, limiter };
  }

  /** The integration's client, with the credential the secret store holds for it. */
  clientFor(integrationId: number): ProviderClient {
    const integration = this.deps.store.getIntegration(integrationId);
    if (!integration) throw new AppError('NOT_FOUND', `integration ${integrationId} does not exist`);
    const cached = this.clients.get(integrationId);
    if (cached && cached.secretRef === integration.secretRef) return cached.client;
    const credential = this.deps.secretStore.get(integration.secretRef);
    if (credential === null)
      throw new AppError(
        'CREDENTIAL_REJECTED',
        'the credential of this integration is missing; connect it again',
      );
    const made = this.forCredential(integration.provider, credential);
    this.clients.set(integrationId, { secretRef: integration.secretRef, ...made });
    return made.client;
  }

  /** The integration's credential changed or went: its next client is made afresh. */
  forget(integrationId: number): void {
    this.clients.delete(integrationId);
  }

  /** Points the clients at other provider URLs (the demo workspace's simulator). */
  setBaseUrls(urls: Record<ProviderKind, string>): void {
    this.baseUrls = { ...urls };
    this.clients.clear();
  }

  /** Requests one full pass over the integration's credential may make per window. */
  budgetFor(integrationId: number): { limit: number; windowMs: number } {
    return tightestWindow(
      this.budgets[this.deps.store.getIntegration(integrationId)?.provider ?? 'eventbrite'],
    );
  }

  /** Until when (clock ms) the provider told the credential to wait; 0 when not. */
  pausedUntil(integrationId: number): number {
    return this.clients.get(integrationId)?.limiter.pausedUntil ?? 0;
  }

  /** When `count` more bulk requests of the credential could all have gone, and the window to name. */
  estimateRequestsDoneAt(
    integrationId: number,
    count: number,
  ): { at: number; window: { limit: number; windowMs: number } } | null {
    const entry = this.clients.get(integrationId);
    if (!entry) return null;
    return {
      at: entry.limiter.estimateGrantsDoneAt(count, 'bulk'),
      window: tightestWindow(this.budgets[entry.client.kind]),
    };
  }
}

/** A provider's failure as the app's typed error (what the admin is told). */
export function toProviderAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isProviderError(err)) {
    if (err.kind === 'credential') return new AppError('CREDENTIAL_REJECTED', err.message);
    if (err.kind === 'bad_response') return new AppError('PROVIDER_BAD_RESPONSE', err.message);
    if (err.kind === 'not_found') return new AppError('NOT_FOUND', err.message);
    if (err.kind === 'forbidden') return new AppError('FORBIDDEN', err.message);
    return new AppError('PROVIDER_UNAVAILABLE', err.message);
  }
  return new AppError('INTERNAL', describeError(err));
}
