// The station's storage, as the core offers it: whether check-ins are being saved and free
// space (the desk banner, the low-space warning), WAL checkpoints, and a damaged database's
// notices and salvaged check-ins.
import type { SalvageStore } from '../db/salvage-store.ts';
import type { StorageHealth } from '../db/storage-health.ts';
import type { VenueStore } from '../db/venue-store.ts';
import type { WalCheckpointer } from '../db/wal-checkpointer.ts';
import type { CoreEvents } from '../ground/events.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';
import type { DamagedDatabaseNotice, SalvagedCheckIn, StorageStatus } from '../../shared/storage.ts';
import { requireAdmin } from './guards.ts';

export interface SalvageDeps {
  salvageStore: SalvageStore;
  /** The check-in log the salvaged check-ins go into. */
  checkInLog: VenueStore;
  events: CoreEvents;
  /** Local check-ins go to the venue's document too. */
  publishCheckIns(eventId: number, actionIds: readonly string[]): void;
}

/** Accepted salvaged check-ins whose attendees exist (again) go into the log. */
export function applySalvaged(deps: SalvageDeps): void {
  const applied = deps.salvageStore.applyWaiting(deps.checkInLog);
  for (const [eventId, { attendeeIds, actionIds }] of applied.byEvent) {
    deps.publishCheckIns(eventId, actionIds);
    deps.events.emit('checkinsChanged', { eventId, attendeeIds });
  }
}

export interface StorageHandlersDeps {
  storage: StorageHealth;
  checkpointer: () => WalCheckpointer | null;
  salvage: SalvageDeps;
  now(): string;
}

export function createStorageHandlers({ storage, checkpointer, salvage, now }: StorageHandlersDeps) {
  const { salvageStore } = salvage;
  function requireDamaged(damagedId: number): void {
    if (!salvageStore.exists(damagedId)) throw new AppError('NOT_FOUND', `no damaged database ${damagedId}`);
  }

  return {
    /** Whether writes go through, and free space; the desk banner and the low-space warning read it. */
    storageStatus(): StorageStatus {
      return storage.status();
    },

    /** Looks again now (the banner's "Try again"): free space, and a write while writes fail. */
    recheckStorage(): Promise<StorageStatus> {
      return storage.refresh();
    },

    /** A storage failure seen outside the desk (settings, printing...): the typed error, and the banner. */
    noteStorageFailure(err: unknown): unknown {
      return storage.failed(err);
    },

    walCheckpoints() {
      return checkpointer()?.info() ?? null;
    },

    // ---- a damaged database ----

    damagedDatabases(): DamagedDatabaseNotice[] {
      return salvageStore.notices();
    },

    salvagedCheckIns(
      actor: Actor,
      damagedId: number,
      page: { offset: number; limit: number },
    ): SalvagedCheckIn[] {
      requireAdmin(actor);
      requireDamaged(damagedId);
      return salvageStore.list(damagedId, page.limit, page.offset);
    },

    /** The admin imports the salvaged check-ins: each goes into the log once its attendee exists. */
    importSalvaged(actor: Actor, damagedId: number): DamagedDatabaseNotice {
      requireAdmin(actor);
      requireDamaged(damagedId);
      salvageStore.accept(damagedId);
      applySalvaged(salvage);
      return salvageStore.notices().find((n) => n.id === damagedId)!;
    },

    dismissDamaged(actor: Actor, damagedId: number): void {
      requireAdmin(actor);
      requireDamaged(damagedId);
      salvageStore.dismiss(damagedId, now());
    },
  };
}

export type StorageHandlers = ReturnType<typeof createStorageHandlers>;
