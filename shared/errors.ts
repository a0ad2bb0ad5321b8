// Typed errors that cross every boundary (core API, IPC, browser host) as data, not as thrown
// class instances: an Electron IPC rejection loses the class, so the code is what callers match on.

export const ERROR_CODES = [
  'INVALID_INPUT', // the caller sent something that does not fit the contract
  'FORBIDDEN', // the actor's role may not do this
  'NOT_FOUND',
  'CONFLICT', // e.g. the event is already added, a sync is already running
  'INVALID_STATE', // e.g. Reconnect on an ACTIVE event
  'CREDENTIAL_REJECTED', // the provider refused the token or key
  'PROVIDER_UNAVAILABLE', // 5xx, timeouts, resets, offline, after retries
  'PROVIDER_BAD_RESPONSE', // the provider answered with something we cannot read
  // The station's own storage (see main/db/storage-errors.ts, the one place that maps SQLite and
  // file-system codes to these): nothing was saved, and nothing the desk claimed to save is lost.
  'STORAGE_FULL', // the disk holding the data folder is full
  'STORAGE_READ_ONLY', // the data folder or its drive can no longer be written
  'STORAGE_UNAVAILABLE', // the data folder cannot be reached (a drive pulled, an I/O error)
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toJSON(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export const STORAGE_ERROR_CODES = [
  'STORAGE_FULL',
  'STORAGE_READ_ONLY',
  'STORAGE_UNAVAILABLE',
] as const satisfies readonly ErrorCode[];
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

export function isStorageErrorCode(code: unknown): code is StorageErrorCode {
  return (STORAGE_ERROR_CODES as readonly unknown[]).includes(code);
}
