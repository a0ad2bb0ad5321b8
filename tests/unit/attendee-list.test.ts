// The event page's attendee list: typed text on the desk's FTS index, filters, sorts in both
// directions, and paging that stays consistent and reads each order once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDeskDb, person, type DeskDb } from '../helpers/desk-db.ts';
import { AttendeeListStore } from '../../main/db/attendee-list-store.ts';
import { AttendeeList } from '../../main/desk/attendee-list.ts';
import type { AttendeeListQuery } from '../../shared/attendee-list.ts';
import type { Actor } from '../../shared/types.ts';

const desk1: Actor = { role: 'operator', name: 'Desk 1' };
let n = 0;
const action = () => `list-action-${String(++n).padStart(6, '0')}`;

/** Eight people on the event, three checked in at known times, two VIPs, one of another event. */
function fixture(t: { after(fn: () => void): void }) {
  const d = openDeskDb(t);
  const ids = d.put([
    person({ fullName: 'Zoë Núñez', ticketName: 'General', company: 'Acme Corp' }),
    person({ fullName: 'ada Lovelace', ticketName: 'Speaker' }),
    person({ fullName: 'Grace Hopper', ticketName: 'VIP Pass' }),
    person({
      fullName: 'Alan Turing',
      ticketName: 'General',
      status: 'NOT_ATTENDING',
      providerStatus: 'Cancelled',
    }),
    person({ fullName: 'Émile Zola', ticketName: null }),
    person({
      fullName: 'Zoe Smith',
      ticketName: 'General',
      status: 'NOT_YET_ATTENDING',
      providerStatus: 'pending_approval',
    }),
    person({ fullName: 'Bob Smithers', ticketName: 'Speaker' }),
    person({ fullName: 'Ada Smith', ticketName: 'General' }),
  ]);
  const [zoeN, ada, grace, alan, emile, zoeS, bob, adaS] = ids as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const other = d.addEvent('Other');
  d.store.upsertAttendees(
    other,
    [person({ fullName: 'Zoe Elsewhere', ticketName: 'General' })],
    null,
    '2026-11-23T08:00:00Z',
  );
  const checkIn = (id: number, at: string) => {
    d.clock.advance(Date.parse(at) - d.clock.now());
    assert.equal(
      d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: id }).kind,
      'checked_in',
    );
  };
  checkIn(grace, '2026-11-23T09:05:00Z');
  checkIn(zoeN, '2026-11-23T09:10:00Z');
  checkIn(bob, '2026-11-23T09:20:00Z');
  const list = new AttendeeList({ listStore: new AttendeeListStore(d.db), events: d.events });
  for (const id of [grace, adaS]) d.store.setVip(id, true, '2026-11-23T08:00:00Z');
  list.localStateChanged(d.eventId);
  const names = (q: AttendeeListQuery) =>
    list.page(d.eventId, q, { offset: 0, limit: 100 }).rows.map((a) => a.fullName);
  return { d, list, names, ids: { zoeN, ada, grace, alan, emile, zoeS, bob, adaS } };
}

test('typed text: word prefixes on name, email, company, order id and barcode, any case or accents, this event only', (t) => {
  const { names, list, d } = fixture(t);
  assert.deepEqual(names({ text: 'zoe' }), ['Zoe Smith', 'Zoë Núñez']);
  assert.deepEqual(names({ text: 'ZOË nun' }), ['Zoë Núñez']);
  assert.deepEqual(names({ text: 'smi' }), ['Ada Smith', 'Bob Smithers', 'Zoe Smith']);
  assert.deepEqual(names({ text: 'emil' }), ['Émile Zola']);
  assert.deepEqual(names({ text: 'acme' }), ['Zoë Núñez'], 'company');
  assert.deepEqual(names({ text: '  ' }).length, 8, 'blank text narrows nothing');
  assert.equal(list.page(d.eventId, { text: 'smi' }, { offset: 0, limit: 1 }).total, 3);
});

test('whatever is typed is text, never FTS syntax: quotes, operators, column filters, stars', (t) => {
  const { names } = fixture(t);
  for (const typed of [
    '"',
    'smi"',
    'smi*',
    'NEAR(smi zoe)',
    'smi OR zoe',
    'full_name: zoe',
    'zoe AND',
    '^smi',
    '(smi',
    'smi -zoe',
    '{full_name}: ada',
  ]) {
    assert.doesNotThrow(() => names({ text: typed }), typed);
  }
  assert.deepEqual(names({ text: 'smi OR grace' }), [], '"OR" is a word to match, not an operator');
  assert.deepEqual(names({ text: 'full_name: zoe' }), [], 'no column filter');
  assert.deepEqual(
    names({ text: 'smi*' }),
    ['Ada Smith', 'Bob Smithers', 'Zoe Smith'],
    'a star is punctuation',
  );
  assert.deepEqual(names({ text: '@' }), [], 'nothing searchable typed: nothing matches, as on the desk');
});

