// A stand-in for the `electron` module (and electron-store), for running the Electron shell's
// own code in plain Node where Electron's binary is not installed. It does nothing but record:
// which options each BrowserWindow got, which handlers main installed, what the preload exposed.
// Tests bundle main/electron/main.ts or preload/index.ts with `electron` pointing here (esbuild
// alias) and read what happened from `standInState()`; the state lives on globalThis, so every
// bundled copy of this module shares it.
import { EventEmitter } from 'node:events';

type Handler = (...args: never[]) => unknown;

export interface FakeWebContents extends EventEmitter {
  id: number;
  sent: { channel: string; args: unknown[] }[];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null;
}

export interface FakeWindow {
  options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>;
  webContents: FakeWebContents;
  loadedUrls: string[];
  destroyed: boolean;
}

export interface StandInState {
  /** Calls in order, by name: shows what happened before `ready`. */
  calls: string[];
  privilegedSchemes: unknown[];
  app: EventEmitter;
  userData: string;
  ready: Promise<void>;
  isReady: boolean;
  becomeReady(): void;
  windows: FakeWindow[];
  nextWebContentsId: number;
  ipcHandlers: Map<string, Handler>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionRequestHandler:
    | ((
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details: { requestingUrl?: string; isMainFrame: boolean; mediaTypes?: string[] },
      ) => void)
    | null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null;
  /** The default session's event handlers (will-download), by event. */
  sessionHandlers: Map<string, (...args: unknown[]) => void>;
  openedExternally: string[];
  errorBoxes: string[];
  exitCode: number | null;
  /** contextBridge.exposeInMainWorld(key, api) */
  exposed: Map<string, unknown>;
  /** ipcRenderer.invoke(channel, ...args) */
  rendererInvokes: { channel: string; args: unknown[] }[];
  rendererListeners: Map<string, Set<(...args: unknown[]) => void>>;
}

const KEY = Symbol.for('badge-desk.electron-stand-in');

function createState(): StandInState {
  let resolveReady: () => void = () => undefined;
  const state: StandInState = {
    calls: [],
    privilegedSchemes: [],
    app: new EventEmitter(),
    userData: '',
    ready: new Promise<void>((resolve) => (resolveReady = resolve)),
    isReady: false,
    becomeReady: () => {
      state.calls.push('ready');
      state.isReady = true;
      resolveReady();
    },
    windows: [],
    nextWebContentsId: 1,
    ipcHandlers: new Map(),
    protocolHandlers: new Map(),
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    sessionHandlers: new Map(),
    openedExternally: [],
    errorBoxes: [],
    exitCode: null,
    exposed: new Map(),
    rendererInvokes: [],
    rendererListeners: new Map(),
  };
  return state;
}

/** The one state of this process (every bundled copy of this module finds the same). */
export function standInState(): StandInState {
  const g = globalThis as { [KEY]?: StandInState };
  g[KEY] ??= createState();
  return g[KEY];
}

const state = standInState;

function fakeWebContents(): FakeWebContents {
  const contents = Object.assign(new EventEmitter(), {
    id: state().nextWebContentsId++,
    sent: [] as { channel: string; args: unknown[] }[],
    windowOpenHandler: null as FakeWebContents['windowOpenHandler'],
  });
  return Object.assign(contents, {
    send(channel: string, ...args: unknown[]) {
      contents.sent.push({ channel, args });
    },
    setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']) {
      contents.windowOpenHandler = handler;
    },
    async getPrintersAsync() {
      return [];
    },
    async executeJavaScript() {
      return undefined;
    },
    print() {
      throw new Error('the stand-in has no printers');
    },
  });
}

