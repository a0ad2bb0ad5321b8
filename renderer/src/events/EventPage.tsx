// One event: header (name, "Syncing" pill or the offline banner, Check-in desk, Sync), the recovery
// alert, import progress, the attendance figures, the attendee table, check-in statistics and the
// event's settings. What shows for each sync status comes from describeSyncStatus in shared/.
import { useState } from 'react';
import type { SyncedEvent, SyncJob } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import {
  describeSyncedEvent,
  failureReasonText,
  importEtaText,
  nextAttemptText,
} from '../../../shared/sync-status.ts';
import type { EventSyncView } from '../../../shared/sync-status.ts';
import { checkInWriteBackText } from '../../../shared/checkin-sharing.ts';
import {
  errorMessage,
  formatCount,
  formatEventDate,
  formatMoment,
  formatPercent,
  formatTime,
} from '../ui/format.ts';
import { isAdmin, useCurrentEvent, useStore } from '../app/use-store.ts';
import { AttendeeTable } from './AttendeeTable.tsx';
import { CheckInStatsSection } from './CheckInStats.tsx';
import { EventMissing } from './EventMissing.tsx';
import { OfflineBanner } from './OfflineBanner.tsx';
import { ClockWarnings } from './ClockWarnings.tsx';
import { ReconnectEventDialog } from './ReconnectEventDialog.tsx';
import { EventDoorSettings } from './EventDoorSettings.tsx';
import { AnswerSettings } from './AnswerSettings.tsx';
import { StorageBanner } from '../storage/index.ts';
import { KioskStartButton } from '../kiosk/index.ts';
import { BatchPrintDialog, BatchPrintProgress } from '../printing/index.ts';
import { ListsSection } from '../lists/index.ts';
import { downloadText } from '../ui/download.ts';
import { ForgetEventAction, ForgottenNotice } from './ForgetEvent.tsx';

export function EventPage() {
  const event = useCurrentEvent();
  if (!event) return <EventMissing />;
  return <EventView key={event.id} event={event} />;
}

function EventView({ event }: { event: SyncedEvent }) {
  // One calm offline state: with the network down, the offline banner and no red alert.
  // An event another desk of the venue syncs shows that desk's status, named.
  const view = describeSyncedEvent(event);
  const [recovering, setRecovering] = useState(false);

  return (
    <main className="page event-page" aria-labelledby="event-title">
      <ClockWarnings />
      <EventHeader event={event} view={view} />
      {view.alert ? <RecoveryAlert event={event} view={view} onOpen={() => setRecovering(true)} /> : null}
      <ForgottenNotice event={event} />
      <StorageBanner />
      {view.showImportProgress && event.activeJob ? (
        <ImportProgress event={event} job={event.activeJob} />
      ) : null}
      <BatchPrintProgress eventId={event.id} />
      <AttendanceStats event={event} />
      <AttendeeTable event={event} />
      {/* After the attendee table: its rows stay the first table rows on the page. */}
      <CheckInStatsSection event={event} />
      <ListsSection event={event} />
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
  const canSync = !event.forgotten && (event.status === 'ACTIVE' || viaCanSync) && job === null && !requested;
  let hint: string | undefined;
  if (event.forgotten) hint = 'Forgotten on this desk: it no longer syncs here.';
  else if (!syncing && event.integrationId === null) {
    hint = !via
      ? 'No desk of the venue syncs this event yet.'
      : viaCanSync
        ? `Asks ${via.deskName}, which syncs this event with ${PROVIDER_LABEL[event.provider]}.`
        : `${via.deskName} syncs this event with ${PROVIDER_LABEL[event.provider]}.`;
  } else if (!syncing && view.showOfflineBanner)
    hint = 'Sync runs once the provider can be reached again; live sync retries by itself.';
  else if (!syncing && event.status !== 'ACTIVE')
    hint = 'Sync runs on a healthy event; use the alert below to recover it first.';
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
            <time dateTime={event.startsAt ?? undefined}>
              {formatEventDate(event.startsAt, event.timezone)}
            </time>
          </span>
          <span>{PROVIDER_LABEL[event.provider]}</span>
          {event.lastSyncedAt ? (
            <span>
              Last synced <time dateTime={event.lastSyncedAt}>{formatTime(event.lastSyncedAt)}</time>
            </span>
          ) : via?.lastSyncedAt ? (
            <span data-testid="synced-via">
              Last synced <time dateTime={via.lastSyncedAt}>{formatTime(via.lastSyncedAt)}</time> by{' '}
              {via.deskName}
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
        <button
          type="button"
          className="button button-primary"
          onClick={() => navigate({ name: 'desk', eventId: event.id })}
        >
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
        <KioskStartButton event={event} />
      </div>
      {batchOpen && admin ? <BatchPrintDialog event={event} onClose={() => setBatchOpen(false)} /> : null}
    </div>
  );
}

function RecoveryAlert({
  event,
  view,
  onOpen,
}: {
  event: SyncedEvent;
  view: EventSyncView;
  onOpen: () => void;
}) {
  const admin = useStore(isAdmin);
  const alert = view.alert;
  if (!alert) return null;
  const lastWords = event.lastError ?? event.statusReason;
  const reason = lastWords ? failureReasonText(lastWords, event.status) : null;
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
  const text = known
    ? `${formatCount(job.fetched)} of ${formatCount(total)} attendees`
    : `${formatCount(job.fetched)} attendees so far`;
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
      <p className="muted small">
        The desk keeps working while the import runs; new rows appear below as they arrive.
      </p>
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
          <span className="stat-suffix">
            ({formatPercent(event.counts.checkedIn, event.counts.attending)})
          </span>
        </span>
      </div>
    </section>
  );
}

function EventSettings({ event }: { event: SyncedEvent }) {
  const admin = useStore(isAdmin);
  // In a venue, check-ins are shared by its desks: the text says so.
  const inVenue = useStore((s) => s.venue?.venue != null);
  const exportCheckIns = useStore((s) => s.exportCheckIns);
  const toast = useStore((s) => s.toast);
  const [exporting, setExporting] = useState(false);

  const onExport = async () => {
    setExporting(true);
    try {
      const { filename, csv } = await exportCheckIns(event.id);
      downloadText(filename, csv, 'text/csv;charset=utf-8');
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
        <p className="event-setting-text">{checkInWriteBackText(event.provider, inVenue)}</p>
      </div>
      <AnswerSettings event={event} />
      {admin ? <EventDoorSettings event={event} /> : null}
      {admin ? (
        <div>
          <button
            type="button"
            className="button"
            onClick={() => void onExport()}
            disabled={exporting}
            aria-busy={exporting || undefined}
          >
            {exporting ? 'Exporting…' : 'Export check-ins (CSV)'}
          </button>
        </div>
      ) : (
        <p className="muted small">An admin can export the check-in log as CSV.</p>
      )}
      <ForgetEventAction event={event} />
    </section>
  );
}
