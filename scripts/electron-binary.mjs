// Where is Electron's binary? `require('electron')` answers with its path from node, but throws
// (or names a missing file) where it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1.
// Shared by scripts/start.mjs and the Electron end-to-end test.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** @returns {{ ok: true, path: string } | { ok: false, reason: string }} */
export function findElectronBinary() {
  let path;
  try {
    path = require('electron');
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ok: false, reason: `require('electron') failed: ${detail}` };
  }
  if (typeof path !== 'string' || path === '')
    return { ok: false, reason: "require('electron') gave no binary path" };
  if (!existsSync(path)) return { ok: false, reason: `the Electron binary ${path} does not exist` };
  return { ok: true, path };
}
