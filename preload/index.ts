// The preload: exposes exactly the typed bridge (invoke, subscribe) as window.badgeDesk — no
// ipcRenderer, no Node. It runs sandboxed, so it cannot require project files at run time:
// scripts/build.mjs bundles it into one CommonJS file (out/preload/index.cjs).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { BadgeDeskBridge, PushMessage } from '../shared/ipc-wire.ts';
// Only the two channel names: for this bundle scripts/build.mjs loads the contract as just its
// ELECTRON_* constants, so the zod schemas stay out of the preload (main validates; this only carries).
import { ELECTRON_INVOKE_CHANNEL, ELECTRON_PUSH_CHANNEL } from '../shared/ipc-wire.ts';

const bridge: BadgeDeskBridge = {
  invoke(channel, input) {
    return ipcRenderer.invoke(ELECTRON_INVOKE_CHANNEL, channel, input);
  },
  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    const handler = (_event: IpcRendererEvent, message: PushMessage) => listener(message);
    ipcRenderer.on(ELECTRON_PUSH_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(ELECTRON_PUSH_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('badgeDesk', bridge);