export class BrowserWindow extends EventEmitter {
  readonly webContents: FakeWebContents;
  private readonly record: FakeWindow;
  constructor(options: FakeWindow['options'] = {}) {
    super();
    this.webContents = fakeWebContents();
    this.record = {
      options: structuredClone(options),
      webContents: this.webContents,
      loadedUrls: [],
      destroyed: false,
    };
    state().windows.push(this.record);
    state().calls.push('new BrowserWindow');
    // As Electron does: every new webContents is announced to the app.
    state().app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
  }
  static getAllWindows(): unknown[] {
    return state().windows.filter((w) => !w.destroyed);
  }
  async loadURL(url: string): Promise<void> {
    this.record.loadedUrls.push(url);
  }
  async loadFile(path: string): Promise<void> {
    this.record.loadedUrls.push(`file://${path}`);
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.record.destroyed;
  }
  destroy(): void {
    this.record.destroyed = true;
    this.emit('closed');
  }
}

export const app = {
  on(event: string, listener: (...args: never[]) => void) {
    state().app.on(event, listener as (...args: unknown[]) => void);
    return app;
  },
  once(event: string, listener: (...args: never[]) => void) {
    state().app.once(event, listener as (...args: unknown[]) => void);
    return app;
  },
  setPath(name: string, path: string) {
    state().calls.push(`app.setPath(${name})`);
    if (name === 'userData') state().userData = path;
  },
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`the stand-in knows only userData, not ${name}`);
    return state().userData;
  },
  enableSandbox() {
    state().calls.push('app.enableSandbox');
  },
  requestSingleInstanceLock() {
    state().calls.push('app.requestSingleInstanceLock');
    return true;
  },
  whenReady() {
    return state().ready;
  },
  isReady() {
    return state().isReady;
  },
  isPackaged: false,
  quit() {
    // As Electron does: before-quit first; a handler may prevent it.
    let prevented = false;
    state().app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    state().calls.push('app.quit');
    state().app.emit('quit');
  },
  exit(code: number) {
    state().exitCode = code;
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    state().calls.push('protocol.registerSchemesAsPrivileged');
    state().privilegedSchemes.push(...structuredClone(schemes));
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    state().protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: StandInState['permissionRequestHandler']) {
      state().permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: StandInState['permissionCheckHandler']) {
      state().permissionCheckHandler = handler;
    },
    on(event: string, handler: (...args: unknown[]) => void) {
      state().sessionHandlers.set(event, handler);
    },
  },
};

export const ipcMain = {
  handle(channel: string, handler: Handler) {
    if (state().ipcHandlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    state().ipcHandlers.set(channel, handler);
  },
};

export const shell = {
  async openExternal(url: string) {
    state().openedExternally.push(url);
  },
};

export const dialog = {
  showErrorBox(title: string, content: string) {
    state().errorBoxes.push(`${title}: ${content}`);
  },
};

/** Reversible, visibly "sealed": enough to tell sealed from plain in a file. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (plain: string) => Buffer.from(`sealed:${Buffer.from(plain, 'utf8').toString('hex')}`),
  decryptString: (sealed: Buffer) =>
    Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'hex').toString('utf8'),
};

export const webContents = {
  getAllWebContents: () => [],
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    if (state().exposed.has(key)) throw new Error(`${key} exposed twice`);
    state().exposed.set(key, api);
  },
};

export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]) {
    state().rendererInvokes.push({ channel, args });
    return Promise.resolve({ ok: true, value: null });
  },
  on(channel: string, listener: (...args: unknown[]) => void) {
    const listeners = state().rendererListeners.get(channel) ?? new Set();
    listeners.add(listener);
    state().rendererListeners.set(channel, listeners);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: (...args: unknown[]) => void) {
    state().rendererListeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

/** electron-store: an in-memory map. */
export default class Store<T extends Record<string, unknown>> {
  private readonly data = new Map<string, unknown>();
  constructor(_options?: unknown) {}
  get(key: keyof T & string): unknown {
    return this.data.get(key);
  }
  set(key: keyof T & string, value: unknown): void {
    this.data.set(key, value);
  }
  delete(key: keyof T & string): void {
    this.data.delete(key);
  }
}
