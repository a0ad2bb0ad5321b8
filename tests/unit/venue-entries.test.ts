// The venue document's rules: any arrival order gives the same state (fast-check over
// permutations, in the pure rule and in SQLite), and malformed entries are refused and counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import fc from 'fast-check';
import { openStation, roster } from '../venue/helpers/replica-stations.ts';
import {
  checkEntry,
  deriveCheckIn,
  deriveVip,
  MAX_ENTRY_CHARS,
  type CheckInFact,
  type VipFact,
} from '../../shared/venue.ts';

const STATIONS = ['aaaaaaaa-1', 'bbbbbbbb-2', 'cccccccc-3'];
const TIMES = ['2026-11-23T10:42:00.000Z', '2026-11-23T10:43:00.000Z', '2026-11-23T10:44:00.000Z'];

/** A random set of check-ins and undos of one attendee: undos name check-ins of the set, or a missing one. */
const factSet = fc
  .array(
    fc.record({
      station: fc.integer({ min: 0, max: 2 }),
      time: fc.integer({ min: 0, max: 2 }),
      undoOf: fc.option(fc.integer({ min: 0, max: 9 })),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((raw) =>
    raw.map((r, i): CheckInFact => ({
      id: `action-${String(i).padStart(4, '0')}`,
      at: TIMES[r.time]!,
      stationId: STATIONS[r.station]!,
      stationName: `Desk ${r.station + 1}`,
      kind: r.undoOf === null ? 'check_in' : 'undo',
      // An undo names another entry of the set (or one that never arrives), never itself.
      undoes:
        r.undoOf === null ? null : `action-${String(r.undoOf === i ? i + 1 : r.undoOf).padStart(4, '0')}`,
    })),
  );

const shuffled = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

test('the merged check-in rule gives the same answer whatever order the entries come in', () => {
  fc.assert(
    fc.property(
      factSet.chain((facts) => fc.tuple(fc.constant(facts), shuffled(facts))),
      ([facts, other]) => {
        assert.deepEqual(deriveCheckIn(other), deriveCheckIn(facts));
      },
    ),
  );
});

test('the merged check-in rule: checked in while a check-in is not undone, the earliest shown, a double admission across stations', () => {
  fc.assert(
    fc.property(factSet, (facts) => {
      const d = deriveCheckIn(facts);
      const undone = new Set(facts.filter((f) => f.kind === 'undo').map((f) => f.undoes));
      const open = facts.filter((f) => f.kind === 'check_in' && !undone.has(f.id));
      assert.equal(d.shown !== null, open.length > 0);
      if (d.shown)
        assert.ok(
          open.every((o) => o.at >= d.shown!.at),
          'the shown check-in is the earliest',
        );
      assert.equal(d.doubleAdmission, new Set(open.map((o) => o.stationId)).size > 1);
    }),
  );
});

test('VIP: the greatest (time, station id) wins, in any order', () => {
  const vipSet = fc
    .array(
      fc.record({ s: fc.integer({ min: 0, max: 2 }), t: fc.integer({ min: 0, max: 2 }), vip: fc.boolean() }),
      { minLength: 1, maxLength: 8 },
    )
    .map((raw) =>
      raw.map((r, i): VipFact => ({
        id: `vip-${String(i).padStart(5, '0')}`,
        at: TIMES[r.t]!,
        stationId: STATIONS[r.s]!,
        vip: r.vip,
      })),
    );
  fc.assert(
    fc.property(
      vipSet.chain((f) => fc.tuple(fc.constant(f), shuffled(f))),
      ([facts, other]) => {
        const w = deriveVip(other)!;
        assert.deepEqual(w, deriveVip(facts));
        assert.ok(facts.every((f) => f.at < w.at || (f.at === w.at && f.stationId <= w.stationId)));
      },
    ),
  );
});

test("SQLite: three desks' entries arriving at two others in different orders and batches give both the pure rule's state", (t) => {
  const stations = [openStation(t, 'Desk 4', { people: [] }), openStation(t, 'Desk 5', { people: [] })];
  let run = 0;
  fc.assert(
    fc.property(
      factSet.chain((facts) => fc.tuple(fc.constant(facts), shuffled(facts), fc.integer({ min: 1, max: 4 }))),
      ([facts, order, batches]) => {
        // Each run is a new attendee with entries of its own: the log is append-only across runs.
        const attendee = `x${++run}`;
        const id = (a: string) => `r${run}-${a}`;
        const entry = (f: CheckInFact) => ({
          v: 1,
          kind: f.kind,
          actionId: id(f.id),
          attendee,
          ...(f.undoes ? { undoes: id(f.undoes) } : {}),
          at: f.at,
          stationId: f.stationId,
          stationName: f.stationName,
        });
        const rows = [facts, order].map((list, i) => {
          const s = stations[i]!;
          s.put([{ ...roster(1)[0]!, providerAttendeeId: attendee, barcode: attendee }]);
          const size = Math.ceil(list.length / (i === 0 ? 1 : batches));
          for (let b = 0; b < list.length; b += size) {
            const src = new Y.Doc();
            src.transact(() =>
              list.slice(b, b + size).forEach((f) => src.getMap('checkins').set(id(f.id), entry(f))),
            );
            Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(src), 'peer');
          }
          return s.db
            .prepare(
              'SELECT checked_in, at, station, station_id, admission_stations FROM attendee_checkin WHERE attendee_id = ?',
            )
            .get(s.idOf(attendee)) as {
            checked_in: number;
            at: string;
            station: string;
            station_id: string;
            admission_stations: number;
          };
        });
        assert.deepEqual(rows[1], rows[0]);
        const pure = deriveCheckIn(facts);
        const expected = pure.shown ?? pure.latest!;
        assert.deepEqual(rows[0], {
          checked_in: pure.shown ? 1 : 0,
          at: expected.at,
          station: expected.stationName,
          station_id: expected.stationId,
          admission_stations: new Set(pure.admissions.map((a) => a.stationId)).size,
        });
      },
    ),
    { numRuns: 60 },
  );
});

const good = {
  v: 1,
  kind: 'check_in',
  actionId: 'act-0000000001',
  attendee: 'a1',
  at: '2026-11-23T10:42:00.000Z',
  stationId: 'aaaaaaaa-1',
  stationName: 'Desk 1',
};

test('malformed entries are refused with a reason and the station they claim; a good one passes', () => {
  assert.equal(checkEntry('checkins', good.actionId, good).ok, true);
  const refused: [string, unknown, string?][] = [
    ['version 2', { ...good, v: 2 }],
    ['unknown kind', { ...good, kind: 'admit' }],
    ['extra field', { ...good, name: 'Ada Lovelace' }],
    ['no attendee', { ...good, attendee: undefined }],
    ['an undo naming nothing', { ...good, kind: 'undo' }],
    ['a check-in naming an undo target', { ...good, undoes: 'act-0000000002' }],
    ['not a time', { ...good, at: 'yesterday' }],
    ['a time without milliseconds', { ...good, at: '2026-11-23T10:42:00Z' }],
    ['an impossible date', { ...good, at: '2026-13-45T10:42:00.000Z' }],
    ['a station id with spaces', { ...good, stationId: 'desk one!' }],
    ['a station name with a line break', { ...good, stationName: 'Desk\n1' }],
    ['a huge attendee id', { ...good, attendee: 'x'.repeat(MAX_ENTRY_CHARS) }],
    ['stored under another key', good, 'act-0000000009'],
    ['a malformed key', good, 'bad key'],
    ['not an object', 'check_in'],
    ['null', null],
  ];
  for (const [what, value, key] of refused) {
    const r = checkEntry('checkins', key ?? good.actionId, value);
    assert.equal(r.ok, false, what);
  }
  const r = checkEntry('checkins', good.actionId, { ...good, v: 2 });
  assert.ok(!r.ok && r.stationId === 'aaaaaaaa-1' && /v/.test(r.reason));
  assert.equal(
    checkEntry('vip', 'vip-00000001', {
      v: 1,
      attendee: 'a1',
      vip: 'yes',
      at: good.at,
      stationId: good.stationId,
      stationName: 'Desk 1',
    }).ok,
    false,
  );
  assert.equal(
    checkEntry('prints', 'p-00000001', {
      v: 1,
      attendee: 'a1',
      kind: 'third',
      at: good.at,
      stationId: good.stationId,
      stationName: 'Desk 1',
    }).ok,
    false,
  );
});

test("a peer's malformed entries are counted per station, shown, never written, and never stop the good ones", (t) => {
  const d = openStation(t, 'Desk 2');
  const changed: unknown[] = [];
  d.events.on('venueChanged', (p) => changed.push(p));
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(d.doc));
  peer.transact(() => {
    const m = peer.getMap('checkins');
    m.set('act-0000000001', good);
    m.set('act-0000000002', { ...good, actionId: 'act-0000000002', v: 7 });
    m.set('act-0000000003', { ...good, actionId: 'act-0000000003', kind: 'undo' });
    m.set('act-0000000004', {
      ...good,
      actionId: 'act-0000000004',
      stationId: 'bbbbbbbb-2',
      attendee: 'a2',
      at: 'soon',
    });
    m.set('act-0000000005', new Y.Map());
    peer.getMap('vip').set('vip-00000001', {
      v: 1,
      attendee: 'a1',
      vip: true,
      at: good.at,
      stationId: 'bbbbbbbb-2',
      stationName: 'Desk 3',
      email: 'x@y.z',
    });
  });
  Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(d.doc)), 'peer');
  assert.equal(d.desk.log(d.eventId, 10).length, 1, 'only the good entry is in the log');
  assert.equal(d.store.getAttendee(d.idOf('a1'))!.vip, false);
  const counts = Object.fromEntries(d.replica.refused().map((r) => [r.stationId ?? 'unknown', r.count]));
  assert.deepEqual(counts, { 'aaaaaaaa-1': 2, 'bbbbbbbb-2': 2, unknown: 1 });
  assert.ok(changed.length > 0, 'the admin view is told');
  // An entry changed after it was written is refused; the first stays.
  peer.getMap('checkins').set('act-0000000001', { ...good, at: '2026-11-23T11:00:00.000Z' });
  Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(d.doc)), 'peer');
  assert.equal(d.desk.log(d.eventId, 10)[0]!.at, good.at);
  assert.equal(d.replica.refused().find((r) => r.stationId === 'aaaaaaaa-1')!.count, 3);
});

test('an entry a peer deletes from the document goes back from SQLite', async (t) => {
  const d = openStation(t, 'Desk 1');
  d.venueDesk.checkIn(d.actor, { eventId: d.eventId, actionId: 'act-0000000100', code: 'BC-1' });
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(d.doc));
  peer.getMap('checkins').delete('act-0000000100');
  Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(d.doc)), 'peer');
  await new Promise<void>((resolve) => queueMicrotask(resolve));
  assert.equal(d.doc.getMap('checkins').has('act-0000000100'), true);
  assert.ok(d.store.getAttendee(d.idOf('a1'))!.checkedIn);
});
