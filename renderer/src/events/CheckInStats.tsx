// Check-in statistics on the event page: checked in / attending, people cancelled after they
// checked in, the split by ticket type (and by desk, once desks of a venue share check-ins), and
// arrivals per quarter hour (plain CSS bars).
// Data from desk.stats through the store, which re-reads it (throttled) as check-ins happen.
import type { SyncedEvent } from '../../../shared/types.ts';
import type { CheckInStats as Stats } from '../../../shared/desk.ts';
import { ARRIVAL_SLOT_MINUTES } from '../../../shared/desk.ts';
import { showsCheckInsByDesk } from '../../../shared/checkin-sharing.ts';
import { doubleAdmissionsCountText } from '../../../shared/door.ts';
import { formatClock, formatCount, formatPercent, plural } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { LoadError, Loading } from '../ui/states.tsx';

const SLOT_MS = ARRIVAL_SLOT_MINUTES * 60_000;

export function CheckInStatsSection({ event }: { event: SyncedEvent }) {
  const entry = useStore((s) => (s.stats && s.stats.eventId === event.id ? s.stats : null));
  const data = entry?.data ?? null;
  // Until the first answer, the event's own counts give the headline figure.
  const checkedIn = data?.checkedIn ?? event.counts.checkedIn;
  const attending = data?.attending ?? event.counts.attending;
  const share = attending > 0 ? Math.min(100, (checkedIn / attending) * 100) : 0;

  return (
    <section className="checkins" aria-labelledby="checkins-title">
      <div className="section-header">
        <h2 id="checkins-title">Check-ins</h2>
        {data?.lastCheckInAt ? (
          <span className="muted small">
            Last check-in <time dateTime={data.lastCheckInAt}>{formatClock(data.lastCheckInAt)}</time>
          </span>
        ) : null}
      </div>
      {entry?.error && !data ? (
        <LoadError>Could not load check-in statistics: {entry.error}</LoadError>
      ) : null}
      <div className="checkins-grid">
        <div className="checkins-figure">
          <span className="stat-label">Checked in / attending</span>
          <span className="checkins-figure-value" data-testid="checked-in-count">
            {formatCount(checkedIn)} / {formatCount(attending)}
          </span>
          <div className="checkins-meter" aria-hidden="true">
            <div className="checkins-meter-fill" style={{ width: `${share}%` }} />
          </div>
          <span className="checkins-figure-percent" data-testid="checked-in-percent">
            {formatPercent(checkedIn, attending)} checked in
          </span>
          <DoorFigures eventId={event.id} data={data} />
          {data && data.cancelledAfterCheckIn > 0 ? (
            <p
              className="checkins-flag"
              data-testid="cancelled-after-checkin"
              title="Checked in here, then cancelled on the provider: worth a look"
            >
              Cancelled after check-in: {formatCount(data.cancelledAfterCheckIn)}
            </p>
          ) : null}
        </div>
        <TicketTable data={data} />
        <ArrivalsChart data={data} />
      </div>
    </section>
  );
}

