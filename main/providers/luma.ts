// Luma public API client (docs/PROVIDERS.md "Luma"). Every guest is one row. Luma has no company or
// job-title fields: they come from registration answers, Luma's own company question found by its
// type first, then other questions by their label. There is no changed-since filter and no change
// stamp on a guest; the listing can be sorted by registration time, newest first, which is how
// live sync finds new registrations without paging the whole list.
//
// Two route families: the current resource-style routes of Luma's published reference
// (/v1/users/get-self, /v1/events/guests/list?event_id=, flat records with `id`, a guest's
// tickets in `event_tickets[]`) and the older ones Luma keeps for backward compatibility
// (/v1/user/get-self, /v1/event/get-guests?event_api_id=, records with `api_id`, one
// `event_ticket`). A client speaks the current family first and falls back to the older one
// when the account answers 404 there; it remembers the family, so one client never pays for
// the probe twice. Both map to the same ProviderAttendee.
import { z } from 'zod';
import {
  createRequestContext,
  requestJson,
  type QueryParams,
  type RequestContext,
  type RequestOptions,
} from './http.ts';
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
import { isProviderError } from './types.ts';
import type { AttendeeStatus } from '../../shared/types.ts';
import { companyFromAnswers, jobTitleFromAnswers, readLumaAnswers, readLumaQuestions } from './answers.ts';

/** Guests per page we ask for; Luma may send fewer, so only `has_more` decides the end. */
export const LUMA_GUEST_PAGE_SIZE = 100;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type IdKey = 'id' | 'api_id';

/**
 * Luma may wrap records (`{user: {...}}`, `{event: {...}}`, entries `{api_id, guest: {...}}`);
 * some integrations see them flat. Read the wrapped record when there is one, else the value
 * itself; an id present only on the wrapper is carried inside.
 */
function unwrap(key: string, idKey: IdKey) {
  return (value: unknown): unknown => {
    if (!isRecord(value) || !isRecord(value[key])) return value;
    const inner = value[key];
    return inner[idKey] === undefined && value[idKey] !== undefined
      ? { ...inner, [idKey]: value[idKey] }
      : inner;
  };
}

/**
 * A record schema of one family: its fields, the family's id field (required, named in a bad
 * response's message), the id read out as `id`.
 */
function recordSchema<Shape extends z.ZodRawShape>(wrapper: string, idKey: IdKey, shape: Shape) {
  // zod cannot type a computed key, so the object's type is spelt out.
  const withId = z.object({ ...shape, [idKey]: idSchema }) as unknown as z.ZodType<
    z.output<z.ZodObject<Shape>> & Record<IdKey, string>
  >;
  return z.preprocess(
    unwrap(wrapper, idKey),
    withId.transform((record) => ({ ...record, id: record[idKey] })),
  );
}

const userFields = {
  name: optionalTextSchema,
  first_name: optionalTextSchema,
  last_name: optionalTextSchema,
  email: optionalTextSchema,
};

const eventFields = {
  name: optionalTextSchema,
  start_at: optionalTextSchema,
  end_at: optionalTextSchema,
  timezone: optionalTextSchema,
  url: optionalTextSchema,
  // Read leniently in mapEvent: a question we cannot read is left out, the event still maps.
  registration_questions: z.unknown().optional(),
};

const ticketSchema = z.object({ name: optionalTextSchema, checked_in_at: optionalTextSchema });

const guestFields = {
  name: optionalTextSchema,
  email: optionalTextSchema,
  user_name: optionalTextSchema,
  user_first_name: optionalTextSchema,
  user_last_name: optionalTextSchema,
  user_email: optionalTextSchema,
  approval_status: optionalTextSchema,
  registered_at: optionalTextSchema,
  checked_in_at: optionalTextSchema,
  /** Not sent by Luma today (docs/PROVIDERS.md "No change stamp"); read when it is. */
  updated_at: optionalTextSchema,
  check_in_qr_code: optionalTextSchema,
  /** The older family: the guest's one ticket. */
  event_ticket: ticketSchema.nullish(),
  /** The current family: every ticket the guest holds, the first one first. */
  event_tickets: z.array(ticketSchema).nullish(),
  // Read leniently in mapGuest (answers.ts): an answer of any shape is never a reason to refuse the page.
  registration_answers: z.unknown().optional(),
};

const pageFields = {
  has_more: z.boolean().nullish(),
  next_cursor: z.string().nullish(),
};

/** The routes, query parameters and record shapes of one route family. */
function routeFamily(
  name: 'current' | 'legacy',
  idKey: IdKey,
  paths: { self: string; events: string; event: string; guests: string },
  eventParams: { event: string; guests: string },
) {
  const event = recordSchema('event', idKey, eventFields);
  return {
    name,
    paths,
    eventParams,
    user: recordSchema('user', idKey, userFields),
    event,
    eventsPage: z.object({ entries: z.array(event), ...pageFields }),
    guestsPage: z.object({ entries: z.array(recordSchema('guest', idKey, guestFields)), ...pageFields }),
  };
}

