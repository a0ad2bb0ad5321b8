// Error classification and retries (docs/PROVIDERS.md "Mapping errors to statuses"), through the real
// clients: an injected fetch for HTTP answers, a node:http server on loopback for socket faults.
// The VirtualClock means backoff and Retry-After never really sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { VirtualClock } from '../../main/ground/clock.ts';
import {
  DEFAULT_BASE_URLS,
  DEFAULT_RATE_BUDGETS,
  ProviderError,
  RateLimiter,
  createProviderClient,
  requestJson,
  type ProviderClient,
  type ProviderClientOptions,
  type ProviderErrorKind,
  type RequestLogEntry,
} from '../../main/providers/index.ts';
import type { ProviderKind } from '../../shared/types.ts';
import {
  LUMA_ROUTE_FAMILIES,
  inLumaFamily,
  withLumaFamily,
  type LumaRouteFamily,
} from '../helpers/luma-families.ts';

const CREDENTIAL = 'tok_SECRET_0123456789';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const raw = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });

interface Harness {
  client: ProviderClient;
  clock: VirtualClock;
  start: number;
  limiter: RateLimiter;
  log: RequestLogEntry[];
  /** Clock time at each fetch call. */
  calls: number[];
}

/**
 * A client whose fetch answers from `responses` in order (the last one repeats). With a Luma
 * route family, the account answers on that family and `responses` serve only its routes.
 */
function harness(
  kind: ProviderKind,
  responses: (() => Response | Promise<Response>)[],
  options: Partial<ProviderClientOptions> = {},
  lumaFamily: LumaRouteFamily | null = null,
): Harness {
  const clock = new VirtualClock();
  const limiter = new RateLimiter(DEFAULT_RATE_BUDGETS[kind], clock);
  const log: RequestLogEntry[] = [];
  const calls: number[] = [];
  const fakeFetch: typeof fetch = async () => {
    const respond = responses[Math.min(calls.length, responses.length - 1)];
    calls.push(clock.now());
    if (!respond) throw new Error('no response configured');
    return respond();
  };
  const client = createProviderClient(kind, {
    baseUrl: DEFAULT_BASE_URLS[kind],
    credential: CREDENTIAL,
    clock,
    limiter,
    fetch: lumaFamily === null ? fakeFetch : withLumaFamily(lumaFamily, fakeFetch),
    onRequest: (entry) => log.push(entry),
    ...options,
  });
  return { client, clock, start: clock.now(), limiter, log, calls };
}

