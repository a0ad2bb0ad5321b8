// An event's sync status as a pill. The label and tone come from describeSyncedEvent: an event
// whose provider is unreachable reads "Offline", not "Sync failed"; one another desk syncs reads
// "Syncing via Desk 1".
import type { SyncedEvent } from '../../../shared/types.ts';
import { describeSyncedEvent } from '../../../shared/sync-status.ts';
import { StatusPill } from '../ui/StatusPill.tsx';

export function SyncStatusPill({
  event,
}: {
  event: Pick<SyncedEvent, 'status' | 'statusReason' | 'activeJob' | 'integrationId' | 'syncVia'>;
}) {
  const { badge } = describeSyncedEvent(event);
  return <StatusPill label={badge.label} tone={badge.tone} className="status-badge" />;
}
