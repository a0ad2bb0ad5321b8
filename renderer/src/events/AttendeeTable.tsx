// The attendee table: ARIA table semantics on divs, virtualised so 100,000 rows scroll smoothly.
// Rows are fetched in pages of 200 as they come into view (the store caches them) and shown as
// placeholders until they arrive. Above it, the list's filter box and filters; its column heads
// sort (main answers every query: the table only shows pages of the answer).
import { memo, useEffect, useId, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Attendee, AttendeeStatus, SyncedEvent } from '../../../shared/types.ts';
import { AttendeeDoorButton, AttendeeDoorMarks } from './AttendeeDoorMarks.tsx';
import { isCancelledAfterCheckIn } from '../../../shared/desk.ts';
import {
  ATTENDEE_SORT_LABEL,
  ATTENDEE_STATUSES,
  ATTENDEE_STATUS_LABEL,
  isNarrowed,
  type AttendeeSortKey,
  type CheckInFilter,
} from '../../../shared/attendee-list.ts';
import { formatClock, formatCount, formatMoment } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { PAGE_SIZE, type AttendeeCache } from './attendees-slice.ts';
import { SelectField } from '../ui/SelectField.tsx';

const ROW_HEIGHT = 44;
// Stable identities: the virtualizer recomputes every row's position (a pass over all of them)
// whenever getItemKey changes, and an inline arrow changed on every render, so every scrolled
// frame paid for the whole event (1.5 ms a frame at 100,000 rows).
const rowKey = (index: number) => index;
const rowSize = () => ROW_HEIGHT;

/** The columns, and the sort each head applies (none for the ones main does not sort by). */
const COLUMNS: readonly { label: string; sort: AttendeeSortKey | null }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Email', sort: null },
  { label: 'Company', sort: null },
  { label: 'Ticket', sort: 'ticket' },
  { label: 'Status', sort: 'status' },
  { label: 'Checked in', sort: 'checked_in_at' },
  { label: 'VIP', sort: null },
];

