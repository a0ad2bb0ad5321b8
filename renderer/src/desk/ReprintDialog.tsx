// A second copy of a badge: a reprint, recorded with the reason an operator gives.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

/**
 * `prompt`: what the venue's print records say ("Badge printed at Desk 1 at 10:42 — reprint?"), when
 * another desk printed it. `onReprinted`: the reprint was queued (the desk's panel follows it).
 */
export function ReprintDialog({
  attendee,
  prompt,
  onReprinted,
  onClose,
}: {
  attendee: Attendee;
  prompt: string | null;
  onReprinted?: (job: PrintJob) => void;
  onClose: () => void;
}) {
  const reprintBadge = useStore((s) => s.reprintBadge);
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const ids = { reason: useId(), form: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const note = reason.trim();
    if (!note) return setError('Say why the badge is printed again (e.g. Badge lost).');
    await run(async () => onReprinted?.(await reprintBadge(attendee, note)));
  };

  return (
    <Dialog
      title="Reprint badge"
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={ids.form}
          onCancel={onClose}
          busy={busy}
          label="Reprint"
          busyLabel="Reprinting…"
        />
      }
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        {prompt ? (
          <p className="warning-text" data-testid="venue-prior-print">
            {prompt}
          </p>
        ) : null}
        <p>
          <span className="strong">{attendee.fullName}</span> has a badge already. A reprint is recorded with
          the reason.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={ids.reason}>
            Reason
          </label>
          <input
            id={ids.reason}
            type="text"
            required
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. Badge lost"
            autoComplete="off"
            data-autofocus
          />
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
