// The door slice: a walk-in's form goes to main as typed (empty optional fields as none), and the
// answer shows on the desk's panel; a correction and a confirmed check-in do too; a refusal is the
// caller's to show, and leaves the panel as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, startedStore } from '../../../tests/helpers/store-fixtures.ts';

const grace = attendee({
  id: 7,
  eventId: 1,
  fullName: 'Grace Hopper',
  walkIn: true,
  checkedIn: { at: '2026-11-23T08:01:00.000Z', station: 'Desk 1' },
});

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

test('a correction shows the corrected name with the provider record; a confirmed check-in is sent with confirm', async () => {
  const { transport, store } = await desk();
  await store
    .getState()
    .correctBadgeName(grace, { firstName: 'Amazing', lastName: 'Grace', company: '', reprint: true });
  assert.deepEqual(
    { ...transport.inputs('door.correctName')[0]!, actionId: 'x' },
    { attendeeId: 7, actionId: 'x', firstName: 'Amazing', lastName: 'Grace', company: null, reprint: true },
  );
  const f = store.getState().desk!.feedback!;
  assert.deepEqual(
    [f.title, f.subject, f.detail],
    ['Name corrected — badge reprinting', 'Amazing Grace', 'Corrected at Desk 1 · provider: Grace Hopper'],
  );
  await store
    .getState()
    .confirmCheckIn(attendee({ id: 9, eventId: 1, fullName: 'Flagged Person', attention: 'check ID' }));
  assert.equal(transport.inputs('desk.checkIn')[0]!.confirm, true);
  assert.equal(store.getState().desk!.feedback!.title, 'Checked in');
});
