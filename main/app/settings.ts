// Station settings over a small key-value store (electron-store in the app, a JSON file in the
// browser host). Whatever is stored is re-validated on read: a hand-edited file cannot break the app.
import { DEFAULT_SETTINGS, storedSettingsSchema, type StationSettings } from '../../shared/ipc-contract.ts';
import type { KeyValueStore } from './types.ts';

const KEY = 'settings';

export function readSettings(store: KeyValueStore): StationSettings {
  const parsed = storedSettingsSchema.safeParse(store.get(KEY) ?? {});
  return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export function updateSettings(store: KeyValueStore, patch: Partial<StationSettings>): StationSettings {
  const next = { ...readSettings(store), ...patch };
  store.set(KEY, next);
  return next;
}
