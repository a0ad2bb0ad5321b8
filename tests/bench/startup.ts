// Crash to desk: a desk killed at 8:55 (SIGKILL) must be back before the next person.
// The data folder is a day's: a desk without an account that got a 100,000-attendee event from
// the venue's poller (its roster in the event's venue document), then checked in 50,000 people
// (the log in SQLite and in the same document); the process that made it is killed with SIGKILL,
// so nothing is closed or checkpointed. Then the app host is started on it as the app is: the
// browser host bundled with esbuild (as `npm run build` bundles the shell) run by plain node, the
// venue network on (BADGE_DESK_VENUE_LISTEN), its peer gone. From the spawn:
// - startup.to_first_checkin_ms: to the first desk.checkIn acknowledged over the host's IPC. Goal < 2,000.
// - startup.to_first_search_ms: to the first desk.search that finds the person. Goal < 2,000.
// Both are asked as soon as the host listens (one request every 10 ms until it answers), at
// once; the median of `runs` starts is reported, and the slowest.
// - startup.checkin_max_ms_while_loading: then a check-in every 100 ms for 8 s, while the
//   deferred work (the venue's documents and roster) runs: the slowest of them. No goal: what a
//   person at the desk may wait during those seconds.
// Alone: tsx tests/bench/startup.ts [--attendees 100000] [--checkins 50000] [--runs 3]
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { createAppHost } from '../../main/app/app-host.ts';
import { FileSecretStore, JsonFileStore } from '../../main/host/file-stores.ts';
import { Station } from '../venue/helpers/station-process.ts';
import { percentile } from './stats.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const wallClock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartupFigures {
  attendees: number;
  checkins_in_log: number;
  document_mb: number;
  to_first_checkin_ms: number;
  to_first_checkin_max_ms: number;
  to_first_search_ms: number;
  to_first_search_max_ms: number;
  checkin_max_ms_while_loading: number;
  goal_ms: number;
  runs: number;
  where: string;
}

export interface Prepared {
  eventId: number;
  /** Someone not checked in yet. */
  attendeeId: number;
  /** Others not checked in yet, for the check-ins after the first. */
  laterAttendeeIds: number[];
  /** A search that finds them. */
  query: string;
  documentBytes: number;
}

// ---- the day's data folder, made by a process that is then killed ----

async function prepare(dataDir: string, attendees: number, checkins: number): Promise<Prepared> {
  const poller = await Station.start({
    name: 'Desk 1',
    host: '127.0.0.1',
    extraArgs: ['--seed', String(attendees), '--heartbeat-ms', '2000'],
    startTimeoutMs: 180_000,
  });
  try {
    const app = await createAppHost({
      dataDir,
      host: 'browser',
      secretStore: new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key')),
      settingsStore: new JsonFileStore(join(dataDir, 'station.json')),
      env: {},
      venue: { listen: { host: '127.0.0.1', port: 0 }, discovery: null, advertiseHosts: ['127.0.0.1'] },
    });
    const { core } = app;
    await core.venue.ready;
    await poller.call('startVenue', { name: 'Bench hall' });
    const { code } = await poller.call<{ code: string }>('code');
    const admin = { role: 'admin' as const, name: 'Desk 2' };
    await core.venue.join(admin, code, poller.address);
    const deadline = Date.now() + 180_000;
    let eventId: number | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the roster did not arrive within 180 s');
      eventId = core.store.findEventByProviderId('eventbrite', 'Conf');
      if (eventId !== undefined) {
        await core.venue.replica.rosterSettled(eventId);
        if (core.store.attendeeCounts(eventId).total === attendees) break;
      }
      await sleep(50);
    }
    const operator = { role: 'operator' as const, name: 'Desk 2' };
    for (let n = 0; n < checkins; n++) {
      const a = core.store.findAttendeeByProviderId(eventId, `a${n}`)!;
      core.desk.checkIn(operator, {
        eventId,
        actionId: `act-day-${String(n).padStart(7, '0')}`,
        attendeeId: a.id,
      });
      if (n % 2_000 === 1_999) await sleep(0);
    }
    // The documents are stored within Hocuspocus's longest debounce (5 s) of the last change.
    await sleep(6_500);
    const next = core.store.findAttendeeByProviderId(eventId, `a${attendees - 1}`)!;
    const later = Array.from(
      { length: 100 },
      (_, i) => core.store.findAttendeeByProviderId(eventId!, `a${attendees - 2 - i}`)!.id,
    );
    const { bytes } = core.store.db
      .prepare<[], { bytes: number }>('SELECT COALESCE(SUM(LENGTH(state)), 0) AS bytes FROM venue_documents')
      .get()!;
    return {
      eventId,
      attendeeId: next.id,
      laterAttendeeIds: later,
      query: `Guest ${attendees - 1}`,
      documentBytes: bytes,
    };
  } finally {
    await poller.dispose();
  }
}

