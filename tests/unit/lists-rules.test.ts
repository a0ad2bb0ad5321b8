// The check-in lists' pure rules (shared/lists.ts, shared/presence.ts, shared/time-zone.ts): each
// rule an entry is decided by, the texts the desk says, the definition an admin may save, and who
// is inside when entries and exits cross.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkListDefinition,
  decideEntry,
  dueCheckOut,
  refusalText,
  type CheckInList,
  type ListDefinition,
} from '../../shared/lists.ts';
import { derivePresence, doubleAdmission, insideOverTime, type PassageFact } from '../../shared/presence.ts';
import { dayOf, zonedTime } from '../../shared/time-zone.ts';
import { deriveCheckIn } from '../../shared/venue.ts';

const ZONE = 'Europe/Berlin';
const base: ListDefinition = {
  name: 'Workshop B',
  ticketTypes: null,
  window: null,
  rule: 'every_time',
  minGapMinutes: null,
  checkOutAt: null,
};
const list = (over: Partial<ListDefinition> = {}): Pick<CheckInList, keyof ListDefinition> => ({
  ...base,
  ...over,
});
const vip = { ticketNames: ['VIP'] };
const nobodyInside = { stay: [], lastEntry: null };

let seq = 0;
function fact(
  kind: PassageFact['kind'],
  at: string,
  station = 'desk-a',
  undoes: string | null = null,
): PassageFact {
  return {
    id: `f-${String(++seq).padStart(6, '0')}`,
    kind,
    at,
    stationId: station,
    stationName: station,
    undoes,
  };
}
const entry = (at: string, station?: string) => fact('check_in', at, station);
const exit = (at: string, station?: string) => fact('exit', at, station);

test('a list admits the ticket types it names, and says which ticket it refuses', () => {
  const workshop = list({ ticketTypes: ['VIP'] });
  const now = '2026-11-23T12:00:00.000Z';
  assert.equal(decideEntry(workshop, vip, nobodyInside, now, ZONE), null);
  // A Luma guest holding several tickets is admitted by any of them.
  assert.equal(
    decideEntry(workshop, { ticketNames: ['General Admission', 'VIP'] }, nobodyInside, now, ZONE),
    null,
  );
  const refused = decideEntry(workshop, { ticketNames: ['General Admission'] }, nobodyInside, now, ZONE)!;
  assert.equal(refusalText(refused), 'Not valid for Workshop B — ticket: General Admission');
  assert.equal(
    refusalText(decideEntry(workshop, { ticketNames: [null] }, nobodyInside, now, ZONE)!),
    'Not valid for Workshop B — ticket: none',
  );
  // All ticket types by default.
  assert.equal(decideEntry(list(), { ticketNames: ['General Admission'] }, nobodyInside, now, ZONE), null);
});

test('a window admits from its start less the tolerance to its end plus the tolerance, on the event’s clock', () => {
  // 14:00 to 15:30 in Berlin (UTC+1 in November), 15 minutes either side.
  const session = list({
    window: {
      opensAt: '2026-11-23T13:00:00.000Z',
      closesAt: '2026-11-23T14:30:00.000Z',
      toleranceMinutes: 15,
    },
  });
  const decide = (now: string) => decideEntry(session, vip, nobodyInside, now, ZONE);
  assert.equal(refusalText(decide('2026-11-23T12:44:59.999Z')!), 'Not valid until 14:00 (opens 13:45)');
  assert.equal(decide('2026-11-23T12:45:00.000Z'), null, 'the tolerance admits from 13:45');
  assert.equal(decide('2026-11-23T14:45:00.000Z'), null, 'and until 15:45');
  assert.equal(refusalText(decide('2026-11-23T14:45:00.001Z')!), 'Not valid after 15:30 (closed 15:45)');
  // A window on another day says its date.
  assert.equal(
    refusalText(decide('2026-11-22T09:00:00.000Z')!),
    'Not valid until Mon 23 Nov 14:00 (opens 13:45)',
  );
  // No tolerance: exactly the window.
  const strict = list({ window: { ...session.window!, toleranceMinutes: 0 } });
  assert.notEqual(decideEntry(strict, vip, nobodyInside, '2026-11-23T12:59:59.999Z', ZONE), null);
  assert.equal(decideEntry(strict, vip, nobodyInside, '2026-11-23T13:00:00.000Z', ZONE), null);
});

