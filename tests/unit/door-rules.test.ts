// The door's pure rules (shared/door.ts, shared/door-entries.ts, shared/checkin-sharing.ts): typed
// text, the venue entries' checks, which entry is in force, who a linked walk-in is, duplicate
// walk-ins, and what the desk and the event page say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  admissibleInGroup,
  admittedTwiceText,
  attentionPrompt,
  checkDoorText,
  checkEmail,
  correctionText,
  doorFactsOf,
  doubleAdmissionsCountText,
  duplicateWalkIns,
  duplicateWalkInText,
  groupCheckInText,
  isWalkInId,
  orderActionText,
  orderMemberText,
  orderPickText,
  providerChangedSinceCorrection,
  ticketsOf,
  walkInIdOf,
  walkInNameFromSearch,
  walkInTicketChoices,
  type NameCorrection,
  type OrderGroup,
  type WalkInSummary,
} from '../../shared/door.ts';
import {
  checkDoorEntry,
  deriveLinks,
  latestStamped,
  nextStampTime,
  subjectOf,
  type LinkFact,
} from '../../shared/door-entries.ts';
import { checkInWriteBackText, showsCheckInsByDesk } from '../../shared/checkin-sharing.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import { checkRosterEntry } from '../../shared/venue-roster.ts';
import type { Attendee } from '../../shared/types.ts';
import { demoDay, LEGACY_DEMO_START_MS } from '../../main/app/demo.ts';

const hhmm = (iso: string) => iso.slice(11, 16);
const NAME = { label: 'The first name', max: 100, required: true, name: true };

