// Keeps WAL checkpoints off the main thread. With SQLite's default, the commit that takes the WAL
// past 1,000 pages copies them all back into the database file and syncs it, inside that commit:
// 40-190 ms of a blocked event loop during a big import, and a check-in waits behind it. Here
// the main connection never checkpoints (wal_autocheckpoint = 0, see openDatabase) and a worker
// thread does, on its own connection (wal-checkpoint-worker.ts).
//
// In Electron the worker is a Node worker thread of the main process (Electron supports them,
// and reads their script from the asar archive). It loads better-sqlite3 itself: the packaged
// app's node_modules copy, rebuilt for Electron by electron-builder and kept out of the asar, or
// under `npm start` the same Electron build (nativeBinding) as the main thread. Should the worker
// fail to start or die, the main connection goes back to SQLite's own checkpoints: slower
// commits now and then, never a WAL that grows without end.
import { Worker } from 'node:worker_threads';
import type { Db } from './open.ts';
import type { CheckpointWorkerData, CheckpointWorkerMessage } from './wal-checkpoint-worker.ts';

const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * Starts the worker's script beside this module: the bundled .mjs in the app, or under tsx (tests,
 * the browser host) the .ts source, through a small ESM stub that registers tsx in the thread
 * first (a worker does not inherit the parent's module hooks on Node 20).
 */
function startWorker(workerData: CheckpointWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), { workerData });
  const source = new URL('./wal-checkpoint-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const stub = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(stub)}`), { workerData });
}

export interface WalCheckpointerStats {
  /** Checkpoints that copied pages. */
  checkpoints: number;
  /** The longest one took this long, in the worker. */
  longestMs: number;
  failures: number;
  lastFailure: string | null;
  running: boolean;
}

export class WalCheckpointer {
  private readonly worker: Worker | null;
  private readonly exited: Promise<void>;
  private readonly stats: WalCheckpointerStats = {
    checkpoints: 0,
    longestMs: 0,
    failures: 0,
    lastFailure: null,
    running: false,
  };
  private closing = false;
  private fellBack = false;

  constructor(
    private readonly db: Db,
    path: string,
    opts: {
      nativeBinding?: string | undefined;
      intervalMs?: number;
      onFailure?: (code: string) => void;
    } = {},
  ) {
    let worker: Worker | null = null;
    try {
      worker = startWorker({ path, nativeBinding: opts.nativeBinding, intervalMs: opts.intervalMs ?? 250 });
    } catch (err) {
      this.fallBack(err);
    }
    this.worker = worker;
    if (!worker) {
      this.exited = Promise.resolve();
      return;
    }
    worker.unref();
    worker.on('message', (m: CheckpointWorkerMessage) => {
      if (m.kind === 'ready') this.stats.running = true;
      else if (m.kind === 'checkpointed') {
        this.stats.checkpoints++;
        this.stats.longestMs = Math.max(this.stats.longestMs, m.ms);
      } else {
        this.stats.failures++;
        this.stats.lastFailure = m.code;
        opts.onFailure?.(m.code);
      }
    });
    worker.on('error', (err) => this.fallBack(err));
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        this.stats.running = false;
        if (!this.closing) this.fallBack(new Error('the checkpoint worker stopped'));
        resolve();
      }),
    );
  }

  info(): WalCheckpointerStats {
    return { ...this.stats };
  }

  /** Stops the worker (its connection closes first, so the main one is the last and checkpoints on close). */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.worker) return;
    this.worker.postMessage('close');
    const timeout = setTimeout(() => void this.worker?.terminate(), 5_000);
    await this.exited;
    clearTimeout(timeout);
  }

  private fallBack(err: unknown): void {
    if (this.closing || this.fellBack || !this.db.open) return;
    this.fellBack = true;
    this.stats.running = false;
    this.stats.lastFailure = err instanceof Error ? err.message : String(err);
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    console.warn(`Badge Desk: WAL checkpoints run in commits again (${this.stats.lastFailure})`);
  }
}
