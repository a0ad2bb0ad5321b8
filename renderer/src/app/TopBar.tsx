// App name, station, the venue's indicator, role, admin lock / unlock, and the places: Events,
// Print queue and Settings.
import { useState } from 'react';
import { errorMessage } from '../ui/format.ts';
import { useStore } from './use-store.ts';
import { SetPinDialog, UnlockAdminDialog } from '../settings/index.ts';
import { VenueIndicator } from '../venue/index.ts';

export function TopBar() {
  const stationName = useStore((s) => s.settings.stationName);
  const role = useStore((s) => s.session.role);
  const pinSet = useStore((s) => s.session.pinSet);
  const routeName = useStore((s) => s.route.name);
  const navigate = useStore((s) => s.navigate);
  const lock = useStore((s) => s.lock);
  const toast = useStore((s) => s.toast);
  const [dialog, setDialog] = useState<'unlock' | 'setPin' | null>(null);
  // Jobs that wait for a person: failed ones, and ones that may have printed when the app stopped.
  const needPerson = useStore((s) =>
    s.printSummary ? s.printSummary.failed + s.printSummary.mayHavePrinted : 0,
  );

  const onLock = async () => {
    try {
      await lock();
    } catch (err) {
      toast(`Could not lock: ${errorMessage(err)}`, 'error');
    }
  };

  const eventsActive = routeName === 'events' || routeName === 'event' || routeName === 'desk';
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="app-name">Badge Desk</span>
        <span className="station-name" title="Station">
          {stationName}
        </span>
      </div>
      <nav className="topbar-nav" aria-label="Main">
        <button
          type="button"
          className={`nav-item${eventsActive ? ' nav-item-active' : ''}`}
          aria-current={eventsActive ? 'page' : undefined}
          onClick={() => navigate({ name: 'events' })}
        >
          Events
        </button>
        <button
          type="button"
          className={`nav-item${routeName === 'printQueue' ? ' nav-item-active' : ''}`}
          aria-current={routeName === 'printQueue' ? 'page' : undefined}
          aria-describedby={needPerson > 0 ? 'print-queue-count-text' : undefined}
          onClick={() => navigate({ name: 'printQueue' })}
        >
          Print queue
          {needPerson > 0 ? (
            <span className="nav-count" aria-hidden="true" data-testid="print-queue-count">
              {needPerson}
            </span>
          ) : null}
        </button>
        {needPerson > 0 ? (
          <span id="print-queue-count-text" className="visually-hidden">
            {needPerson === 1 ? '1 print job needs a person' : `${needPerson} print jobs need a person`}
          </span>
        ) : null}
        <button
          type="button"
          className={`nav-item${routeName === 'settings' ? ' nav-item-active' : ''}`}
          aria-current={routeName === 'settings' ? 'page' : undefined}
          onClick={() => navigate({ name: 'settings', section: null })}
        >
          Settings
        </button>
      </nav>
      <div className="topbar-session">
        <VenueIndicator />
        <span className={`role role-${role}`} data-testid="current-role">
          {role === 'admin' ? 'Admin' : 'Operator'}
        </span>
        {role === 'admin' ? (
          <button type="button" className="button button-small" onClick={() => void onLock()}>
            Lock
          </button>
        ) : (
          <button
            type="button"
            className="button button-small"
            onClick={() => setDialog(pinSet ? 'unlock' : 'setPin')}
          >
            Unlock admin
          </button>
        )}
      </div>
      {dialog === 'unlock' ? <UnlockAdminDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'setPin' ? <SetPinDialog onClose={() => setDialog(null)} /> : null}
    </header>
  );
}
