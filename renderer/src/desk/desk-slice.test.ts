// The desk slice: search coalescing (a scanner's burst makes one search, stale answers are
// dropped), check-ins one after another, and the check-in's print line following its job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferred, FakeRefusal, settle } from '../../../tests/helpers/fake-transport.ts';
import { attendee, printJob, startedStore } from '../../../tests/helpers/store-fixtures.ts';
import { SEARCH_PAUSE_MS } from './desk-search.ts';
import type { CheckInOutcome, DeskSearchResult } from '../../../shared/desk.ts';
import type { Attendee } from '../../../shared/types.ts';

const ada = attendee({ id: 1, eventId: 1, fullName: 'Ada Lovelace', barcode: '100200300400' });
const alan = attendee({ id: 2, eventId: 1, fullName: 'Alan Turing' });
const alice = attendee({ id: 3, eventId: 1, fullName: 'Alice Ball' });

/** The desk of event 1; searches answer `rowsFor(query)` unless a test holds them. */
async function desk(opts: { autoPrint?: boolean } = {}) {
  const harness = await startedStore(
    opts.autoPrint
      ? {
          snapshot: {
            settings: {
              stationName: 'Desk 1',
              pollIntervalMs: 30_000,
              printerId: 1,
              autoPrint: true,
              adminLockMinutes: 5,
            },
          },
        }
      : {},
  );
  const { transport, store } = harness;
  transport
    .answer('printers.list', () => [
      {
        id: 1,
        name: 'Front desk',
        config: { kind: 'pdf_folder', folder: '/tmp/badges' },
        createdAt: '2026-11-23T07:00:00.000Z',
        available: true,
      },
    ])
    .answer('desk.search', ({ query }) => ({
      rows: [ada, alan, alice].filter(
        (a) => a.fullName.toLowerCase().startsWith(query.toLowerCase()) || a.barcode === query,
      ),
      more: false,
    }))
    .answer('desk.checkIn', (input) => ({
      kind: 'checked_in',
      attendee: {
        ...ada,
        id: input.attendeeId ?? ada.id,
        checkedIn: { at: '2026-11-23T08:01:00.000Z', station: 'Desk 1' },
      },
      actionId: input.actionId,
      via: 'scan',
      printJob: null,
    }));
  await store.getState().refreshPrinters();
  store.getState().navigate({ name: 'desk', eventId: 1 });
  await settle();
  return harness;
}

const shownNames = (rows: Attendee[] | undefined) => rows?.map((r) => r.fullName);

test("a scanner's burst of keystrokes makes one search, for the whole code", async () => {
  const { transport, timers, store } = await desk();
  const code = ada.barcode!;
  for (let i = 1; i <= code.length; i++) {
    store.getState().deskType(code.slice(0, i));
    timers.advance(4);
  }
  assert.equal(transport.inputs('desk.search').length, 0, 'nothing is searched mid-burst');
  timers.advance(SEARCH_PAUSE_MS);
  await settle();
  assert.deepEqual(transport.inputs('desk.search'), [{ eventId: 1, query: code, limit: 20 }]);
  assert.deepEqual(shownNames(store.getState().desk?.results?.rows), ['Ada Lovelace']);
});

test('a person typing with pauses gets a search per pause', async () => {
  const { transport, timers, store } = await desk();
  store.getState().deskType('a');
  timers.advance(200);
  store.getState().deskType('al');
  timers.advance(200);
  store.getState().deskType('ali');
  timers.advance(200);
  await settle();
  assert.deepEqual(
    transport.inputs('desk.search').map((i) => i.query),
    ['a', 'al', 'ali'],
  );
  assert.deepEqual(shownNames(store.getState().desk?.results?.rows), ['Alice Ball']);
});

test('a scan and its Enter before the pause: one search, and the check-in names its first row', async () => {
  const { transport, timers, store } = await desk();
  const code = ada.barcode!;
  for (let i = 1; i <= code.length; i++) store.getState().deskType(code.slice(0, i));
  const done = store.getState().deskEnter(code);
  assert.equal(store.getState().desk?.query, '', 'the field is cleared at once for the next person');
  await done;
  timers.advance(1000);
  await settle();
  assert.deepEqual(
    transport.inputs('desk.search').map((i) => i.query),
    [code],
  );
  assert.deepEqual(transport.inputs('desk.checkIn'), [
    { eventId: 1, actionId: 'action-1', code, attendeeId: ada.id },
  ]);
  assert.equal(store.getState().desk?.feedback?.title, 'Checked in');
});

