// The kiosk: the whole window, one screen at a time, for attendees checking themselves in. The
// field keeps the focus so a scanner's code lands in it; a camera, when there is one, reads
// tickets too. A live region says each screen. Nothing here lists or suggests anyone: the
// kiosk shows the one person found, and only their own name, company and ticket.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import {
  KIOSK_ASK_EMAIL_TEXT,
  KIOSK_ASK_ORDER_TEXT,
  KIOSK_STAFF_TEXT,
  type KioskStatus,
} from '../../../shared/kiosk.ts';
import { MAIN_LIST_ID } from '../../../shared/lists.ts';
import { useStore } from '../app/use-store.ts';
import { APP_SHELL_ID, Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';
import { PinField } from '../ui/PinField.tsx';
import { isWellFormedPin } from '../../../shared/pin.ts';
import { LiveAnnouncer } from '../ui/LiveAnnouncer.tsx';
import { CameraScanner } from '../camera/index.ts';
import { acceptsCode, type KioskScreen } from './kiosk-slice.ts';

/** What the live region says of a screen. */
function spokenScreen(screen: KioskScreen, kiosk: KioskStatus): string {
  switch (screen.kind) {
    case 'start':
      return 'Scan your ticket, or type your email or order code.';
    case 'looking':
      return 'Looking for your ticket.';
    case 'askEmail':
      return KIOSK_ASK_EMAIL_TEXT;
    case 'askOrder':
      return KIOSK_ASK_ORDER_TEXT;
    case 'confirm':
      return `Is this the name on your badge? ${screen.person.fullName}`;
    case 'checkingIn':
      return 'Checking you in.';
    case 'done':
      return screen.badgeQueued
        ? `You are checked in, ${screen.name}. Your badge is printing: collect it at ${kiosk.collectAt}.`
        : `You are checked in, ${screen.name}. Please collect your badge from staff at the desk.`;
    case 'staff':
      return KIOSK_STAFF_TEXT[screen.reason];
    case 'failed':
      return 'Something went wrong. Please see a member of staff at the desk.';
  }
}

export function KioskPage({ kiosk }: { kiosk: KioskStatus }) {
  const screen = useStore((s) => s.kioskScreen);
  const screenId = useStore((s) => s.kioskScreenId);
  const kioskActivity = useStore((s) => s.kioskActivity);
  const kioskRestart = useStore((s) => s.kioskRestart);
  const kioskSubmit = useStore((s) => s.kioskSubmit);
  const [leaving, setLeaving] = useState(false);
  const scannable = acceptsCode(screen);

  return (
    <div
      id={APP_SHELL_ID}
      className="kiosk"
      onKeyDown={(e) => {
        kioskActivity();
        if (e.key === 'Escape' && !leaving) kioskRestart();
      }}
      onPointerDown={() => kioskActivity()}
    >
      <header className="kiosk-header">
        <p className="kiosk-event">
          {kiosk.eventName}
          {kiosk.listId === MAIN_LIST_ID ? null : <span className="kiosk-list"> · {kiosk.listName}</span>}
        </p>
        <button type="button" className="button button-small kiosk-leave" onClick={() => setLeaving(true)}>
          Staff: leave kiosk
        </button>
      </header>
      <main className="kiosk-main" aria-label="Self check-in">
        <KioskScreenView key={screenId} screen={screen} kiosk={kiosk} />
        {scannable ? (
          <CameraScanner startOn onScan={(code) => void kioskSubmit(code.text, { binary: code.binary })} />
        ) : null}
      </main>
      <LiveAnnouncer
        announcement={{ id: screenId, text: spokenScreen(screen, kiosk), urgent: false }}
        testId="kiosk-announcer"
      />
      {leaving ? <LeaveKioskDialog onClose={() => setLeaving(false)} /> : null}
    </div>
  );
}

function KioskScreenView({ screen, kiosk }: { screen: KioskScreen; kiosk: KioskStatus }) {
  switch (screen.kind) {
    case 'start':
      return (
        <Screen title="Scan your ticket" tone="start">
          <p className="kiosk-lead">
            Hold your ticket's code up to the camera or the scanner — or type your email or order code.
          </p>
          <FindForm label="Email or order code" button="Find my ticket" />
        </Screen>
      );
    case 'askEmail':
      return (
        <Screen title="Your email or order code" tone="start">
          <p className="kiosk-lead">{KIOSK_ASK_EMAIL_TEXT}</p>
          <FindForm label="Email or order code" button="Find my ticket" />
          <RestartButton />
        </Screen>
      );
    case 'askOrder':
      return (
        <Screen title="Your order code" tone="start">
          <p className="kiosk-lead">{KIOSK_ASK_ORDER_TEXT}</p>
          <FindForm label="Order code" button="Continue" />
          <RestartButton />
        </Screen>
      );
    case 'looking':
    case 'checkingIn':
      return (
        <Screen
          title={screen.kind === 'looking' ? 'Looking for your ticket…' : 'Checking you in…'}
          tone="start"
        >
          <p className="kiosk-lead" aria-busy="true">
            One moment.
          </p>
        </Screen>
      );
    case 'confirm':
      return <ConfirmName screen={screen} />;
    case 'done':
      return (
        <Screen title={`You're checked in, ${screen.name}`} tone="done">
          <p className="kiosk-lead" data-testid="kiosk-collect">
            {screen.badgeQueued
              ? `Your badge is printing. Collect it at ${kiosk.collectAt}.`
              : 'Please collect your badge from staff at the desk.'}
          </p>
          <NextPerson />
        </Screen>
      );
    case 'staff':
      return (
        <Screen title="Please see staff" tone="staff">
          <p className="kiosk-lead">{KIOSK_STAFF_TEXT[screen.reason]}</p>
          <NextPerson />
        </Screen>
      );
    case 'failed':
      return (
        <Screen title="Please see staff" tone="staff">
          <p className="kiosk-lead">Something went wrong here. Please see a member of staff at the desk.</p>
          <NextPerson />
        </Screen>
      );
  }
}

function Screen({
  title,
  tone,
  children,
}: {
  title: string;
  tone: 'start' | 'done' | 'staff';
  children: ReactNode;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A new screen: its first field (or button) takes the focus, so keys and a scanner land there.
  useEffect(() => {
    const root = headingRef.current?.parentElement;
    const target = root?.querySelector<HTMLElement>('[data-autofocus]') ?? headingRef.current;
    target?.focus();
  }, []);
  return (
    <section className={`kiosk-screen kiosk-screen-${tone}`} data-testid="kiosk-screen">
      <h1 ref={headingRef} tabIndex={-1} className="kiosk-title">
        {title}
      </h1>
      {children}
    </section>
  );
}

/** On an answer, the next person scans or types straight away. */
function NextPerson() {
  return (
    <div className="kiosk-next">
      <FindForm
        label="Next person: scan your ticket, or type your email or order code"
        button="Find my ticket"
      />
    </div>
  );
}

function RestartButton() {
  const kioskRestart = useStore((s) => s.kioskRestart);
  return (
    <button type="button" className="button kiosk-restart" onClick={kioskRestart}>
      Start again
    </button>
  );
}

/** The one field of the first screen and the questions: a scanner's code lands here too. */
function FindForm({ label, button }: { label: string; button: string }) {
  const kioskSubmit = useStore((s) => s.kioskSubmit);
  const [text, setText] = useState('');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void kioskSubmit(text);
  };
  return (
    <form className="kiosk-form" onSubmit={submit}>
      <label className="kiosk-label" htmlFor={id}>
        {label}
      </label>
      <div className="kiosk-row">
        <input
          id={id}
          data-autofocus
          className="kiosk-input"
          type="text"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={500}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-primary kiosk-big-button">
          {button}
        </button>
      </div>
    </form>
  );
}

/** "Is this the name on your badge?": the person's own name, which they may correct. */
function ConfirmName({ screen }: { screen: Extract<KioskScreen, { kind: 'confirm' }> }) {
  const kioskConfirm = useStore((s) => s.kioskConfirm);
  const { person } = screen;
  const [firstName, setFirstName] = useState(person.firstName ?? person.fullName);
  const [lastName, setLastName] = useState(person.lastName ?? '');
  const [error, setError] = useState<string | null>(null);
  const ids = { first: useId(), last: useId() };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (firstName.trim() === '') {
      setError('Your first name is needed on the badge.');
      return;
    }
    void kioskConfirm({ firstName, lastName });
  };
  return (
    <Screen title="Is this the name on your badge?" tone="start">
      <p className="kiosk-lead">Correct it if it is misspelt, then print your badge.</p>
      <form className="kiosk-form kiosk-name" onSubmit={submit}>
        <div className="kiosk-row">
          <div className="kiosk-field">
            <label className="kiosk-label" htmlFor={ids.first}>
              First name
            </label>
            <input
              id={ids.first}
              data-autofocus
              className="kiosk-input"
              type="text"
              maxLength={100}
              value={firstName}
              onChange={(e) => setFirstName(e.target.value)}
            />
          </div>
          <div className="kiosk-field">
            <label className="kiosk-label" htmlFor={ids.last}>
              Last name
            </label>
            <input
              id={ids.last}
              className="kiosk-input"
              type="text"
              maxLength={100}
              value={lastName}
              onChange={(e) => setLastName(e.target.value)}
            />
          </div>
        </div>
        {person.company || person.ticketName ? (
          <p className="kiosk-ticket">{[person.company, person.ticketName].filter(Boolean).join(' · ')}</p>
        ) : null}
        <InlineError message={error} />
        <div className="kiosk-row">
          <button type="submit" className="button button-primary kiosk-big-button">
            Yes, print my badge
          </button>
          <RestartButton />
        </div>
      </form>
    </Screen>
  );
}

function LeaveKioskDialog({ onClose }: { onClose: () => void }) {
  const leaveKiosk = useStore((s) => s.leaveKiosk);
  const [pin, setPin] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!isWellFormedPin(pin)) {
      setError('Enter the admin PIN.');
      return;
    }
    await run(() => leaveKiosk(pin));
  };
  return (
    <Dialog title="Leave kiosk mode" onClose={onClose} busy={busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <PinField label="Admin PIN" value={pin} onChange={setPin} autoFocus />
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Leave kiosk" busyLabel="Leaving…" />
        </div>
      </form>
    </Dialog>
  );
}
