// End-to-end harness: the provider simulator, the browser host in its own process (so a test
// can kill it), and Debian's Chromium driven by Playwright. Never a downloaded browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../main/simulator/index.ts';

export const CHROMIUM_PATH = process.env.BADGE_DESK_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN_PIN = '2468';
const ROOT = new URL('../..', import.meta.url).pathname;
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

export interface HostProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
}

export async function spawnHost(
  dataDir: string,
  env: Record<string, string>,
  /** Everything the host writes to stdout and stderr (stderr is still shown too). */
  opts: { onOutput?: (text: string) => void } = {},
): Promise<HostProcess> {
  const { onOutput } = opts;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'main/host/web.ts', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', onOutput ? 'pipe' : 'inherit'],
    },
  );
  if (onOutput) {
    child.stdout!.on('data', (chunk: Buffer) => onOutput(chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => {
      onOutput(chunk.toString('utf8'));
      process.stderr.write(chunk);
    });
  }
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /Badge Desk browser host: (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`the browser host exited (${code}) before printing its URL`)),
    );
  });
  return {
    url,
    child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface E2E {
  sim: Simulator;
  dataDir: string;
  host: HostProcess;
  browser: Browser;
  page: Page;
  env: Record<string, string>;
  /**
   * Runs provider changes stamped a day in the past, as registrations made before the event
   * are: live sync's look-back margin then sees only what changes during the test.
   */
  inThePast(change: () => void): void;
  /** Kills the host (SIGKILL) and starts it again on the same data folder; reloads the page. */
  restartHost(): Promise<void>;
  screenshot(name: string): Promise<void>;
}

export async function startE2E(
  t: { after(fn: () => unknown): void },
  /** dataDir: a folder of the test's own (a small disk); a temp folder otherwise. */
  /** browserArgs: more Chromium switches (a fake camera playing a file, say). */
  opts: {
    sim?: SimulatorOptions;
    env?: Record<string, string>;
    dataDir?: string;
    browserArgs?: string[];
  } = {},
): Promise<E2E> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium); .ci/run does`,
    );
  }
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('the renderer is not built: run `npm run build:renderer` (npm test does)');
  }
  let simClockOffsetMs = 0;
  const sim = await startSimulator({ now: () => Date.now() + simClockOffsetMs, ...opts.sim });
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'bd-e2e-'));
  const env = {
    BADGE_DESK_EVENTBRITE_URL: sim.eventbrite.baseUrl,
    BADGE_DESK_LUMA_URL: sim.luma.baseUrl,
    BADGE_DESK_ADMIN_PIN: ADMIN_PIN,
    BADGE_DESK_POLL_INTERVAL_MS: '1000',
    ...opts.env,
  };
  let host = await spawnHost(dataDir, env);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...(opts.browserArgs ?? []),
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  const e2e: E2E = {
    sim,
    dataDir,
    get host() {
      return host;
    },
    browser,
    page,
    env,
    inThePast(change) {
      simClockOffsetMs = -24 * 3600_000;
      try {
        change();
      } finally {
        simClockOffsetMs = 0;
      }
    },
    async restartHost() {
      await host.kill();
      host = await spawnHost(dataDir, env);
      await page.goto(host.url);
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
  };
  t.after(async () => {
    await browser.close().catch(() => undefined);
    await host.kill();
    await sim.close();
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join('; ')}`);
  });
  return e2e;
}
