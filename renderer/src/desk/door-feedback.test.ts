// What the answer panel says after the door's actions: a walk-in and the badge it sent, a
// correction or its clearing, a group check-in (its Undo only when it admitted someone) and its undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attendee, printJob } from '../../../tests/helpers/store-fixtures.ts';
import { correctionFeedback, groupFeedback, groupUndoFeedback, walkInFeedback } from './door-feedback.ts';

const hhmm = (iso: string) => iso.slice(11, 16);
const grace = attendee({
  id: 7,
  eventId: 1,
  fullName: 'Grace Hopper',
  walkIn: true,
  checkedIn: { at: '2026-11-23T08:01:00.000Z', station: 'Desk 1' },
});

test('a walk-in: "Walk-in checked in", the person marked, the badge it queued followed; a retried call says what it found', () => {
  const job = printJob({ id: 12, attendeeId: 7, reason: 'manual', state: 'queued' });
  const f = walkInFeedback(
    {
      attendee: grace,
      checkIn: { kind: 'checked_in', attendee: grace, actionId: 'a-1', via: 'search', printJob: null },
      printJob: job,
    },
    hhmm,
  );
  assert.deepEqual(
    [f.title, f.subject, f.person?.walkIn, f.undoable?.id, f.printable, f.print?.job?.id, f.print?.reason],
    ['Walk-in checked in', 'Grace Hopper', true, 7, null, 12, 'manual'],
  );
  const retried = walkInFeedback(
    { attendee: grace, checkIn: { kind: 'already_checked_in', attendee: grace }, printJob: null },
    hhmm,
  );
  assert.deepEqual([retried.title, retried.print], ['Already checked in', null]);
});

test('a correction names the corrected person; cleared, it says the badge prints the registration again', () => {
  const corrected = {
    ...grace,
    correction: { provider: grace, base: grace, at: 'x', stationName: 'Desk 1' },
  };
  const f = correctionFeedback(corrected, null, false);
  assert.deepEqual([f.title, f.detail, f.person?.id, f.print], ['Name corrected', null, 7, null]);
  const cleared = correctionFeedback({ ...grace, checkedIn: null }, null, false);
  assert.deepEqual(
    [cleared.detail, cleared.undoable],
    ['The badge prints the name on the registration again', null],
  );
});

test('a group check-in: who came in, the batch of badges, and an Undo only when it admitted someone', () => {
  const people = ['Ann One', 'Bob Two', 'Cy Three', 'Di Four', 'Ed Five'].map((fullName, i) =>
    attendee({ id: i + 1, eventId: 1, fullName }),
  );
  const f = groupFeedback(1, {
    actionId: 'g-1',
    results: people.map((a, i) => ({
      attendee: a,
      result: i < 4 ? 'checked_in' : 'already_checked_in',
      actionId: i < 4 ? `g-1.${i + 1}` : null,
    })),
    printJobs: [1, 2, 3, 4],
  });
  assert.deepEqual(
    [f.tone, f.title, f.subject, f.detail, f.group],
    [
      'success',
      'Order checked in',
      'Ann One, Bob Two, Cy Three and 1 more',
      '4 checked in · 1 already checked in · 4 badges sent to the printer',
      { eventId: 1, actionId: 'g-1', checkedIn: 4 },
    ],
  );
  const none = groupFeedback(1, {
    actionId: 'g-2',
    results: [{ attendee: people[0]!, result: 'needs_confirmation', actionId: null }],
    printJobs: [],
  });
  assert.deepEqual(
    [none.tone, none.title, none.detail, none.group],
    ['warning', 'Nobody checked in', '1 needs attention first', null],
  );
  const undone = groupUndoFeedback({ actionId: 'u', undone: [] });
  assert.equal(undone.detail, 'Each of these check-ins was already undone');
});
