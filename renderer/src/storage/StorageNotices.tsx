// The station's storage on screen: the banner that says check-ins are not being saved and why
// (red), or that free space runs low (amber), on the desk and the event page; and the admin's
// notice about a damaged database: where the file is, what to do, and the salvaged check-ins.
// Every text here is shown as text (file paths, station names), never as HTML.
import { useState } from 'react';
import { describeStorage } from '../../../shared/storage.ts';
import type { DamagedDatabaseNotice, SalvagedCheckIn } from '../../../shared/storage.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { SALVAGED_SHOWN } from './storage-slice.ts';
import { errorMessage, formatCount, formatMoment } from '../ui/format.ts';

export function StorageBanner() {
  const storage = useStore((s) => s.storage);
  const unsaved = useStore((s) => s.desk?.unsaved ?? 0);
  const recheck = useStore((s) => s.recheckStorage);
  const [busy, setBusy] = useState(false);
  const banner = storage ? describeStorage(storage) : null;
  if (!banner) return null;
  const failing = storage!.state !== 'ok';
  return (
    <div
      className={`alert alert-${banner.tone}`}
      role="alert"
      data-testid={failing ? 'storage-banner' : 'low-space-banner'}
    >
      <div className="alert-text">
        <p className="alert-title">{banner.title}</p>
        <p className="alert-reason">{banner.body}</p>
        {failing && unsaved > 0 ? (
          <p className="alert-time" data-testid="storage-unsaved">
            {unsaved === 1 ? '1 check-in waits' : `${formatCount(unsaved)} check-ins wait`} to be saved
          </p>
        ) : null}
        {failing && storage!.since ? (
          <p className="alert-time">
            Since <time dateTime={storage!.since}>{formatMoment(storage!.since)}</time>
          </p>
        ) : null}
      </div>
      {failing ? (
        <div className="alert-action">
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void recheck().finally(() => setBusy(false));
            }}
          >
            Try again
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** On the events page: each damaged database set aside at start-up, for the admin to act on. */
export function DamagedDatabaseNotices() {
  const notices = useStore((s) => s.damagedDatabases);
  if (notices.length === 0) return null;
  return (
    <>
      {notices.map((n) => (
        <DamagedDatabaseCard key={n.id} notice={n} />
      ))}
    </>
  );
}

function DamagedDatabaseCard({ notice }: { notice: DamagedDatabaseNotice }) {
  const admin = useStore(isAdmin);
  const salvaged = useStore((s) => (s.salvaged?.damagedId === notice.id ? s.salvaged.rows : null));
  const showSalvaged = useStore((s) => s.showSalvaged);
  const importSalvaged = useStore((s) => s.importSalvaged);
  const dismiss = useStore((s) => s.dismissDamaged);
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => {
    setError(null);
    void action().catch((err: unknown) => setError(errorMessage(err)));
  };
  const { offered, accepted, applied, skipped } = notice.salvage;
  const total = offered + accepted + applied + skipped;
  return (
    <section
      className="alert alert-red damaged-database"
      role="alert"
      aria-labelledby={`damaged-${notice.id}`}
      data-testid="damaged-database-notice"
    >
      <div className="alert-text">
        <h2 className="alert-title" id={`damaged-${notice.id}`}>
          The database was damaged; Badge Desk started with a fresh one
        </h2>
        <p className="alert-reason">What happened: {notice.reason}.</p>
        <p className="alert-reason">
          The damaged file is kept at <code data-testid="damaged-file">{notice.damagedFile}</code> (set aside{' '}
          <time dateTime={notice.setAsideAt}>{formatMoment(notice.setAsideAt)}</time>).
        </p>
        <p className="alert-reason">What to do: {notice.whatToDo}</p>
        {notice.eventsToReimport.length > 0 ? (
          <p className="alert-reason">
            Events to import again: {notice.eventsToReimport.map((e) => e.name).join(', ')}.
          </p>
        ) : null}
        <p className="alert-reason" data-testid="salvage-counts">
          {total === 0
            ? 'No check-ins could be read from the damaged file.'
            : `${formatCount(total)} check-ins read back from the damaged file: ${formatCount(offered)} to import, ${formatCount(accepted)} waiting for their event, ${formatCount(applied)} added, ${formatCount(skipped)} skipped.`}
        </p>
        {error ? (
          <p className="alert-reason" role="status">
            {error}
          </p>
        ) : null}
        {salvaged ? <SalvagedTable rows={salvaged} total={total} /> : null}
      </div>
      <div className="alert-action">
        {admin ? (
          <>
            {offered > 0 ? (
              <button
                type="button"
                className="button button-primary"
                onClick={() => run(() => importSalvaged(notice.id))}
              >
                Import {formatCount(offered)} salvaged check-ins
              </button>
            ) : null}
            {total > 0 && !salvaged ? (
              <button type="button" className="button" onClick={() => run(() => showSalvaged(notice.id))}>
                Show them
              </button>
            ) : null}
            <button type="button" className="button" onClick={() => run(() => dismiss(notice.id))}>
              Dismiss
            </button>
          </>
        ) : (
          <p className="alert-hint">Ask an admin to fix this</p>
        )}
      </div>
    </section>
  );
}

function SalvagedTable({ rows, total }: { rows: SalvagedCheckIn[]; total: number }) {
  return (
    <div className="salvaged-list">
      <table data-testid="salvaged-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Attendee (provider id)</th>
            <th scope="col">Station</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.actionId}>
              <td>
                <time dateTime={r.at}>{formatMoment(r.at)}</time>
              </td>
              <td>{r.action === 'check_in' ? 'Check-in' : 'Undo'}</td>
              <td>{r.providerAttendeeId}</td>
              <td>{r.station}</td>
              <td>{r.state === 'skipped' && r.skippedReason ? `skipped: ${r.skippedReason}` : r.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > SALVAGED_SHOWN ? (
        <p className="alert-time">
          The first {SALVAGED_SHOWN} of {formatCount(total)}.
        </p>
      ) : null}
    </div>
  );
}
