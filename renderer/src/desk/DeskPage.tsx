// The check-in desk: one search field that takes typed names and scanned tickets alike, the
// results to pick from, a big answer panel, and the recent check-ins. Keyboard first: ↑ ↓ choose,
// Enter checks in, Esc clears; the field keeps the focus so the next scan always lands in it.
// What each answer says comes from describeCheckInOutcome in shared/desk.ts; a badge the venue
// already printed at another desk asks first (priorPrintPrompt in shared/venue.ts).
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent as ReactKeyboardEvent, ReactNode, RefObject } from 'react';
import type { Attendee, SyncedEvent } from '../../../shared/types.ts';
import type { CheckInLogEntry } from '../../../shared/desk.ts';
import { isCancelledAfterCheckIn, isWorkingOffline, offlineHeaderText } from '../../../shared/desk.ts';
import { describeSyncStatus } from '../../../shared/sync-status.ts';
import { PRINT_JOB_STATE_LABEL } from '../../../shared/printing.ts';
import { priorPrintPrompt } from '../../../shared/venue-view.ts';
import { formatClock, formatCount, formatMoment } from '../ui/format.ts';
import type { DeskFeedback, DeskFeedbackTone, DeskPrintLine } from '../app/use-store.ts';
import { useCurrentEvent, useStore } from '../app/use-store.ts';
import { SyncStatusBadge } from '../ui/StatusPill.tsx';
import { EventMissing } from '../events/EventPage.tsx';
import { Dialog, FormDialogActions, InlineError, useDialogAction } from '../ui/Dialog.tsx';
import { StorageBanner } from '../storage/StorageNotices.tsx';

const LISTBOX_ID = 'desk-results';
const optionId = (attendeeId: number) => `desk-option-${attendeeId}`;

export function DeskPage() {
  const event = useCurrentEvent();
  if (!event) return <EventMissing label="Check-in desk" />;
  return <DeskView key={event.id} event={event} />;
}