test('typed text: trimmed and kept as typed; empty, 500 characters, control characters, only spaces or punctuation refused', () => {
  assert.deepEqual(checkDoorText('  Ada  ', NAME), { ok: true, value: 'Ada' });
  for (const [bad, why] of [
    ['', /required/],
    ['   \u3000 ', /required/],
    ['x'.repeat(500), /longer than 100/],
    ['Ada\u0007', /control/],
    ['Ada\nLovelace', /control characters or line breaks/],
    ['Ada\u2028Lovelace', /line breaks/],
    ['---', /letter or digit/],
  ] as const) {
    const r = checkDoorText(bad, NAME);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(bad)}`);
    assert.match(!r.ok ? r.reason : '', why);
  }
  // Right-to-left and combining characters stay exactly as typed (no normalization).
  const hebrew = 'שָׁלוֹם';
  const combining = 'Zoe\u0308 Nu\u0301n\u0303ez';
  assert.deepEqual(checkDoorText(hebrew, NAME), { ok: true, value: hebrew });
  assert.deepEqual(checkDoorText(combining, NAME), { ok: true, value: combining });
  const kept = checkDoorText(combining, NAME);
  assert.equal(kept.ok && kept.value?.length, combining.length);
  // Optional text: empty is null; 100 characters is the most a name holds.
  assert.deepEqual(checkDoorText('  ', { ...NAME, required: false }), { ok: true, value: null });
  assert.equal(checkDoorText('x'.repeat(100), NAME).ok, true);
  assert.equal(checkDoorText('x'.repeat(101), NAME).ok, false);
  // Emails: a light check.
  assert.deepEqual(checkEmail(' ada@x.org '), { ok: true, value: 'ada@x.org' });
  assert.equal(checkEmail('Ada Lovelace').ok, false);
  assert.deepEqual(checkEmail(undefined), { ok: true, value: null });
});

test('walk-in ids, and the ticket types a walk-in may get: the event\'s, then "Walk-in" once', () => {
  assert.equal(walkInIdOf('0b4c-1234-5678'), 'walk-in:0b4c-1234-5678');
  assert.equal(isWalkInId('walk-in:0b4c-1234-5678'), true);
  assert.equal(isWalkInId('gst-123'), false);
  assert.deepEqual(walkInTicketChoices(['VIP', null, 'General', 'VIP', ' ']), ['VIP', 'General', 'Walk-in']);
  assert.deepEqual(walkInTicketChoices(['Walk-in', 'General']), ['Walk-in', 'General']);
  // A roster entry under a walk-in's id is refused: a provider record never writes over a walk-in.
  const r = checkRosterEntry('walk-in:0b4c-1234-5678', {});
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.reason : '', /walk-in/);
});

const signed = { at: '2026-11-23T08:55:00.000Z', stationId: 'station-aaaa', stationName: 'Desk 1' };
const walkIn = {
  v: 1,
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@x.org',
  company: null,
  ticketName: 'Walk-in',
  ...signed,
};

test('door entries from another desk: a valid one passes; a bad one is refused with the station it claims', () => {
  const ok = checkDoorEntry('walkIns', 'walk-in:act-00000001', walkIn);
  assert.equal(ok.ok, true);
  for (const [key, value, why] of [
    ['walk-in:act-00000001', { ...walkIn, firstName: '' }, /first name is required/],
    ['walk-in:act-00000001', { ...walkIn, lastName: 'x'.repeat(500) }, /longer than 100/],
    ['walk-in:act-00000001', { ...walkIn, firstName: 'Ada\u0000' }, /control/],
    ['walk-in:act-00000001', { ...walkIn, firstName: '   ' }, /required|not stored as typed/],
    ['walk-in:act-00000001', { ...walkIn, firstName: ' Ada' }, /not stored as typed/],
    ['walk-in:act-00000001', { ...walkIn, email: 'nope' }, /not an address/],
    ['walk-in:act-00000001', { ...walkIn, extra: 1 }, /unrecognized|Unrecognized/],
    ['act-00000001', walkIn, /malformed walkIns key/],
    ['walk-in:act-00000001', { ...walkIn, notes: 'x'.repeat(3000) }, /at most/],
  ] as const) {
    const r = checkDoorEntry('walkIns', key, value);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(value).slice(0, 80)}`);
    assert.match(!r.ok ? r.reason : '', why);
    assert.equal(!r.ok && r.stationId, 'station-aaaa');
  }
  const note = { v: 1, text: 'collect the kit', ...signed };
  assert.equal(checkDoorEntry('notes', 'act-00000002', { ...note, attendee: 'a1' }).ok, true);
  assert.equal(checkDoorEntry('notes', 'act-00000002', { ...note, ticketName: 'VIP' }).ok, true);
  assert.equal(checkDoorEntry('notes', 'act-00000002', note).ok, false, 'a note names a person or a ticket');
  assert.equal(
    checkDoorEntry('notes', 'act-00000002', { ...note, attendee: 'a1', ticketName: 'VIP' }).ok,
    false,
  );
  const link = { v: 1, walkIn: 'walk-in:act-00000001', attendee: 'walk-in:act-00000001', ...signed };
  assert.equal(checkDoorEntry('links', 'act-00000003', link).ok, false, 'a walk-in linked to itself');
  const correction = {
    v: 1 as const,
    attendee: 'a1',
    badge: { firstName: 'Jo', lastName: null, company: 'Acme' },
    base: { fullName: 'Jon Smith', company: null },
    ...signed,
  };
  assert.equal(checkDoorEntry('corrections', 'act-00000004', correction).ok, true);
  assert.equal(
    checkDoorEntry('corrections', 'act-00000004', {
      ...correction,
      badge: { ...correction.badge, firstName: '' },
    }).ok,
    false,
  );
  assert.equal(subjectOf('corrections', 'act-00000004', correction), 'a1');
  assert.equal(subjectOf('notes', 'x', { ...note, ticketName: 'VIP' } as never), 'ticket:VIP');
  assert.equal(subjectOf('links', 'x', link as never), 'walk-in:act-00000001');
});

test('the entry in force: latest by time, then station id, then id; a change made after seeing it wins', () => {
  const f = (id: string, at: string, stationId: string) => ({ id, at, stationId });
  const t = '2026-11-23T10:00:00.000Z';
  assert.equal(latestStamped([]), null);
  assert.equal(
    latestStamped([f('a', t, 's2'), f('b', t, 's1'), f('c', '2026-11-23T09:00:00.000Z', 's9')])!.id,
    'a',
  );
  assert.equal(latestStamped([f('a', t, 's1'), f('b', t, 's1')])!.id, 'b');
  // The same answer whatever order the entries arrived in.
  const facts = [f('a', t, 's2'), f('b', t, 's1'), f('c', '2026-11-23T11:00:00.000Z', 's0')];
  assert.equal(latestStamped(facts)!.id, latestStamped([...facts].reverse())!.id);
  assert.equal(nextStampTime(t, null), t);
  assert.equal(nextStampTime(t, { at: '2026-11-23T09:00:00.000Z' }), t);
  assert.equal(nextStampTime(t, { at: '2026-11-23T11:00:00.000Z' }), '2026-11-23T11:00:00.001Z');
  assert.equal(nextStampTime(t, { at: t }), '2026-11-23T10:00:00.001Z');
});

