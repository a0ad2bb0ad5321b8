// "Offline — working from local data, last synced 10:42": the calm state of an event whose
// provider cannot be reached, on the event page and its desk (offlineHeaderText's words).
import type { SyncedEvent } from '../../../shared/types.ts';
import { offlineHeaderText } from '../../../shared/desk.ts';
import { formatClock } from '../ui/format.ts';

export function OfflineBanner({ event }: { event: SyncedEvent }) {
  return (
    <p className="offline-banner" role="status" data-testid="offline-banner">
      <span className="offline-banner-dot" aria-hidden="true" />
      {offlineHeaderText(event.lastSyncedAt, formatClock)}
    </p>
  );
}