test('answers that arrive after a newer search, or after Escape, are dropped', async () => {
  const { transport, timers, store } = await desk();
  const held = new Map<string, ReturnType<typeof deferred<DeskSearchResult>>>();
  transport.answer('desk.search', ({ query }) => {
    const answer = deferred<DeskSearchResult>();
    held.set(query, answer);
    return answer.promise;
  });
  // An answer for text the field no longer holds is not shown.
  store.getState().deskType('al');
  timers.advance(SEARCH_PAUSE_MS);
  store.getState().deskType('ali');
  held.get('al')!.resolve({ rows: [alan, alice], more: false });
  await settle();
  assert.equal(store.getState().desk?.results, null);
  held.delete('al');

  // A newer search's answer stays when an older one arrives after it.
  store.getState().deskType('al');
  timers.advance(SEARCH_PAUSE_MS);
  store.getState().deskType('ali');
  timers.advance(SEARCH_PAUSE_MS);
  held.get('ali')!.resolve({ rows: [alice], more: false });
  await settle();
  held.get('al')!.resolve({ rows: [alan, alice], more: false });
  await settle();
  assert.deepEqual(shownNames(store.getState().desk?.results?.rows), ['Alice Ball']);

  // Back to "ada" before the pause: the answer for "ada" is older than the latest search ("adam").
  store.getState().deskType('ada');
  timers.advance(SEARCH_PAUSE_MS);
  store.getState().deskType('adam');
  timers.advance(SEARCH_PAUSE_MS);
  store.getState().deskType('ada');
  const stale = held.get('ada')!;
  held.delete('ada');
  stale.resolve({ rows: [ada], more: false });
  await settle();
  assert.notEqual(store.getState().desk?.results?.query, 'ada', 'the stale answer is not shown');
  timers.advance(SEARCH_PAUSE_MS); // the pause after "ada": searched again, and this answer shows
  held.get('ada')!.resolve({ rows: [ada], more: false });
  await settle();
  assert.deepEqual(shownNames(store.getState().desk?.results?.rows), ['Ada Lovelace']);

  // Escape while a search is out: its answer never shows.
  store.getState().deskType('alan');
  timers.advance(SEARCH_PAUSE_MS);
  store.getState().deskClear();
  held.get('alan')!.resolve({ rows: [alan], more: false });
  await settle();
  assert.equal(store.getState().desk?.results, null);
  // Even when the same text is typed again before the answer comes.
  store.getState().deskType('alice');
  timers.advance(SEARCH_PAUSE_MS);
  store.getState().deskClear();
  store.getState().deskType('alice');
  held.get('alice')!.resolve({ rows: [alice], more: false });
  await settle();
  assert.equal(store.getState().desk?.results, null);
});

test('check-ins run one after another, in the order asked, and none is lost', async () => {
  const { transport, store } = await desk();
  const first = deferred<CheckInOutcome>();
  transport.answer('desk.checkIn', (input) =>
    input.attendeeId === ada.id
      ? first.promise
      : { kind: 'checked_in', attendee: alan, actionId: input.actionId, via: 'search', printJob: null },
  );
  const one = store.getState().deskCheckIn(ada);
  const two = store.getState().deskCheckIn(alan);
  await settle();
  assert.equal(transport.inputs('desk.checkIn').length, 1, 'the second waits for the first');
  assert.equal(store.getState().desk?.pending, 2);

  first.resolve({
    kind: 'already_checked_in',
    attendee: { ...ada, checkedIn: { at: '2026-11-23T07:59:00.000Z', station: 'Desk 2' } },
  });
  await Promise.all([one, two]);
  assert.deepEqual(
    transport.inputs('desk.checkIn').map((i) => [i.attendeeId, i.actionId]),
    [
      [ada.id, 'action-1'],
      [alan.id, 'action-2'],
    ],
  );
  assert.equal(store.getState().desk?.pending, 0);
  assert.equal(store.getState().desk?.feedback?.subject, 'Alan Turing');
});

