// Station processes (tests/venue/helpers/station-child.ts) for the venue suite: each a real core in its own
// process, in its own network namespace when the harness made one, driven over stdio JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../..', import.meta.url).pathname;

export interface StationOptions {
  name: string;
  /** The address it listens on (its namespace's address, or 127.0.0.1). */
  host: string;
  /** The address other desks reach it at, when not `host`: a proxy's that forwards to it on the same port. */
  advertise?: string;
  /** Run inside this network namespace. */
  netns?: string | null;
  dataDir?: string;
  extraArgs?: string[];
  /** Node's own options for the process (a profile: --cpu-prof). */
  nodeArgs?: string[];
  /** How long it may take to say it is ready (a 100,000-attendee seed takes longer on a busy machine). */
  startTimeoutMs?: number;
}

export class StationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Station {
  private child!: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(line: Record<string, unknown>) => void>();
  readonly dataDir: string;
  private readonly ownsDataDir: boolean;
  port = 0;
  stationId = '';
  /** Output of the last process, for a failure message. */
  stderr = '';
  exited: Promise<number | null> = Promise.resolve(null);

  private constructor(readonly options: StationOptions) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'venue-station-'));
  }

  static async start(options: StationOptions): Promise<Station> {
    const s = new Station(options);
    await s.launch();
    return s;
  }

  /** Where other desks reach it (through the proxy, when it has one). */
  get address(): string {
    return `${this.options.advertise ?? this.options.host}:${this.port}`;
  }

  /** Starts (or restarts after a kill) the process on the same data folder. */
  async launch(): Promise<void> {
    const args = [
      ...(this.options.nodeArgs ?? []),
      '--import',
      'tsx',
      join(ROOT, 'tests/venue/helpers/station-child.ts'),
      '--data-dir',
      this.dataDir,
      '--name',
      this.options.name,
      '--listen',
      this.options.host,
      ...(this.options.advertise ? ['--advertise', this.options.advertise] : []),
      ...(this.options.extraArgs ?? []),
    ];
    const [cmd, argv] = this.options.netns
      ? ['ip', ['netns', 'exec', this.options.netns, process.execPath, ...args]]
      : [process.execPath, args];
    this.child = spawn(cmd, argv as string[], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4_000)));
    const child = this.child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.options.name} did not start: ${this.stderr}`)),
        this.options.startTimeoutMs ?? 30_000,
      );
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${this.options.name} exited while starting: ${this.stderr}`));
      });
      this.listeners.add(function onReady(this: void, line) {
        if (line.ready) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (line.ready) {
        this.port = Number(line.port);
        this.stationId = String(line.stationId);
      }
      if (typeof line.id === 'number') {
        const p = this.pending.get(line.id);
        this.pending.delete(line.id);
        if (line.ok) p?.resolve(line.value);
        else {
          const e = line.error as { code: string; message: string };
          p?.reject(new StationError(e.code, e.message));
        }
      }
      for (const l of this.listeners) l(line);
    });
    void this.exited.then(() => {
      for (const p of this.pending.values())
        p.reject(new Error(`${this.options.name} exited: ${this.stderr}`));
      this.pending.clear();
    });
    await ready;
  }

  /** Every line the process prints (events included); returns the way to stop listening. */
  onLine(listener: (line: Record<string, unknown>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  call<T = unknown>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.options.name}: ${cmd} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });
  }

  /** SIGKILL: no shutdown, nothing flushed. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGSTOP: the process freezes (a closed lid): its sockets stay open, it says nothing. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** Stops the process and removes the data folder it was given by default (a test's own folder stays). */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Polls a station (bounded) until `check` holds on what `read` returns; returns the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 600)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

export interface PersonState {
  pid: string;
  checkedIn: { at: string; station: string } | null;
  vip: boolean;
}

export interface ConflictState {
  name: string;
  stamps: { stationName: string; at: string }[];
}

/** What a station says of the event: the invariants compare these across desks. */
export interface StationState {
  people: PersonState[];
  /** Every action id in its check-in log (a check-in twice would show twice). */
  actions: string[];
  /** People admitted, and badges printed, at two desks or more while apart. */
  conflicts: { admissions: ConflictState[]; prints: ConflictState[] };
  refused: { stationId: string | null; count: number; lastReason: string }[];
}

export const state = (s: Station) => s.call<StationState>('state');

/** Derived state, log and conflicts, equal (refusal counts are each desk's own). */
export function sameState(a: StationState, b: StationState): boolean {
  return (
    JSON.stringify([a.people, a.actions, a.conflicts]) === JSON.stringify([b.people, b.actions, b.conflicts])
  );
}

/** Waits (bounded) until every station has the same state and `extra` holds on it; returns it. */
export async function converged(
  stations: Station[],
  what: string,
  extra: (s: StationState) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<StationState> {
  const all = await eventually(
    async () => Promise.all(stations.map(state)),
    (states) => states.every((s) => sameState(s, states[0]!) && extra(s)),
    what,
    timeoutMs,
  );
  return all[0]!;
}
