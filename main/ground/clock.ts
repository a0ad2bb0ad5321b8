// Time is injected everywhere: the engine, retries and rate budgets read it from a Clock,
// so tests can run an 8-hour day in milliseconds and never sleep for real.

export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock whose sleeps take no real time: each sleep advances `now` by its duration and
 * resolves on a later macrotask, so concurrent work still interleaves. For tests and benchmarks.
 */
export class VirtualClock implements Clock {
  private current: number;
  constructor(start = Date.UTC(2026, 10, 23, 8, 0, 0)) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      setImmediate(() => {
        if (signal?.aborted) return reject(signal.reason);
        this.current += Math.max(0, ms);
        resolve();
      });
    });
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
