// Mapping and pagination of the Eventbrite and Luma clients, against an injected fetch.
// Error classification and retries are in providers-errors.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../main/ground/clock.ts';
import {
  DEFAULT_BASE_URLS,
  ProviderError,
  RateLimiter,
  cleanText,
  createProviderClient,
  lumaPathPrefix,
  resolveBaseUrl,
  type ProviderAttendee,
  type ProviderClient,
} from '../../main/providers/index.ts';
import type { ProviderKind } from '../../shared/types.ts';
import {
  LUMA_EVENT_PARAM,
  LUMA_PATHS,
  LUMA_ROUTE_FAMILIES,
  inLumaFamily,
  lumaRouteOf,
  withLumaFamily,
  type LumaRouteFamily,
} from '../helpers/luma-families.ts';

const CREDENTIAL = 'tok_SECRET_0123456789';

interface SeenRequest {
  url: URL;
  headers: Headers;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A client whose fetch is `route`; every request is recorded. */
function clientWith(
  kind: ProviderKind,
  route: (url: URL) => Response | Promise<Response>,
  baseUrl = DEFAULT_BASE_URLS[kind],
  lumaFamily: LumaRouteFamily | null = null,
): { client: ProviderClient; requests: SeenRequest[] } {
  const clock = new VirtualClock();
  const requests: SeenRequest[] = [];
  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push({ url, headers: new Headers(init?.headers) });
    return route(url);
  };
  const limiter = new RateLimiter({ windows: [{ limit: 1000, windowMs: 1000 }] }, clock);
  // With a family, the Luma account answers on that route family and `route` sees only its routes.
  const familyFetch = lumaFamily === null ? fakeFetch : withLumaFamily(lumaFamily, fakeFetch);
  const client = createProviderClient(kind, {
    baseUrl,
    credential: CREDENTIAL,
    clock,
    limiter,
    fetch: familyFetch,
  });
  return { client, requests };
}

/** Pages through every attendee the way the sync engine does. */
async function allAttendees(
  client: ProviderClient,
  eventId: string,
): Promise<{ attendees: ProviderAttendee[]; pages: number }> {
  const attendees: ProviderAttendee[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await client.pageAttendees(eventId, cursor);
    attendees.push(...page.attendees);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);
  return { attendees, pages };
}

// ---------------------------------------------------------------- Eventbrite

const ebPagination = (hasMore: boolean, continuation?: string, objectCount = 0) => ({
  object_count: objectCount,
  page_number: 1,
  page_size: 50,
  page_count: 1,
  has_more_items: hasMore,
  ...(continuation === undefined ? {} : { continuation }),
});

function ebAttendee(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    created: '2026-10-01T10:00:00Z',
    changed: '2026-10-02T10:00:00Z',
    ticket_class_id: 'tc1',
    ticket_class_name: 'General Admission',
    event_id: 'E1',
    order_id: 'O1',
    quantity: 1,
    status: 'Attending',
    checked_in: false,
    cancelled: false,
    refunded: false,
    profile: { name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' },
    barcodes: [{ barcode: `BC-${id}`, status: 'unused', checkin_type: 0 }],
    answers: [],
    ...overrides,
  };
}

test('Eventbrite whoAmI sends the bearer token in a header and prefers the primary email', async () => {
  const { client, requests } = clientWith('eventbrite', () =>
    json({
      id: 1234,
      name: 'Grace Hopper',
      emails: [
        { email: 'old@example.com', verified: true, primary: false },
        { email: 'grace@example.com', verified: true, primary: true },
      ],
      image_id: null,
    }),
  );
  assert.deepEqual(await client.whoAmI(), {
    accountId: '1234',
    email: 'grace@example.com',
    name: 'Grace Hopper',
  });
  assert.equal(requests[0]?.url.href, 'https://www.eventbriteapi.com/v3/users/me/');
  assert.equal(requests[0]?.headers.get('authorization'), `Bearer ${CREDENTIAL}`);
  assert.ok(!requests[0]?.url.href.includes(CREDENTIAL), 'the token never travels in the URL');
});

