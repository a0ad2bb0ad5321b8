// Admin PIN: unlock (operator -> admin) and set / change the PIN.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useStore, useStoreApi } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';
import { PinField } from '../ui/PinField.tsx';
import { isWellFormedPin } from '../../../shared/pin.ts';

export function UnlockAdminDialog({ onClose }: { onClose: () => void }) {
  const unlock = useStore((s) => s.unlock);
  const store = useStoreApi();
  const [pin, setPin] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pin) {
      setError('Enter the admin PIN.');
      return;
    }
    await run(async () => {
      await unlock(pin);
      if (store.getState().session.role !== 'admin') throw new Error('That PIN is not correct.');
    });
  };

  return (
    <Dialog title="Unlock admin" onClose={onClose} busy={busy}>
      <form className="form" onSubmit={submit}>
        <PinField label="PIN" value={pin} onChange={setPin} autoFocus />
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Unlock" busyLabel="Unlocking…" />
        </div>
      </form>
    </Dialog>
  );
}

/** First run ("Set admin PIN") or a change of PIN (asks for the current one). */
export function SetPinDialog({ onClose }: { onClose: () => void }) {
  const pinSet = useStore((s) => s.session.pinSet);
  const setPinAction = useStore((s) => s.setPin);
  const toast = useStore((s) => s.toast);
  const [currentPin, setCurrentPin] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const [changing] = useState(pinSet);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!isWellFormedPin(pin)) {
      setError('A PIN is 4 to 12 digits.');
      return;
    }
    if (pin !== confirm) {
      setError('The two PINs differ.');
      return;
    }
    if (changing && !isWellFormedPin(currentPin)) {
      setError('Enter the current PIN.');
      return;
    }
    await run(async () => {
      await setPinAction(pin, changing ? currentPin : undefined);
      toast(changing ? 'Admin PIN changed' : 'Admin PIN set', 'success');
    });
  };

  return (
    <Dialog title={changing ? 'Change admin PIN' : 'Set admin PIN'} onClose={onClose} busy={busy}>
      <form className="form" onSubmit={submit}>
        {changing ? null : (
          <p className="muted">
            Choose a PIN of 4 to 12 digits. Admins use it to unlock imports, recovery and settings on this
            station.
          </p>
        )}
        {changing ? (
          <PinField label="Current PIN" value={currentPin} onChange={setCurrentPin} autoFocus />
        ) : null}
        <PinField label="New PIN" value={pin} onChange={setPin} autoFocus={!changing} />
        <PinField label="Confirm PIN" value={confirm} onChange={setConfirm} />
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Set PIN" busyLabel="Saving…" />
        </div>
      </form>
    </Dialog>
  );
}
