// Home: one card per event with its colour-coded sync status, attendance and date.
import { useState } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { errorMessage, formatCount, formatEventDate } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { SyncStatusPill } from './SyncStatusPill.tsx';
import { ImportEventDialog } from './ImportEventDialog.tsx';
import { ClockWarnings } from './ClockWarnings.tsx';
import { DamagedDatabaseNotices, StorageBanner } from '../storage/index.ts';

export function EventsPage() {
  const events = useStore((s) => s.events);
  const admin = useStore(isAdmin);
  const [importing, setImporting] = useState(false);

  return (
    <main className="page" aria-labelledby="events-title">
      <div className="page-header">
        <h1 id="events-title">Events</h1>
        {admin ? (
          <button type="button" className="button button-primary" onClick={() => setImporting(true)}>
            Import event
          </button>
        ) : null}
      </div>
      <ClockWarnings />
      <DamagedDatabaseNotices />
      <StorageBanner />
      {events.length === 0 ? (
        <EmptyEvents />
      ) : (
        <ul className="event-grid" aria-label="Events">
          {events.map((event) => (
            <li key={event.id} className="event-grid-item">
              <EventCard event={event} />
            </li>
          ))}
        </ul>
      )}
      {importing ? <ImportEventDialog onClose={() => setImporting(false)} /> : null}
    </main>
  );
}

function EventCard({ event }: { event: SyncedEvent }) {
  const navigate = useStore((s) => s.navigate);
  const open = () => navigate({ name: 'event', eventId: event.id });
  const headingId = `event-card-${event.id}`;
  return (
    <article className="event-card" aria-labelledby={headingId} onClick={open}>
      <div className="event-card-top">
        <h2 className="event-card-title" id={headingId}>
          <button
            type="button"
            className="link-button"
            onClick={(e) => {
              e.stopPropagation();
              open();
            }}
          >
            {event.name}
          </button>
        </h2>
        <SyncStatusPill event={event} />
      </div>
      <p className="event-card-date">
        <time dateTime={event.startsAt ?? undefined}>{formatEventDate(event.startsAt, event.timezone)}</time>
      </p>
      <p className="event-card-meta">
        <span className="event-card-count">{formatCount(event.counts.attending)} attending</span>
        <span className="event-card-provider">{PROVIDER_LABEL[event.provider]}</span>
        {event.forgotten ? (
          <span className="event-card-forgotten" data-testid="event-card-forgotten">
            Forgotten on this desk
          </span>
        ) : null}
      </p>
      <div className="event-card-actions">
        <button
          type="button"
          className="button button-small"
          aria-label={`Check-in desk: ${event.name}`}
          onClick={(e) => {
            e.stopPropagation();
            navigate({ name: 'desk', eventId: event.id });
          }}
        >
          Check-in desk
        </button>
      </div>
    </article>
  );
}

function EmptyEvents() {
  const integrations = useStore((s) => s.integrations);
  const demo = useStore((s) => s.demo);
  const admin = useStore(isAdmin);
  const navigate = useStore((s) => s.navigate);
  const startDemo = useStore((s) => s.startDemo);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hasConnected = integrations.some((i) => i.status === 'CONNECTED');

  const onDemo = async () => {
    setStarting(true);
    setError(null);
    try {
      await startDemo();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="empty-state" aria-label="No events">
      <h2>No events yet</h2>
      {integrations.length === 0 ? (
        <>
          <p className="muted">
            Connect an Eventbrite or Luma account, then import an event to start checking people in.
          </p>
          <div className="empty-actions">
            {demo.available ? (
              <button
                type="button"
                className="button button-primary"
                onClick={() => void onDemo()}
                disabled={starting}
              >
                {starting ? 'Starting demo…' : 'Start demo workspace'}
              </button>
            ) : null}
            <button
              type="button"
              className="button"
              onClick={() => navigate({ name: 'settings', section: 'integrations' })}
            >
              Go to integrations
            </button>
          </div>
          {error ? (
            <p className="inline-error" role="alert">
              {error}
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p className="muted">
            {admin
              ? hasConnected
                ? 'Use “Import event” to bring in an event from a connected account.'
                : 'No account is connected. Reconnect one in Settings → Integrations.'
              : 'Ask an admin to import an event.'}
          </p>
          {admin && !hasConnected ? (
            <div className="empty-actions">
              <button
                type="button"
                className="button"
                onClick={() => navigate({ name: 'settings', section: 'integrations' })}
              >
                Go to integrations
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