test('Eventbrite whoAmI without a primary email takes the first', async () => {
  const { client } = clientWith('eventbrite', () =>
    json({
      id: '9',
      name: '',
      first_name: 'Al',
      last_name: 'Ko',
      emails: [{ email: 'first@example.com' }, { email: 'b@example.com' }],
    }),
  );
  assert.deepEqual(await client.whoAmI(), { accountId: '9', email: 'first@example.com', name: 'Al Ko' });
});

test('Eventbrite listEvents walks every readable organization and every page of its events', async () => {
  const { client, requests } = clientWith('eventbrite', (url) => {
    const continuation = url.searchParams.get('continuation');
    switch (url.pathname) {
      case '/v3/users/me/organizations/':
        return continuation === null
          ? json({ organizations: [{ id: 'org1', name: 'One' }], pagination: ebPagination(true, 'orgs-2') })
          : json({
              organizations: [
                { id: 'org2', name: 'Two' },
                { id: 'org3', name: 'No rights' },
              ],
              pagination: ebPagination(false),
            });
      case '/v3/organizations/org3/events/':
        // The user is a member without event rights here: the other organizations still count.
        return json({ status_code: 403, error: 'NOT_AUTHORIZED', error_description: 'No access.' }, 403);
      case '/v3/organizations/org1/events/':
        return continuation === null
          ? json({
              events: [
                {
                  id: 'E1',
                  name: { text: '  Launch <b>Night</b> ', html: 'Launch <b>Night</b>' },
                  start: {
                    timezone: 'Europe/Paris',
                    local: '2026-11-23T19:00:00',
                    utc: '2026-11-23T18:00:00Z',
                  },
                  end: {
                    timezone: 'Europe/Paris',
                    local: '2026-11-23T23:00:00',
                    utc: '2026-11-23T22:00:00Z',
                  },
                  url: 'https://www.eventbrite.com/e/launch-1',
                  status: 'live',
                  capacity: 200,
                },
              ],
              pagination: ebPagination(true, 'ev-2'),
            })
          : json({
              events: [{ id: 'E2', name: { text: 'Day Two' }, status: 'draft' }],
              pagination: ebPagination(false),
            });
      case '/v3/organizations/org2/events/':
        // E1 again: an event shared by two organizations is listed once.
        return json({
          events: [
            { id: 'E1', name: { text: 'Launch Night' } },
            { id: 'E3', name: null },
          ],
          pagination: ebPagination(false),
        });
      default:
        return json({ error: 'NOT_FOUND' }, 404);
    }
  });
  const events = await client.listEvents();
  assert.deepEqual(
    events.map((event) => event.providerEventId),
    ['E1', 'E2', 'E3'],
  );
  assert.deepEqual(
    events.find((event) => event.providerEventId === 'E2'),
    {
      providerEventId: 'E2',
      name: 'Day Two',
      startsAt: null,
      endsAt: null,
      timezone: null,
      url: null,
    },
  );
  assert.equal(events.find((event) => event.providerEventId === 'E3')?.name, 'Untitled event');
  assert.equal(requests.length, 6);
  assert.equal(requests[1]?.url.searchParams.get('continuation'), 'orgs-2');
});

test('Eventbrite getEvent maps the event', async () => {
  const { client, requests } = clientWith('eventbrite', () =>
    json({
      id: 'E1',
      name: { text: 'Launch <b>Night</b>' },
      start: { timezone: 'Europe/Paris', utc: '2026-11-23T18:00:00Z' },
      end: { timezone: 'Europe/Paris', utc: '2026-11-23T22:00:00Z' },
      url: 'https://www.eventbrite.com/e/launch-1',
    }),
  );
  assert.deepEqual(await client.getEvent('E1'), {
    providerEventId: 'E1',
    name: 'Launch <b>Night</b>',
    startsAt: '2026-11-23T18:00:00Z',
    endsAt: '2026-11-23T22:00:00Z',
    timezone: 'Europe/Paris',
    url: 'https://www.eventbrite.com/e/launch-1',
  });
  assert.equal(requests[0]?.url.pathname, '/v3/events/E1/');
});

