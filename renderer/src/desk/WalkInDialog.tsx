// The walk-in form: a person registered at the door in seconds, keyboard only. The first name has
// the focus, Tab moves through last name, email, company and ticket in that order, Enter in any of
// them registers (the ticket's list too), Escape closes. Main checks them in through the desk's own
// check-in and prints their badge with their ticket's template; the answer panel says so.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_COMPANY_CHARS, MAX_EMAIL_CHARS, MAX_NAME_CHARS, WALK_IN_TICKET } from '../../../shared/door.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { InlineError } from '../ui/states.tsx';
import { DoorField } from './DoorFields.tsx';
import type { WalkInForm } from './door-slice.ts';

export function WalkInDialog({
  eventId,
  start,
  onClose,
}: {
  eventId: number;
  /** The name the form starts from (what the desk searched and did not find). */
  start?: { firstName: string; lastName: string };
  onClose: () => void;
}) {
  const registerWalkIn = useStore((s) => s.registerWalkIn);
  const loadWalkInChoices = useStore((s) => s.loadWalkInChoices);
  const choices = useStore((s) => (s.walkInChoices?.eventId === eventId ? s.walkInChoices : null));
  const [form, setForm] = useState<WalkInForm>({
    firstName: start?.firstName ?? '',
    lastName: start?.lastName ?? '',
    email: '',
    company: '',
    ticketName: WALK_IN_TICKET,
  });
  const { busy, error, setError, run } = useDialogAction(onClose);
  const formId = useId();
  const field = (key: keyof WalkInForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  useEffect(() => {
    loadWalkInChoices(eventId).catch((err: unknown) => setError(String((err as Error).message ?? err)));
  }, [eventId, loadWalkInChoices, setError]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => registerWalkIn(eventId, form));
  };

  const disabled = choices !== null && !choices.enabled;
  return (
    <Dialog
      title="Add a walk-in"
      onClose={onClose}
      busy={busy}
      actions={
        <FormDialogActions
          formId={formId}
          onCancel={onClose}
          busy={busy}
          disabled={disabled}
          label="Check in and print"
          busyLabel="Checking in…"
        />
      }
    >
      <form
        id={formId}
        className="form"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          // A browser submits on Enter in a text field only: the ticket's list registers the same way.
          if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
            e.preventDefault();
            e.currentTarget.requestSubmit();
          }
        }}
      >
        {disabled ? <p className="warning-text">An admin turned walk-ins off for this event.</p> : null}
        <DoorField
          label="First name"
          value={form.firstName}
          onChange={field('firstName')}
          maxLength={MAX_NAME_CHARS}
          required
          autoFocus
        />
        <DoorField
          label="Last name"
          value={form.lastName}
          onChange={field('lastName')}
          maxLength={MAX_NAME_CHARS}
          required
        />
        <DoorField
          label="Email"
          type="email"
          value={form.email}
          onChange={field('email')}
          maxLength={MAX_EMAIL_CHARS}
        />
        <DoorField
          label="Company"
          value={form.company}
          onChange={field('company')}
          maxLength={MAX_COMPANY_CHARS}
        />
        <SelectField
          label="Ticket"
          value={form.ticketName}
          options={(choices?.tickets ?? [WALK_IN_TICKET]).map((t) => ({ value: t, label: t }))}
          onChange={field('ticketName')}
        />
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}
