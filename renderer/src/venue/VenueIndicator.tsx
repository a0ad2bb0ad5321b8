// The top bar's venue indicator: the venue's name and how many of its desks this one sees, amber
// when one is offline or its clock is off. A desk in no venue (or a host without the venue
// network) shows nothing. A click opens Settings → Venue.
import { useStore } from '../app/use-store.ts';

export function VenueIndicator() {
  const status = useStore((s) => s.venue);
  const navigate = useStore((s) => s.navigate);
  const venue = status?.venue;
  if (!status || !venue) return null;
  const online = status.desks.filter((d) => d.online).length;
  const clockOff = status.desks.filter((d) => d.clockOff).length;
  const attention = online < status.desks.length || clockOff > 0;
  const summary = [
    `${online} of ${status.desks.length} desks online`,
    clockOff > 0 ? `${clockOff} with a clock off` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <button
      type="button"
      className={`pill venue-indicator${attention ? ' venue-indicator-attention' : ''}`}
      title={`Venue ${venue.name}: ${summary}`}
      data-testid="venue-indicator"
      onClick={() => navigate({ name: 'settings', section: 'venue' })}
    >
      {/* The name read aloud starts with the text on screen (WCAG 2.5.3): "Venue Main hall, 1 of 1 desks online". */}
      <span className="venue-indicator-dot" aria-hidden="true" />
      <span className="visually-hidden">Venue </span>
      <span className="venue-indicator-name">{venue.name}</span>
      <span className="venue-indicator-count" aria-hidden="true">
        {online}/{status.desks.length}
      </span>
      <span className="visually-hidden">, {summary}</span>
    </button>
  );
}