test('Eventbrite attendees: one row per ticket, buyer-only profiles shared by an order, status rules', async () => {
  const buyer = {
    name: 'Buyer Person',
    first_name: 'Buyer',
    last_name: 'Person',
    email: 'buyer@example.com',
    company: 'Acme',
    job_title: 'CTO',
  };
  const { client } = clientWith('eventbrite', () =>
    json({
      attendees: [
        // One order of three tickets, details collected from the buyer only.
        ebAttendee('A1', {
          order_id: 'O7',
          profile: buyer,
          ticket_class_name: 'VIP',
          barcodes: [{ barcode: 'B-1' }],
        }),
        ebAttendee('A2', {
          order_id: 'O7',
          profile: buyer,
          ticket_class_name: 'General',
          barcodes: [{ barcode: 'B-2' }],
        }),
        ebAttendee('A3', {
          order_id: 'O7',
          profile: buyer,
          ticket_class_name: 'General',
          barcodes: [{ barcode: 'B-3' }],
          checked_in: true,
          status: 'Checked In',
        }),
        ebAttendee('A4', { cancelled: true }),
        ebAttendee('A5', { refunded: true }),
        ebAttendee('A6', { status: 'Not Attending' }),
        ebAttendee('A7', { status: 'Deleted' }),
        ebAttendee('A8', {
          profile: { first_name: 'Only', last_name: 'Parts' },
          barcodes: [],
          order_id: 555,
        }),
      ],
      pagination: ebPagination(false, undefined, 8),
    }),
  );
  const page = await client.pageAttendees('E1', null);
  assert.equal(page.totalCount, 8);
  assert.equal(page.nextCursor, null);
  assert.equal(page.attendees.length, 8);
  assert.deepEqual(page.attendees[0], {
    providerAttendeeId: 'A1',
    firstName: 'Buyer',
    lastName: 'Person',
    fullName: 'Buyer Person',
    email: 'buyer@example.com',
    company: 'Acme',
    jobTitle: 'CTO',
    ticketName: 'VIP',
    orderId: 'O7',
    barcode: 'B-1',
    status: 'ATTENDING',
    providerStatus: 'Attending',
    providerCheckedIn: false,
    registeredAt: '2026-10-01T10:00:00Z',
    providerUpdatedAt: '2026-10-02T10:00:00Z',
  });
  const order = page.attendees.filter((attendee) => attendee.orderId === 'O7');
  assert.deepEqual(
    order.map((a) => [a.providerAttendeeId, a.fullName, a.ticketName, a.barcode]),
    [
      ['A1', 'Buyer Person', 'VIP', 'B-1'],
      ['A2', 'Buyer Person', 'General', 'B-2'],
      ['A3', 'Buyer Person', 'General', 'B-3'],
    ],
  );
  assert.equal(page.attendees[2]?.providerCheckedIn, true);
  assert.equal(page.attendees[2]?.status, 'ATTENDING', 'checked in is still attending');
  assert.deepEqual(
    page.attendees.slice(3, 7).map((a) => a.status),
    ['NOT_ATTENDING', 'NOT_ATTENDING', 'NOT_ATTENDING', 'NOT_ATTENDING'],
  );
  const partsOnly = page.attendees[7];
  assert.equal(partsOnly?.fullName, 'Only Parts');
  assert.equal(partsOnly?.email, null);
  assert.equal(partsOnly?.barcode, null);
  assert.equal(partsOnly?.orderId, '555');
});

test('Eventbrite attendees: pages to the end via continuation, page sizes varying, changed_since formatted', async () => {
  const pageSizes = [50, 13, 1];
  let served = 0;
  const { client, requests } = clientWith('eventbrite', (url) => {
    const pageIndex =
      url.searchParams.get('continuation') === null
        ? 0
        : Number(url.searchParams.get('continuation')?.slice(5));
    const size = pageSizes[pageIndex] ?? 0;
    const attendees = Array.from({ length: size }, () => ebAttendee(`A${++served}`));
    const hasMore = pageIndex < pageSizes.length - 1;
    return json({
      attendees,
      pagination: ebPagination(hasMore, hasMore ? `cont-${pageIndex + 1}` : undefined, 64),
    });
  });
  const attendees: ProviderAttendee[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.pageAttendees('E1', cursor, { changedSince: '2026-11-23T08:15:30.123Z' });
    assert.equal(page.totalCount, 64);
    attendees.push(...page.attendees);
    cursor = page.nextCursor;
  } while (cursor !== null);
  assert.equal(attendees.length, 64);
  assert.equal(new Set(attendees.map((a) => a.providerAttendeeId)).size, 64);
  assert.deepEqual(
    requests.map((r) => [
      r.url.pathname,
      r.url.searchParams.get('continuation'),
      r.url.searchParams.get('changed_since'),
    ]),
    [
      ['/v3/events/E1/attendees/', null, '2026-11-23T08:15:30Z'],
      ['/v3/events/E1/attendees/', 'cont-1', '2026-11-23T08:15:30Z'],
      ['/v3/events/E1/attendees/', 'cont-2', '2026-11-23T08:15:30Z'],
    ],
  );
  assert.equal(client.supportsChangedSince, true);
});

