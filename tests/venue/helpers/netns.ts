// A venue network of Linux network namespaces: one namespace per station, each joined by a
// veth pair to a bridge that lives in a namespace of its own (never the root namespace), with
// addresses chosen here inside those namespaces only. A partition moves stations' bridge ports
// onto a second, unconnected bridge; healing moves them back. Everything is deleted in close().
// Without root or `ip netns`, makeDeskNetwork returns null and the suite runs on loopback.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface VenueHost {
  netns: string;
  host: string;
  /** The bridge-side end of its veth pair. */
  port: string;
  /** An address of the bridge's namespace for a proxy in front of this host (with `proxied`). */
  proxyHost?: string;
}

export interface DeskNetwork {
  hosts: VenueHost[];
  /** The bridge's namespace: a proxy between every desk and the bridge runs there. */
  bridgeNetns: string;
  /** Stations in `apart` are cut off from the others (they still reach each other). */
  partition(apart: number[]): void;
  heal(): void;
  /** Records every frame of every station's link (tcpdump in the bridge's namespace); on stop, all of them are in `file`. */
  capture(file: string): Promise<{ stop: () => Promise<void> }>;
  close(): void;
}

let available: boolean | null = null;

/** Whether network namespaces can be made here (root and iproute2). */
export function namespacesAvailable(): boolean {
  if (available !== null) return available;
  const probe = `${process.env.BADGE_DESK_NETNS_PREFIX || 'bd'}probe${randomBytes(3).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    available = true;
  } catch {
    available = false;
  }
  return available;
}

/** Removes the namespaces made so far, newest first (one already gone is skipped); empties the list. */
function removeNamespaces(made: string[]): void {
  for (const ns of made.reverse()) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  }
  made.length = 0;
}

/**
 * Namespaces are named `<prefix><tag>…`; the prefix is BADGE_DESK_NETNS_PREFIX's (so runs that
 * share a machine can tell theirs apart), else `bd`.
 */
export function makeDeskNetwork(
  count: number,
  prefix = process.env.BADGE_DESK_NETNS_PREFIX || 'bd',
  opts: { proxied?: boolean } = {},
): DeskNetwork | null {
  if (!namespacesAvailable()) return null;
  const tag = randomBytes(2).toString('hex');
  const bridgeNs = `${prefix}${tag}br`;
  const made: string[] = [];
  const close = () => removeNamespaces(made);
  try {
    ip('netns', 'add', bridgeNs);
    made.push(bridgeNs);
    ip('-n', bridgeNs, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', bridgeNs, 'link', 'add', 'br1', 'type', 'bridge');
    ip('-n', bridgeNs, 'link', 'set', 'br0', 'up');
    ip('-n', bridgeNs, 'link', 'set', 'br1', 'up');
    // A third octet per run, so two runs at once never share addresses (they share no bridge anyway).
    const subnet = `10.${77 + (parseInt(tag, 16) % 100)}.${parseInt(tag.slice(0, 2), 16) % 250}`;
    const hosts: VenueHost[] = [];
    for (let i = 0; i < count; i++) {
      const ns = `${prefix}${tag}s${i}`;
      ip('netns', 'add', ns);
      made.push(ns);
      const inside = `v${tag}s${i}`;
      const port = `v${tag}b${i}`;
      ip('link', 'add', inside, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', bridgeNs);
      const host = `${subnet}.${i + 10}`;
      ip('-n', ns, 'addr', 'add', `${host}/24`, 'dev', inside);
      ip('-n', ns, 'link', 'set', inside, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      // Multicast (mDNS) leaves by the venue's link, as a LAN's default route would take it.
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', inside);
      ip('-n', bridgeNs, 'link', 'set', port, 'master', 'br0');
      ip('-n', bridgeNs, 'link', 'set', port, 'up');
      hosts.push({ netns: ns, host, port });
    }
    // Proxied: the bridge's namespace takes an address per host on br0 (host .10+i, proxy .100+i),
    // so a proxy there stands between every desk and the bridge; a partition still cuts a
    // desk from it (its port leaves br0).
    if (opts.proxied) {
      for (const [i, h] of hosts.entries()) {
        h.proxyHost = `${subnet}.${i + 100}`;
        ip('-n', bridgeNs, 'addr', 'add', `${h.proxyHost}/24`, 'dev', 'br0');
      }
      ip('-n', bridgeNs, 'link', 'set', 'lo', 'up');
    }
    return {
      hosts,
      bridgeNetns: bridgeNs,
      partition(apart) {
        for (const i of apart) ip('-n', bridgeNs, 'link', 'set', hosts[i]!.port, 'master', 'br1');
      },
      heal() {
        for (const h of hosts) ip('-n', bridgeNs, 'link', 'set', h.port, 'master', 'br0');
      },
      async capture(file) {
        // One tcpdump per bridge port (each station's link): "-i any" in a namespace misses ports.
        // --immediate-mode: otherwise libpcap hands packets over a buffer block at a time (once a
        // second when traffic is light) and a capture stopped within a second wrote none of them.
        const children: ChildProcess[] = hosts.map((h, i) =>
          spawn(
            'ip',
            [
              'netns',
              'exec',
              bridgeNs,
              'tcpdump',
              '-i',
              h.port,
              '--immediate-mode',
              '-U',
              '-s',
              '0',
              '-w',
              `${file}.${i}`,
            ],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          ),
        );
        // tcpdump says "listening on" once it captures.
        await Promise.all(
          children.map(
            (child) =>
              new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error('tcpdump did not start')), 10_000);
                child.stderr!.on('data', (d: Buffer) => {
                  if (d.toString().includes('listening on')) {
                    clearTimeout(timer);
                    resolve();
                  }
                });
                child.once('exit', () => reject(new Error('tcpdump exited')));
              }),
          ),
        );
        return {
          stop: async () => {
            await Promise.all(
              children.map((child) => {
                const exited = new Promise((r) => child.once('exit', r));
                child.kill('SIGINT');
                return exited;
              }),
            );
            writeFileSync(file, Buffer.concat(hosts.map((_, i) => readFileSync(`${file}.${i}`))));
          },
        };
      },
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}

// ---- client isolation: desks that reach a relay but not each other ----

export interface RelayNetwork {
  /** The relay's namespace and the address every desk reaches it at. */
  relay: { netns: string; host: string };
  desks: VenueHost[];
  /**
   * Whether the relay's namespace routes between the desks' links. Off (the default) is a hotel
   * Wi-Fi's client isolation; on, the desks reach each other directly (with the relay process up
   * or down: the namespace is the network, the process only the relay).
   */
  setForwarding(on: boolean): void;
  close(): void;
}

/**
 * A relay namespace with one veth link to each desk's namespace (a /24 of its own per link; the
 * desk's default route points at the relay's end). With forwarding off nothing crosses from one
 * link to another, so each desk reaches the relay's addresses and no other desk. Names start with
 * `prefix`, so a run's leftovers are easy to tell apart.
 */
export function makeRelayNetwork(deskCount: number, prefix = 'bdrelay-'): RelayNetwork | null {
  if (!namespacesAvailable()) return null;
  const tag = randomBytes(1).toString('hex');
  const relayNs = `${prefix}${tag}-r`;
  const made: string[] = [];
  const close = () => removeNamespaces(made);
  const subnet = (i: number) => `10.${200 + (parseInt(tag, 16) % 50)}.${i}`;
  const setForwarding = (on: boolean) =>
    execFileSync(
      'ip',
      ['netns', 'exec', relayNs, 'sysctl', '-q', '-w', `net.ipv4.ip_forward=${on ? 1 : 0}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  try {
    ip('netns', 'add', relayNs);
    made.push(relayNs);
    ip('-n', relayNs, 'link', 'set', 'lo', 'up');
    const desks: VenueHost[] = [];
    for (let i = 0; i < deskCount; i++) {
      const ns = `${prefix}${tag}-d${i}`;
      ip('netns', 'add', ns);
      made.push(ns);
      // Interface names are at most 15 characters: `bdrelay-ab-d0`.
      const inside = `${prefix}${tag}-d${i}`;
      const relaySide = `${prefix}${tag}-r${i}`;
      ip('link', 'add', inside, 'netns', ns, 'type', 'veth', 'peer', 'name', relaySide, 'netns', relayNs);
      ip('-n', relayNs, 'addr', 'add', `${subnet(i)}.1/24`, 'dev', relaySide);
      ip('-n', relayNs, 'link', 'set', relaySide, 'up');
      ip('-n', ns, 'addr', 'add', `${subnet(i)}.2/24`, 'dev', inside);
      ip('-n', ns, 'link', 'set', inside, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'route', 'add', 'default', 'via', `${subnet(i)}.1`);
      desks.push({ netns: ns, host: `${subnet(i)}.2`, port: relaySide });
    }
    setForwarding(false);
    // The relay's address on the first link: a local address of its namespace, so every desk's
    // default route delivers to it without any forwarding.
    return { relay: { netns: relayNs, host: `${subnet(0)}.1` }, desks, setForwarding, close };
  } catch (err) {
    close();
    throw err;
  }
}

