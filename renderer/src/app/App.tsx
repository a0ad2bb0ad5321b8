// The shell: top bar, the current place (events list, event page, check-in desk, print queue, settings), and toasts;
// on a station that is a kiosk, the kiosk alone.
// Dialogs render above it (see ui/Dialog.tsx), toasts beside it so they stay announced.
import './app.css';
import { useStore } from './use-store.ts';
import { TopBar } from './TopBar.tsx';
import { EventPage, EventsPage } from '../events/index.ts';
import { DeskPage } from '../desk/index.ts';
import { PrintQueuePage } from '../printing/index.ts';
import { SettingsPage } from '../settings/index.ts';
import { Toasts } from './Toasts.tsx';
import { KioskPage } from '../kiosk/index.ts';
import { APP_SHELL_ID } from '../ui/Dialog.tsx';

export function App() {
  const phase = useStore((s) => s.phase);
  const loadError = useStore((s) => s.loadError);
  const routeName = useStore((s) => s.route.name);
  const reload = useStore((s) => s.reload);
  const kiosk = useStore((s) => s.kiosk);

  // A kiosk shows the kiosk and nothing else; until main said whether this station is one, nothing shows.
  if (phase === 'loading' || (phase === 'ready' && kiosk === undefined)) {
    return (
      <div className="boot" aria-busy="true">
        <p className="boot-title">Badge Desk</p>
        <p className="muted">Loading…</p>
      </div>
    );
  }
  if (phase === 'error') {
    return (
      <div className="boot">
        <p className="boot-title">Badge Desk</p>
        <p className="inline-error" role="alert">
          Badge Desk could not start: {loadError}
        </p>
        <button type="button" className="button button-primary" onClick={() => void reload()}>
          Try again
        </button>
      </div>
    );
  }
  if (kiosk) {
    return (
      <>
        <KioskPage kiosk={kiosk} />
        <Toasts />
      </>
    );
  }
  return (
    <>
      <div id={APP_SHELL_ID} className="app-shell">
        <TopBar />
        {routeName === 'event' ? (
          <EventPage />
        ) : routeName === 'desk' ? (
          <DeskPage />
        ) : routeName === 'settings' ? (
          <SettingsPage />
        ) : routeName === 'printQueue' ? (
          <PrintQueuePage />
        ) : (
          <EventsPage />
        )}
      </div>
      <Toasts />
    </>
  );
}
