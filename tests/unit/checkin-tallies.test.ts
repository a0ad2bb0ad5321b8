// The event page's check-in statistics and the event's counts are read off counts kept with each row
// (migration 014), not from the whole event: they must equal a count of every row after whatever
// changed them (check-ins, undos, a sync's changes and new people, another desk's entries, a
// check-out, a walk-in linked and unlinked), and each change must be in the very next read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/db/open.ts';
import { MIGRATIONS } from '../../main/db/migrations/index.ts';
import { MirrorStore } from '../../main/db/store.ts';
import { DeskStore } from '../../main/db/desk-store.ts';
import { ListStatsStore } from '../../main/db/list-stats-store.ts';
import type { Db } from '../../main/db/open.ts';
import { openDoorDb, type DoorDb } from '../helpers/door-db.ts';
import { openDeskDb, person } from '../helpers/desk-db.ts';
import { act, openListsDb } from '../helpers/lists-db.ts';
import type { Actor } from '../../shared/types.ts';
import type { ProviderAttendee } from '../../main/providers/types.ts';

const desk1: Actor = { role: 'operator', name: 'Desk 1' };
const admin: Actor = { role: 'admin', name: 'Desk 1' };
const OTHER_DESK = 'station-other-desk';

/** The figures the tallies replace, read from every row as before them: the test's oracle. */
function recount(db: Db, deskStore: DeskStore, eventId: number) {
  return {
    stats: deskStore.recountStats(eventId),
    byDesk: db
      .prepare(
        `SELECT s.station AS stationName, coalesce(c.n, 0) AS checkedIn
           FROM (SELECT DISTINCT station FROM checkins WHERE event_id = ? AND action = 'check_in') s
           LEFT JOIN (SELECT station, count(*) AS n FROM attendee_checkin WHERE event_id = ? AND checked_in = 1 GROUP BY station) c
             ON c.station = s.station
           ORDER BY checkedIn DESC, stationName`,
      )
      .all(eventId, eventId),
    elsewhere:
      db
        .prepare(
          `SELECT 1 FROM checkins WHERE event_id = ? AND station_id <> ? AND action = 'check_in' LIMIT 1`,
        )
        .get(eventId, deskStore.venue.stationId) !== undefined,
    byStatus: db
      .prepare(
        'SELECT status, count(*) AS n FROM attendees WHERE event_id = ? GROUP BY status ORDER BY status',
      )
      .all(eventId),
    checkedInAttending: (
      db
        .prepare(
          `SELECT count(*) AS n FROM attendee_checkin c JOIN attendees a ON a.id = c.attendee_id
           WHERE c.event_id = ? AND c.checked_in = 1 AND a.status = 'ATTENDING'`,
        )
        .get(eventId) as { n: number }
    ).n,
    expected: db
      .prepare(
        `SELECT ticket_name AS ticketName, count(*) AS n FROM attendees WHERE event_id = ? AND status = 'ATTENDING'
         GROUP BY ticket_name ORDER BY ticket_name`,
      )
      .all(eventId),
  };
}

/** The same figures as the app reads them now, from the kept counts. */
function kept(d: Pick<DoorDb, 'db' | 'store' | 'deskStore'>, eventId: number) {
  const counts = d.store.attendeeCounts(eventId);
  const linked = (
    d.db
      .prepare('SELECT count(*) AS n FROM attendee_door WHERE event_id = ? AND linked_to IS NOT NULL')
      .get(eventId) as { n: number }
  ).n;
  return {
    stats: d.deskStore.stats(eventId),
    byDesk: d.deskStore.venue.checkedInByDesk(eventId),
    elsewhere: d.deskStore.venue.checkInsElsewhere(eventId),
    byStatus: (
      [
        ['ATTENDING', counts.attending],
        ['NOT_ATTENDING', counts.notAttending + linked],
        ['NOT_YET_ATTENDING', counts.notYetAttending],
      ] as const
    )
      .filter(([, n]) => n > 0)
      .map(([status, n]) => ({ status, n })),
    checkedInAttending: counts.checkedIn,
    // In SQLite's order: no ticket type first, then by the name's bytes.
    expected: new ListStatsStore(d.db)
      .attendingByTicket(eventId)
      .sort((a, b) =>
        a.ticketName === null ? -1 : b.ticketName === null ? 1 : a.ticketName < b.ticketName ? -1 : 1,
      ),
  };
}

