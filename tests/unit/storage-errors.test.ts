// The one mapping of storage failures to typed errors, the banner words, and start-up failures in plain words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStorageError, storageErrorCode } from '../../main/db/storage-errors.ts';
import { describeStartupFailure, startupFailureText } from '../../main/app/startup-failure.ts';
import { DatabaseTooNewError } from '../../main/db/open.ts';
import { describeStorage, type StorageStatus } from '../../shared/storage.ts';
import { AppError } from '../../shared/errors.ts';

const err = (code: string, message = code) => Object.assign(new Error(message), { code });

test('SQLite and file-system codes map to the three storage errors, each once; anything else is not a storage error', () => {
  const cases: [string, string | null][] = [
    ['SQLITE_FULL', 'STORAGE_FULL'],
    ['ENOSPC', 'STORAGE_FULL'],
    ['EDQUOT', 'STORAGE_FULL'],
    ['SQLITE_READONLY', 'STORAGE_READ_ONLY'],
    ['SQLITE_READONLY_DBMOVED', 'STORAGE_READ_ONLY'],
    ['EROFS', 'STORAGE_READ_ONLY'],
    ['EACCES', 'STORAGE_READ_ONLY'],
    ['SQLITE_CANTOPEN', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_IOERR', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_IOERR_WRITE', 'STORAGE_UNAVAILABLE'],
    ['EIO', 'STORAGE_UNAVAILABLE'],
    ['SQLITE_IOERR_NOMEM', null],
    ['SQLITE_CONSTRAINT_UNIQUE', null],
    ['SQLITE_CORRUPT', null],
    ['SQLITE_FULLNESS', null],
    ['ECONNREFUSED', null],
  ];
  for (const [code, expected] of cases) assert.equal(storageErrorCode(err(code)), expected, code);
  assert.equal(storageErrorCode(new Error('no code')), null);
  assert.equal(storageErrorCode(new AppError('NOT_FOUND', 'x')), null);
  const typed = classifyStorageError(err('SQLITE_FULL', 'database or disk is full'))!;
  assert.equal(typed.code, 'STORAGE_FULL');
  assert.match(typed.message, /^Not saved\. The disk of this computer is full\. Free some space/);
  assert.deepEqual(typed.details, { cause: 'SQLITE_FULL' });
  assert.equal(classifyStorageError(err('SQLITE_BUSY')), null);
});

const status = (over: Partial<StorageStatus>): StorageStatus => ({
  state: 'ok',
  since: null,
  freeBytes: 10 * 1024 ** 3,
  lowSpaceThresholdBytes: 200 * 1024 ** 2,
  lowSpace: false,
  dataDir: '/data',
  ...over,
});

test('the banner: not saving wins over low space; low space names what is left; all well shows nothing', () => {
  assert.equal(describeStorage(status({})), null);
  const full = describeStorage(status({ state: 'full', lowSpace: true, freeBytes: 0 }))!;
  assert.equal(full.tone, 'red');
  assert.equal(full.title, 'Check-ins are not being saved');
  assert.match(full.body, /disk of this computer is full.*saves again by itself/);
  assert.match(describeStorage(status({ state: 'read_only' }))!.body, /can no longer be written/);
  assert.match(describeStorage(status({ state: 'unavailable' }))!.body, /cannot be reached/);
  const low = describeStorage(status({ lowSpace: true, freeBytes: 120 * 1024 ** 2 }))!;
  assert.equal(low.tone, 'amber');
  assert.match(low.body, /Only 120 MB left .*\(below 200 MB\)/);
});

test('start-up failures say what happened and what to do, in plain words, without a stack trace', () => {
  const dir = '/home/desk/.config/Badge Desk';
  const tooNew = describeStartupFailure(new DatabaseTooNewError(9, 5), dir);
  assert.equal(tooNew.kind, 'database_too_new');
  assert.match(tooNew.what, /newer version of Badge Desk \(its version 9; this one knows up to 5\)/);
  const native = describeStartupFailure(
    new Error(
      "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115.",
    ),
    dir,
  );
  assert.equal(
    native.kind,
    'native_module',
    'better-sqlite3 names the mismatch on a later line of its message',
  );
  assert.match(native.todo, /Reinstall Badge Desk/);
  const full = describeStartupFailure(err('SQLITE_FULL'), dir);
  assert.equal(full.kind, 'storage');
  assert.match(full.what, /disk of this computer is full/);
  assert.match(full.todo, /Then start Badge Desk again/);
  const odd = new Error('boom\n    at secret (/src/x.ts:1:1)');
  const unexpected = describeStartupFailure(odd, dir);
  assert.equal(unexpected.kind, 'unexpected');
  const text = startupFailureText(unexpected);
  assert.doesNotMatch(text, /\n\s+at /);
  assert.match(text, /^Badge Desk could not start: .*boom\nWhat to do: /);
});
