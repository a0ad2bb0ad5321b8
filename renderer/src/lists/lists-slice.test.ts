// The lists in the store: the event page reads the lists, their figures and charts, and reads the
// figures again at once when an entry arrives from any desk (the charts move live); this desk's list
// is saved through main and kept in the settings; the desk offers an admin "Admit anyway" on a
// list's refusal and sends the reason with the check-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, startedStore } from '../../../tests/helpers/store-fixtures.ts';
import { mainListOf, type ListRefusal } from '../../../shared/lists.ts';
import type { CheckInOutcome } from '../../../shared/desk.ts';

const gus = attendee({ id: 8, eventId: 1, fullName: 'Gus General', ticketName: 'General Admission' });
const workshop = {
  ...mainListOf(1),
  id: 'list-workshop-1',
  main: false,
  name: 'Workshop B',
  ticketTypes: ['VIP'],
  inside: 0,
};

test('the event page reads the lists and their figures; pushed tallies move the chart at once', async () => {
  const { store, transport, timers } = await startedStore();
  let inside = 0;
  transport
    .answer('lists.view', ({ eventId }) => ({
      eventId,
      zone: 'UTC',
      lists: [
        { ...mainListOf(eventId), inside: 0 },
        { ...workshop, inside },
      ],
      venueInside: inside,
    }))
    .answer('lists.charts', ({ eventId }) => ({
      eventId,
      slotMinutes: 5,
      slots: ['2026-11-23T09:00:00.000Z', '2026-11-23T09:05:00.000Z'],
      arrivals: [{ stationId: 'desk-1', stationName: 'Desk 1', counts: [3, 1] }],
      inside: [3, 4],
    }));
  store.getState().navigate({ name: 'event', eventId: 1 });
  await settle();
  assert.deepEqual(
    store.getState().lists[1]!.lists.map((l) => [l.name, l.inside]),
    [
      ['Main list', 0],
      ['Workshop B', 0],
    ],
  );
  assert.equal(transport.inputs('lists.charts').length, 1);
  // Another desk admitted someone: its push's tallies move the chart without a read.
  inside = 1;
  transport.push('passagesChanged', {
    eventId: 1,
    complete: true,
    venueInside: 5,
    tallies: [
      {
        listId: 'main',
        stationId: 'desk-2',
        stationName: 'Desk 2',
        slot: '2026-11-23T09:05:00.000Z',
        action: 'check_in',
        delta: 1,
      },
      {
        listId: 'main',
        stationId: 'desk-1',
        stationName: 'Desk 1',
        slot: '2026-11-23T09:10:00.000Z',
        action: 'check_in',
        delta: 1,
      },
    ],
  });
  transport.push('checkinsChanged', { eventId: 1, attendeeIds: [7] });
  await settle();
  const charts = store.getState().listFigures!.charts!;
  assert.deepEqual(charts.slots.at(-1), '2026-11-23T09:10:00.000Z');
  assert.deepEqual(
    charts.arrivals.map((d) => [d.stationName, d.counts]),
    [
      ['Desk 1', [3, 1, 1]],
      ['Desk 2', [0, 1, 0]],
    ],
  );
  assert.deepEqual(charts.inside, [3, 4, 5]);
  assert.equal(transport.inputs('lists.charts').length, 1, 'no read yet');
  // The tables within a second, the whole series now and then.
  timers.advance(1_000);
  await settle();
  assert.equal(transport.inputs('lists.stats').length, 2);
  assert.equal(store.getState().lists[1]!.venueInside, 1);
  timers.advance(1_000);
  await settle();
  assert.equal(transport.inputs('lists.charts').length, 2);
  // A heal pushes more than one push carries: the chart reads its series at once.
  transport.push('passagesChanged', { eventId: 1, complete: false, venueInside: 9, tallies: [] });
  await settle();
  assert.equal(transport.inputs('lists.charts').length, 3);
  store.getState().navigate({ name: 'events' });
  await settle();
  assert.equal(store.getState().listFigures, null);
});

test('this desk’s list is saved through main and kept in the station’s settings', async () => {
  const { store, transport } = await startedStore();
  transport.answer('lists.setDesk', ({ listId, exit }) => ({ listId, exit }));
  assert.equal(await store.getState().setDeskPassage(1, { listId: workshop.id, exit: true }), true);
  assert.deepEqual(transport.inputs('lists.setDesk'), [{ eventId: 1, listId: workshop.id, exit: true }]);
  assert.deepEqual(store.getState().settings.deskLists?.['1'], { listId: workshop.id, exit: true });
  transport.answer('lists.setDesk', () => {
    throw new FakeRefusal('INVALID_INPUT', 'the check-in list x belongs to another event');
  });
  assert.equal(await store.getState().setDeskPassage(1, { listId: 'main', exit: false }), false);
  assert.deepEqual(
    store.getState().settings.deskLists?.['1'],
    { listId: workshop.id, exit: true },
    'unchanged',
  );
});

test('a list’s refusal on the desk: its words, and "Admit anyway" sends the admin’s reason', async () => {
  const { store, transport } = await startedStore();
  const refusal: ListRefusal = {
    listName: 'Workshop B',
    zone: 'UTC',
    now: '2026-11-23T09:00:00.000Z',
    reason: 'ticket',
    ticketName: 'General Admission',
  };
  transport
    .answer('desk.search', () => ({ rows: [gus], more: false }))
    .answer('desk.checkIn', (input): CheckInOutcome =>
      input.override
        ? {
            kind: 'checked_in',
            attendee: gus,
            actionId: input.actionId,
            via: 'search',
            printJob: null,
            list: { id: workshop.id, name: 'Workshop B' },
            override: input.override,
          }
        : { kind: 'refused', attendee: gus, list: { id: workshop.id, name: 'Workshop B' }, refusal },
    );
  store.getState().navigate({ name: 'desk', eventId: 1 });
  await settle();
  await store.getState().deskCheckIn(gus);
  const feedback = store.getState().desk!.feedback!;
  assert.equal(feedback.title, 'Not admitted');
  assert.equal(feedback.detail, 'Not valid for Workshop B — ticket: General Admission');
  assert.equal(feedback.overridable?.id, gus.id);
  assert.equal(feedback.undoable, null);
  const before = store.getState().events.find((e) => e.id === 1)!.counts.checkedIn;
  await store.getState().deskOverride(gus, 'speaker');
  assert.equal(transport.inputs('desk.checkIn').at(-1)!.override, 'speaker');
  assert.equal(store.getState().desk!.feedback!.title, 'Checked in');
  // A workshop entry is not an arrival: the event's count stays.
  assert.equal(store.getState().events.find((e) => e.id === 1)!.counts.checkedIn, before);
});
