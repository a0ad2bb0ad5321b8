// Credentials never touch SQLite or plain files: the mirror stores only a reference, and the
// secret itself lives in a SecretStore — Electron safeStorage in the app, memory in tests.

export interface SecretStore {
  get(ref: string): string | null;
  set(ref: string, secret: string): void;
  delete(ref: string): void;
  /** Whether secrets are really encrypted at rest (safeStorage on Linux can fall back to plain text). */
  readonly encryptedAtRest: boolean;
}

export class MemorySecretStore implements SecretStore {
  readonly encryptedAtRest = false;
  private readonly secrets = new Map<string, string>();
  get(ref: string): string | null {
    return this.secrets.get(ref) ?? null;
  }
  set(ref: string, secret: string): void {
    this.secrets.set(ref, secret);
  }
  delete(ref: string): void {
    this.secrets.delete(ref);
  }
}
