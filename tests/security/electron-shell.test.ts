// The Electron shell's own code, run in plain Node against a stand-in `electron` module
// (tests/helpers/electron-stand-in.ts): main/electron/main.ts and preload/index.ts are bundled
// with esbuild as scripts/build.mjs does, with `electron` pointing at the stand-in, and we look at
// what they asked Electron for. Electron's binary is not installed on our build machines; where
// it is, tests/electron/app.e2e.test.ts checks the same things in the running app.
//
// - Every window: contextIsolation, sandbox, no Node (not in frames, not in workers), webSecurity,
//   no insecure content, no <webview>; the app's sandbox is on for every renderer before ready.
// - Permissions: the camera (video only) for the app's own page in its window; every other one
//   refused. Navigation and new windows are locked to the app's origin.
// - The IPC answers only our window's main frame on an app:// page.
// - The preload exposes window.badgeDesk = { invoke, subscribe } and nothing else, and needs
//   nothing but electron at run time (a sandboxed preload can require little else).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import * as standIn from '../helpers/electron-stand-in.ts';
import { standInState, type FakeWebContents, type FakeWindow } from '../helpers/electron-stand-in.ts';
import { ELECTRON_INVOKE_CHANNEL, ELECTRON_PUSH_CHANNEL } from '../../shared/ipc-wire.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STAND_IN = join(ROOT, 'tests', 'helpers', 'electron-stand-in.ts');
const PIN = '8642';

interface Envelope {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** out/main/main.mjs as scripts/build.mjs makes it, but importing the stand-in as electron. */
async function bundleMain(outDir: string): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const outfile = join(outDir, 'main', 'main.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'main/electron/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    alias: { electron: STAND_IN, 'electron-store': STAND_IN },
    external: Object.keys(pkg.dependencies).filter((d) => d !== 'electron-store'),
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __bdRequire } from 'node:module'; const require = __bdRequire(import.meta.url);",
    },
  });
  return outfile;
}

function windowOf(win: FakeWindow) {
  return win.webContents as FakeWebContents & { emit(event: string, ...args: unknown[]): boolean };
}

/** Emits a navigation event as Electron does and says whether main prevented it. */
function navigate(contents: ReturnType<typeof windowOf>, event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { url, preventDefault: () => (prevented = true) });
  return prevented;
}

