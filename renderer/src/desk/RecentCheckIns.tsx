// The desk's log: the latest check-ins and undos at this event, newest first, with the desk of each;
// a walk-in marked, and a person admitted at two desks said so on each of their rows.
import type { CheckInLogEntry } from '../../../shared/desk.ts';
import { admittedTwiceText } from '../../../shared/door.ts';
import { formatClock, formatMoment } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { LoadError, Loading } from '../ui/states.tsx';

export function RecentCheckIns() {
  const log = useStore((s) => s.desk?.log ?? null);
  const logError = useStore((s) => s.desk?.logError ?? null);
  return (
    <section className="desk-log" aria-labelledby="desk-log-title">
      <h2 id="desk-log-title">Recent check-ins</h2>
      {logError && !log ? <LoadError>Could not load: {logError}</LoadError> : null}
      {log === null ? (
        logError ? null : (
          <Loading />
        )
      ) : log.length === 0 ? (
        <p className="muted small">No check-ins yet.</p>
      ) : (
        <ol className="desk-log-list">
          {log.map((entry) => (
            <LogEntry key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function LogEntry({ entry }: { entry: CheckInLogEntry }) {
  const undo = entry.action === 'undo';
  const twice = undo ? null : admittedTwiceText(entry.admittedAt, formatClock);
  return (
    <li className={`desk-log-entry${undo ? ' desk-log-undo' : ''}${twice ? ' desk-log-twice' : ''}`}>
      <span className="desk-log-name">
        {entry.attendeeName}
        {entry.walkIn ? <span className="door-tag">Walk-in</span> : null}
      </span>
      <span className="desk-log-action">{undo ? 'Undone' : 'Checked in'}</span>
      <time className="desk-log-time" dateTime={entry.at} title={formatMoment(entry.at)}>
        {formatClock(entry.at)}
      </time>
      <span className="desk-log-station">{entry.station}</span>
      {twice ? (
        <span className="desk-log-twice-text" data-testid="log-admitted-twice">
          {twice}
        </span>
      ) : null}
    </li>
  );
}
