// The desk's search as the operator types or scans: at most one search per text in flight, one
// search per burst of keystrokes, and answers that arrive after a newer search (or a clear) dropped.
import type { DeskSearchResult } from '../../../shared/desk.ts';
import type { Call } from '../app/bridge.ts';
import type { TimerHandle, Timers } from '../app/scheduling.ts';

export const DESK_SEARCH_LIMIT = 20;
/**
 * A scanner types a code a few ms per key; a person's keystrokes are further apart than this.
 * The search waits for this pause, so a scan makes one search, not one per digit, and its Enter
 * never queues behind a dozen searches for partial codes.
 */
export const SEARCH_PAUSE_MS = 30;
/** The contract's longest search text; a longer field text (a scanner gone wild) matches no one. */
const MAX_QUERY = 200;

export type SearchAnswer = { result: DeskSearchResult } | { error: unknown };

export class DeskSearch {
  /** Number of the last search started (or cancel): an answer for an older one is dropped. */
  private latest = 0;
  private pauseTimer: TimerHandle | null = null;
  private readonly inFlight = new Map<string, Promise<DeskSearchResult>>();

  constructor(
    private readonly call: Call,
    private readonly timers: Timers,
  ) {}

  /** One search per text at a time: Enter reuses the one the typing started. */
  find(eventId: number, query: string): Promise<DeskSearchResult> {
    if (query.trim() === '' || query.length > MAX_QUERY) return Promise.resolve({ rows: [], more: false });
    const key = `${eventId}\n${query}`;
    let promise = this.inFlight.get(key);
    if (!promise) {
      promise = this.call('desk.search', { eventId, query, limit: DESK_SEARCH_LIMIT }).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, promise);
    }
    return promise;
  }

  /** Searches, and hands the answer to `show` unless a newer search or a cancel came first. */
  run(eventId: number, query: string, show: (answer: SearchAnswer) => void): Promise<DeskSearchResult> {
    const seq = ++this.latest;
    const promise = this.find(eventId, query);
    promise.then(
      (result) => {
        if (seq === this.latest) show({ result });
      },
      (error: unknown) => {
        if (seq === this.latest) show({ error });
      },
    );
    return promise;
  }

  /** Runs `search` once the keystrokes pause; a keystroke before then starts the wait again. */
  afterPause(search: () => void): void {
    this.cancelPause();
    this.pauseTimer = this.timers.setTimeout(() => {
      this.pauseTimer = null;
      search();
    }, SEARCH_PAUSE_MS);
  }

  /** Drops the answers on their way and the search waiting for the pause. */
  cancel(): void {
    this.latest++;
    this.cancelPause();
  }

  private cancelPause(): void {
    if (this.pauseTimer !== null) {
      this.timers.clearTimeout(this.pauseTimer);
      this.pauseTimer = null;
    }
  }
}
