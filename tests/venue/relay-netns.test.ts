// The relay between network namespaces: three desks (real station processes) each on a link of
// its own to the relay's namespace, which does not route between the links (client isolation).
// They pair through the relay, see each other online and converge through it; the relay is
// killed with SIGKILL and restarted with nothing lost (its SQLite alone serves a desk that was
// off); with the relay down, desks that can reach each other go on converging directly. Where
// namespaces cannot be made, the same steps run on loopback without the isolation (said so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Station, eventually, converged } from './helpers/station-process.ts';
import { makeRelayNetwork } from './helpers/netns.ts';
import { RelayProcess } from './helpers/relay-process.ts';

let seq = 0;
const act = (tag: string) => `act-${tag}-${String(++seq).padStart(6, '0')}`;

interface Status {
  venue: { id: string; epoch: number } | null;
  desks: { name: string; online: boolean }[];
  relays: { stationId: string; address: string | null; online: boolean }[];
}

/** Whether a TCP connection from this namespace to host:port opens within a second. */
function reaches(netns: string, address: string): boolean {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    address.slice(address.lastIndexOf(':') + 1),
  ];
  const script = `const s=require('net').connect(${Number(port)},${JSON.stringify(host)},()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(2),1000);`;
  return (
    spawnSync('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { timeout: 5_000 }).status === 0
  );
}

test(
  'desks kept apart converge through the relay; it survives SIGKILL with nothing lost; without it, desks that reach each other converge directly',
  { timeout: 180_000 },
  async (t) => {
    const net = makeRelayNetwork(3);
    if (!net)
      t.diagnostic(
        'network namespaces are not available here: the relay runs on loopback, and the desks are not kept apart',
      );
    else
      t.diagnostic(
        `namespaces: relay ${net.relay.netns}=${net.relay.host}, desks ${net.desks.map((d) => `${d.netns}=${d.host}`).join(', ')}`,
      );
    const deskHost = (i: number) =>
      net ? { host: net.desks[i]!.host, netns: net.desks[i]!.netns } : { host: '127.0.0.1', netns: null };
    const relayDir = mkdtempSync(join(tmpdir(), 'venue-relay-'));
    // In its own namespace the relay has every port to itself; on loopback it takes a free one and keeps it.
    const relay = new RelayProcess({
      dataDir: relayDir,
      host: net ? '0.0.0.0' : '127.0.0.1',
      port: net ? 4444 : 0,
      netns: net?.relay.netns ?? null,
    });
    const stations: Station[] = [];
    try {
      const [one, two, three] = (await Promise.all(
        [0, 1, 2].map((i) => Station.start({ name: 'Desk 1', ...deskHost(i) })),
      )) as [Station, Station, Station];
      stations.push(one, two, three);
      const desks = [one, two, three];
      const venueId = (await one.call<Status>('startVenue', { name: 'Hall A' })).venue!.id;
      const document = `venue:${venueId}:eventbrite:Conf`;
      // The code in the environment, kept out of the command line (and a shell's history).
      await relay.start((await one.call<{ code: string }>('code')).code, 'environment');
      const relayAddress = `${net ? net.relay.host : '127.0.0.1'}:${relay.port}`;

      await t.test(
        'the relay, given to one desk by address, is in the code; the others join through it alone',
        async () => {
          await one.call('addDesk', { address: relayAddress });
          await eventually(
            () => one.call<Status>('status'),
            (s) => s.relays.some((r) => r.online && r.address === relayAddress),
            'Desk 1 knows the relay',
          );
          const { code } = await one.call<{ code: string }>('code');
          assert.match(code, /^BD2-/);
          assert.equal(
            (await two.call<Status & { thisDesk: { name: string } }>('join', { code })).thisDesk.name,
            'Desk 2',
          );
          assert.equal(
            (await three.call<Status & { thisDesk: { name: string } }>('join', { code })).thisDesk.name,
            'Desk 3',
          );
          if (net) {
            for (const [i, s] of desks.entries()) {
              assert.ok(reaches(net.desks[i]!.netns, relayAddress), `${s.options.name} reaches the relay`);
              for (const other of desks.filter((o) => o !== s))
                assert.equal(
                  reaches(net.desks[i]!.netns, other.address),
                  false,
                  `desk ${i + 1} reaches ${other.address}`,
                );
            }
          }
          for (const s of desks) {
            const status = await eventually(
              () => s.call<Status>('status'),
              (v) => v.desks.filter((d) => d.online).length === 3,
              'three desks online through the relay',
            );
            assert.equal(status.desks.length, 3, 'the relay is listed apart from the desks');
            assert.deepEqual(
              status.relays.map((r) => r.stationId),
              [relay.stationId],
            );
          }
        },
      );

      await t.test('check-ins converge through the relay', async () => {
        await one.call('checkIn', { pid: 'a1', actionId: act('r') });
        await three.call('checkIn', { pid: 'a2', actionId: act('r') });
        await converged(desks, 'a1 and a2 everywhere', (s) =>
          ['a1', 'a2'].every((p) => s.people.find((x) => x.pid === p)!.checkedIn !== null),
        );
      });

      await t.test(
        'SIGKILL mid-day: what the relay stored serves a desk that was off while the others are off too',
        async () => {
          await three.stop();
          const ids = [act('k'), act('k')];
          await one.call('checkIn', { pid: 'a3', actionId: ids[0] });
          await two.call('checkIn', { pid: 'a4', actionId: ids[1] });
          await eventually(
            async () => relay.storedCheckIns(document),
            (stored) => ids.every((id) => stored.includes(id)),
            'the relay stored a3 and a4',
            15_000,
          );
          await relay.kill();
          await Promise.all([one.stop(), two.stop()]);
          // No code: the key is in its data folder.
          await relay.start();
          await three.launch();
          await eventually(
            () => three.call<{ actions: string[] }>('state'),
            (s) => ids.every((id) => s.actions.includes(id)),
            'Desk 3 got a3 and a4 from the relay alone',
            15_000,
          );
          await Promise.all([one.launch(), two.launch()]);
          await converged(desks, 'everyone back');
        },
      );

      await t.test(
        'the relay down: desks that reach each other converge directly, and the relay catches up on its restart',
        async (st) => {
          if (!net) {
            st.skip('on loopback the desks always reach each other: nothing to show');
            return;
          }
          await relay.kill();
          net.setForwarding(true);
          const down = act('d');
          await two.call('checkIn', { pid: 'a5', actionId: down });
          await converged(desks, 'a5 everywhere with the relay down', (s) => s.actions.includes(down));
          net.setForwarding(false);
          await relay.start();
          const after = act('d');
          await three.call('checkIn', { pid: 'a6', actionId: after });
          await converged(
            desks,
            'a6 everywhere through the restarted relay',
            (s) => s.actions.includes(after) && s.actions.includes(down),
          );
          await eventually(
            async () => relay.storedCheckIns(document),
            (stored) => stored.includes(down),
            'the relay caught up on a5',
            15_000,
          );
        },
      );

      assert.equal(await relay.stop(), 0, 'SIGTERM ends the relay cleanly');
    } finally {
      await relay.kill();
      await Promise.all(stations.map((s) => s.stop().catch(() => undefined)));
      net?.close();
      for (const s of stations) rmSync(s.dataDir, { recursive: true, force: true });
      rmSync(relayDir, { recursive: true, force: true });
    }
  },
);
