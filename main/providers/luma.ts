// Luma public API client (providers.md "Luma"). Every guest is one row. Luma has no company or
// job-title fields: they come from registration answers, matched by label. There is no
// changed-since filter, so live sync pages the whole guest list.
import { z } from 'zod';
import { createRequestContext, requestJson, type QueryParams, type RequestContext } from './http.ts';
import {
  badResponse,
  cleanText,
  firstText,
  idSchema,
  joinName,
  optionalTextSchema,
  parseResponse,
} from './response.ts';
import type {
  AttendeePage,
  AttendeeQuery,
  ProviderAccount,
  ProviderAttendee,
  ProviderClient,
  ProviderClientOptions,
  ProviderEvent,
} from './types.ts';
import type { AttendeeStatus } from '../../shared/types.ts';

/** Guests per page we ask for; Luma may send fewer, so only `has_more` decides the end. */
export const LUMA_GUEST_PAGE_SIZE = 100;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Luma wraps records (`{user: {...}}`, `{event: {...}}`, entries `{api_id, guest: {...}}`);
 * some integrations see them flat. Read the wrapped record when there is one, else the value
 * itself; an id present only on the wrapper is carried inside.
 */
function unwrap(key: string) {
  return (value: unknown): unknown => {
    if (!isRecord(value) || !isRecord(value[key])) return value;
    const inner = value[key];
    return inner.api_id === undefined && value.api_id !== undefined ? { ...inner, api_id: value.api_id } : inner;
  };
}

const userSchema = z.preprocess(
  unwrap('user'),
  z.object({
    api_id: idSchema,
    name: optionalTextSchema,
    first_name: optionalTextSchema,
    last_name: optionalTextSchema,
    email: optionalTextSchema,
  }),
);

const eventSchema = z.object({
  api_id: idSchema,
  name: optionalTextSchema,
  start_at: optionalTextSchema,
  end_at: optionalTextSchema,
  timezone: optionalTextSchema,
  url: optionalTextSchema,
});
type LumaEvent = z.infer<typeof eventSchema>;

const pageFields = {
  has_more: z.boolean().nullish(),
  next_cursor: z.string().nullish(),
};

const eventsPageSchema = z.object({ entries: z.array(z.preprocess(unwrap('event'), eventSchema)), ...pageFields });

const registrationAnswerSchema = z.object({
  label: optionalTextSchema,
  // string, boolean, number, or something newer: never a reason to reject the page.
  answer: z.unknown(),
});

const guestSchema = z.object({
  api_id: idSchema,
  name: optionalTextSchema,
  email: optionalTextSchema,
  user_name: optionalTextSchema,
  user_first_name: optionalTextSchema,
  user_last_name: optionalTextSchema,
  user_email: optionalTextSchema,
  approval_status: optionalTextSchema,
  registered_at: optionalTextSchema,
  checked_in_at: optionalTextSchema,
  updated_at: optionalTextSchema,
  check_in_qr_code: optionalTextSchema,
  event_ticket: z.object({ name: optionalTextSchema, checked_in_at: optionalTextSchema }).nullish(),
  registration_answers: z.array(registrationAnswerSchema).nullish(),
});
type LumaGuest = z.infer<typeof guestSchema>;

const guestsPageSchema = z.object({ entries: z.array(z.preprocess(unwrap('guest'), guestSchema)), ...pageFields });

/** Our rule (providers.md): approved/session attend, declined does not, the rest are not yet. */
const STATUS_BY_APPROVAL = new Map<string, AttendeeStatus>([
  ['approved', 'ATTENDING'],
  ['session', 'ATTENDING'],
  ['declined', 'NOT_ATTENDING'],
  ['pending_approval', 'NOT_YET_ATTENDING'],
  ['invited', 'NOT_YET_ATTENDING'],
  ['waitlist', 'NOT_YET_ATTENDING'],
]);

const COMPANY_LABELS = new Set(['company', 'organization', 'organisation']);
const JOB_TITLE_LABELS = new Set(['job title', 'title', 'role']);

/**
 * The path prefix for a base URL: `/v1` for `https://public-api.luma.com`, `/public/v1` for the
 * older `https://api.lu.ma`, nothing when the base URL already ends in `/v1` or `/public/v1`.
 */
export function lumaPathPrefix(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) return '';
  if (path.endsWith('/public')) return '/v1';
  if (url.hostname === 'api.lu.ma') return '/public/v1';
  return '/v1';
}

export class LumaClient implements ProviderClient {
  readonly kind = 'luma' as const;
  readonly supportsChangedSince = false;
  private readonly http: RequestContext;
  private readonly prefix: string;

  constructor(options: ProviderClientOptions) {
    this.http = createRequestContext('luma', options, { 'x-luma-api-key': options.credential });
    this.prefix = lumaPathPrefix(options.baseUrl);
  }

  async whoAmI(signal?: AbortSignal): Promise<ProviderAccount> {
    const path = `${this.prefix}/user/get-self`;
    const body = await requestJson(this.http, path, {}, { signal, credentialCheck: true });
    const user = parseResponse('luma', userSchema, body, path);
    const email = cleanText(user.email) ?? '';
    return {
      accountId: user.api_id,
      email,
      name: firstText(user.name) ?? joinName(cleanText(user.first_name), cleanText(user.last_name)) ?? email,
    };
  }

