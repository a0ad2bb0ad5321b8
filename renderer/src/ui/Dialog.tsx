// A modal dialog: role="dialog", aria-modal, titled by its heading. While one is open the app
// shell behind it is inert and hidden from assistive technology, focus stays inside, Escape
// closes it, and focus returns to where it was.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from './format.ts';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

export const APP_SHELL_ID = 'app-shell';

/** Open dialogs, innermost last: only the innermost one answers Escape and Tab. */
const dialogStack: symbol[] = [];

function setShellHidden(hidden: boolean): void {
  const shell = document.getElementById(APP_SHELL_ID);
  if (!shell) return;
  if (hidden) {
    shell.setAttribute('aria-hidden', 'true');
    shell.setAttribute('inert', '');
  } else {
    shell.removeAttribute('aria-hidden');
    shell.removeAttribute('inert');
  }
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Footer buttons. */
  actions?: ReactNode;
  /** Extra class on the panel (e.g. "dialog-wide"). */
  className?: string;
  /** Refuse Escape / backdrop close while something runs. */
  busy?: boolean;
}

export function Dialog({ title, onClose, children, actions, className, busy = false }: DialogProps) {
  const titleId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  const busyRef = useRef(busy);
  // Layout effect: current before anything can press a key on what was just rendered.
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
    busyRef.current = busy;
  });

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const token = Symbol('dialog');
    dialogStack.push(token);
    setShellHidden(true);
    const panel = panelRef.current;
    if (panel) {
      const autofocus = panel.querySelector<HTMLElement>('[data-autofocus]');
      const first =
        autofocus ??
        panel.querySelector<HTMLElement>(`.dialog-body :is(${FOCUSABLE})`) ??
        panel.querySelector<HTMLElement>(`.dialog-actions :is(${FOCUSABLE})`) ??
        panel.querySelector<HTMLElement>(FOCUSABLE);
      (first ?? panel).focus();
    }
    // On the document, not the panel: focus may have fallen to <body> (a button that
    // disabled itself while busy), and Escape must still close.
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (dialogStack[dialogStack.length - 1] !== token) return;
      const panelNow = panelRef.current;
      if (e.key === 'Escape') {
        e.preventDefault();
        if (!busyRef.current) onCloseRef.current();
        return;
      }
      if (e.key !== 'Tab' || !panelNow) return;
      const items = Array.from(panelNow.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => el.offsetParent !== null,
      );
      if (items.length === 0) {
        e.preventDefault();
        panelNow.focus();
        return;
      }
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const active = document.activeElement;
      if (!active || !panelNow.contains(active)) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      } else if (e.shiftKey && active === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      const index = dialogStack.indexOf(token);
      if (index >= 0) dialogStack.splice(index, 1);
      if (dialogStack.length === 0) setShellHidden(false);
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget && !busyRef.current) onCloseRef.current();
      }}
    >
      <div
        ref={panelRef}
        className={`dialog${className ? ` ${className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <div className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            onClick={() => !busyRef.current && onCloseRef.current()}
          >
            ×
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        {actions ? <div className="dialog-actions">{actions}</div> : null}
      </div>
    </div>,
    document.body,
  );
}

/** Cancel, and the button that submits the dialog's form (by id when the buttons sit outside it), busy while it runs. */
export function FormDialogActions(props: {
  formId?: string;
  onCancel: () => void;
  busy: boolean;
  label: string;
  busyLabel: string;
  disabled?: boolean;
}) {
  return (
    <>
      <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
        Cancel
      </button>
      <button
        type="submit"
        form={props.formId}
        className="button button-primary"
        disabled={props.busy || props.disabled === true}
      >
        {props.busy ? props.busyLabel : props.label}
      </button>
    </>
  );
}

/**
 * A dialog's one action: busy while it runs, its error shown inline (the dialog stays open to
 * fix it), the dialog closed when it succeeds.
 */
export function useDialogAction(onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
