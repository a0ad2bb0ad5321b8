// The print queue: every badge job, newest first, kept current by printJobChanged pushes. Jobs
// that need a person come with their fix: Retry or Cancel a failed one; a job the app was
// printing when it stopped ("may have printed") waits for a person to look at the printer and
// choose Print again or It printed — never a second copy by itself.
import { memo, useState } from 'react';
import type { PrintJob, PrintJobReason, PrintJobState } from '../../../shared/printing.ts';
import { badgesNotPrintingText, PRINT_JOB_STATE_LABEL } from '../../../shared/printing.ts';
import { canPrintOn, printerStatusText } from '../../../shared/printer-status.ts';
import { formatClock, formatCount, formatMoment, formatTime } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import type { PillTone } from '../ui/StatusPill.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';
import { LoadError } from '../ui/states.tsx';

export const PRINT_REASON_LABEL: Record<PrintJobReason, string> = {
  check_in: 'Check-in',
  manual: 'Print',
  batch: 'Batch',
  reprint: 'Reprint',
  test: 'Test',
};

export const PRINT_STATE_TONE: Record<PrintJobState, PillTone> = {
  queued: 'blue',
  printing: 'blue',
  printed: 'green',
  failed: 'red',
  may_have_printed: 'amber',
  cancelled: 'grey',
};

export const MAY_HAVE_PRINTED_TEXT = 'The app stopped while this badge was printing. Check the printer.';

/** Who the job is for, as the row's buttons name it. */
export function jobSubject(job: PrintJob): string {
  return job.attendeeName ?? (job.reason === 'test' ? 'Test badge' : 'Unknown person');
}

