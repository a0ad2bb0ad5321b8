// A redis-server of the test's own (Debian's redis-server; `.ci/run` installs it where missing):
// on a free port (or a given one), in a network namespace when given one, with no persistence
// (the relay instances keep their own SQLite; Redis only carries messages between them). Stopped,
// killed and started again on the same port, as the cluster tests need.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Whether Debian's redis-server is installed here. */
export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port free on loopback now (Redis cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class RedisProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(readonly options: { host: string; port: number; netns?: string | null }) {}

  get url(): string {
    return `redis://${this.options.host}:${this.options.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.options.port),
      '--bind',
      this.options.host,
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
    ];
    const [cmd, argv] = this.options.netns
      ? ['ip', ['netns', 'exec', this.options.netns, 'redis-server', ...args]]
      : ['redis-server', args];
    const child = spawn(cmd, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${this.output}`)), 15_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${this.output}`));
      });
      const onData = (d: Buffer) => {
        this.output = (this.output + d.toString()).slice(-4_000);
        if (this.output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
  }

  /** SIGKILL: Redis gone at once, as a crash or a pulled cable would leave it. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.child!.once('exit', r));
    this.child!.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.child!.once('exit', r));
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