export function AttendeeTable({ event }: { event: SyncedEvent }) {
  const cache = useStore((s) => (s.attendees && s.attendees.eventId === event.id ? s.attendees : null));
  const showAttendeeRows = useStore((s) => s.showAttendeeRows);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const count = cache?.total ?? event.counts.total;
  const narrowed = cache !== null && isNarrowed(cache.query);
  const queryId = cache?.queryId ?? 0;

  // A new query is a new list: show its top.
  useEffect(() => {
    scrollerRef.current?.scrollTo({ top: 0 });
  }, [queryId]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollerRef.current,
    estimateSize: rowSize,
    overscan: 12,
    getItemKey: rowKey,
  });

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? -1;

  // Pages in view that went stale (the event's attendees or check-ins changed) are re-read by the
  // store's attendees slice (throttled); here we only report what is in view when that changes.
  useEffect(() => {
    showAttendeeRows(event.id, firstIndex, Math.max(lastIndex, firstIndex));
  }, [event.id, firstIndex, lastIndex, showAttendeeRows]);

  const rowFor = (index: number): Attendee | null => {
    const entry = cache?.pages[Math.floor(index / PAGE_SIZE)];
    return entry?.rows?.[index % PAGE_SIZE] ?? null;
  };
  const pageError = (index: number): string | null =>
    cache?.pages[Math.floor(index / PAGE_SIZE)]?.error ?? null;

  return (
    <section className="attendees" aria-labelledby="attendees-title">
      <div className="attendees-head">
        <h2 id="attendees-title">Attendees</h2>
        <span className="muted" data-testid="attendee-count" aria-live="polite">
          {narrowed ? `${formatCount(count)} of ${formatCount(event.counts.total)}` : formatCount(count)}{' '}
          {count === 1 && !narrowed ? 'row' : 'rows'}
        </span>
      </div>
      {cache ? <AttendeeListControls event={event} cache={cache} /> : null}
      <div className="table" role="table" aria-label="Attendees" aria-rowcount={count + 1}>
        <div role="rowgroup" className="table-head">
          <div role="row" className="table-row table-row-head" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <ColumnHead key={c.label} label={c.label} sortKey={c.sort} cache={cache} eventId={event.id} />
            ))}
          </div>
        </div>
        <div
          ref={scrollerRef}
          className="table-scroller"
          data-testid="attendee-scroller"
          role="rowgroup"
          tabIndex={0}
          aria-label="Attendee rows"
        >
          {count === 0 ? (
            <div className="table-empty">
              {narrowed && cache?.total === 0
                ? 'No attendees match'
                : event.activeJob
                  ? 'Waiting for attendees…'
                  : cache?.total === null || cache === null
                    ? 'Loading attendees…'
                    : 'No attendees yet'}
            </div>
          ) : (
            <div className="table-spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
              {items.map((item) => {
                const attendee = rowFor(item.index);
                return attendee ? (
                  <AttendeeRow
                    key={item.key}
                    attendee={attendee}
                    rowIndex={item.index + 2}
                    start={item.start}
                    size={item.size}
                  />
                ) : (
                  <PlaceholderRow
                    key={item.key}
                    rowIndex={item.index + 2}
                    start={item.start}
                    size={item.size}
                    error={pageError(item.index)}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

/** A column head; a sortable one is a button that sorts by it, and again in the other direction. */
function ColumnHead({
  label,
  sortKey,
  cache,
  eventId,
}: {
  label: string;
  sortKey: AttendeeSortKey | null;
  cache: AttendeeCache | null;
  eventId: number;
}) {
  const setQuery = useStore((s) => s.setAttendeeQuery);
  const className = `cell cell-${label.toLowerCase().replace(/ /g, '-')}`;
  if (sortKey === null || cache === null) {
    return (
      <div role="columnheader" className={className}>
        {label}
      </div>
    );
  }
  const sort = cache.query.sort;
  const active = sort.key === sortKey;
  const next = active
    ? sort.direction === 'asc'
      ? 'desc'
      : 'asc'
    : sortKey === 'checked_in_at'
      ? 'desc'
      : 'asc';
  return (
    <div
      role="columnheader"
      className={className}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        className={`column-sort${active ? ' column-sort-active' : ''}`}
        title={`Sort by ${ATTENDEE_SORT_LABEL[sortKey].toLowerCase()}, ${directionWords(sortKey, next)}`}
        onClick={() => setQuery(eventId, { sort: { key: sortKey, direction: next } })}
      >
        {label}
        <span className="column-sort-mark" aria-hidden="true">
          {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </div>
  );
}

function directionWords(key: AttendeeSortKey, direction: 'asc' | 'desc'): string {
  if (key === 'checked_in_at') return direction === 'asc' ? 'earliest first' : 'latest first';
  return direction === 'asc' ? 'A to Z' : 'Z to A';
}

const CHECK_IN_OPTIONS: readonly { value: CheckInFilter | ''; label: string }[] = [
  { value: '', label: 'Everyone' },
  { value: 'checked_in', label: 'Checked in' },
  { value: 'not_checked_in', label: 'Not checked in' },
];

/** The filter box (the desk's search: word starts, any accents) and the filters; each applies as it changes. */
function AttendeeListControls({ event, cache }: { event: SyncedEvent; cache: AttendeeCache }) {
  const setQuery = useStore((s) => s.setAttendeeQuery);
  const tickets = useStore((s) => (s.stats?.eventId === event.id ? (s.stats.data?.byTicket ?? null) : null));
  const textId = useId();
  const { text, filter } = cache.query;
  const ticketNames = [...new Set([...(tickets ?? []).map((t) => t.ticketName), filter.ticketName ?? null])]
    .filter((t): t is string => t !== null)
    .sort((a, b) => a.localeCompare(b));
  const change = (c: Parameters<typeof setQuery>[1]) => setQuery(event.id, c);

  return (
    <div className="attendee-filters" role="search" aria-label="Filter attendees">
      <div className="field attendee-filter-text">
        <label className="field-label" htmlFor={textId}>
          Filter
        </label>
        <input
          id={textId}
          type="search"
          value={text}
          placeholder="Name, email, company, order or ticket code"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          onChange={(e) => change({ text: e.target.value })}
        />
      </div>
      <SelectField
        label="Check-in"
        value={filter.checkIn ?? ''}
        options={CHECK_IN_OPTIONS}
        onChange={(v) => change({ filter: { checkIn: (v || undefined) as CheckInFilter | undefined } })}
      />
      <SelectField
        label="Status"
        value={filter.status ?? ''}
        options={[
          { value: '', label: 'Any status' },
          ...ATTENDEE_STATUSES.map((s) => ({ value: s, label: ATTENDEE_STATUS_LABEL[s] })),
        ]}
        onChange={(v) => change({ filter: { status: (v || undefined) as AttendeeStatus | undefined } })}
      />
      <SelectField
        label="Ticket"
        value={filter.ticketName ?? ''}
        options={[{ value: '', label: 'All tickets' }, ...ticketNames.map((t) => ({ value: t, label: t }))]}
        onChange={(v) => change({ filter: { ticketName: v || undefined } })}
      />
      <label className="field field-checkbox attendee-filter-vip">
        <input
          type="checkbox"
          checked={filter.vip === true}
          onChange={(e) => change({ filter: { vip: e.target.checked ? true : undefined } })}
        />
        VIP only
      </label>
      <label className="field field-checkbox attendee-filter-walk-in">
        <input
          type="checkbox"
          checked={filter.walkIn === true}
          onChange={(e) => change({ filter: { walkIn: e.target.checked ? true : undefined } })}
        />
        Walk-ins only
      </label>
      <label className="field field-checkbox attendee-filter-twice">
        <input
          type="checkbox"
          checked={filter.admittedTwice === true}
          onChange={(e) => change({ filter: { admittedTwice: e.target.checked ? true : undefined } })}
        />
        Admitted twice
      </label>
    </div>
  );
}

interface RowPlacement {
  rowIndex: number;
  start: number;
  size: number;
}

function rowStyle(start: number, size: number) {
  return { transform: `translateY(${start}px)`, height: `${size}px` };
}

const AttendeeRow = memo(function AttendeeRow({
  attendee,
  rowIndex,
  start,
  size,
}: RowPlacement & { attendee: Attendee }) {
  const setVip = useStore((s) => s.setVip);
  const statusClass =
    attendee.status === 'NOT_ATTENDING'
      ? 'not-attending'
      : attendee.status === 'NOT_YET_ATTENDING'
        ? 'pending'
        : 'attending';
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      className={`table-row table-row-body row-${statusClass}`}
      style={rowStyle(start, size)}
      data-attendee-id={attendee.id}
    >
      <div role="cell" className="cell cell-name" title={attendee.fullName}>
        {attendee.fullName}
        <AttendeeDoorMarks attendee={attendee} />
      </div>
      <div role="cell" className="cell cell-email" title={attendee.email ?? undefined}>
        {attendee.email ?? ''}
      </div>
      <div role="cell" className="cell cell-company" title={attendee.company ?? undefined}>
        {attendee.company ?? ''}
      </div>
      <div role="cell" className="cell cell-ticket" title={attendee.ticketName ?? undefined}>
        {attendee.ticketName ?? ''}
      </div>
      <div role="cell" className="cell cell-status">
        {isCancelledAfterCheckIn(attendee) ? (
          <span
            className="status-tag status-cancelled-after"
            title="Checked in here, then cancelled on the provider"
          >
            Cancelled after check-in
          </span>
        ) : (
          <span className={`status-tag status-${statusClass}`}>{ATTENDEE_STATUS_LABEL[attendee.status]}</span>
        )}
      </div>
      <div
        role="cell"
        className="cell cell-checked-in"
        title={
          attendee.checkedIn
            ? `Checked in ${formatMoment(attendee.checkedIn.at)} at ${attendee.checkedIn.station}`
            : undefined
        }
      >
        {attendee.checkedIn ? `${formatClock(attendee.checkedIn.at)} · ${attendee.checkedIn.station}` : ''}
      </div>
      <div role="cell" className="cell cell-vip">
        <button
          type="button"
          className={`vip-toggle${attendee.vip ? ' vip-on' : ''}`}
          aria-pressed={attendee.vip}
          title={attendee.vip ? `Remove VIP from ${attendee.fullName}` : `Mark ${attendee.fullName} as VIP`}
          onClick={() => void setVip(attendee, !attendee.vip)}
        >
          VIP
        </button>
        <AttendeeDoorButton attendee={attendee} />
      </div>
    </div>
  );
});

function PlaceholderRow({ rowIndex, start, size, error }: RowPlacement & { error: string | null }) {
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-busy={error ? undefined : true}
      className="table-row table-row-body table-row-placeholder"
      style={rowStyle(start, size)}
    >
      <div role="cell" className="cell cell-name">
        {error ? (
          <span className="inline-error-text">Could not load: {error}</span>
        ) : (
          <span className="placeholder-bar">Loading…</span>
        )}
      </div>
      <div role="cell" className="cell cell-email">
        <span className="placeholder-bar" aria-hidden="true" />
      </div>
      <div role="cell" className="cell cell-company">
        <span className="placeholder-bar" aria-hidden="true" />
      </div>
      <div role="cell" className="cell cell-ticket" />
      <div role="cell" className="cell cell-status" />
      <div role="cell" className="cell cell-checked-in" />
      <div role="cell" className="cell cell-vip" />
    </div>
  );
}
