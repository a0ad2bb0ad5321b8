// The desk's search field and its results: a grid the keyboard moves through while the focus
// stays in the field. Each row shows the person and their markers (VIP, not attending, checked in
// where and when or admitted at two desks, walk-in, needs attention), and its own buttons: "Check in" first, then "Print badge only", VIP and Undo.
// No row is a button itself, so no control sits inside another. The selected row is the person
// Enter would admit (enterTarget): a row chosen with ↑ ↓, an exact ticket code, or the only match.
// A badge the venue already printed at another desk asks first (priorPrintPrompt).
import { useEffect, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode, RefObject } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import type { PrintJob } from '../../../shared/printing.ts';
import { isCancelledAfterCheckIn, notFoundText } from '../../../shared/desk.ts';
import { enterTarget } from '../../../shared/desk-enter.ts';
import { priorPrintPrompt } from '../../../shared/venue-view.ts';
import { admittedTwiceText } from '../../../shared/door.ts';
import { formatClock, formatMoment } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import type { BadgeDeskStore } from '../app/store-kit.ts';
import { ReprintDialog } from './ReprintDialog.tsx';

const RESULTS_ID = 'desk-results';
const rowId = (attendeeId: number) => `desk-row-${attendeeId}`;

/** The attendee Enter would admit for the results on screen, or null. */
function selectedAttendeeId(s: BadgeDeskStore): number | null {
  const d = s.desk;
  if (!d || !d.results || d.results.query !== d.query) return null;
  return enterTarget({ ...d.results, query: d.query, chosen: d.highlight });
}

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const query = useStore((s) => s.desk?.query ?? '');
  const selectedId = useStore(selectedAttendeeId);
  const hasRows = useStore((s) => {
    const d = s.desk;
    return d !== null && d.results !== null && d.results.query === d.query && d.results.rows.length > 0;
  });
  const selectQuery = useStore((s) => s.desk?.selectQuery ?? 0);
  const deskType = useStore((s) => s.deskType);
  const deskMove = useStore((s) => s.deskMove);
  const deskClear = useStore((s) => s.deskClear);
  const deskEnter = useStore((s) => s.deskEnter);

  // "Not found" keeps the text, selected: the next keystroke (or scan) replaces it.
  useEffect(() => {
    if (selectQuery > 0) inputRef.current?.select();
  }, [selectQuery, inputRef]);

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
        aria-controls={hasRows ? RESULTS_ID : undefined}
        aria-activedescendant={selectedId === null ? undefined : rowId(selectedId)}
        value={query}
        onChange={(e) => deskType(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <p className="desk-hint">
        <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> check in the chosen person · <kbd>Esc</kbd> clear
        · Scan a ticket any time
      </p>
    </div>
  );
}