test('once: refused while an entry holds, with when and where; admitted again after an exit', () => {
  const once = list({ rule: 'once' });
  const first = entry('2026-11-23T08:12:00.000Z', 'Side Door');
  const inside = derivePresence([first]);
  assert.equal(
    refusalText(decideEntry(once, vip, inside, '2026-11-23T11:00:00.000Z', ZONE)!),
    'Already entered at 09:12 at Side Door',
  );
  // On a later day too: "once" is not "once per day".
  assert.notEqual(decideEntry(once, vip, inside, '2026-11-25T11:00:00.000Z', ZONE), null);
  const left = derivePresence([first, exit('2026-11-23T09:00:00.000Z')]);
  assert.equal(decideEntry(once, vip, left, '2026-11-23T11:00:00.000Z', ZONE), null);
});

test('once per day: the day ends at midnight in the event’s zone, not in UTC', () => {
  const daily = list({ rule: 'once_per_day' });
  // 23:30 in Berlin on the 23rd is 22:30 UTC; 00:10 in Berlin on the 24th is 23:10 UTC on the 23rd.
  const lateEvening = entry('2026-11-23T22:30:00.000Z', 'Side Door');
  const p = derivePresence([lateEvening]);
  assert.equal(dayOf('2026-11-23T23:10:00.000Z', 'UTC'), dayOf(lateEvening.at, 'UTC'), 'the same UTC day');
  assert.equal(decideEntry(daily, vip, p, '2026-11-23T23:10:00.000Z', ZONE), null, 'a new day in Berlin');
  assert.equal(
    refusalText(decideEntry(daily, vip, p, '2026-11-23T22:59:59.999Z', ZONE)!),
    'Already entered today at 23:30 at Side Door',
  );
  // And the other way: 00:30 Berlin (23:30 UTC the day before) and 22:00 Berlin are one Berlin day.
  const justAfterMidnight = entry('2026-11-23T23:30:00.000Z', 'Side Door');
  assert.notEqual(
    decideEntry(daily, vip, derivePresence([justAfterMidnight]), '2026-11-24T21:00:00.000Z', ZONE),
    null,
  );
  assert.equal(
    decideEntry(daily, vip, derivePresence([justAfterMidnight]), '2026-11-24T21:00:00.000Z', 'UTC'),
    null,
    'in UTC those are two days',
  );
  // Re-entry after an exit the same day is admitted.
  const out = derivePresence([lateEvening, exit('2026-11-23T22:40:00.000Z')]);
  assert.equal(decideEntry(daily, vip, out, '2026-11-23T22:50:00.000Z', ZONE), null);
});

test('every time, with a minimum gap: refused until the gap has passed since the latest entry', () => {
  const gap = list({ rule: 'every_time', minGapMinutes: 30 });
  const p = derivePresence([entry('2026-11-23T08:12:00.000Z', 'Side Door')]);
  assert.equal(
    refusalText(decideEntry(gap, vip, p, '2026-11-23T08:41:59.999Z', ZONE)!),
    'Not valid again until 09:42 (entered 09:12 at Side Door)',
  );
  assert.equal(decideEntry(gap, vip, p, '2026-11-23T08:42:00.000Z', ZONE), null);
  // Without a gap, every time is every time, even while inside.
  assert.equal(decideEntry(list(), vip, p, '2026-11-23T08:12:00.001Z', ZONE), null);
});

test('the order of checks: ticket, then window, then the entry rule', () => {
  const strict = list({
    ticketTypes: ['VIP'],
    rule: 'once',
    window: {
      opensAt: '2026-11-23T13:00:00.000Z',
      closesAt: '2026-11-23T14:00:00.000Z',
      toleranceMinutes: 0,
    },
  });
  const p = derivePresence([entry('2026-11-23T13:10:00.000Z')]);
  const r = (t: string[], now: string) => decideEntry(strict, { ticketNames: t }, p, now, ZONE)?.reason;
  assert.equal(r(['GA'], '2026-11-23T12:00:00.000Z'), 'ticket');
  assert.equal(r(['VIP'], '2026-11-23T12:00:00.000Z'), 'not_yet');
  assert.equal(r(['VIP'], '2026-11-23T13:30:00.000Z'), 'already');
});

