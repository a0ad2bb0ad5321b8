// Injected faults: the queue failNext and throttleNext fill, the throttleFor window, and the
// argument checks the simulator's controls share.
import { SIM_FAULTS, SimulatorError, type FaultOptions, type SimFault } from './types.ts';

/** The shape a 200 takes when the `malformed` fault answers: what a captive portal or proxy sends. */
export const MALFORMED_BODY = '<html><head><title>502</title></head><body>Upstream hiccup<br>';

export interface QueuedFault {
  fault: SimFault | 'throttle';
  remaining: number;
  pathIncludes?: string;
  retryAfterSeconds?: number;
}

/** A throttleFor window: every provider request answers 429 until `untilMs` on the provider's clock. */
interface ThrottleWindow {
  untilMs: number;
  /** Fixed Retry-After; absent: the seconds left in the window, rounded up. */
  retryAfterSeconds?: number;
}

/** The queued faults and the throttleFor window, taken in the order requests arrive. */
export class FaultQueue {
  private readonly faults: QueuedFault[] = [];
  private throttleWindow: ThrottleWindow | null = null;

  /** `now` is the provider's clock, which throttleFor windows are measured on. */
  constructor(private readonly now: () => number) {}

  failNext(n: number, fault: SimFault, opts: FaultOptions = {}): void {
    if (!SIM_FAULTS.includes(fault)) throw new SimulatorError(`unknown fault ${String(fault)}`);
    this.queueFault({ fault, remaining: checkCount(n), pathIncludes: opts.pathIncludes });
  }

  throttleNext(n: number, retryAfterSeconds?: number): void {
    this.queueFault({
      fault: 'throttle',
      remaining: checkCount(n),
      retryAfterSeconds: checkRetryAfter(retryAfterSeconds),
    });
  }

  throttleFor(seconds: number, retryAfterSeconds?: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new SimulatorError('seconds must be >= 0');
    this.throttleWindow = {
      untilMs: this.now() + seconds * 1000,
      retryAfterSeconds: checkRetryAfter(retryAfterSeconds),
    };
  }

  /** Drops the queued faults and ends a throttleFor window. */
  clear(): void {
    this.faults.length = 0;
    this.throttleWindow = null;
  }

  private queueFault(fault: QueuedFault): void {
    if (fault.remaining > 0) this.faults.push(fault);
  }

  /**
   * An open throttleFor window first (it answers every request without using up queued
   * faults), then the oldest queued fault this path qualifies for; faults for other paths wait
   * their turn.
   */
  take(path: string): QueuedFault | null {
    const window = this.throttleWindow;
    if (window) {
      const leftMs = window.untilMs - this.now();
      if (leftMs > 0) {
        return {
          fault: 'throttle',
          remaining: 0,
          retryAfterSeconds: window.retryAfterSeconds ?? Math.ceil(leftMs / 1000),
        };
      }
      this.throttleWindow = null;
    }
    const index = this.faults.findIndex((f) => !f.pathIncludes || path.includes(f.pathIncludes));
    if (index < 0) return null;
    const fault = this.faults[index] as QueuedFault;
    fault.remaining--;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return fault;
  }
}

export function checkRetryAfter(seconds: number | undefined): number | undefined {
  if (seconds !== undefined && !(seconds >= 0)) throw new SimulatorError('retryAfterSeconds must be >= 0');
  return seconds;
}

export function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new SimulatorError('n must be a whole number >= 0');
  return n;
}

export function checkOffset(offsetMs: number): number {
  if (!Number.isSafeInteger(offsetMs)) throw new SimulatorError('clock offset must be a whole number of ms');
  return offsetMs;
}

export function checkPageSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new SimulatorError('page size must be a whole number >= 1');
  return size;
}
