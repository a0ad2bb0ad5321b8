// What the event's settings say of where check-ins go. Neither provider takes check-ins back
// (shared/desk.ts CHECKIN_WRITE_BACK): on a desk alone they stay on this station; in a venue they
// are the venue's, shared by every desk of it, and still none reaches the provider. And when the
// statistics show check-ins by desk. Pure.
import { CHECKIN_WRITE_BACK, type CheckInStats } from './desk.ts';
import { PROVIDER_LABEL, type ProviderKind } from './types.ts';

export function checkInWriteBackText(provider: ProviderKind, inVenue: boolean): string {
  if (!inVenue) return CHECKIN_WRITE_BACK[provider].explanation;
  const label = PROVIDER_LABEL[provider];
  return `${label} does not take check-ins back through its API, so this event's check-ins stay in the venue: every desk of the venue shares them, and none reaches ${label}. Export the log as CSV to keep a record.`;
}

/**
 * Whether the statistics show check-ins by desk: whenever a check-in of the event was made at
 * another desk (even one undone since, or one whose person shows another desk's earlier check-in),
 * or more than one desk has people checked in.
 */
export function showsCheckInsByDesk(
  stats: Pick<CheckInStats, 'byDesk' | 'checkInsElsewhere'> | null | undefined,
): boolean {
  if (!stats?.byDesk || stats.byDesk.length === 0) return false;
  return stats.checkInsElsewhere === true || stats.byDesk.length > 1;
}
