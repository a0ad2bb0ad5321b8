// One event: header (name, "Syncing" pill or the offline banner, Check-in desk, Sync), the recovery
// alert, import progress, the attendance figures, the attendee table, check-in statistics and the
// event's settings. What shows for each sync status comes from describeSyncStatus in shared/.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SyncedEvent, SyncJob } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { describeSyncedEvent, importEtaText, nextAttemptText } from '../../../shared/sync-status.ts';
import type { EventSyncView } from '../../../shared/sync-status.ts';
import { CHECKIN_WRITE_BACK } from '../../../shared/desk.ts';
import { errorMessage } from '../app/bridge.ts';
import { formatCount, formatEventDate, formatMoment, formatPercent, formatTime } from '../ui/format.ts';
import { isAdmin, useCurrentEvent, useStore } from '../app/use-store.ts';
import { AttendeeTable } from './AttendeeTable.tsx';
import { CheckInStatsSection } from './CheckInStats.tsx';
import { OfflineBanner } from '../desk/DeskPage.tsx';
import { ClockWarnings } from './ClockWarnings.tsx';
import { ReconnectEventDialog } from './ReconnectEventDialog.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { Dialog, FormDialogActions, InlineError, useDialogAction } from '../ui/Dialog.tsx';
import type { BatchProgress } from '../app/use-store.ts';
import { StorageBanner } from '../storage/StorageNotices.tsx';

/** The page of an event that is not (or not yet) in the store: loading, or gone. */
export function EventMissing({ label }: { label?: string }) {
  const phase = useStore((s) => s.phase);
  const navigate = useStore((s) => s.navigate);
  return (
    <main className="page" aria-label={label}>
      <div className="empty-state">
        <h1>{phase === 'ready' ? 'Event not found' : 'Loading…'}</h1>
        <button type="button" className="button" onClick={() => navigate({ name: 'events' })}>
          Back to the event list
        </button>
      </div>
    </main>
  );
}

export function EventPage() {
  const event = useCurrentEvent();
  if (!event) return <EventMissing />;
  return <EventView key={event.id} event={event} />;
}

function EventView({ event }: { event: SyncedEvent }) {
  // One calm offline state: with the network down, the offline banner and no red alert.
  // An event another desk of the venue syncs shows that desk's status, named (issue 17).
  const view = describeSyncedEvent(event);
  const [recovering, setRecovering] = useState(false);

  return (
    <main className="page event-page" aria-labelledby="event-title">
      <ClockWarnings />
      <EventHeader event={event} view={view} />
      {view.alert ? <RecoveryAlert event={event} view={view} onOpen={() => setRecovering(true)} /> : null}
      <StorageBanner />
      {view.showImportProgress && event.activeJob ? <ImportProgress event={event} job={event.activeJob} /> : null}
      <BatchPrintProgress eventId={event.id} />
      <AttendanceStats event={event} />
      <AttendeeTable event={event} />
      {/* After the attendee table: its rows stay the first table rows on the page. */}
      <CheckInStatsSection event={event} />
      <EventSettings event={event} />
      {recovering ? <ReconnectEventDialog event={event} onClose={() => setRecovering(false)} /> : null}
    </main>
  );
}

