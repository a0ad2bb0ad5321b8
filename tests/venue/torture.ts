// npm run venue-torture -- --rounds N --seed S [--stations 3] [--ops 30] [--provider] [--profile venue-wifi]
// Seeded random rounds over real station processes (network namespaces when available, else
// loopback without partitions): check-ins, undos and VIP changes at random desks, partitions,
// SIGKILLs with restarts under a skewed clock (up to ±5 minutes), and the venue's relay (its own
// process and namespace on the same bridge, partitioned like a desk) killed with SIGKILL and
// started again. After each round the network heals and the invariants are checked: every
// acknowledged check-in is on every desk exactly once, the derived state is equal everywhere,
// nothing is stuck (converged within 30 s), and the relay's SQLite holds every acknowledged
// check-in (it lost nothing to its kills).
// --provider: a simulated Eventbrite on loopback (so no namespaces, no partitions), each desk
// with its own account for one event and live sync on; half the kills take the elected poller.
// Invariants too: the live polls at the simulator never leave a gap of more than two intervals,
// and once the round is over one desk polls (one pass an interval).
// --profile venue-wifi|bad-wifi|drop-30s: every link (desks and relay) crosses the tests' lossy
// proxy with that profile (helpers/network-profiles.ts); with drop-30s a round may also drop the
// whole venue's link for the profile's outage (BADGE_DESK_VENUE_DROP_MS shortens it).
import { parseArgs } from 'node:util';
import { rmSync } from 'node:fs';
import { DeterministicRandom } from '../../main/simulator/people.ts';
import { Station, state, sameState, eventually, type StationState } from './helpers/station-process.ts';
import { makeDeskNetwork } from './helpers/netns.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelayProcess } from './helpers/relay-process.ts';
import { startSimulator } from '../../main/simulator/index.ts';
import { pollKey } from '../../shared/venue-poller.ts';
import { ProxyProcess } from './helpers/proxy-process.ts';
import { profileNamed, withOutage } from './helpers/network-profiles.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    stations: { type: 'string', default: '3' },
    ops: { type: 'string', default: '30' },
    provider: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const seed = Number(values.seed);
const count = Math.max(2, Number(values.stations));
const opsPerRound = Number(values.ops);
const random = new DeterministicRandom(seed);
const pick = <T>(list: readonly T[]): T => list[random.next() % list.length]!;
const PEOPLE = 20;

// The poller torture: a provider every desk reaches over loopback.
const POLL_MS = 2_000;
const sim = values.provider ? await startSimulator() : null;
const providerEvent = sim
  ? sim.eventbrite.addEvent(sim.eventbrite.addAccount({ email: 'owner@example.com', name: 'Owner' }).token, {
      name: 'Torture days',
    })
  : null;
const providerArgs = sim ? ['--eventbrite-url', sim.eventbrite.baseUrl, '--poll-ms', String(POLL_MS)] : [];
/** The live polls (incremental first pages) at the simulator, by arrival time. */
const polls: number[] = [];
sim?.eventbrite.on('request', (r) => {
  if (
    r.path.endsWith('/attendees/') &&
    r.query.changed_since !== undefined &&
    r.query.continuation === undefined
  )
    polls.push(Date.now());
});
// One host more than the desks: the relay's.
const baseProfile = values.profile ? profileNamed(values.profile) : null;
const profile =
  baseProfile?.outage && process.env.BADGE_DESK_VENUE_DROP_MS
    ? withOutage(baseProfile, Number(process.env.BADGE_DESK_VENUE_DROP_MS))
    : baseProfile;
