// A dialog that asks before one consequential action (remove, rotate, leave): Cancel has the
// focus, the action button says what runs while it runs, and a refusal shows inline with the
// dialog left open.
import type { ReactNode } from 'react';
import { Dialog, useDialogAction } from './Dialog.tsx';
import { InlineError } from './states.tsx';

export interface ConfirmDialogProps {
  title: string;
  /** The action button's label ("Remove"), and its label while the action runs ("Removing…"). */
  label: string;
  busyLabel: string;
  /** A destructive action: the button is solid red. */
  danger: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}

/** Cancel, or the one thing the dialog asks about; its error shown inline. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { busy, error, run } = useDialogAction(props.onClose);
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      busy={busy}
      actions={
        <>
          <button type="button" className="button" onClick={props.onClose} disabled={busy} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${props.danger ? 'button-danger-solid' : 'button-primary'}`}
            onClick={() => void run(props.onConfirm)}
            disabled={busy}
          >
            {busy ? props.busyLabel : props.label}
          </button>
        </>
      }
    >
      {props.children}
      <InlineError message={error} />
    </Dialog>
  );
}
