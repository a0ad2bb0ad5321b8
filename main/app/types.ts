// What a host (the Electron shell, the browser host, tests) gives the app and gets back.
import type { SecretStore } from '../ground/secrets.ts';
import type { Clock } from '../ground/clock.ts';
import type { IpcResult, PushMessage } from '../../shared/ipc-contract.ts';
import type { ProviderKind } from '../../shared/types.ts';
import type { BadgeDeskCore, CoreDeps } from '../core/create-core.ts';
import type { OsPrinting } from '../printing/drivers.ts';

/** Small settings (electron-store in the app, a JSON file in the browser host). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

import type { Discovery } from '../venue/net/directory/discovery.ts';

export interface AppHostDeps {
  dataDir: string;
  secretStore: SecretStore;
  settingsStore: KeyValueStore;
  host: 'electron' | 'browser';
  clock?: Clock;
  providerBaseUrls?: Partial<Record<ProviderKind, string>>;
  /** Opens a URL in the system browser (OAuth); absent where the page opens it itself. */
  openExternal?: (url: string) => void;
  /** Environment (BADGE_DESK_ADMIN_PIN, provider URLs, OAuth client id). */
  env?: Record<string, string | undefined>;
  /** A better-sqlite3 native module built for this runtime (see openDatabase). */
  sqliteNativeBinding?: string | undefined;
  /** The OS printers, where the host has them (Electron). */
  osPrinting?: OsPrinting | undefined;
  /** Start live polling at once (the app does). */
  liveSync?: boolean;
  /** The free-space warning's threshold and how free space is read (tests). */
  storage?: CoreDeps['storage'];
  /**
   * The venue's network: where this desk listens for other desks and how it finds
   * them. Absent: the desk works alone (the venue panel says the network is not available).
   */
  venue?: {
    listen?: { host?: string; port?: number };
    discovery: Discovery | null;
    advertiseHosts?: string[];
  };
}

export interface AppHost {
  /** Validates channel and input against the contract, checks the role, runs it. Never throws. */
  invoke(channel: unknown, input: unknown): Promise<IpcResult<unknown>>;
  subscribe(listener: (message: PushMessage) => void): () => void;
  readonly core: BadgeDeskCore;
  close(): Promise<void>;
}