const net = sim ? null : makeDeskNetwork(count + 1, undefined, { proxied: profile !== null });
const proxy = profile ? await ProxyProcess.start({ profile, seed, netns: net?.bridgeNetns ?? null }) : null;
console.log(
  (net
    ? `network namespaces: ${net.hosts.map((h) => h.host).join(', ')}`
    : 'network namespaces unavailable: loopback ports, no partitions') +
    (profile ? `; every link through the lossy proxy, profile "${profile.name}"` : ''),
);
// Behind the proxy, a host is advertised at the proxy's address for it (the same port).
const proxyHostOf = (i: number) => (net ? net.hosts[i]!.proxyHost! : '127.0.0.2');
const hostOf = (i: number) => ({
  ...(net ? { host: net.hosts[i]!.host, netns: net.hosts[i]!.netns } : { host: '127.0.0.1', netns: null }),
  ...(proxy ? { advertise: proxyHostOf(i) } : {}),
});
/** Routes a (re)started station through the proxy, once per port. */
const routed = new Set<string>();
async function route(host: string, advertised: string, port: number): Promise<void> {
  if (!proxy || routed.has(`${advertised}:${port}`)) return;
  routed.add(`${advertised}:${port}`);
  await proxy.route({ host: advertised, port }, { host, port });
}
const routeStation = (s: Station) => route(s.options.host, s.options.advertise!, s.port);
const stations: Station[] = [];
const relayDir = mkdtempSync(join(tmpdir(), 'venue-torture-relay-'));
const relay = new RelayProcess({
  dataDir: relayDir,
  host: net ? '0.0.0.0' : '127.0.0.1',
  port: net ? 4444 : 0,
  netns: net?.hosts[count]!.netns ?? null,
});
let violations = 0;
const violation = (round: number, what: string) => {
  violations += 1;
  console.log(`round ${round}: VIOLATION ${what}`);
};

