// Eventbrite API v3 client (docs/PROVIDERS.md "Eventbrite"). Every body is validated before use: a
// page that lacks a required field fails as a whole ('bad_response'), so nothing partial is
// stored. Attendees are one row per sold ticket; when an event collects details only from the
// buyer, every attendee of an order carries the buyer's profile, and that is what we store.
// The company and job title come from the profile, else from a custom question recognised by its
// type or label; every answer is kept as text (answers.ts reads them leniently).
import { z } from 'zod';
import {
  createRequestContext,
  requestJson,
  requestJsonResponse,
  type QueryParams,
  type RequestContext,
} from './http.ts';
import {
  badResponse,
  cleanText,
  firstText,
  idSchema,
  joinName,
  optionalBooleanSchema,
  optionalTextSchema,
  parseResponse,
} from './response.ts';
import {
  isProviderError,
  type AttendeePage,
  type AttendeeQuery,
  type CountableAttendeeStatus,
  type ProviderAccount,
  type ProviderAttendee,
  type ProviderClient,
  type ProviderClientOptions,
  type ProviderEvent,
} from './types.ts';
import type { AttendeeStatus } from '../../shared/types.ts';
import { companyFromAnswers, jobTitleFromAnswers, readEventbriteAnswers } from './answers.ts';

/**
 * `has_more_items` says whether another page follows; older answers leave it out, and then
 * `page_number` against `page_count` says the same (docs/PROVIDERS.md "Pages").
 */
const paginationSchema = z.object({
  has_more_items: z.boolean().nullish(),
  page_number: z.number().int().nullish(),
  page_count: z.number().int().nullish(),
  continuation: z.string().nullish(),
  object_count: z.number().int().nonnegative().nullish(),
});
type Pagination = z.infer<typeof paginationSchema>;

const userSchema = z.object({
  id: idSchema,
  name: optionalTextSchema,
  first_name: optionalTextSchema,
  last_name: optionalTextSchema,
  emails: z.array(z.object({ email: z.string(), primary: optionalBooleanSchema })).nullish(),
});

const organizationsPageSchema = z.object({
  organizations: z.array(z.object({ id: idSchema, name: optionalTextSchema })),
  pagination: paginationSchema,
});

const eventTimeSchema = z.object({ timezone: optionalTextSchema, utc: optionalTextSchema }).nullish();
const eventSchema = z.object({
  id: idSchema,
  name: z.object({ text: optionalTextSchema }).nullish(),
  start: eventTimeSchema,
  end: eventTimeSchema,
  url: optionalTextSchema,
});
type EventbriteEvent = z.infer<typeof eventSchema>;

const eventsPageSchema = z.object({ events: z.array(eventSchema), pagination: paginationSchema });

const attendeeSchema = z.object({
  id: idSchema,
  created: optionalTextSchema,
  changed: optionalTextSchema,
  ticket_class_name: optionalTextSchema,
  order_id: z.preprocess(
    (value) => (typeof value === 'number' ? String(value) : value),
    z.string().nullish(),
  ),
  status: optionalTextSchema,
  checked_in: optionalBooleanSchema,
  cancelled: optionalBooleanSchema,
  refunded: optionalBooleanSchema,
  profile: z.object({
    name: optionalTextSchema,
    first_name: optionalTextSchema,
    last_name: optionalTextSchema,
    email: optionalTextSchema,
    company: optionalTextSchema,
    job_title: optionalTextSchema,
  }),
  barcodes: z.array(z.object({ barcode: optionalTextSchema })).nullish(),
  // Read leniently in mapAttendee (answers.ts): an answer of any shape never refuses the page.
  answers: z.unknown().optional(),
});
type EventbriteAttendee = z.infer<typeof attendeeSchema>;

const attendeesPageSchema = z.object({ attendees: z.array(attendeeSchema), pagination: paginationSchema });

/** Eventbrite status texts that mean the ticket no longer admits anyone (compared lower-case). */
const NOT_ATTENDING_STATUSES = new Set(['not attending', 'deleted']);

