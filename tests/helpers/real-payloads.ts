// The real provider answers in tests/fixtures/real-payloads/ (SOURCES.md says where each comes
// from), served over HTTP from a local server on port 0 as the APIs would answer them, so the real
// clients read them through their real HTTP path. Where a recording is not a whole answer (a list
// without its page, one entry of a list), the envelope around it is ours and says so below.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../main/ground/clock.ts';
import { RateLimiter, createProviderClient, type ProviderClient } from '../../main/providers/index.ts';
import type { ProviderKind } from '../../shared/types.ts';

export const REAL_PAYLOADS = join(import.meta.dirname, '..', 'fixtures', 'real-payloads');

export function realPayload(file: string): unknown {
  return JSON.parse(readFileSync(join(REAL_PAYLOADS, file), 'utf8')) as unknown;
}

type Json = Record<string, unknown>;

/** Eventbrite's pagination example from its API basics ("Paginated Responses"), verbatim. */
export const EVENTBRITE_DOCS_PAGINATION = {
  object_count: 4,
  continuation: 'AEtFRyiWxkr0ZXyCJcnZ5U1-uSWXJ6vO0sxN06GbrDngaX5U5i8XYmEuZfmZZYB9Uq6bSizOLYoV',
  page_count: 2,
  page_size: 2,
  has_more_items: true,
  page_number: 1,
};

/** The provider event ids the recordings belong to. */
export const REAL_EVENTS = {
  mercury: '51660376577',
  ebReports: '54744465169',
  gbe: '1',
  sandbox2014: '10941031921',
  order2015: '14879788849',
  lumaCurrent: 'evt-ZWviVlhfy5Wstc9',
  lumaLegacy: 'evt-abc123',
  /** Guests made from Luma's published schema (schemaGuests), not a recording. */
  lumaSchema: 'evt-schema',
} as const;

type Schema = {
  type?: string;
  const?: string;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: string[];
};

/**
 * Guests as Luma's published OpenAPI allows them (luma/openapi-current-routes-200-schemas.json):
 * the sparsest one (every nullable field null, no ticket) and one answering every question type
 * the schema lists, twice: once with each answer null, once with a value of the type it declares.
 */
export function schemaGuests(): Json[] {
  const doc = realPayload('luma/openapi-current-routes-200-schemas.json') as {
    paths: Record<string, Schema>;
  };
  const entry = doc.paths['/v1/events/guests/list']!.properties!.entries!.items!;
  const nullable = (s: Schema) => s.anyOf?.some((a) => a.type === 'null') ?? false;
  const sparse: Json = {};
  for (const key of entry.required ?? []) {
    const s = entry.properties![key]!;
    if (nullable(s)) sparse[key] = null;
    else if (s.type === 'array') sparse[key] = [];
    else if (s.enum) sparse[key] = s.enum[0];
    else sparse[key] = `${key}-value`;
  }
  sparse.id = 'gst-sparse';
  sparse.user_email = 'sparse@example.com';
  const variants = entry.properties!.registration_answers!.anyOf!.find((a) => a.type === 'array')!.items!
    .anyOf!;
  const valueOf = (s: Schema | undefined): unknown => {
    const shape = s?.anyOf?.find((a) => a.type !== 'null') ?? s;
    if (shape?.anyOf) return valueOf(shape.anyOf[0]);
    switch (shape?.type) {
      case 'boolean':
        return true;
      case 'array':
        return ['First choice', 'Second choice'];
      case 'object':
        return { company: 'Schema Co', job_title: 'Schema Lead' };
      default:
        return 'An answer';
    }
  };
  const answers = (withValue: boolean) =>
    variants.flatMap((v) => {
      const type = v.properties!.question_type!;
      const types = type.const !== undefined ? [type.const] : type.anyOf!.map((t) => t.const!);
      return types.map((t, i) => {
        const value = withValue ? valueOf(v.properties!.value) : null;
        const extra =
          t === 'company' && withValue
            ? { answer: 'Schema Co', answer_company: 'Schema Co', answer_job_title: 'Schema Lead' }
            : {};
        return {
          label: `A ${t} question`,
          question_id: `q-${t}-${i}`,
          question_type: t,
          value,
          answer: value,
          ...extra,
        };
      });
    });
  return [
    sparse,
    { ...sparse, id: 'gst-nulls', user_name: 'Null Answers', registration_answers: answers(false) },
    { ...sparse, id: 'gst-values', user_name: 'Every Type', registration_answers: answers(true) },
  ];
}

