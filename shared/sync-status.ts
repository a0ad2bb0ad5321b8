// The four sync statuses and what each means on screen (DESIGN.md, "The four sync statuses").
// One table drives both the main process (which transitions are legal) and the renderer
// (which alert, button, dialog and toast to show), so the two can never disagree.

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