test('Eventbrite: has_more_items without a continuation is a bad response, not an endless loop', async () => {
  const { client } = clientWith('eventbrite', () =>
    json({ attendees: [ebAttendee('A1')], pagination: ebPagination(true) }),
  );
  await assert.rejects(client.pageAttendees('E1', null), (err: unknown) => {
    assert.ok(err instanceof ProviderError);
    assert.equal(err.kind, 'bad_response');
    assert.match(err.message, /continuation/);
    return true;
  });
});

test('Eventbrite: a list whose continuation repeats is refused instead of looping forever', async () => {
  const { client } = clientWith('eventbrite', () =>
    json({ organizations: [{ id: 'o' }], pagination: ebPagination(true, 'same') }),
  );
  await assert.rejects(client.listEvents(), { name: 'ProviderError', kind: 'bad_response' });
});

// ---------------------------------------------------------------- Luma

function lumaGuest(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    api_id: id,
    name: 'Katherine Johnson',
    email: 'kj@example.com',
    user_name: 'Katherine J.',
    user_first_name: 'Katherine',
    user_last_name: 'Johnson',
    user_email: 'kj-user@example.com',
    approval_status: 'approved',
    registered_at: '2026-10-05T09:00:00.000Z',
    invited_at: null,
    checked_in_at: null,
    updated_at: '2026-10-06T09:00:00.000Z',
    check_in_qr_code: `https://lu.ma/check-in/${id}`,
    event_ticket: { api_id: 'tkt-1', name: 'Standard', checked_in_at: null },
    registration_answers: [],
    ...overrides,
  };
}

test('Luma path prefix follows the base URL (new, older and already-prefixed forms)', () => {
  assert.equal(lumaPathPrefix('https://public-api.luma.com'), '/v1');
  assert.equal(lumaPathPrefix('https://public-api.luma.com/'), '/v1');
  assert.equal(lumaPathPrefix('https://public-api.luma.com/v1'), '');
  assert.equal(lumaPathPrefix('https://api.lu.ma'), '/public/v1');
  assert.equal(lumaPathPrefix('https://api.lu.ma/public'), '/v1');
  assert.equal(lumaPathPrefix('https://api.lu.ma/public/v1/'), '');
  assert.equal(lumaPathPrefix('http://127.0.0.1:4100/luma'), '/v1');
  assert.equal(lumaPathPrefix('http://127.0.0.1:4100/luma/public'), '/v1');
});

