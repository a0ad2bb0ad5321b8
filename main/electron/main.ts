// The Electron shell: app lifecycle, the one window, the app:// protocol, the IPC wiring and the
// platform parts (safeStorage, electron-store, the system browser). Everything else — validation,
// roles, sessions, the core — lives in the app host, which the browser host serves the same way.
//
// Bundled by scripts/build.mjs into out/main/main.mjs (ESM). ESM main modules load
// asynchronously: everything that must happen before `ready` (setPath, privileged schemes, the
// single-instance lock) runs synchronously at the top level, before the first await.
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import Store from 'electron-store';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppHost } from '../app/app-host.ts';
import { describeStartupFailure, startupFailureText } from '../app/startup-failure.ts';
import type { AppHost } from '../app/types.ts';
import { ELECTRON_VENUE_NETWORK, venueNetworkOf } from '../app/venue-network.ts';
import { ELECTRON_INVOKE_CHANNEL, ELECTRON_PUSH_CHANNEL, type IpcResult } from '../../shared/ipc-contract.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  appResponseHeaders,
  decideNavigation,
  isAllowedExternalUrl,
  isTrustedSender,
  mayGrantPermission,
  resolveAppPath,
} from './security.ts';
import { SafeStorageSecretStore } from './safe-storage-secrets.ts';
import { electronOsPrinting } from './os-printing.ts';

// out/main/main.mjs -> out/
const OUT_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const RENDERER_DIR = join(OUT_DIR, 'renderer');
const PRELOAD_PATH = join(OUT_DIR, 'preload', 'index.cjs');

// ---- before ready ----

// A separate data folder (tests, a second desk on one machine). Also keys the single-instance lock.
const userDataOverride = process.env.BADGE_DESK_USER_DATA;
if (userDataOverride) app.setPath('userData', resolve(userDataOverride));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
// Every renderer sandboxed, whatever a window's own options say.
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let hostPromise: Promise<AppHost> | null = null;
let failed = false;

if (!app.requestSingleInstanceLock()) {
  // Another Badge Desk runs on this data folder: it gets focus (second-instance), we leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Navigation rules for every webContents that ever exists, not only the ones we create.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  // The host closes (jobs stopped, database closed) before the process goes.
  let closeState: 'open' | 'closing' | 'closed' = 'open';
  app.on('before-quit', (event) => {
    if (closeState === 'closed' || !hostPromise) return;
    event.preventDefault();
    if (closeState === 'closing') return;
    closeState = 'closing';
    void hostPromise
      .then((host) => host.close())
      .catch((err: unknown) => console.error('Badge Desk: closing the app host failed', err))
      .finally(() => {
        closeState = 'closed';
        app.quit();
      });
  });

  app.whenReady().then(start, (err: unknown) => fail(err));
}

// ---- after ready ----

function start(): void {
  protocol.handle(APP_SCHEME, serveApp);

  const ses = session.defaultSession;
  // The camera for the app's own page ("Scan with camera"); every other permission is refused.
  const fromAppWindow = (contents: WebContents | null) =>
    contents !== null &&
    mainWindow !== null &&
    !mainWindow.isDestroyed() &&
    contents.id === mainWindow.webContents.id;
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(
      mayGrantPermission({
        permission,
        requestingUrl: details.requestingUrl,
        fromAppWindow: fromAppWindow(contents),
        isMainFrame: details.isMainFrame,
        mediaTypes: 'mediaTypes' in details ? (details.mediaTypes ?? []) : [],
      }),
    ),
  );
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    mayGrantPermission({
      permission,
      requestingUrl: requestingOrigin,
      fromAppWindow: fromAppWindow(contents),
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType ? [details.mediaType] : [],
    }),
  );

  // A CSV the desk exported and the user saved: the desk records where, so that forgetting the
  // event removes that file too (main/core/forgetting.ts).
  ses.on('will-download', (_event, item) => {
    item.once('done', (_done, state) => {
      if (state !== 'completed') return;
      void hostPromise?.then(
        (host) => host.core.forget.csvSaved(item.getFilename(), item.getSavePath()),
        () => undefined,
      );
    });
  });

  const secretStore = new SafeStorageSecretStore(
    safeStorage,
    join(app.getPath('userData'), 'credentials.json'),
  );
  if (secretStore.status.warning) console.warn(`Badge Desk: ${secretStore.status.warning}`);

  const store = new Store<Record<string, unknown>>({ name: 'station', accessPropertiesByDotNotation: false });
  const settingsStore = {
    get: (key: string): unknown => store.get(key),
    set: (key: string, value: unknown): void => {
      // electron-store refuses undefined; clearing a key is a delete.
      if (value === undefined) store.delete(key);
      else store.set(key, value);
    },
  };

  hostPromise = createAppHost({
    dataDir: app.getPath('userData'),
    settingsStore,
    secretStore,
    host: 'electron',
    openExternal: openInSystemBrowser,
    env: process.env,
    liveSync: true,
    osPrinting: electronOsPrinting(),
    // Set by `npm start`: better-sqlite3 built for Electron, beside node_modules' Node build.
    // A packaged app has node_modules rebuilt for Electron by electron-builder and needs none.
    sqliteNativeBinding: app.isPackaged ? undefined : process.env.BADGE_DESK_SQLITE_BINDING,
    // A desk at a venue: listening on every interface and found by the others over mDNS, unless
    // BADGE_DESK_VENUE_LISTEN / BADGE_DESK_VENUE_MDNS say otherwise (app/venue-network.ts).
    ...venueNetworkOf(process.env, ELECTRON_VENUE_NETWORK),
  });
  hostPromise.catch((err: unknown) => fail(err));

  ipcMain.handle(ELECTRON_INVOKE_CHANNEL, handleInvoke);
  createWindow();
}