export function PrintQueuePage() {
  const queue = useStore((s) => s.printQueue);
  const summary = useStore((s) => s.printSummary);
  const refresh = useStore((s) => s.refreshPrintQueue);
  const settings = useStore((s) => s.settings);
  const printers = useStore((s) => s.printers);
  const statuses = useStore((s) => s.printerStatuses);
  const [refreshing, setRefreshing] = useState(false);
  // Printers that cannot print now, in words with what to do: their badges wait (or go to another printer).
  const stopped = (printers ?? []).flatMap((p) => {
    const status = statuses[p.id];
    return status && !canPrintOn(status.condition)
      ? [{ id: p.id, text: printerStatusText(p.name, status) }]
      : [];
  });
  const jobs = queue?.jobs ?? null;
  // The desk says the same, once: a station whose check-ins print no badge.
  const notPrinting = badgesNotPrintingText(
    settings,
    printers === null || printers.some((p) => p.id === settings.printerId),
  );

  const onRefresh = async () => {
    setRefreshing(true);
    try {
      await refresh();
    } finally {
      setRefreshing(false);
    }
  };

  return (
    <main className="page print-queue-page" aria-labelledby="print-queue-title">
      <div className="page-header">
        <div className="print-queue-heading">
          <h1 id="print-queue-title">Print queue</h1>
          {summary ? (
            <p className="print-queue-summary" data-testid="print-queue-summary">
              <span>{formatCount(summary.queued)} queued</span>
              <span>{formatCount(summary.printing)} printing</span>
              <span className={summary.failed > 0 ? 'print-queue-summary-problem' : undefined}>
                {formatCount(summary.failed)} failed
              </span>
              <span className={summary.mayHavePrinted > 0 ? 'print-queue-summary-problem' : undefined}>
                {formatCount(summary.mayHavePrinted)} may have printed
              </span>
            </p>
          ) : null}
        </div>
        <button
          type="button"
          className="button"
          onClick={() => void onRefresh()}
          disabled={refreshing}
          aria-busy={refreshing || undefined}
        >
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {notPrinting ? (
        <p className="standing-notice" data-testid="badges-not-printing">
          {notPrinting}
        </p>
      ) : null}
      {stopped.length ? (
        <ul
          className="printer-problems"
          aria-label="Printers that cannot print now"
          data-testid="printer-problems"
        >
          {stopped.map((p) => (
            <li key={p.id} className="standing-notice">
              {p.text}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted small print-queue-note">
        A printer problem never stops check-in: the person is checked in, and their badge waits here.
      </p>
      {queue?.error ? <LoadError>Could not load print jobs: {queue.error}</LoadError> : null}
      <div className="print-jobs-wrap">
        <table className="simple-table print-jobs" aria-label="Print jobs">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Printer</th>
              <th scope="col">Reason</th>
              <th scope="col">State</th>
              <th scope="col">Error</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Time</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs === null ? (
              <tr>
                <td colSpan={8} className="muted">
                  {queue?.error ? 'Not loaded' : 'Loading…'}
                </td>
              </tr>
            ) : jobs.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">
                  No print jobs yet. Badges printed at check-in, from the desk or in batches show here.
                </td>
              </tr>
            ) : (
              jobs.map((job) => <JobRow key={job.id} job={job} />)
            )}
          </tbody>
        </table>
      </div>
    </main>
  );
}

const JobRow = memo(function JobRow({ job }: { job: PrintJob }) {
  const retry = useStore((s) => s.retryPrintJob);
  const cancel = useStore((s) => s.cancelPrintJob);
  const markPrinted = useStore((s) => s.markPrintJobPrinted);
  const [busy, setBusy] = useState(false);
  const subject = jobSubject(job);
  const retrying = job.state === 'queued' && job.error !== null;
  const needsPerson = job.state === 'failed' || job.state === 'may_have_printed';
  const canRetry = job.state === 'failed' || retrying;
  const canCancel = job.state === 'queued' || job.state === 'failed';

  const run = async (action: (job: PrintJob) => Promise<void>) => {
    setBusy(true);
    try {
      await action(job);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr
      className={`print-job print-job-${job.state}${needsPerson ? ' print-job-attention' : ''}`}
      data-state={job.state}
    >
      <th scope="row" className={job.attendeeName ? undefined : 'muted'}>
        {subject}
      </th>
      <td>{job.printerName}</td>
      <td className="print-job-reason">
        {PRINT_REASON_LABEL[job.reason]}
        {job.note ? <span className="print-job-note">{job.note}</span> : null}
      </td>
      <td>
        <StatusPill
          label={PRINT_JOB_STATE_LABEL[job.state]}
          tone={retrying ? 'amber' : PRINT_STATE_TONE[job.state]}
        />
      </td>
      <td className="print-job-error">
        {job.state === 'may_have_printed' ? (
          <span>{MAY_HAVE_PRINTED_TEXT}</span>
        ) : job.error ? (
          <span>{job.error}</span>
        ) : null}
        {retrying ? (
          <span className="muted small">
            {' '}
            Retrying{job.nextAttemptAt ? ` at ${formatClock(job.nextAttemptAt)}` : ''}
          </span>
        ) : null}
      </td>
      <td className="num">{formatCount(job.attempts)}</td>
      <td className="print-job-time">
        <time
          dateTime={job.createdAt}
          title={`Queued ${formatMoment(job.createdAt)}${job.printedAt ? ` · printed ${formatMoment(job.printedAt)}` : ''}`}
        >
          {formatTime(job.createdAt)}
        </time>
      </td>
      <td className="print-job-actions">
        {job.state === 'may_have_printed' ? (
          <>
            <button
              type="button"
              className="button button-small button-primary"
              aria-label={`Print again: ${subject}`}
              disabled={busy}
              onClick={() => void run(retry)}
            >
              Print again
            </button>
            <button
              type="button"
              className="button button-small"
              aria-label={`It printed: ${subject}`}
              disabled={busy}
              onClick={() => void run(markPrinted)}
            >
              It printed
            </button>
          </>
        ) : null}
        {canRetry ? (
          <button
            type="button"
            className="button button-small"
            aria-label={`Retry print of ${subject}`}
            disabled={busy}
            onClick={() => void run(retry)}
          >
            Retry
          </button>
        ) : null}
        {canCancel ? (
          <button
            type="button"
            className="button button-small button-danger"
            aria-label={`Cancel print of ${subject}`}
            disabled={busy}
            onClick={() => void run(cancel)}
          >
            Cancel
          </button>
        ) : null}
      </td>
    </tr>
  );
});
