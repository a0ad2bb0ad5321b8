// The event page's attendee list: a page of an event's attendees at any offset, narrowed by typed
// text (the desk's FTS index, word prefixes, any accents) and filters, in one of the sorts of
// shared/attendee-list.ts. The table is virtualised and asks for pages of 200 as they scroll into
// view, in any order; at 100,000 attendees sorting the event for each page took 0.3-0.4 s.
//
// While an event's rows keep changing (an import), the whole event by name is served by walking
// the name index to the page's offset. Any other answer is a list of ids, built once and kept: an order of the whole event read from indexes (no
// sort: see AttendeeListStore), then, for a narrowed query, the rows of that order that pass every
// filter (membership tables over ids, one pass). A page is a slice of that list and its rows by id. The list is kept until the event's data changes (attendeesChanged from a sync,
// checkinsChanged from the desk, a VIP flag): every page of one list is cut from the same order,
// so consecutive pages never repeat or skip a row, and an order that only a sync can change (name,
// ticket, status) outlives the check-ins at the door.
import type { CoreEvents } from '../ground/events.ts';
import type { AttendeeListStore } from '../db/attendee-list-store.ts';
import { toMatchExpression } from '../db/search-text.ts';
import {
  ATTENDEE_STATUSES,
  DEFAULT_ATTENDEE_SORT,
  isNarrowed,
  type AttendeeListQuery,
  type AttendeeSort,
} from '../../shared/attendee-list.ts';
import type { Attendee } from '../../shared/types.ts';

export interface AttendeeListPage {
  rows: Attendee[];
  /** The rows the query matches (the whole event when nothing narrows it). */
  total: number;
}

export interface AttendeeListDeps {
  listStore: AttendeeListStore;
  events: CoreEvents;
}

// An order or a narrowed list of 100,000 ids is 400 kB; a few of each cover an admin switching
// between sorts and filters without holding much.
const KEPT_ORDERS = 8;
const KEPT_RESULTS = 8;

/** What the event's kept lists were built from: provider rows (a sync) and local state (check-ins, VIP). */
interface DataVersion {
  rows: number;
  local: number;
}

interface Kept {
  rows: number;
  /** null: the list does not depend on local state. */
  local: number | null;
  ids: Int32Array;
}

class Recent<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

const EMPTY = new Int32Array(0);

export class AttendeeList {
  private readonly versions = new Map<number, DataVersion>();
  private readonly orders = new Recent<Kept>(KEPT_ORDERS);
  private readonly results = new Recent<Kept>(KEPT_RESULTS);

  constructor(private readonly deps: AttendeeListDeps) {
    deps.events.on('attendeesChanged', ({ eventId }) => this.version(eventId).rows++);
    deps.events.on('eventForgotten', ({ eventId }) => this.version(eventId).rows++);
    deps.events.on('checkinsChanged', ({ eventId }) => this.version(eventId).local++);
  }

  /** Local state that no core event announces (a VIP flag) changed on this event. */
  localStateChanged(eventId: number): void {
    this.version(eventId).local++;
  }

  page(eventId: number, query: AttendeeListQuery, page: { offset: number; limit: number }): AttendeeListPage {
    const sort = query.sort ?? DEFAULT_ATTENDEE_SORT;
    const store = this.deps.listStore;
    if (sort.key === 'name' && !isNarrowed(query) && !this.settled(eventId)) {
      // The whole event by name is the index itself: while the rows keep changing (an import
      // announces every page it writes) a page walks it to its offset, and no list is built that
      // the next change would throw away (30-70 ms each at 100,000).
      return {
        rows: store.rows(store.idsByNamePage(eventId, sort.direction === 'desc', page)),
        total: store.attendeeCount(eventId),
      };
    }
    const ids = this.matching(eventId, query);
    const slice = ids.subarray(
      Math.min(page.offset, ids.length),
      Math.min(page.offset + page.limit, ids.length),
    );
    return { rows: store.rows(Array.from(slice)), total: ids.length };
  }

  /**
   * Whether the event's rows held still since the last page asked of them: from the second such
   * page on, the kept name order answers (a page far down is then a slice, not a walk to it).
   */
  private settled(eventId: number): boolean {
    const rows = this.version(eventId).rows;
    const settled = this.rowsAtLastPage.get(eventId) === rows;
    this.rowsAtLastPage.set(eventId, rows);
    return settled;
  }
  private readonly rowsAtLastPage = new Map<number, number>();

  private version(eventId: number): DataVersion {
    let v = this.versions.get(eventId);
    if (!v) {
      v = { rows: 0, local: 0 };
      this.versions.set(eventId, v);
    }
    return v;
  }

  private kept(
    cache: Recent<Kept>,
    key: string,
    eventId: number,
    dependsOnLocal: boolean,
    build: () => Int32Array,
  ): Int32Array {
    const v = this.version(eventId);
    const hit = cache.get(key);
    if (hit && hit.rows === v.rows && hit.local === (dependsOnLocal ? v.local : null)) return hit.ids;
    const ids = build();
    cache.set(key, { rows: v.rows, local: dependsOnLocal ? v.local : null, ids });
    return ids;
  }

