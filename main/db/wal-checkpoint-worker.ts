// The WAL checkpointer's thread (started by wal-checkpointer.ts): its own connection to the
// mirror, a PASSIVE checkpoint now and then. PASSIVE never waits for a lock and never holds one
// a writer needs, so the main thread's commits go on while pages are copied back to the file.
// Bundled as out/main/wal-checkpoint-worker.mjs for Electron (scripts/build.mjs).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointWorkerData {
  path: string;
  nativeBinding?: string | undefined;
  intervalMs: number;
}

export type CheckpointWorkerMessage =
  | { kind: 'ready' }
  | { kind: 'checkpointed'; walFrames: number; copied: number; ms: number }
  | { kind: 'failed'; code: string; message: string };

const { path, nativeBinding, intervalMs } = workerData as CheckpointWorkerData;
const port = parentPort!;
const db = new Database(path, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
db.pragma('busy_timeout = 0');
port.postMessage({ kind: 'ready' } satisfies CheckpointWorkerMessage);

let copiedBefore = -1;
const timer = setInterval(() => {
  const t0 = performance.now();
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    // Only news is sent: a quiet WAL costs the main thread nothing.
    if (r && r.checkpointed !== copiedBefore && r.log > 0) {
      port.postMessage({
        kind: 'checkpointed',
        walFrames: r.log,
        copied: r.checkpointed,
        ms: performance.now() - t0,
      } satisfies CheckpointWorkerMessage);
    }
    copiedBefore = r?.checkpointed ?? -1;
  } catch (err) {
    // A full disk can refuse the file's growth: the WAL keeps the pages, and the next round tries again.
    const code = (err as { code?: unknown }).code;
    port.postMessage({
      kind: 'failed',
      code: typeof code === 'string' ? code : 'UNKNOWN',
      message: (err as Error).message,
    } satisfies CheckpointWorkerMessage);
  }
}, intervalMs);

port.on('message', (m: unknown) => {
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