test('links: the latest link of a walk-in wins, a circle made by two desks at once is left out, a chain resolves to its end', () => {
  let n = 0;
  const l = (walkIn: string, attendee: string | null, at: string, stationId = 's1'): LinkFact => ({
    id: `l${++n}`,
    walkIn,
    attendee,
    at: `2026-11-23T10:00:0${at}.000Z`,
    stationId,
  });
  assert.deepEqual([...deriveLinks([l('w1', 'p1', '1'), l('w1', 'p2', '2')])], [['w1', 'p2']]);
  assert.deepEqual([...deriveLinks([l('w1', 'p1', '1'), l('w1', null, '2')])], [], 'unlinked');
  // Two desks link two walk-ins to each other at once: the earlier link stands.
  const circle = [l('w1', 'w2', '1', 's1'), l('w2', 'w1', '1', 's2')];
  assert.deepEqual([...deriveLinks(circle)], [['w1', 'w2']]);
  assert.deepEqual([...deriveLinks([...circle].reverse())], [['w1', 'w2']]);
  // w1 -> w2 -> p1: both are p1.
  const chain = deriveLinks([l('w1', 'w2', '1'), l('w2', 'p1', '2')]);
  assert.equal(chain.get('w1'), 'p1');
  assert.equal(chain.get('w2'), 'p1');
});

const summary = (
  attendeeId: number,
  fullName: string,
  email: string | null,
  at: string,
  stationName: string,
) => ({ attendeeId, fullName, email, at: `2026-11-23T${at}:00.000Z`, stationName }) satisfies WalkInSummary;

test('possible duplicate walk-ins: the same name (case, accents, spaces aside) or the same email', () => {
  const d = duplicateWalkIns([
    summary(3, 'Zoë  Núñez', null, '10:44', 'Desk 3'),
    summary(1, 'zoe nunez', null, '10:42', 'Desk 1'),
    summary(2, 'Sam Lee', 'sam@x.org', '10:43', 'Desk 2'),
    summary(4, 'Samuel Lee', 'SAM@x.org', '10:45', 'Desk 1'),
    summary(5, 'Only Once', 'once@x.org', '10:46', 'Desk 1'),
  ]);
  assert.deepEqual(
    d.map((g) => g.walkIns.map((w) => w.attendeeId)),
    [
      [1, 3],
      [2, 4],
    ],
  );
  assert.equal(
    duplicateWalkInText(d[0]!, hhmm),
    'Possible duplicate walk-in: registered at Desk 1 10:42 and Desk 3 10:44',
  );
});