// ---- the measurement: the bundled host started on a copy of that folder ----

/** The browser host bundled as the app bundles its shell (one .mjs and the checkpointer's worker). */
export async function bundleHost(outDir: string): Promise<string> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      web: join(ROOT, 'main/host/web.ts'),
      'wal-checkpoint-worker': join(ROOT, 'main/db/wal-checkpoint-worker.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __badgeDeskCreateRequire } from 'node:module'; const require = __badgeDeskCreateRequire(import.meta.url);",
    },
  });
  return join(outDir, 'web.mjs');
}

async function ipc(port: number, token: string, channel: string, input: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'x-badge-desk-token': token, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const answer = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!answer.ok) throw new Error(`${channel}: ${answer.error?.message}`);
  return answer.value;
}

/** Starts the bundled host on a data folder; ms from the spawn to the first check-in and the first search answered. */
export async function startOnce(
  script: string,
  rendererDir: string,
  dataDir: string,
  prepared: Prepared,
  run: number,
  nodeArgs: string[] = [],
): Promise<{ checkInMs: number; searchMs: number; laterMaxMs: number }> {
  const spawnedAt = wallClock();
  const child = spawn(
    process.execPath,
    [...nodeArgs, script, '--data-dir', dataDir, '--port', '0', '--renderer-dir', rendererDir],
    {
      cwd: ROOT,
      env: { ...process.env, BADGE_DESK_VENUE_LISTEN: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the host did not start: ${stderr}`)), 60_000);
      child.once('exit', (c) => reject(new Error(`the host exited (${c}): ${stderr}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\w+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ port: Number(m[1]), token: m[2]! });
        }
      });
    });
    const until = async (ask: () => Promise<boolean>): Promise<number> => {
      for (;;) {
        try {
          if (await ask()) return wallClock() - spawnedAt;
        } catch {
          // not answering yet
        }
        await sleep(10);
      }
    };
    const [checkInMs, searchMs] = await Promise.all([
      until(async () => {
        const outcome = (await ipc(port, token, 'desk.checkIn', {
          eventId: prepared.eventId,
          actionId: `act-startup-${run}-${Date.now()}`,
          attendeeId: prepared.attendeeId,
        })) as { kind: string };
        return outcome.kind === 'checked_in' || outcome.kind === 'already_checked_in';
      }),
      until(async () => {
        const found = (await ipc(port, token, 'desk.search', {
          eventId: prepared.eventId,
          query: prepared.query,
          limit: 5,
        })) as { rows: { id: number }[] };
        return found.rows.some((r) => r.id === prepared.attendeeId);
      }),
    ]);
    // The desk goes on admitting people while the deferred work runs.
    let laterMaxMs = 0;
    const laterUntil = Date.now() + 8_000;
    for (const [i, attendeeId] of prepared.laterAttendeeIds.entries()) {
      if (Date.now() > laterUntil) break;
      const t = wallClock();
      const input = {
        eventId: prepared.eventId,
        actionId: `act-startup-${run}-later-${String(i).padStart(3, '0')}`,
        attendeeId,
      };
      // A kept-alive connection the server closed for idleness just as it was reused: sent again
      // (a check-in is idempotent by its action id), counted from the first try.
      await ipc(port, token, 'desk.checkIn', input)
        .catch(() => ipc(port, token, 'desk.checkIn', input))
        .catch((err: Error) => {
          throw new Error(
            `a check-in while the deferred work ran failed (${err.message}): ${stderr.slice(-2_000)}`,
          );
        });
      laterMaxMs = Math.max(laterMaxMs, wallClock() - t);
      await sleep(100);
    }
    return { checkInMs, searchMs, laterMaxMs };
  } finally {
    // As a crash would: no shutdown.
    child.kill('SIGKILL');
  }
}

