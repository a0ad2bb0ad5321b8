// One poller per event with station processes (tests/venue/helpers/station-child.ts) and SIGKILL: three desks,
// each with its own account for one simulated Eventbrite event, live sync on (a 4 s interval, in
// real time). The poller is killed right after a poll, the next one just before its poll; the
// first comes back, and is frozen (SIGSTOP) and thawed. At the simulator: never a gap of more than two intervals, never more than two
// passes within one interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startSimulator } from '../../main/simulator/index.ts';
import { pollKey } from '../../shared/venue-poller.ts';
import { Station, eventually } from './helpers/station-process.ts';

const INTERVAL = 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'the poller is SIGKILLed, or frozen: another desk takes over within two intervals, with no burst; it comes back and polls again',
  { timeout: 180_000 },
  async (t) => {
    const sim = await startSimulator();
    const stations: Station[] = [];
    t.after(async () => {
      await Promise.all(stations.map((s) => s.stop().catch(() => undefined)));
      await sim.close();
      for (const s of stations) rmSync(s.dataDir, { recursive: true, force: true });
    });
    const owner = sim.eventbrite.addAccount({ email: 'doors@example.com', name: 'Doors' });
    const providerEventId = sim.eventbrite.addEvent(owner.token, { name: 'Kill Days' });
    sim.eventbrite.seedAttendees(providerEventId, 30);
    const key = pollKey('eventbrite', providerEventId);
    // Heartbeats of 2 s: a frozen desk's socket times out only after 7 s, beyond two intervals.
    const args = [
      '--eventbrite-url',
      sim.eventbrite.baseUrl,
      '--poll-ms',
      String(INTERVAL),
      '--seed',
      '3',
      '--heartbeat-ms',
      '2000',
    ];
    for (let i = 0; i < 3; i++)
      stations.push(await Station.start({ name: 'Desk 1', host: '127.0.0.1', extraArgs: args }));
    // Each imports with its own account, then joins (joined first, it would be given the venue's event).
    for (const [i, s] of stations.entries()) {
      const token =
        i === 0
          ? owner.token
          : sim.eventbrite.addAccount({ email: `desk${i}@example.com`, name: `Desk ${i + 1}` }).token;
      if (i > 0) sim.eventbrite.shareEvent(providerEventId, token);
      await s.call('importEvent', { token, providerEventId });
    }
    await stations[0]!.call('startVenue', { name: 'Kill hall' });
    const { code } = await stations[0]!.call<{ code: string }>('code');
    for (const s of stations.slice(1)) await s.call('join', { code, address: stations[0]!.address });

    // Live passes only: the imports are done.
    const polls: number[] = [];
    sim.eventbrite.on('request', (r) => {
      if (
        r.path.endsWith('/attendees/') &&
        r.query.changed_since !== undefined &&
        r.query.continuation === undefined
      )
        polls.push(Date.now());
    });
    const nextPoll = () => new Promise<void>((resolve) => sim.eventbrite.once('request', () => resolve()));
    const agreed = async (alive: Station[]) => {
      const lowest = alive.map((s) => s.stationId).sort()[0]!;
      await eventually(
        () => Promise.all(alive.map((s) => s.call<string | null>('poller', { key }))),
        (ids) => ids.every((id) => id === lowest),
        'the desks agree on the poller',
        15_000,
      );
      return alive.find((s) => s.stationId === lowest)!;
    };

    let pausedAt = 0;
    const first = await agreed(stations);
    await sleep(2 * INTERVAL);
    await nextPoll();
    await first.kill(); // right after its poll: the worst case for a burst
    const rest = stations.filter((s) => s !== first);
    const second = await agreed(rest);
    await sleep(2 * INTERVAL);
    await nextPoll();
    await sleep(INTERVAL - 500);
    await second.kill(); // just before its next poll: the worst case for the gap
    await agreed(rest.filter((s) => s !== second));
    await sleep(2 * INTERVAL);
    // Back after the kill: it joins again (its secret and peers are on disk) and is the poller again.
    await first.launch();
    await agreed(stations.filter((s) => s !== second));
    await sleep(2 * INTERVAL);
    // Frozen right after a poll (SIGSTOP: its sockets stay open for 3.5 heartbeats, it renews
    // nothing): the other desk stops counting it after two silent heartbeats and takes over.
    await nextPoll();
    first.pause();
    pausedAt = Date.now();
    await sleep(3 * INTERVAL);
    first.resume();
    await agreed(stations.filter((s) => s !== second));
    await sleep(2 * INTERVAL);

    const afterPause = polls.find((p) => p > pausedAt + 50);
    assert.ok(
      afterPause !== undefined && afterPause - pausedAt <= 2 * INTERVAL,
      `a frozen poller was replaced ${afterPause! - pausedAt} ms after its last poll`,
    );
    assert.ok(polls.length >= 8, `live sync polled (${polls.length} passes)`);
    t.diagnostic(
      `gaps between passes (ms): ${polls
        .slice(1)
        .map((p, i) => p - polls[i]!)
        .join(' ')}`,
    );
    for (let i = 1; i < polls.length; i++) {
      assert.ok(
        polls[i]! - polls[i - 1]! <= 2 * INTERVAL,
        `a gap of ${polls[i]! - polls[i - 1]!} ms between passes ${i} and ${i + 1}`,
      );
    }
    for (const at of polls) {
      const within = polls.filter((p) => p >= at && p < at + INTERVAL).length;
      assert.ok(within <= 2, `${within} passes within one interval from pass at +${at - polls[0]!} ms`);
    }
    // Polled once an interval, as one desk would: never two desks at once in the healed venue.
    const span = polls[polls.length - 1]! - polls[0]!;
    assert.ok(polls.length <= span / INTERVAL + 4, `${polls.length} passes in ${span} ms`);
  },
);