test('filters: checked in, not checked in, VIP, status (not attending), ticket type; several at once must all hold', (t) => {
  const { names } = fixture(t);
  assert.deepEqual(names({ filter: { checkIn: 'checked_in' } }), [
    'Bob Smithers',
    'Grace Hopper',
    'Zoë Núñez',
  ]);
  assert.deepEqual(names({ filter: { checkIn: 'not_checked_in' } }), [
    'ada Lovelace',
    'Ada Smith',
    'Alan Turing',
    'Zoe Smith',
    'Émile Zola',
  ]);
  assert.deepEqual(names({ filter: { vip: true } }), ['Ada Smith', 'Grace Hopper']);
  assert.deepEqual(names({ filter: { status: 'NOT_ATTENDING' } }), ['Alan Turing']);
  assert.deepEqual(names({ filter: { status: 'NOT_YET_ATTENDING' } }), ['Zoe Smith']);
  assert.deepEqual(names({ filter: { ticketName: 'Speaker' } }), ['ada Lovelace', 'Bob Smithers']);
  assert.deepEqual(names({ filter: { ticketName: 'General', checkIn: 'not_checked_in' } }), [
    'Ada Smith',
    'Alan Turing',
    'Zoe Smith',
  ]);
  assert.deepEqual(names({ text: 'smi', filter: { vip: true } }), ['Ada Smith']);
  assert.deepEqual(names({ text: 'smi', filter: { checkIn: 'checked_in', ticketName: 'Speaker' } }), [
    'Bob Smithers',
  ]);
  assert.deepEqual(names({ filter: { ticketName: 'No such ticket' } }), []);
});

test('sorts, both directions: name, ticket, status, check-in time; ties by name', (t) => {
  const { names } = fixture(t);
  // Case-insensitive for ASCII letters (the index's NOCASE): an accented initial sorts after Z.
  const byName = [
    'ada Lovelace',
    'Ada Smith',
    'Alan Turing',
    'Bob Smithers',
    'Grace Hopper',
    'Zoe Smith',
    'Zoë Núñez',
    'Émile Zola',
  ];
  assert.deepEqual(names({}), byName, 'the default: by name');
  assert.deepEqual(names({ sort: { key: 'name', direction: 'asc' } }), byName);
  assert.deepEqual(names({ sort: { key: 'name', direction: 'desc' } }), [...byName].reverse());
  // Rows without a ticket type first; each ticket's rows by name in either direction.
  assert.deepEqual(names({ sort: { key: 'ticket', direction: 'asc' } }), [
    'Émile Zola',
    'Ada Smith',
    'Alan Turing',
    'Zoe Smith',
    'Zoë Núñez',
    'ada Lovelace',
    'Bob Smithers',
    'Grace Hopper',
  ]);
  assert.deepEqual(names({ sort: { key: 'ticket', direction: 'desc' } }), [
    'Grace Hopper',
    'ada Lovelace',
    'Bob Smithers',
    'Ada Smith',
    'Alan Turing',
    'Zoe Smith',
    'Zoë Núñez',
    'Émile Zola',
  ]);
  assert.deepEqual(names({ sort: { key: 'status', direction: 'asc' } }), [
    'ada Lovelace',
    'Ada Smith',
    'Bob Smithers',
    'Grace Hopper',
    'Zoë Núñez',
    'Émile Zola',
    'Zoe Smith',
    'Alan Turing',
  ]);
  assert.deepEqual(names({ sort: { key: 'status', direction: 'desc' } }), [
    'Alan Turing',
    'Zoe Smith',
    'ada Lovelace',
    'Ada Smith',
    'Bob Smithers',
    'Grace Hopper',
    'Zoë Núñez',
    'Émile Zola',
  ]);
  // Check-in time: earliest or latest first; the people not checked in last either way, by name.
  const notIn = ['ada Lovelace', 'Ada Smith', 'Alan Turing', 'Zoe Smith', 'Émile Zola'];
  assert.deepEqual(names({ sort: { key: 'checked_in_at', direction: 'asc' } }), [
    'Grace Hopper',
    'Zoë Núñez',
    'Bob Smithers',
    ...notIn,
  ]);
  assert.deepEqual(names({ sort: { key: 'checked_in_at', direction: 'desc' } }), [
    'Bob Smithers',
    'Zoë Núñez',
    'Grace Hopper',
    ...notIn,
  ]);
  // Filter and sort together.
  assert.deepEqual(names({ text: 'zoe', sort: { key: 'checked_in_at', direction: 'desc' } }), [
    'Zoë Núñez',
    'Zoe Smith',
  ]);
});