const same = (d: DoorDb, eventId: number, step: string) =>
  assert.deepEqual(kept(d, eventId), recount(d.db, d.deskStore, eventId), `after ${step}`);

test('the kept counts equal a count of every row after check-ins, undos, syncs, other desks’ entries, check-outs and links', (t) => {
  const d = openDoorDb(t);
  const other = d.addEvent('Other');
  const tickets = ['General', 'VIP', '', null, 'Speaker'];
  // mulberry32, seeded: the same run every time.
  let seed = 26;
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 2 ** 32) * n);
  };
  const rows = new Map<string, ProviderAttendee>();
  const put = (people: ProviderAttendee[]) => {
    for (const p of people) rows.set(p.providerAttendeeId, p);
    return d.put(people);
  };
  const ids = put(
    Array.from({ length: 40 }, (_, i) =>
      person({
        providerAttendeeId: `t${i}`,
        fullName: `Tally Person ${i}`,
        ticketName: tickets[i % tickets.length]!,
        status: i % 9 === 8 ? 'NOT_YET_ATTENDING' : 'ATTENDING',
      }),
    ),
  );
  // Another event's people and check-ins must never count here.
  d.store.upsertAttendees(other, [person({ providerAttendeeId: 'x1', fullName: 'Elsewhere' })], null, 'now');
  d.doorDesk.checkIn(desk1, {
    eventId: other,
    actionId: act('x'),
    attendeeId: d.store.findAttendeeByProviderId(other, 'x1')!.id,
  });
  same(d, d.eventId, 'the first people');

  const remote: string[] = [];
  const done = new Map<string, number>();
  for (let step = 0; step < 240; step++) {
    d.clock.advance(random(9) * 60_000 + 1_000);
    const id = ids[random(ids.length)]!;
    const pid = d.store.getAttendee(id)!.providerAttendeeId;
    const kind = random(8);
    let what: string;
    if (kind <= 2) {
      what = `a check-in of ${pid}`;
      d.doorDesk.checkIn(desk1, { eventId: d.eventId, actionId: act('c'), attendeeId: id });
    } else if (kind === 3) {
      what = `an undo of ${pid}`;
      d.doorDesk.undo(desk1, { eventId: d.eventId, attendeeId: id, actionId: act('u') });
    } else if (kind === 4) {
      // A sync: a new ticket type, or a cancellation (a checked-in person stays checked in).
      const was = rows.get(pid)!;
      const changed =
        random(2) === 0
          ? { ...was, ticketName: tickets[random(tickets.length)]! }
          : {
              ...was,
              status: was.status === 'ATTENDING' ? ('NOT_ATTENDING' as const) : ('ATTENDING' as const),
            };
      what = `a sync changing ${pid}`;
      put([changed]);
    } else if (kind === 5) {
      // Another desk's entry reaches this one: an admission here, or the undo of one made here.
      const mine = d.deskStore.openCheckIns(id);
      const actionId = act('r');
      what = `another desk's entry for ${pid}`;
      d.deskStore.venue.transaction(() =>
        d.deskStore.venue.appendCheckIn({
          actionId,
          eventId: d.eventId,
          attendeeId: id,
          action: mine.length > 0 && random(2) === 0 ? 'undo' : 'check_in',
          station: random(2) === 0 ? 'Side Door' : 'Desk 1',
          stationId: OTHER_DESK,
          undoes: mine.length > 0 ? mine[0]!.actionId : null,
          at: new Date(d.clock.now() - random(3) * 60_000).toISOString(),
        }),
      );
      remote.push(actionId);
    } else if (kind === 6) {
      what = 'new people from a sync';
      ids.push(
        ...put([
          person({
            providerAttendeeId: `n${step}`,
            fullName: `New Person ${step}`,
            ticketName: tickets[random(tickets.length)]!,
          }),
        ]),
      );
    } else {
      // A walk-in registered and checked in, then linked to someone (or a link taken back).
      const linked = d.db
        .prepare(
          'SELECT provider_attendee_id AS p FROM attendee_door WHERE event_id = ? AND linked_to IS NOT NULL',
        )
        .all(d.eventId) as { p: string }[];
      if (linked.length > 0 && random(2) === 0) {
        const walkIn = d.store.findAttendeeByProviderId(d.eventId, linked[0]!.p)!;
        what = 'a link taken back';
        d.door.link(admin, { walkInId: walkIn.id, attendeeId: null, actionId: act('l') });
      } else {
        what = 'a walk-in linked';
        const w = d.door.registerWalkIn(desk1, {
          eventId: d.eventId,
          actionId: act('w'),
          firstName: 'Walk',
          lastName: `In ${step}`,
          ticketName: 'Walk-in',
        }).attendee;
        const attending = ids.filter((i) => d.store.getAttendee(i)!.status === 'ATTENDING');
        const target = attending[random(attending.length)]!;
        d.door.link(admin, { walkInId: w.id, attendeeId: target, actionId: act('l') });
      }
    }
    same(d, d.eventId, `step ${step}: ${what}`);
    const kindOf = what.replace(/ (of|for|changing) .*/, '');
    done.set(kindOf, (done.get(kindOf) ?? 0) + 1);
  }
  // Everyone checked out of the main list: the arrivals stay (a check-out keeps the arrival).
  d.deskStore.venue.transaction(() =>
    d.deskStore.venue.applyCheckOut({
      actionId: act('out'),
      eventId: d.eventId,
      listId: 'main',
      at: new Date(d.clock.now()).toISOString(),
      stationId: OTHER_DESK,
      station: 'Side Door',
      scheduled: false,
    }),
  );
  same(d, d.eventId, 'a check-out of everyone');
  const figures = kept(d, d.eventId);
  // The run must have exercised what it claims to: people in, cancelled after check-in, two desks' names.
  assert.ok(figures.stats.checkedIn > 5, `checked in: ${figures.stats.checkedIn}`);
  assert.ok(figures.stats.cancelledAfterCheckIn > 0, 'someone was cancelled after their check-in');
  assert.ok(figures.byDesk.length >= 2 && figures.elsewhere, 'another desk admitted people');
  assert.ok(remote.length > 10);
  for (const kind of [
    'a check-in',
    'an undo',
    'a sync',
    "another desk's entry",
    'new people from a sync',
    'a walk-in linked',
    'a link taken back',
  ])
    assert.ok((done.get(kind) ?? 0) >= 5, `${kind}: ${done.get(kind) ?? 0} times`);
  same(d, other, 'all of it, for the other event');
  assert.equal(kept(d, other).stats.checkedIn, 1);
});

