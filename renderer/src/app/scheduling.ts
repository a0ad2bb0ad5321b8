// Time and request pacing for the slices. Each slice owns its own instances, so a fresh store
// (a test's) starts with nothing in flight and nothing scheduled.

/** The store's view of time; tests pass a manual one and move it by hand. */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
export type TimerHandle = unknown;

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs a refresh once per key at a time; a request made meanwhile runs it once more afterwards. */
export class Coalescer {
  private readonly running = new Map<string, { dirty: boolean }>();

  run(key: string, refresh: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.dirty = true;
      return Promise.resolve();
    }
    const entry = { dirty: false };
    this.running.set(key, entry);
    const loop = async (): Promise<void> => {
      try {
        do {
          entry.dirty = false;
          try {
            await refresh();
          } catch (err) {
            console.warn(`refresh ${key} failed`, err);
          }
        } while (entry.dirty);
      } finally {
        this.running.delete(key);
      }
    };
    return loop();
  }
}

/** Trailing throttle per key: the first request starts the wait, the ones during it ride along. */
export class Throttle {
  private readonly waiting = new Map<string, TimerHandle>();

  constructor(private readonly timers: Timers) {}

  soon(key: string, delayMs: number, run: () => void): void {
    if (this.waiting.has(key)) return;
    this.waiting.set(
      key,
      this.timers.setTimeout(() => {
        this.waiting.delete(key);
        run();
      }, delayMs),
    );
  }
}
