// venue.relay_converge_p95_ms: venue.converge_p95_ms's 10 desks and 1,000 check-ins at
// 10 a second, with every update going through a relay: the desks (whole cores in this process,
// on loopback) advertise an address that leads nowhere (127.0.0.2; they listen on 127.0.0.1), so
// the relay — `npm run relay`, its own process — is the only peer each has. Goal < 1,000.
// venue.relay_cluster_converge_p95_ms (measureVenueRelayCluster, below): the same across two relay
// instances sharing the venue through Redis.
// Alone: tsx tests/bench/venue-relay.ts [--stations 10] [--checkins 1000] [--rate 10] [--cluster]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loopbackVenueCore } from '../venue/helpers/loopback-core.ts';
import { readPairingCode } from '../../main/venue/net/membership/pairing-code.ts';
import { seedVenueEvent } from '../venue/helpers/seed-event.ts';
import { RelayProcess } from '../venue/helpers/relay-process.ts';
import { measureConvergence, type BenchStation } from './venue-net.ts';
import { RedisProcess, freePort } from '../venue/helpers/redis-process.ts';

export interface VenueRelayFigures {
  relay_stations: number;
  relay_checkins: number;
  relay_converge_p50_ms: number;
  relay_converge_p95_ms: number;
  relay_converge_max_ms: number;
  relay_where: string;
}

export async function measureVenueRelay(
  opts: { stations?: number; checkins?: number; perSecond?: number } = {},
): Promise<VenueRelayFigures> {
  const stations = opts.stations ?? 10;
  const checkins = opts.checkins ?? 1_000;
  const perSecond = opts.perSecond ?? 10;
  const dirs: string[] = [];
  const cores: BenchStation[] = [];
  const relayDir = mkdtempSync(join(tmpdir(), 'bench-relay-'));
  // The relay renews its presence as often as a desk of the venue bench does.
  const relay = new RelayProcess({ dataDir: relayDir, host: '127.0.0.1', port: 0, heartbeatMs: 2_000 });
  try {
    for (let i = 0; i < stations; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-venue-relay-'));
      dirs.push(dir);
      const { core, name } = loopbackVenueCore(dir, {
        net: { heartbeatMs: 2_000, advertiseHosts: ['127.0.0.2'] },
      });
      await core.venue.ready;
      const eventId = seedVenueEvent(core, i, checkins);
      cores.push({
        core,
        eventId,
        get name() {
          return name();
        },
      });
    }
    const admin = { role: 'admin' as const, name: 'Desk 1' };
    const first = cores[0]!.core;
    await first.venue.start(admin, 'Bench hall');
    await relay.start((await first.venue.pairingCode(admin)).code);
    await first.venue.addDesk(admin, `127.0.0.1:${relay.port}`);
    // The desk learns from the relay's presence that it is one; then the code carries it.
    const deadline = Date.now() + 20_000;
    let code = (await first.venue.pairingCode(admin)).code;
    while (readPairingCode(code).relay === null) {
      if (Date.now() > deadline) throw new Error("Desk 1 never took the relay into the venue's codes");
      await new Promise((r) => setTimeout(r, 50));
      code = (await first.venue.pairingCode(admin)).code;
    }
    for (const c of cores.slice(1)) await c.core.venue.join(admin, code);
    for (const c of cores) {
      const peers = c.core.venue.network!.node.identifiedPeers().map((p) => p.stationId);
      if (peers.some((id) => id !== relay.stationId))
        throw new Error(
          `a desk reaches another desk directly (${peers.join(', ')}): the figure would not be the relay's`,
        );
    }
    const figures = await measureConvergence(cores, checkins, perSecond);
    return {
      relay_stations: stations,
      relay_checkins: checkins,
      relay_converge_p50_ms: figures.converge_p50_ms,
      relay_converge_p95_ms: figures.converge_p95_ms,
      relay_converge_max_ms: figures.converge_max_ms,
      relay_where: `${stations} cores in one process on loopback, each connected to the relay process only`,
    };
  } finally {
    for (const c of cores) await c.core.close().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    for (const d of [...dirs, relayDir]) rmSync(d, { recursive: true, force: true });
  }
}

export interface VenueRelayClusterFigures {
  relay_cluster_stations: number;
  relay_cluster_checkins: number;
  relay_cluster_converge_p50_ms: number;
  relay_cluster_converge_p95_ms: number;
  relay_cluster_converge_max_ms: number;
  relay_cluster_where: string;
}

