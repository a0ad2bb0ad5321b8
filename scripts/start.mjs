// npm start [-- <electron args>]
// Builds main, preload and renderer, then runs the app in Electron.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';
import { electronSqliteBinding } from './electron-sqlite.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const electron = findElectronBinary();
if (!electron.ok) {
  console.error(
    [
      "Electron's binary is not installed here, so the desktop app cannot start.",
      `  (${electron.reason})`,
      'This happens when dependencies were installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (no internet on this machine).',
      'Either run `npm install` with internet access (it downloads Electron),',
      'or use the browser host instead: `npm run web` serves the same app on 127.0.0.1.',
    ].join('\n'),
  );
  process.exit(1);
}

const built = spawnSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

const sqliteBinding = electronSqliteBinding(root);

// `electron <folder>` runs package.json's "main" (out/main/main.mjs), as the packaged app does.
const child = spawn(electron.path, [root, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BADGE_DESK_SQLITE_BINDING: sqliteBinding },
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