  /** Every event of the key's calendar (a Luma key is scoped to one calendar). */
  async listEvents(signal?: AbortSignal): Promise<ProviderEvent[]> {
    const path = `${this.prefix}/calendar/list-events`;
    const events: ProviderEvent[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | null = null;
    for (;;) {
      const body = await requestJson(this.http, path, { pagination_cursor: cursor ?? undefined }, { signal });
      const page = parseResponse('luma', eventsPageSchema, body, path);
      events.push(...page.entries.map(mapEvent));
      cursor = nextCursor(page, path);
      if (cursor === null) return events;
      // A cursor seen before would loop forever; a provider bug, not something to wait out.
      if (seenCursors.has(cursor)) throw badResponse('luma', path, 'pagination repeats a cursor');
      seenCursors.add(cursor);
    }
  }

  async getEvent(providerEventId: string, signal?: AbortSignal): Promise<ProviderEvent> {
    const path = `${this.prefix}/event/get`;
    const body = await requestJson(this.http, path, { api_id: providerEventId }, { signal, resource: 'this event' });
    return mapEvent(parseResponse('luma', z.preprocess(unwrap('event'), eventSchema), body, path));
  }

  /** `query.changedSince` is ignored: Luma has no such filter (`supportsChangedSince` is false). */
  async pageAttendees(
    providerEventId: string,
    cursor: string | null,
    _query?: AttendeeQuery,
    signal?: AbortSignal,
  ): Promise<AttendeePage> {
    const path = `${this.prefix}/event/get-guests`;
    const params: QueryParams = {
      event_api_id: providerEventId,
      pagination_cursor: cursor ?? undefined,
      pagination_limit: String(LUMA_GUEST_PAGE_SIZE),
    };
    const body = await requestJson(this.http, path, params, { signal, resource: 'this event' });
    const page = parseResponse('luma', guestsPageSchema, body, path);
    return { attendees: page.entries.map(mapGuest), nextCursor: nextCursor(page, path), totalCount: null };
  }
}

function nextCursor(page: { has_more?: boolean | null; next_cursor?: string | null }, path: string): string | null {
  const cursor = page.next_cursor?.trim() || null;
  // Without `has_more`, a cursor is the only sign of another page.
  const hasMore = page.has_more ?? cursor !== null;
  if (!hasMore) return null;
  if (cursor === null) throw badResponse('luma', path, 'next_cursor is missing although has_more is true');
  return cursor;
}

function mapEvent(event: LumaEvent): ProviderEvent {
  return {
    providerEventId: event.api_id,
    name: firstText(event.name) ?? 'Untitled event',
    startsAt: cleanText(event.start_at),
    endsAt: cleanText(event.end_at),
    timezone: cleanText(event.timezone),
    url: cleanText(event.url),
  };
}

export function mapGuest(guest: LumaGuest): ProviderAttendee {
  const firstName = cleanText(guest.user_first_name);
  const lastName = cleanText(guest.user_last_name);
  const providerStatus = cleanText(guest.approval_status);
  return {
    providerAttendeeId: guest.api_id,
    firstName,
    lastName,
    fullName: firstText(guest.name, guest.user_name) ?? joinName(firstName, lastName) ?? '',
    email: firstText(guest.email, guest.user_email),
    company: answerFor(guest, COMPANY_LABELS),
    jobTitle: answerFor(guest, JOB_TITLE_LABELS),
    ticketName: cleanText(guest.event_ticket?.name),
    orderId: null,
    barcode: cleanText(guest.check_in_qr_code),
    // An approval status newer than this code shows the guest, not yet counted, rather than failing the page.
    status: STATUS_BY_APPROVAL.get(providerStatus?.toLowerCase() ?? '') ?? 'NOT_YET_ATTENDING',
    providerStatus,
    providerCheckedIn: Boolean(guest.checked_in_at ?? guest.event_ticket?.checked_in_at),
    registeredAt: cleanText(guest.registered_at),
    providerUpdatedAt: cleanText(guest.updated_at),
  };
}

/**
 * The first non-empty answer whose label is one of `labels`, in any case and ignoring the
 * decoration organisers add to questions ("Company:", "Job title *").
 */
function answerFor(guest: LumaGuest, labels: ReadonlySet<string>): string | null {
  for (const entry of guest.registration_answers ?? []) {
    const label = cleanText(entry.label)
      ?.toLowerCase()
      .replace(/^[\s:*?]+|[\s:*?]+$/g, '');
    if (label === undefined || !labels.has(label)) continue;
    const answer = answerText(entry.answer);
    if (answer !== null) return answer;
  }
  return null;
}

function answerText(answer: unknown): string | null {
  if (typeof answer === 'string' || typeof answer === 'number' || typeof answer === 'boolean') {
    return cleanText(String(answer));
  }
  // Multiple-choice answers arrive as lists of options.
  if (Array.isArray(answer)) {
    const parts = answer.filter((item) => ['string', 'number', 'boolean'].includes(typeof item)).map(String);
    return cleanText(parts.join(', '));
  }
  return null;
}