test(
  'Electron shell: sandboxed, isolated, Node-free windows; the camera only, for the app; navigation and IPC locked to the app',
  { timeout: 60_000 },
  async (t) => {
    // The bundle lives under the repository (so its runtime dependencies resolve), in a git-ignored folder.
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    const outDir = mkdtempSync(join(ROOT, 'test-results', 'bd-electron-shell-'));
    const userData = mkdtempSync(join(tmpdir(), 'bd-electron-shell-data-'));
    t.after(() => {
      rmSync(outDir, { recursive: true, force: true });
      rmSync(userData, { recursive: true, force: true });
    });
    mkdirSync(join(outDir, 'renderer'));
    writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Badge Desk</title>');
    writeFileSync(join(outDir, 'outside.txt'), 'not for the renderer');
    const bundle = await bundleMain(outDir);

    process.env.BADGE_DESK_USER_DATA = userData;
    process.env.BADGE_DESK_ADMIN_PIN = PIN;
    const state = standInState();
    await import(pathToFileURL(bundle).href);

    // ---- before ready ----
    assert.deepEqual(state.calls, [
      'app.setPath(userData)',
      'protocol.registerSchemesAsPrivileged',
      'app.enableSandbox',
      'app.requestSingleInstanceLock',
    ]);
    // app:// is standard and secure (so it has an origin and a CSP applies), and nothing more:
    // no bypassCSP, no CORS or service workers.
    assert.deepEqual(state.privilegedSchemes, [
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);

    const created = once(state.app, 'web-contents-created');
    state.becomeReady();
    await created;
    const main = state.windows[0]!;
    const contents = windowOf(main);

    // ---- the window ----
    const prefs = main.options.webPreferences ?? {};
    assert.equal(prefs.contextIsolation, true, 'contextIsolation');
    assert.equal(prefs.sandbox, true, 'sandbox');
    assert.equal(prefs.nodeIntegration, false, 'nodeIntegration');
    assert.equal(prefs.nodeIntegrationInSubFrames, false, 'nodeIntegrationInSubFrames');
    assert.equal(prefs.nodeIntegrationInWorker, false, 'nodeIntegrationInWorker');
    assert.equal(prefs.webSecurity, true, 'webSecurity');
    assert.equal(prefs.allowRunningInsecureContent, false, 'allowRunningInsecureContent');
    assert.equal(prefs.webviewTag, false, 'webviewTag');
    for (const risky of [
      'enableBlinkFeatures',
      'experimentalFeatures',
      'enableRemoteModule',
      'plugins',
      'additionalArguments',
    ]) {
      assert.equal(prefs[risky], undefined, risky);
    }
    assert.equal(
      prefs.preload,
      join(outDir, 'preload', 'index.cjs'),
      'the bundled preload, by absolute path',
    );
    assert.deepEqual(
      main.loadedUrls,
      ['app://badge-desk/index.html'],
      'loaded from app://, never file:// or http',
    );

    // ---- permissions: the camera for the app's own page, nothing else ----
    assert.ok(
      state.permissionRequestHandler && state.permissionCheckHandler,
      'both permission handlers are set',
    );
    const request = (
      from: unknown,
      permission: string,
      details: { requestingUrl?: string; isMainFrame: boolean; mediaTypes?: string[] },
    ) => {
      let granted: boolean | null = null;
      state.permissionRequestHandler!(from, permission, (g) => (granted = g), details);
      return granted;
    };
    const appPage = { requestingUrl: 'app://badge-desk/index.html', isMainFrame: true };
    assert.equal(request(contents, 'media', { ...appPage, mediaTypes: ['video'] }), true, 'the camera');
    assert.equal(
      state.permissionCheckHandler(contents, 'media', 'app://badge-desk', { ...appPage, mediaType: 'video' }),
      true,
      'the camera, checked',
    );
    const otherContents = { id: contents.id + 1000 };
    for (const [why, from, details] of [
      ['the microphone', contents, { ...appPage, mediaTypes: ['audio'] }],
      ['camera and microphone', contents, { ...appPage, mediaTypes: ['video', 'audio'] }],
      ['no media named', contents, { ...appPage, mediaTypes: [] }],
      ['a frame in the page', contents, { ...appPage, isMainFrame: false, mediaTypes: ['video'] }],
      [
        'another site',
        contents,
        { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['video'] },
      ],
      [
        'a file page',
        contents,
        { requestingUrl: 'file:///tmp/x.html', isMainFrame: true, mediaTypes: ['video'] },
      ],
      [
        'another app origin',
        contents,
        { requestingUrl: 'app://evil/index.html', isMainFrame: true, mediaTypes: ['video'] },
      ],
      ['another window', otherContents, { ...appPage, mediaTypes: ['video'] }],
      ['no window', null, { ...appPage, mediaTypes: ['video'] }],
    ] as const) {
      assert.equal(request(from, 'media', { ...details, mediaTypes: [...details.mediaTypes] }), false, why);
    }
    for (const [why, from, origin, mediaType] of [
      ['the microphone', contents, 'app://badge-desk', 'audio'],
      ['another site', contents, 'https://evil.example', 'video'],
      ['another window', otherContents, 'app://badge-desk', 'video'],
    ] as const) {
      assert.equal(
        state.permissionCheckHandler(from, 'media', origin, { isMainFrame: true, mediaType }),
        false,
        `checked: ${why}`,
      );
    }
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'openExternal',
      'fileSystem',
      'hid',
      'serial',
      'usb',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'display-capture',
      'idle-detection',
      'storage-access',
      'window-management',
    ]) {
      assert.equal(request(contents, permission, { ...appPage, mediaTypes: ['video'] }), false, permission);
      assert.equal(
        state.permissionCheckHandler(contents, permission, 'app://badge-desk', {
          ...appPage,
          mediaType: 'video',
        }),
        false,
        permission,
      );
    }

    // ---- navigation and windows ----
    assert.equal(
      navigate(contents, 'will-navigate', 'app://badge-desk/index.html#/events/1'),
      false,
      'in-app navigation stays',
    );
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://127.0.0.1:9/',
      'http://example.com/',
      'data:text/html,<script>1</script>',
      'app://evil/index.html',
      'smb://share/x',
    ]) {
      assert.equal(navigate(contents, 'will-navigate', url), true, `will-navigate ${url}`);
      assert.equal(navigate(contents, 'will-redirect', url), true, `will-redirect ${url}`);
      assert.equal(navigate(contents, 'will-frame-navigate', url), true, `will-frame-navigate ${url}`);
    }
    assert.deepEqual(state.openedExternally, [], 'nothing but https goes to the system browser');
    assert.equal(
      navigate(contents, 'will-navigate', 'https://www.eventbrite.com/help'),
      true,
      'an https link leaves the app…',
    );
    assert.deepEqual(state.openedExternally, ['https://www.eventbrite.com/help'], '…for the system browser');
    assert.equal(
      navigate(contents, 'will-attach-webview', 'app://badge-desk/index.html'),
      true,
      '<webview> refused',
    );
    assert.ok(contents.windowOpenHandler, 'a window-open handler is set');
    for (const url of [
      'app://badge-desk/index.html',
      'https://example.com/',
      'file:///etc/passwd',
      'about:blank',
    ]) {
      assert.deepEqual(
        contents.windowOpenHandler({ url }),
        { action: 'deny' },
        `window.open / middle-click ${url}`,
      );
    }
    assert.deepEqual(state.openedExternally, ['https://www.eventbrite.com/help', 'https://example.com/']);
    // A webContents main did not create itself (a devtools window, a future window) gets the same locks.
    const other = windowOf(new standIn.BrowserWindow({ show: false }) as unknown as FakeWindow);
    assert.equal(navigate(other, 'will-navigate', 'file:///etc/passwd'), true);
    assert.deepEqual(other.windowOpenHandler?.({ url: 'app://badge-desk/' }), { action: 'deny' });

    // ---- IPC: one channel, our window's main frame on an app:// page only ----
    assert.deepEqual([...state.ipcHandlers.keys()], [ELECTRON_INVOKE_CHANNEL]);
    const invoke = state.ipcHandlers.get(ELECTRON_INVOKE_CHANNEL)! as unknown as (
      event: unknown,
      channel: unknown,
      input: unknown,
    ) => Promise<Envelope>;
    const trusted = {
      sender: { id: contents.id },
      senderFrame: { url: 'app://badge-desk/index.html', parent: null },
    };
    const snapshot = await invoke(trusted, 'app.snapshot', {});
    assert.equal(snapshot.ok, true, JSON.stringify(snapshot));
    assert.equal((snapshot.value as { host: string }).host, 'electron');
    for (const [why, event] of [
      ['another webContents', { ...trusted, sender: { id: other.id } }],
      ['an iframe', { ...trusted, senderFrame: { url: 'app://badge-desk/index.html', parent: {} } }],
      [
        'a page navigated elsewhere',
        { ...trusted, senderFrame: { url: 'https://evil.example/', parent: null } },
      ],
      ['a file:// page', { ...trusted, senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
      ['a frame that is gone', { ...trusted, senderFrame: null }],
    ] as const) {
      const refused = await invoke(event, 'app.snapshot', {});
      assert.equal(refused.ok ? 'ok' : refused.error?.code, 'FORBIDDEN', why);
    }
    const unlocked = await invoke(trusted, 'session.unlock', { pin: PIN });
    assert.equal(unlocked.ok, true, JSON.stringify(unlocked));
    assert.ok(
      contents.sent.some(
        (m) =>
          m.channel === ELECTRON_PUSH_CHANNEL && (m.args[0] as { event: string }).event === 'sessionChanged',
      ),
      'pushes reach the window on the push channel',
    );

    // ---- a saved download is told to the desk (a CSV it exported is then on its record) ----
    const willDownload = state.sessionHandlers.get('will-download');
    assert.ok(willDownload, 'the shell follows downloads');
    const item = new (await import('node:events')).EventEmitter() as NodeJS.EventEmitter & {
      getFilename(): string;
      getSavePath(): string;
    };
    item.getFilename = () => 'not-an-export.csv';
    item.getSavePath = () => join(userData, 'not-an-export.csv');
    willDownload({}, item);
    item.emit('done', {}, 'completed');
    assert.equal(
      (await invoke(trusted, 'app.snapshot', {})).ok,
      true,
      'a download the desk did not export changes nothing',
    );

    // ---- the hidden print window: no preload, no Node, no scripts ----
    const windowsBefore = state.windows.length;
    const printers = await invoke(trusted, 'printers.system', {});
    assert.deepEqual(printers, { ok: true, value: [] });
    const printWindow = state.windows[windowsBefore];
    assert.ok(printWindow, 'listing printers opened the hidden window');
    const printPrefs = printWindow.options.webPreferences ?? {};
    assert.equal(printWindow.options.show, false);
    assert.equal(printPrefs.sandbox, true);
    assert.equal(printPrefs.contextIsolation, true);
    assert.equal(printPrefs.nodeIntegration, false);
    assert.equal(printPrefs.javascript, false);
    assert.equal(printPrefs.preload, undefined);
    assert.equal(printWindow.destroyed, true, 'and closed it');

    // ---- app:// serves the renderer folder only, with the CSP ----
    const serve = state.protocolHandlers.get('app')!;
    const index = await serve(new Request('app://badge-desk/index.html'));
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    for (const url of [
      'app://badge-desk/%2e%2e%2foutside.txt',
      'app://badge-desk/..%2Foutside.txt',
      'app://other/index.html',
    ]) {
      assert.equal((await serve(new Request(url))).status, 404, url);
    }
    assert.equal(
      (await serve(new Request('app://badge-desk/index.html', { method: 'POST', body: 'x' }))).status,
      405,
    );

    // ---- quitting closes the app host first ----
    const quit = once(state.app, 'quit');
    standIn.app.quit();
    await quit;
    assert.deepEqual(state.errorBoxes, []);
    assert.equal(state.exitCode, null);
  },
);

