// The roster's rules (shared/venue-roster.ts): what a peer's record must be, and which record wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRosterEntry,
  rosterChangeWins,
  rosterEntryOf,
  readVenueEvents,
  listVenueEventIn,
  MAX_ROSTER_ENTRY_CHARS,
  type RosterAttendee,
} from '../../shared/venue-roster.ts';
import { person } from '../helpers/desk-db.ts';

const base: RosterAttendee = {
  ...person({ providerAttendeeId: 'a1', fullName: 'Ada Lovelace' }),
  providerUpdatedAt: '2026-11-23T10:00:00Z',
  providerCheckedIn: false,
  otherTicketNames: [],
  answers: [],
};
const STATION = 'station-aaaa-1';

test('a roster record round-trips: the key is the provider id, the writer is not a field', () => {
  const entry = rosterEntryOf(base, STATION);
  const check = checkRosterEntry('a1', entry);
  assert.ok(check.ok);
  assert.deepEqual(check.attendee, base);
  assert.equal(check.stationId, STATION);
  assert.ok(!('providerAttendeeId' in entry), 'the id travels as the key only');
});

test('a malformed record is refused with a reason, naming the station it claims', () => {
  const good = rosterEntryOf(base, STATION);
  const cases: [string, unknown, RegExp][] = [
    ['a1', { ...good, fullName: '' }, /fullName/],
    ['a1', { ...good, status: 'CHECKED_IN' }, /status/],
    ['a1', { ...good, pin: '1234' }, /Unrecognized key|unrecognized/i],
    ['a1', { ...good, v: 2 }, /v/],
    ['a1', { ...good, company: 'x'.repeat(MAX_ROSTER_ENTRY_CHARS) }, /characters/],
    ['bad key with spaces', good, /malformed roster key/],
    ['a1', 'not an object', /roster/],
  ];
  for (const [key, value, reason] of cases) {
    const check = checkRosterEntry(key, value);
    assert.ok(!check.ok, `${key}: ${JSON.stringify(value).slice(0, 60)} is refused`);
    assert.match(check.reason, reason);
  }
  const claimed = checkRosterEntry('a1', { ...good, fullName: '' });
  assert.ok(!claimed.ok && claimed.stationId === STATION);
});

test("which record wins: the provider's stamp orders them, never a desk; an equal stamp wins only where the desk takes the poller's word", () => {
  const newer = { ...base, fullName: 'Ada King', providerUpdatedAt: '2026-11-23T11:00:00Z' };
  const older = { ...base, fullName: 'Ada Byron', providerUpdatedAt: '2026-11-23T09:00:00Z' };
  const removed = { ...base, status: 'NOT_ATTENDING' as const };
  for (const sameStampWins of [true, false]) {
    assert.equal(rosterChangeWins(base, undefined, sameStampWins), true, 'a new person is taken');
    assert.equal(rosterChangeWins(newer, base, sameStampWins), true);
    assert.equal(
      rosterChangeWins(older, base, sameStampWins),
      false,
      'an older record never replaces a newer one',
    );
    assert.equal(rosterChangeWins({ ...base }, base, sameStampWins), false, 'equal records are left alone');
  }
  assert.equal(
    rosterChangeWins(removed, base, true),
    true,
    "a removal with the provider's same stamp reaches the other desks",
  );
  assert.equal(rosterChangeWins(removed, base, false), false, 'the poller keeps what its own listing found');
  const unstamped = { ...base, providerUpdatedAt: null };
  assert.equal(rosterChangeWins(base, unstamped, false), true, 'a stamped record beats an unstamped one');
  assert.equal(rosterChangeWins(unstamped, base, true), false);
});

test("the directory's event list: listed once, listings under another key ignored", () => {
  const map = new Map<string, unknown>();
  const y = {
    forEach: (f: (v: unknown, k: string) => void) => map.forEach(f),
    get: (k: string) => map.get(k),
    set: (k: string, v: unknown) => map.set(k, v),
  };
  const listing = {
    v: 1 as const,
    provider: 'eventbrite' as const,
    providerEventId: 'E1',
    name: 'Conf',
    stationId: STATION,
  };
  listVenueEventIn(y, listing);
  listVenueEventIn(y, { ...listing, name: 'Renamed', stationId: 'station-bbbb-2' });
  map.set('luma:E2', { ...listing, provider: 'eventbrite' }); // stored under another event's key
  map.set('luma:E3', { ...listing, provider: 'luma', providerEventId: 'E3', token: 'x' });
  assert.deepEqual(readVenueEvents(y), [listing]);
});

test('records without a provider stamp (Luma) are ordered by the order the poller gave them', () => {
  const luma = { ...base, providerUpdatedAt: null };
  const first = { ...luma, rosterOrder: 4 };
  const later = { ...luma, fullName: 'Ada King', rosterOrder: 9 };
  for (const sameStampWins of [true, false]) {
    assert.equal(rosterChangeWins(later, first, sameStampWins), true, 'a later order wins');
    assert.equal(
      rosterChangeWins(first, later, sameStampWins),
      false,
      'an older record never replaces a newer one',
    );
    assert.equal(rosterChangeWins(later, { ...luma }, sameStampWins), true, 'an order beats none');
  }
  const sameOrder = { ...later, rosterOrder: 4 };
  assert.equal(rosterChangeWins(sameOrder, first, true), true, "the same order: the poller's word");
  assert.equal(rosterChangeWins(sameOrder, first, false), false);
  // A provider stamp, where there is one, decides over any order.
  const stampedOld = { ...base, providerUpdatedAt: '2026-11-23T09:00:00Z', rosterOrder: 99 };
  assert.equal(rosterChangeWins(stampedOld, { ...base, rosterOrder: 1 }, true), false);
  // The order travels in the entry.
  const check = checkRosterEntry('a1', rosterEntryOf(later, STATION, 9));
  assert.ok(check.ok && check.attendee.rosterOrder === 9);
});

test('answers travel in the entry, cut to fit its size: the entry is always accepted', () => {
  const answers = Array.from({ length: 30 }, (_, i) => ({
    questionId: `q${i}`,
    label: `Question number ${i} of the long form`,
    type: 'long-text',
    text: `Answer ${i} `.repeat(40).trim().slice(0, 480),
  }));
  const entry = rosterEntryOf({ ...base, answers }, STATION, 1);
  assert.ok(JSON.stringify(entry).length <= MAX_ROSTER_ENTRY_CHARS);
  const check = checkRosterEntry('a1', entry);
  assert.ok(check.ok, 'a peer accepts it');
  const kept = check.attendee.answers!;
  assert.ok(kept.length > 3 && kept.length < answers.length, `${kept.length} answers kept`);
  assert.deepEqual(kept.slice(0, -1), answers.slice(0, kept.length - 1), 'the first answers whole');
  const last = kept.at(-1)!;
  const whole = answers[kept.length - 1]!;
  assert.ok(
    last.text === whole.text || (last.text.endsWith('…') && whole.text.startsWith(last.text.slice(0, -1))),
    'the last one whole, or shortened with an ellipsis',
  );
  const few = rosterEntryOf({ ...base, answers: answers.slice(0, 2) }, STATION);
  assert.deepEqual(checkRosterEntry('a1', few).ok && checkRosterEntry('a1', few), {
    ok: true,
    attendee: { ...base, answers: answers.slice(0, 2) },
    stationId: STATION,
  });
});
