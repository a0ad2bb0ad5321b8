// The Electron app end to end, driven by Playwright's Electron support: the window loads from
// app://, the renderer sees only window.badgeDesk (invoke, subscribe) and no Node, navigation away
// and new windows are refused, and the first screen shows. Where Electron's binary is not
// installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1, our build machines) the test is skipped, saying why;
// the browser host's end-to-end tests cover the renderer there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { electronSqliteBinding } from '../../scripts/electron-sqlite.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function whyNot(): string | null {
  const electron = findElectronBinary();
  if (!electron.ok)
    return `Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD): ${electron.reason}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY and WAYLAND_DISPLAY are unset): run the tests under xvfb-run to include the Electron app';
  }
  return null;
}

test(
  'Electron app: app:// origin, a two-function bridge, no Node in the page, navigation locked',
  { timeout: 180_000 },
  async (t) => {
    const reason = whyNot();
    if (reason) {
      t.skip(reason);
      return;
    }
    const electron = findElectronBinary();
    assert.ok(electron.ok);

    // Always from the current sources: a stale out/ would test yesterday's app.
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, `npm run build failed:\n${built.stdout}\n${built.stderr}`);

    const userData = mkdtempSync(join(tmpdir(), 'bd-electron-'));
    t.after(() => rmSync(userData, { recursive: true, force: true }));

    const { _electron } = await import('playwright-core');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    env.BADGE_DESK_USER_DATA = userData;
    env.BADGE_DESK_SQLITE_BINDING = electronSqliteBinding(ROOT);
    // The app's desk would listen on every interface and multicast over mDNS: a test stays on loopback.
    env.BADGE_DESK_VENUE_LISTEN = '127.0.0.1';
    env.BADGE_DESK_VENUE_MDNS = '0';
    // `electron <repo>` runs package.json's "main" (out/main/main.mjs), as the packaged app does.
    const app = await _electron.launch({
      executablePath: electron.path,
      args: [ROOT],
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    t.after(() => app.close());

    // Record instead of opening a real browser on the test machine.
    const stubbed = await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as { __badgeDeskOpened?: string[] }).__badgeDeskOpened = opened;
      try {
        shell.openExternal = async (url: string) => {
          opened.push(url);
        };
        return true;
      } catch {
        return false;
      }
    }, undefined);
    const opened = () =>
      app.evaluate(() => (globalThis as { __badgeDeskOpened?: string[] }).__badgeDeskOpened ?? [], undefined);

    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /^app:\/\/badge-desk\//, 'served from the app:// scheme, never file://');

    // The first screen: the events list, or the empty state with the demo button.
    await page
      .getByRole('list', { name: 'Events' })
      .or(page.getByRole('button', { name: 'Start demo workspace' }))
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });

    const surface = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.badgeDesk as Record<string, unknown> | undefined;
      return {
        bridgeKeys: bridge ? Object.keys(bridge).sort() : null,
        invokeType: typeof bridge?.invoke,
        subscribeType: typeof bridge?.subscribe,
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        Buffer: typeof w.Buffer,
        ipcRenderer: typeof w.ipcRenderer,
        electron: typeof w.electron,
      };
    });
    assert.deepEqual(surface, {
      bridgeKeys: ['invoke', 'subscribe'],
      invokeType: 'function',
      subscribeType: 'function',
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
    });

    // The bridge reaches the app host, and the host validates.
    const calls = await page.evaluate(async () => {
      const bridge = (
        window as unknown as {
          badgeDesk: {
            invoke(c: string, i: unknown): Promise<unknown>;
            subscribe(l: (m: unknown) => void): () => void;
          };
        }
      ).badgeDesk;
      const snapshot = (await bridge.invoke('app.snapshot', {})) as {
        ok: boolean;
        value?: { host?: string };
      };
      const unknownChannel = (await bridge.invoke('no.such.channel', {})) as {
        ok: boolean;
        error?: { code?: string };
      };
      const unsubscribe = bridge.subscribe(() => undefined);
      return {
        snapshotOk: snapshot.ok,
        host: snapshot.value?.host,
        unknownOk: unknownChannel.ok,
        unknownCode: unknownChannel.error?.code,
        unsubscribeType: typeof unsubscribe,
      };
    });
    assert.equal(calls.snapshotOk, true);
    assert.equal(calls.host, 'electron');
    assert.equal(calls.unknownOk, false);
    assert.equal(calls.unknownCode, 'INVALID_INPUT');
    assert.equal(calls.unsubscribeType, 'function');

    // app:// responses carry the CSP as a header.
    const csp = await page.evaluate(async () =>
      (await fetch('/index.html')).headers.get('content-security-policy'),
    );
    assert.match(csp ?? '', /default-src 'self'/);
    const missing = await page.evaluate(async () => (await fetch('/no-such-file.js')).status);
    assert.equal(missing, 404);

    // Navigation to the web is refused; https goes to the system browser instead.
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1_000);
    assert.equal(page.url(), before, 'the app page stays');
    if (stubbed)
      assert.ok((await opened()).includes('https://example.com/'), 'https link handed to the system browser');

    // window.open is denied: no new window.
    const popup = await page.evaluate(() => window.open('https://example.com/popup') === null);
    assert.equal(popup, true, 'window.open returns null');
    await page.waitForTimeout(500);
    assert.equal(app.windows().length, 1, 'still one window');
    await page.evaluate(() => window.open('file:///etc/passwd'));
    if (stubbed)
      assert.ok(!(await opened()).some((u) => u.startsWith('file:')), 'file: URLs never leave the app');

    // The system printers come from the OS through Electron; main answers with a list (maybe empty).
    const printers = await page.evaluate(async () => {
      const bridge = (window as unknown as { badgeDesk: { invoke(c: string, i: unknown): Promise<unknown> } })
        .badgeDesk;
      await bridge.invoke('session.setPin', { pin: '2468' });
      await bridge.invoke('session.unlock', { pin: '2468' });
      return (await bridge.invoke('printers.system', {})) as { ok: boolean; value?: unknown };
    });
    assert.equal(printers.ok, true);
    assert.ok(Array.isArray(printers.value));
  },
);