  /** The ids the query matches, in its sort. */
  private matching(eventId: number, query: AttendeeListQuery): Int32Array {
    const sort = query.sort ?? DEFAULT_ATTENDEE_SORT;
    const order = this.order(eventId, sort);
    const text = (query.text ?? '').trim();
    const f = query.filter ?? {};
    if (!isNarrowed(query)) return order;
    // Keys in a fixed order: the same query always finds its kept list.
    const key = JSON.stringify([
      eventId,
      sort.key,
      sort.direction,
      text,
      f.checkIn ?? null,
      f.vip ?? false,
      f.status ?? null,
      f.ticketName ?? null,
      f.walkIn ?? false,
      f.admittedTwice ?? false,
    ]);
    return this.kept(this.results, key, eventId, true, () => {
      const store = this.deps.listStore;
      let match: string | null = null;
      if (text !== '') {
        match = toMatchExpression(text);
        // Typed text with nothing searchable in it ("@", "--") matches nothing, as on the desk.
        if (match === null) return EMPTY;
      }
      const size = store.maxAttendeeId() + 1;
      const member = (ids: readonly number[]) => {
        const table = new Uint8Array(size);
        for (const id of ids) if (id < size) table[id] = 1;
        return table;
      };
      const required: { ids: number[]; table: Uint8Array }[] = [];
      const require = (ids: number[]) => required.push({ ids, table: member(ids) });
      let excluded: Uint8Array | null = null;
      if (match !== null) require(store.idsMatching(match));
      if (f.checkIn === 'checked_in') require(store.idsCheckedInByTime(eventId));
      if (f.checkIn === 'not_checked_in') excluded = member(store.idsCheckedInByTime(eventId));
      if (f.vip === true) require(store.vipIds(eventId));
      if (f.status !== undefined) require(store.idsWithStatus(eventId, f.status));
      if (f.ticketName !== undefined) require(store.idsWithTicket(eventId, f.ticketName));
      if (f.walkIn === true) require(store.walkInIds(eventId));
      if (f.admittedTwice === true) require(store.admittedTwiceIds(eventId));
      const passes = (id: number) =>
        (excluded === null || excluded[id] !== 1) && required.every((r) => r.table[id] === 1);
      if (required.length === 0) return order.filter(passes);
      // Driven by the smallest set (three letters match a few thousand of 100,000): its rows that
      // pass, put in the sort's order by their positions in it.
      const driver = required.reduce((a, b) => (b.ids.length < a.ids.length ? b : a)).ids;
      const at = this.positions(order, size);
      const found = new Int32Array(driver.length);
      let n = 0;
      for (const id of driver) if (id < size && at[id]! > 0 && passes(id)) found[n++] = at[id]! - 1;
      return found
        .subarray(0, n)
        .sort()
        .map((p) => order[p]!);
    });
  }

  /** Each id's place in the order, plus one (0: not in it), kept as long as the order is. */
  private positions(order: Int32Array, size: number): Int32Array {
    let at = this.placesOf.get(order);
    if (!at || at.length < size) {
      at = new Int32Array(size);
      for (let i = 0; i < order.length; i++) if (order[i]! < size) at[order[i]!] = i + 1;
      this.placesOf.set(order, at);
    }
    return at;
  }
  private readonly placesOf = new WeakMap<Int32Array, Int32Array>();

  /** The whole event in this sort (shared/attendee-list.ts says what each sort means). */
  private order(eventId: number, sort: AttendeeSort): Int32Array {
    const dependsOnLocal = sort.key === 'checked_in_at';
    return this.kept(this.orders, `${eventId}:${sort.key}:${sort.direction}`, eventId, dependsOnLocal, () => {
      const store = this.deps.listStore;
      const desc = sort.direction === 'desc';
      switch (sort.key) {
        case 'name': {
          const ids = store.idsByName(eventId);
          return Int32Array.from(desc ? ids.reverse() : ids);
        }
        case 'ticket': {
          const tickets = store.ticketNames(eventId);
          if (desc) tickets.reverse();
          return Int32Array.from(tickets.flatMap((t) => store.idsWithTicket(eventId, t)));
        }
        case 'status': {
          // Status groups cut from the name order (one pass): no index needs to hold both.
          const byName = this.order(eventId, DEFAULT_ATTENDEE_SORT);
          const statuses = desc ? [...ATTENDEE_STATUSES].reverse() : [...ATTENDEE_STATUSES];
          const group = new Uint8Array(store.maxAttendeeId() + 1);
          statuses.forEach((s, g) => {
            for (const id of store.idsWithStatus(eventId, s)) group[id] = g;
          });
          const counts = statuses.map(() => 0);
          for (const id of byName) counts[group[id]!]!++;
          const starts = counts.map((_, g) => counts.slice(0, g).reduce((a, b) => a + b, 0));
          const out = new Int32Array(byName.length);
          for (const id of byName) out[starts[group[id]!]!++] = id;
          return out;
        }
        case 'checked_in_at': {
          const checkedIn = store.idsCheckedInByTime(eventId);
          if (desc) checkedIn.reverse();
          const byName = this.order(eventId, DEFAULT_ATTENDEE_SORT);
          const isIn = new Uint8Array(store.maxAttendeeId() + 1);
          for (const id of checkedIn) isIn[id] = 1;
          const out = new Int32Array(byName.length);
          out.set(checkedIn);
          let n = checkedIn.length;
          for (const id of byName) if (isIn[id] !== 1) out[n++] = id;
          return out;
        }
      }
    });
  }
}
