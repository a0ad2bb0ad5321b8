// Colour-coded badges. The label and tone of a sync status come from shared/sync-status.ts.
import type { SyncStatus } from '../../../shared/sync-status.ts';
import { describeSyncStatus } from '../../../shared/sync-status.ts';

export type Tone = 'green' | 'blue' | 'red' | 'amber' | 'grey';

export function Badge({ label, tone, className }: { label: string; tone: Tone; className?: string }) {
  return <span className={`badge badge-${tone}${className ? ` ${className}` : ''}`}>{label}</span>;
}

export function SyncStatusBadge({ status, hasActiveJob }: { status: SyncStatus; hasActiveJob: boolean }) {
  const { badge } = describeSyncStatus(status, hasActiveJob);
  return <Badge label={badge.label} tone={badge.tone} className="status-badge" />;
}
