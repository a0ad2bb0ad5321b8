// Colour-coded badges. The label and tone of a sync status come from shared/sync-status.ts
// (describeSyncedEvent: an event whose provider is unreachable reads "Offline", not "Sync failed";
// one another desk syncs reads "Syncing via Desk 1").
import type { SyncedEvent } from '../../../shared/types.ts';
import { describeSyncedEvent } from '../../../shared/sync-status.ts';

export type Tone = 'green' | 'blue' | 'red' | 'amber' | 'grey';

export function Badge({ label, tone, className }: { label: string; tone: Tone; className?: string }) {
  return <span className={`badge badge-${tone}${className ? ` ${className}` : ''}`}>{label}</span>;
}

export function SyncStatusBadge({ event }: { event: Pick<SyncedEvent, 'status' | 'statusReason' | 'activeJob' | 'integrationId' | 'syncVia'> }) {
  const { badge } = describeSyncedEvent(event);
  return <Badge label={badge.label} tone={badge.tone} className="status-badge" />;
}
