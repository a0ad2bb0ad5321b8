import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock, systemClock } from '../../main/ground/clock.ts';
import { RateLimiter } from '../../main/providers/rate-limiter.ts';
import {
  DEFAULT_RATE_BUDGETS,
  eventbriteBudgetWithDailyLimit,
  scaledRateBudgets,
} from '../../main/providers/types.ts';

/**
 * Asserts that no window ever held more than its limit, checked at every grant. Returns the
 * busiest count seen per window.
 */
function assertWithinBudget(grantTimes: number[], windows: { limit: number; windowMs: number }[]): number[] {
  const sorted = [...grantTimes].sort((a, b) => a - b);
  const busiest: number[] = [];
  for (const { limit, windowMs } of windows) {
    let oldest = 0;
    let most = 0;
    for (let newest = 0; newest < sorted.length; newest++) {
      while ((sorted[oldest] as number) <= (sorted[newest] as number) - windowMs) oldest++;
      const inWindow = newest - oldest + 1;
      assert.ok(
        inWindow <= limit,
        `${inWindow} requests within ${windowMs} ms (limit ${limit}) at t=${sorted[newest]}`,
      );
      most = Math.max(most, inWindow);
    }
    busiest.push(most);
  }
  return busiest;
}

test('the first `limit` requests go at once; the next waits until the oldest leaves the window', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [{ limit: 5, windowMs: 1000 }] }, clock);
  const grantedAt: number[] = [];
  await Promise.all(
    Array.from({ length: 6 }, () => limiter.acquire().then(() => grantedAt.push(clock.now() - start))),
  );
  assert.deepEqual(grantedAt, [0, 0, 0, 0, 0, 1000]);
  // At t=1000 the first five have just left the window; only the sixth counts.
  assert.equal(limiter.used(1000), 1);
});

test('a window is sliding: requests spread over time free slots one by one', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [{ limit: 3, windowMs: 1000 }] }, clock);
  const grantedAt: number[] = [];
  for (const gap of [0, 400, 400]) {
    await clock.sleep(gap);
    await limiter.acquire();
    grantedAt.push(clock.now() - start);
  }
  // Full at t=800 with grants at 0, 400, 800: the 4th goes when t=0 leaves (1000), the 5th at 1400.
  await limiter.acquire();
  grantedAt.push(clock.now() - start);
  await limiter.acquire();
  grantedAt.push(clock.now() - start);
  assert.deepEqual(grantedAt, [0, 400, 800, 1000, 1400]);
});

test('waiters are served first come, first served', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [{ limit: 3, windowMs: 100 }] }, clock);
  const order: { id: number; at: number }[] = [];
  await Promise.all(
    Array.from({ length: 10 }, (_, id) =>
      limiter.acquire().then(() => order.push({ id, at: clock.now() - start })),
    ),
  );
  assert.deepEqual(
    order.map((entry) => entry.id),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual(
    order.map((entry) => entry.at),
    [0, 0, 0, 100, 100, 100, 200, 200, 200, 300],
  );
});

test('over a long mixed run no window ever exceeds its limit, with several windows at once', async () => {
  const clock = new VirtualClock();
  const windows = [
    { limit: 7, windowMs: 1000 },
    { limit: 30, windowMs: 10_000 },
  ];
  const limiter = new RateLimiter({ windows }, clock);
  const grantTimes: number[] = [];
  // Three callers (say an import and two live polls) sharing one credential, with uneven pauses.
  const caller = async (seed: number) => {
    for (let i = 0; i < 150; i++) {
      await clock.sleep(((i * 37 + seed * 101) % 450) + (i % 13 === 0 ? 3000 : 0));
      await limiter.acquire();
      grantTimes.push(clock.now());
    }
  };
  await Promise.all([caller(1), caller(2), caller(3)]);
  assert.equal(grantTimes.length, 450);
  // Respected, and used fully: each window was filled to its limit at some point.
  assert.deepEqual(assertWithinBudget(grantTimes, windows), [7, 30]);
});

test('memory stays bounded: history older than the longest window is dropped', async () => {
  const clock = new VirtualClock();
  const limiter = new RateLimiter({ windows: [{ limit: 10, windowMs: 100 }] }, clock);
  for (let i = 0; i < 5000; i++) await limiter.acquire();
  // Only grants within the longest window are kept at all.
  assert.equal(limiter.used(Number.MAX_SAFE_INTEGER), 10);
  const internals = limiter as unknown as { log: number[] };
  assert.ok(internals.log.length <= 2048 + 10, `log holds ${internals.log.length} entries`);
});

test('pauseUntil holds every caller until the pause ends, and never shortens a pause', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter(DEFAULT_RATE_BUDGETS.luma, clock);
  limiter.pauseUntil(start + 7000);
  limiter.pauseUntil(start + 2000);
  assert.equal(limiter.pausedUntil, start + 7000);
  const grantedAt: number[] = [];
  await Promise.all([1, 2].map(() => limiter.acquire().then(() => grantedAt.push(clock.now() - start))));
  assert.deepEqual(grantedAt, [7000, 7000]);
});

test('a pause set while callers already wait extends their wait', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }] }, clock);
  await limiter.acquire();
  const second = limiter.acquire().then(() => clock.now() - start);
  limiter.pauseUntil(start + 5000);
  assert.equal(await second, 5000);
});