/** Keys a person (or a scanner) types while the focus is elsewhere on the desk go to the search field. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('[role="dialog"]')) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function DeskView({ event }: { event: SyncedEvent }) {
  const navigate = useStore((s) => s.navigate);
  const inputRef = useRef<HTMLInputElement>(null);
  const focusField = () => inputRef.current?.focus();

  useEffect(() => {
    inputRef.current?.focus();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key.length !== 1 || e.key === ' ') return;
      if (isTypingTarget(e.target)) return;
      // Focus moves before the key's default action, so the character lands in the field.
      inputRef.current?.focus();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  return (
    <main className="page desk-page" aria-label="Check-in desk">
      <DeskHeader event={event} onBack={() => navigate({ name: 'event', eventId: event.id })} />
      <StorageBanner />
      <div className="desk-grid">
        <div className="desk-main">
          <SearchBox inputRef={inputRef} />
          <Results focusField={focusField} />
        </div>
        <div className="desk-side">
          <FeedbackPanel focusField={focusField} />
          <RecentCheckIns />
        </div>
      </div>
    </main>
  );
}

function DeskHeader({ event, onBack }: { event: SyncedEvent; onBack: () => void }) {
  const offline = isWorkingOffline(event);
  const view = describeSyncStatus(event.status, event.activeJob !== null);
  return (
    <div className="desk-header">
      <div className="desk-header-row">
        <button type="button" className="button button-small desk-back" onClick={onBack}>
          <span aria-hidden="true">←</span> Back to event
        </button>
        <div className="desk-title">
          <h1>{event.name}</h1>
          {offline ? null : view.showSyncingPill ? (
            <span className="pill pill-green" data-testid="desk-sync-status">
              <span className="pill-dot" aria-hidden="true" />
              Syncing
            </span>
          ) : (
            <span data-testid="desk-sync-status" title="Check-in keeps working from local data">
              <SyncStatusBadge event={event} />
            </span>
          )}
        </div>
        <p className="desk-counter" data-testid="desk-checked-in">
          <span className="desk-counter-value">
            {formatCount(event.counts.checkedIn)} / {formatCount(event.counts.attending)}
          </span>{' '}
          checked in
        </p>
      </div>
      {offline ? <OfflineBanner event={event} /> : null}
    </div>
  );
}

export function OfflineBanner({ event }: { event: SyncedEvent }) {
  return (
    <p className="offline-banner" role="status" data-testid="offline-banner">
      <span className="offline-banner-dot" aria-hidden="true" />
      {offlineHeaderText(event.lastSyncedAt, formatClock)}
    </p>
  );
}

function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const query = useStore((s) => s.desk?.query ?? '');
  const activeId = useStore((s) => {
    const d = s.desk;
    const row = d && d.results && d.results.query === d.query ? d.results.rows[d.highlight] : undefined;
    return row ? optionId(row.id) : undefined;
  });
  const deskType = useStore((s) => s.deskType);
  const deskMove = useStore((s) => s.deskMove);
  const deskClear = useStore((s) => s.deskClear);
  const deskEnter = useStore((s) => s.deskEnter);

  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        deskMove(1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        deskMove(-1);
        break;
      case 'Enter': {
        e.preventDefault();
        const input = e.currentTarget;
        void deskEnter(input.value).finally(() => {
          if (document.activeElement === document.body || document.activeElement === null) input.focus();
        });
        input.focus();
        break;
      }
      case 'Escape':
        e.preventDefault();
        deskClear();
        e.currentTarget.focus();
        break;
    }
  };

  return (
    <div className="desk-search">
      <input
        ref={inputRef}
        type="search"
        className="desk-search-input"
        aria-label="Search attendees"
        placeholder="Name, email, company — or scan a ticket"
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        aria-controls={LISTBOX_ID}
        aria-activedescendant={activeId}
        value={query}
        onChange={(e) => deskType(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <p className="desk-hint">
        <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> check in · <kbd>Esc</kbd> clear · Scan a ticket any time
      </p>
    </div>
  );
}

function Results({ focusField }: { focusField: () => void }) {
  const query = useStore((s) => s.desk?.query ?? '');
  const results = useStore((s) => s.desk?.results ?? null);
  const highlight = useStore((s) => s.desk?.highlight ?? 0);
  const searchError = useStore((s) => s.desk?.searchError ?? null);
  const deskCheckIn = useStore((s) => s.deskCheckIn);
  const printFirstBadge = useStore((s) => s.printFirstBadge);
  const listRef = useRef<HTMLDivElement>(null);
  const [reprint, setReprint] = useState<{ attendee: Attendee; prompt: string | null } | null>(null);

  const onPrint = async (attendee: Attendee) => {
    const result = await printFirstBadge(attendee);
    // A second copy is a reprint: it needs a reason, recorded with who asked.
    if (result.kind === 'already_printed') setReprint({ attendee, prompt: null });
    else if (result.kind === 'printed_in_venue') setReprint({ attendee, prompt: priorPrintPrompt(result.prior, formatClock) });
  };

  const current = results && results.query === query ? results : null;
  const rows = current?.rows ?? [];
  const highlightedId = rows[highlight]?.id;

  useEffect(() => {
    if (highlightedId === undefined) return;
    document.getElementById(optionId(highlightedId))?.scrollIntoView({ block: 'nearest' });
  }, [highlightedId]);

  let note: ReactNode = null;
  if (searchError && query.trim() !== '') {
    note = (
      <p className="desk-note desk-note-error" role="alert">
        Search failed: {searchError}
      </p>
    );
  } else if (current && rows.length === 0) {
    note = <p className="desk-note">No one matches “{current.query.trim()}”</p>;
  } else if (query.trim() === '') {
    note = <p className="desk-note desk-note-idle">Type three letters of a name, email or company, or scan a ticket.</p>;
  }

  return (
    <div className="desk-results-wrap">
      {note}
      <div ref={listRef} id={LISTBOX_ID} role="listbox" aria-label="Search results" className={`desk-results${rows.length === 0 ? ' desk-results-empty' : ''}`}>
        {rows.map((a, i) => (
          <ResultRow
            key={a.id}
            attendee={a}
            selected={i === highlight}
            onPick={() => {
              focusField();
              void deskCheckIn(a).finally(focusField);
            }}
            focusField={focusField}
            onPrint={() => void onPrint(a)}
          />
        ))}
      </div>
      {current?.more ? <p className="desk-more">More matches — keep typing</p> : null}
      {reprint ? <ReprintDialog attendee={reprint.attendee} prompt={reprint.prompt} onClose={() => setReprint(null)} /> : null}
    </div>
  );
}

function ResultRow({
  attendee: a,
  selected,
  onPick,
  focusField,
  onPrint,
}: {
  attendee: Attendee;
  selected: boolean;
  onPick: () => void;
  focusField: () => void;
  onPrint: () => void;
}) {
  const setVip = useStore((s) => s.setVip);
  const deskUndo = useStore((s) => s.deskUndo);
  const notAttending = a.status === 'NOT_ATTENDING';
  const details = [a.email, a.company, a.ticketName].filter((v): v is string => Boolean(v));
  const classes = ['desk-option', selected ? 'desk-option-selected' : '', notAttending ? 'desk-option-not-attending' : '', a.status === 'NOT_YET_ATTENDING' ? 'desk-option-pending' : '', a.checkedIn ? 'desk-option-checked-in' : '']
    .filter(Boolean)
    .join(' ');
  const id = optionId(a.id);
  return (
    <div
      role="option"
      id={id}
      aria-selected={selected}
      // The name is the person and the markers; the row's own buttons are named apart.
      aria-labelledby={`${id}-main ${id}-badges`}
      className={classes}
      // Keep the focus in the search field: the next scan must land there.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
    >
      <div className="desk-option-main" id={`${id}-main`}>
        <span className="desk-option-name">{a.fullName}</span>
        {details.length > 0 ? (
          <span className="desk-option-details">
            {details.map((d, i) => (
              <span key={i}>
                {i > 0 ? ' · ' : ' '}
                {d}
              </span>
            ))}
          </span>
        ) : null}
      </div>
      <div className="desk-option-badges" id={`${id}-badges`}>
        {a.vip ? <> <span className="badge badge-vip">VIP</span></> : null}
        {notAttending ? <> <span className="badge badge-red">Not attending</span></> : null}
        {a.status === 'NOT_YET_ATTENDING' ? <> <span className="badge badge-amber">Pending</span></> : null}
        {a.checkedIn ? (
          <>
            {' '}
            <span className="badge badge-green" title={formatMoment(a.checkedIn.at)}>
              Checked in {formatClock(a.checkedIn.at)} · {a.checkedIn.station}
            </span>
          </>
        ) : null}
        {isCancelledAfterCheckIn(a) ? <> <span className="badge badge-flag">Cancelled after check-in</span></> : null}
      </div>
      <div className="desk-option-actions">
        <button
          type="button"
          className={`desk-vip-toggle${a.vip ? ' desk-vip-on' : ''}`}
          aria-pressed={a.vip}
          aria-label={`VIP: ${a.fullName}`}
          title={a.vip ? 'Remove VIP' : 'Mark as VIP'}
          onClick={(e) => {
            e.stopPropagation();
            focusField();
            void setVip(a, !a.vip);
          }}
        >
          <span aria-hidden="true">{a.vip ? '★' : '☆'}</span>
        </button>
        <button
          type="button"
          className="button button-small desk-print"
          aria-label={`Print badge of ${a.fullName}`}
          title="Print badge"
          onClick={(e) => {
            e.stopPropagation();
            focusField();
            onPrint();
          }}
        >
          Print
        </button>
        {a.checkedIn ? (
          <button
            type="button"
            className="button button-small"
            aria-label={`Undo check-in of ${a.fullName}`}
            onClick={(e) => {
              e.stopPropagation();
              focusField();
              void deskUndo(a).finally(focusField);
            }}
          >
            Undo
          </button>
        ) : null}
      </div>
    </div>
  );
}

const TONE_ICON: Record<DeskFeedbackTone, string> = {
  success: '✓',
  vip: '★',
  warning: '!',
  error: '✕',
  info: '↺',
};

function FeedbackPanel({ focusField }: { focusField: () => void }) {
  const feedback = useStore((s) => s.desk?.feedback ?? null);
  const tone = feedback?.tone ?? 'idle';
  return (
    <div className={`feedback feedback-${tone}`} role="status" aria-live="polite" data-testid="checkin-feedback" data-tone={tone}>
      {feedback ? <FeedbackBody key={feedback.id} feedback={feedback} focusField={focusField} /> : <p className="feedback-idle">Ready for the next person</p>}
    </div>
  );
}

function FeedbackBody({ feedback, focusField }: { feedback: DeskFeedback; focusField: () => void }) {
  const deskUndo = useStore((s) => s.deskUndo);
  const undoable = feedback.undoable;
  const [reprinting, setReprinting] = useState(false);
  return (
    <div className="feedback-body">
      <span className="feedback-icon" aria-hidden="true">
        {TONE_ICON[feedback.tone]}
      </span>
      <div className="feedback-text">
        <p className="feedback-title">{feedback.title}</p>
        <p className="feedback-subject">{feedback.subject}</p>
        {feedback.detail ? <p className="feedback-detail">{feedback.detail}</p> : null}
        {feedback.print ? <PrintLine line={feedback.print} onReprint={undoable ? () => setReprinting(true) : null} /> : null}
      </div>
      {undoable ? (
        <button
          type="button"
          className="button feedback-undo"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            focusField();
            void deskUndo(undoable).finally(focusField);
          }}
        >
          Undo
        </button>
      ) : null}
      {reprinting && undoable && feedback.print?.priorPrint ? (
        <ReprintDialog attendee={undoable} prompt={priorPrintPrompt(feedback.print.priorPrint, formatClock)} onClose={() => setReprinting(false)} />
      ) : null}
    </div>
  );
}

/**
 * "Badge printing on <printer>" under a check-in, following its job. A printer problem is amber
 * and says the check-in is done: the person is in, only the badge waits (see the Print queue).
 * A badge the venue already printed at some desk was not queued: the line asks, and offers a reprint.
 */
