// Property: any order of the same set of entries, exits, undos, check-outs and list definitions
// gives the same inside count on every desk, per list and for the venue; the count is never above
// the number of people; and it is the pure rule's (shared/presence.ts) for that set. Each desk is a
// real database with a venue replica, fed the entries as another desk's, in its own random order
// and batches (lists may come after the entries that name them: those wait).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openStation, type VenueStation } from '../venue/helpers/replica-stations.ts';
import { derivePresence, insideOverTime, type PassageFact } from '../../shared/presence.ts';
import { VENUE_SCHEMA_VERSION } from '../../shared/venue.ts';
import { MAIN_LIST_ID } from '../../shared/lists.ts';

const RUNS =
  Number(process.env.BADGE_DESK_FUZZ_RUNS ?? 0) > 0
    ? Math.min(Number(process.env.BADGE_DESK_FUZZ_RUNS), 200)
    : 25;
const SEED = Number(process.env.BADGE_DESK_FUZZ_SEED ?? 20261126);
const PEOPLE = 5;
const LISTS = [MAIN_LIST_ID, 'list-workshop-a', 'list-workshop-b'];
const STATIONS = ['station-0001', 'station-0002', 'station-0003'];
const START = Date.parse('2026-11-23T09:00:00.000Z');

interface Op {
  person: number;
  list: number;
  kind: 'check_in' | 'exit' | 'undo';
  target: number;
  station: number;
  second: number;
}

const opArb = fc.record({
  person: fc.integer({ min: 0, max: PEOPLE - 1 }),
  list: fc.integer({ min: 0, max: LISTS.length - 1 }),
  kind: fc.constantFrom<Op['kind']>('check_in', 'check_in', 'exit', 'exit', 'undo'),
  target: fc.nat(),
  station: fc.integer({ min: 0, max: STATIONS.length - 1 }),
  // Few distinct seconds: many ties, which the station id and the entry id must settle.
  second: fc.integer({ min: 0, max: 40 }),
});
const checkOutArb = fc.record({
  list: fc.integer({ min: 0, max: LISTS.length - 1 }),
  second: fc.integer({ min: 0, max: 40 }),
});

interface Built {
  entries: { map: 'checkins' | 'lists' | 'checkOuts'; key: string; value: object }[];
  facts: (PassageFact & { person: number; list: string })[];
  checkOuts: { id: string; at: string; stationId: string; list: string }[];
}

function build(ops: Op[], checkOuts: { list: number; second: number }[]): Built {
  const at = (s: number) => new Date(START + s * 1000).toISOString();
  const entries: Built['entries'] = [];
  const facts: Built['facts'] = [];
  LISTS.slice(1).forEach((list, i) =>
    entries.push({
      map: 'lists',
      key: `def-${list}`,
      value: {
        v: VENUE_SCHEMA_VERSION,
        list,
        name: `Workshop ${i}`,
        tickets: null,
        window: null,
        rule: i === 0 ? 'once' : 'every_time',
        minGapMinutes: null,
        checkOutAt: null,
        removed: false,
        at: at(0),
        stationId: STATIONS[0]!,
        stationName: 'Desk 1',
      },
    }),
  );
  ops.forEach((op, i) => {
    const id = `op-${String(i).padStart(6, '0')}`;
    const earlier = facts.filter((f) => f.kind !== 'undo');
    if (op.kind === 'undo' && earlier.length === 0) return;
    const target = op.kind === 'undo' ? earlier[op.target % earlier.length]! : null;
    // An undo is the same person's, in the same list, as the passage it takes back.
    const person = target ? target.person : op.person;
    const list = target ? target.list : LISTS[op.list]!;
    const fact = {
      id,
      kind: op.kind,
      undoes: target?.id ?? null,
      at: at(op.second),
      stationId: STATIONS[op.station]!,
      stationName: `Desk ${op.station + 1}`,
      person,
      list,
    };
    facts.push(fact);
    entries.push({
      map: 'checkins',
      key: id,
      value: {
        v: VENUE_SCHEMA_VERSION,
        kind: op.kind,
        actionId: id,
        attendee: `a${person}`,
        ...(target ? { undoes: target.id } : {}),
        at: fact.at,
        stationId: fact.stationId,
        stationName: fact.stationName,
        ...(list !== MAIN_LIST_ID ? { list } : {}),
      },
    });
  });
  const outs = checkOuts.map((c, i) => ({
    id: `out-${String(i).padStart(6, '0')}`,
    at: at(c.second),
    stationId: STATIONS[0]!,
    list: LISTS[c.list]!,
  }));
  for (const c of outs)
    entries.push({
      map: 'checkOuts',
      key: c.id,
      value: {
        v: VENUE_SCHEMA_VERSION,
        list: c.list,
        scheduled: false,
        at: c.at,
        stationId: c.stationId,
        stationName: 'Desk 1',
      },
    });
  return { entries, facts, checkOuts: outs };
}