test('a check-in elsewhere re-reads the results on screen, keeping the highlight on the same person', async () => {
  const { transport, timers, store } = await desk();
  store.getState().deskType('a');
  timers.advance(SEARCH_PAUSE_MS);
  await settle();
  // The first ↓ chooses the first row, the second the next one.
  store.getState().deskMove(1);
  store.getState().deskMove(1);
  assert.equal(
    store.getState().desk?.results?.rows[store.getState().desk!.highlight!]?.fullName,
    'Alan Turing',
  );

  transport.answer('desk.search', () => ({ rows: [alice, ada, alan], more: false }));
  transport.push('checkinsChanged', { eventId: 1, attendeeIds: [ada.id] });
  timers.advance(150);
  await settle();
  assert.deepEqual(shownNames(store.getState().desk?.results?.rows), [
    'Alice Ball',
    'Ada Lovelace',
    'Alan Turing',
  ]);
  assert.equal(store.getState().desk?.highlight, 2);
});

test("the check-in's print line follows its job's pushes; an older version never wins", async () => {
  const { transport, timers, store } = await desk({ autoPrint: true });
  await store.getState().deskCheckIn(ada);
  const line = () => store.getState().desk?.feedback?.print;
  assert.equal(line()?.printerName, 'Front desk');
  assert.equal(line()?.job, null);

  const queued = printJob({
    id: 11,
    reason: 'check_in',
    attendeeId: ada.id,
    state: 'queued',
    updatedAt: '2026-11-23T08:01:00.000Z',
  });
  const printed = { ...queued, state: 'printed' as const, updatedAt: '2026-11-23T08:01:05.000Z' };
  transport.push('printJobChanged', { job: queued });
  timers.advance(50);
  assert.equal(line()?.job?.state, 'queued');
  const printing = { ...queued, state: 'printing' as const, updatedAt: '2026-11-23T08:01:02.000Z' };
  // Out of order within one moment, then an old version in a later one: the newest stays.
  transport.push('printJobChanged', { job: printed });
  transport.push('printJobChanged', { job: printing });
  timers.advance(50);
  assert.equal(line()?.job?.state, 'printed');
  transport.push('printJobChanged', { job: printing });
  timers.advance(50);
  assert.equal(line()?.job?.state, 'printed');
  // Another attendee's job leaves the line alone; a newer job of this check-in's person replaces it.
  transport.push('printJobChanged', { job: printJob({ id: 12, reason: 'check_in', attendeeId: alan.id }) });
  timers.advance(50);
  assert.equal(line()?.job?.id, 11);
  transport.push('printJobChanged', { job: printJob({ id: 14, reason: 'check_in', attendeeId: ada.id }) });
  transport.push('printJobChanged', { job: printJob({ id: 13, reason: 'check_in', attendeeId: ada.id }) });
  timers.advance(50);
  assert.equal(line()?.job?.id, 14);
});

test('no job after the wait: the desk looks once, then says no badge was queued', async () => {
  const { transport, timers, store } = await desk({ autoPrint: true });
  await store.getState().deskCheckIn(ada);
  const lookups = transport.inputs('print.jobs').length;
  timers.advance(4999);
  assert.equal(transport.inputs('print.jobs').length, lookups);
  timers.advance(1);
  await settle();
  assert.deepEqual(transport.inputs('print.jobs').slice(lookups), [{ eventId: 1, limit: 100 }]);
  assert.equal(store.getState().desk?.feedback?.print?.note, 'No badge was queued; see the Print queue');
});

const checkedInCount = (store: Awaited<ReturnType<typeof desk>>['store']) =>
  store.getState().events.find((e) => e.id === 1)?.counts.checkedIn;

test('three letters and Enter with several matches admit no one: the first row is chosen and the panel asks', async () => {
  const { transport, timers, store } = await desk();
  store.getState().deskType('a');
  timers.advance(SEARCH_PAUSE_MS);
  await settle();
  assert.equal(store.getState().desk?.highlight, null, 'no one is chosen before the operator chooses');
  await store.getState().deskEnter('a');
  assert.deepEqual(transport.inputs('desk.checkIn'), [], 'no one is admitted');
  assert.equal(store.getState().desk?.query, 'a', 'the text stays');
  assert.equal(store.getState().desk?.highlight, 0, 'the first row is chosen');
  assert.equal(store.getState().desk?.feedback?.title, 'Several match: choose with ↑ ↓, then Enter');
  assert.equal(checkedInCount(store), 0);

  // ↓ and Enter: the person moved to, without the code (a choice, not a scan).
  store.getState().deskMove(1);
  await store.getState().deskEnter('a');
  assert.deepEqual(transport.inputs('desk.checkIn'), [
    { eventId: 1, actionId: 'action-1', attendeeId: alan.id },
  ]);
  assert.equal(store.getState().desk?.query, '', 'cleared for the next person');
});