test('a definition is checked: no ticket type, a window that ends before it starts, a negative gap or tolerance', () => {
  const bad = (d: Partial<ListDefinition>) => {
    const c = checkListDefinition({ ...base, ...d });
    return c.ok ? null : c.reason;
  };
  assert.equal(bad({ ticketTypes: [] }), 'A list admits at least one ticket type (or all of them)');
  assert.equal(bad({ ticketTypes: ['  '] }), 'A list admits at least one ticket type (or all of them)');
  assert.equal(
    bad({
      window: {
        opensAt: '2026-11-23T14:00:00.000Z',
        closesAt: '2026-11-23T13:00:00.000Z',
        toleranceMinutes: 0,
      },
    }),
    'The window ends before it starts',
  );
  assert.equal(
    bad({
      window: {
        opensAt: '2026-11-23T14:00:00.000Z',
        closesAt: '2026-11-23T14:00:00.000Z',
        toleranceMinutes: 0,
      },
    }),
    'The window ends before it starts',
  );
  assert.equal(bad({ minGapMinutes: -1 }), 'The minimum gap cannot be below zero minutes');
  assert.equal(
    bad({
      window: {
        opensAt: '2026-11-23T13:00:00.000Z',
        closesAt: '2026-11-23T14:00:00.000Z',
        toleranceMinutes: -5,
      },
    }),
    'The tolerance cannot be below zero minutes',
  );
  assert.equal(bad({ name: ' ' }), 'The list needs a name');
  assert.equal(bad({ name: 'Line\nbreak' }), 'The list name holds control characters or line breaks');
  assert.equal(bad({ checkOutAt: '24:00' }), 'The check-out time is a time of day, such as 23:00');
  // Stored as checked: trimmed, the tickets once each, a gap only under "every time".
  const ok = checkListDefinition({
    ...base,
    name: ' Hall ',
    ticketTypes: ['VIP', 'VIP '],
    rule: 'once',
    minGapMinutes: 5,
  });
  assert.deepEqual(ok.ok && [ok.value.name, ok.value.ticketTypes, ok.value.minGapMinutes], [
    'Hall',
    ['VIP'],
    null,
  ]);
  // The main list keeps its rules: only its check-out time changes.
  const main = { ...base, name: 'Main list', rule: 'once' as const };
  assert.equal(checkListDefinition({ ...main, checkOutAt: '23:00' }, true).ok, true);
  assert.equal(checkListDefinition({ ...main, ticketTypes: ['VIP'] }, true).ok, false);
});

test('inside is the latest passage in the agreed order: an exit and an entry that cross', () => {
  const e1 = entry('2026-11-23T10:00:00.000Z', 'desk-a');
  // Desk B's exit and desk C's entry, made while they could not see each other.
  const x = exit('2026-11-23T10:30:00.000Z', 'desk-b');
  const laterEntry = entry('2026-11-23T10:31:00.000Z', 'desk-c');
  const earlierEntry = entry('2026-11-23T10:29:00.000Z', 'desk-c');
  assert.equal(derivePresence([e1, x, laterEntry]).inside, true, 'the entry stamped later wins');
  assert.equal(derivePresence([laterEntry, x, e1]).inside, true, 'in any order');
  assert.equal(derivePresence([e1, earlierEntry, x]).inside, false, 'the exit stamped later wins');
  // An equal time: the station id decides, the same on every desk.
  const tieEntry = entry('2026-11-23T10:30:00.000Z', 'desk-c');
  assert.equal(derivePresence([e1, x, tieEntry]).inside, true);
  assert.equal(derivePresence([tieEntry, x, e1]).inside, true);
  // A check-out of the list is an exit of everyone.
  const checkOut = { id: 'co-1', at: '2026-11-23T23:00:00.000Z', stationId: 'desk-a' };
  assert.equal(derivePresence([e1], [checkOut]).inside, false);
  assert.equal(derivePresence([e1, entry('2026-11-23T23:30:00.000Z')], [checkOut]).inside, true);
});

test('an undo takes back the passage it names, whatever arrives first', () => {
  const e1 = entry('2026-11-23T10:00:00.000Z');
  const x = exit('2026-11-23T10:30:00.000Z');
  const undoExit = fact('undo', '2026-11-23T10:31:00.000Z', 'desk-a', x.id);
  assert.equal(derivePresence([undoExit, x, e1]).inside, true);
  const undoEntry = fact('undo', '2026-11-23T10:01:00.000Z', 'desk-a', e1.id);
  assert.equal(derivePresence([undoEntry, e1]).inside, false);
  assert.equal(
    derivePresence([fact('undo', '2026-11-23T10:02:00.000Z', 'desk-a', 'f-unknown'), e1]).inside,
    true,
  );
});