/** Counts the store's reads, to see which ones a page makes. */
function countingStore(d: DeskDb) {
  const store = new AttendeeListStore(d.db);
  const calls: string[] = [];
  for (const name of [
    'idsByName',
    'ticketNames',
    'idsWithTicket',
    'idsWithStatus',
    'idsCheckedInByTime',
    'vipIds',
    'idsMatching',
  ] as const) {
    const real = store[name].bind(store) as (...a: unknown[]) => number[];
    (store as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
      calls.push(name);
      return real(...a);
    };
  }
  return { store, calls };
}

test('paging: pages of one list never repeat or skip a row; a page further down reads no order again; a change is seen at once', (t) => {
  const { d, ids } = fixture(t);
  const { store, calls } = countingStore(d);
  const list = new AttendeeList({ listStore: store, events: d.events });
  const query: AttendeeListQuery = { sort: { key: 'checked_in_at', direction: 'desc' } };
  const pages = [0, 3, 6].map((offset) => list.page(d.eventId, query, { offset, limit: 3 }));
  assert.deepEqual(
    pages.map((p) => p.total),
    [8, 8, 8],
  );
  assert.deepEqual(
    pages.flatMap((p) => p.rows.map((a) => a.id)),
    list.page(d.eventId, query, { offset: 0, limit: 100 }).rows.map((a) => a.id),
  );
  assert.deepEqual(calls, ['idsCheckedInByTime', 'idsByName'], 'the order was read once, for the first page');

  // A check-in changes the order: the next page is cut from a fresh one.
  calls.length = 0;
  d.clock.advance(60_000);
  assert.equal(
    d.desk.checkIn(desk1, { eventId: d.eventId, actionId: action(), attendeeId: ids.emile }).kind,
    'checked_in',
  );
  assert.equal(list.page(d.eventId, query, { offset: 0, limit: 1 }).rows[0]!.id, ids.emile);
  assert.deepEqual(calls, ['idsCheckedInByTime'], 'a check-in does not re-read the name order');
  // A sync's change to provider rows is seen too.
  d.store.upsertAttendees(
    d.eventId,
    [person({ providerAttendeeId: 'late', fullName: 'Aaron Late' })],
    null,
    '2026-11-23T10:00:00Z',
  );
  d.events.emit('attendeesChanged', { eventId: d.eventId, attendeeIds: [] });
  assert.equal(list.page(d.eventId, {}, { offset: 0, limit: 1 }).rows[0]!.fullName, 'Aaron Late');
  // The whole event by name: walked in the index while the rows change, then a kept list once
  // they hold still (the second page at the same rows reads the order once; later pages read none).
  calls.length = 0;
  const byName = [0, 3, 6].map((offset) =>
    list.page(d.eventId, {}, { offset, limit: 3 }).rows.map((a) => a.fullName),
  );
  assert.deepEqual(calls, ['idsByName'], 'read once, for the second page');
  assert.deepEqual(
    byName.flat(),
    list.page(d.eventId, {}, { offset: 0, limit: 100 }).rows.map((a) => a.fullName),
  );
  assert.equal(byName.flat().length, 9);
  // A page past the end is empty, with the total.
  assert.deepEqual(list.page(d.eventId, {}, { offset: 500, limit: 10 }), { rows: [], total: 9 });
});

test('a narrowed list is kept too: scrolling it reads no filter again until something changes', (t) => {
  const { d, ids } = fixture(t);
  const { store, calls } = countingStore(d);
  const list = new AttendeeList({ listStore: store, events: d.events });
  const query: AttendeeListQuery = { text: 'smi', filter: { checkIn: 'not_checked_in' } };
  assert.equal(list.page(d.eventId, query, { offset: 0, limit: 1 }).total, 2);
  const first = calls.length;
  list.page(d.eventId, query, { offset: 1, limit: 1 });
  assert.equal(calls.length, first, 'no read for the second page');
  d.store.setVip(ids.zoeS, true, '2026-11-23T10:00:00Z');
  list.localStateChanged(d.eventId);
  assert.deepEqual(
    list.page(d.eventId, { filter: { vip: true } }, { offset: 0, limit: 10 }).rows.map((a) => a.fullName),
    ['Ada Smith', 'Grace Hopper', 'Zoe Smith'],
  );
});