function PrintLine({ line, onReprint }: { line: DeskPrintLine; onReprint: (() => void) | null }) {
  const job = line.job;
  const printer = job?.printerName ?? line.printerName;
  if (!job && line.priorPrint) {
    return (
      <p className="feedback-print feedback-print-note" data-testid="auto-print-status" data-state="printed_in_venue">
        {priorPrintPrompt(line.priorPrint, formatClock)}{' '}
        {onReprint ? (
          <button type="button" className="link-button" onMouseDown={(e) => e.preventDefault()} onClick={onReprint}>
            Reprint…
          </button>
        ) : null}
      </p>
    );
  }
  if (job && (job.state === 'failed' || job.state === 'may_have_printed' || (job.state === 'queued' && job.error))) {
    const problem = job.error ?? 'the app stopped while this badge was printing';
    return (
      <p className="feedback-print feedback-print-problem" data-testid="auto-print-status" data-state={job.state}>
        Printer problem: {problem} — check-in is done
      </p>
    );
  }
  if (!job && line.note) {
    return (
      <p className="feedback-print feedback-print-note" data-testid="auto-print-status" data-state="none">
        {line.note}
      </p>
    );
  }
  const state = job ? PRINT_JOB_STATE_LABEL[job.state] : 'Sending…';
  return (
    <p className={`feedback-print${job?.state === 'printed' ? ' feedback-print-done' : ''}`} data-testid="auto-print-status" data-state={job?.state ?? 'waiting'}>
      <span className="feedback-print-dot" aria-hidden="true" />
      Badge printing on {printer} · <span className="feedback-print-state">{state}</span>
    </p>
  );
}

