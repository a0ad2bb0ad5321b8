// On an event's page, for an admin: "Use this station as a kiosk". The admin says where people
// collect their badge; the station then shows only the kiosk, for this event, and locks.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SyncedEvent } from '../../../shared/types.ts';
import { MAX_COLLECT_AT_CHARS } from '../../../shared/kiosk.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export function KioskStartButton({ event }: { event: SyncedEvent }) {
  const admin = useStore(isAdmin);
  const [open, setOpen] = useState(false);
  if (!admin) return null;
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Use as kiosk…
      </button>
      {open ? <KioskStartDialog event={event} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function KioskStartDialog({ event, onClose }: { event: SyncedEvent; onClose: () => void }) {
  const startKiosk = useStore((s) => s.startKiosk);
  const [collectAt, setCollectAt] = useState('the badge table');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const fieldId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (collectAt.trim() === '') {
      setError('Say where people collect their badge.');
      return;
    }
    await run(() => startKiosk(event.id, collectAt.trim()));
  };

  return (
    <Dialog title="Use this station as a kiosk" onClose={onClose} busy={busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p>
          Attendees of <strong>{event.name}</strong> check themselves in here: they scan their ticket or type
          their email or order code, confirm the name on their badge, and the badge prints. The kiosk never
          lists anyone. Leaving it needs the admin PIN.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={fieldId}>
            Where do people collect their badge?
          </label>
          <input
            id={fieldId}
            data-autofocus
            type="text"
            maxLength={MAX_COLLECT_AT_CHARS}
            value={collectAt}
            onChange={(e) => setCollectAt(e.target.value)}
          />
        </div>
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Start kiosk" busyLabel="Starting…" />
        </div>
      </form>
    </Dialog>
  );
}