const CURRENT_ROUTES = routeFamily(
  'current',
  'id',
  {
    self: '/users/get-self',
    events: '/calendars/events/list',
    event: '/events/get',
    guests: '/events/guests/list',
  },
  { event: 'event_id', guests: 'event_id' },
);

const LEGACY_ROUTES = routeFamily(
  'legacy',
  'api_id',
  {
    self: '/user/get-self',
    events: '/calendar/list-events',
    event: '/event/get',
    guests: '/event/get-guests',
  },
  { event: 'api_id', guests: 'event_api_id' },
);

type RouteFamily = typeof CURRENT_ROUTES;
type LumaEvent = z.output<RouteFamily['event']>;
type LumaGuest = z.output<RouteFamily['guestsPage']>['entries'][number];
export type LumaRouteFamilyName = RouteFamily['name'];

/** Our rule (docs/PROVIDERS.md): approved/session attend, declined does not, the rest are not yet. */
const STATUS_BY_APPROVAL = new Map<string, AttendeeStatus>([
  ['approved', 'ATTENDING'],
  ['session', 'ATTENDING'],
  ['declined', 'NOT_ATTENDING'],
  ['pending_approval', 'NOT_YET_ATTENDING'],
  ['invited', 'NOT_YET_ATTENDING'],
  ['waitlist', 'NOT_YET_ATTENDING'],
]);

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

type RouteName = keyof RouteFamily['paths'];

export class LumaClient implements ProviderClient {
  readonly kind = 'luma' as const;
  readonly supportsChangedSince = false;
  readonly supportsNewestFirst = true;
  readonly attendeePageSize = LUMA_GUEST_PAGE_SIZE;
  private readonly http: RequestContext;
  private readonly prefix: string;
  /** The family this account answers on; null until the first answer says. */
  private family: RouteFamily | null = null;

  constructor(options: ProviderClientOptions) {
    this.http = createRequestContext('luma', options, { 'x-luma-api-key': options.credential });
    this.prefix = lumaPathPrefix(options.baseUrl);
  }

  /** The route family this client settled on (null before its first answer), for diagnostics and tests. */
  get routeFamily(): LumaRouteFamilyName | null {
    return this.family?.name ?? null;
  }

  async whoAmI(signal?: AbortSignal): Promise<ProviderAccount> {
    const { body, family, path } = await this.get('self', () => ({}), { signal, credentialCheck: true });
    const user = parseResponse('luma', family.user, body, path);
    const email = cleanText(user.email) ?? '';
    return {
      accountId: user.id,
      email,
      name: firstText(user.name) ?? joinName(cleanText(user.first_name), cleanText(user.last_name)) ?? email,
    };
  }

