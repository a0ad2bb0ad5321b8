// A renderer store in Node, without main: a fake transport the test answers channel by channel
// and pushes through, and timers the test moves by hand. No React, no network.
import type { ChannelInput, ChannelName, ChannelResult } from '../../shared/ipc-contract.ts';
import type { IpcResult, PushEventMap, PushEventName, PushMessage } from '../../shared/ipc-wire.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import type { Transport } from '../../renderer/src/app/bridge.ts';
import type { TimerHandle, Timers } from '../../renderer/src/app/scheduling.ts';
import { createBadgeDeskStore } from '../../renderer/src/app/store.ts';

type Answer<C extends ChannelName> = (input: ChannelInput<C>) => ChannelResult<C> | Promise<ChannelResult<C>>;

/** Thrown by an answer to make the call fail with this code (as main's envelope would). */
export class FakeRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordedCall {
  channel: ChannelName;
  input: unknown;
}

export class FakeTransport implements Transport {
  /** Every call, in order. */
  readonly calls: RecordedCall[] = [];
  private readonly answers = new Map<ChannelName, Answer<ChannelName>>();
  private readonly listeners = new Set<(message: PushMessage) => void>();
  private readonly reconnectListeners = new Set<() => void>();

  /** How main answers this channel from now on; a channel without an answer fails as INTERNAL. */
  answer<C extends ChannelName>(channel: C, answer: Answer<C>): this {
    this.answers.set(channel, answer as unknown as Answer<ChannelName>);
    return this;
  }

  /** The calls made so far on one channel (their inputs, in order). */
  inputs<C extends ChannelName>(channel: C): ChannelInput<C>[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.input as ChannelInput<C>);
  }

  async invoke<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<IpcResult<ChannelResult<C>>> {
    this.calls.push({ channel, input });
    const answer = this.answers.get(channel) as Answer<C> | undefined;
    if (!answer)
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `the fake transport has no answer for ${channel}` },
      };
    try {
      return { ok: true, value: await answer(input) };
    } catch (err) {
      if (err instanceof FakeRefusal) return { ok: false, error: { code: err.code, message: err.message } };
      throw err;
    }
  }

  subscribe(listener: (message: PushMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Main pushes an event to the window. */
  push<K extends PushEventName>(event: K, payload: PushEventMap[K]): void {
    for (const listener of [...this.listeners]) listener({ event, payload } as PushMessage);
  }

  /** The push channel came back after a drop. */
  reconnect(): void {
    for (const listener of [...this.reconnectListeners]) listener();
  }
}

/** Timers that fire only when the test advances them, in due order. */
export class ManualTimers implements Timers {
  private current: number;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; run: () => void }>();

  constructor(start = Date.UTC(2026, 10, 23, 8, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.due.set(id, { at: this.current + Math.max(0, ms), run });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.due.delete(handle as number);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.due.size;
  }

  /** Moves time on by `ms`, firing every timer due meanwhile (also those set by timers that fire). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let nextId: number | null = null;
      let next: { at: number; run: () => void } | null = null;
      for (const [id, timer] of this.due)
        if (timer.at <= end && (!next || timer.at < next.at)) [nextId, next] = [id, timer];
      if (nextId === null || !next) break;
      this.due.delete(nextId);
      this.current = next.at;
      next.run();
    }
    this.current = end;
  }
}

/** Lets every answer and reaction already under way settle (promises, not timers). */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A promise the test resolves or rejects when it chooses (an answer still on its way). */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fresh store over a fake transport, with manual timers and numbered desk action ids. */
export function fakeStore() {
  const transport = new FakeTransport();
  const timers = new ManualTimers();
  let actions = 0;
  const store = createBadgeDeskStore(transport, { timers, newActionId: () => `action-${++actions}` });
  return { transport, timers, store };
}
