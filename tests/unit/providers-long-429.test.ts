// A Retry-After longer than a request may wait still holds the whole token
// until the time the provider named, and every answer's Date header is read (the provider's clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../main/ground/clock.ts';
import {
  DEFAULT_BASE_URLS,
  DEFAULT_RATE_BUDGETS,
  ProviderError,
  RateLimiter,
  createProviderClient,
} from '../../main/providers/index.ts';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** An Eventbrite client of one token, on an injected clock and fetch. */
const eventbrite = (clock: VirtualClock, limiter: RateLimiter, fetch: () => Promise<Response>) =>
  createProviderClient('eventbrite', {
    baseUrl: DEFAULT_BASE_URLS.eventbrite,
    credential: 'tok_0123456789',
    clock,
    limiter,
    fetch,
  });

test('a Retry-After longer than the limit: the request gives up at once, and the token stays paused until the time named', async () => {
  const clock = new VirtualClock();
  const limiter = new RateLimiter(DEFAULT_RATE_BUDGETS.eventbrite, clock);
  const calls: number[] = [];
  const client = eventbrite(clock, limiter, async () => {
    calls.push(clock.now());
    return json(
      { error: 'HIT_RATE_LIMIT', error_description: 'Hourly rate limit has been reached for this token.' },
      429,
      { 'retry-after': '7200' },
    );
  });
  const start = clock.now();
  const error = await client.pageAttendees('E1', null).catch((err: unknown) => err);
  assert.ok(error instanceof ProviderError && error.kind === 'rate_limited');
  assert.equal(error.retryAfterMs, 7_200_000);
  assert.equal(calls.length, 1, 'no point asking again within the job');
  assert.equal(limiter.pausedUntil, start + 7_200_000, 'the limiter holds the token until then');

  // Another caller of the same token waits for the pause before its request goes.
  let answeredAt = 0;
  const other = eventbrite(clock, limiter, async () => {
    answeredAt = clock.now();
    return json({ id: '1', emails: [] });
  });
  await other.whoAmI();
  assert.ok(answeredAt >= start + 7_200_000, `the other caller waited (${(answeredAt - start) / 1000} s)`);
});

test("an answer's Date header comes back with the page: the provider's clock, not ours", async () => {
  const clock = new VirtualClock();
  const client = eventbrite(clock, new RateLimiter(DEFAULT_RATE_BUDGETS.eventbrite, clock), async () =>
    json({ attendees: [], pagination: { has_more_items: false, object_count: 0 } }, 200, {
      date: 'Thu, 12 Nov 2026 08:00:00 GMT',
    }),
  );
  const page = await client.pageAttendees('E1', null);
  assert.equal(page.providerDate, '2026-11-12T08:00:00.000Z');
});
