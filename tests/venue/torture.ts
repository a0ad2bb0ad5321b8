// npm run venue-torture -- --rounds N --seed S [--stations 3] [--ops 30]
// Seeded random rounds over real station processes (network namespaces when available, else
// loopback without partitions): check-ins, undos and VIP changes at random desks, partitions,
// SIGKILLs with restarts under a skewed clock (up to ±5 minutes), and the venue's relay (its own
// process and namespace on the same bridge, partitioned like a desk) killed with SIGKILL and
// started again. After each round the network heals and the invariants are checked: every
// acknowledged check-in is on every desk exactly once, the derived state is equal everywhere,
// nothing is stuck (converged within 30 s), and the relay's SQLite holds every acknowledged
// check-in (it lost nothing to its kills).
import { parseArgs } from 'node:util';
import { rmSync } from 'node:fs';
import { DeterministicRandom } from '../../main/simulator/people.ts';
import { Station, state, sameState, eventually, type StationState } from '../helpers/venue-stations.ts';
import { makeVenueNetwork } from '../helpers/netns.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelayProcess } from '../helpers/relay-process.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' }, stations: { type: 'string', default: '3' }, ops: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
const seed = Number(values.seed);
const count = Math.max(2, Number(values.stations));
const opsPerRound = Number(values.ops);
const random = new DeterministicRandom(seed);
const pick = <T>(list: readonly T[]): T => list[random.next() % list.length]!;
const PEOPLE = 20;

// One host more than the desks: the relay's.
const net = makeVenueNetwork(count + 1);
console.log(net ? `network namespaces: ${net.hosts.map((h) => h.host).join(', ')}` : 'network namespaces unavailable: loopback ports, no partitions');
const hostOf = (i: number) => (net ? { host: net.hosts[i]!.host, netns: net.hosts[i]!.netns } : { host: '127.0.0.1', netns: null });
const stations: Station[] = [];
const relayDir = mkdtempSync(join(tmpdir(), 'venue-torture-relay-'));
const relay = new RelayProcess({ dataDir: relayDir, host: net ? '0.0.0.0' : '127.0.0.1', port: net ? 4444 : 0, netns: net?.hosts[count]!.netns ?? null });
let violations = 0;
const violation = (round: number, what: string) => {
  violations += 1;
  console.log(`round ${round}: VIOLATION ${what}`);
};

try {
  for (let i = 0; i < count; i++) stations.push(await Station.start({ name: 'Desk 1', ...hostOf(i) }));
  await stations[0]!.call('startVenue', { name: 'Torture hall' });
  const { code } = await stations[0]!.call<{ code: string }>('code');
  for (const s of stations.slice(1)) await s.call('join', { code, address: stations[0]!.address });
  const venueId = (await stations[0]!.call<{ venue: { id: string } }>('status')).venue.id;
  await relay.start(code);
  // Given to one desk; the directory takes it to the others.
  await stations[0]!.call('addDesk', { address: `${net ? net.hosts[count]!.host : '127.0.0.1'}:${relay.port}` });

  const acknowledged = new Set<string>();
  let seq = 0;
  for (let round = 1; round <= rounds; round++) {
    const started = Date.now();
    let kills = 0;
    let partitions = 0;
    let relayFaults = 0;
    for (let op = 0; op < opsPerRound; op++) {
      const r = random.fraction();
      const at = pick(stations);
      const pid = `a${random.next() % PEOPLE}`;
      if (r < 0.55) {
        const actionId = `act-t${seed}-${String(++seq).padStart(7, '0')}`;
        const answer = await at.call<{ kind: string }>('checkIn', { pid, actionId }).catch(() => null);
        if (answer?.kind === 'checked_in') acknowledged.add(actionId);
      } else if (r < 0.7) {
        await at.call('undo', { pid, actionId: `act-u${seed}-${String(++seq).padStart(7, '0')}` }).catch(() => null);
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
        // SIGKILL, and back with another clock skew.
        await at.kill();
        const skew = Math.round((random.fraction() * 2 - 1) * 5 * 60_000);
        at.options.extraArgs = [`--clock-offset-ms=${skew}`];
        await at.launch();
        kills += 1;
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
        (all) => all.every((s) => sameState(s, all[0]!)) && [...acknowledged].every((id) => all[0]!.actions.includes(id)),
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
    console.log(`round ${round}: ${acknowledged.size} acknowledged check-ins so far (${stored.length} check-in log entries in the relay's SQLite), ${partitions} partitions, ${kills} kills, ${relayFaults} relay kills/restarts, ${Date.now() - started} ms`);
  }
} finally {
  await Promise.all(stations.map((s) => s.stop().catch(() => undefined)));
  await relay.stop().catch(() => undefined);
  net?.close();
  rmSync(relayDir, { recursive: true, force: true });
  for (const s of stations) rmSync(s.dataDir, { recursive: true, force: true });
}
console.log(`invariant violations: ${violations}`);
process.exit(violations === 0 ? 0 : 1);