/** Asserts the promise rejects with a ProviderError of `kind` that never mentions the credential. */
async function rejectsWith(
  promise: Promise<unknown>,
  kind: ProviderErrorKind,
  message?: RegExp,
): Promise<ProviderError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ProviderError, `expected a ProviderError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  if (message) assert.match(caught.message, message);
  assert.ok(!caught.message.includes(CREDENTIAL), `credential leaked into: ${caught.message}`);
  return caught;
}

const ebEmptyPage = { attendees: [], pagination: { has_more_items: false, object_count: 0 } };

// ---------------------------------------------------------------- HTTP statuses

test("401 is a rejected credential, with Eventbrite's own words, not retried", async () => {
  const h = harness('eventbrite', [
    () =>
      json(
        {
          status_code: 401,
          error: 'INVALID_AUTH',
          error_description: 'The OAuth token you provided was invalid.',
        },
        401,
      ),
  ]);
  const error = await rejectsWith(h.client.pageAttendees('E1', null), 'credential');
  assert.equal(error.message, 'Eventbrite: INVALID_AUTH — The OAuth token you provided was invalid. (401)');
  assert.equal(error.httpStatus, 401);
  assert.equal(h.calls.length, 1);
});

for (const family of LUMA_ROUTE_FAMILIES) {
  test(`Luma (${family} routes) 401 carries its message`, async () => {
    const h = harness('luma', [() => json({ message: 'Invalid API key.' }, 401)], {}, family);
    const error = await rejectsWith(h.client.whoAmI(), 'credential');
    assert.equal(error.message, 'Luma: Invalid API key. (401)');
  });
}

test('403 on who-am-I is a credential problem; 403 on an event is "no access to this event"', async () => {
  const forbidden = () =>
    json(
      {
        status_code: 403,
        error: 'NOT_AUTHORIZED',
        error_description: 'You do not have permission to access the resource you requested.',
      },
      403,
    );
  const whoAmI = harness('eventbrite', [forbidden]);
  await rejectsWith(whoAmI.client.whoAmI(), 'credential', /NOT_AUTHORIZED/);

  const event = harness('eventbrite', [forbidden]);
  const error = await rejectsWith(event.client.pageAttendees('E1', null), 'forbidden');
  assert.equal(
    error.message,
    'Eventbrite: no access to this event: NOT_AUTHORIZED — You do not have permission to access the resource you requested. (403)',
  );
  assert.equal(event.calls.length, 1);

  const luma = harness('luma', [() => json({ message: 'This calendar needs Luma Plus.' }, 403)]);
  await rejectsWith(luma.client.whoAmI(), 'credential', /Luma Plus/);
  const lumaEvent = harness('luma', [() => json({ message: 'This calendar needs Luma Plus.' }, 403)]);
  await rejectsWith(lumaEvent.client.getEvent('evt-1'), 'forbidden', /no access to this event/);
});

for (const family of LUMA_ROUTE_FAMILIES) {
  test(`404 is not found, not retried (Luma, ${family} routes)`, async () => {
    const h = harness('luma', [() => json({ message: 'Event not found' }, 404)], {}, family);
    await rejectsWith(h.client.pageAttendees('evt-x', null), 'not_found', /Event not found \(404\)/);
    assert.equal(h.calls.length, 1);
  });
}

test('other 4xx answers fail at once: the same request would be refused again', async () => {
  const h = harness('eventbrite', [
    () =>
      json(
        {
          error: 'ARGUMENTS_ERROR',
          error_description: 'There are errors with your arguments: continuation - INVALID',
        },
        400,
      ),
  ]);
  await rejectsWith(h.client.pageAttendees('E1', 'bogus'), 'bad_response', /ARGUMENTS_ERROR/);
  assert.equal(h.calls.length, 1);
});

// ---------------------------------------------------------------- 429

test('429 with Retry-After seconds: waits exactly that long on the clock, then succeeds', async () => {
  const h = harness('eventbrite', [
    () =>
      json(
        {
          status_code: 429,
          error: 'HIT_RATE_LIMIT',
          error_description: 'Hourly rate limit has been reached.',
        },
        429,
        { 'retry-after': '7' },
      ),
    () => json(ebEmptyPage),
  ]);
  const page = await h.client.pageAttendees('E1', null);
  assert.deepEqual(page.attendees, []);
  assert.deepEqual(
    h.calls.map((at) => at - h.start),
    [0, 7000],
  );
  assert.deepEqual(
    h.log.map((entry) => [entry.status, entry.attempt]),
    [
      [429, 1],
      [200, 2],
    ],
  );
});

test('429 with an HTTP-date Retry-After waits until that date', async () => {
  const clockStart = new VirtualClock().now();
  const retryAt = new Date(clockStart + 90_000).toUTCString();
  const h = harness('luma', [
    () => json({ message: 'Too many requests' }, 429, { 'retry-after': retryAt }),
    () => json({ entries: [], has_more: false }),
  ]);
  await h.client.pageAttendees('evt-1', null);
  assert.equal((h.calls[1] as number) - h.start, 90_000);
});

test('429 without Retry-After backs off exponentially', async () => {
  const throttled = () => json({ message: 'slow down' }, 429);
  const h = harness('luma', [throttled, throttled, throttled, () => json({ entries: [], has_more: false })]);
  await h.client.pageAttendees('evt-1', null);
  assert.deepEqual(
    h.calls.map((at) => at - h.start),
    [0, 500, 1500, 3500],
  );
});

test("a Retry-After pause holds every caller sharing the credential's limiter", async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter(DEFAULT_RATE_BUDGETS.eventbrite, clock);
  let throttledOnce = false;
  const callTimes: { path: string; at: number }[] = [];
  const sharedFetch: typeof fetch = async (input) => {
    const url = new URL(String(input));
    callTimes.push({ path: url.pathname, at: clock.now() - start });
    if (!throttledOnce) {
      throttledOnce = true;
      return json({ error: 'HIT_RATE_LIMIT' }, 429, { 'retry-after': '60' });
    }
    return url.pathname.startsWith('/v3/users')
      ? json({ id: '1', name: 'U', emails: [] })
      : json(ebEmptyPage);
  };
  const options = {
    baseUrl: DEFAULT_BASE_URLS.eventbrite,
    credential: CREDENTIAL,
    clock,
    limiter,
    fetch: sharedFetch,
  };
  const importer = createProviderClient('eventbrite', options);
  const poller = createProviderClient('eventbrite', options);
  const importing = importer.pageAttendees('E1', null);
  // Let the importer receive its 429 first, then the poller asks.
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([importing, poller.whoAmI()]);
  assert.deepEqual(callTimes[0], { path: '/v3/events/E1/attendees/', at: 0 });
  assert.ok(
    callTimes.slice(1).every((call) => call.at >= 60_000),
    JSON.stringify(callTimes),
  );
});

test('429 for longer than the job may wait is thrown as rate_limited with the wait it asked for', async () => {
  const h = harness('eventbrite', [() => json({ error: 'HIT_RATE_LIMIT' }, 429, { 'retry-after': '600' })]);
  const error = await rejectsWith(h.client.pageAttendees('E1', null), 'rate_limited', /HIT_RATE_LIMIT/);
  // 600 s is within the default 15 min; a second 600 s would not be.
  assert.equal(h.calls.length, 2);
  assert.equal(error.retryAfterMs, 600_000);
  assert.equal(error.httpStatus, 429);
});

// ---------------------------------------------------------------- 5xx, bodies

test('5xx is retried with deterministic backoff, then thrown after exactly maxAttempts', async () => {
  const h = harness('eventbrite', [
    () => json({ error: 'INTERNAL_ERROR', error_description: 'Something went wrong.' }, 503),
  ]);
  const error = await rejectsWith(
    h.client.pageAttendees('E1', null),
    'transient',
    /server error: INTERNAL_ERROR — Something went wrong\. \(503\); gave up after 4 attempts/,
  );
  assert.equal(error.httpStatus, 503);
  assert.deepEqual(
    h.calls.map((at) => at - h.start),
    [0, 500, 1500, 3500],
  );
  assert.deepEqual(
    h.log.map((entry) => entry.attempt),
    [1, 2, 3, 4],
  );
});

for (const family of LUMA_ROUTE_FAMILIES) {
  test(`maxAttempts is configurable; a 5xx followed by success succeeds (Luma, ${family} routes)`, async () => {
    const twice = harness(
      'luma',
      [() => json({ message: 'oops' }, 502)],
      { retry: { maxAttempts: 2 } },
      family,
    );
    await rejectsWith(twice.client.whoAmI(), 'transient');
    assert.equal(twice.calls.length, 2);

    const user = inLumaFamily(family, { user: { api_id: 'u', email: 'e@example.com' } });
    const recovers = harness(
      'luma',
      [() => raw('<html>Bad Gateway</html>', 502), () => json(user)],
      {},
      family,
    );
    assert.equal((await recovers.client.whoAmI()).accountId, 'u');
    assert.equal(recovers.calls.length, 2);
  });
}

test('a 200 whose body is not JSON, or is truncated, is a bad response after bounded retries', async () => {
  const html = harness('eventbrite', [() => raw('<html>maintenance</html>')]);
  await rejectsWith(html.client.pageAttendees('E1', null), 'bad_response', /not valid JSON/);
  assert.equal(html.calls.length, 4);

  const truncated = harness('eventbrite', [() => raw('{"attendees":[{"id":"A1","profile":{"name":"Ad')]);
  await rejectsWith(truncated.client.pageAttendees('E1', null), 'bad_response', /truncated/);
  assert.equal(truncated.calls.length, 4);

  const empty = harness('luma', [() => raw('')]);
  await rejectsWith(empty.client.whoAmI(), 'bad_response', /empty body/);

  const recovers = harness('eventbrite', [() => raw('{"attendees": ['), () => json(ebEmptyPage)]);
  assert.deepEqual((await recovers.client.pageAttendees('E1', null)).attendees, []);
});

test('a page missing a required field is rejected whole, naming the field, without retrying', async () => {
  const h = harness('eventbrite', [
    () =>
      json({
        attendees: [{ id: 'A1', profile: { name: 'Ok' } }, { profile: { name: 'No id' } }],
        pagination: { has_more_items: false },
      }),
  ]);
  await rejectsWith(h.client.pageAttendees('E1', null), 'bad_response', /attendees\[1\]\.id is missing/);
  assert.equal(h.calls.length, 1);

  const noPagination = harness('eventbrite', [() => json({ attendees: [] })]);
  await rejectsWith(noPagination.client.pageAttendees('E1', null), 'bad_response', /pagination is missing/);

  for (const [family, idField] of [
    ['current', 'id'],
    ['legacy', 'api_id'],
  ] as const) {
    const lumaNoId = harness(
      'luma',
      [() => json({ entries: [{ guest: { name: 'Nobody' } }], has_more: false })],
      {},
      family,
    );
    await rejectsWith(
      lumaNoId.client.pageAttendees('evt-1', null),
      'bad_response',
      new RegExp(`entries\\[0\\]\\.${idField} is missing`),
    );

    const lumaNoEntries = harness('luma', [() => json({ has_more: false })], {}, family);
    await rejectsWith(
      lumaNoEntries.client.pageAttendees('evt-1', null),
      'bad_response',
      /entries is missing/,
    );
  }
});

// ---------------------------------------------------------------- the credential stays secret

test('the credential never reaches a message or the request log, even when a provider echoes it', async () => {
  const h = harness('eventbrite', [
    () => json({ error: 'INVALID_AUTH', error_description: `Token ${CREDENTIAL} was revoked` }, 401),
  ]);
  const error = await rejectsWith(h.client.whoAmI(), 'credential');
  assert.match(error.message, /Token \[REDACTED\] was revoked/);

  const clock = new VirtualClock();
  const log: RequestLogEntry[] = [];
  await requestJson(
    {
      provider: 'eventbrite',
      baseUrl: 'https://www.eventbriteapi.com/v3/',
      authHeaders: { authorization: `Bearer ${CREDENTIAL}` },
      fetch: async () => json({ ok: true }),
      clock,
      limiter: new RateLimiter({ windows: [] }, clock),
      onRequest: (entry) => log.push(entry),
    },
    '/users/me/',
    { token: CREDENTIAL, expand: 'organizations', skipped: undefined },
  );
  assert.deepEqual(log, [
    {
      method: 'GET',
      url: 'https://www.eventbriteapi.com/v3/users/me/?token=REDACTED&expand=organizations',
      status: 200,
      attempt: 1,
      providerDate: null,
      receivedAt: clock.now(),
    },
  ]);
});

test('a credential with a line break: the HTTP library quotes the bad header, and the message still never carries it', async () => {
  // The IPC contract refuses such credentials; this is the second lock, for any other way in (OAuth).
  for (const kind of ['eventbrite', 'luma'] as const) {
    const credential = `${CREDENTIAL}\r\nX-Injected: 1`;
    const h = harness(kind, [() => json({})], {
      credential,
      // Node's own fetch: it validates the header and throws, quoting the value with the line break folded.
      fetch: (input, init) => globalThis.fetch(input, init),
      baseUrl: 'http://127.0.0.1:9',
      retry: { maxAttempts: 1 },
    });
    const error = await rejectsWith(h.client.whoAmI(), 'transient');
    assert.match(error.message, /invalid header value/i, 'the library did quote the header');
    assert.match(error.message, /\[REDACTED\]/);
  }
});

// ---------------------------------------------------------------- the caller's abort

test('a caller abort propagates as AbortError: not classified, not retried', async () => {
  const controller = new AbortController();
  let calls = 0;
  const clock = new VirtualClock();
  const hanging: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      calls++;
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });
  const client = createProviderClient('luma', {
    baseUrl: DEFAULT_BASE_URLS.luma,
    credential: CREDENTIAL,
    clock,
    limiter: new RateLimiter({ windows: [] }, clock),
    fetch: hanging,
  });
  const pending = client.pageAttendees('evt-1', null, {}, controller.signal);
  setTimeout(() => controller.abort(), 5);
  await assert.rejects(pending, (err: unknown) => {
    assert.ok(!(err instanceof ProviderError));
    assert.equal((err as Error).name, 'AbortError');
    return true;
  });
  assert.equal(calls, 1);

  await assert.rejects(client.whoAmI(AbortSignal.abort()), { name: 'AbortError' });
  assert.equal(calls, 1, 'an already aborted call sends nothing');
});

test('an abort during backoff stops the retries', async () => {
  const controller = new AbortController();
  const h = harness('luma', [
    () => {
      controller.abort();
      return json({ message: 'down' }, 500);
    },
  ]);
  await assert.rejects(h.client.whoAmI(controller.signal), { name: 'AbortError' });
  assert.equal(h.calls.length, 1);
});

// ---------------------------------------------------------------- socket faults (real loopback)

/** A loopback server whose every request is handled by `onRequest`. Returns its base URL. */
async function startServer(
  onRequest: (
    socket: Socket,
    respond: (status: number, body: string, headers?: Record<string, string>) => void,
  ) => void,
): Promise<{ baseUrl: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    hits++;
    onRequest(req.socket, (status, body, headers = {}) => {
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function loopbackClient(kind: ProviderKind, baseUrl: string, options: Partial<ProviderClientOptions> = {}) {
  const clock = new VirtualClock();
  const log: RequestLogEntry[] = [];
  const client = createProviderClient(kind, {
    baseUrl,
    credential: CREDENTIAL,
    clock,
    limiter: new RateLimiter(DEFAULT_RATE_BUDGETS[kind], clock),
    onRequest: (entry) => log.push(entry),
    ...options,
  });
  return { client, log };
}

test('a connection reset is transient: retried, then thrown', async () => {
  const server = await startServer((socket) => socket.destroy());
  try {
    const { client, log } = loopbackClient('eventbrite', `${server.baseUrl}/v3`);
    await rejectsWith(client.whoAmI(), 'transient', /reset.*gave up after 4 attempts/);
    assert.equal(server.hits(), 4);
    assert.deepEqual(
      log.map((entry) => entry.status),
      [null, null, null, null],
    );
  } finally {
    await server.close();
  }
});

test('a 200 whose body is cut off mid-way is a bad response, retried then thrown', async () => {
  const server = await startServer((socket) => {
    socket.write(
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"entries":[{"api_id":"g',
    );
    setTimeout(() => socket.destroy(), 5);
  });
  try {
    const { client } = loopbackClient('luma', server.baseUrl, { retry: { maxAttempts: 2 } });
    await rejectsWith(client.pageAttendees('evt-1', null), 'bad_response', /cut off/);
    assert.equal(server.hits(), 2);
  } finally {
    await server.close();
  }
});

test('connection refused means offline: retried, then thrown with "offline"', async () => {
  // Listen, then close: the port is now (almost certainly) dead.
  const server = await startServer(() => undefined);
  await server.close();
  const { client, log } = loopbackClient('luma', server.baseUrl);
  const error = await rejectsWith(client.whoAmI(), 'offline', /offline/);
  assert.match(error.message, /ECONNREFUSED/);
  assert.equal(log.length, 4);
});

test('DNS failures are offline too, whatever way undici wraps them', async () => {
  const dnsFailure: typeof fetch = async () => {
    throw new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND www.eventbriteapi.com'), { code: 'ENOTFOUND' }),
    });
  };
  const notFound = harness('eventbrite', [() => json({})], { fetch: dnsFailure, retry: { maxAttempts: 1 } });
  await rejectsWith(
    notFound.client.whoAmI(),
    'offline',
    /offline — cannot reach www\.eventbriteapi\.com \(ENOTFOUND\)/,
  );

  const aggregate: typeof fetch = async () => {
    const inner = [Object.assign(new Error('connect ENETUNREACH ::1'), { code: 'ENETUNREACH' })];
    throw new TypeError('fetch failed', { cause: new AggregateError(inner, 'all attempts failed') });
  };
  const unreachable = harness('luma', [() => json({})], { fetch: aggregate, retry: { maxAttempts: 1 } });
  await rejectsWith(unreachable.client.whoAmI(), 'offline', /ENETUNREACH/);
});

test('a server that never answers times out on the wall clock: transient', async () => {
  const server = await startServer(() => undefined);
  try {
    const { client } = loopbackClient('eventbrite', `${server.baseUrl}/v3`, {
      timeoutMs: 50,
      retry: { maxAttempts: 2 },
    });
    await rejectsWith(client.whoAmI(), 'transient', /timeout/);
    assert.equal(server.hits(), 2);
  } finally {
    await server.close();
  }
});

test('the loopback path works end to end when the server behaves', async () => {
  const server = await startServer((_socket, respond) =>
    respond(
      200,
      JSON.stringify({ id: 'u1', name: 'Loop', emails: [{ email: 'l@example.com', primary: true }] }),
      { 'content-type': 'application/json' },
    ),
  );
  try {
    const { client, log } = loopbackClient('eventbrite', `${server.baseUrl}/v3/`);
    assert.deepEqual(await client.whoAmI(), { accountId: 'u1', email: 'l@example.com', name: 'Loop' });
    assert.equal(log[0]?.url, `${server.baseUrl}/v3/users/me/`);
  } finally {
    await server.close();
  }
});