test('each change is in the very next statistics read: no time passes, nothing answers the old figures', (t) => {
  const d = openListsDb(t);
  const [ada, bob] = d.people([
    person({ fullName: 'Ada Lovelace', ticketName: 'VIP', barcode: 'S-1' }),
    person({ fullName: 'Bob Stale', ticketName: 'General', barcode: 'S-2' }),
  ]);
  const workshop = d.addList({ name: 'Workshop' });
  const read = () => {
    const s = d.desk.stats(d.eventId);
    const l = d.stats.stats(d.eventId).lists.find((x) => x.id === workshop)!;
    return {
      checkedIn: s.checkedIn,
      vip: s.byTicket.find((x) => x.ticketName === 'VIP')?.checkedIn,
      arrivals: s.arrivals.reduce((n, a) => n + a.count, 0),
      cancelled: s.cancelledAfterCheckIn,
      desks: d.deskStore.venue
        .checkedInByDesk(d.eventId)
        .map((x) => `${x.stationName}:${x.checkedIn}`)
        .join(' '),
      workshop: `${l.entries}/${l.exits}`,
    };
  };
  const before = read();
  assert.deepEqual(before, { checkedIn: 0, vip: 0, arrivals: 0, cancelled: 0, desks: '', workshop: '0/0' });
  const checkIn = d.desk.checkIn(desk1, { eventId: d.eventId, actionId: act(), code: 'S-1' });
  assert.equal(checkIn.kind, 'checked_in');
  assert.deepEqual(read(), { ...before, checkedIn: 1, vip: 1, arrivals: 1, desks: 'Desk 1:1' });
  d.desk.undo(desk1, { eventId: d.eventId, attendeeId: ada!, actionId: act() });
  assert.deepEqual(read(), { ...before, desks: 'Desk 1:0' });
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: act(), code: 'S-2' });
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: act(), code: 'S-1', listId: workshop });
  assert.deepEqual(read(), { ...before, checkedIn: 1, arrivals: 1, desks: 'Desk 1:1', workshop: '1/0' });
  d.desk.exit(desk1, { eventId: d.eventId, actionId: act(), code: 'S-1', listId: workshop });
  assert.equal(read().workshop, '1/1');
  // A sync cancels Bob, who is in: the next read says so.
  d.people([
    person({
      fullName: 'Bob Stale',
      ticketName: 'General',
      barcode: 'S-2',
      status: 'NOT_ATTENDING',
      providerAttendeeId: d.store.getAttendee(bob!)!.providerAttendeeId,
    }),
  ]);
  assert.deepEqual(read(), { ...before, cancelled: 1, arrivals: 1, desks: 'Desk 1:1', workshop: '1/1' });
  // Another desk admits Ada: in the next read, by that desk.
  d.deskStore.venue.transaction(() =>
    d.deskStore.venue.appendCheckIn({
      actionId: act('r'),
      eventId: d.eventId,
      attendeeId: ada!,
      action: 'check_in',
      station: 'Side Door',
      stationId: OTHER_DESK,
      undoes: null,
      at: new Date(d.clock.now()).toISOString(),
    }),
  );
  assert.deepEqual(read(), {
    ...before,
    checkedIn: 1,
    vip: 1,
    cancelled: 1,
    arrivals: 2,
    desks: 'Desk 1:1 Side Door:1',
    workshop: '1/1',
  });
});

