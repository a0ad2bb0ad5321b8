// The station's own storage: whether check-ins are being saved (the desk's red banner), free
// space running low (the amber warning on the event page and the desk), and the admin's notice
// about a damaged database with the check-ins salvaged from it. Main pushes every change of the
// storage state; the notices are re-read after a load, a reconnect, or a finished import (which
// is when salvaged check-ins find their attendees again).
import type { DamagedDatabaseNotice, SalvagedCheckIn, StorageStatus } from '../../../shared/storage.ts';
import { errorMessage } from '../ui/format.ts';
import { Coalescer } from '../app/scheduling.ts';
import type { SliceCreator } from '../app/store-kit.ts';

/** How many salvaged check-ins the notice lists (the rest are counted). */
export const SALVAGED_SHOWN = 200;

export interface SalvagedList {
  damagedId: number;
  rows: SalvagedCheckIn[];
}

export interface StorageSlice {
  /** Null until first read. */
  storage: StorageStatus | null;
  damagedDatabases: DamagedDatabaseNotice[];
  /** The salvaged check-ins an admin opened, if any. */
  salvaged: SalvagedList | null;
  storageError: string | null;
  /** "Try again" on the banner: main looks at the disk now (it also does by itself). */
  recheckStorage(): Promise<void>;
  showSalvaged(damagedId: number): Promise<void>;
  importSalvaged(damagedId: number): Promise<void>;
  dismissDamaged(damagedId: number): Promise<void>;
}

export const createStorageSlice: SliceCreator<StorageSlice> =
  ({ call, adminCall, signals }) =>
  (set, get) => {
    const refreshes = new Coalescer();

    const refresh = () =>
      refreshes
        .run('storage', async () => {
          const [storage, damagedDatabases] = await Promise.all([
            call('storage.status', {}),
            call('recovery.notices', {}),
          ]);
          set({ storage, damagedDatabases, storageError: null });
        })
        .catch((err: unknown) => set({ storageError: errorMessage(err) }));

    const refreshNotices = () =>
      refreshes
        .run('notices', async () => {
          set({ damagedDatabases: await call('recovery.notices', {}) });
          const open = get().salvaged;
          if (open) await get().showSalvaged(open.damagedId);
        })
        .catch(() => undefined);

    signals.onPush('storageChanged', (storage) => set({ storage }));
    signals.onPush('jobFinished', () => {
      if (get().damagedDatabases.length > 0) void refreshNotices();
    });
    signals.onRoute((_route, cause) => {
      if (cause === 'load') void refresh();
    });
    signals.onReconnect(() => void refresh());

    return {
      storage: null,
      damagedDatabases: [],
      salvaged: null,
      storageError: null,

      async recheckStorage() {
        set({ storage: await call('storage.recheck', {}) });
      },

      async showSalvaged(damagedId) {
        const rows = await adminCall('recovery.salvaged', { damagedId, offset: 0, limit: SALVAGED_SHOWN });
        set({ salvaged: { damagedId, rows } });
      },

      async importSalvaged(damagedId) {
        const notice = await adminCall('recovery.importSalvaged', { damagedId });
        set((s) => ({ damagedDatabases: s.damagedDatabases.map((n) => (n.id === damagedId ? notice : n)) }));
        const { applied, accepted } = notice.salvage;
        get().toast(
          accepted > 0
            ? `${applied} salvaged check-ins added; ${accepted} wait for their event to be imported again`
            : `${applied} salvaged check-ins added to the log`,
          'success',
        );
        if (get().salvaged?.damagedId === damagedId) await get().showSalvaged(damagedId);
      },

      async dismissDamaged(damagedId) {
        await adminCall('recovery.dismiss', { damagedId });
        set((s) => ({
          damagedDatabases: s.damagedDatabases.filter((n) => n.id !== damagedId),
          salvaged: s.salvaged?.damagedId === damagedId ? null : s.salvaged,
        }));
      },
    };
  };