for (const family of LUMA_ROUTE_FAMILIES) {
  const answer = (body: unknown) => json(inLumaFamily(family, body));

  test(`Luma (${family} routes) whoAmI sends the key header, accepts the user wrapped or flat, and uses the older base`, async () => {
    const wrapped = clientWith(
      'luma',
      () => answer({ user: { api_id: 'usr-1', name: 'Mary', email: 'mary@example.com' } }),
      undefined,
      family,
    );
    assert.deepEqual(await wrapped.client.whoAmI(), {
      accountId: 'usr-1',
      email: 'mary@example.com',
      name: 'Mary',
    });
    assert.equal(wrapped.requests[0]?.url.href, `https://public-api.luma.com/v1${LUMA_PATHS[family].self}`);
    assert.equal(wrapped.requests[0]?.headers.get('x-luma-api-key'), CREDENTIAL);
    assert.equal(wrapped.requests[0]?.headers.get('authorization'), null);

    const flat = clientWith(
      'luma',
      () => answer({ api_id: 'usr-2', first_name: 'Dot', last_name: 'Vaughan', email: 'dot@example.com' }),
      'https://api.lu.ma',
      family,
    );
    assert.deepEqual(await flat.client.whoAmI(), {
      accountId: 'usr-2',
      email: 'dot@example.com',
      name: 'Dot Vaughan',
    });
    assert.equal(flat.requests[0]?.url.href, `https://api.lu.ma/public/v1${LUMA_PATHS[family].self}`);
  });

  test(`Luma (${family} routes) listEvents pages through the calendar; getEvent reads wrapped or flat`, async () => {
    const { client, requests } = clientWith(
      'luma',
      (url) => {
        const route = lumaRouteOf(url.pathname);
        assert.equal(route?.family, family);
        if (route?.name === 'event') {
          return url.searchParams.get(LUMA_EVENT_PARAM[family].event) === 'evt-1'
            ? answer({
                event: {
                  api_id: 'evt-1',
                  name: 'Meetup',
                  start_at: '2026-11-23T18:00:00.000Z',
                  end_at: null,
                  timezone: 'Europe/Berlin',
                  url: 'https://lu.ma/meetup',
                },
                hosts: [],
              })
            : answer({ api_id: 'evt-2', name: 'Flat' });
        }
        assert.equal(route?.name, 'events');
        return url.searchParams.get('pagination_cursor') === null
          ? answer({
              entries: [{ api_id: 'evt-1', event: { api_id: 'evt-1', name: 'Meetup' } }],
              has_more: true,
              next_cursor: 'c2',
            })
          : answer({
              entries: [{ api_id: 'evt-2', event: { name: 'Second', start_at: '2026-12-01T18:00:00.000Z' } }],
              has_more: false,
              next_cursor: null,
            });
      },
      undefined,
      family,
    );
    const events = await client.listEvents();
    assert.deepEqual(
      events.map((e) => [e.providerEventId, e.name, e.startsAt]),
      [
        ['evt-1', 'Meetup', null],
        ['evt-2', 'Second', '2026-12-01T18:00:00.000Z'],
      ],
    );
    assert.equal(requests[1]?.url.searchParams.get('pagination_cursor'), 'c2');
    assert.deepEqual(await client.getEvent('evt-1'), {
      providerEventId: 'evt-1',
      name: 'Meetup',
      startsAt: '2026-11-23T18:00:00.000Z',
      endsAt: null,
      timezone: 'Europe/Berlin',
      url: 'https://lu.ma/meetup',
    });
    assert.equal((await client.getEvent('evt-2')).name, 'Flat');
  });

  test(`Luma (${family} routes) guests: nested and flat entries, answers of every type, name and email fallbacks`, async () => {
    const { client, requests } = clientWith(
      'luma',
      () =>
        answer({
          entries: [
            {
              api_id: 'gst-1',
              guest: lumaGuest('gst-1', {
                registration_answers: [
                  { label: 'Company', answer: 'Initech', question_type: 'company' },
                  { label: 'Job title', answer: 'Engineer' },
                ],
              }),
            },
            // Flat entry; answers as boolean and number; labels in other words and cases.
            lumaGuest('gst-2', {
              name: null,
              registration_answers: [
                { label: 'ORGANISATION', answer: 42 },
                { label: 'Role:', answer: true },
                { label: 'Dietary needs', answer: ['vegan', 'nut-free'] },
              ],
              event_ticket: { name: 'VIP', checked_in_at: '2026-11-23T18:05:00.000Z' },
            }),
            // Wrapper carries the id; the guest object does not.
            {
              api_id: 'gst-3',
              guest: lumaGuest('x', {
                api_id: undefined,
                name: '',
                user_name: null,
                email: null,
                check_in_qr_code: null,
                event_ticket: null,
                updated_at: undefined,
              }),
            },
          ],
          has_more: false,
          next_cursor: null,
        }),
      undefined,
      family,
    );
    const page = await client.pageAttendees('evt-1', null, { changedSince: '2026-11-23T08:00:00Z' });
    assert.equal(page.totalCount, null);
    assert.equal(page.nextCursor, null);
    assert.deepEqual(page.attendees[0], {
      providerAttendeeId: 'gst-1',
      firstName: 'Katherine',
      lastName: 'Johnson',
      fullName: 'Katherine Johnson',
      email: 'kj@example.com',
      company: 'Initech',
      jobTitle: 'Engineer',
      ticketName: 'Standard',
      otherTicketNames: [],
      orderId: null,
      barcode: 'https://lu.ma/check-in/gst-1',
      status: 'ATTENDING',
      providerStatus: 'approved',
      providerCheckedIn: false,
      registeredAt: '2026-10-05T09:00:00.000Z',
      providerUpdatedAt: '2026-10-06T09:00:00.000Z',
      answers: [
        { questionId: null, label: 'Company', type: 'company', text: 'Initech' },
        { questionId: null, label: 'Job title', type: null, text: 'Engineer' },
      ],
    });
    const second = page.attendees[1];
    assert.equal(second?.providerAttendeeId, 'gst-2');
    assert.equal(second?.fullName, 'Katherine J.', 'user_name when name is missing');
    assert.equal(second?.company, '42');
    assert.equal(second?.jobTitle, 'Yes', 'a check box answer reads Yes or No');
    assert.equal(second?.answers?.[2]?.text, 'vegan, nut-free');
    assert.equal(second?.ticketName, 'VIP');
    assert.equal(second?.providerCheckedIn, true);
    const third = page.attendees[2];
    assert.equal(third?.providerAttendeeId, 'gst-3');
    assert.equal(third?.fullName, 'Katherine Johnson', 'first + last when both names are missing');
    assert.equal(third?.email, 'kj-user@example.com', 'user_email when email is missing');
    assert.equal(third?.barcode, null);
    assert.equal(third?.ticketName, null);
    assert.equal(third?.providerUpdatedAt, null);
    assert.equal(third?.company, null);

    const query = requests[0]?.url.searchParams;
    assert.equal(requests[0]?.url.pathname, `/v1${LUMA_PATHS[family].guests}`);
    assert.equal(query?.get(LUMA_EVENT_PARAM[family].guests), 'evt-1');
    assert.equal(query?.get('pagination_limit'), '100');
    assert.equal(query?.has('pagination_cursor'), false);
    assert.equal(query?.has('changed_since'), false, 'Luma has no changed-since filter');
    assert.equal(client.supportsChangedSince, false);
  });

  test(`Luma (${family} routes) guests: every approval status maps to our rule; an unknown one is not-yet-attending`, async () => {
    const statuses = [
      'approved',
      'session',
      'declined',
      'pending_approval',
      'invited',
      'waitlist',
      'brand_new_status',
      null,
    ];
    const { client } = clientWith(
      'luma',
      () =>
        answer({
          entries: statuses.map((status, i) => ({
            api_id: `g${i}`,
            guest: lumaGuest(`g${i}`, { approval_status: status }),
          })),
          has_more: false,
        }),
      undefined,
      family,
    );
    const page = await client.pageAttendees('evt-1', null);
    assert.deepEqual(
      page.attendees.map((a) => [a.providerStatus, a.status]),
      [
        ['approved', 'ATTENDING'],
        ['session', 'ATTENDING'],
        ['declined', 'NOT_ATTENDING'],
        ['pending_approval', 'NOT_YET_ATTENDING'],
        ['invited', 'NOT_YET_ATTENDING'],
        ['waitlist', 'NOT_YET_ATTENDING'],
        ['brand_new_status', 'NOT_YET_ATTENDING'],
        [null, 'NOT_YET_ATTENDING'],
      ],
    );
  });

  test(`Luma (${family} routes) guests: pages to the end with next_cursor`, async () => {
    const { client, requests } = clientWith(
      'luma',
      (url) => {
        const cursor = url.searchParams.get('pagination_cursor');
        const pageIndex = cursor === null ? 0 : Number(cursor.slice(1));
        const sizes = [100, 100, 7];
        const entries = Array.from({ length: sizes[pageIndex] ?? 0 }, (_, i) => {
          const id = `gst-${pageIndex}-${i}`;
          return { api_id: id, guest: lumaGuest(id) };
        });
        const hasMore = pageIndex < sizes.length - 1;
        return answer({ entries, has_more: hasMore, next_cursor: hasMore ? `p${pageIndex + 1}` : null });
      },
      undefined,
      family,
    );
    const { attendees, pages } = await allAttendees(client, 'evt-1');
    assert.equal(pages, 3);
    assert.equal(attendees.length, 207);
    assert.deepEqual(
      requests.map((r) => r.url.searchParams.get('pagination_cursor')),
      [null, 'p1', 'p2'],
    );
  });

  test(`Luma (${family} routes): has_more without next_cursor is a bad response`, async () => {
    const { client } = clientWith('luma', () => answer({ entries: [], has_more: true }), undefined, family);
    await assert.rejects(client.pageAttendees('evt-1', null), {
      name: 'ProviderError',
      kind: 'bad_response',
    });
  });
}