test('an aborted waiter rejects with the reason, leaves the queue and uses no slot', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 1000 }] }, clock);
  await limiter.acquire();
  const controller = new AbortController();
  const abandoned = limiter.acquire(controller.signal);
  const next = limiter.acquire().then(() => clock.now() - start);
  assert.equal(limiter.waiting, 2);
  controller.abort();
  await assert.rejects(abandoned, { name: 'AbortError' });
  assert.equal(await next, 1000, 'the waiter behind takes the freed slot');
  assert.equal(limiter.used(1000), 1);
  await assert.rejects(limiter.acquire(AbortSignal.abort()), { name: 'AbortError' });
});

test('when every waiter gives up no real timer is left behind (the process may exit)', async () => {
  // With the system clock an hour-long budget wait would otherwise keep Node alive for an hour.
  const limiter = new RateLimiter({ windows: [{ limit: 1, windowMs: 60 * 60 * 1000 }] }, systemClock);
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.equal(limiter.waiting, 0);
});

test('an empty budget never waits; bad budgets are refused', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [] }, clock);
  for (let i = 0; i < 100; i++) await limiter.acquire();
  assert.equal(clock.now(), start);
  assert.throws(() => new RateLimiter({ windows: [{ limit: 0, windowMs: 1000 }] }, clock), RangeError);
  assert.throws(() => new RateLimiter({ windows: [{ limit: 5, windowMs: 0 }] }, clock), RangeError);
});

test('scaled budgets (simulator runs only) multiply every window; nonsense scales give the published figures', () => {
  const scaled = scaledRateBudgets(1000);
  assert.deepEqual(
    scaled.eventbrite.windows.map((w) => w.limit),
    [2_000_000, 48_000_000],
  );
  assert.deepEqual(
    scaled.luma.windows.map((w) => [w.limit, w.windowMs]),
    [[200_000, 60_000]],
  );
  for (const nonsense of [NaN, 0, 0.5, -3, Infinity])
    assert.deepEqual(scaledRateBudgets(nonsense), DEFAULT_RATE_BUDGETS);
});

test('bulk requests leave the live reserve alone: a live poll goes at once while an import waits', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  // 10 a minute, 20% reserved for live: bulk may fill 8 of every 10.
  const limiter = new RateLimiter({ windows: [{ limit: 10, windowMs: 60_000 }], liveReserve: 0.2 }, clock);
  const bulkAt: number[] = [];
  const bulk = Array.from({ length: 9 }, () =>
    limiter.acquire(undefined, 'bulk').then(() => bulkAt.push(clock.now() - start)),
  );
  let liveAt = -1;
  await limiter.acquire(undefined, 'live').then(() => (liveAt = clock.now() - start));
  assert.equal(liveAt, 0, 'the live poll did not queue behind the import');
  await Promise.all(bulk);
  assert.deepEqual(bulkAt, [0, 0, 0, 0, 0, 0, 0, 0, 60_000], 'the ninth bulk request waited for the window');
  assert.equal(limiter.used(60_000), 1, 'a minute on, only the ninth bulk request counts');
});

test('without a reserve, lanes are one queue in arrival order', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter({ windows: [{ limit: 2, windowMs: 1_000 }] }, clock);
  const order: string[] = [];
  const all = [
    limiter.acquire(undefined, 'bulk').then(() => order.push(`bulk@${clock.now() - start}`)),
    limiter.acquire(undefined, 'bulk').then(() => order.push(`bulk@${clock.now() - start}`)),
    limiter.acquire(undefined, 'bulk').then(() => order.push(`bulk@${clock.now() - start}`)),
    limiter.acquire(undefined, 'live').then(() => order.push(`live@${clock.now() - start}`)),
  ];
  await Promise.all(all);
  assert.deepEqual(order, ['bulk@0', 'bulk@0', 'bulk@1000', 'live@1000']);
});

test("estimateGrantsDoneAt: the budget's share of an ETA, without touching the log", async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const limiter = new RateLimiter(
    { windows: [{ limit: 2000, windowMs: 3_600_000 }], liveReserve: 0.2 },
    clock,
  );
  // 1,600 bulk requests may go in any hour: 2,000 more need the next hour and a quarter more.
  assert.equal(limiter.estimateGrantsDoneAt(1_600) - start, 0);
  assert.equal(limiter.estimateGrantsDoneAt(1_601) - start, 3_600_000);
  assert.equal(limiter.estimateGrantsDoneAt(3_200) - start, 3_600_000);
  assert.equal(limiter.used(3_600_000), 0, 'an estimate grants nothing');
  // A pause the provider named comes first.
  limiter.pauseUntil(start + 600_000);
  assert.equal(limiter.estimateGrantsDoneAt(1) - start, 600_000);
  // Live requests may use the whole window.
  assert.equal(limiter.estimateGrantsDoneAt(2_000, 'live') - start, 600_000);
});

test("Eventbrite's daily figure is configurable, and 0 drops the daily window", () => {
  const hourly = { limit: 2000, windowMs: 3_600_000 };
  assert.deepEqual(eventbriteBudgetWithDailyLimit(30_000).windows, [
    hourly,
    { limit: 30_000, windowMs: 86_400_000 },
  ]);
  assert.deepEqual(eventbriteBudgetWithDailyLimit(0).windows, [hourly]);
  assert.deepEqual(eventbriteBudgetWithDailyLimit(-3), DEFAULT_RATE_BUDGETS.eventbrite);
  assert.throws(() => new RateLimiter({ windows: [hourly], liveReserve: 1 }, new VirtualClock()), RangeError);
});
