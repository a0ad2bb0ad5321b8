// Keeps one credential's calls inside the provider's published budget (docs/PROVIDERS.md: Eventbrite
// 2,000 an hour and 48,000 a day, Luma about 200 a minute). Import and live polling of the same
// credential share one limiter, so together they can never exhaust it.
//
// A sliding-window log: the start time of every granted request is kept (for the longest window
// only), and a request may go when each window holds fewer than `limit` starts in its last
// `windowMs`. Unlike a fixed window it never lets 2x the limit through across a window edge.
//
// Two lanes share the log: 'bulk' requests (imports, full listings) may fill each window only up
// to `limit x (1 - liveReserve)`; 'live' requests (polls) may use all of it. So during a big
// import the token's other events still poll at once instead of queueing behind it. Within a
// lane, and between lanes whenever both may go, callers are served in arrival order.
import type { Clock } from '../ground/clock.ts';
import type { RateBudget, RequestLane, RequestLimiter } from './types.ts';

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  lane: RequestLane;
}

/** Compact the log once this many pruned entries sit at its head (keeps pruning O(1) amortised). */
const COMPACT_AFTER = 1024;

export class RateLimiter implements RequestLimiter {
  private readonly windows: readonly { limit: number; windowMs: number; bulkLimit: number }[];
  private readonly longestWindowMs: number;
  private readonly clock: Clock;
  /** Start times of granted requests, oldest first. Entries before `logHead` are pruned. */
  private log: number[] = [];
  private logHead = 0;
  /** Callers waiting for a slot, served strictly in arrival order. */
  private readonly queue: Waiter[] = [];
  private pausedUntilMs = 0;
  /** True while `drain` runs; exactly one drain loop serves the queue. */
  private draining = false;
  /** Cuts the drain loop's sleep short when every waiter has given up. */
  private drainSleep: AbortController | null = null;

  constructor(budget: RateBudget, clock: Clock) {
    for (const window of budget.windows) {
      if (!Number.isInteger(window.limit) || window.limit < 1) {
        throw new RangeError(`rate budget limit must be a positive integer, got ${window.limit}`);
      }
      if (!(window.windowMs > 0) || !Number.isFinite(window.windowMs)) {
        throw new RangeError(`rate budget window must be a positive duration, got ${window.windowMs}`);
      }
    }
    const reserve = budget.liveReserve ?? 0;
    if (!(reserve >= 0 && reserve < 1))
      throw new RangeError(`live reserve must be in [0, 1), got ${reserve}`);
    // At least one bulk request per window, or an import could never finish.
    this.windows = budget.windows.map((window) => ({
      ...window,
      bulkLimit: Math.max(1, Math.floor(window.limit * (1 - reserve))),
    }));
    this.longestWindowMs = Math.max(0, ...this.windows.map((window) => window.windowMs));
    this.clock = clock;
  }