test('a database made before the kept counts gets them on migrating, equal to a count of every row', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bd-tallies-'));
  const path = join(dir, 'badge-desk.sqlite');
  // Version 13: today's stores write there (the tables they write all exist), with no tallies kept.
  const v13 = openDatabase(path, MIGRATIONS.slice(0, 13));
  const store = new MirrorStore(v13);
  const deskStore = new DeskStore(v13);
  const integration = store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  // The event the desk's test database opens (tests/helpers/desk-db.ts).
  const eventId = store.insertEvent(
    integration,
    { providerEventId: 'Conf', name: 'Conf', startsAt: null, endsAt: null, timezone: null, url: null },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  store.upsertAttendees(
    eventId,
    Array.from({ length: 12 }, (_, i) =>
      person({
        providerAttendeeId: `m${i}`,
        fullName: `Migrated ${i}`,
        ticketName: i % 3 ? 'General' : null,
      }),
    ),
    null,
    '2026-11-23T08:00:00Z',
  );
  const attendees = v13.prepare('SELECT id FROM attendees ORDER BY id').all() as { id: number }[];
  deskStore.venue.transaction(() =>
    attendees.slice(0, 7).forEach((a, i) =>
      deskStore.venue.appendCheckIn({
        actionId: `m-${i}`,
        eventId,
        attendeeId: a.id,
        action: 'check_in',
        station: i % 2 ? 'Desk 1' : 'Desk 2',
        stationId: i % 2 ? deskStore.venue.stationId : OTHER_DESK,
        undoes: null,
        at: `2026-11-23T09:${String(i * 7).padStart(2, '0')}:00.000Z`,
      }),
    ),
  );
  assert.equal(
    (
      v13.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'attendee_tally'").get() as {
        n: number;
      }
    ).n,
    0,
  );
  v13.close();

  const d = openDeskDb(t, dir);
  assert.equal(d.eventId, eventId);
  const figures = kept(d, eventId);
  assert.equal(figures.stats.checkedIn, 7);
  assert.equal(figures.byDesk.length, 2);
  assert.deepEqual(figures, recount(d.db, d.deskStore, eventId));
});

test('an attendee row deleted takes its counts with it (the cascade of its check-in state included)', (t) => {
  const d = openDeskDb(t);
  const [a, b] = d.put([
    person({ fullName: 'Kept Person' }),
    person({ fullName: 'Deleted Person', ticketName: 'VIP' }),
  ]);
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: act(), attendeeId: a! });
  d.desk.checkIn(desk1, { eventId: d.eventId, actionId: act(), attendeeId: b! });
  // No app path deletes an attendee; the counts hold for a row deleted by hand all the same.
  d.db.pragma('foreign_keys = OFF');
  d.db.exec(`DROP TRIGGER checkins_append_only_delete; DELETE FROM checkins WHERE attendee_id = ${b!};`);
  d.db.pragma('foreign_keys = ON');
  d.db.prepare('DELETE FROM list_presence WHERE attendee_id = ?').run(b!);
  d.db.prepare('DELETE FROM attendees WHERE id = ?').run(b!);
  assert.deepEqual(kept(d, d.eventId), recount(d.db, d.deskStore, d.eventId));
  assert.equal(d.store.attendeeCounts(d.eventId).checkedIn, 1);
});
