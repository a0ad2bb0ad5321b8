// The lossy proxy's process (proxy-child.ts), as the venue suite and the bench drive it: started
// in a network namespace when given one, one route per desk (the address the desk advertises,
// forwarding to where it listens), outages and handshake cuts on demand.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { CutStyle, Endpoint, ProxyStats } from './lossy-proxy.ts';
import type { NetworkProfile, OutageMode } from './network-profiles.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;

export class ProxyProcess {
  private child!: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';

  private constructor(
    readonly profile: NetworkProfile,
    readonly netns: string | null,
  ) {}

  /** Starts the proxy with this profile and seed (no route yet). */
  static async start(opts: {
    profile: NetworkProfile;
    seed: number;
    netns?: string | null;
  }): Promise<ProxyProcess> {
    const p = new ProxyProcess(opts.profile, opts.netns ?? null);
    await p.launch(opts.seed);
    await p.setProfile(opts.profile);
    return p;
  }

  private async launch(seed: number): Promise<void> {
    const args = [
      '--import',
      'tsx',
      join(ROOT, 'tests/venue/helpers/proxy-child.ts'),
      '--profile',
      'clean',
      '--seed',
      String(seed),
    ];
    const [cmd, argv] = this.netns
      ? ['ip', ['netns', 'exec', this.netns, process.execPath, ...args]]
      : [process.execPath, args];
    this.child = spawn(cmd, argv as string[], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4_000)));
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    void exited.then(() => {
      for (const p of this.pending.values()) p.reject(new Error(`the proxy exited: ${this.stderr}`));
      this.pending.clear();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the proxy did not start: ${this.stderr}`)), 30_000);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the proxy exited while starting: ${this.stderr}`));
      });
      createInterface({ input: this.child.stdout! }).on('line', (text) => {
        let line: { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: string };
        try {
          line = JSON.parse(text);
        } catch {
          return;
        }
        if (line.ready) {
          clearTimeout(timer);
          resolve();
        }
        if (typeof line.id === 'number') {
          const p = this.pending.get(line.id);
          this.pending.delete(line.id);
          if (line.ok) p?.resolve(line.value);
          else p?.reject(new Error(`proxy: ${line.error}`));
        }
      });
    });
  }

  private call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });
  }

  /** Listens on `listen` and forwards to `target`; resolves with the bound address. */
  route(listen: Endpoint, target: Endpoint): Promise<Endpoint> {
    return this.call('route', { listen, target });
  }

  unroute(listen: Endpoint): Promise<void> {
    return this.call('unroute', { listen });
  }

  setProfile(profile: NetworkProfile): Promise<void> {
    return this.call('profile', { profile });
  }

  /** Drops the link of these routes (`host:port` as routed; default every route). */
  startOutage(mode: OutageMode, routes?: string[]): Promise<void> {
    return this.call('startOutage', { mode, ...(routes ? { routes } : {}) });
  }

  endOutage(routes?: string[]): Promise<void> {
    return this.call('endOutage', routes ? { routes } : {});
  }

  /** The next `count` connections are cut a seeded 1..maxBytes in (reset, or silent for good). */
  cutNextConnections(count: number, maxBytes: number, style: CutStyle = 'reset'): Promise<void> {
    return this.call('cutNextConnections', { count, maxBytes, style });
  }

  stats(): Promise<ProxyStats> {
    return this.call('stats');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