/** `notFoundNote`: what the desk's list may be missing (describeDeskList), said with "No one matches". */
export function Results({
  focusField,
  notFoundNote,
}: {
  focusField: () => void;
  notFoundNote: string | null;
}) {
  const query = useStore((s) => s.desk?.query ?? '');
  const results = useStore((s) => s.desk?.results ?? null);
  const selectedId = useStore(selectedAttendeeId);
  const searchError = useStore((s) => s.desk?.searchError ?? null);
  const deskCheckIn = useStore((s) => s.deskCheckIn);
  const deskPrintBadge = useStore((s) => s.deskPrintBadge);
  const deskReprinted = useStore((s) => s.deskReprinted);
  const [reprint, setReprint] = useState<{ attendee: Attendee; prompt: string | null } | null>(null);

  const onPrint = async (attendee: Attendee) => {
    const result = await deskPrintBadge(attendee);
    // A second copy is a reprint: it needs a reason, recorded with who asked.
    if (result.kind === 'already_printed') setReprint({ attendee, prompt: null });
    else if (result.kind === 'printed_in_venue')
      setReprint({ attendee, prompt: priorPrintPrompt(result.prior, formatClock) });
  };

  const current = results && results.query === query ? results : null;
  const rows = current?.rows ?? [];

  useEffect(() => {
    if (selectedId === null) return;
    document.getElementById(rowId(selectedId))?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  let note: ReactNode = null;
  if (searchError && query.trim() !== '') {
    note = (
      <p className="desk-note desk-note-error" role="alert">
        Search failed: {searchError}
      </p>
    );
  } else if (current && rows.length === 0) {
    note = (
      <div className="desk-note">
        <p>{notFoundText(current.query)}</p>
        {notFoundNote ? <p className="desk-note-list">{notFoundNote}</p> : null}
      </div>
    );
  } else if (query.trim() === '') {
    note = (
      <p className="desk-note desk-note-idle">
        Type three letters of a name, email or company, or scan a ticket.
      </p>
    );
  }

  return (
    <div className="desk-results-wrap">
      {note}
      {rows.length > 0 ? (
        <div
          id={RESULTS_ID}
          role="grid"
          aria-label="Search results"
          className="desk-results"
          // Keep the focus in the search field: the next scan must land there.
          onMouseDown={(e) => e.preventDefault()}
        >
          {rows.map((a) => (
            <ResultRow
              key={a.id}
              attendee={a}
              selected={a.id === selectedId}
              focusField={focusField}
              onCheckIn={() => {
                focusField();
                void deskCheckIn(a).finally(focusField);
              }}
              onPrint={() => {
                focusField();
                void onPrint(a);
              }}
            />
          ))}
        </div>
      ) : null}
      {current?.more ? <p className="desk-more">More matches — keep typing</p> : null}
      {reprint ? (
        <ReprintDialog
          attendee={reprint.attendee}
          prompt={reprint.prompt}
          onReprinted={(job: PrintJob) => deskReprinted(reprint.attendee, job)}
          onClose={() => setReprint(null)}
        />
      ) : null}
    </div>
  );
}

function ResultRow({
  attendee: a,
  selected,
  focusField,
  onCheckIn,
  onPrint,
}: {
  attendee: Attendee;
  selected: boolean;
  focusField: () => void;
  onCheckIn: () => void;
  onPrint: () => void;
}) {
  const setVip = useStore((s) => s.setVip);
  const deskUndo = useStore((s) => s.deskUndo);
  const notAttending = a.status === 'NOT_ATTENDING';
  const details = [a.email, a.company, a.ticketName].filter((v): v is string => Boolean(v));
  const classes = [
    'desk-option',
    selected ? 'desk-option-selected' : '',
    notAttending ? 'desk-option-not-attending' : '',
    a.status === 'NOT_YET_ATTENDING' ? 'desk-option-pending' : '',
    a.checkedIn ? 'desk-option-checked-in' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const id = rowId(a.id);
  const printLabel = a.checkedIn ? 'Print badge' : 'Print badge only';
  return (
    <div
      role="row"
      id={id}
      aria-selected={selected}
      // The name is the person and the markers; the row's own buttons are named apart.
      aria-labelledby={`${id}-main ${id}-badges`}
      className={classes}
    >
      <div role="gridcell" className="desk-option-main" id={`${id}-main`}>
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
      <div role="gridcell" className="desk-option-badges" id={`${id}-badges`}>
        <Markers attendee={a} />
      </div>
      <div role="gridcell" className="desk-option-actions">
        {a.checkedIn ? null : (
          <button
            type="button"
            className="button button-small button-primary desk-check-in"
            aria-label={`Check in ${a.fullName}`}
            onClick={onCheckIn}
          >
            Check in
          </button>
        )}
        <button
          type="button"
          className="button button-small desk-print"
          aria-label={`${printLabel}: ${a.fullName}`}
          onClick={onPrint}
        >
          {printLabel}
        </button>
        <button
          type="button"
          className={`desk-vip-toggle${a.vip ? ' desk-vip-on' : ''}`}
          aria-pressed={a.vip}
          aria-label={`VIP: ${a.fullName}`}
          title={a.vip ? 'Remove VIP' : 'Mark as VIP'}
          onClick={() => {
            focusField();
            void setVip(a, !a.vip);
          }}
        >
          <span aria-hidden="true">{a.vip ? '★' : '☆'}</span>
        </button>
        {a.checkedIn ? (
          <button
            type="button"
            className="button button-small"
            aria-label={`Undo check-in of ${a.fullName}`}
            onClick={() => {
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

function Markers({ attendee: a }: { attendee: Attendee }) {
  // A person admitted at two desks: "Admitted twice — Front Door 10:24 and Side Door 10:24".
  const twice = admittedTwiceText(a.admittedAt, formatClock);
  return (
    <>
      {a.vip ? (
        <>
          {' '}
          <span className="badge badge-vip">VIP</span>
        </>
      ) : null}
      {a.status === 'NOT_ATTENDING' ? (
        <>
          {' '}
          <span className="badge badge-red">Not attending</span>
        </>
      ) : null}
      {a.status === 'NOT_YET_ATTENDING' ? (
        <>
          {' '}
          <span className="badge badge-amber">Pending</span>
        </>
      ) : null}
      {a.checkedIn && twice ? (
        <>
          {' '}
          <span className="badge badge-amber">{twice}</span>
        </>
      ) : a.checkedIn ? (
        <>
          {' '}
          <span className="badge badge-green" title={formatMoment(a.checkedIn.at)}>
            Checked in {formatClock(a.checkedIn.at)} · {a.checkedIn.station}
          </span>
        </>
      ) : null}
      {a.walkIn ? (
        <>
          {' '}
          <span className="badge">Walk-in</span>
        </>
      ) : null}
      {a.attention ? (
        <>
          {' '}
          <span className="badge badge-amber">Needs attention</span>
        </>
      ) : null}
      {isCancelledAfterCheckIn(a) ? (
        <>
          {' '}
          <span className="badge badge-flag">Cancelled after check-in</span>
        </>
      ) : null}
    </>
  );
}