  /**
   * Resolves when the caller may send one request (which is then counted). Waiters are served
   * first come, first served. Rejects with the signal's reason when aborted while waiting.
   */
  acquire(signal?: AbortSignal, lane: RequestLane = 'live'): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined, lane };
      if (signal) {
        waiter.onAbort = () => this.abandon(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      // A drain asleep for another lane's wait re-checks at once: this lane may go now.
      if (this.draining) this.drainSleep?.abort();
      else this.startDrain();
    });
  }

  /**
   * Holds every caller until `untilMs` (clock time): a 429's Retry-After applies to the
   * credential, not just to the request that received it. Never shortens an existing pause.
   */
  pauseUntil(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
  }

  /** When the current pause ends (clock time); in the past when not paused. */
  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  /** Requests granted in the last `windowMs`. History is kept only for the longest budget window. */
  used(windowMs: number): number {
    const now = this.clock.now();
    this.prune(now);
    return this.log.length - this.firstIndexAfter(now - windowMs);
  }

  /** Callers currently waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  private startDrain(): void {
    if (this.draining) return;
    this.draining = true;
    void this.drain();
  }

  /**
   * Grants the queue head whenever the budget allows, else sleeps until the earliest moment it
   * could. `draining` is cleared synchronously as the loop ends, so an `acquire` arriving right
   * after always finds either a running loop or starts a new one.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now();
        // The first waiter (in arrival order) whose lane may go now; else the shortest wait.
        let waitMs = Infinity;
        let ready = -1;
        const delays: Partial<Record<RequestLane, number>> = {};
        for (let i = 0; i < this.queue.length && ready === -1; i++) {
          const lane = (this.queue[i] as Waiter).lane;
          const delay = (delays[lane] ??= this.delayBeforeNextGrant(now, lane));
          if (delay <= 0) ready = i;
          else waitMs = Math.min(waitMs, delay);
        }
        if (ready !== -1) {
          this.grant(ready, now);
          continue;
        }
        const sleep = new AbortController();
        this.drainSleep = sleep;
        try {
          await this.clock.sleep(waitMs, sleep.signal);
        } catch {
          // Cut short because every waiter left (the loop condition ends the drain) or a new
          // waiter arrived (the loop looks again).
        } finally {
          this.drainSleep = null;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private grant(index: number, now: number): void {
    const [waiter] = this.queue.splice(index, 1);
    if (!waiter) return;
    this.log.push(now);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  }

  private abandon(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index === -1) return;
    this.queue.splice(index, 1);
    waiter.reject(waiter.signal?.reason);
    // Nobody left to serve: do not keep a (possibly hour-long) timer alive for nothing.
    if (this.queue.length === 0) this.drainSleep?.abort();
  }

  /** 0 when a request of `lane` may go at `now`, else how long until one may. */
  private delayBeforeNextGrant(now: number, lane: RequestLane): number {
    this.prune(now);
    return Math.max(this.pausedUntilMs - now, windowDelay(this.log, this.logHead, this.windows, now, lane));
  }

  /**
   * When `count` more requests of `lane` would all have been granted if nothing else asked:
   * the budget's share of an ETA (a 100,000-attendee Eventbrite import is about 2,000 requests,
   * the whole hourly budget). Simulated on a copy of the log; the log itself is untouched.
   */
  estimateGrantsDoneAt(count: number, lane: RequestLane = 'bulk'): number {
    const now = this.clock.now();
    this.prune(now);
    const log = this.log.slice(this.logHead);
    let at = Math.max(now, this.pausedUntilMs);
    for (let i = 0; i < count; i++) {
      at += Math.max(0, windowDelay(log, 0, this.windows, at, lane));
      log.push(at);
    }
    return at;
  }

  /** The windows of the budget with the limit each lane may use. */
  get budgetWindows(): readonly { limit: number; windowMs: number; bulkLimit: number }[] {
    return this.windows;
  }

  /** Drops entries older than the longest window; they can no longer count against any window. */
  private prune(now: number): void {
    const keepAfter = now - this.longestWindowMs;
    while (this.logHead < this.log.length && (this.log[this.logHead] as number) <= keepAfter) {
      this.logHead += 1;
    }
    if (this.logHead >= COMPACT_AFTER && this.logHead * 2 >= this.log.length) {
      this.log = this.log.slice(this.logHead);
      this.logHead = 0;
    }
  }

  /** Index of the first kept entry strictly after `time` (binary search; the log is sorted). */
  private firstIndexAfter(time: number): number {
    let low = this.logHead;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.log[mid] as number) > time) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/**
 * How long until `lane` may send one more request under every window, from the sorted log of
 * grant times (entries before `head` are pruned). With `cap` or more entries kept, a window is
 * full iff the cap-th newest entry is still inside it; it frees exactly when that entry leaves.
 */
function windowDelay(
  log: readonly number[],
  head: number,
  windows: readonly { limit: number; windowMs: number; bulkLimit: number }[],
  now: number,
  lane: RequestLane,
): number {
  let waitMs = 0;
  for (const { limit, windowMs, bulkLimit } of windows) {
    const cap = lane === 'bulk' ? bulkLimit : limit;
    const capThNewest = log[log.length - cap];
    if (capThNewest === undefined || log.length - cap < head) continue;
    // Capped at the window: if the clock stepped backwards, never wait longer than one window.
    waitMs = Math.max(waitMs, Math.min(windowMs, capThNewest + windowMs - now));
  }
  return waitMs;
}