/** `prompt`: what the venue's print records say ("Badge printed at Desk 1 at 10:42 — reprint?"), when another desk printed it. */
function ReprintDialog({ attendee, prompt, onClose }: { attendee: Attendee; prompt: string | null; onClose: () => void }) {
  const reprintBadge = useStore((s) => s.reprintBadge);
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const ids = { reason: useId(), form: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const note = reason.trim();
    if (!note) return setError('Say why the badge is printed again (e.g. Badge lost).');
    await run(() => reprintBadge(attendee, note));
  };

  return (
    <Dialog
      title="Reprint badge"
      onClose={onClose}
      busy={busy}
      actions={<FormDialogActions formId={ids.form} onCancel={onClose} busy={busy} label="Reprint" busyLabel="Reprinting…" />}
    >
      <form id={ids.form} className="form" onSubmit={(e) => void submit(e)}>
        {prompt ? (
          <p className="warning-text" data-testid="venue-prior-print">
            {prompt}
          </p>
        ) : null}
        <p>
          <span className="strong">{attendee.fullName}</span> has a badge already. A reprint is recorded with the reason.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={ids.reason}>
            Reason
          </label>
          <input
            id={ids.reason}
            type="text"
            required
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. Badge lost"
            autoComplete="off"
            data-autofocus
          />
        </div>
        <InlineError message={error} />
      </form>
    </Dialog>
  );
}

function RecentCheckIns() {
  const log = useStore((s) => s.desk?.log ?? null);
  const logError = useStore((s) => s.desk?.logError ?? null);
  return (
    <section className="desk-log" aria-labelledby="desk-log-title">
      <h2 id="desk-log-title">Recent check-ins</h2>
      {logError && !log ? <p className="inline-error-text">Could not load: {logError}</p> : null}
      {log === null ? (
        logError ? null : <p className="muted small">Loading…</p>
      ) : log.length === 0 ? (
        <p className="muted small">No check-ins yet.</p>
      ) : (
        <ol className="desk-log-list">
          {log.map((entry) => (
            <LogEntry key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function LogEntry({ entry }: { entry: CheckInLogEntry }) {
  const undo = entry.action === 'undo';
  return (
    <li className={`desk-log-entry${undo ? ' desk-log-undo' : ''}`}>
      <span className="desk-log-name">{entry.attendeeName}</span>
      <span className="desk-log-action">{undo ? 'Undone' : 'Checked in'}</span>
      <time className="desk-log-time" dateTime={entry.at} title={formatMoment(entry.at)}>
        {formatClock(entry.at)}
      </time>
      <span className="desk-log-station">{entry.station}</span>
    </li>
  );
}