/**
 * venue.relay_cluster_converge_p95_ms: the same 10 desks and check-ins, split across two relay
 * instances (`npm run relay -- --redis …`, each its own process) that share the venue through a
 * redis-server of the bench's own: half the desks use instance A, half instance B, and no desk
 * reaches another directly, so every check-in that crosses sides goes desk → A → Redis → B → desk.
 * Goal < 1,000.
 */
export async function measureVenueRelayCluster(
  opts: { stations?: number; checkins?: number; perSecond?: number } = {},
): Promise<VenueRelayClusterFigures> {
  const stations = opts.stations ?? 10;
  const checkins = opts.checkins ?? 1_000;
  const perSecond = opts.perSecond ?? 10;
  const dirs: string[] = [];
  const cores: BenchStation[] = [];
  const redis = new RedisProcess({ host: '127.0.0.1', port: await freePort() });
  const ports = [await freePort(), await freePort()];
  const relays = ports.map((port) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-relay-cluster-'));
    dirs.push(dataDir);
    return new RelayProcess({
      dataDir,
      host: '127.0.0.1',
      port,
      heartbeatMs: 2_000,
      redis: redis.url,
      advertise: [`127.0.0.1:${port}`],
    });
  });
  try {
    await redis.start();
    for (let i = 0; i < stations; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-venue-cluster-'));
      dirs.push(dir);
      const { core, name } = loopbackVenueCore(dir, {
        net: { heartbeatMs: 2_000, advertiseHosts: ['127.0.0.2'] },
      });
      await core.venue.ready;
      const eventId = seedVenueEvent(core, i, checkins);
      cores.push({
        core,
        eventId,
        get name() {
          return name();
        },
      });
    }
    const admin = { role: 'admin' as const, name: 'Desk 1' };
    const first = cores[0]!.core;
    await first.venue.start(admin, 'Bench hall');
    const { code: bd1 } = await first.venue.pairingCode(admin);
    for (const relay of relays) await relay.start(bd1);
    await first.venue.addDesk(admin, `127.0.0.1:${ports[0]}`);
    // Instance B wrote itself into the directory; through Redis the code learns of it.
    const deadline = Date.now() + 30_000;
    let code = (await first.venue.pairingCode(admin)).code;
    while (readPairingCode(code).relays.length < 2) {
      if (Date.now() > deadline) throw new Error("Desk 1's code never carried both instances");
      await new Promise((r) => setTimeout(r, 50));
      code = (await first.venue.pairingCode(admin)).code;
    }
    // The first half through instance A, the rest through B.
    for (const [i, c] of cores.slice(1).entries()) {
      const side = i + 1 < stations / 2 ? 0 : 1;
      await c.core.venue.join(admin, code, `127.0.0.1:${ports[side]}`);
    }
    const relayIds = new Set(relays.map((r) => r.stationId));
    for (const c of cores) {
      const peers = c.core.venue.network!.node.identifiedPeers().map((p) => p.stationId);
      if (peers.length !== 1 || !relayIds.has(peers[0]!))
        throw new Error(`a desk is linked to ${peers.join(', ')}: each should reach one instance only`);
    }
    const figures = await measureConvergence(cores, checkins, perSecond);
    return {
      relay_cluster_stations: stations,
      relay_cluster_checkins: checkins,
      relay_cluster_converge_p50_ms: figures.converge_p50_ms,
      relay_cluster_converge_p95_ms: figures.converge_p95_ms,
      relay_cluster_converge_max_ms: figures.converge_max_ms,
      relay_cluster_where: `${stations} cores in one process on loopback, half on each of two relay instances (processes) sharing a redis-server`,
    };
  } finally {
    for (const c of cores) await c.core.close().catch(() => undefined);
    for (const relay of relays) await relay.stop().catch(() => undefined);
    await redis.stop().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      stations: { type: 'string', default: '10' },
      checkins: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '10' },
      cluster: { type: 'boolean', default: false },
    },
  });
  const measure = values.cluster ? measureVenueRelayCluster : measureVenueRelay;
  console.log(
    JSON.stringify(
      await measure({
        stations: Number(values.stations),
        checkins: Number(values.checkins),
        perSecond: Number(values.rate),
      }),
    ),
  );
}