test('what the desk says: admitted twice, an order, a group, a flagged person, a correction', () => {
  assert.equal(
    admittedTwiceText(
      [
        { at: '2026-11-23T10:24:00.000Z', station: 'Front Door' },
        { at: '2026-11-23T10:24:30.000Z', station: 'Side Door' },
      ],
      hhmm,
    ),
    'Admitted twice — Front Door 10:24 and Side Door 10:24',
  );
  assert.equal(admittedTwiceText([{ at: '2026-11-23T10:24:00.000Z', station: 'Front Door' }], hhmm), null);
  assert.equal(admittedTwiceText(undefined, hhmm), null);
  assert.equal(doubleAdmissionsCountText(0), null);
  assert.equal(doubleAdmissionsCountText(2), '2 people admitted twice');
  const member = (admissible: boolean) => ({ attendee: {} as Attendee, admissible });
  const order: OrderGroup = {
    orderId: 'o1',
    members: [member(true), member(true), member(false), member(true)],
  };
  assert.equal(orderActionText(order), 'Check in all 3');
  assert.equal(orderActionText({ orderId: 'o1', members: [member(false), member(false)] }), null);
  assert.equal(
    groupCheckInText({
      results: [
        { attendee: {} as Attendee, result: 'checked_in', actionId: 'x.1' },
        { attendee: {} as Attendee, result: 'checked_in', actionId: 'x.2' },
        { attendee: {} as Attendee, result: 'already_checked_in', actionId: null },
        { attendee: {} as Attendee, result: 'needs_confirmation', actionId: null },
      ],
    }),
    '2 checked in · 1 already checked in · 1 needs attention first',
  );
  assert.equal(
    groupCheckInText({
      results: [
        { attendee: {} as Attendee, result: 'needs_confirmation', actionId: null },
        { attendee: {} as Attendee, result: 'needs_confirmation', actionId: null },
      ],
    }),
    '2 need attention first',
  );
  assert.deepEqual(ticketsOf({ ticketName: 'Day 1', otherTicketNames: ['Day 2', 'Dinner'] }), [
    'Day 1',
    'Day 2',
    'Dinner',
  ]);
  const flagged = describeCheckInOutcome(
    {
      kind: 'needs_confirmation',
      attendee: { fullName: 'Ada Lovelace' } as Attendee,
      reason: 'check student ID',
    },
    hhmm,
  );
  assert.deepEqual(
    [flagged.tone, flagged.title, flagged.detail],
    ['warning', 'Needs attention', attentionPrompt('check student ID')],
  );
  const c: NameCorrection = {
    provider: { firstName: 'Jon', lastName: 'Smith', fullName: 'Jon Smith', company: 'Acme' },
    base: { fullName: 'Jon Smith', company: 'Acme' },
    at: '2026-11-23T10:00:00.000Z',
    stationName: 'Desk 2',
  };
  assert.equal(providerChangedSinceCorrection(c), false);
  assert.equal(correctionText(c), 'Corrected at Desk 2 · provider: Jon Smith, Acme');
  const changed = { ...c, provider: { ...c.provider, fullName: 'John Smith' } };
  assert.equal(providerChangedSinceCorrection(changed), true);
  assert.match(correctionText(changed), /John Smith, Acme \(changed on the provider since\)$/);
});

test('the event settings: check-ins stay on this station alone, in the venue when there is one; statistics by desk once a check-in came from another desk', () => {
  assert.match(checkInWriteBackText('eventbrite', false), /stay on this station/);
  const venue = checkInWriteBackText('eventbrite', true);
  assert.doesNotMatch(venue, /this station/);
  assert.match(venue, /every desk of the venue shares them, and none reaches Eventbrite/);
  assert.equal(showsCheckInsByDesk({ byDesk: [{ stationName: 'Desk 1', checkedIn: 3 }] }), false);
  assert.equal(
    showsCheckInsByDesk({ byDesk: [{ stationName: 'Desk 1', checkedIn: 3 }], checkInsElsewhere: true }),
    true,
  );
  assert.equal(
    showsCheckInsByDesk({
      byDesk: [
        { stationName: 'Desk 1', checkedIn: 3 },
        { stationName: 'Desk 2', checkedIn: 0 },
      ],
    }),
    true,
  );
  assert.equal(showsCheckInsByDesk({ byDesk: [], checkInsElsewhere: true }), false);
});

test('the demo is dated from the day it starts: its first event the next day, the same dates on every restart', () => {
  const day = demoDay(Date.parse('2027-03-10T21:30:00Z'));
  assert.equal(day(1, 17), '2027-03-11T17:00:00.000Z');
  assert.equal(day(2, 8), '2027-03-12T08:00:00.000Z');
  assert.equal(demoDay(Date.parse('2027-03-10T00:00:00Z'))(1, 17), day(1, 17));
  // A demo started before its start was kept keeps the dates it always had.
  assert.equal(demoDay(LEGACY_DEMO_START_MS)(2, 8), '2026-12-03T08:00:00.000Z');
});