try {
  for (let i = 0; i < count; i++) {
    stations.push(await Station.start({ name: 'Desk 1', ...hostOf(i), extraArgs: providerArgs }));
    await routeStation(stations.at(-1)!);
  }
  if (sim && providerEvent) {
    sim.eventbrite.seedAttendees(providerEvent, 30);
    // Each desk imports with its own account before the venue exists (joined, it would be given the venue's event).
    for (const s of stations) {
      const token = sim.eventbrite.addAccount({
        email: `${s.stationId}@example.com`,
        name: s.stationId,
      }).token;
      sim.eventbrite.shareEvent(providerEvent, token);
      await s.call('importEvent', { token, providerEventId: providerEvent });
    }
  }
  await stations[0]!.call('startVenue', { name: 'Torture hall' });
  const { code } = await stations[0]!.call<{ code: string }>('code');
  for (const s of stations.slice(1)) await s.call('join', { code, address: stations[0]!.address });
  const venueId = (await stations[0]!.call<{ venue: { id: string } }>('status')).venue.id;
  await relay.start(code);
  const relayHost = net ? net.hosts[count]!.host : '127.0.0.1';
  await route(relayHost, proxyHostOf(count), relay.port);
  // Given to one desk; the directory takes it to the others.
  await stations[0]!.call('addDesk', {
    address: `${proxy ? proxyHostOf(count) : relayHost}:${relay.port}`,
  });

  const acknowledged = new Set<string>();
  let seq = 0;
  for (let round = 1; round <= rounds; round++) {
    const started = Date.now();
    let kills = 0;
    let pollerKills = 0;
    const pollsBefore = polls.length;
    let partitions = 0;
    let relayFaults = 0;
    let drops = 0;
    for (let op = 0; op < opsPerRound; op++) {
      const r = random.fraction();
      const at = pick(stations);
      const pid = `a${random.next() % PEOPLE}`;
      if (r < 0.55) {
        const actionId = `act-t${seed}-${String(++seq).padStart(7, '0')}`;
        const answer = await at.call<{ kind: string }>('checkIn', { pid, actionId }).catch(() => null);
        if (answer?.kind === 'checked_in') acknowledged.add(actionId);
      } else if (r < 0.7) {
        await at
          .call('undo', { pid, actionId: `act-u${seed}-${String(++seq).padStart(7, '0')}` })
          .catch(() => null);
      } else if (r < 0.8) {
        await at.call('setVip', { pid, vip: random.fraction() < 0.5 }).catch(() => null);
      } else if (r < 0.9 && net) {
        net.heal();
        // The relay's host (index `count`) is cut off like a desk's.
        const apart = [...stations.map((_, i) => i), count].filter(() => random.fraction() < 0.4);
        if (apart.length > 0 && apart.length < stations.length + 1) {
          net.partition(apart);
          partitions += 1;
        }
      } else if (r < 0.925) {
        // The relay killed mid-day, or started again (no code: its key is in its data folder).
        if (relay.running) await relay.kill();
        else await relay.start();
        relayFaults += 1;
      } else if (r < 0.95) {
        // SIGKILL, and back with another clock skew; with a provider, half the time the poller.
        const poller = sim && random.fraction() < 0.5 ? await electedPoller() : null;
        const victim = poller ?? at;
        await victim.kill();
        const skew = Math.round((random.fraction() * 2 - 1) * 5 * 60_000);
        victim.options.extraArgs = [...providerArgs, `--clock-offset-ms=${skew}`];
        await victim.launch();
        await routeStation(victim);
        kills += 1;
        if (poller) pollerKills += 1;
      } else if (r < 0.96 && proxy && profile?.outage) {
        // The venue's Wi-Fi drops and comes back, with check-ins on both sides of it.
        await proxy.startOutage(profile.outage.mode);
        const until = Date.now() + profile.outage.durationMs;
        for (const s of stations) {
          const actionId = `act-t${seed}-${String(++seq).padStart(7, '0')}`;
          const answer = await s.call<{ kind: string }>('checkIn', { pid, actionId }).catch(() => null);
          if (answer?.kind === 'checked_in') acknowledged.add(actionId);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())));
        await proxy.endOutage();
        drops += 1;
      } else {
        await new Promise((r) => setTimeout(r, random.next() % 300));
      }
    }
    net?.heal();
    if (!relay.running) await relay.start();
    let states: StationState[] = [];
    try {
      states = await eventually(
        () => Promise.all(stations.map(state)),
        (all) =>
          all.every((s) => sameState(s, all[0]!)) &&
          [...acknowledged].every((id) => all[0]!.actions.includes(id)),
        `round ${round} converged`,
        30_000,
      );
    } catch (err) {
      violation(round, `stuck: ${(err as Error).message.slice(0, 300)}`);
      states = await Promise.all(stations.map(state));
    }
    for (const [i, s] of states.entries()) {
      for (const id of acknowledged) {
        const n = s.actions.filter((a) => a === id).length;
        if (n !== 1) violation(round, `desk ${i + 1} holds ${id} ${n} times`);
      }
      if (!sameState(s, states[0]!)) violation(round, `desk ${i + 1}'s derived state differs from desk 1's`);
    }
    const stored = await eventually(
      async () => relay.storedCheckIns(`venue:${venueId}:eventbrite:Conf`),
      (ids) => [...acknowledged].every((id) => ids.includes(id)),
      `round ${round}: the relay stored every acknowledged check-in`,
      30_000,
    ).catch((err: Error) => {
      violation(round, `relay: ${err.message.slice(0, 200)}`);
      return [];
    });
    if (sim) await checkPolls(round, pollsBefore);
    console.log(
      `round ${round}: ${acknowledged.size} acknowledged check-ins so far (${stored.length} check-in log entries in the relay's SQLite), ${partitions} partitions, ${kills} kills${sim ? ` (${pollerKills} of the poller)` : ''}, ${relayFaults} relay kills/restarts${proxy ? `, ${drops} drops` : ''}, ${Date.now() - started} ms`,
    );
  }
} finally {
  await Promise.all(stations.map((s) => s.stop().catch(() => undefined)));
  await relay.stop().catch(() => undefined);
  await proxy?.stop().catch(() => undefined);
  await sim?.close();
  net?.close();
  rmSync(relayDir, { recursive: true, force: true });
  for (const s of stations) rmSync(s.dataDir, { recursive: true, force: true });
}
/** The station every desk elects to poll the provider's event (asked of the first that answers). */
async function electedPoller(): Promise<Station | null> {
  const id = await stations[0]!
    .call<string | null>('poller', { key: pollKey('eventbrite', providerEvent!) })
    .catch(() => null);
  return stations.find((s) => s.stationId === id) ?? null;
}

/** This round's polls left no gap over two intervals; after it, one desk polls (three intervals watched). */
async function checkPolls(round: number, from: number): Promise<void> {
  const mark = polls.length;
  const startedAt = Date.now();
  await new Promise((r) => setTimeout(r, 3 * POLL_MS));
  const round_ = polls.slice(Math.max(0, from - 1));
  for (let i = 1; i < round_.length; i++) {
    if (round_[i]! - round_[i - 1]! > 2 * POLL_MS)
      violation(round, `no live poll for ${round_[i]! - round_[i - 1]!} ms (interval ${POLL_MS} ms)`);
  }
  const after = polls.slice(mark).filter((t) => t >= startedAt).length;
  if (after === 0 || after > 4)
    violation(
      round,
      `${after} live polls in the ${3 * POLL_MS} ms after the round (one desk polls: about 3)`,
    );
}

console.log(`invariant violations: ${violations}`);
process.exit(violations === 0 ? 0 : 1);
