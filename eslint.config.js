// Flat config: typescript-eslint's recommended rules, plus the layer rule from STYLE.md:
// shared/ is pure (imports nothing from main/, renderer/ or Node), and the core never imports electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', Buffer: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly', performance: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/main/**', '**/renderer/**', '**/preload/**', 'node:*', 'electron', 'better-sqlite3'], message: 'shared/ is pure: it may import only shared/ and pure libraries.' },
      ] }],
    },
  },
  // The layers of main/ (DESIGN.md): shared <- ground <- db/providers <- sync/desk/printing <- core <- app <- host/electron.
  // A folder may import its own tier's neighbours only where listed, and never a folder above it.
  ...layerRules(),
);

function layerRules() {
  const tiers = [
    ['ground'],
    ['db', 'providers'],
    ['sync', 'desk', 'printing', 'simulator', 'venue'],
    ['core'],
    ['app'],
    ['host', 'electron'],
  ];
  const electronOnlyInShell = { name: 'electron', message: 'Only main/electron/ (the shell) imports electron; the core runs in plain Node.' };
  return tiers.flatMap((tier, level) => {
    const above = tiers.slice(level + 1).flat();
    return tier.map((folder) => {
      // Same-tier folders stay apart too, except db, which reads the provider clients' record types.
      const sideways = tier.filter((other) => other !== folder && !(folder === 'db' && other === 'providers'));
      const forbidden = [...above, ...sideways];
      const patterns = forbidden.length
        ? [{ group: forbidden.map((f) => `**/${f}/**`), message: `main/${folder}/ sits below ${forbidden.join(', ')}: dependencies point down (shared <- ground <- db/providers <- sync/desk/printing <- core <- app <- host/electron).` }]
        : [];
      const paths = folder === 'electron' ? [] : [electronOnlyInShell];
      return { files: [`main/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
    });
  });
}
