// A badge-name correction: the name and company the badge prints, typed as the person says them.
// The provider's record stays as it is and is shown here; printing again is a reprint "name
// corrected". A correction stays until someone clears it here (the badge then prints the
// provider's name again).
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { MAX_COMPANY_CHARS, MAX_NAME_CHARS, correctionText } from '../../../shared/door.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';
import { DoorField } from './DoorFields.tsx';
import type { BadgeNameForm } from './door-slice.ts';

export function CorrectNameDialog({ attendee, onClose }: { attendee: Attendee; onClose: () => void }) {
  const correctBadgeName = useStore((s) => s.correctBadgeName);
  const clearBadgeName = useStore((s) => s.clearBadgeName);
  const [form, setForm] = useState<BadgeNameForm>({
    firstName: attendee.firstName ?? attendee.fullName,
    lastName: attendee.lastName ?? '',
    company: attendee.company ?? '',
    reprint: attendee.checkedIn !== null,
  });
  const { busy, error, run } = useDialogAction(onClose);
  const ids = { form: useId(), reprint: useId() };
  const provider = attendee.correction?.provider ?? attendee;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => correctBadgeName(attendee, form));
  };

  return (
    <Dialog
      title="Correct the badge name"
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={ids.form}
          onCancel={onClose}
          busy={busy}
          label="Save"
          busyLabel="Saving…"
        />
      }
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        <p data-testid="provider-record">
          On the provider: <span className="strong">{provider.fullName}</span>
          {provider.company ? `, ${provider.company}` : ''}
        </p>
        {attendee.correction ? (
          <p className="muted">
            {correctionText(attendee.correction)}{' '}
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => void run(() => clearBadgeName(attendee))}
            >
              Clear the correction
            </button>
          </p>
        ) : null}
        <DoorField
          label="First name"
          value={form.firstName}
          onChange={(v) => setForm((f) => ({ ...f, firstName: v }))}
          maxLength={MAX_NAME_CHARS}
          required
          autoFocus
        />
        <DoorField
          label="Last name"
          value={form.lastName}
          onChange={(v) => setForm((f) => ({ ...f, lastName: v }))}
          maxLength={MAX_NAME_CHARS}
        />
        <DoorField
          label="Company"
          value={form.company}
          onChange={(v) => setForm((f) => ({ ...f, company: v }))}
          maxLength={MAX_COMPANY_CHARS}
        />
        <div className="field field-inline">
          <input
            id={ids.reprint}
            type="checkbox"
            checked={form.reprint}
            onChange={(e) => setForm((f) => ({ ...f, reprint: e.target.checked }))}
          />
          <label htmlFor={ids.reprint}>Print the badge again</label>
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