// ---- a relay cluster: two relay instances, each the only way in for its desks, and Redis ----

export interface ClusterNetwork {
  /** Redis's namespace; each instance reaches it at its own address (`redisHost`). */
  redis: { netns: string };
  /** The two relay instances' namespaces: where each listens (0.0.0.0) and the address its desks reach it at. */
  relays: { netns: string; host: string; redisHost: string }[];
  /** Desks by side: `desks[0]` reach only relay 0, `desks[1]` only relay 1. */
  desks: VenueHost[][];
  /**
   * Opens a way from relay 0's desks to relay 1's address (relay 0's namespace forwards over a
   * link between the two): the failover path when instance 0 dies. Off at first.
   */
  bridgeSides(): void;
  close(): void;
}

/**
 * Namespaces: Redis's, one per relay instance (each with a link to Redis's and to each of its
 * desks), and one per desk, whose default route points at its instance. No namespace forwards,
 * so a desk reaches its own instance's addresses only and never the other side or Redis.
 */
export function makeClusterNetwork(desksPerSide: number, prefix = 'bdcl-'): ClusterNetwork | null {
  if (!namespacesAvailable()) return null;
  const tag = randomBytes(1).toString('hex');
  const base = `10.${150 + (parseInt(tag, 16) % 50)}`;
  const made: string[] = [];
  const close = () => removeNamespaces(made);
  const addNs = (name: string) => {
    ip('netns', 'add', name);
    made.push(name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    return name;
  };
  /** A veth pair between two namespaces, each end with its /24 address. */
  const link = (a: string, aAddr: string, b: string, bAddr: string, name: string) => {
    ip('link', 'add', `${name}a`, 'netns', a, 'type', 'veth', 'peer', 'name', `${name}b`, 'netns', b);
    ip('-n', a, 'addr', 'add', `${aAddr}/24`, 'dev', `${name}a`);
    ip('-n', b, 'addr', 'add', `${bAddr}/24`, 'dev', `${name}b`);
    ip('-n', a, 'link', 'set', `${name}a`, 'up');
    ip('-n', b, 'link', 'set', `${name}b`, 'up');
  };
  try {
    const redisNs = addNs(`${prefix}${tag}-x`);
    const relayNs = [addNs(`${prefix}${tag}-a`), addNs(`${prefix}${tag}-b`)];
    for (const ns of relayNs)
      execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=0'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    // Redis: 250.x for instance 0, 251.x for instance 1; the instances' own link: 252.x.
    link(relayNs[0]!, `${base}.250.1`, redisNs, `${base}.250.2`, `cl${tag}r0`);
    link(relayNs[1]!, `${base}.251.1`, redisNs, `${base}.251.2`, `cl${tag}r1`);
    link(relayNs[0]!, `${base}.252.1`, relayNs[1]!, `${base}.252.2`, `cl${tag}ab`);
    const desks: VenueHost[][] = [[], []];
    let subnet = 0;
    for (const side of [0, 1]) {
      for (let i = 0; i < desksPerSide; i++, subnet++) {
        const ns = addNs(`${prefix}${tag}-d${subnet}`);
        link(relayNs[side]!, `${base}.${subnet}.1`, ns, `${base}.${subnet}.2`, `cl${tag}d${subnet}`);
        ip('-n', ns, 'route', 'add', 'default', 'via', `${base}.${subnet}.1`);
        desks[side]!.push({ netns: ns, host: `${base}.${subnet}.2`, port: `cl${tag}d${subnet}b` });
      }
    }
    // Each instance is reached at its first desk link's address (local to its namespace: all its desks reach it).
    const relays = [0, 1].map((side) => ({
      netns: relayNs[side]!,
      host: `${base}.${side * desksPerSide}.1`,
      redisHost: `${base}.${250 + side}.2`,
    }));
    return {
      redis: { netns: redisNs },
      relays,
      desks,
      bridgeSides() {
        execFileSync('ip', ['netns', 'exec', relayNs[0]!, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        ip('-n', relayNs[0]!, 'route', 'add', `${relays[1]!.host}/32`, 'via', `${base}.252.2`);
        for (let s = 0; s < desksPerSide; s++)
          ip('-n', relayNs[1]!, 'route', 'add', `${base}.${s}.0/24`, 'via', `${base}.252.1`);
      },
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}
