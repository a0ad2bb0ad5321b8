// Push events from the core (main -> renderer). One typed map, so IPC forwarding and tests
// listen to the same names.
import { EventEmitter } from 'node:events';
import type { SyncStatus } from '../../shared/sync-status.ts';
import type { IntegrationStatus, ProviderKind, SyncJob } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import type { StorageStatus } from '../../shared/storage.ts';

export interface CoreEventMap {
  statusChanged: { eventId: number; from: SyncStatus | null; to: SyncStatus; reason: string; at: string };
  jobProgress: { eventId: number; job: SyncJob };
  jobFinished: { eventId: number; job: SyncJob };
  attendeesChanged: { eventId: number; attendeeIds: number[] };
  checkinsChanged: { eventId: number; attendeeIds: number[] };
  printJobChanged: { job: PrintJob };
  integrationChanged: { integrationId: number; status: IntegrationStatus; reason: string | null };
  eventAdded: { eventId: number };
  /** The venue's entries for this event changed (remote entries arrived, or some were refused). */
  venueChanged: { eventId: number | null };
  /** Sync data of the event changed without a status change (next attempt, a repair, an internal error). */
  syncChanged: { eventId: number };
  /** This station's clock was compared with a provider's again and the verdict changed. */
  clockChecked: { provider: ProviderKind };
  /** The data folder started or stopped taking writes, or free space crossed the warning threshold. */
  storageChanged: StorageStatus;
  /** The venue's desks, presence, pairing or refusals changed (the venue panel re-reads its status). */
  venueDesksChanged: { venueId: string | null };
}

export type CoreEventName = keyof CoreEventMap;

export class CoreEvents {
  private readonly emitter = new EventEmitter();
  constructor() {
    // Every open window and test may listen; the default cap of 10 is for leak detection only.
    this.emitter.setMaxListeners(100);
  }
  on<K extends CoreEventName>(name: K, listener: (payload: CoreEventMap[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
  emit<K extends CoreEventName>(name: K, payload: CoreEventMap[K]): void {
    this.emitter.emit(name, payload);
  }
  /** Resolves with the first payload that matches; for tests and one-shot waits. */
  once<K extends CoreEventName>(name: K, match: (payload: CoreEventMap[K]) => boolean = () => true): Promise<CoreEventMap[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (p) => {
        if (match(p)) {
          off();
          resolve(p);
        }
      });
    });
  }
}