test('Enter before the results arrive, on several matches: the text comes back with them, and no one is admitted', async () => {
  const { transport, store } = await desk();
  store.getState().deskType('a');
  const done = store.getState().deskEnter('a');
  assert.equal(store.getState().desk?.query, '', 'cleared at once, as for a scan');
  await done;
  assert.deepEqual(transport.inputs('desk.checkIn'), []);
  assert.equal(store.getState().desk?.query, 'a');
  assert.deepEqual(shownNames(store.getState().desk?.results?.rows), [
    'Ada Lovelace',
    'Alan Turing',
    'Alice Ball',
  ]);
  assert.equal(store.getState().desk?.highlight, 0);
  assert.equal(store.getState().desk?.feedback?.title, 'Several match: choose with ↑ ↓, then Enter');
});

test('the only match is admitted by Enter; a typed name that matches no one keeps its text, selected', async () => {
  const { transport, timers, store } = await desk();
  store.getState().deskType('alice');
  timers.advance(SEARCH_PAUSE_MS);
  await settle();
  await store.getState().deskEnter('alice');
  assert.deepEqual(transport.inputs('desk.checkIn'), [
    { eventId: 1, actionId: 'action-1', attendeeId: alice.id },
  ]);

  store.getState().deskType('zzz');
  timers.advance(SEARCH_PAUSE_MS);
  await settle();
  const selections = store.getState().desk!.selectQuery;
  await store.getState().deskEnter('zzz');
  assert.equal(transport.inputs('desk.checkIn').length, 1, 'nothing asked of the core');
  assert.equal(store.getState().desk?.query, 'zzz', 'the text stays');
  assert.equal(
    store.getState().desk?.selectQuery,
    selections + 1,
    'selected, so the next keystroke replaces it',
  );
  const feedback = store.getState().desk?.feedback;
  assert.equal(feedback?.title, 'Not found');
  assert.equal(feedback?.detail, 'No one matches “zzz”');
  assert.equal(feedback?.notFound, true);
});

test('"Print badge only": the panel says the badge printed and the person is not checked in; the count stays', async () => {
  const { transport, timers, store } = await desk();
  // The panel shows someone else first: the print replaces it.
  await store.getState().deskCheckIn(alan);
  assert.equal(checkedInCount(store), 1);
  transport
    .answer('print.priorPrint', () => null)
    .answer('print.badge', ({ attendeeId }) =>
      printJob({ id: 21, reason: 'manual', attendeeId, attendeeName: 'Alice Ball', state: 'queued' }),
    );
  const result = await store.getState().deskPrintBadge(alice);
  assert.equal(result.kind, 'queued');
  assert.equal(transport.inputs('desk.checkIn').length, 1, 'no check-in');
  assert.equal(checkedInCount(store), 1, 'the count does not move');
  const feedback = store.getState().desk?.feedback;
  assert.equal(feedback?.title, 'Badge printed — not checked in');
  assert.equal(feedback?.subject, 'Alice Ball');
  assert.equal(feedback?.undoable, null);
  assert.equal(feedback?.print?.job?.id, 21);

  // The line follows that job's pushes.
  transport.push('printJobChanged', {
    job: printJob({
      id: 21,
      reason: 'manual',
      attendeeId: alice.id,
      state: 'printed',
      updatedAt: '2026-11-23T09:00:00.000Z',
    }),
  });
  timers.advance(50);
  assert.equal(store.getState().desk?.feedback?.print?.job?.state, 'printed');

  // No printer: the panel says why no badge came out.
  transport.answer('print.badge', () => {
    throw new FakeRefusal('INVALID_STATE', 'this station has no printer; choose one in Settings → Printers');
  });
  await store.getState().deskPrintBadge(ada);
  assert.equal(store.getState().desk?.feedback?.title, 'Badge not printed');
  assert.equal(store.getState().desk?.feedback?.subject, 'Ada Lovelace');
});

test('"already checked in" offers Undo and Print badge for that person', async () => {
  const { transport, store } = await desk();
  const there = { ...ada, checkedIn: { at: '2026-11-23T07:59:00.000Z', station: 'Desk 2' } };
  transport.answer('desk.checkIn', () => ({ kind: 'already_checked_in', attendee: there }));
  await store.getState().deskCheckIn(ada);
  const feedback = store.getState().desk?.feedback;
  assert.equal(feedback?.title, 'Already checked in');
  assert.equal(feedback?.undoable?.id, ada.id);
  assert.equal(feedback?.printable?.id, ada.id);
});
