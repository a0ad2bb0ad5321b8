// Luma's HTTP surface: the route table of both families, error bodies, the update-guest-status
// body, and the record, list entry and page envelopes the route handlers of LumaSim answer with.
import { z } from 'zod';
import {
  LUMA_APPROVAL_STATUSES,
  type LumaEvent,
  type LumaGuest,
  type LumaRouteFamily,
} from './luma-records.ts';
import { withoutKeys } from './objects.ts';
import { resolvePerson } from './people.ts';
import { Roster, pageListing } from './roster.ts';
import type { ApiRequest, ApiResponse } from './sim-api.ts';

export const MAX_PAGE_LIMIT = 100;

export const ERROR_MESSAGES: Record<number, string> = {
  400: 'Invalid request.',
  401: 'Invalid API key.',
  403: 'You do not have access to this resource. The Luma API requires Luma Plus.',
  404: 'Not found.',
  405: 'Method not allowed.',
  429: 'Too many requests. Please slow down.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
};

export type RouteName =
  'getSelf' | 'listEvents' | 'getEvent' | 'getGuests' | 'getGuest' | 'updateGuestStatus';

export interface Route {
  method: 'GET' | 'POST';
  name: RouteName;
  family: LumaRouteFamily;
}

export const ROUTES: Record<string, Route> = {
  'users/get-self': { method: 'GET', name: 'getSelf', family: 'current' },
  'calendars/events/list': { method: 'GET', name: 'listEvents', family: 'current' },
  'events/get': { method: 'GET', name: 'getEvent', family: 'current' },
  'events/guests/list': { method: 'GET', name: 'getGuests', family: 'current' },
  'events/guests/get': { method: 'GET', name: 'getGuest', family: 'current' },
  'user/get-self': { method: 'GET', name: 'getSelf', family: 'legacy' },
  'calendar/list-events': { method: 'GET', name: 'listEvents', family: 'legacy' },
  'event/get': { method: 'GET', name: 'getEvent', family: 'legacy' },
  'event/get-guests': { method: 'GET', name: 'getGuests', family: 'legacy' },
  'event/get-guest': { method: 'GET', name: 'getGuest', family: 'legacy' },
  'event/update-guest-status': { method: 'POST', name: 'updateGuestStatus', family: 'legacy' },
};

export const updateGuestStatusSchema = z.object({
  event_api_id: z.string(),
  guest: z.union([
    z.object({ type: z.literal('api_id'), api_id: z.string() }),
    z.object({ type: z.literal('email'), email: z.string() }),
  ]),
  status: z.enum(LUMA_APPROVAL_STATUSES),
});

export function lumaError(status: number, message: string): ApiResponse {
  return { status, body: { message } };
}

/** One page in Luma's envelope; the cursor is opaque and bound to this listing. */
export function pagedEntries<Row extends { readonly id: string }>(
  pageSize: number,
  repeatingCursor: boolean,
  request: ApiRequest,
  scope: string,
  roster: Roster<Row>,
  matches: ((row: Row) => boolean) | undefined,
  render: (row: Row) => Record<string, unknown>,
  isGuestListing: boolean,
): ApiResponse {
  const limitParam = request.query.get('pagination_limit');
  let limit = pageSize;
  if (limitParam !== null) {
    const requested = Number(limitParam);
    if (!Number.isInteger(requested) || requested < 1) {
      return lumaError(400, 'pagination_limit must be a positive integer.');
    }
    limit = Math.min(requested, MAX_PAGE_LIMIT);
  }
  const page = pageListing(roster, {
    scope,
    cursor: request.query.get('pagination_cursor') || null,
    limit,
    matches,
    repeatCursor: isGuestListing && repeatingCursor,
  });
  if (!page) return lumaError(400, 'Invalid pagination_cursor.');
  const entries = page.rows.map(render);
  const body: Record<string, unknown> = { entries, has_more: page.hasMore };
  if (page.nextCursor !== undefined) body.next_cursor = page.nextCursor;
  return {
    status: 200,
    body,
    withoutRequiredFields: () => ({
      entries: entries.map((entry) => withoutKeys(entry, ['id', 'api_id', 'guest', 'event'])),
    }),
  };
}

/**
 * One record as a family answers it: flat on the current routes; under `wrapper` on the older
 * ones, beside `olderExtras`. `required` are the fields the missing_fields fault strips.
 */
export function recordAnswer(
  family: LumaRouteFamily,
  wrapper: string,
  json: Record<string, unknown>,
  required: readonly string[],
  olderExtras: Record<string, unknown> = {},
): ApiResponse {
  if (family === 'current')
    return { status: 200, body: json, withoutRequiredFields: () => withoutKeys(json, required) };
  return {
    status: 200,
    body: { [wrapper]: json, ...olderExtras },
    withoutRequiredFields: () => ({ [wrapper]: withoutKeys(json, required) }),
  };
}

/** One list entry: the record itself on the current routes, `{api_id, <wrapper>: record}` on the older ones. */
export function listEntry(
  family: LumaRouteFamily,
  wrapper: string,
  id: string,
  json: Record<string, unknown>,
  olderExtras: Record<string, unknown> = {},
): Record<string, unknown> {
  return family === 'current' ? json : { api_id: id, [wrapper]: json, ...olderExtras };
}

export function findGuestByEmail(event: LumaEvent, email: string): LumaGuest | undefined {
  const wanted = email.toLowerCase();
  return event.attendees.all().find((guest) => resolvePerson(guest.person).email.toLowerCase() === wanted);
}

/**
 * The guests by registration time (a copy of the roster, sorted; stable, so guests who registered
 * in the same millisecond keep their order), an invitee who has not registered last either way.
 */
export function byRegistration(guests: Roster<LumaGuest>, newestFirst: boolean): Roster<LumaGuest> {
  const registered = guests.all().filter((g) => g.registeredMs !== null);
  registered.sort((a, b) =>
    newestFirst ? b.registeredMs! - a.registeredMs! : a.registeredMs! - b.registeredMs!,
  );
  const out = new Roster<LumaGuest>();
  for (const g of registered) out.add(g);
  for (const g of guests.all()) if (g.registeredMs === null) out.add(g);
  return out;
}
