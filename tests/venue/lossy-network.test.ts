// The venue suite through a lossy network: three station processes behind the tests' own proxy
// (helpers/lossy-venue.ts), in network namespaces where they can be made. Under each profile
// ("venue Wi-Fi", "bad Wi-Fi") check-ins, undos, VIP flags and prints converge; through a drop
// (the "drop 30 s" profile, its outage shortened here: BADGE_DESK_VENUE_DROP_MS, default 4 s;
// the bench drops for the full 30) the double admissions and prints made meanwhile are listed on
// every desk; and connections cut half-way through their handshakes, reset or gone silent, leave
// no half-open session and no stuck link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, converged, type Station, type StationState } from './helpers/station-process.ts';
import { startLossyVenue, type LossyVenue } from './helpers/lossy-venue.ts';
import { BAD_WIFI, DROP_30S, VENUE_WIFI, withOutage } from './helpers/network-profiles.ts';
import type { VenueNodeHealth } from '../../main/venue/net/node.ts';

let seq = 0;
const act = (tag: string) => `act-${tag}-${String(++seq).padStart(6, '0')}`;
const DROP_MS = Number(process.env.BADGE_DESK_VENUE_DROP_MS ?? 4_000);
const person = (s: StationState, pid: string) => s.people.find((p) => p.pid === pid)!;

interface Status {
  desks: { name: string; online: boolean }[];
}
const onlineCount = async (s: Station) =>
  (await s.call<Status>('status')).desks.filter((d) => d.online).length;

/** Every link up and every document synced; the server holds one session per other desk and no handshake, and each document has each other desk once. */
function healthy(h: VenueNodeHealth, others: string[]): boolean {
  const linksOk =
    h.links.length === others.length &&
    h.links.every((l) => l.connected && l.documents.every((d) => d.authenticated && d.synced));
  const serverOk = h.server.connections === h.server.sessions && h.server.sessions === others.length;
  const documentsOk = h.documents.every(
    (d) => JSON.stringify(d.stationIds) === JSON.stringify([...others].sort()),
  );
  return linksOk && serverOk && documentsOk;
}

