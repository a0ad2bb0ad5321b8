// The door at the desk: a walk-in's form goes to main as typed (empty optional fields as none), and
// the answer shows on the desk's panel; a correction, a flagged person's confirmed check-in, a whole
// order and its undo do too; a refusal of the form is the caller's to show, and leaves the panel as
// it was. Recent check-ins follow a correction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, printJob, startedStore } from '../../../tests/helpers/store-fixtures.ts';
import { doorFactsOf } from '../../../shared/door.ts';
import type { CheckInLogEntry } from '../../../shared/desk.ts';
import type { Attendee } from '../../../shared/types.ts';

const grace = attendee({
  id: 7,
  eventId: 1,
  fullName: 'Grace Hopper',
  walkIn: true,
  checkedIn: { at: '2026-11-23T08:01:00.000Z', station: 'Desk 1' },
});

const corrected: Attendee = {
  ...grace,
  correction: {
    provider: { firstName: 'Grace', lastName: 'Hopper', fullName: 'Grace Hopper', company: null },
    base: { fullName: 'Grace Hopper', company: null },
    at: '2026-11-23T08:02:00.000Z',
    stationName: 'Desk 1',
  },
};

async function desk() {
  const harness = await startedStore();
  harness.transport
    .answer('desk.search', () => ({ rows: [], more: false }))
    .answer('door.walkInChoices', () => ({ enabled: true, tickets: ['General', 'Walk-in'] }))
    .answer('door.registerWalkIn', (input) => {
      if (input.firstName === '') throw new FakeRefusal('INVALID_INPUT', 'The first name is required');
      return {
        attendee: grace,
        checkIn: {
          kind: 'checked_in',
          attendee: grace,
          actionId: input.actionId,
          via: 'search',
          printJob: null,
        },
        printJob: null,
      };
    })
    .answer('door.correctName', (input) => ({
      attendee: {
        ...grace,
        fullName: `${input.firstName} ${input.lastName ?? ''}`.trim(),
        correction: {
          provider: { firstName: 'Grace', lastName: 'Hopper', fullName: 'Grace Hopper', company: null },
          base: { fullName: 'Grace Hopper', company: null },
          at: '2026-11-23T08:02:00.000Z',
          stationName: 'Desk 1',
        },
      },
      printJob: null,
    }))
    .answer('desk.checkIn', (input) => ({
      kind: 'checked_in',
      attendee: { ...grace, id: input.attendeeId!, fullName: 'Flagged Person', attention: 'check ID' },
      actionId: input.actionId,
      via: 'search',
      printJob: null,
    }));
  harness.store.getState().navigate({ name: 'desk', eventId: 1 });
  await settle();
  return harness;
}

test('a walk-in: the form as typed, optional fields empty as none; the panel says "Walk-in checked in"', async () => {
  const { transport, store } = await desk();
  await store.getState().loadWalkInChoices(1);
  assert.deepEqual(store.getState().walkInChoices, {
    eventId: 1,
    enabled: true,
    tickets: ['General', 'Walk-in'],
  });
  await store.getState().registerWalkIn(1, {
    firstName: 'Grace',
    lastName: 'Hopper',
    email: '  ',
    company: 'US Navy',
    ticketName: 'Walk-in',
  });
  const sent = transport.inputs('door.registerWalkIn')[0]!;
  assert.deepEqual(
    { ...sent, actionId: typeof sent.actionId },
    {
      eventId: 1,
      actionId: 'string',
      firstName: 'Grace',
      lastName: 'Hopper',
      email: null,
      company: 'US Navy',
      ticketName: 'Walk-in',
    },
  );
  const feedback = store.getState().desk!.feedback!;
  assert.deepEqual(
    [feedback.title, feedback.subject, feedback.undoable?.id],
    ['Walk-in checked in', 'Grace Hopper', 7],
  );
  // A refusal is thrown to the form, and the panel stays as it was.
  await assert.rejects(
    store
      .getState()
      .registerWalkIn(1, { firstName: '', lastName: 'X', email: '', company: '', ticketName: 'Walk-in' }),
    /first name is required/,
  );
  assert.equal(store.getState().desk!.feedback!.id, feedback.id);
});

test('a correction shows the corrected name with the provider record beside it, and its reprint follows the job', async () => {
  const { transport, store } = await desk();
  transport.answer('door.correctName', (input) => ({
    attendee: { ...corrected, fullName: `${input.firstName} ${input.lastName ?? ''}`.trim() },
    printJob: printJob({ id: 31, attendeeId: 7, reason: 'reprint', state: 'queued' }),
  }));
  await store
    .getState()
    .correctBadgeName(grace, { firstName: 'Amazing', lastName: 'Grace', company: '', reprint: true });
  assert.deepEqual(
    { ...transport.inputs('door.correctName')[0]!, actionId: 'x' },
    { attendeeId: 7, actionId: 'x', firstName: 'Amazing', lastName: 'Grace', company: null, reprint: true },
  );
  const f = store.getState().desk!.feedback!;
  assert.deepEqual(
    [f.title, f.subject, f.print?.job?.id, f.print?.reason],
    ['Name corrected — badge reprinting', 'Amazing Grace', 31, 'reprint'],
  );
  assert.equal(doorFactsOf(f.person!, () => '').correction, 'Corrected at Desk 1 · provider: Grace Hopper');
});

