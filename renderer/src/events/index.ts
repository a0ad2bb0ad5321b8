// The events feature's screens, for the shell and other features: the events list, one event's
// page, and the pieces the desk shows of an event (its sync status, the offline banner, an event
// that is gone).
import './events.css';
import './attendee-table.css';

export { EventsPage } from './EventsPage.tsx';
export { EventPage } from './EventPage.tsx';
export { EventMissing } from './EventMissing.tsx';
export { OfflineBanner } from './OfflineBanner.tsx';
export { SyncStatusPill } from './SyncStatusPill.tsx';
