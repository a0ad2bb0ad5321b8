// The four sync statuses and what each means on screen.
// One table drives both the main process (which transitions are legal) and the renderer
// (which alert, button, dialog and toast to show), so the two can never disagree.

import type { EventSyncSource, ImportEta, ProviderKind, SyncedEvent } from './types.ts';
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

/**
 * The statuses live sync polls: ACTIVE, and FAILED, which retries by itself until the provider
 * answers again. A PENDING event belongs to its import; a DISCONNECTED one waits for Reconnect.
 */
export const POLLING_STATUSES = ['ACTIVE', 'FAILED'] as const satisfies readonly SyncStatus[];

export function isPollingStatus(status: SyncStatus): boolean {
  return (POLLING_STATUSES as readonly SyncStatus[]).includes(status);
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

/**
 * The status reason of an event mirrored from the venue without an account on this station:
 * DISCONNECTED here, so live sync leaves it alone and Reconnect can give it one.
 */
export const VENUE_EVENT_REASON = 'no account on this desk: the venue syncs it';

/** The status reason the sync engine records when the provider cannot be reached at all. */
export const OFFLINE_REASON = 'offline';

/** The event's provider is unreachable: the desk works from local data (and says so). */
export function isWorkingOffline(event: { status: SyncStatus; statusReason: string | null }): boolean {
  return event.status === 'FAILED' && event.statusReason === OFFLINE_REASON;
}

export interface EventSyncView extends SyncStatusView {
  /** The calm "Offline — working from local data" banner, instead of any alert. */
  showOfflineBanner: boolean;
  /** The header pill's words when it shows: "Syncing", or "Syncing via Desk 1". */
  pillLabel: string;
}

/** What describeEventSync needs of an event. */
export interface EventSyncFacts {
  status: SyncStatus;
  statusReason: string | null;
  hasActiveJob: boolean;
  /** Null: no account on this station (the venue mirrors the event here). Absent: this station's own. */
  integrationId?: number | null;
  /** The desk whose sync feeds this event, when it is another desk. */
  syncVia?: Pick<EventSyncSource, 'deskName' | 'online' | 'status' | 'statusReason'> | null;
}

/**
 * What the event page shows for an event, its status reason counted: one calm offline state.
 * With the network down (FAILED "offline", nothing running) the page shows the offline banner
 * and a grey "Offline" badge, not the red "Sync failed" alert as well: there is nothing for a
 * person to do, live sync retries by itself when the network returns. Every other failure (no
 * access, event gone, bad responses, the provider failing) keeps its alert; so does a FAILED
 * event whose Retry is running. Pure; the page and its tests use it alike.
 *
 * An event another desk syncs (its venue's poller) shows that desk's status, named: "Syncing via Desk 1",
 * or its alert with what can be done here ("connect an account here" is Reconnect).
 */
export function describeEventSync(event: EventSyncFacts): EventSyncView {
  const via = event.syncVia ?? null;
  if (via && !event.hasActiveJob && (event.integrationId === null || event.status === 'DISCONNECTED'))
    return describeSyncVia(via);
  if (event.integrationId === null && !event.hasActiveJob) {
    return {
      ...describeSyncStatus('DISCONNECTED', false),
      badge: { label: 'From the venue', tone: 'grey' },
      alert: {
        title: 'No desk of the venue has synced this event yet — connect an account here to sync it',
        button: 'Connect an account',
        action: 'reconnect',
      },
      showOfflineBanner: false,
      pillLabel: 'Syncing',
    };
  }
  const view = describeSyncStatus(event.status, event.hasActiveJob);
  if (!isWorkingOffline(event) || event.hasActiveJob)
    return { ...view, showOfflineBanner: false, pillLabel: 'Syncing' };
  return {
    ...view,
    badge: { label: 'Offline', tone: 'grey' },
    alert: null,
    dialogTitle: null,
    toast: null,
    showOfflineBanner: true,
    pillLabel: 'Syncing',
  };
}

/** describeEventSync of an event as main sends it (the event page, its card, their tests). */
export function describeSyncedEvent(
  event: Pick<SyncedEvent, 'status' | 'statusReason' | 'activeJob' | 'integrationId' | 'syncVia'>,
): EventSyncView {
  return describeEventSync({
    status: event.status,
    statusReason: event.statusReason,
    hasActiveJob: event.activeJob !== null,
    integrationId: event.integrationId,
    syncVia: event.syncVia,
  });
}

function describeSyncVia(via: NonNullable<EventSyncFacts['syncVia']>): EventSyncView {
  const base = describeSyncStatus(via.status, false);
  const calm = {
    ...base,
    alert: null,
    dialogTitle: null,
    toast: null,
    showOfflineBanner: false,
    pillLabel: `Syncing via ${via.deskName}`,
  };
  const connectHere = { button: 'Connect an account here', action: 'reconnect' as const };
  if (!via.online)
    return { ...calm, badge: { label: `${via.deskName} not seen`, tone: 'grey' }, showSyncingPill: false };
  switch (via.status) {
    case 'ACTIVE':
      return { ...calm, badge: { label: `Syncing via ${via.deskName}`, tone: 'green' } };
    case 'PENDING':
      return {
        ...calm,
        badge: { label: `Importing via ${via.deskName}`, tone: 'blue' },
        showImportProgress: false,
      };
    case 'FAILED':
      if (via.statusReason === OFFLINE_REASON)
        return { ...calm, badge: { label: `${via.deskName} offline`, tone: 'grey' } };
      return {
        ...calm,
        badge: { label: `Sync failed on ${via.deskName}`, tone: 'red' },
        alert: {
          title: `Sync failed on ${via.deskName} — an admin there can retry, or connect an account here`,
          ...connectHere,
        },
        dialogTitle: 'Reconnect',
        toast: 'Reconnecting event',
      };
    case 'DISCONNECTED':
      return {
        ...calm,
        badge: { label: `Disconnected on ${via.deskName}`, tone: 'grey' },
        alert: {
          title: `Integration disconnected on ${via.deskName} — an admin there can reconnect, or connect an account here`,
          ...connectHere,
        },
        dialogTitle: 'Reconnect',
        toast: 'Reconnecting event',
      };
  }
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

/**
 * The failure reason an event's alert shows. The provider client ends a request's error with
 * "; gave up after 4 attempts", true of that request; but a status that polls (FAILED) tries again
 * by itself, and its alert says when. There the reason counts the failed attempts instead, so the
 * alert never says "gave up" next to "Will try again at 10:42".
 */
export function failureReasonText(reason: string, status: SyncStatus): string {
  if (!isPollingStatus(status)) return reason;
  return reason.replace(
    /;\s*gave up after (\d+) attempts?\s*$/,
    (_match, n: string) => `; ${n === '1' ? 'the attempt' : `${n} attempts in a row`} failed`,
  );
}
