// Station processes behind the lossy proxy: every desk listens on its own address and advertises
// the proxy's, so every connection between two desks crosses the proxy once (both ways shaped).
// With network namespaces the proxy runs in the bridge's namespace, on an address of its own per
// desk (netns.ts, `proxied`), and partitions still work; without, on loopback (desks on
// 127.0.0.1, the proxy on 127.0.0.2, the same port).
import { makeDeskNetwork, type DeskNetwork } from './netns.ts';
import { ProxyProcess } from './proxy-process.ts';
import { Station } from './station-process.ts';
import type { NetworkProfile } from './network-profiles.ts';

export interface LossyVenue {
  stations: Station[];
  proxy: ProxyProcess;
  net: DeskNetwork | null;
  /** Where it runs, for the test's output. */
  where: string;
  /** The proxy's route to a station (`host:port`), to drop one desk's link only. */
  routeOf(station: Station): string;
  /** Restarts a killed station on its data folder and routes it again (its port may have changed). */
  relaunch(station: Station): Promise<void>;
  /** Stations started later (a late joiner), behind the proxy like the others. */
  add(name: string): Promise<Station>;
  close(): Promise<void>;
}

export async function startLossyVenue(opts: {
  count: number;
  profile: NetworkProfile;
  seed: number;
  /** Hosts to make beyond `count` (for stations added later). */
  spare?: number;
  extraArgs?: string[];
  nodeArgs?: string[];
  /** How long each station may take to start (a large seed takes longer). */
  startTimeoutMs?: number;
}): Promise<LossyVenue> {
  const total = opts.count + (opts.spare ?? 0);
  const net = makeDeskNetwork(total, undefined, { proxied: true });
  const proxy = await ProxyProcess.start({
    profile: opts.profile,
    seed: opts.seed,
    netns: net?.bridgeNetns ?? null,
  });
  const stations: Station[] = [];
  const hostOf = (i: number) =>
    net
      ? { host: net.hosts[i]!.host, netns: net.hosts[i]!.netns, advertise: net.hosts[i]!.proxyHost! }
      : { host: '127.0.0.1', netns: null, advertise: '127.0.0.2' };
  const route = async (s: Station) => {
    await proxy.route({ host: s.options.advertise!, port: s.port }, { host: s.options.host, port: s.port });
  };
  const start = async (name: string, i: number) => {
    const s = await Station.start({
      name,
      ...hostOf(i),
      ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}),
      ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
      ...(opts.startTimeoutMs ? { startTimeoutMs: opts.startTimeoutMs } : {}),
    });
    await route(s);
    return s;
  };
  try {
    // Two at a time: ten processes starting at once on a busy 2-core machine can miss their start bound.
    for (let i = 0; i < opts.count; i += 2) {
      const batch = await Promise.allSettled(
        Array.from({ length: Math.min(2, opts.count - i) }, (_, k) => start('Desk 1', i + k)),
      );
      for (const r of batch) if (r.status === 'fulfilled') stations.push(r.value);
      const failed = batch.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (err) {
    await Promise.all(stations.map((s) => s.dispose().catch(() => undefined)));
    await proxy.stop();
    net?.close();
    throw err;
  }
  let added = opts.count;
  const all = [...stations];
  return {
    stations,
    proxy,
    net,
    where: net
      ? `network namespaces, the proxy in the bridge's (${net.hosts.map((h) => `${h.host} via ${h.proxyHost}`).join(', ')})`
      : 'loopback (no network namespaces here): desks on 127.0.0.1, the proxy on 127.0.0.2',
    routeOf: (s) => `${s.options.advertise}:${s.port}`,
    async relaunch(s) {
      const before = s.port;
      await s.launch();
      if (s.port !== before) {
        await proxy.unroute({ host: s.options.advertise!, port: before });
        await route(s);
      }
    },
    async add(name) {
      if (added >= total) throw new Error('no spare host: start the venue with `spare`');
      const s = await start(name, added++);
      all.push(s);
      return s;
    },
    async close() {
      await Promise.all(all.map((s) => s.dispose().catch(() => undefined)));
      await proxy.stop().catch(() => undefined);
      net?.close();
    },
  };
}