export interface RealPayloadServer {
  baseUrl: Record<ProviderKind, string>;
  /** Every request the server answered, path and query. */
  requests: URL[];
  client(kind: ProviderKind): ProviderClient;
  close(): Promise<void>;
}

/**
 * A server that answers the recorded bodies. `lumaFamily` 'legacy' makes the Luma account answer
 * 404 on the current routes, as an account that knows only the older family does.
 */
export async function startRealPayloadServer(
  lumaFamily: 'current' | 'legacy' = 'current',
): Promise<RealPayloadServer> {
  const requests: URL[] = [];
  const ebReports = realPayload('eventbrite/attendees-list-eb-reports-2019.json') as Json[];
  const order = realPayload('eventbrite/order-expanded-attendees-whereisciao-2015.json') as Json;
  const lumaEvent = realPayload('luma/current-calendars-events-list-entry-astronomic-2026.json') as Json;
  const eventbrite: Record<string, (url: URL) => unknown> = {
    '/v3/users/me/': () => realPayload('eventbrite/users-me-whereisciao.json'),
    [`/v3/events/${REAL_EVENTS.mercury}/attendees/`]: () =>
      realPayload('eventbrite/attendees-page-evbeda-mercury-2018.json'),
    [`/v3/events/${REAL_EVENTS.gbe}/attendees/`]: () =>
      realPayload('eventbrite/attendees-page-gbe-edited-2021.json'),
    [`/v3/events/${REAL_EVENTS.sandbox2014}/attendees/`]: () =>
      realPayload('eventbrite/attendees-page-whereisciao-2014.json'),
    // The recording is an order with its attendees: its attendees as one page of the listing,
    // under the older header (no has_more_items).
    [`/v3/events/${REAL_EVENTS.order2015}/attendees/`]: () => ({
      attendees: order.attendees,
      pagination: { object_count: 1, page_number: 1, page_size: 50, page_count: 1 },
    }),
    // The recording is the attendees array only: two of them under the documented example
    // header, then the other three on a last page whose header is the older one.
    [`/v3/events/${REAL_EVENTS.ebReports}/attendees/`]: (url) =>
      url.searchParams.get('continuation') === EVENTBRITE_DOCS_PAGINATION.continuation
        ? { attendees: ebReports.slice(2), pagination: { page_number: 2, page_size: 2, page_count: 2 } }
        : { attendees: ebReports.slice(0, 2), pagination: EVENTBRITE_DOCS_PAGINATION },
  };
  const luma: Record<string, (url: URL) => unknown> = {
    '/v1/events/guests/list': (url) => ({
      entries:
        url.searchParams.get('event_id') === REAL_EVENTS.lumaSchema
          ? schemaGuests()
          : [realPayload('luma/current-events-guests-list-entry-astronomic-2026.json')],
      has_more: false,
    }),
    '/v1/calendars/events/list': () => ({ entries: [lumaEvent], has_more: false }),
    '/v1/events/get': () => lumaEvent,
    // The recording's page says more follow (next_cursor "gst-abc123"): the page after it is ours, empty.
    '/v1/event/get-guests': (url) =>
      url.searchParams.get('pagination_cursor') === 'gst-abc123'
        ? { entries: [], has_more: false }
        : realPayload('luma/legacy-get-guests-page-lu-ma-dotnet-2024.json'),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const isLuma = url.pathname.startsWith('/v1/');
    const currentLumaRoute = isLuma && /^\/v1\/(users|calendars|events)\//.test(url.pathname);
    const route =
      isLuma && lumaFamily === 'legacy' && currentLumaRoute
        ? undefined
        : (isLuma ? luma : eventbrite)[url.pathname];
    const body = route?.(url);
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { message: 'Not found.' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = { eventbrite: `${origin}/v3`, luma: origin };
  const clock = new VirtualClock();
  return {
    baseUrl,
    requests,
    client: (kind) =>
      createProviderClient(kind, {
        baseUrl: baseUrl[kind],
        credential: 'recorded-payloads',
        clock,
        limiter: new RateLimiter({ windows: [{ limit: 1000, windowMs: 1000 }] }, clock),
      }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