async function handleInvoke(
  event: IpcMainInvokeEvent,
  channel: unknown,
  input: unknown,
): Promise<IpcResult<unknown>> {
  const frame = event.senderFrame;
  const trusted = isTrustedSender({
    senderWebContentsId: event.sender.id,
    windowWebContentsId: mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null,
    isMainFrame: frame !== null && frame.parent === null,
    frameUrl: frame?.url,
  });
  if (!trusted || !hostPromise) return { ok: false, error: { code: 'FORBIDDEN', message: 'unknown sender' } };
  try {
    const host = await hostPromise;
    return await host.invoke(channel, input);
  } catch {
    // host.invoke never throws; this is the host failing to start (fail() reports it).
    return { ok: false, error: { code: 'INTERNAL', message: 'Badge Desk could not start its data store' } };
  }
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Badge Desk',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());

  // Push events (status changes, job progress…) to this window while it exists.
  let unsubscribe: (() => void) | null = null;
  void hostPromise?.then(
    (host) => {
      if (win.isDestroyed()) return;
      unsubscribe = host.subscribe((message) => {
        if (!win.isDestroyed()) win.webContents.send(ELECTRON_PUSH_CHANNEL, message);
      });
    },
    () => undefined,
  );
  win.on('closed', () => {
    unsubscribe?.();
    if (mainWindow === win) mainWindow = null;
  });

  void win.loadURL(APP_ENTRY_URL);
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const guard = (event: { preventDefault(): void }, url: string) => {
    const decision = decideNavigation(url);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'external') openInSystemBrowser(url);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  // Subframes too (the CSP allows none, this is the second lock).
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url) === 'external') openInSystemBrowser(url);
    return { action: 'deny' };
  });
}

/**
 * The one call of shell.openExternal: https links the page follows (decideNavigation says
 * 'external') and the OAuth sign-in page, only when isAllowedExternalUrl agrees (https, or http
 * on loopback); never file:, custom schemes or anything an OS handler would run.
 */
function openInSystemBrowser(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else console.warn('Badge Desk: refused to open a non-web URL externally');
}

/** Serves out/renderer over app://, with the CSP as a header; anything else is a 404. */
async function serveApp(request: Request): Promise<Response> {
  const notFound = () =>
    new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response('Method not allowed', { status: 405 });
  const path = resolveAppPath(RENDERER_DIR, request.url);
  if (!path) return notFound();
  try {
    const info = await stat(path);
    if (!info.isFile()) return notFound();
    const body = request.method === 'HEAD' ? null : await readFile(path);
    return new Response(body, { status: 200, headers: appResponseHeaders(path) });
  } catch {
    return notFound();
  }
}

/** What happened and what to do, in a dialog and on the console; no stack trace for a person to read. */
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  const failure = describeStartupFailure(err, app.getPath('userData'));
  console.error(startupFailureText(failure));
  dialog.showErrorBox(failure.title, `${failure.what}\n\nWhat to do: ${failure.todo}`);
  app.exit(1);
}
