// Two relay instances (`npm run relay -- --redis …`) sharing a venue through a redis-server of the
// test's own, in network namespaces: each instance the only way in for its own desks, Redis
// reachable by the instances only. Desks given the pairing code (it carries both instances) join
// through the one they reach and converge with the other side's; Redis killed and started again:
// each instance serves its own desks meanwhile, says so, and the two sides converge once it is
// back; instance A killed with SIGKILL (a way to B opened for its desks): they move to B and
// nothing acknowledged is lost. Where namespaces cannot be made, the same steps run on loopback
// (desks then could reach both instances; each is given its own by the address it joins through).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Station, converged, eventually, state, type StationState } from './helpers/station-process.ts';
import { makeClusterNetwork } from './helpers/netns.ts';
import { RelayProcess } from './helpers/relay-process.ts';
import { RedisProcess, freePort, redisServerAvailable } from './helpers/redis-process.ts';
import { readPairingCode } from '../../main/venue/net/membership/pairing-code.ts';
import type { VenueNodeHealth } from '../../main/venue/net/node.ts';

let seq = 0;
const act = (tag: string) => `act-${tag}-${String(++seq).padStart(6, '0')}`;
const checkedIn = (s: StationState, pid: string) => s.people.find((p) => p.pid === pid)?.checkedIn !== null;
/** The addresses a desk's links are up to. */
const linksUp = async (s: Station) =>
  (await s.call<VenueNodeHealth>('health')).links.filter((l) => l.connected).map((l) => l.address);

