// The event page's attendee list: what it can be filtered and sorted by. Both sides read these:
// the renderer to offer the choices, the main process to answer them. Pure.
import type { AttendeeStatus } from './types.ts';

export const ATTENDEE_STATUSES = [
  'ATTENDING',
  'NOT_YET_ATTENDING',
  'NOT_ATTENDING',
] as const satisfies readonly AttendeeStatus[];

export const ATTENDEE_STATUS_LABEL: Record<AttendeeStatus, string> = {
  ATTENDING: 'Attending',
  NOT_ATTENDING: 'Not attending',
  NOT_YET_ATTENDING: 'Pending',
};

export const ATTENDEE_SORT_KEYS = ['name', 'ticket', 'status', 'checked_in_at'] as const;
export type AttendeeSortKey = (typeof ATTENDEE_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export const ATTENDEE_SORT_LABEL: Record<AttendeeSortKey, string> = {
  name: 'Name',
  ticket: 'Ticket',
  status: 'Status',
  checked_in_at: 'Check-in time',
};

export interface AttendeeSort {
  key: AttendeeSortKey;
  direction: SortDirection;
}

/**
 * How each sort orders the list. Every order is total (ties end on the row's id), so a page
 * boundary never falls between two rows that could swap.
 * - name: by name, ignoring the case of ASCII letters (the name index's NOCASE collation, so an
 *   accented initial sorts after Z), A to Z or Z to A.
 * - ticket, status: by ticket name (rows without one first) or by status in ATTENDEE_STATUSES
 *   order (attending, pending, not attending), each group by name; descending reverses the
 *   groups, not the names in them.
 * - checked_in_at: the people checked in, by the time of their check-in (earliest or latest
 *   first), then everyone not checked in, by name: in either direction the ones not there yet
 *   come last.
 */
export const DEFAULT_ATTENDEE_SORT: AttendeeSort = { key: 'name', direction: 'asc' };

export type CheckInFilter = 'checked_in' | 'not_checked_in';

/** Every filter given must hold (AND). */
export interface AttendeeFilter {
  checkIn?: CheckInFilter | undefined;
  /** Only VIPs. */
  vip?: true | undefined;
  status?: AttendeeStatus | undefined;
  ticketName?: string | undefined;
  /** Only walk-ins (people registered at the door, shared/door.ts). */
  walkIn?: true | undefined;
  /** Only people admitted at two desks or more (the event page's count of double admissions leads here). */
  admittedTwice?: true | undefined;
}

export interface AttendeeListQuery {
  /** Typed text, matched as the desk's search matches it (word prefixes, any accents); never query syntax. */
  text?: string | undefined;
  filter?: AttendeeFilter | undefined;
  sort?: AttendeeSort | undefined;
}

/** Whether the query narrows the list (the page then says "N of M"). */
export function isNarrowed(query: AttendeeListQuery): boolean {
  const f = query.filter ?? {};
  return (
    (query.text ?? '').trim() !== '' ||
    f.checkIn !== undefined ||
    f.vip === true ||
    f.status !== undefined ||
    f.ticketName !== undefined ||
    f.walkIn === true ||
    f.admittedTwice === true
  );
}