test('a double admission: two desks in one stay of a "once" list; per day under "once per day"; never under "every time"', () => {
  const a = entry('2026-11-23T10:00:00.000Z', 'desk-a');
  const b = entry('2026-11-23T10:01:00.000Z', 'desk-b');
  const twice = derivePresence([a, b]);
  assert.deepEqual(doubleAdmission(twice, 'once', ZONE), [a, b]);
  assert.deepEqual(doubleAdmission(twice, 'once_per_day', ZONE), [a, b]);
  assert.equal(doubleAdmission(twice, 'every_time', ZONE), null);
  // An exit between them: two stays, no double.
  assert.equal(doubleAdmission(derivePresence([a, exit('2026-11-23T10:00:30.000Z'), b]), 'once', ZONE), null);
  // Two Berlin days in one stay: not a double per day, a double under "once".
  const nextDay = entry('2026-11-24T10:00:00.000Z', 'desk-b');
  assert.equal(doubleAdmission(derivePresence([a, nextDay]), 'once_per_day', ZONE), null);
  assert.notEqual(doubleAdmission(derivePresence([a, nextDay]), 'once', ZONE), null);
  // One desk twice is not a double.
  assert.equal(
    doubleAdmission(derivePresence([a, entry('2026-11-23T10:02:00.000Z', 'desk-a')]), 'once', ZONE),
    null,
  );
});

test('the main list: an exit ends the stay, the arrival stays shown; a re-entry is not a double', () => {
  const a = entry('2026-11-23T10:00:00.000Z', 'desk-a');
  const x = exit('2026-11-23T11:00:00.000Z', 'desk-b');
  const b = entry('2026-11-23T12:00:00.000Z', 'desk-b');
  const d = deriveCheckIn([a, x, b]);
  assert.equal(d.shown, a);
  assert.deepEqual(d.admissions, [b]);
  assert.equal(d.doubleAdmission, false);
  const out = deriveCheckIn([a, x]);
  assert.equal(out.shown, a, 'still arrived');
  assert.deepEqual(out.admissions, [], 'no entry in force');
});

test('inside over time reads the same rule once over the event; a person inside two lists counts once', () => {
  const p = (
    person: number,
    l: string,
    kind: PassageFact['kind'],
    at: string,
    undoes: string | null = null,
  ) => ({
    ...fact(kind, at, 'desk-a', undoes),
    person,
    list: l,
  });
  const passages = [
    p(1, 'main', 'check_in', '2026-11-23T10:00:00.000Z'),
    p(1, 'ws', 'check_in', '2026-11-23T10:05:00.000Z'),
    p(2, 'main', 'check_in', '2026-11-23T10:06:00.000Z'),
    p(1, 'ws', 'exit', '2026-11-23T10:20:00.000Z'),
    p(2, 'main', 'exit', '2026-11-23T10:25:00.000Z'),
  ];
  const undoLast = p(2, 'main', 'undo', '2026-11-23T10:26:00.000Z', passages[4]!.id);
  const boundaries = ['10:01', '10:10', '10:21', '10:30', '23:30'].map((t) =>
    Date.parse(`2026-11-23T${t}:00.000Z`),
  );
  assert.deepEqual(insideOverTime(passages, [], boundaries), [1, 2, 2, 1, 1]);
  assert.deepEqual(insideOverTime([...passages, undoLast], [], boundaries), [1, 2, 2, 2, 2]);
  const checkOut = { id: 'co', at: '2026-11-23T23:00:00.000Z', stationId: 'desk-a', list: 'main' };
  assert.deepEqual(insideOverTime(passages, [checkOut], boundaries), [1, 2, 2, 1, 0]);
});

test('a scheduled check-out is due at its time of the event’s day, once its list says so', () => {
  // 23:00 in Berlin is 22:00 UTC in November.
  const since = '2026-11-23T08:00:00.000Z';
  assert.equal(dueCheckOut('23:00', since, '2026-11-23T21:59:59.000Z', ZONE), null);
  assert.equal(
    dueCheckOut('23:00', since, '2026-11-23T22:00:00.000Z', ZONE),
    Date.parse('2026-11-23T22:00:00.000Z'),
  );
  // The next morning the latest due one is still last night's.
  assert.equal(
    dueCheckOut('23:00', since, '2026-11-24T07:00:00.000Z', ZONE),
    Date.parse('2026-11-23T22:00:00.000Z'),
  );
  // Not one before the list said so, and none without a time.
  assert.equal(dueCheckOut('23:00', '2026-11-23T22:30:00.000Z', '2026-11-24T07:00:00.000Z', ZONE), null);
  assert.equal(dueCheckOut(null, since, '2026-11-24T07:00:00.000Z', ZONE), null);
});

test('times on the event’s clock, with the date when another day', () => {
  assert.equal(zonedTime('2026-11-23T13:00:00.000Z', ZONE), '14:00');
  assert.equal(zonedTime('2026-11-23T13:00:00.000Z', ZONE, '2026-11-23T22:59:00.000Z'), '14:00');
  assert.equal(zonedTime('2026-11-23T13:00:00.000Z', ZONE, '2026-11-23T23:00:00.000Z'), 'Mon 23 Nov 14:00');
  assert.equal(zonedTime('2026-11-23T13:00:00.000Z', 'America/New_York'), '08:00');
});
