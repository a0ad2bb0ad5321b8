// "Admit anyway": an admin lets in a person the desk's check-in list refused, and says why. Main
// checks the role and keeps the reason with the entry (the list's CSV and the log show it).
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { MAX_OVERRIDE_REASON_CHARS } from '../../../shared/lists.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export function OverrideDialog({
  attendee,
  refusal,
  onClose,
}: {
  attendee: Attendee;
  /** What the list said, shown again above the reason. */
  refusal: string | null;
  onClose: () => void;
}) {
  const deskOverride = useStore((s) => s.deskOverride);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useDialogAction(onClose);
  const formId = useId();
  const reasonId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => deskOverride(attendee, reason.trim()));
  };
  return (
    <Dialog
      title={`Admit ${attendee.fullName} anyway?`}
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={formId}
          onCancel={onClose}
          busy={busy}
          disabled={reason.trim() === ''}
          label="Admit"
          busyLabel="Admitting…"
        />
      }
    >
      <form id={formId} className="form" onSubmit={(e) => void submit(e)}>
        {refusal ? <p className="warning-text">{refusal}</p> : null}
        <div className="field">
          <label className="field-label" htmlFor={reasonId}>
            Reason (kept in the log)
          </label>
          <input
            id={reasonId}
            type="text"
            data-autofocus
            maxLength={MAX_OVERRIDE_REASON_CHARS}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. speaker, upgraded at the desk"
            autoComplete="off"
          />
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
