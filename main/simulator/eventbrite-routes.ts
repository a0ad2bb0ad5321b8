// Eventbrite's HTTP surface: the route table, error bodies, query parsing and the paged list
// envelope the route handlers of EventbriteSim answer with.
import type { EventbriteAttendee } from './eventbrite-records.ts';
import { withoutKeys } from './objects.ts';
import { pageListing, type Roster } from './roster.ts';
import type { ApiRequest, ApiResponse } from './sim-api.ts';

export type RouteName =
  'me' | 'organizations' | 'organizationEvents' | 'event' | 'attendees' | 'attendee' | 'orders';

export const ROUTES: { pattern: RegExp; name: RouteName }[] = [
  { pattern: /^\/v3\/users\/me\/$/, name: 'me' },
  { pattern: /^\/v3\/users\/me\/organizations\/$/, name: 'organizations' },
  { pattern: /^\/v3\/organizations\/([^/]+)\/events\/$/, name: 'organizationEvents' },
  { pattern: /^\/v3\/events\/([^/]+)\/$/, name: 'event' },
  { pattern: /^\/v3\/events\/([^/]+)\/attendees\/$/, name: 'attendees' },
  { pattern: /^\/v3\/events\/([^/]+)\/attendees\/([^/]+)\/$/, name: 'attendee' },
  { pattern: /^\/v3\/events\/([^/]+)\/orders\/$/, name: 'orders' },
];

export const ERROR_CODES: Record<number, { error: string; description: string }> = {
  400: { error: 'ARGUMENT_ERROR', description: 'There are errors with your arguments.' },
  401: { error: 'INVALID_AUTH', description: 'The OAuth token you provided was invalid.' },
  403: {
    error: 'NOT_AUTHORIZED',
    description: 'You do not have permission to access the resource you requested.',
  },
  404: { error: 'NOT_FOUND', description: 'The resource you requested does not exist.' },
  405: { error: 'METHOD_NOT_ALLOWED', description: 'This method is not allowed on this resource.' },
  429: { error: 'HIT_RATE_LIMIT', description: 'You have exceeded the rate limit. Please try again later.' },
  500: { error: 'INTERNAL_ERROR', description: 'An internal error occurred.' },
  502: { error: 'BAD_GATEWAY', description: 'The server received an invalid response from upstream.' },
  503: { error: 'SERVICE_UNAVAILABLE', description: 'The service is temporarily unavailable.' },
};

export const ATTENDEE_STATUS_FILTERS = ['attending', 'not_attending', 'unpaid'] as const;
export type AttendeeStatusFilter = (typeof ATTENDEE_STATUS_FILTERS)[number];

export function eventbriteError(status: number, error: string, description: string): ApiResponse {
  return { status, body: { status_code: status, error, error_description: description } };
}

/** A path parameter as text; a malformed escape cannot name anything, so it becomes ''. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

export function argumentError(detail: string): ApiResponse {
  return eventbriteError(400, 'ARGUMENT_ERROR', `There are errors with your arguments: ${detail}`);
}

/**
 * One page of a list in Eventbrite's envelope: `{<key>: [...], pagination: {...}}`. The
 * continuation carries the position to resume from and the next page number.
 */
export function pagedList<Row extends { readonly id: string }>(
  pageSize: number,
  repeatingCursor: boolean,
  request: ApiRequest,
  scope: string,
  key: string,
  roster: Roster<Row>,
  matches: ((row: Row) => boolean) | undefined,
  render: (row: Row) => unknown,
  requiredItemFields: readonly string[],
): ApiResponse {
  const page = pageListing(roster, {
    scope,
    cursor: request.query.get('continuation'),
    limit: pageSize,
    matches,
    // The events listing has its own guard in our client; the fault is for attendee paging.
    repeatCursor: key === 'attendees' && repeatingCursor,
  });
  if (!page) return argumentError('continuation - INVALID');
  const objectCount = roster.count(matches);
  const pagination: Record<string, unknown> = {
    object_count: objectCount,
    page_number: page.start.page,
    page_size: pageSize,
    page_count: Math.max(1, Math.ceil(objectCount / pageSize)),
    has_more_items: page.hasMore,
  };
  if (page.nextCursor !== undefined) pagination.continuation = page.nextCursor;
  const items = page.rows.map(render);
  return {
    status: 200,
    body: { pagination, [key]: items },
    withoutRequiredFields: () => ({ [key]: items.map((item) => withoutKeys(item, requiredItemFields)) }),
  };
}

export function attendeeStatusFilter(status: AttendeeStatusFilter): (a: EventbriteAttendee) => boolean {
  switch (status) {
    case 'attending':
      return (a) => !a.cancelled;
    case 'not_attending':
      return (a) => a.cancelled;
    case 'unpaid':
      // The simulator sells free or paid-up tickets only.
      return () => false;
  }
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/i;

/**
 * `changed_since` is a UTC ISO time. Date.parse alone would read a time without an offset as
 * local time and accept prose like "Nov 23", so only ISO is taken and a bare time means UTC.
 */
export function parseUtcIso(value: string): number | null {
  const match = ISO_TIME.exec(value);
  if (!match) return null;
  const ms = Date.parse(match[1] === undefined ? `${value}Z` : value);
  return Number.isNaN(ms) ? null : ms;
}

/** `Authorization: Bearer <token>` first, then the `token` query parameter. */
export function bearerToken(request: ApiRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match?.[1];
  }
  return request.query.get('token') ?? undefined;
}