export class EventbriteClient implements ProviderClient {
  readonly kind = 'eventbrite' as const;
  readonly supportsChangedSince = true;
  private readonly http: RequestContext;

  constructor(options: ProviderClientOptions) {
    this.http = createRequestContext('eventbrite', options, {
      authorization: `Bearer ${options.credential}`,
    });
  }

  async whoAmI(signal?: AbortSignal): Promise<ProviderAccount> {
    const path = '/users/me/';
    const body = await requestJson(this.http, path, {}, { signal, credentialCheck: true });
    const user = parseResponse('eventbrite', userSchema, body, path);
    const emails = user.emails ?? [];
    const email = cleanText((emails.find((entry) => entry.primary) ?? emails[0])?.email) ?? '';
    return {
      accountId: user.id,
      email,
      name: firstText(user.name) ?? joinName(cleanText(user.first_name), cleanText(user.last_name)) ?? email,
    };
  }

  /** Every event of every organization the token's user belongs to. */
  async listEvents(signal?: AbortSignal): Promise<ProviderEvent[]> {
    const organizations = await this.fetchAllPages(
      '/users/me/organizations/',
      (body, path) => {
        const page = parseResponse('eventbrite', organizationsPageSchema, body, path);
        return { items: page.organizations, pagination: page.pagination };
      },
      signal,
    );
    const events = new Map<string, ProviderEvent>();
    for (const organization of organizations) {
      let pageEvents: EventbriteEvent[];
      try {
        pageEvents = await this.fetchAllPages(
          `/organizations/${encodeURIComponent(organization.id)}/events/`,
          (body, path) => {
            const page = parseResponse('eventbrite', eventsPageSchema, body, path);
            return { items: page.events, pagination: page.pagination };
          },
          signal,
        );
      } catch (err) {
        // A member without event rights in one organization can still use the others.
        if (isProviderError(err) && err.kind === 'forbidden') continue;
        throw err;
      }
      // An event co-owned by two organizations is still one event.
      for (const event of pageEvents) events.set(event.id, mapEvent(event));
    }
    return [...events.values()];
  }

  async getEvent(providerEventId: string, signal?: AbortSignal): Promise<ProviderEvent> {
    const path = `/events/${encodeURIComponent(providerEventId)}/`;
    const body = await requestJson(this.http, path, {}, { signal, resource: 'this event' });
    return mapEvent(parseResponse('eventbrite', eventSchema, body, path));
  }

  async pageAttendees(
    providerEventId: string,
    cursor: string | null,
    query: AttendeeQuery = {},
    signal?: AbortSignal,
  ): Promise<AttendeePage> {
    const path = `/events/${encodeURIComponent(providerEventId)}/attendees/`;
    const params: QueryParams = {
      continuation: cursor ?? undefined,
      // A continuation is only valid with the same filters, so the caller repeats `changedSince`.
      changed_since: query.changedSince === undefined ? undefined : formatChangedSince(query.changedSince),
    };
    const { body, providerDate } = await requestJsonResponse(this.http, path, params, {
      signal,
      resource: 'this event',
      lane: query.lane,
    });
    const page = parseResponse('eventbrite', attendeesPageSchema, body, path);
    return {
      attendees: page.attendees.map(mapAttendee),
      nextCursor: nextContinuation(page.pagination, path),
      totalCount: page.pagination.object_count ?? null,
      providerDate,
    };
  }

  /** One page of the listing filtered by `status`; its `pagination.object_count` is the count. */
  async countAttendees(
    providerEventId: string,
    status: CountableAttendeeStatus,
    signal?: AbortSignal,
  ): Promise<number | null> {
    const path = `/events/${encodeURIComponent(providerEventId)}/attendees/`;
    const body = await requestJson(this.http, path, { status }, { signal, resource: 'this event' });
    return parseResponse('eventbrite', attendeesPageSchema, body, path).pagination.object_count ?? null;
  }

