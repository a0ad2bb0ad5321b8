// One interface for every provider. The sync engine only ever talks to this; the Eventbrite and
// Luma clients turn their APIs into these shapes (docs/PROVIDERS.md).
import type { ProviderKind, ProviderOwnedAttendeeFields } from '../../shared/types.ts';
import type { EventQuestion } from '../../shared/answers.ts';
import type { Clock } from '../ground/clock.ts';

export interface ProviderAccount {
  accountId: string;
  email: string;
  name: string;
}

export interface ProviderEvent {
  providerEventId: string;
  name: string;
  startsAt: string | null;
  endsAt: string | null;
  timezone: string | null;
  url: string | null;
  /**
   * The registration questions the provider lists for the event (Luma's `registration_questions`),
   * when it does; Eventbrite's are known from the answers only.
   */
  questions?: Omit<EventQuestion, 'key' | 'answered'>[];
}

/** A provider's attendee record, already mapped to our rules. Provider-owned fields only. */
export interface ProviderAttendee extends ProviderOwnedAttendeeFields {
  /** Whether the provider itself reports the person checked in (informational only). */
  providerCheckedIn: boolean;
}

export interface AttendeePage {
  attendees: ProviderAttendee[];
  /** Opaque cursor for the next page; null when this was the last page. */
  nextCursor: string | null;
  /** The provider's total for the whole listing, when it reports one. */
  totalCount: number | null;
  /**
   * The provider's clock when it answered (the response's Date header, UTC ISO), when the
   * client reads it: incremental watermarks come from the provider's clock, never ours.
   */
  providerDate?: string | null;
}

/**
 * Which share of a credential's budget a request draws on: 'bulk' (imports, full listings)
 * leaves the limiter's reserve alone, so 'live' polls of the token's other events keep going.
 */
export type RequestLane = 'live' | 'bulk';

export interface AttendeeQuery {
  /** Only records changed on or after this UTC ISO time (providers with `supportsChangedSince`). */
  changedSince?: string;
  /** Newest registrations first (providers with `supportsNewestFirst`): new ones are on the first page. */
  newestFirst?: boolean;
  /** Default 'live'. */
  lane?: RequestLane;
}

/** The statuses a provider can count attendees by (Eventbrite's `status` filter). */
export type CountableAttendeeStatus = 'attending' | 'not_attending';

export interface ProviderClient {
  readonly kind: ProviderKind;
  /** True when `pageAttendees` honours `changedSince` (Eventbrite); false means full pages (Luma). */
  readonly supportsChangedSince: boolean;
  /** True when `pageAttendees` honours `newestFirst` (Luma's sort by `registered_at`). */
  readonly supportsNewestFirst?: boolean;
  /** Attendees per page, where the client chooses it (Luma's pagination_limit); for pacing. */
  readonly attendeePageSize?: number;
  whoAmI(signal?: AbortSignal): Promise<ProviderAccount>;
  listEvents(signal?: AbortSignal): Promise<ProviderEvent[]>;
  getEvent(providerEventId: string, signal?: AbortSignal): Promise<ProviderEvent>;
  pageAttendees(
    providerEventId: string,
    cursor: string | null,
    query?: AttendeeQuery,
    signal?: AbortSignal,
  ): Promise<AttendeePage>;
  /**
   * The provider's own count of the event's attendees with this status (one cheap request),
   * for checking the mirror without a full listing; absent where the provider cannot count.
   */
  countAttendees?(
    providerEventId: string,
    status: CountableAttendeeStatus,
    signal?: AbortSignal,
  ): Promise<number | null>;
}

/**
 * How a provider call failed, classified once (docs/PROVIDERS.md "Mapping errors to statuses").
 * - credential: 401, or 403 on who-am-I -> DISCONNECTED
 * - forbidden: 403 on one resource -> FAILED "no access to this event"
 * - not_found: 404 -> FAILED
 * - rate_limited: 429 -> wait `retryAfterMs` (or back off) and retry
 * - transient: 5xx, timeout, reset, DNS -> bounded retries, then FAILED
 * - offline: our side's network is down -> FAILED with "offline", retried automatically
 * - bad_response: 200 whose body does not parse or lacks required fields -> FAILED, nothing stored
 */