test("what the answer panel says of the person: notes large, the flag, admitted twice, walk-in, correction, a guest's tickets", () => {
  const none = doorFactsOf({ ticketName: 'General', otherTicketNames: [] } as unknown as Attendee, hhmm);
  assert.deepEqual(none, {
    walkIn: false,
    notes: [],
    attention: null,
    admittedTwice: null,
    correction: null,
    tickets: [],
  });
  const all = doorFactsOf(
    {
      walkIn: true,
      note: 'VIP host: call Sam',
      ticketNote: 'collect the workshop kit at desk 3',
      attention: 'check student ID',
      admittedAt: [
        { at: '2026-11-23T10:24:00.000Z', station: 'Front Door' },
        { at: '2026-11-23T10:24:30.000Z', station: 'Side Door' },
      ],
      correction: {
        provider: { firstName: 'Jon', lastName: 'Smith', fullName: 'Jon Smith', company: null },
        base: { fullName: 'Jon Smith', company: null },
        at: '2026-11-23T10:00:00.000Z',
        stationName: 'Desk 2',
      },
      ticketName: 'Day 1',
      otherTicketNames: ['Day 2'],
    } as unknown as Attendee,
    hhmm,
  );
  assert.deepEqual(all, {
    walkIn: true,
    notes: ['VIP host: call Sam', 'collect the workshop kit at desk 3'],
    attention: 'Needs attention: check student ID — confirm to check in',
    admittedTwice: 'Admitted twice — Front Door 10:24 and Side Door 10:24',
    correction: 'Corrected at Desk 2 · provider: Jon Smith',
    tickets: ['Day 1', 'Day 2'],
  });
});

test('an order at the desk: who "Check in all" admits, a pick of some, and where each person stands', () => {
  const at = { at: '2026-11-23T10:24:00.000Z', station: 'Desk 1' };
  assert.equal(admissibleInGroup({ status: 'ATTENDING', checkedIn: null, attention: null }), true);
  assert.equal(admissibleInGroup({ status: 'ATTENDING', checkedIn: at, attention: null }), false);
  assert.equal(admissibleInGroup({ status: 'NOT_YET_ATTENDING', checkedIn: null, attention: null }), false);
  assert.equal(admissibleInGroup({ status: 'ATTENDING', checkedIn: null, attention: 'ID' }), false);
  const m = (a: Partial<Attendee>, admissible = false) => ({
    attendee: { ticketName: 'General', status: 'ATTENDING', checkedIn: null, ...a } as Attendee,
    admissible,
  });
  const order: OrderGroup = { orderId: 'o1', members: [m({}, true), m({}, true), m({}, true), m({})] };
  assert.equal(orderPickText(order, 3), 'Check in all 3');
  assert.equal(orderPickText(order, 2), 'Check in 2 chosen');
  assert.equal(orderPickText(order, 0), null);
  assert.equal(orderMemberText(m({ checkedIn: at }), hhmm), 'General · Checked in 10:24 · Desk 1');
  assert.equal(orderMemberText(m({ status: 'NOT_ATTENDING' }), hhmm), 'General · Not attending');
  assert.equal(orderMemberText(m({ status: 'NOT_YET_ATTENDING' }), hhmm), 'General · Pending');
  assert.equal(orderMemberText(m({ attention: 'check ID' }), hhmm), 'General · Needs attention: check ID');
  assert.equal(orderMemberText(m({ ticketName: null }, true), hhmm), 'Not checked in');
});

test("the walk-in form starts from the name the desk's search did not find, never from a ticket code or an email", () => {
  assert.deepEqual(walkInNameFromSearch('  Ada   Lovelace Byron '), {
    firstName: 'Ada',
    lastName: 'Lovelace Byron',
  });
  assert.deepEqual(walkInNameFromSearch('Zoë'), { firstName: 'Zoë', lastName: '' });
  const empty = { firstName: '', lastName: '' };
  assert.deepEqual(walkInNameFromSearch('5000123001'), empty);
  assert.deepEqual(walkInNameFromSearch('https://lu.ma/check-in/evt-1?pk=g-abc123'), empty);
  assert.deepEqual(walkInNameFromSearch('ada@example.org'), empty);
  assert.deepEqual(walkInNameFromSearch('  '), empty);
  assert.deepEqual(walkInNameFromSearch('---'), empty);
});
