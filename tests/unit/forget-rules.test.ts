// The rules of forgetting an event that both sides share (shared/forget.ts): when the retention
// rule makes an event due, whether the check-ins made here are safe, and what the desk says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInsSafe, forgetDueAt, heldText, refusalText, unheldText } from '../../shared/forget.ts';

const hhmm = (iso: string) => iso.slice(11, 16);
const DAY = 24 * 60 * 60 * 1000;

test('an event is due N days after its end, its start when it names no end, never when it names neither', () => {
  const end = '2026-11-01T17:00:00.000Z';
  assert.equal(
    forgetDueAt({ startsAt: '2026-11-01T09:00:00.000Z', endsAt: end }, 30),
    Date.parse(end) + 30 * DAY,
  );
  assert.equal(forgetDueAt({ startsAt: end, endsAt: null }, 1), Date.parse(end) + DAY);
  assert.equal(forgetDueAt({ startsAt: null, endsAt: null }, 30), null);
  assert.equal(forgetDueAt({ startsAt: 'not a date', endsAt: null }, 30), null);
});

test('check-ins are safe when none were made here, another desk or the relay holds them, or the CSV was taken', () => {
  assert.equal(checkInsSafe({ kind: 'none-made' }), true);
  assert.equal(
    checkInsSafe({ kind: 'held', made: 3, by: 'Desk 2', relay: false, at: '2026-11-23T10:42:00.000Z' }),
    true,
  );
  assert.equal(
    checkInsSafe({ kind: 'exported', made: 3, file: 'x.csv', at: '2026-11-23T10:42:00.000Z' }),
    true,
  );
  assert.equal(checkInsSafe({ kind: 'not-held', made: 3, unheld: 1, why: 'w' }), false);
});

test('what the desk says of them, and of a refusal', () => {
  const at = '2026-11-23T10:42:00.000Z';
  assert.equal(
    heldText({ kind: 'held', made: 312, by: 'Desk 2', relay: false, at }, hhmm),
    'Every check-in made on this desk (312) is held by Desk 2 (confirmed at 10:42).',
  );
  assert.equal(
    heldText({ kind: 'held', made: 5, by: 'Relay', relay: true, at }, hhmm),
    'Every check-in made on this desk (5) is held by the relay (confirmed at 10:42).',
  );
  assert.equal(
    heldText({ kind: 'exported', made: 5, file: 'conf-kept-before-forgetting.csv', at }, hhmm),
    'The check-ins made on this desk (5) were exported as conf-kept-before-forgetting.csv at 10:42: keep that file.',
  );
  assert.equal(
    unheldText({ kind: 'not-held', made: 312, unheld: 12, why: 'no desk answered' }),
    '12 of the 312 check-ins made on this desk are held by no other desk or relay (no desk answered)',
  );
  assert.equal(
    unheldText({ kind: 'not-held', made: 1, unheld: 1, why: 'this desk is in no venue' }),
    'The check-in made on this desk is held by no other desk or relay (this desk is in no venue)',
  );
  assert.equal(
    refusalText({ refusal: 'print-waiting', waiting: 2 }, hhmm),
    '2 badges of this event are waiting to print: print or cancel them in the print queue first.',
  );
  assert.equal(
    refusalText({ refusal: 'forgotten', forgotten: { at, reason: 'admin' } }, hhmm),
    'This event was already forgotten on this desk at 10:42.',
  );
});