test('preload: window.badgeDesk is { invoke, subscribe } over two fixed channels, needing nothing but electron', async () => {
  const built = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'preload/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    write: false,
    logLevel: 'warning',
  });
  const code = built.outputFiles[0]!.text;
  const required: string[] = [];
  const module = { exports: {} };
  // No process, no Buffer, no globals beyond the language: what a sandboxed preload can count on.
  runInNewContext(code, {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return standIn;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    },
  });
  assert.deepEqual(required, ['electron']);

  const state = standInState();
  assert.deepEqual([...state.exposed.keys()], ['badgeDesk'], 'one global, nothing else');
  const bridge = state.exposed.get('badgeDesk') as Record<string, unknown>;
  assert.deepEqual(Object.keys(bridge).sort(), ['invoke', 'subscribe']);
  const { invoke, subscribe } = bridge as {
    invoke: (channel: unknown, input: unknown) => Promise<unknown>;
    subscribe: (listener: unknown) => () => void;
  };

  // invoke: the channel name and input travel as data on the one invoke channel.
  const before = state.rendererInvokes.length;
  await invoke('events.list', {});
  await invoke('fs.readFile', { path: '/etc/passwd' });
  assert.deepEqual(state.rendererInvokes.slice(before), [
    { channel: ELECTRON_INVOKE_CHANNEL, args: ['events.list', {}] },
    { channel: ELECTRON_INVOKE_CHANNEL, args: ['fs.readFile', { path: '/etc/passwd' }] },
  ]);

  // subscribe: the listener gets the message only, never the IpcRendererEvent (and its sender).
  const received: unknown[][] = [];
  const unsubscribe = subscribe((...args: unknown[]) => received.push(args));
  const listeners = state.rendererListeners.get(ELECTRON_PUSH_CHANNEL)!;
  assert.equal(listeners.size, 1);
  assert.deepEqual(
    [...state.rendererListeners.keys()],
    [ELECTRON_PUSH_CHANNEL],
    'it listens on the push channel only',
  );
  const message = { event: 'eventChanged', payload: { eventId: 1 } };
  for (const listener of listeners)
    listener({ sender: standIn.ipcRenderer, senderId: 0, ports: [] }, message);
  assert.deepEqual(received, [[message]]);
  unsubscribe();
  assert.equal(listeners.size, 0, 'unsubscribe removes the listener');
  // (Thrown in the preload's own realm: compared by name, not by prototype.)
  assert.throws(() => subscribe('not a function'), { name: 'TypeError', message: /listener function/ });
});
