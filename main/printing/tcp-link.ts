// One TCP connection to a label printer (port 9100): ask, read the answer, send the badge. A
// connection that cannot be made, or that breaks before every byte has left, means "not printed,
// the printer cannot be reached"; once every byte has left, a late error means nothing of the kind.
import { connect, type Socket } from 'node:net';
import { storageErrorCode } from '../db/storage-errors.ts';
import { STORAGE_STATE_OF_CODE, STORAGE_PROBLEM_TEXT } from '../../shared/storage.ts';

/**
 * The printer cannot be reached (off, unplugged, no paper path, folder missing): the job stays
 * queued and is tried again, for as long as it takes. Any other failure counts as an attempt.
 */
export class PrinterUnreachableError extends Error {
  /** The connection's own code (ECONNREFUSED, ETIMEDOUT…), for the words the queue shows. */
  readonly reason: string;
  constructor(message: string, reason?: string) {
    super(message);
    this.name = 'PrinterUnreachableError';
    this.reason = reason ?? message;
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
]);

export function unreachable(err: unknown, what: string): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && UNREACHABLE_CODES.has(code)) return new PrinterUnreachableError(`${what}: ${code}`, code);
  // A PDF folder on a full, read-only or vanished disk waits as an unplugged printer does.
  const storage = storageErrorCode(err);
  if (storage) {
    const what2 = STORAGE_PROBLEM_TEXT[STORAGE_STATE_OF_CODE[storage]].what;
    return new PrinterUnreachableError(`${what}: ${what2} (${code})`, what2);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** How a reader judges what has arrived: the length of a whole answer, not yet, or not an answer at all. */
export type AnswerCheck = (received: Buffer) => number | 'wait' | 'garbage';

export class TcpLink {
  private received = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private closed = false;
  private failure: Error | null = null;
  /** Every byte written has left. */
  private flushed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly what: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
    socket.once('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', (err) => {
      this.failure = err;
      this.wake?.();
    });
  }

  static open(host: string, port: number, what: string, timeoutMs: number): Promise<TcpLink> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setTimeout(timeoutMs, () =>
        socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
      );
      const onError = (err: Error) => reject(unreachable(err, what));
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new TcpLink(socket, what));
      });
    });
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /**
   * The next answer, once `check` finds a whole one in what arrived; null when the printer says
   * nothing readable within `timeoutMs` (or hangs up). Garbage is returned as it came, marked.
   */
  async read(
    check: AnswerCheck,
    timeoutMs: number,
  ): Promise<{ answer: Buffer } | { garbage: Buffer } | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const verdict = this.received.length ? check(this.received) : 'wait';
      if (verdict === 'garbage') {
        const garbage = this.received;
        this.received = Buffer.alloc(0);
        return { garbage };
      }
      if (verdict !== 'wait') {
        const answer = this.received.subarray(0, verdict);
        this.received = this.received.subarray(verdict);
        return { answer };
      }
      if (this.closed || this.failure) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Writes the last bytes and waits for the printer to hang up. */
  finish(bytes: Buffer | string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure || this.closed) {
        reject(
          unreachable(this.failure ?? Object.assign(new Error('closed'), { code: 'ECONNRESET' }), this.what),
        );
        return;
      }
      this.socket.once('finish', () => (this.flushed = true));
      this.socket.once('error', (err) => (this.flushed ? resolve() : reject(unreachable(err, this.what))));
      this.socket.once('close', (hadError) => {
        if (!hadError) resolve();
      });
      this.socket.end(bytes);
    });
  }

  /** Writes the bytes and resolves once every one has left; rejects when the connection breaks first. */
  send(bytes: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure || this.closed) {
        reject(
          unreachable(this.failure ?? Object.assign(new Error('closed'), { code: 'ECONNRESET' }), this.what),
        );
        return;
      }
      this.socket.write(bytes, (err) => (err ? reject(unreachable(err, this.what)) : resolve()));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