export async function measureStartup(
  opts: { attendees?: number; checkins?: number; runs?: number } = {},
): Promise<StartupFigures> {
  const attendees = opts.attendees ?? 100_000;
  const checkins = opts.checkins ?? 50_000;
  const runs = opts.runs ?? 3;
  const scratch = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const day = join(scratch, 'day');
    mkdirSync(day);
    // The day is made in a process of its own, killed with SIGKILL once it says it is done.
    const maker = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        '--prepare',
        day,
        '--attendees',
        String(attendees),
        '--checkins',
        String(checkins),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const prepared = await new Promise<Prepared>((resolve, reject) => {
      maker.once('exit', (c) => reject(new Error(`the day's data folder was not made (${c})`)));
      createInterface({ input: maker.stdout! }).on('line', (line) => {
        if (line.startsWith('{')) resolve(JSON.parse(line) as Prepared);
      });
    });
    maker.kill('SIGKILL');
    await new Promise((r) => maker.once('exit', r));
    const script = await bundleHost(join(scratch, 'bundle'));
    // The bundle's packages resolve from the repository's node_modules, as the app's from its own.
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));
    // The host only needs a renderer folder with an index.html to serve.
    const rendererDir = join(scratch, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Badge Desk</title>');
    const checkIn: number[] = [];
    const search: number[] = [];
    const later: number[] = [];
    for (let run = 0; run < runs; run++) {
      // Each start on a fresh copy of the killed folder: the same WAL, nothing checkpointed.
      const copy = join(scratch, `run-${run}`);
      cpSync(day, copy, { recursive: true });
      const figures = await startOnce(script, rendererDir, copy, prepared, run);
      checkIn.push(figures.checkInMs);
      search.push(figures.searchMs);
      later.push(figures.laterMaxMs);
      rmSync(copy, { recursive: true, force: true });
    }
    return {
      attendees: attendees,
      checkins_in_log: checkins,
      document_mb: Number((prepared.documentBytes / 1024 / 1024).toFixed(1)),
      to_first_checkin_ms: Math.round(percentile(checkIn, 0.5)),
      to_first_checkin_max_ms: Math.round(Math.max(...checkIn)),
      to_first_search_ms: Math.round(percentile(search, 0.5)),
      to_first_search_max_ms: Math.round(Math.max(...search)),
      checkin_max_ms_while_loading: Math.round(Math.max(...later)),
      goal_ms: 2_000,
      runs,
      where:
        'the browser host bundled with esbuild, run by node on a copy of a SIGKILLed data folder, venue on (its peer gone)',
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      prepare: { type: 'string' },
      attendees: { type: 'string', default: '100000' },
      checkins: { type: 'string', default: '50000' },
      runs: { type: 'string', default: '3' },
    },
  });
  if (values.prepare) {
    const prepared = await prepare(values.prepare, Number(values.attendees), Number(values.checkins));
    console.log(JSON.stringify(prepared));
    // Waits to be killed (SIGKILL: the day ends as a crash does).
    setInterval(() => undefined, 60_000);
  } else {
    console.log(
      JSON.stringify(
        await measureStartup({
          attendees: Number(values.attendees),
          checkins: Number(values.checkins),
          runs: Number(values.runs),
        }),
      ),
    );
  }
}
