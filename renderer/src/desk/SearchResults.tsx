// The desk's search field and its results: a listbox the keyboard moves through while the focus
// stays in the field, each row with its markers (VIP, not attending, checked in where and when)
// and its own buttons (VIP, Print, Undo). A badge the venue already printed at another desk asks
// first (priorPrintPrompt).
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode, RefObject } from 'react';
import type { Attendee } from '../../../shared/types.ts';
import { isCancelledAfterCheckIn } from '../../../shared/desk.ts';
import { priorPrintPrompt } from '../../../shared/venue-view.ts';
import { formatClock, formatMoment } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { ReprintDialog } from './ReprintDialog.tsx';

const LISTBOX_ID = 'desk-results';
const optionId = (attendeeId: number) => `desk-option-${attendeeId}`;

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
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
        <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> check in · <kbd>Esc</kbd> clear · Scan a ticket
        any time
      </p>
    </div>
  );
}

export function Results({ focusField }: { focusField: () => void }) {
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
    else if (result.kind === 'printed_in_venue')
      setReprint({ attendee, prompt: priorPrintPrompt(result.prior, formatClock) });
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
    note = (
      <p className="desk-note desk-note-idle">
        Type three letters of a name, email or company, or scan a ticket.
      </p>
    );
  }

  return (
    <div className="desk-results-wrap">
      {note}
      <div
        ref={listRef}
        id={LISTBOX_ID}
        role="listbox"
        aria-label="Search results"
        className={`desk-results${rows.length === 0 ? ' desk-results-empty' : ''}`}
      >
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
      {reprint ? (
        <ReprintDialog attendee={reprint.attendee} prompt={reprint.prompt} onClose={() => setReprint(null)} />
      ) : null}
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
  const classes = [
    'desk-option',
    selected ? 'desk-option-selected' : '',
    notAttending ? 'desk-option-not-attending' : '',
    a.status === 'NOT_YET_ATTENDING' ? 'desk-option-pending' : '',
    a.checkedIn ? 'desk-option-checked-in' : '',
  ]
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
        {a.vip ? (
          <>
            {' '}
            <span className="badge badge-vip">VIP</span>
          </>
        ) : null}
        {notAttending ? (
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
        {a.checkedIn ? (
          <>
            {' '}
            <span className="badge badge-green" title={formatMoment(a.checkedIn.at)}>
              Checked in {formatClock(a.checkedIn.at)} · {a.checkedIn.station}
            </span>
          </>
        ) : null}
        {isCancelledAfterCheckIn(a) ? (
          <>
            {' '}
            <span className="badge badge-flag">Cancelled after check-in</span>
          </>
        ) : null}
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
