// `npm run relay` as the tests, the venue torture and the bench run it: its own process (in a
// network namespace when given one), started on a data folder, stopped with SIGTERM or killed
// with SIGKILL, restarted on the same folder and port. Reads the relay's SQLite file read-only to
// say what it has stored.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { RELAY_DATABASE_FILE } from '../../../main/venue/relay/store.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;

export interface RelayProcessOptions {
  dataDir: string;
  /** The address to listen on (0.0.0.0 in a namespace, 127.0.0.1 on loopback). */
  host: string;
  /** 0 the first time on loopback; a restart takes the port of the last run. */
  port: number;
  netns?: string | null;
  heartbeatMs?: number;
  /** One of several instances sharing the venue through this Redis (redis://host:port). */
  redis?: string;
  /** Where desks reach it (host:port), written into the venue's directory. */
  advertise?: string[];
}

export class RelayProcess {
  private child: ChildProcess | null = null;
  port: number;
  stationId = '';
  output = '';
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly options: RelayProcessOptions) {
    this.port = options.port;
  }

  /** Starts it (with `code` the first time, as --code or in BADGE_DESK_VENUE_CODE) and waits for its "listening" line. */
  async start(code: string | null = null, via: 'argument' | 'environment' = 'argument'): Promise<void> {
    const args = [
      '--import',
      'tsx',
      join(ROOT, 'main/venue/relay/cli.ts'),
      '--port',
      String(this.port),
      '--host',
      this.options.host,
      '--data-dir',
      this.options.dataDir,
      '--heartbeat-ms',
      String(this.options.heartbeatMs ?? 500),
      ...(code && via === 'argument' ? ['--code', code] : []),
      ...(this.options.redis ? ['--redis', this.options.redis] : []),
      ...(this.options.advertise ?? []).flatMap((a) => ['--advertise', a]),
    ];
    const [cmd, argv] = this.options.netns
      ? ['ip', ['netns', 'exec', this.options.netns, process.execPath, ...args]]
      : [process.execPath, args];
    const env = { ...process.env };
    delete env.BADGE_DESK_VENUE_CODE;
    if (code && via === 'environment') env.BADGE_DESK_VENUE_CODE = code;
    const child = spawn(cmd, argv as string[], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    child.stderr!.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-8_000)));
    this.exited = new Promise((resolve) => child.once('exit', (c) => resolve(c)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the relay did not start: ${this.output}`)), 30_000);
      void this.exited.then((c) => {
        clearTimeout(timer);
        reject(new Error(`the relay exited (${c}) while starting: ${this.output}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.output = (this.output + line + '\n').slice(-8_000);
        const m = / relay listening on \S+:(\d+) for venue \S+ \(epoch \d+\), relay id (\S+)$/.exec(line);
        if (m) {
          this.port = Number(m[1]);
          this.stationId = m[2]!;
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: it stores its documents and exits 0. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 5_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** The check-in action ids of a document as the relay's SQLite holds it now (its last store). */
  storedCheckIns(documentName: string): string[] {
    let db: Database.Database;
    try {
      db = new Database(join(this.options.dataDir, RELAY_DATABASE_FILE), {
        readonly: true,
        fileMustExist: true,
      });
    } catch {
      return [];
    }
    try {
      const row = db
        .prepare<[string], { state: Buffer }>('SELECT state FROM relay_documents WHERE name = ?')
        .get(documentName);
      if (!row) return [];
      const doc = new Y.Doc();
      Y.applyUpdate(doc, row.state);
      const ids = [...doc.getMap('checkins').keys()];
      doc.destroy();
      return ids;
    } finally {
      db.close();
    }
  }
}