test('a flagged person: the panel offers "Confirm and check in" and admits nobody; the confirmation is sent with confirm', async () => {
  const { transport, store } = await desk();
  const flagged = attendee({ id: 9, eventId: 1, fullName: 'Flagged Person', attention: 'check ID' });
  transport.answer('desk.checkIn', (input) =>
    input.confirm
      ? { kind: 'checked_in', attendee: flagged, actionId: input.actionId, via: 'search', printJob: null }
      : { kind: 'needs_confirmation', attendee: flagged, reason: 'check ID' },
  );
  await store.getState().deskCheckIn(flagged);
  let f = store.getState().desk!.feedback!;
  assert.deepEqual(
    [f.title, f.confirmable?.id, f.undoable, doorFactsOf(f.person!, () => '').attention],
    ['Needs attention', 9, null, 'Needs attention: check ID — confirm to check in'],
  );
  await store.getState().deskConfirm(f.confirmable!);
  assert.deepEqual(
    transport.inputs('desk.checkIn').map((i) => i.confirm),
    [undefined, true],
  );
  f = store.getState().desk!.feedback!;
  assert.deepEqual([f.title, f.confirmable ?? null, f.undoable?.id], ['Checked in', null, 9]);
});

test('a whole order: the check-in offers its people; "Check in all" sends them in one call, and its Undo takes back each', async () => {
  const { transport, store } = await desk();
  const [a, b, c] = [1, 2, 3].map((n) =>
    attendee({ id: 20 + n, eventId: 1, fullName: `Member ${n}`, orderId: 'o9' }),
  ) as [Attendee, Attendee, Attendee];
  const aIn = { ...a, checkedIn: { at: '2026-11-23T08:03:00.000Z', station: 'Desk 1' } };
  transport
    .answer('desk.checkIn', (input) => ({
      kind: 'checked_in',
      attendee: aIn,
      actionId: input.actionId,
      via: 'scan',
      printJob: null,
      order: {
        orderId: 'o9',
        members: [
          { attendee: aIn, admissible: false },
          { attendee: b, admissible: true },
          { attendee: c, admissible: true },
        ],
      },
    }))
    .answer('desk.checkInGroup', (input) => ({
      actionId: input.actionId,
      results: input.attendeeIds.map((id, i) => ({
        attendee: {
          ...(id === b.id ? b : c),
          checkedIn: { at: '2026-11-23T08:04:00.000Z', station: 'Desk 1' },
        },
        result: 'checked_in' as const,
        actionId: `${input.actionId}.${i + 1}`,
      })),
      printJobs: [41, 42],
    }))
    .answer('desk.undoGroup', () => ({ actionId: 'u', undone: [b, c] }));
  await store.getState().deskCheckIn(a);
  const order = store.getState().desk!.feedback!.order!;
  assert.deepEqual(
    order.members.filter((m) => m.admissible).map((m) => m.attendee.id),
    [b.id, c.id],
  );
  await store.getState().checkInGroup(1, [b, c]);
  const groupAction = transport.inputs('desk.checkInGroup')[0]!;
  assert.deepEqual(groupAction.attendeeIds, [b.id, c.id]);
  let f = store.getState().desk!.feedback!;
  assert.deepEqual(
    [f.title, f.subject, f.detail, f.group?.actionId, f.group?.checkedIn],
    [
      'Order checked in',
      'Member 2, Member 3',
      '2 checked in · 2 badges sent to the printer',
      groupAction.actionId,
      2,
    ],
  );
  await store.getState().undoGroup(f.group!);
  assert.equal(transport.inputs('desk.undoGroup')[0]!.groupActionId, groupAction.actionId);
  f = store.getState().desk!.feedback!;
  assert.deepEqual(
    [f.title, f.detail, f.group ?? null],
    ['Group check-in undone', '2 check-ins taken back', null],
  );
});

test('Recent check-ins are read again when a person in them changes (a name corrected here or at another desk)', async () => {
  const { transport, timers, store } = await desk();
  const entry = (name: string): CheckInLogEntry => ({
    id: 1,
    actionId: 'a-1',
    attendeeId: 7,
    attendeeName: name,
    email: null,
    ticketName: null,
    action: 'check_in',
    station: 'Desk 1',
    at: '2026-11-23T08:01:00.000Z',
  });
  transport.answer('desk.log', () => [entry('Grace Hopper')]);
  transport.push('checkinsChanged', { eventId: 1, attendeeIds: [7] });
  timers.advance(150);
  await settle();
  assert.equal(store.getState().desk!.log![0]!.attendeeName, 'Grace Hopper');
  transport.answer('desk.log', () => [entry('Grace Brewster Hopper')]);
  const reads = () => transport.inputs('desk.log').length;
  const before = reads();
  // Someone not in the log changed: nothing to read again.
  transport.push('attendeesChanged', { eventId: 1, attendeeIds: [99] });
  timers.advance(300);
  await settle();
  assert.equal(reads(), before);
  transport.push('attendeesChanged', { eventId: 1, attendeeIds: [7] });
  timers.advance(300);
  await settle();
  assert.equal(store.getState().desk!.log![0]!.attendeeName, 'Grace Brewster Hopper');
});