test(
  'a relay cluster: desks on either instance converge; Redis restarted, the instances go on; instance A killed, its desks move to B with nothing lost',
  {
    timeout: 300_000,
    skip: redisServerAvailable() ? false : 'redis-server is not installed (.ci/run installs it)',
  },
  async (t) => {
    const net = makeClusterNetwork(2);
    t.diagnostic(
      net
        ? `namespaces: redis ${net.redis.netns}, instances ${net.relays.map((r) => `${r.netns}=${r.host}`).join(', ')}, desks ${net.desks
            .flat()
            .map((d) => d.host)
            .join(', ')}`
        : 'network namespaces are not available here: the cluster runs on loopback, and desks are not kept apart',
    );
    const redisPort = net ? 6379 : await freePort();
    const redis = new RedisProcess({
      host: net ? '0.0.0.0' : '127.0.0.1',
      port: redisPort,
      netns: net?.redis.netns ?? null,
    });
    const relayPorts = net ? [4444, 4444] : [await freePort(), await freePort()];
    const relayHost = (i: number) => (net ? net.relays[i]!.host : '127.0.0.1');
    const relayAddress = (i: number) => `${relayHost(i)}:${relayPorts[i]}`;
    const dirs: string[] = [];
    const relays = [0, 1].map((i) => {
      const dataDir = mkdtempSync(join(tmpdir(), `venue-cluster-${i}-`));
      dirs.push(dataDir);
      return new RelayProcess({
        dataDir,
        host: net ? '0.0.0.0' : '127.0.0.1',
        port: relayPorts[i]!,
        netns: net?.relays[i]!.netns ?? null,
        redis: `redis://${net ? net.relays[i]!.redisHost : '127.0.0.1'}:${redisPort}`,
        advertise: [relayAddress(i)],
      });
    });
    const [relayA, relayB] = relays as [RelayProcess, RelayProcess];
    const desks: Station[][] = [[], []];
    try {
      await redis.start();
      // Two desks a side; on loopback they advertise an address that leads nowhere (127.0.0.2),
      // so they too reach each other only through the relays.
      for (const side of [0, 1])
        for (let i = 0; i < 2; i++)
          desks[side]!.push(
            await Station.start({
              name: 'Desk 1',
              ...(net
                ? { host: net.desks[side]![i]!.host, netns: net.desks[side]![i]!.netns }
                : { host: '127.0.0.1', netns: null, advertise: '127.0.0.2' }),
            }),
          );
      const all = desks.flat();
      const [a0, a1] = desks[0] as [Station, Station];
      const [b0, b1] = desks[1] as [Station, Station];

      await t.test(
        'the pairing code carries both instances; each desk joins through the one it reaches',
        async () => {
          await a0.call('startVenue', { name: 'Two buildings' });
          const { code } = await a0.call<{ code: string }>('code');
          await relayA.start(code);
          await relayB.start(code);
          await a0.call('addDesk', { address: relayAddress(0) });
          // Instance B wrote itself into the directory; through Redis, A's desks learn of it.
          const withBoth = await eventually(
            async () => (await a0.call<{ code: string }>('code')).code,
            (c) => readPairingCode(c).relays.length === 2,
            "Desk 1's code carries both instances",
            20_000,
          );
          assert.deepEqual(
            [...readPairingCode(withBoth).relays].sort(),
            [relayAddress(0), relayAddress(1)].sort(),
          );
          assert.match(withBoth, /^BD3-/);
          // In namespaces the code alone: each desk reaches one instance. On loopback, its side's address.
          for (const [side, desk] of [
            [0, a1],
            [1, b0],
            [1, b1],
          ] as const)
            await desk.call(
              'join',
              { code: withBoth, ...(net ? {} : { address: relayAddress(side) }) },
              30_000,
            );
          // One instance at a time: a link to its own, none (not even a retrying one) to the other.
          const relayAddresses = [relayAddress(0), relayAddress(1)];
          for (const [side, list] of desks.entries())
            for (const desk of list)
              await eventually(
                async () => (await desk.call<VenueNodeHealth>('health')).links,
                (links) => {
                  const toRelays = links.filter((l) => relayAddresses.includes(l.address));
                  return (
                    toRelays.length === 1 &&
                    toRelays[0]!.address === relayAddress(side) &&
                    toRelays[0]!.connected
                  );
                },
                `${desk.address} linked to its own instance only`,
                20_000,
              );
        },
      );

      await t.test('check-ins on either side converge through Redis', async () => {
        await Promise.all(all.map((desk, i) => desk.call('checkIn', { pid: `a${i}`, actionId: act('c') })));
        await b1.call('setVip', { pid: 'a0', vip: true });
        await converged(
          all,
          'both sides converged',
          (s) =>
            [0, 1, 2, 3].every((i) => checkedIn(s, `a${i}`)) && s.people.find((p) => p.pid === 'a0')!.vip,
        );
      });

      await t.test(
        'Redis killed: each instance serves its own side and says so; back, the sides converge',
        async () => {
          await redis.kill();
          for (const relay of relays)
            await eventually(
              async () => relay.output,
              (out) => /Redis at \S+ is gone: this instance serves its own desks/.test(out),
              'the instance says Redis is gone',
            );
          await a0.call('checkIn', { pid: 'a10', actionId: act('r') });
          await b0.call('checkIn', { pid: 'a11', actionId: act('r') });
          // Each side on its own: a1 has a10, b1 has a11.
          await converged([a0, a1], 'side A without Redis', (s) => checkedIn(s, 'a10'));
          await converged([b0, b1], 'side B without Redis', (s) => checkedIn(s, 'a11'));
          assert.equal(checkedIn(await state(b1), 'a10'), false, 'a check-in crossed without Redis');
          await redis.start();
          await converged(
            all,
            'both sides after Redis came back',
            (s) => checkedIn(s, 'a10') && checkedIn(s, 'a11'),
          );
          for (const relay of relays) assert.match(relay.output, /Redis at \S+ connected/);
        },
      );

      await t.test(
        'instance A killed: its desks move to B, and every acknowledged check-in reaches everyone',
        async () => {
          net?.bridgeSides();
          const acknowledged: string[] = [];
          for (const [i, desk] of desks[0]!.entries()) {
            const id = act('k');
            await desk.call('checkIn', { pid: `a${12 + i}`, actionId: id });
            acknowledged.push(id);
          }
          await relayA.kill();
          for (const desk of desks[0]!)
            await eventually(
              () => linksUp(desk),
              (up) => up.includes(relayAddress(1)),
              `${desk.address} moved to instance B`,
              30_000,
            );
          // Made while A is gone: they go through B.
          const after = act('k');
          await a1.call('checkIn', { pid: 'a14', actionId: after });
          acknowledged.push(after);
          const end = await converged(all, 'everyone after the move', (s) =>
            acknowledged.every((id) => s.actions.includes(id)),
          );
          for (const id of acknowledged) assert.equal(end.actions.filter((a) => a === id).length, 1);
          // B's own SQLite holds them (it stores its copy; Redis only carried the messages).
          const venueId = (await a0.call<{ venue: { id: string } }>('status')).venue.id;
          await eventually(
            async () => relayB.storedCheckIns(`venue:${venueId}:eventbrite:Conf`),
            (ids) => acknowledged.every((id) => ids.includes(id)),
            "instance B's SQLite holds every acknowledged check-in",
            20_000,
          );
        },
      );
    } finally {
      await Promise.all(desks.flat().map((d) => d.dispose().catch(() => undefined)));
      for (const relay of relays) await relay.stop().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      net?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  },
);