  /** Every event of the key's calendar (a Luma key is scoped to one calendar). */
  async listEvents(signal?: AbortSignal): Promise<ProviderEvent[]> {
    const events: ProviderEvent[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | null = null;
    for (;;) {
      const { body, family, path } = await this.get(
        'events',
        () => ({ pagination_cursor: cursor ?? undefined }),
        { signal },
      );
      const page = parseResponse('luma', family.eventsPage, body, path);
      events.push(...page.entries.map(mapEvent));
      cursor = nextCursor(page, path);
      if (cursor === null) return events;
      // A cursor seen before would loop forever; a provider bug, not something to wait out.
      if (seenCursors.has(cursor)) throw badResponse('luma', path, 'pagination repeats a cursor');
      seenCursors.add(cursor);
    }
  }

  async getEvent(providerEventId: string, signal?: AbortSignal): Promise<ProviderEvent> {
    const { body, family, path } = await this.get(
      'event',
      (f) => ({ [f.eventParams.event]: providerEventId }),
      {
        signal,
        resource: 'this event',
      },
    );
    return mapEvent(parseResponse('luma', family.event, body, path));
  }

  /**
   * `query.changedSince` is ignored: Luma has no such filter (`supportsChangedSince` is false);
   * `query.newestFirst` sorts by `registered_at` descending; `query.lane` is honoured.
   */
  async pageAttendees(
    providerEventId: string,
    cursor: string | null,
    query?: AttendeeQuery,
    signal?: AbortSignal,
  ): Promise<AttendeePage> {
    const params = (f: RouteFamily): QueryParams => ({
      [f.eventParams.guests]: providerEventId,
      pagination_cursor: cursor ?? undefined,
      pagination_limit: String(LUMA_GUEST_PAGE_SIZE),
      sort_column: query?.newestFirst ? 'registered_at' : undefined,
      sort_direction: query?.newestFirst ? 'desc' : undefined,
    });
    // An import's pages go in the bulk lane, which leaves the reserve to live polls.
    const { body, family, path } = await this.get('guests', params, {
      signal,
      resource: 'this event',
      lane: query?.lane,
    });
    const page = parseResponse('luma', family.guestsPage, body, path);
    return { attendees: page.entries.map(mapGuest), nextCursor: nextCursor(page, path), totalCount: null };
  }

  /**
   * GETs a route on the account's family. Until the family is known, the current one is tried
   * first; a 404 there means the older family only when the current who-am-I route is missing
   * too (a 404 for an unknown event is just that).
   */
  private async get(
    route: RouteName,
    params: (family: RouteFamily) => QueryParams,
    options: RequestOptions,
  ): Promise<{ body: unknown; family: RouteFamily; path: string }> {
    const attempt = async (family: RouteFamily) => {
      const path = `${this.prefix}${family.paths[route]}`;
      return { body: await requestJson(this.http, path, params(family), options), family, path };
    };
    if (this.family) return attempt(this.family);
    try {
      const answer = await attempt(CURRENT_ROUTES);
      this.family = CURRENT_ROUTES;
      return answer;
    } catch (error) {
      if (!isRouteMissing(error) || !(await this.currentRoutesMissing(route, options.signal))) throw error;
    }
    // Settled by the probe, whatever this route answers on the older family.
    this.family = LEGACY_ROUTES;
    return attempt(LEGACY_ROUTES);
  }

  /** Whether this account lacks the current family: its who-am-I route answers 404 as well. */
  private async currentRoutesMissing(failedRoute: RouteName, signal?: AbortSignal): Promise<boolean> {
    if (failedRoute === 'self') return true;
    try {
      await requestJson(
        this.http,
        `${this.prefix}${CURRENT_ROUTES.paths.self}`,
        {},
        { signal, credentialCheck: true },
      );
    } catch (error) {
      return isRouteMissing(error);
    }
    this.family = CURRENT_ROUTES;
    return false;
  }
}

function isRouteMissing(error: unknown): boolean {
  return isProviderError(error) && error.httpStatus === 404;
}

function nextCursor(
  page: { has_more?: boolean | null; next_cursor?: string | null },
  path: string,
): string | null {
  const cursor = page.next_cursor?.trim() || null;
  // Without `has_more`, a cursor is the only sign of another page.
  const hasMore = page.has_more ?? cursor !== null;
  if (!hasMore) return null;
  if (cursor === null) throw badResponse('luma', path, 'next_cursor is missing although has_more is true');
  return cursor;
}

function mapEvent(event: LumaEvent): ProviderEvent {
  const questions = readLumaQuestions(event.registration_questions);
  return {
    providerEventId: event.id,
    name: firstText(event.name) ?? 'Untitled event',
    startsAt: cleanText(event.start_at),
    endsAt: cleanText(event.end_at),
    timezone: cleanText(event.timezone),
    url: cleanText(event.url),
    ...(questions.length > 0 ? { questions } : {}),
  };
}

export function mapGuest(guest: LumaGuest): ProviderAttendee {
  const firstName = cleanText(guest.user_first_name);
  const lastName = cleanText(guest.user_last_name);
  const providerStatus = cleanText(guest.approval_status);
  // One row per guest, whatever they hold: the first ticket names the row, the others are kept.
  const [firstTicket, ...otherTickets] =
    guest.event_tickets ?? (guest.event_ticket ? [guest.event_ticket] : []);
  const otherTicketNames = otherTickets
    .map((ticket) => cleanText(ticket.name))
    .filter((name) => name !== null);
  const ticketCheckedIn = [firstTicket, ...otherTickets].some((ticket) => Boolean(ticket?.checked_in_at));
  const { answers, companyQuestion } = readLumaAnswers(guest.registration_answers);
  return {
    providerAttendeeId: guest.id,
    firstName,
    lastName,
    fullName: firstText(guest.name, guest.user_name) ?? joinName(firstName, lastName) ?? '',
    email: firstText(guest.email, guest.user_email),
    // Luma's company question by its type, then a question whose label says company or job title.
    company: companyQuestion?.company ?? companyFromAnswers(answers),
    jobTitle: companyQuestion?.jobTitle ?? jobTitleFromAnswers(answers),
    ticketName: cleanText(firstTicket?.name),
    otherTicketNames,
    orderId: null,
    barcode: cleanText(guest.check_in_qr_code),
    // An approval status newer than this code shows the guest, not yet counted, rather than failing the page.
    status: STATUS_BY_APPROVAL.get(providerStatus?.toLowerCase() ?? '') ?? 'NOT_YET_ATTENDING',
    providerStatus,
    providerCheckedIn: Boolean(guest.checked_in_at) || ticketCheckedIn,
    registeredAt: cleanText(guest.registered_at),
    providerUpdatedAt: cleanText(guest.updated_at),
    answers,
  };
}