test('Luma (current routes): a guest with several tickets is one row; the first ticket names it, the others are kept', async () => {
  const { client } = clientWith('luma', () =>
    json({
      entries: [
        lumaGuest('gst-1', {
          api_id: undefined,
          id: 'gst-1',
          event_ticket: undefined,
          event_tickets: [
            { id: 'tkt-1', name: 'VIP', checked_in_at: null },
            { id: 'tkt-2', name: 'Workshop A', checked_in_at: '2026-11-23T18:05:00.000Z' },
            { id: 'tkt-3', name: '  ', checked_in_at: null },
            { id: 'tkt-4', name: 'Dinner', checked_in_at: null },
          ],
        }),
        lumaGuest('gst-2', { api_id: undefined, id: 'gst-2', event_ticket: undefined, event_tickets: [] }),
      ],
      has_more: false,
    }),
  );
  const [several, none] = (await client.pageAttendees('evt-1', null)).attendees;
  assert.equal(several?.providerAttendeeId, 'gst-1');
  assert.equal(several?.ticketName, 'VIP');
  assert.deepEqual(several?.otherTicketNames, ['Workshop A', 'Dinner'], 'nameless tickets are left out');
  assert.equal(several?.providerCheckedIn, true, 'a checked-in ticket counts');
  assert.deepEqual([none?.ticketName, none?.otherTicketNames], [null, []]);
});

