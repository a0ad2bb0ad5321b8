// The sync engine: import jobs and the manual Sync (jobs.ts), live polling (live.ts), both over
// passes of the provider's listing with its watermark (listing.ts). It runs in the main process's
// event loop but never holds it long: provider pages arrive asynchronously and each page is
// written in its own short transaction.
//
// One owner per event at a time (owners.ts): a job or a live pass. Whatever goes wrong inside the
// engine is caught and recorded on the event, never thrown out of it (failures.ts): a rejection
// escaping a background promise would end a Node host process.
import type { ImportEta, SyncJob, SyncJobKind } from '../../shared/types.ts';
import { isPollingStatus } from '../../shared/sync-status.ts';
import type { SyncEngineDeps } from './engine-deps.ts';
import { disconnectEvent, guarded } from './failures.ts';
import { SyncJobs } from './jobs.ts';
import { ProviderListing } from './listing.ts';
import { LiveSync } from './live.ts';
import { EventOwners, takenOverReason } from './owners.ts';

export { DEFAULT_SYNC_OPTIONS, type SyncEngineDeps, type SyncEngineOptions } from './engine-deps.ts';

export class SyncEngine {
  private readonly owners = new EventOwners();
  private readonly jobs: SyncJobs;
  private readonly live: LiveSync;

  constructor(private readonly deps: SyncEngineDeps) {
    const listing = new ProviderListing(deps, this.owners);
    this.live = new LiveSync(deps, this.owners, listing);
    this.jobs = new SyncJobs(deps, this.owners, listing, this.live);
  }

  /** The station's poll interval setting, applied from the next scheduled pass on. */
  setPollInterval(ms: number): void {
    this.deps.options.pollIntervalMs = ms;
  }

  // ---- jobs ----

  /** Starts an import, re-import or manual Sync ('resync') in the background; returns it once recorded. */
  startJob(eventId: number, kind: SyncJobKind): SyncJob {
    return this.jobs.start(eventId, kind);
  }

  activeJob(eventId: number): SyncJob | undefined {
    return this.jobs.activeJob(eventId);
  }

  /** Resolves when the event's running job (if any) has finished. */
  waitForJob(eventId: number): Promise<void> {
    return this.jobs.waitForJob(eventId);
  }

  async waitForAllJobs(): Promise<void> {
    await this.owners.settled();
  }

  /** A running import's estimate (pages left at the pace seen, or the rate budget's if later). */
  importEta(eventId: number): ImportEta | null {
    return this.jobs.importEta(eventId);
  }

  // ---- live sync ----

  /** When live sync next calls the provider for the event, when that is worth showing; else null. */
  nextAttemptAt(eventId: number): string | null {
    return this.live.nextAttemptAt(eventId);
  }

  /** One live pass over one event (if it polls and is due or not); returns the requests made. */
  liveTick(eventId: number, signal?: AbortSignal): Promise<number> {
    return this.live.tick(eventId, signal);
  }

  /** One live pass over every event that is due; returns the requests made. */
  runLivePass(signal?: AbortSignal): Promise<number> {
    return this.live.runPass(signal);
  }

  /** Polls in the background until stopped. Never blocks the desk: every pass is async I/O. */
  startLiveSync(): void {
    this.live.start();
  }

  stopLiveSync(): Promise<void> {
    return this.live.stop();
  }

  // ---- a rejected credential, and shutting down ----

  /**
   * Marks every event of a rejected credential DISCONNECTED, except those mid-job (their job
   * does it). A live pass in flight over such an event is aborted: its answer no longer counts.
   */
  disconnectIntegrationEvents(integrationId: number, message: string): void {
    for (const eventId of this.deps.store.eventIdsOfIntegration(integrationId)) {
      const owner = this.owners.get(eventId);
      if (owner?.kind === 'job') continue;
      guarded(this.deps, eventId, () => {
        if (!isPollingStatus(this.deps.status.current(eventId))) return;
        owner?.abort.abort(takenOverReason());
        disconnectEvent(this.deps, eventId, message);
      });
    }
  }

  /**
   * The event is being forgotten here: a live pass in flight over it is aborted (it then writes
   * nothing more) and waited for. Its status no longer polls once it is forgotten.
   */
  async stopEvent(eventId: number): Promise<void> {
    const owner = this.owners.takeOver(eventId);
    await owner?.done.catch(() => undefined);
  }

  /** Stops live sync and every running job (each is recorded as abandoned). */
  async close(): Promise<void> {
    this.owners.close();
    await this.live.stop();
    this.owners.abortAll();
    await this.owners.settled();
  }
}
