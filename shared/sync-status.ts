// The four sync statuses and what each means on screen (DESIGN.md, "The four sync statuses").
// One table drives both the main process (which transitions are legal) and the renderer
// (which alert, button, dialog and toast to show), so the two can never disagree.

import type { ImportEta, ProviderKind } from './types.ts';
import { PROVIDER_LABEL } from './types.ts';

export const SYNC_STATUSES = ['PENDING', 'ACTIVE', 'FAILED', 'DISCONNECTED'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * Legal transitions. Anything not listed is a bug in the engine and is refused.
 * - PENDING -> ACTIVE: an import / re-import / retry finished.
 * - PENDING -> FAILED: a re-import of an event that had been imported before errored.
 *   (A first import that errors stays PENDING with no job: "Import failed".)
 * - PENDING -> DISCONNECTED: the provider rejected the credential during a job.
 * - ACTIVE -> FAILED / DISCONNECTED: live sync or a manual Sync errored.
 * - ACTIVE -> PENDING: an admin started a re-import.
 * - FAILED -> PENDING: Retry. FAILED -> ACTIVE: live sync succeeded again by itself (network back).
 * - FAILED -> DISCONNECTED: a retry found the credential revoked.
 * - DISCONNECTED -> PENDING: Reconnect with a CONNECTED integration.
 */
export const SYNC_TRANSITIONS: Readonly<Record<SyncStatus, readonly SyncStatus[]>> = {
  PENDING: ['ACTIVE', 'FAILED', 'DISCONNECTED'],
  ACTIVE: ['FAILED', 'DISCONNECTED', 'PENDING'],
  FAILED: ['PENDING', 'ACTIVE', 'DISCONNECTED'],
  DISCONNECTED: ['PENDING'],
};

export function canTransition(from: SyncStatus, to: SyncStatus): boolean {
  return SYNC_TRANSITIONS[from].includes(to);
}

export type RecoveryAction = 'retry' | 'retryImport' | 'reconnect';

export interface SyncStatusView {
  /** The colour-coded badge on an event card. */
  badge: { label: string; tone: 'green' | 'blue' | 'red' | 'amber' | 'grey' };
  /** The green "Syncing" pill in the event header (ACTIVE only). */
  showSyncingPill: boolean;
  /** The "Import in progress" view with live counts. */
  showImportProgress: boolean;
  /** The alert banner on the event page, with its button. */
  alert: { title: string; button: string; action: RecoveryAction } | null;
  /** Title of the recovery dialog the alert's button opens. */
  dialogTitle: string | null;
  /** Toast shown when the recovery starts. */
  toast: string | null;
}

/** Maps (status, is a job running?) to what the UI shows. Pure, exhaustive. */
export function describeSyncStatus(status: SyncStatus, hasActiveJob: boolean): SyncStatusView {
  switch (status) {
    case 'PENDING':
      if (hasActiveJob) {
        return {
          badge: { label: 'Importing', tone: 'blue' },
          showSyncingPill: false,
          showImportProgress: true,
          alert: null,
          dialogTitle: null,
          toast: null,
        };
      }
      return {
        badge: { label: 'Import failed', tone: 'amber' },
        showSyncingPill: false,
        showImportProgress: false,
        alert: { title: 'Import failed', button: 'Retry', action: 'retryImport' },
        dialogTitle: 'Set Up Sync',
        toast: 'Retrying import',
      };
    case 'ACTIVE':
      return {
        badge: { label: 'Syncing', tone: 'green' },
        showSyncingPill: true,
        showImportProgress: false,
        alert: null,
        dialogTitle: null,
        toast: null,
      };
    case 'FAILED':
      return {
        badge: { label: 'Sync failed', tone: 'red' },
        showSyncingPill: false,
        showImportProgress: hasActiveJob,
        alert: { title: 'Sync failed', button: 'Retry', action: 'retry' },
        dialogTitle: 'Reconnect',
        toast: 'Reconnecting event',
      };
    case 'DISCONNECTED':
      return {
        badge: { label: 'Disconnected', tone: 'grey' },
        showSyncingPill: false,
        showImportProgress: false,
        alert: { title: 'Integration disconnected', button: 'Reconnect', action: 'reconnect' },
        dialogTitle: 'Reconnect',
        toast: 'Reconnecting event',
      };
  }
}

/** The status reason the sync engine records when the provider cannot be reached at all. */
export const OFFLINE_REASON = 'offline';

/** The event's provider is unreachable: the desk works from local data (and says so). */
export function isWorkingOffline(event: { status: SyncStatus; statusReason: string | null }): boolean {
  return event.status === 'FAILED' && event.statusReason === OFFLINE_REASON;
}

export interface EventSyncView extends SyncStatusView {
  /** The calm "Offline — working from local data" banner, instead of any alert. */
  showOfflineBanner: boolean;
}

/**
 * What the event page shows for an event, its status reason counted: one calm offline state.
 * With the network down (FAILED "offline", nothing running) the page shows the offline banner
 * and a grey "Offline" badge, not the red "Sync failed" alert as well: there is nothing for a
 * person to do, live sync retries by itself when the network returns. Every other failure (no
 * access, event gone, bad responses, the provider failing) keeps its alert; so does a FAILED
 * event whose Retry is running. Pure; the page and its tests use it alike.
 */
export function describeEventSync(event: { status: SyncStatus; statusReason: string | null; hasActiveJob: boolean }): EventSyncView {
  const view = describeSyncStatus(event.status, event.hasActiveJob);
  if (!isWorkingOffline(event) || event.hasActiveJob) return { ...view, showOfflineBanner: false };
  return { ...view, badge: { label: 'Offline', tone: 'grey' }, alert: null, dialogTitle: null, toast: null, showOfflineBanner: true };
}

/** "less than a minute", "about 52 min", "about 1 h 25 min". */
function formatRemaining(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 90) return `about ${minutes} min`;
  const rest = minutes % 60;
  return `about ${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ''}`;
}

/** "an hour", "a minute", "a day", else "every 15 minutes". */
function windowPhrase(windowMs: number): string {
  if (windowMs === 3_600_000) return 'an hour';
  if (windowMs === 60_000) return 'a minute';
  if (windowMs === 86_400_000) return 'a day';
  return `every ${Math.round(windowMs / 60_000)} minutes`;
}

/** What a provider's budget is counted per (Eventbrite: the OAuth token; Luma: the API key). */
const BUDGET_HOLDER: Record<ProviderKind, string> = { eventbrite: 'token', luma: 'API key' };

/**
 * An import's estimate in words: "about 52 min left — Eventbrite allows 2,000 requests an hour
 * per token" when the rate budget sets the pace, else just "about 3 min left".
 */
export function importEtaText(eta: ImportEta, provider: ProviderKind): string {
  const left = `${formatRemaining(eta.remainingMs)} left`;
  if (!eta.budgetLimit) return left;
  const { limit, windowMs } = eta.budgetLimit;
  return `${left} — ${PROVIDER_LABEL[provider]} allows ${limit.toLocaleString('en-US')} requests ${windowPhrase(windowMs)} per ${BUDGET_HOLDER[provider]}`;
}

/** "Will try again at 10:42" (the time formatted by the caller, in the viewer's zone). */
export function nextAttemptText(nextAttemptAt: string, time: (iso: string) => string): string {
  return `Will try again at ${time(nextAttemptAt)}`;
}
