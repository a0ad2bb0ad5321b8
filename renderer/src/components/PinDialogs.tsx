// Admin PIN: unlock (operator -> admin) and set / change the PIN.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../bridge.ts';
import { useStore } from '../store.ts';
import { Dialog, InlineError } from './Dialog.tsx';

const PIN_PATTERN = /^\d{4,12}$/;

export function UnlockAdminDialog({ onClose }: { onClose: () => void }) {
  const unlock = useStore((s) => s.unlock);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pin) {
      setError('Enter the admin PIN.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await unlock(pin);
      if (useStore.getState().session.role === 'admin') {
        onClose();
      } else {
        setError('That PIN is not correct.');
        setBusy(false);
      }
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
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
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
    setBusy(true);
    setError(null);
    try {
      await setPinAction(pin, changing ? currentPin : undefined);
      toast(changing ? 'Admin PIN changed' : 'Admin PIN set', 'success');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={changing ? 'Change admin PIN' : 'Set admin PIN'} onClose={onClose} busy={busy}>
      <form className="form" onSubmit={submit}>
        {changing ? null : <p className="muted">Choose a PIN of 4 to 12 digits. Admins use it to unlock imports, recovery and settings on this station.</p>}
        {changing ? (
          <label className="field">
            <span className="field-label">Current PIN</span>
            <input data-autofocus type="password" inputMode="numeric" autoComplete="off" maxLength={12} value={currentPin} onChange={(e) => setCurrentPin(e.target.value)} />
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
          <input type="password" inputMode="numeric" autoComplete="off" maxLength={12} value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        <InlineError message={error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Set PIN'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
