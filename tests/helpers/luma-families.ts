// Luma's two route families (docs/PROVIDERS.md "Luma"), for tests that run every Luma case on both:
// the current routes (records with `id`, a guest's tickets in `event_tickets[]`) and the older
// ones (`api_id`, one `event_ticket`). The client speaks the current family first and falls back
// to the older one when an account answers 404 there.
export const LUMA_ROUTE_FAMILIES = ['current', 'legacy'] as const;
export type LumaRouteFamily = (typeof LUMA_ROUTE_FAMILIES)[number];

export type LumaRouteName = 'self' | 'events' | 'event' | 'guests';

export const LUMA_PATHS: Record<LumaRouteFamily, Record<LumaRouteName, string>> = {
  current: {
    self: '/users/get-self',
    events: '/calendars/events/list',
    event: '/events/get',
    guests: '/events/guests/list',
  },
  legacy: {
    self: '/user/get-self',
    events: '/calendar/list-events',
    event: '/event/get',
    guests: '/event/get-guests',
  },
};

/** The query parameter naming the event, per family and route. */
export const LUMA_EVENT_PARAM: Record<LumaRouteFamily, { event: string; guests: string }> = {
  current: { event: 'event_id', guests: 'event_id' },
  legacy: { event: 'api_id', guests: 'event_api_id' },
};

/** The family and route a request path names (after any /v1 or /public/v1 prefix), or null. */
export function lumaRouteOf(pathname: string): { family: LumaRouteFamily; name: LumaRouteName } | null {
  for (const family of LUMA_ROUTE_FAMILIES) {
    for (const [name, path] of Object.entries(LUMA_PATHS[family]) as [LumaRouteName, string][]) {
      if (pathname.endsWith(path)) return { family, name };
    }
  }
  return null;
}

/**
 * An older-family body in `family`'s shape: for the current family every `api_id` becomes `id`
 * and a guest's `event_ticket` becomes `event_tickets: [ticket]`. Older-family bodies are returned as they are.
 */
export function inLumaFamily(family: LumaRouteFamily, body: unknown): unknown {
  if (family === 'legacy') return body;
  if (Array.isArray(body)) return body.map((item) => inLumaFamily(family, item));
  if (typeof body !== 'object' || body === null) return body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'api_id') out.id = value;
    else if (key === 'event_ticket')
      out.event_tickets = value === null || value === undefined ? value : [inLumaFamily(family, value)];
    else out[key] = inLumaFamily(family, value);
  }
  return out;
}

const routeMissing = () =>
  new Response(JSON.stringify({ message: 'Not found.' }), {
    status: 404,
    headers: { 'content-type': 'application/json' },
  });

/**
 * A fake fetch as an account on `family` answers it: on the older family the current routes
 * are missing (404); on the current family, the who-am-I probe the client makes after a 404
 * elsewhere (to tell "no such route" from "no such event") answers a user. Everything else goes
 * to `inner`, which therefore sees only the requests a test's own routes answer.
 */
export function withLumaFamily(family: LumaRouteFamily, inner: typeof fetch): typeof fetch {
  let last: { name: LumaRouteName | null; status: number } | null = null;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const route = lumaRouteOf(url.pathname);
    if (family === 'legacy' && route?.family === 'current') {
      last = { name: route.name, status: 404 };
      return routeMissing();
    }
    const isProbe =
      family === 'current' &&
      route?.name === 'self' &&
      last !== null &&
      last.name !== 'self' &&
      last.status === 404;
    if (isProbe)
      return new Response(JSON.stringify({ id: 'usr-probe', email: 'probe@example.com' }), { status: 200 });
    const response = await inner(input, init);
    last = { name: route?.name ?? null, status: response.status };
    return response;
  };
}
