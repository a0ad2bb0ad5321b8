// better-sqlite3 for Electron's ABI, built beside (not over) node_modules' Node build, so
// `npm start` and `npm test` never undo each other. Uses the package's own prebuilt binaries
// (prebuild-install) where they can be downloaded, else compiles against Electron's headers.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

/** @returns {string} the path of better_sqlite3.node built for the installed Electron */
export function electronSqliteBinding(root) {
  const electronVersion = require('electron/package.json').version;
  const target = join(
    root,
    'out',
    'native',
    `electron-${electronVersion}-${process.platform}-${process.arch}`,
  );
  const binding = join(target, 'better_sqlite3.node');
  if (existsSync(binding)) return binding;

  const work = join(root, 'out', 'native', 'better-sqlite3-src');
  rmSync(work, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  });
  const run = (cmd, args) =>
    spawnSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
  const prebuilt = run(process.execPath, [
    require.resolve('prebuild-install/bin.js', { paths: [join(root, 'node_modules', 'better-sqlite3')] }),
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
  ]);
  if (!prebuilt) {
    const npmCli = process.env.npm_execpath;
    const ok =
      npmCli &&
      run(process.execPath, [
        npmCli,
        'exec',
        '--yes',
        '--',
        'node-gyp',
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
      ]);
    if (!ok)
      throw new Error('could not build better-sqlite3 for Electron (no prebuilt binary and no compiler?)');
  }
  mkdirSync(target, { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
  rmSync(work, { recursive: true, force: true });
  return binding;
}
