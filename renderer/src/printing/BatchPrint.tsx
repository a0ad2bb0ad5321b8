// Batch printing from the event page (admin): queueing every attending person's first badge, and
// the batch's progress as its jobs' pushes arrive.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { useStore } from '../app/use-store.ts';
import { formatCount } from '../ui/format.ts';
import { SelectField } from '../ui/SelectField.tsx';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';
import type { BatchProgress } from './print-jobs.ts';

/** Batch printing (admin): every attending person's first badge, optionally only VIPs or one ticket type. */
export function BatchPrintDialog({ event, onClose }: { event: SyncedEvent; onClose: () => void }) {
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
      const { queued, alreadyPrinted } = await printBatch(event.id, {
        vipOnly,
        ticketName: ticket === '' ? null : ticket,
      });
      toast(
        `Queued ${formatCount(queued)} ${queued === 1 ? 'badge' : 'badges'} (${formatCount(alreadyPrinted)} already printed)`,
        'success',
      );
    });
  };

  return (
    <Dialog
      title="Print badges"
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={ids.form}
          onCancel={onClose}
          busy={busy}
          label="Queue badges"
          busyLabel="Queueing…"
        />
      }
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <p>
          Queues a badge for every attending person of <span className="strong">{event.name}</span> who has
          none yet, on this station’s printer. Badges already printed are skipped; a reprint is one person at
          a time, from the desk.
        </p>
        {!printerSet ? (
          <p className="warning-text">
            This station has no badge printer. Choose one in Settings → Printers first.
          </p>
        ) : null}
        <div className="field field-checkbox">
          <input
            id={ids.vip}
            type="checkbox"
            checked={vipOnly}
            onChange={(e) => setVipOnly(e.target.checked)}
          />
          <label htmlFor={ids.vip}>VIPs only</label>
        </div>
        <SelectField
          label="Ticket type"
          value={ticket}
          options={[{ value: '', label: 'All' }, ...ticketNames.map((t) => ({ value: t, label: t }))]}
          onChange={setTicket}
        />
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}

/** "Printing badges: X of N printed" for a batch queued from this page, from its jobs' pushes. */
export function BatchPrintProgress({ eventId }: { eventId: number }) {
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
    <section
      className={`batch-progress${counts.problems > 0 ? ' batch-progress-problem' : ''}`}
      aria-label="Badge printing"
    >
      <div className="batch-progress-head">
        <p className="batch-progress-text" data-testid="batch-progress" data-done={done || undefined}>
          {text}
        </p>
        <div className="batch-progress-actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => navigate({ name: 'printQueue' })}
          >
            Open print queue
          </button>
          {done ? (
            <button type="button" className="button button-small" onClick={() => dismiss(batch.eventId)}>
              Dismiss
            </button>
          ) : null}
        </div>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Badge printing progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={printed}
        aria-valuetext={text}
      >
        <div
          className="progress-fill"
          style={{ width: `${total > 0 ? Math.round((printed / total) * 100) : 0}%` }}
        />
      </div>
      <p className="muted small">
        {done ? 'Done.' : 'Printing on this station’s printer; check-in keeps working meanwhile.'}
        {counts.problems > 0 ? (
          <span className="batch-progress-problem-text">
            {' '}
            {formatCount(counts.problems)} need a person in the print queue.
          </span>
        ) : null}
        {counts.cancelled > 0 ? ` ${formatCount(counts.cancelled)} cancelled.` : null}
        {batch.alreadyPrinted > 0 ? ` ${formatCount(batch.alreadyPrinted)} already had a badge.` : null}
      </p>
    </section>
  );
}
