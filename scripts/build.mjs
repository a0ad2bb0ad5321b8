// npm run build [-- --no-renderer]
// Bundles the Electron shell and the preload with esbuild, then the renderer with vite:
//   main/electron/main.ts -> out/main/main.mjs     (ESM, Node; runtime dependencies stay external)
//   main/db/wal-checkpoint-worker.ts -> out/main/wal-checkpoint-worker.mjs (the checkpointer's worker thread)
//   preload/index.ts      -> out/preload/index.cjs (ONE CommonJS file: a sandboxed preload cannot require our modules)
//   renderer (vite.config.ts)                 -> out/renderer
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'out');
const args = new Set(process.argv.slice(2));
const withRenderer = !args.has('--no-renderer');

function fail(message) {
  console.error(`\nbuild failed: ${message}`);
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Runtime dependencies ship in node_modules next to the app (better-sqlite3 is native and
// electron-store is ESM that imports electron); devDependencies are bundled or unused.
const external = ['electron', ...Object.keys(pkg.dependencies ?? {})];

rmSync(join(out, 'main'), { recursive: true, force: true });
rmSync(join(out, 'preload'), { recursive: true, force: true });

try {
  await build({
    absWorkingDir: root,
    // The WAL checkpointer's worker thread is a script of its own, beside main.mjs (main/db/wal-checkpointer.ts).
    entryPoints: {
      main: join(root, 'main/electron/main.ts'),
      'wal-checkpoint-worker': join(root, 'main/db/wal-checkpoint-worker.ts'),
    },
    outdir: join(out, 'main'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    sourcemap: true,
    logLevel: 'warning',
    // Bundled CommonJS code (if any) may still call require().
    banner: {
      js: "import { createRequire as __badgeDeskCreateRequire } from 'node:module'; const require = __badgeDeskCreateRequire(import.meta.url);",
    },
  });
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'preload/index.ts')],
    outfile: join(out, 'preload/index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
} catch (err) {
  fail(`esbuild could not bundle main/preload (${err instanceof Error ? err.message.split('\n')[0] : err})`);
}
console.log('bundled out/main/main.mjs and out/preload/index.cjs');

if (withRenderer) {
  const viteConfig = join(root, 'vite.config.ts');
  if (!existsSync(viteConfig)) {
    fail(
      'vite.config.ts is missing at the top level, so the renderer cannot be built yet (main and preload are bundled). Run with --no-renderer to skip it.',
    );
  }
  const { build: viteBuild } = await import('vite');
  try {
    // The config sets its own root (renderer/) and outDir (out/renderer).
    await viteBuild({ configFile: viteConfig, logLevel: 'warn' });
  } catch (err) {
    fail(`vite could not build the renderer (${err instanceof Error ? err.message.split('\n')[0] : err})`);
  }
  if (!existsSync(join(out, 'renderer', 'index.html'))) {
    fail(
      'vite finished but out/renderer/index.html does not exist: vite.config.ts must set build.outDir to out/renderer.',
    );
  }
  console.log('built out/renderer');
}
