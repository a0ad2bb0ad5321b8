// Push events from the core (main -> renderer). One typed map, so IPC forwarding and tests
// listen to the same names.
import { EventEmitter } from 'node:events';
import type { PushEventMap } from '../../shared/ipc-wire.ts';

/** What the core announces: the renderer's push events, less the session's (the app layer's own). */
export type CoreEventMap = Omit<PushEventMap, 'sessionChanged'>;

export type CoreEventName = keyof CoreEventMap;

export class CoreEvents {
  private readonly emitter = new EventEmitter();
  constructor() {
    // Every open window and test may listen; the default cap of 10 is for leak detection only.
    this.emitter.setMaxListeners(100);
  }
  on<K extends CoreEventName>(name: K, listener: (payload: CoreEventMap[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
  emit<K extends CoreEventName>(name: K, payload: CoreEventMap[K]): void {
    this.emitter.emit(name, payload);
  }
  /** Resolves with the first payload that matches; for tests and one-shot waits. */
  once<K extends CoreEventName>(
    name: K,
    match: (payload: CoreEventMap[K]) => boolean = () => true,
  ): Promise<CoreEventMap[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (p) => {
        if (match(p)) {
          off();
          resolve(p);
        }
      });
    });
  }
}