function EventHeader({ event, view }: { event: SyncedEvent; view: EventSyncView }) {
  const requested = useStore((s) => s.syncRequests[event.id] === true);
  const syncEvent = useStore((s) => s.syncEvent);
  const navigate = useStore((s) => s.navigate);
  const admin = useStore(isAdmin);
  const [batchOpen, setBatchOpen] = useState(false);
  const job = event.activeJob;
  const syncing = requested || (job !== null && job.kind === 'resync');
  const via = event.syncVia;
  // A desk without an account asks the desk that syncs the event (its Sync runs there).
  const viaCanSync = event.integrationId === null && via !== null && via.online && via.status === 'ACTIVE';
  const canSync = (event.status === 'ACTIVE' || viaCanSync) && job === null && !requested;
  let hint: string | undefined;
  if (!syncing && event.integrationId === null) {
    hint = !via ? 'No desk of the venue syncs this event yet.' : viaCanSync ? `Asks ${via.deskName}, which syncs this event with ${PROVIDER_LABEL[event.provider]}.` : `${via.deskName} syncs this event with ${PROVIDER_LABEL[event.provider]}.`;
  }
  else if (!syncing && view.showOfflineBanner) hint = 'Sync runs once the provider can be reached again; live sync retries by itself.';
  else if (!syncing && event.status !== 'ACTIVE') hint = 'Sync runs on a healthy event; use the alert below to recover it first.';
  else if (!syncing && job !== null) hint = 'An import is running.';

  return (
    <div className="event-header">
      <div className="event-header-main">
        <div className="event-title-row">
          <h1 id="event-title">{event.name}</h1>
          {view.showSyncingPill ? (
            <span className="pill pill-green" data-testid="syncing-pill">
              <span className="pill-dot" aria-hidden="true" />
              {view.pillLabel}
            </span>
          ) : null}
        </div>
        <p className="event-meta">
          <span>
            <time dateTime={event.startsAt ?? undefined}>{formatEventDate(event.startsAt, event.timezone)}</time>
          </span>
          <span>{PROVIDER_LABEL[event.provider]}</span>
          {event.lastSyncedAt ? (
            <span>
              Last synced <time dateTime={event.lastSyncedAt}>{formatTime(event.lastSyncedAt)}</time>
            </span>
          ) : via?.lastSyncedAt ? (
            <span data-testid="synced-via">
              Last synced <time dateTime={via.lastSyncedAt}>{formatTime(via.lastSyncedAt)}</time> by {via.deskName}
            </span>
          ) : null}
          {event.nextAttemptAt ? (
            <span data-testid="next-attempt">
              <time dateTime={event.nextAttemptAt}>{nextAttemptText(event.nextAttemptAt, formatTime)}</time>
            </span>
          ) : null}
        </p>
        {view.showOfflineBanner ? <OfflineBanner event={event} /> : null}
      </div>
      <div className="event-header-actions">
        <button type="button" className="button button-primary" onClick={() => navigate({ name: 'desk', eventId: event.id })}>
          Check-in desk
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void syncEvent(event.id)}
          disabled={!canSync}
          aria-busy={syncing || undefined}
          title={hint}
        >
          {syncing ? 'Syncing…' : 'Sync'}
        </button>
        {admin ? (
          <button type="button" className="button" onClick={() => setBatchOpen(true)}>
            Print badges…
          </button>
        ) : null}
      </div>
      {batchOpen && admin ? <BatchPrintDialog event={event} onClose={() => setBatchOpen(false)} /> : null}
    </div>
  );
}

/** Batch printing (admin): every attending person's first badge, optionally only VIPs or one ticket type. */
function BatchPrintDialog({ event, onClose }: { event: SyncedEvent; onClose: () => void }) {
  const printBatch = useStore((s) => s.printBatch);
  const toast = useStore((s) => s.toast);
  const tickets = useStore((s) => (s.stats?.eventId === event.id ? (s.stats.data?.byTicket ?? null) : null));
  const printerSet = useStore((s) => s.settings.printerId !== null);
  const [vipOnly, setVipOnly] = useState(false);
  const [ticket, setTicket] = useState('');
  const { busy, error, run } = useDialogAction(onClose);
  const ids = { vip: useId(), form: useId() };
  const ticketNames = (tickets ?? []).map((t) => t.ticketName).filter((t): t is string => t !== null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const { queued, alreadyPrinted } = await printBatch(event.id, { vipOnly, ticketName: ticket === '' ? null : ticket });
      toast(`Queued ${formatCount(queued)} ${queued === 1 ? 'badge' : 'badges'} (${formatCount(alreadyPrinted)} already printed)`, 'success');
    });
  };

  return (
    <Dialog
      title="Print badges"
      onClose={onClose}
      busy={busy}
      actions={<FormDialogActions formId={ids.form} onCancel={onClose} busy={busy} label="Queue badges" busyLabel="Queueing…" />}
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <p>
          Queues a badge for every attending person of <span className="strong">{event.name}</span> who has none yet, on this station’s printer.
          Badges already printed are skipped; a reprint is one person at a time, from the desk.
        </p>
        {!printerSet ? <p className="warning-text">This station has no badge printer. Choose one in Settings → Printers first.</p> : null}
        <div className="field field-checkbox">
          <input id={ids.vip} type="checkbox" checked={vipOnly} onChange={(e) => setVipOnly(e.target.checked)} />
          <label htmlFor={ids.vip}>VIPs only</label>
        </div>
        <SelectField label="Ticket type" value={ticket} options={[{ value: '', label: 'All' }, ...ticketNames.map((t) => ({ value: t, label: t }))]} onChange={setTicket} />
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}

