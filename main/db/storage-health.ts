// Watches the data folder: whether writes go through, and how much room is left. A failed write
// (disk full, read-only, folder gone) flips the state at once; while it is bad a probe tries a
// real write every second, and the first write that works (the probe's or a check-in's) flips it
// back, so the desk carries on by itself when space returns. Free space is read with statfs and
// compared with a threshold, to warn before the disk is full.
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './open.ts';
import { storageError, storageErrorCode, storageErrorCodeIn } from './storage-errors.ts';
import { AppError, isStorageErrorCode, type StorageErrorCode } from '../../shared/errors.ts';
import { STORAGE_STATE_OF_CODE, type StorageState, type StorageStatus } from '../../shared/storage.ts';

export const DEFAULT_LOW_SPACE_BYTES = 200 * 1024 * 1024;
const DEFAULT_INTERVAL_MS = 5_000;
const DEFAULT_FAILING_INTERVAL_MS = 1_000;
// The probe writes a block of this size beside the database, then removes it: a file system that
// takes it has room for a check-in's few pages.
const PROBE_BYTES = 64 * 1024;
const PROBE_FILE = '.badge-desk-write-probe';

export interface StorageHealthOptions {
  dataDir: string;
  /** The database file the connection has open (a vanished file means a vanished folder). */
  dbPath: string;
  db: Db;
  now: () => string;
  onChange: (status: StorageStatus) => void;
  lowSpaceBytes?: number;
  /** How often free space is read; tests inject a short one or drive refresh() by hand. */
  intervalMs?: number;
  /** How often a write is tried while writes fail. */
  failingIntervalMs?: number;
  /** Free bytes on the folder's disk (statfs); injectable for tests. */
  freeBytes?: (dir: string) => Promise<number>;
}

async function statfsFreeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export class StorageHealth {
  private state: StorageState = 'ok';
  private since: string | null = null;
  private free: number | null = null;
  private readonly threshold: number;
  private readonly freeBytesOf: (dir: string) => Promise<number>;
  private readonly fileIdentity: string | null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private refreshing: Promise<StorageStatus> | null = null;

  constructor(private readonly opts: StorageHealthOptions) {
    this.threshold = opts.lowSpaceBytes ?? DEFAULT_LOW_SPACE_BYTES;
    this.freeBytesOf = opts.freeBytes ?? statfsFreeBytes;
    this.fileIdentity = this.identityOfDbFile();
  }

  status(): StorageStatus {
    return {
      state: this.state,
      since: this.since,
      freeBytes: this.free,
      lowSpaceThresholdBytes: this.threshold,
      lowSpace: this.free !== null && this.free < this.threshold,
      dataDir: this.opts.dataDir,
    };
  }

  /** Starts the periodic look (an unref'd real timer: it never holds the process). */
  start(): void {
    void this.refresh();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Before a write the desk acknowledges: refuses at once while the folder is known to be
   * read-only or gone, or when the database file is no longer the one open (its folder was
   * deleted or the drive pulled: a write would land in a file nobody will ever read).
   */
  beforeWrite(): void {
    if (this.fileIdentity !== null && this.identityOfDbFile() !== this.fileIdentity) {
      throw this.failed(Object.assign(new Error('the database file is gone'), { code: 'ENOENT' }));
    }
    if (this.state === 'read_only' || this.state === 'unavailable') this.probe();
  }

  /** A write went through: writes work (again). */
  written(): void {
    if (this.state !== 'ok') this.setState('ok');
  }

  /** A write failed: the typed error to answer with (a storage one flips the state), else `err` itself. */
  failed(err: unknown): unknown {
    if (err instanceof AppError && !isStorageErrorCode(err.code)) return err;
    const code =
      err instanceof AppError ? (err.code as StorageErrorCode) : storageErrorCodeIn(err, this.opts.dataDir);
    if (!code) return err;
    this.setState(STORAGE_STATE_OF_CODE[code]);
    return err instanceof AppError ? err : storageError(code, err);
  }

  /** Reads free space and, while writes fail, tries one. Resolves with the status after. */
  refresh(): Promise<StorageStatus> {
    this.refreshing ??= this.look().finally(() => {
      this.refreshing = null;
      this.schedule();
    });
    return this.refreshing;
  }

  private async look(): Promise<StorageStatus> {
    const lowBefore = this.status().lowSpace;
    try {
      this.free = await this.freeBytesOf(this.opts.dataDir);
    } catch (err) {
      this.free = null;
      // statfs failing on the folder is the folder failing (gone, unreadable).
      if (storageErrorCode(err)) this.failed(err);
    }
    if (this.state !== 'ok') {
      try {
        this.probe();
      } catch {
        // Still failing: the state stays (probe() has set it).
      }
    }
    if (this.status().lowSpace !== lowBefore) this.opts.onChange(this.status());
    return this.status();
  }

  /** One real write: a block beside the database, synced and removed, then a database write. */
  private probe(): void {
    try {
      accessSync(this.opts.dataDir, constants.W_OK);
      const path = join(this.opts.dataDir, PROBE_FILE);
      const fd = openSync(path, 'w');
      try {
        writeSync(fd, Buffer.alloc(PROBE_BYTES));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
        unlinkSync(path);
      }
      // Rewriting user_version with its own value is a real commit (page 1 goes to the WAL)
      // that changes nothing: the database file itself takes writes.
      const version = this.opts.db.pragma('user_version', { simple: true }) as number;
      this.opts.db.pragma(`user_version = ${version}`);
    } catch (err) {
      const typed = this.failed(err);
      throw typed instanceof Error ? typed : storageError('STORAGE_UNAVAILABLE', err);
    }
    this.written();
  }

  private identityOfDbFile(): string | null {
    try {
      const s = statSync(this.opts.dbPath);
      return `${s.dev}:${s.ino}`;
    } catch {
      return null;
    }
  }

  private setState(next: StorageState): void {
    if (next === this.state) return;
    this.state = next;
    this.since = next === 'ok' ? null : this.opts.now();
    this.opts.onChange(this.status());
    if (next !== 'ok') this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const ms =
      this.state === 'ok'
        ? (this.opts.intervalMs ?? DEFAULT_INTERVAL_MS)
        : (this.opts.failingIntervalMs ?? DEFAULT_FAILING_INTERVAL_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, ms);
    this.timer.unref();
  }
}