export type ProviderErrorKind =
  'credential' | 'forbidden' | 'not_found' | 'rate_limited' | 'transient' | 'offline' | 'bad_response';

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: ProviderKind;
  readonly httpStatus: number | null;
  readonly retryAfterMs: number | null;
  constructor(
    provider: ProviderKind,
    kind: ProviderErrorKind,
    message: string,
    opts: { httpStatus?: number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.kind = kind;
    this.httpStatus = opts.httpStatus ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

/** Published request budgets (docs/PROVIDERS.md), configurable because they are partly unconfirmed. */
export interface RateBudget {
  /** Windows that must all hold: at most `limit` requests in any `windowMs`. */
  windows: { limit: number; windowMs: number }[];
  /**
   * Share of every window that 'bulk' requests (imports, full listings) leave to 'live' polls,
   * so the token's other events keep polling during a big import. 0 (the default) reserves none.
   */
  liveReserve?: number;
}

/** The share of a token's budget an import leaves to live polling by default. */
export const DEFAULT_LIVE_RESERVE = 0.2;

export const DEFAULT_RATE_BUDGETS: Record<ProviderKind, RateBudget> = {
  eventbrite: {
    windows: [
      { limit: 2000, windowMs: 60 * 60 * 1000 },
      // Unconfirmed (repeated by third parties, not found in Eventbrite's own text): configurable
      // through the core's `rateBudgets` and BADGE_DESK_EVENTBRITE_DAILY_LIMIT.
      { limit: 48000, windowMs: 24 * 60 * 60 * 1000 },
    ],
    liveReserve: DEFAULT_LIVE_RESERVE,
  },
  // An import leaves half of Luma's minute to live polls: without changed-since, the calendar's
  // other events need a share that grows with their size (sync/newest-first.ts), and a
  // 10,000-guest import at full speed would be done in a minute anyway.
  luma: { windows: [{ limit: 200, windowMs: 60 * 1000 }], liveReserve: 0.5 },
};

/**
 * Eventbrite's budget with another daily figure (the 48,000 is unconfirmed); 0 drops the daily
 * window altogether. Anything but a non-negative integer keeps the default.
 */
export function eventbriteBudgetWithDailyLimit(daily: number): RateBudget {
  const base = DEFAULT_RATE_BUDGETS.eventbrite;
  if (!Number.isInteger(daily) || daily < 0) return base;
  const hourly = base.windows.filter((w) => w.windowMs < 24 * 60 * 60 * 1000);
  return {
    ...base,
    windows: daily === 0 ? hourly : [...hourly, { limit: daily, windowMs: 24 * 60 * 60 * 1000 }],
  };
}

/**
 * The default budgets with every limit multiplied by `scale`. Only for runs against the
 * simulator (the fault suite, demos): a real provider enforces its published figures.
 * Anything but a finite number >= 1 gives the defaults.
 */
export function scaledRateBudgets(scale: number): Record<ProviderKind, RateBudget> {
  const factor = Number.isFinite(scale) && scale >= 1 ? scale : 1;
  const scaled = (b: RateBudget): RateBudget => ({
    ...b,
    windows: b.windows.map((w) => ({ ...w, limit: Math.round(w.limit * factor) })),
  });
  return { eventbrite: scaled(DEFAULT_RATE_BUDGETS.eventbrite), luma: scaled(DEFAULT_RATE_BUDGETS.luma) };
}

export const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  eventbrite: 'https://www.eventbriteapi.com/v3',
  luma: 'https://public-api.luma.com',
};

/** The environment variables that override the base URLs (simulator, test servers). */
export const BASE_URL_ENV: Record<ProviderKind, string> = {
  eventbrite: 'BADGE_DESK_EVENTBRITE_URL',
  luma: 'BADGE_DESK_LUMA_URL',
};

/**
 * What a client needs from a rate limiter: one slot per request, and a shared pause when the
 * provider answers 429 with Retry-After. `RateLimiter` implements it; tests may pass their own.
 */
export interface RequestLimiter {
  acquire(signal?: AbortSignal, lane?: RequestLane): Promise<void>;
  pauseUntil(ms: number): void;
}

/** Bounded retries for one request (docs/PROVIDERS.md "Mapping errors to statuses"). */
export interface RetryPolicy {
  /** Tries for transient, offline and bad-response failures, the first one included. */
  maxAttempts: number;
  /** Backoff starts here and doubles per retry... */
  baseDelayMs: number;
  /** ...up to this cap. */
  maxDelayMs: number;
  /** Total time one request may spend waiting out 429s before it gives up as 'rate_limited'. */
  maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 15 * 60 * 1000,
};

/** One HTTP attempt, reported for logs and diagnostics. The URL never carries a credential. */
export interface RequestLogEntry {
  method: string;
  url: string;
  /** HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
  /** 1 for the first try of a request, 2 for its first retry, and so on. */
  attempt: number;
  /** The response's Date header (the provider's clock), when a response arrived with one. */
  providerDate: string | null;
  /** This station's clock when the response arrived. */
  receivedAt: number;
}

export interface ProviderClientOptions {
  /** Without a trailing slash, e.g. `https://www.eventbriteapi.com/v3` (see `resolveBaseUrl`). */
  baseUrl: string;
  /** Eventbrite OAuth/private token or Luma API key. Sent only as a header, never logged. */
  credential: string;
  clock: Clock;
  /** Shared by every client of the same credential, so import and live polling share one budget. */
  limiter: RequestLimiter;
  fetch?: typeof fetch;
  /** Wall-clock limit for one attempt, headers and body included. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRequest?: (entry: RequestLogEntry) => void;
}