/** "Printing badges: X of N printed" for a batch queued from this page, from its jobs' pushes. */
function BatchPrintProgress({ eventId }: { eventId: number }) {
  const batch = useStore((s) => s.batches[eventId] ?? null);
  if (!batch || batch.total === null) return null;
  return <BatchPrintProgressView batch={batch} total={batch.total} />;
}

function BatchPrintProgressView({ batch, total }: { batch: BatchProgress; total: number }) {
  const navigate = useStore((s) => s.navigate);
  const dismiss = useStore((s) => s.dismissBatch);
  const counts = { printed: 0, problems: 0, cancelled: 0, open: 0 };
  for (const job of Object.values(batch.jobs)) {
    if (job.state === 'printed') counts.printed++;
    else if (job.state === 'failed' || job.state === 'may_have_printed') counts.problems++;
    else if (job.state === 'cancelled') counts.cancelled++;
    else counts.open++;
  }
  const known = Object.keys(batch.jobs).length;
  const done = counts.open === 0 && known >= total;
  const printed = Math.min(counts.printed, total);
  const text = `Printing badges: ${formatCount(printed)} of ${formatCount(total)} printed`;
  return (
    <section className={`batch-progress${counts.problems > 0 ? ' batch-progress-problem' : ''}`} aria-label="Badge printing">
      <div className="batch-progress-head">
        <p className="batch-progress-text" data-testid="batch-progress" data-done={done || undefined}>
          {text}
        </p>
        <div className="batch-progress-actions">
          <button type="button" className="button button-small" onClick={() => navigate({ name: 'printQueue' })}>
            Open print queue
          </button>
          {done ? (
            <button type="button" className="button button-small" onClick={() => dismiss(batch.eventId)}>
              Dismiss
            </button>
          ) : null}
        </div>
      </div>
      <div className="progress" role="progressbar" aria-label="Badge printing progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={printed} aria-valuetext={text}>
        <div className="progress-fill" style={{ width: `${total > 0 ? Math.round((printed / total) * 100) : 0}%` }} />
      </div>
      <p className="muted small">
        {done ? 'Done.' : 'Printing on this station’s printer; check-in keeps working meanwhile.'}
        {counts.problems > 0 ? <span className="batch-progress-problem-text"> {formatCount(counts.problems)} need a person in the print queue.</span> : null}
        {counts.cancelled > 0 ? ` ${formatCount(counts.cancelled)} cancelled.` : null}
        {batch.alreadyPrinted > 0 ? ` ${formatCount(batch.alreadyPrinted)} already had a badge.` : null}
      </p>
    </section>
  );
}

