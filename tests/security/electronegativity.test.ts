// Electronegativity (Doyensec's static checker for Electron apps) over the app's sources: main/
// (the Electron shell in main/electron and the core it starts), preload/, renderer/ and shared/,
// with package.json for the Electron version. TypeScript is read as is: Electronegativity parses
// .ts/.tsx with Babel's typescript plugin. (The esbuild output is .mjs/.cjs, which it does not
// pick up, and findings there would point into a bundle rather than at a source line.)
//
// Every finding above informational must be explained in build/electronegativity-explained.json
// (check, file and source line, with the reason), and every explanation must still match a
// finding. A canary window with Node integration on and no isolation is scanned in the same run:
// if the scanner stopped reading our TypeScript, the canary would go quiet and the test fails.
//
// Offline and deterministic: the Electron version is taken from package-lock.json;
// AvailableSecurityFixesGlobalCheck is left out (it downloads Electron's release list from
// GitHub, and for Electron as a devDependency it only ever reports informational); the download
// of updated translations is answered "not found" so the bundled English texts are used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXPLAINED_PATH = join(ROOT, 'build', 'electronegativity-explained.json');
const SCANNED = ['main', 'preload', 'renderer/index.html', 'renderer/src', 'shared', 'package.json'];
const CANARY_DIR = 'zz-canary';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  sample?: string;
  description: string;
  manualReview: boolean;
}

interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Finding[];
}

interface Explained {
  check: string;
  file: string;
  code: string;
  severity: string;
  verdict: 'reviewed' | 'false positive';
  reason: string;
}

const require = createRequire(import.meta.url);

/** Electronegativity's own runner, with its translation download answered "not found" (no network). */
function loadRunner(): (options: Record<string, unknown>) => Promise<ScanResult> {
  const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
  const gotPath = require.resolve('got', { paths: [join(dirname(runnerPath), 'locales')] });
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = async () => ({ statusCode: 404, body: '' });
  require.cache[gotPath] = stub;
  return require(runnerPath) as (options: Record<string, unknown>) => Promise<ScanResult>;
}

// Two windows: Electronegativity does not report nodeIntegration where it sees a sandbox option.
const CANARY = `import { BrowserWindow } from 'electron';
export function openCanaries(): BrowserWindow[] {
  const withNode = new BrowserWindow({ webPreferences: { nodeIntegration: true } });
  const unisolated = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false, webSecurity: false } });
  return [withNode, unisolated];
}
`;

function label(f: Finding): string {
  return `${f.id} ${f.severity.name}/${f.confidence.name} ${f.file}:${f.location.line}:${f.location.column} \`${f.sample ?? ''}\``;
}

test(
  'electronegativity: every finding above informational is fixed or explained',
  { timeout: 120_000 },
  async () => {
    const explained = (JSON.parse(readFileSync(EXPLAINED_PATH, 'utf8')) as { explained: Explained[] })
      .explained;
    for (const e of explained) {
      assert.ok(
        e.check && e.file && e.code && e.reason.length > 40,
        `an explanation needs check, file, code and a real reason: ${JSON.stringify(e)}`,
      );
      assert.ok(['reviewed', 'false positive'].includes(e.verdict), `verdict of ${e.check} ${e.file}`);
    }

    const dir = mkdtempSync(join(tmpdir(), 'bd-electronegativity-'));
    try {
      for (const path of SCANNED) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
      mkdirSync(join(dir, CANARY_DIR));
      writeFileSync(join(dir, CANARY_DIR, 'canary.ts'), CANARY);
      const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { version?: string }>;
      };
      const electronVersion = lock.packages['node_modules/electron']?.version;
      assert.ok(electronVersion, 'package-lock.json names the Electron version');

      const run = loadRunner();
      const started = performance.now();
      const result = await run({
        input: dir,
        isRelative: true,
        electronVersionOverride: electronVersion,
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `electronegativity: ${result.globalChecks} global and ${result.atomicChecks} atomic checks, ${result.issues.length} findings in ${seconds} s`,
      );

      assert.ok(
        result.atomicChecks >= 30 && result.globalChecks >= 5,
        `checks loaded: ${result.atomicChecks} atomic, ${result.globalChecks} global`,
      );
      assert.deepEqual(
        result.errors,
        [],
        'every file parsed (a file it cannot parse is a file it did not check)',
      );

      // The canary proves the scan reads our TypeScript and reports what it should.
      const canary = result.issues.filter((f) => f.file.startsWith(CANARY_DIR));
      for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']) {
        assert.ok(
          canary.some((f) => f.id === id && f.severity.name !== 'INFORMATIONAL'),
          `the canary window is reported by ${id}: ${canary.map(label).join('; ')}`,
        );
      }
      // Electronegativity rates an explicit `nodeIntegration: true` as informational (!), so the
      // never-list below looks at every severity.
      assert.ok(
        canary.some(
          (f) => f.id === 'NODE_INTEGRATION_JS_CHECK' && f.sample?.includes('nodeIntegration: true'),
        ),
        'the canary with Node integration is reported',
      );

      const app = result.issues.filter((f) => !f.file.startsWith(CANARY_DIR));
      const serious = app.filter((f) => f.severity.name !== 'INFORMATIONAL');
      const matches = (e: Explained, f: Finding) =>
        e.check === f.id && e.file === f.file && e.code === (f.sample ?? '').trim();
      const unexplained = serious.filter((f) => !explained.some((e) => matches(e, f)));
      const stale = explained.filter((e) => !serious.some((f) => matches(e, f)));
      for (const f of app) console.log(`  ${label(f)}${unexplained.includes(f) ? '  <- UNEXPLAINED' : ''}`);
      assert.deepEqual(
        unexplained.map(label),
        [],
        `fix these or explain them in build/electronegativity-explained.json (check, file, code = the source line, severity, verdict, reason)`,
      );
      assert.deepEqual(
        stale.map((e) => `${e.check} ${e.file} \`${e.code}\``),
        [],
        'explanations that match no finding any more: the code changed; review and remove or update them',
      );
      // The ones the app must never have, at any severity, whatever an explanation says.
      for (const id of [
        'NODE_INTEGRATION_JS_CHECK',
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'INSECURE_CONTENT_JS_CHECK',
        'EXPERIMENTAL_FEATURES_JS_CHECK',
        'BLINK_FEATURES_JS_CHECK',
        'CERTIFICATE_VERIFY_PROC_JS_CHECK',
        'CERTIFICATE_ERROR_EVENT_JS_CHECK',
        'DANGEROUS_FUNCTIONS_JS_CHECK',
        'REMOTE_MODULE_JS_CHECK',
        'SECURITY_WARNINGS_DISABLED_JS_CHECK',
        'CUSTOM_ARGUMENTS_JS_CHECK',
        'HTTP_RESOURCES_JS_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]) {
        assert.deepEqual(app.filter((f) => f.id === id).map(label), [], id);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
