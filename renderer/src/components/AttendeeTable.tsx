// The attendee table: ARIA table semantics on divs, virtualised so 50,000 rows scroll smoothly.
// Rows are fetched in pages of 200 as they come into view (the store caches them) and shown as
// placeholders until they arrive.
import { memo, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Attendee, AttendeeStatus, SyncedEvent } from '../../../shared/types.ts';
import { isCancelledAfterCheckIn } from '../../../shared/desk.ts';
import { formatClock, formatCount, formatMoment } from '../format.ts';
import { PAGE_SIZE, useStore } from '../store/index.ts';

const ROW_HEIGHT = 44;
// Stable identities: the virtualizer recomputes every row's position (a pass over all of them)
// whenever getItemKey changes, and an inline arrow changed on every render, so every scrolled
// frame paid for the whole event (1.5 ms a frame at 100,000 rows).
const rowKey = (index: number) => index;
const rowSize = () => ROW_HEIGHT;

const STATUS_LABEL: Record<AttendeeStatus, string> = {
  ATTENDING: 'Attending',
  NOT_ATTENDING: 'Not attending',
  NOT_YET_ATTENDING: 'Pending',
};

const COLUMNS = ['Name', 'Email', 'Company', 'Ticket', 'Status', 'Checked in', 'VIP'] as const;

export function AttendeeTable({ event }: { event: SyncedEvent }) {
  const cache = useStore((s) => (s.attendees && s.attendees.eventId === event.id ? s.attendees : null));
  const showAttendeeRows = useStore((s) => s.showAttendeeRows);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const count = cache?.total ?? event.counts.total;

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
  const pageError = (index: number): string | null => cache?.pages[Math.floor(index / PAGE_SIZE)]?.error ?? null;

  return (
    <section className="attendees" aria-labelledby="attendees-title">
      <div className="attendees-head">
        <h2 id="attendees-title">Attendees</h2>
        <span className="muted">{count === 1 ? '1 row' : `${formatCount(count)} rows`}</span>
      </div>
      <div className="table" role="table" aria-label="Attendees" aria-rowcount={count + 1}>
        <div role="rowgroup" className="table-head">
          <div role="row" className="table-row table-row-head" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <div key={c} role="columnheader" className={`cell cell-${c.toLowerCase().replace(/ /g, '-')}`}>
                {c}
              </div>
            ))}
          </div>
        </div>
        <div ref={scrollerRef} className="table-scroller" data-testid="attendee-scroller" role="rowgroup" tabIndex={0} aria-label="Attendee rows">
          {count === 0 ? (
            <div className="table-empty">{event.activeJob ? 'Waiting for attendees…' : cache?.total === null || cache === null ? 'Loading attendees…' : 'No attendees yet'}</div>
          ) : (
            <div className="table-spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
              {items.map((item) => {
                const attendee = rowFor(item.index);
                return attendee ? (
                  <AttendeeRow key={item.key} attendee={attendee} rowIndex={item.index + 2} start={item.start} size={item.size} />
                ) : (
                  <PlaceholderRow key={item.key} rowIndex={item.index + 2} start={item.start} size={item.size} error={pageError(item.index)} />
                );
              })}
            </div>
          )}
        </div>
      </div>
    </section>
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

const AttendeeRow = memo(function AttendeeRow({ attendee, rowIndex, start, size }: RowPlacement & { attendee: Attendee }) {
  const setVip = useStore((s) => s.setVip);
  const statusClass = attendee.status === 'NOT_ATTENDING' ? 'not-attending' : attendee.status === 'NOT_YET_ATTENDING' ? 'pending' : 'attending';
  return (
    <div role="row" aria-rowindex={rowIndex} className={`table-row table-row-body row-${statusClass}`} style={rowStyle(start, size)} data-attendee-id={attendee.id}>
      <div role="cell" className="cell cell-name" title={attendee.fullName}>
        {attendee.fullName}
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
          <span className="status-tag status-cancelled-after" title="Checked in here, then cancelled on the provider">
            Cancelled after check-in
          </span>
        ) : (
          <span className={`status-tag status-${statusClass}`}>{STATUS_LABEL[attendee.status]}</span>
        )}
      </div>
      <div role="cell" className="cell cell-checked-in" title={attendee.checkedIn ? `Checked in ${formatMoment(attendee.checkedIn.at)} at ${attendee.checkedIn.station}` : undefined}>
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
      </div>
    </div>
  );
});

function PlaceholderRow({ rowIndex, start, size, error }: RowPlacement & { error: string | null }) {
  return (
    <div role="row" aria-rowindex={rowIndex} aria-busy={error ? undefined : true} className="table-row table-row-body table-row-placeholder" style={rowStyle(start, size)}>
      <div role="cell" className="cell cell-name">
        {error ? <span className="inline-error-text">Could not load: {error}</span> : <span className="placeholder-bar">Loading…</span>}
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
