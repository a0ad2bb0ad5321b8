// This station's own storage, opened for the core: the mirror's database (a damaged file set
// aside and read back), WAL checkpoints, and the watch on the disk that says whether check-ins
// are being saved.
import { join } from 'node:path';
import { openMirror, type SetAsideFile } from '../db/recovery.ts';
import { salvageDatabase } from '../db/salvage.ts';
import { SalvageStore } from '../db/salvage-store.ts';
import { StorageHealth, type StorageHealthOptions } from '../db/storage-health.ts';
import { WalCheckpointer } from '../db/wal-checkpointer.ts';
import { storageErrorCode } from '../db/storage-errors.ts';
import { MirrorStore } from '../db/store.ts';
import type { Db } from '../db/open.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { SecretStore } from '../ground/secrets.ts';
import { IntegrationAccounts } from './integration-accounts.ts';

export interface StationStorageOptions {
  /** Folder for the database. */
  dataDir: string;
  /** The credentials: a damaged database's integrations come back only where this station still holds one. */
  secretStore: SecretStore;
  sqliteNativeBinding?: string | undefined;
  walCheckpoints?: 'worker' | 'on commit';
  storage?: Pick<StorageHealthOptions, 'lowSpaceBytes' | 'intervalMs' | 'failingIntervalMs' | 'freeBytes'>;
}

export interface StationStorage {
  db: Db;
  store: MirrorStore;
  salvageStore: SalvageStore;
  storage: StorageHealth;
  /** The WAL checkpointer, once started (null before, and where checkpoints run in the commits). */
  checkpointer(): WalCheckpointer | null;
  /** Starts the checkpointer's worker (idempotent): start-up work that waits until the desk answers. */
  startCheckpoints(): void;
  /**
   * Housekeeping writes (at start-up, after a job) that must not stop the app when the folder
   * refuses writes: the desk still searches and shows who is checked in, and the banner says
   * check-ins are not being saved. Any other failure goes up as before.
   */
  tolerateStorage(write: () => void): void;
}

export function openStationStorage(
  options: StationStorageOptions,
  core: { now: () => string; events: CoreEvents },
): StationStorage {
  const { now, events } = core;
  const dbPath = join(options.dataDir, 'badge-desk.sqlite');
  const checkpoints = options.walCheckpoints ?? 'worker';
  const { db, setAside } = openMirror(dbPath, {
    nativeBinding: options.sqliteNativeBinding,
    checkpoints,
    now,
  });
  const store = new MirrorStore(db);
  const salvageStore = new SalvageStore(db);
  const integrationAccounts = new IntegrationAccounts(options.secretStore);
  if (setAside) recoverFromDamaged(setAside);
  rememberIntegrationAccounts();
  // A database opened read-only (a read-only folder) has nothing to checkpoint. Until the worker
  // starts nothing checkpoints (wal_autocheckpoint is 0): the WAL a crash left waits a few seconds.
  let checkpointer: WalCheckpointer | null = null;
  const startCheckpoints = () => {
    if (checkpointer || checkpoints !== 'worker' || db.readonly || !db.open) return;
    checkpointer = new WalCheckpointer(db, dbPath, { nativeBinding: options.sqliteNativeBinding });
  };
  const storage = new StorageHealth({
    dataDir: options.dataDir,
    dbPath,
    db,
    now,
    onChange: (s) => events.emit('storageChanged', s),
    ...options.storage,
  });
  storage.start();

  /**
   * A damaged file was set aside: read back what still reads, offer its check-ins, and restore
   * the integrations whose credential this station still holds (credentials live outside the
   * database), so the admin's way back is one re-import per event.
   */
  function recoverFromDamaged(aside: SetAsideFile): void {
    const salvaged = salvageDatabase(aside.file, { nativeBinding: options.sqliteNativeBinding });
    // The accounts kept beside the credentials come back even when the file reads nothing.
    const candidates = new Map(integrationAccounts.list().map((a) => [a.secretRef, a]));
    for (const i of salvaged.integrations) candidates.set(i.secretRef, i);
    let restored = 0;
    for (const i of candidates.values()) {
      if (options.secretStore.get(i.secretRef) === null) continue;
      store.upsertIntegration({ ...i, now: now() });
      restored++;
    }
    salvageStore.recordDamaged(aside, salvaged, restored);
  }

  /**
   * The secret store's list of accounts follows the database's integrations, so a data folder
   * whose integrations were connected before the list existed has it from its next start. A
   * secret store that refuses the write costs only this copy: the database still has them.
   */
  function rememberIntegrationAccounts(): void {
    const accounts = store.listIntegrations().flatMap((i) => {
      const stored = store.getIntegration(i.id);
      return stored ? [{ ...i, secretRef: stored.secretRef }] : [];
    });
    try {
      integrationAccounts.replaceAll(accounts);
    } catch (err) {
      if (!storageErrorCode(err)) throw err;
    }
  }

  function tolerateStorage(write: () => void): void {
    try {
      write();
    } catch (err) {
      if (!storageErrorCode(err)) throw err;
      storage.failed(err);
    }
  }

  return {
    db,
    store,
    salvageStore,
    storage,
    checkpointer: () => checkpointer,
    startCheckpoints,
    tolerateStorage,
  };
}