test('Luma: an account without the current routes falls back to the older ones, once per client', async () => {
  for (const baseUrl of ['https://public-api.luma.com', 'https://api.lu.ma']) {
    const prefix = baseUrl === 'https://api.lu.ma' ? '/public/v1' : '/v1';
    const paths: string[] = [];
    const { client } = clientWith(
      'luma',
      (url) => {
        paths.push(url.pathname);
        const route = lumaRouteOf(url.pathname);
        if (route?.family === 'current') return json({ message: 'Not found.' }, 404);
        if (route?.name === 'self') return json({ user: { api_id: 'usr-1', email: 'old@example.com' } });
        return json({ entries: [{ api_id: 'gst-1', guest: lumaGuest('gst-1') }], has_more: false });
      },
      baseUrl,
    );
    const first = await client.pageAttendees('evt-1', null);
    assert.equal(first.attendees[0]?.providerAttendeeId, 'gst-1');
    assert.deepEqual(
      paths,
      [`${prefix}/events/guests/list`, `${prefix}/users/get-self`, `${prefix}/event/get-guests`],
      'the current who-am-I confirms the routes are missing',
    );
    paths.length = 0;
    await client.pageAttendees('evt-1', null);
    assert.equal((await client.whoAmI()).accountId, 'usr-1');
    assert.deepEqual(
      paths,
      [`${prefix}/event/get-guests`, `${prefix}/user/get-self`],
      'the choice is remembered',
    );
  }

  const paths: string[] = [];
  const { client } = clientWith('luma', (url) => {
    paths.push(url.pathname);
    return json({ message: 'Not found.' }, 404);
  });
  await assert.rejects(client.getEvent('evt-gone'), { name: 'ProviderError', kind: 'not_found' });
  await assert.rejects(client.getEvent('evt-gone'), { name: 'ProviderError', kind: 'not_found' });
  assert.deepEqual(
    paths,
    ['/v1/events/get', '/v1/users/get-self', '/v1/event/get', '/v1/event/get'],
    'an unknown event on the older routes still settles the family',
  );
});