/** The pure rule over the whole set: inside per list, and people inside any list. */
function expected(b: Built): { lists: Record<string, number>; venue: number } {
  const lists: Record<string, number> = Object.fromEntries(LISTS.map((l) => [l, 0]));
  const people = new Set<number>();
  for (const list of LISTS)
    for (let p = 0; p < PEOPLE; p++) {
      const facts = b.facts.filter((f) => f.person === p && f.list === list);
      const presence = derivePresence(
        facts,
        b.checkOuts.filter((c) => c.list === list),
      );
      if (presence.inside) {
        lists[list]!++;
        people.add(p);
      }
    }
  return { lists, venue: people.size };
}

function observed(s: VenueStation): { lists: Record<string, number>; venue: number } {
  const presence = s.deskStore.venue.presence;
  return {
    lists: Object.fromEntries(LISTS.map((l) => [l, presence.insideCount(s.eventId, l)])),
    venue: presence.venueInsideCount(s.eventId),
  };
}

test('any order of the same entries and exits: the same inside count on every desk, never above the people', (t) => {
  const stations = ['Desk A', 'Desk B', 'Desk C'];
  let cases = 0;
  fc.assert(
    fc.property(
      fc.array(opArb, { minLength: 1, maxLength: 40 }),
      fc.array(checkOutArb, { maxLength: 2 }),
      fc.array(
        fc.tuple(fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), fc.integer({ min: 1, max: 12 })),
        {
          minLength: stations.length,
          maxLength: stations.length,
        },
      ),
      (ops, outs, orders) => {
        cases++;
        const b = build(ops, outs);
        const want = expected(b);
        assert.ok(want.venue <= PEOPLE);
        const timeline = insideOverTime(
          b.facts
            .map((f) => ({ ...f }))
            .sort((x, y) =>
              x.at < y.at
                ? -1
                : x.at > y.at
                  ? 1
                  : x.stationId < y.stationId
                    ? -1
                    : x.stationId > y.stationId
                      ? 1
                      : x.id < y.id
                        ? -1
                        : 1,
            ),
          [...b.checkOuts].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : 1)),
          [START + 3_600_000],
        );
        assert.equal(timeline[0], want.venue, 'the chart’s fold ends where the per-person rule does');
        stations.forEach((name, i) => {
          const [keys, batch] = orders[i]!;
          const s = openStation(t, name, { people: [...Array(PEOPLE).keys()].map((p) => personOf(p)) });
          // The desk's own random order, in batches: each batch one remote transaction.
          const shuffled = b.entries
            .map((e, j) => ({ e, k: keys[j % keys.length]! * 1000 + j }))
            .sort((x, y) => x.k - y.k)
            .map((x) => x.e);
          for (let j = 0; j < shuffled.length; j += batch)
            s.doc.transact(() => {
              for (const e of shuffled.slice(j, j + batch)) s.doc.getMap(e.map).set(e.key, e.value);
            }, 'peer');
          assert.deepEqual(observed(s), want, `${name} agrees with the pure rule`);
          // The kept counts are the ones every person's state gives.
          const recount = s.deskStore.venue.presence.recount(s.eventId);
          assert.equal(recount.venue, want.venue);
          for (const l of LISTS) assert.equal(recount.lists.get(l) ?? 0, want.lists[l]);
          assert.deepEqual(
            s.db
              .prepare('SELECT list_id, ticket, attending, n FROM list_admitted WHERE n > 0 ORDER BY 1, 2, 3')
              .all(),
            s.db
              .prepare(
                `SELECT list_id, coalesce(ticket_name, '') AS ticket, attending, count(*) AS n FROM list_presence
                 WHERE entries > 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
              )
              .all(),
            'the kept admitted counts are every person state’s',
          );
          assert.equal(s.replica.refused().length, 0);
          s.db.close();
        });
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  assert.equal(cases, RUNS);
});

function personOf(p: number) {
  return {
    providerAttendeeId: `a${p}`,
    firstName: 'Guest',
    lastName: String(p),
    fullName: `Guest ${p}`,
    email: null,
    company: null,
    jobTitle: null,
    ticketName: 'General',
    orderId: null,
    barcode: `BC-${p}`,
    status: 'ATTENDING' as const,
    providerStatus: 'Attending',
    providerCheckedIn: false,
    registeredAt: null,
    providerUpdatedAt: null,
  };
}