function TicketTable({ data }: { data: Stats | null }) {
  return (
    <div className="checkins-tickets">
      <table className="simple-table" aria-label="Check-ins by ticket">
        <thead>
          <tr>
            <th scope="col">Ticket</th>
            <th scope="col" className="num">
              Checked in
            </th>
            <th scope="col" className="num">
              Attending
            </th>
          </tr>
        </thead>
        <tbody>
          {data === null ? (
            <tr>
              <td colSpan={3} className="muted">
                Loading…
              </td>
            </tr>
          ) : data.byTicket.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                No attendees yet
              </td>
            </tr>
          ) : (
            data.byTicket.map((t) => (
              <tr key={t.ticketName ?? '\u0000none'}>
                <th scope="row" className={t.ticketName === null ? 'muted' : undefined}>
                  {t.ticketName ?? 'No ticket type'}
                </th>
                <td className="num">{formatCount(t.checkedIn)}</td>
                <td className="num">{formatCount(t.attending)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {data?.byDesk && showsCheckInsByDesk(data) ? <DeskTable byDesk={data.byDesk} /> : null}
    </div>
  );
}

/** The venue's check-ins by the desk that made each (the one shown when two desks admitted someone). */
function DeskTable({ byDesk }: { byDesk: NonNullable<Stats['byDesk']> }) {
  return (
    <table className="simple-table checkins-by-desk" aria-label="Check-ins by desk">
      <thead>
        <tr>
          <th scope="col">Desk</th>
          <th scope="col" className="num">
            Checked in
          </th>
        </tr>
      </thead>
      <tbody>
        {byDesk.map((d) => (
          <tr key={d.stationName}>
            <th scope="row">{d.stationName}</th>
            <td className="num">{formatCount(d.checkedIn)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function slotLabel(slotStart: string): string {
  const end = new Date(Date.parse(slotStart) + SLOT_MS).toISOString();
  return `${formatClock(slotStart)}–${formatClock(end)}`;
}

function ArrivalsChart({ data }: { data: Stats | null }) {
  const arrivals = data?.arrivals ?? [];
  const max = arrivals.reduce((m, a) => Math.max(m, a.count), 0);
  const total = arrivals.reduce((n, a) => n + a.count, 0);
  const first = arrivals[0];
  const last = arrivals[arrivals.length - 1];
  const peak = arrivals.reduce<(typeof arrivals)[number] | null>(
    (p, a) => (p === null || a.count > p.count ? a : p),
    null,
  );
  // About six time labels under the bars, whatever the span.
  const step = Math.max(1, Math.ceil(arrivals.length / 6));

  let summary = 'Arrivals per 15 minutes: none yet';
  if (first && last && peak) {
    const end = new Date(Date.parse(last.slotStart) + SLOT_MS).toISOString();
    summary = `Arrivals per 15 minutes from ${formatClock(first.slotStart)} to ${formatClock(end)}: ${plural(total, 'arrival', 'arrivals')}; busiest ${slotLabel(peak.slotStart)} with ${formatCount(peak.count)}`;
  }

  return (
    <figure className="arrivals">
      <figcaption className="stat-label">Arrivals per 15 minutes</figcaption>
      {data === null ? (
        <Loading />
      ) : arrivals.length === 0 ? (
        <p className="arrivals-empty muted small">No arrivals yet</p>
      ) : (
        <>
          <div className="arrivals-chart" role="img" aria-label={summary} data-testid="arrivals-chart">
            <span className="arrivals-max" aria-hidden="true">
              {formatCount(max)}
            </span>
            {arrivals.map((a) => (
              <div
                key={a.slotStart}
                className="arrivals-slot"
                title={`${slotLabel(a.slotStart)}: ${plural(a.count, 'arrival', 'arrivals')}`}
              >
                <div className="arrivals-bar" style={{ height: `${max > 0 ? (a.count / max) * 100 : 0}%` }} />
              </div>
            ))}
          </div>
          <div className="arrivals-axis" aria-hidden="true">
            {arrivals.map((a, i) => (
              <span key={a.slotStart} className="arrivals-tick">
                {i % step === 0 ? formatClock(a.slotStart) : ''}
              </span>
            ))}
          </div>
        </>
      )}
    </figure>
  );
}

/**
 * Walk-ins, and people admitted twice: "See who" narrows the attendee list below to them (anyone at
 * the desk may look; the admin also finds them in Settings → Venue).
 */
function DoorFigures({ eventId, data }: { eventId: number; data: Stats | null }) {
  const setAttendeeQuery = useStore((s) => s.setAttendeeQuery);
  const twice = doubleAdmissionsCountText(data?.doubleAdmissions ?? 0);
  return (
    <>
      {data?.walkIns && data.walkIns.registered > 0 ? (
        <p className="checkins-flag" data-testid="walk-in-count">
          Walk-ins: {formatCount(data.walkIns.registered)} ({formatCount(data.walkIns.checkedIn)} checked in)
        </p>
      ) : null}
      {twice ? (
        <p className="checkins-flag" data-testid="double-admissions">
          {twice}{' '}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setAttendeeQuery(eventId, { filter: { admittedTwice: true } });
              document.getElementById('attendees-title')?.scrollIntoView({ block: 'start' });
            }}
          >
            See who
          </button>
        </p>
      ) : null}
    </>
  );
}