test(
  'the venue through a lossy network: converging on venue and bad Wi-Fi, double admissions through a drop, handshakes cut half-way',
  { timeout: 300_000 },
  async (t) => {
    const venue: LossyVenue = await startLossyVenue({
      count: 3,
      profile: VENUE_WIFI,
      seed: 29,
      extraArgs: ['--seed', '40'],
    });
    t.diagnostic(venue.where);
    const desks = venue.stations;
    const [one, two, three] = desks as [Station, Station, Station];
    try {
      await t.test('pairing through the proxy', async () => {
        await one.call('startVenue', { name: 'Hall W' });
        const { code } = await one.call<{ code: string }>('code');
        await two.call('join', { code, address: one.address });
        await three.call('join', { code, address: two.address });
        for (const s of desks)
          await eventually(
            () => onlineCount(s),
            (n) => n === 3,
            `${s.options.name} sees three desks online`,
            20_000,
          );
      });

      let pid = 0;
      for (const profile of [VENUE_WIFI, BAD_WIFI]) {
        await t.test(`${profile.name}: check-ins, undos, VIP and prints converge`, async () => {
          await venue.proxy.setProfile(profile);
          const base = pid;
          pid += 6;
          const p = (i: number) => `a${base + i}`;
          await Promise.all([
            one.call('checkIn', { pid: p(0), actionId: act('w') }),
            two.call('checkIn', { pid: p(1), actionId: act('w') }),
            three.call('checkIn', { pid: p(2), actionId: act('w') }),
            three.call('setVip', { pid: p(3), vip: true }),
          ]);
          // An undo at Desk 2 of Desk 1's check-in, once Desk 2 has it; the VIP cleared at Desk 1.
          await eventually(
            () => two.call<StationState>('state'),
            (s) => person(s, p(0)).checkedIn !== null && person(s, p(3)).vip,
            `${profile.name}: Desk 2 has Desk 1's check-in and Desk 3's VIP`,
          );
          assert.equal(await two.call('undo', { pid: p(0), actionId: act('u') }), 'undone');
          await eventually(
            () => one.call<StationState>('state'),
            (s) => person(s, p(3)).vip,
            `${profile.name}: Desk 1 has the VIP`,
          );
          await one.call('setVip', { pid: p(3), vip: false });
          assert.equal(await three.call('print', { pid: p(4) }), 'printed');
          const end = await converged(
            desks,
            `${profile.name}: undo, VIP and check-ins everywhere`,
            (s) =>
              person(s, p(0)).checkedIn === null &&
              person(s, p(1)).checkedIn?.station === 'Desk 2' &&
              person(s, p(2)).checkedIn?.station === 'Desk 3' &&
              !person(s, p(3)).vip,
            30_000,
          );
          assert.equal(end.conflicts.admissions.length, 0);
          for (const s of [one, two]) {
            const prompt = await eventually(
              () => s.call<string | null>('priorPrint', { pid: p(4) }),
              (v) => v !== null,
              `${profile.name}: ${s.options.name} knows of Desk 3's print`,
            );
            assert.match(prompt!, /^Badge printed at Desk 3 at \d\d:\d\d — reprint\?$/);
          }
        });
      }

      const drop = withOutage(DROP_30S, DROP_MS);
      await t.test(
        `${DROP_30S.name} (${drop.outage!.durationMs / 1000} s here): double admissions and prints made during the drop are listed on every desk`,
        async () => {
          await venue.proxy.setProfile(drop);
          const dropStarted = Date.now();
          await venue.proxy.startOutage(drop.outage!.mode);
          try {
            await one.call('checkIn', { pid: 'a20', actionId: act('d') });
            await three.call('checkIn', { pid: 'a20', actionId: act('d') });
            await two.call('checkIn', { pid: 'a21', actionId: act('d') });
            await three.call('checkIn', { pid: 'a21', actionId: act('d') });
            assert.equal(await one.call('print', { pid: 'a22' }), 'printed');
            assert.equal(await two.call('print', { pid: 'a22' }), 'printed');
            // The desks notice the drop (presence goes silent)...
            for (const s of desks)
              await eventually(
                () => onlineCount(s),
                (n) => n === 1,
                `${s.options.name} sees itself alone`,
                20_000,
              );
            // ...and the link stays down for the profile's outage.
            const left = drop.outage!.durationMs - (Date.now() - dropStarted);
            if (left > 0) await new Promise((r) => setTimeout(r, left));
          } finally {
            await venue.proxy.endOutage();
          }
          const healed = await converged(
            desks,
            'healed after the drop',
            (s) =>
              ['Guest 20', 'Guest 21'].every((n) => s.conflicts.admissions.some((c) => c.name === n)) &&
              s.conflicts.prints.some((c) => c.name === 'Guest 22'),
            60_000,
          );
          const stampsOf = (name: string) =>
            healed.conflicts.admissions
              .find((c) => c.name === name)!
              .stamps.map((x) => x.stationName)
              .sort();
          assert.deepEqual(stampsOf('Guest 20'), ['Desk 1', 'Desk 3']);
          assert.deepEqual(stampsOf('Guest 21'), ['Desk 2', 'Desk 3']);
          assert.deepEqual(
            healed.conflicts.prints
              .find((c) => c.name === 'Guest 22')!
              .stamps.map((x) => x.stationName)
              .sort(),
            ['Desk 1', 'Desk 2'],
          );
          t.diagnostic(`proxy after the drop: ${JSON.stringify(await venue.proxy.stats())}`);
        },
      );

      await t.test(
        'a cutting drop (every connection reset, new ones refused) heals the same way',
        async () => {
          await venue.proxy.setProfile(VENUE_WIFI);
          await venue.proxy.startOutage('cut');
          try {
            await two.call('checkIn', { pid: 'a23', actionId: act('c') });
            for (const s of desks)
              await eventually(
                () => onlineCount(s),
                (n) => n === 1,
                `${s.options.name} sees itself alone`,
                20_000,
              );
          } finally {
            await venue.proxy.endOutage();
          }
          await converged(desks, 'healed after the cut', (s) => person(s, 'a23').checkedIn !== null, 60_000);
        },
      );

      await t.test(
        'connections cut half-way through their handshakes (reset, then silent) leave no half-open session and no stuck link',
        async () => {
          for (const style of ['reset', 'silent'] as const) {
            const before = (await venue.proxy.stats()).handshakeCuts;
            // The next connections die a seeded 1..2,500 bytes in: inside TLS's handshake, the
            // websocket upgrade, Hocuspocus's authentication or the first sync.
            const cuts = style === 'reset' ? 12 : 6;
            await venue.proxy.cutNextConnections(cuts, 2_500, style);
            // Every link reconnects at once (a brief cutting drop), into the cuts.
            await venue.proxy.startOutage('cut');
            await venue.proxy.endOutage();
            // Every one of the next connections has its cut point (one that closes before it is not
            // cut), and some were cut.
            const after = await eventually(
              () => venue.proxy.stats(),
              (s) => s.pendingCuts === 0 && s.handshakeCuts > before,
              `the next ${cuts} connections given a cut point, and cut (${style})`,
              30_000,
            );
            t.diagnostic(`${style}: ${after.handshakeCuts - before} connections cut half-way so far`);
          }
          // Half-open sockets are closed by the handshake bound (10 s), silent sessions by the ping timeout.
          const ids = desks.map((s) => s.stationId);
          for (const s of desks) {
            const others = ids.filter((id) => id !== s.stationId);
            await eventually(
              () => s.call<VenueNodeHealth>('health'),
              (h) => healthy(h, others),
              `${s.options.name}: every link synced, no half-open session`,
              40_000,
            );
          }
          await three.call('checkIn', { pid: 'a24', actionId: act('h') });
          await converged(
            desks,
            'a check-in after the cuts',
            (s) => person(s, 'a24').checkedIn !== null,
            30_000,
          );
        },
      );
    } finally {
      await venue.close();
    }
  },
);
