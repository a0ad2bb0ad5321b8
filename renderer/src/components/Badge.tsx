// Colour-coded badges. The label and tone of a sync status come from shared/sync-status.ts
// (describeEventSync: an event whose provider is unreachable reads "Offline", not "Sync failed").
import type { SyncedEvent } from '../../../shared/types.ts';
import { describeEventSync } from '../../../shared/sync-status.ts';

export type Tone = 'green' | 'blue' | 'red' | 'amber' | 'grey';

export function Badge({ label, tone, className }: { label: string; tone: Tone; className?: string }) {
  return <span className={`badge badge-${tone}${className ? ` ${className}` : ''}`}>{label}</span>;
}

export function SyncStatusBadge({ event }: { event: Pick<SyncedEvent, 'status' | 'statusReason' | 'activeJob'> }) {
  const { badge } = describeEventSync({ status: event.status, statusReason: event.statusReason, hasActiveJob: event.activeJob !== null });
  return <Badge label={badge.label} tone={badge.tone} className="status-badge" />;
}