function RecoveryAlert({ event, view, onOpen }: { event: SyncedEvent; view: EventSyncView; onOpen: () => void }) {
  const admin = useStore(isAdmin);
  const alert = view.alert;
  if (!alert) return null;
  const reason = event.lastError ?? event.statusReason;
  const at = event.lastErrorAt ?? event.statusChangedAt;
  return (
    <div className={`alert alert-${event.status === 'PENDING' ? 'amber' : 'red'}`} role="alert">
      <div className="alert-text">
        <p className="alert-title">{alert.title}</p>
        {reason ? <p className="alert-reason">{reason}</p> : null}
        <p className="alert-time">
          {event.lastErrorAt ? 'Failed at ' : 'Since '}
          <time dateTime={at}>{formatMoment(at)}</time>
        </p>
      </div>
      <div className="alert-action">
        {admin ? (
          <button type="button" className="button button-primary" onClick={onOpen}>
            {alert.button}
          </button>
        ) : (
          <p className="alert-hint">Ask an admin to fix this</p>
        )}
      </div>
    </div>
  );
}

function ImportProgress({ event, job }: { event: SyncedEvent; job: SyncJob }) {
  const total = job.expectedTotal;
  const known = total !== null && total > 0;
  const percent = known ? Math.min(100, Math.round((job.fetched / total) * 100)) : null;
  const text = known ? `${formatCount(job.fetched)} of ${formatCount(total)} attendees` : `${formatCount(job.fetched)} attendees so far`;
  return (
    <section className="import-progress" aria-labelledby="import-progress-title">
      <div className="import-progress-head">
        <h2 id="import-progress-title">Import in progress</h2>
        <p className="import-progress-count" data-testid="import-progress-count">
          {text}
        </p>
      </div>
      {event.importEta ? (
        <p className="import-progress-eta" data-testid="import-eta">
          {importEtaText(event.importEta, event.provider)}
        </p>
      ) : null}
      <div
        className={`progress${known ? '' : ' progress-indeterminate'}`}
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={job.fetched}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: percent === null ? '100%' : `${percent}%` }} />
      </div>
      <p className="muted small">The desk keeps working while the import runs; new rows appear below as they arrive.</p>
    </section>
  );
}

function AttendanceStats({ event }: { event: SyncedEvent }) {
  return (
    <section className="stats" aria-label="Attendance">
      <div className="stat stat-main">
        <span className="stat-label">Total Attendees</span>
        <span className="stat-value" data-testid="total-attendees">
          {formatCount(event.counts.attending)}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Not attending</span>
        <span className="stat-value stat-value-small" data-testid="not-attending-count">
          {formatCount(event.counts.notAttending)}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Pending</span>
        <span className="stat-value stat-value-small" data-testid="pending-count">
          {formatCount(event.counts.notYetAttending)}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">Checked in</span>
        <span className="stat-value stat-value-small" data-testid="checked-in-summary">
          {formatCount(event.counts.checkedIn)}{' '}
          <span className="stat-suffix">({formatPercent(event.counts.checkedIn, event.counts.attending)})</span>
        </span>
      </div>
    </section>
  );
}

function EventSettings({ event }: { event: SyncedEvent }) {
  const admin = useStore(isAdmin);
  const exportCheckIns = useStore((s) => s.exportCheckIns);
  const toast = useStore((s) => s.toast);
  const [exporting, setExporting] = useState(false);

  const onExport = async () => {
    setExporting(true);
    try {
      const { filename, csv } = await exportCheckIns(event.id);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.style.display = 'none';
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Revoked on the next turn: the download has taken its copy by then.
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      toast(`Check-ins exported to ${filename}`, 'success');
    } catch (err) {
      toast(`Could not export check-ins: ${errorMessage(err)}`, 'error');
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="settings-section event-settings" aria-labelledby="event-settings-title">
      <h2 id="event-settings-title">Event settings</h2>
      <div className="event-setting">
        <h3 className="event-setting-title">Check-in write-back</h3>
        <p className="event-setting-text">{CHECKIN_WRITE_BACK[event.provider].explanation}</p>
      </div>
      {admin ? (
        <div>
          <button type="button" className="button" onClick={() => void onExport()} disabled={exporting} aria-busy={exporting || undefined}>
            {exporting ? 'Exporting…' : 'Export check-ins (CSV)'}
          </button>
        </div>
      ) : (
        <p className="muted small">An admin can export the check-in log as CSV.</p>
      )}
    </section>
  );
}
