// What the sync engine is built from: its options (the station's settings and the tuning of
// listing and pacing) and its dependencies (the mirror, the clock, the provider clients and their
// budgets, and the venue's election). The engine's parts (jobs, listing, live) share them.
import type { MirrorStore } from '../db/store.ts';
import type { Clock } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { ProviderClient } from '../providers/types.ts';
import type { StatusMachine } from './status-machine.ts';

export interface SyncEngineOptions {
  /** How often live sync polls each event (station setting). */
  pollIntervalMs: number;
  /**
   * The watermark of the next incremental pass is the provider's own time (never this
   * station's clock) minus this margin, so a change the provider stamps a moment before the
   * time we took as "now" is still asked for again.
   */
  changedSinceMarginMs: number;
  /** Share of a credential's hourly budget that live polling may plan to use (imports get the rest). */
  liveBudgetShare: number;
  /**
   * A manual Sync lists an event with at most this many rows in full after its incremental
   * pass; a bigger event is checked by the provider's counts first and listed in full only when
   * they disagree with the mirror's (a full listing of 100,000 rows is the whole hourly budget).
   */
  fullListingMaxRows: number;
  /** How often a live pass of an incremental provider also compares the provider's counts with the mirror's. */
  countCheckIntervalMs: number;
  /**
   * A provider without changed-since that lists newest first (Luma): how often a full pass for
   * edits and removals should go round. A big event's full pass is spread over the live passes
   * of that time, a few pages each (newest-first.ts).
   */
  fullPassIntervalMs: number;
  /** Pages of that full pass a live pass lists at the least; an event this small is listed whole every pass. */
  fullPassMinPages: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncEngineOptions = {
  pollIntervalMs: 30_000,
  changedSinceMarginMs: 5 * 60_000,
  liveBudgetShare: 0.5,
  fullListingMaxRows: 2_500,
  countCheckIntervalMs: 15 * 60_000,
  fullPassIntervalMs: 5 * 60_000,
  fullPassMinPages: 5,
};

export interface SyncEngineDeps {
  store: MirrorStore;
  clock: Clock;
  events: CoreEvents;
  status: StatusMachine;
  /** The provider client of an integration (shared per credential, so rate budgets hold). */
  clientFor(integrationId: number): ProviderClient;
  /** Requests one full pass over a credential may make per window: for pacing live polls. */
  budgetFor(integrationId: number): { limit: number; windowMs: number };
  /** Until when (clock ms) the provider told this integration's credential to wait (a long 429); 0 when not. */
  providerPausedUntil(integrationId: number): number;
  /**
   * When `count` more bulk requests of the credential could all have gone, by its rate budget,
   * and the budget window to name; null when the credential has no client yet.
   */
  estimateRequestsDoneAt(
    integrationId: number,
    count: number,
  ): { at: number; window: { limit: number; windowMs: number } } | null;
  /** Called when a provider rejects an integration's credential. */
  onCredentialRejected(integrationId: number, reason: string): void;
  /**
   * Whether the venue elected this desk to poll the event in live passes (isElectedToPoll);
   * absent: the desk is alone and polls every event. Jobs (import, Sync) are not asked.
   */
  isElected?(eventId: number): boolean;
  options: SyncEngineOptions;
}
