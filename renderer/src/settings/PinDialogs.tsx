// Admin PIN: unlock (operator -> admin) and set / change the PIN.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useStore, useStoreApi } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

const PIN_PATTERN = /^\d{4,12}$/;

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
        <label className="field">
          <span className="field-label">PIN</span>
          <input
            data-autofocus
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={64}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
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
    if (!PIN_PATTERN.test(pin)) {
      setError('A PIN is 4 to 12 digits.');
      return;
    }
    if (pin !== confirm) {
      setError('The two PINs differ.');
      return;
    }
    if (changing && !PIN_PATTERN.test(currentPin)) {
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
          <label className="field">
            <span className="field-label">Current PIN</span>
            <input
              data-autofocus
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              value={currentPin}
              onChange={(e) => setCurrentPin(e.target.value)}
            />
          </label>
        ) : null}
        <label className="field">
          <span className="field-label">New PIN</span>
          <input
            data-autofocus={changing ? undefined : true}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Confirm PIN</span>
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </label>
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Set PIN" busyLabel="Saving…" />
        </div>
      </form>
    </Dialog>
  );
}
