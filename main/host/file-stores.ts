// The browser host's stand-ins for electron-store and safeStorage: small files in its data folder.
import { readFileSync, writeFileSync, renameSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../app/types.ts';
import type { SecretStore } from '../ground/secrets.ts';

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    // A corrupt settings file falls back to defaults rather than stopping the desk.
    return {};
  }
}

/** Written whole to a temp file and renamed, so a crash never leaves half a file. */
function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

export class JsonFileStore implements KeyValueStore {
  constructor(private readonly path: string) {}
  get(key: string): unknown {
    return readJson(this.path)[key];
  }
  set(key: string, value: unknown): void {
    writeJsonAtomic(this.path, { ...readJson(this.path), [key]: value });
  }
}

/**
 * Secrets sealed with AES-256-GCM under a key kept in a separate file. This only keeps tokens
 * out of plain sight: the key sits beside them, so `encryptedAtRest` is false and the UI says so.
 * The Electron app uses the OS keychain through safeStorage instead.
 */
export class FileSecretStore implements SecretStore {
  readonly encryptedAtRest = false;
  private readonly key: Buffer;
  constructor(
    private readonly path: string,
    keyPath: string,
  ) {
    if (existsSync(keyPath)) this.key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
    else {
      this.key = randomBytes(32);
      mkdirSync(dirname(keyPath), { recursive: true });
      writeFileSync(keyPath, this.key.toString('base64'), { mode: 0o600 });
    }
  }
  get(ref: string): string | null {
    const sealed = readJson(this.path)[ref];
    if (typeof sealed !== 'string') return null;
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
  set(ref: string, secret: string): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    writeJsonAtomic(this.path, { ...readJson(this.path), [ref]: sealed });
  }
  delete(ref: string): void {
    const all = readJson(this.path);
    delete all[ref];
    writeJsonAtomic(this.path, all);
  }
}
