// The app's SecretStore: credentials sealed with Electron's safeStorage (the OS keychain:
// Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux), kept as base64 blobs in one
// JSON file in the user-data folder. No electron import: main.ts passes `safeStorage` in, and
// the unit tests pass a fake.
//
// On Linux safeStorage may fall back to `basic_text` (a hard-coded key: not real protection), and
// on any system it may be unavailable altogether. The store still works then — the desk must not
// stop — but `encryptedAtRest` is false, so the admin is told the truth.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretStore } from '../ground/secrets.ts';

/** The part of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent or 'unknown' elsewhere. */
  getSelectedStorageBackend?(): string;
}

/** How one secret is kept: sealed by safeStorage, or only base64 where no encryption exists. */
interface StoredSecret {
  scheme: 'safeStorage' | 'unencrypted';
  data: string;
}

interface CredentialsFile {
  version: 1;
  secrets: Record<string, StoredSecret>;
}

function isStoredSecret(v: unknown): v is StoredSecret {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return (o.scheme === 'safeStorage' || o.scheme === 'unencrypted') && typeof o.data === 'string';
}

export interface SafeStorageStatus {
  /** safeStorage.isEncryptionAvailable() */
  available: boolean;
  /** The Linux backend (gnome_libsecret, kwallet…, basic_text), or null where not reported. */
  backend: string | null;
  encryptedAtRest: boolean;
  /** One sentence for logs and the admin, when secrets are not really encrypted. */
  warning: string | null;
}

export function describeSafeStorage(safe: SafeStorageLike): SafeStorageStatus {
  let available = false;
  try {
    available = safe.isEncryptionAvailable();
  } catch {
    available = false;
  }
  let backend: string | null = null;
  try {
    backend = safe.getSelectedStorageBackend?.() ?? null;
  } catch {
    backend = null;
  }
  if (!available) {
    return {
      available,
      backend,
      encryptedAtRest: false,
      warning:
        'The system keychain is not available: credentials are stored without encryption on this station.',
    };
  }
  if (backend === 'basic_text') {
    return {
      available,
      backend,
      encryptedAtRest: false,
      warning:
        'No system keyring (libsecret or KWallet) was found: safeStorage uses its plain-text fallback (basic_text), so credentials are not really encrypted on this station.',
    };
  }
  return { available, backend, encryptedAtRest: true, warning: null };
}

export class SafeStorageSecretStore implements SecretStore {
  readonly encryptedAtRest: boolean;
  readonly status: SafeStorageStatus;

  constructor(
    private readonly safe: SafeStorageLike,
    /** The JSON file, e.g. <userData>/credentials.json */
    private readonly path: string,
  ) {
    this.status = describeSafeStorage(safe);
    this.encryptedAtRest = this.status.encryptedAtRest;
  }

  get(ref: string): string | null {
    const stored = this.read().secrets[ref];
    if (!stored) return null;
    try {
      if (stored.scheme === 'unencrypted') {
        const secret = Buffer.from(stored.data, 'base64').toString('utf8');
        // Seal it now if the keychain has become available since it was stored.
        if (this.status.available) this.set(ref, secret);
        return secret;
      }
      if (!this.status.available) return null;
      return this.safe.decryptString(Buffer.from(stored.data, 'base64'));
    } catch {
      // Sealed under another OS user or keyring, or damaged: treat as missing, so the
      // integration asks to be connected again instead of the app crashing.
      return null;
    }
  }

  set(ref: string, secret: string): void {
    const file = this.read();
    file.secrets[ref] = this.status.available
      ? { scheme: 'safeStorage', data: this.safe.encryptString(secret).toString('base64') }
      : { scheme: 'unencrypted', data: Buffer.from(secret, 'utf8').toString('base64') };
    this.write(file);
  }

  delete(ref: string): void {
    const file = this.read();
    if (!(ref in file.secrets)) return;
    delete file.secrets[ref];
    this.write(file);
  }

  private read(): CredentialsFile {
    const empty: CredentialsFile = { version: 1, secrets: {} };
    if (!existsSync(this.path)) return empty;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      // Keep the damaged file for inspection rather than overwriting it on the next write.
      this.quarantine();
      return empty;
    }
    const secrets = (parsed as { secrets?: unknown } | null)?.secrets;
    if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
      this.quarantine();
      return empty;
    }
    const out: Record<string, StoredSecret> = {};
    for (const [ref, value] of Object.entries(secrets as Record<string, unknown>)) {
      if (isStoredSecret(value)) out[ref] = { scheme: value.scheme, data: value.data };
    }
    return { version: 1, secrets: out };
  }

  /** Whole file to a temp file (0600), then renamed over the old one: a crash never leaves half a file. */
  private write(file: CredentialsFile): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
    try {
      chmodSync(this.path, 0o600);
    } catch {
      // Not supported everywhere (Windows); the ACL of the user-data folder applies there.
    }
  }

  private quarantine(): void {
    try {
      renameSync(this.path, `${this.path}.damaged-${Date.now()}`);
    } catch {
      // Nothing more to do: the next write replaces it.
    }
  }
}