  /** Follows `continuation` to the last page. Page sizes vary, so only the pagination header decides. */
  private async fetchAllPages<T>(
    path: string,
    parsePage: (body: unknown, path: string) => { items: T[]; pagination: Pagination },
    signal: AbortSignal | undefined,
  ): Promise<T[]> {
    const items: T[] = [];
    const seenCursors = new Set<string>();
    let continuation: string | undefined;
    for (;;) {
      const body = await requestJson(this.http, path, { continuation }, { signal });
      const page = parsePage(body, path);
      items.push(...page.items);
      const next = nextContinuation(page.pagination, path);
      if (next === null) return items;
      // A cursor seen before would loop forever; a provider bug, not something to wait out.
      if (seenCursors.has(next)) throw badResponse('eventbrite', path, 'pagination repeats a continuation');
      seenCursors.add(next);
      continuation = next;
    }
  }
}

function nextContinuation(pagination: Pagination, path: string): string | null {
  if (!hasMoreItems(pagination, path)) return null;
  const continuation = pagination.continuation?.trim();
  if (!continuation) {
    throw badResponse('eventbrite', path, 'pagination.continuation is missing although more pages follow');
  }
  return continuation;
}

/** `has_more_items` when the page says it; otherwise whether this page is before the last one. */
function hasMoreItems(pagination: Pagination, path: string): boolean {
  if (typeof pagination.has_more_items === 'boolean') return pagination.has_more_items;
  const { page_number: page, page_count: pages } = pagination;
  if (typeof page === 'number' && typeof pages === 'number') return page < pages;
  throw badResponse(
    'eventbrite',
    path,
    'pagination has neither has_more_items nor page_number and page_count',
  );
}

/** Eventbrite wants `YYYY-MM-DDTHH:MM:SSZ` (UTC, no milliseconds). Flooring to the second only widens "on or after". */
export function formatChangedSince(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) throw new RangeError(`changedSince is not a valid time: ${isoTime}`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function mapEvent(event: EventbriteEvent): ProviderEvent {
  return {
    providerEventId: event.id,
    name: firstText(event.name?.text) ?? 'Untitled event',
    startsAt: cleanText(event.start?.utc),
    endsAt: cleanText(event.end?.utc),
    timezone: cleanText(event.start?.timezone) ?? cleanText(event.end?.timezone),
    url: cleanText(event.url),
  };
}

export function mapAttendee(attendee: EventbriteAttendee): ProviderAttendee {
  const { profile } = attendee;
  const firstName = cleanText(profile.first_name);
  const lastName = cleanText(profile.last_name);
  const providerStatus = cleanText(attendee.status);
  const answers = readEventbriteAnswers(attendee.answers);
  return {
    providerAttendeeId: attendee.id,
    firstName,
    lastName,
    fullName: firstText(profile.name) ?? joinName(firstName, lastName) ?? '',
    email: cleanText(profile.email),
    // The profile first (Eventbrite's own fields), then a custom question that asks for them.
    company: cleanText(profile.company) ?? companyFromAnswers(answers),
    jobTitle: cleanText(profile.job_title) ?? jobTitleFromAnswers(answers),
    ticketName: cleanText(attendee.ticket_class_name),
    orderId: cleanText(attendee.order_id),
    barcode: cleanText(attendee.barcodes?.[0]?.barcode),
    status: attendeeStatus(attendee, providerStatus),
    providerStatus,
    providerCheckedIn: attendee.checked_in ?? false,
    registeredAt: cleanText(attendee.created),
    providerUpdatedAt: cleanText(attendee.changed),
    ...(answers.length > 0 ? { answers } : {}),
  };
}

function attendeeStatus(attendee: EventbriteAttendee, providerStatus: string | null): AttendeeStatus {
  if (attendee.cancelled || attendee.refunded) return 'NOT_ATTENDING';
  if (providerStatus !== null && NOT_ATTENDING_STATUSES.has(providerStatus.toLowerCase()))
    return 'NOT_ATTENDING';
  return 'ATTENDING';
}
