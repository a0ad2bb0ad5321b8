// The one place where the station's storage failures (SQLite result codes and file-system errno
// codes) become typed errors. Everything that writes to the data folder (the database, the PDF
// printer folder, the settings files) asks here, so "the disk is full" reads the same everywhere.
import { accessSync, constants } from 'node:fs';
import { AppError, isStorageErrorCode, type StorageErrorCode } from '../../shared/errors.ts';
import { STORAGE_STATE_OF_CODE, storageProblem } from '../../shared/storage.ts';

// SQLite's extended codes name their primary code first (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED...).
const SQLITE_PREFIXES: readonly [string, StorageErrorCode][] = [
  ['SQLITE_FULL', 'STORAGE_FULL'],
  ['SQLITE_READONLY', 'STORAGE_READ_ONLY'],
  ['SQLITE_CANTOPEN', 'STORAGE_UNAVAILABLE'],
  ['SQLITE_IOERR', 'STORAGE_UNAVAILABLE'],
];

const ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ENOSPC: 'STORAGE_FULL',
  EDQUOT: 'STORAGE_FULL',
  EROFS: 'STORAGE_READ_ONLY',
  EACCES: 'STORAGE_READ_ONLY',
  EPERM: 'STORAGE_READ_ONLY',
  EIO: 'STORAGE_UNAVAILABLE',
  ENXIO: 'STORAGE_UNAVAILABLE',
  ENODEV: 'STORAGE_UNAVAILABLE',
  // The data folder itself is gone (a drive pulled, a folder deleted under the app).
  ENOENT: 'STORAGE_UNAVAILABLE',
};

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The storage error code of a failure, or null when it is not the storage failing. */
export function storageErrorCode(err: unknown): StorageErrorCode | null {
  if (err instanceof AppError) return isStorageErrorCode(err.code) ? err.code : null;
  const code = codeOf(err);
  if (!code) return null;
  if (code.startsWith('SQLITE_')) {
    // SQLITE_IOERR_NOMEM is memory, not the disk; SQLITE_IOERR_SHORT_READ etc. are the disk.
    if (code === 'SQLITE_IOERR_NOMEM') return null;
    return SQLITE_PREFIXES.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1] ?? null;
  }
  return ERRNO[code] ?? null;
}

/**
 * The storage error code of a failure in `dir`. SQLite says only "I/O error" or "cannot open"
 * for a drive that went read-only or away: the folder itself tells which.
 */
export function storageErrorCodeIn(err: unknown, dir: string): StorageErrorCode | null {
  const code = storageErrorCode(err);
  if (code !== 'STORAGE_UNAVAILABLE') return code;
  try {
    accessSync(dir, constants.W_OK);
    return code;
  } catch (folderErr) {
    return storageErrorCode(folderErr) ?? code;
  }
}

/** The plain-words typed error for a storage code: what happened, check-ins not saved, what to do. */
export function storageError(code: StorageErrorCode, cause?: unknown): AppError {
  const text = storageProblem(STORAGE_STATE_OF_CODE[code]);
  const detail = codeOf(cause);
  return new AppError(code, `Not saved. ${text.what} ${text.todo}`, detail ? { cause: detail } : undefined);
}

/** The typed error of a storage failure, or null when `err` is something else. */
export function classifyStorageError(err: unknown): AppError | null {
  if (err instanceof AppError) return isStorageErrorCode(err.code) ? err : null;
  const code = storageErrorCode(err);
  return code ? storageError(code, err) : null;
}