test('Luma: a 404 for an unknown event on the current routes is not found, and the client stays on them', async () => {
  const paths: string[] = [];
  const { client } = clientWith('luma', (url) => {
    paths.push(url.pathname);
    const route = lumaRouteOf(url.pathname);
    if (route?.name === 'self') return json({ id: 'usr-1', email: 'new@example.com' });
    if (url.searchParams.get('event_id') === 'evt-gone') return json({ message: 'Event not found.' }, 404);
    return json({ entries: [], has_more: false });
  });
  await assert.rejects(client.pageAttendees('evt-gone', null), { name: 'ProviderError', kind: 'not_found' });
  assert.deepEqual(paths, ['/v1/events/guests/list', '/v1/users/get-self']);
  paths.length = 0;
  await assert.rejects(client.pageAttendees('evt-gone', null), { name: 'ProviderError', kind: 'not_found' });
  await client.pageAttendees('evt-1', null);
  assert.deepEqual(
    paths,
    ['/v1/events/guests/list', '/v1/events/guests/list'],
    'no second probe, never the older routes',
  );
});

// ---------------------------------------------------------------- shared rules

test('provider strings are kept as text: HTML literal, controls dropped, trimmed, capped', async () => {
  const huge = 'x'.repeat(5000);
  const { client } = clientWith('eventbrite', () =>
    json({
      attendees: [
        ebAttendee('A1', {
          profile: {
            name: '  <script>alert(1)</script>\u0000 Bobby\n\tTables\u0007 ',
            email: '\u0000\u0001',
            company: huge,
            job_title: 'Chief\r\nOfficer',
          },
        }),
      ],
      pagination: ebPagination(false),
    }),
  );
  const [attendee] = (await client.pageAttendees('E1', null)).attendees;
  assert.equal(attendee?.fullName, '<script>alert(1)</script> Bobby Tables');
  assert.equal(attendee?.email, null, 'nothing but control characters is no value');
  assert.equal(attendee?.company?.length, 1000);
  assert.equal(attendee?.jobTitle, 'Chief Officer');
  assert.equal(cleanText('  Zoë 🎉  '), 'Zoë 🎉');
  assert.equal(
    cleanText('🎉'.repeat(1500))?.length,
    2000,
    'capped by characters, never splitting a surrogate pair',
  );
});

test('unknown extra fields are accepted and numeric ids become strings', async () => {
  const { client } = clientWith('eventbrite', () =>
    json({
      attendees: [
        ebAttendee('1', {
          id: 987654321,
          brand_new_field: { deeply: ['nested'] },
          profile: { name: 'N', addresses: {} },
        }),
      ],
      pagination: { ...ebPagination(false), something_new: true },
      extra_top_level: 1,
    }),
  );
  const page = await client.pageAttendees('E1', null);
  assert.equal(page.attendees[0]?.providerAttendeeId, '987654321');
});

test('resolveBaseUrl: environment override (trailing slash removed) or the real API; only http(s)', () => {
  assert.equal(resolveBaseUrl('eventbrite', {}), 'https://www.eventbriteapi.com/v3');
  assert.equal(resolveBaseUrl('luma', {}), 'https://public-api.luma.com');
  assert.equal(
    resolveBaseUrl('eventbrite', { BADGE_DESK_EVENTBRITE_URL: 'http://127.0.0.1:4100/eventbrite/v3/' }),
    'http://127.0.0.1:4100/eventbrite/v3',
  );
  assert.equal(
    resolveBaseUrl('luma', { BADGE_DESK_LUMA_URL: ' http://localhost:4200// ' }),
    'http://localhost:4200',
  );
  assert.equal(resolveBaseUrl('luma', { BADGE_DESK_LUMA_URL: '' }), 'https://public-api.luma.com');
  assert.throws(() => resolveBaseUrl('luma', { BADGE_DESK_LUMA_URL: 'not a url' }), /BADGE_DESK_LUMA_URL/);
  assert.throws(() => resolveBaseUrl('luma', { BADGE_DESK_LUMA_URL: 'file:///etc/passwd' }), /http/);
});

test('createProviderClient builds the client of each kind', () => {
  const clock = new VirtualClock();
  const limiter = new RateLimiter({ windows: [] }, clock);
  for (const kind of ['eventbrite', 'luma'] as const) {
    const client = createProviderClient(kind, {
      baseUrl: DEFAULT_BASE_URLS[kind],
      credential: CREDENTIAL,
      clock,
      limiter,
    });
    assert.equal(client.kind, kind);
  }
});
