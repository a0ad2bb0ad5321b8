// Flat config: typescript-eslint's recommended rules, plus the layer rules (docs/ARCHITECTURE.md):
// shared/ is pure (imports nothing from main/, renderer/ or Node), and the core never imports electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettierConfig from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        performance: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/main/**',
                '**/renderer/**',
                '**/preload/**',
                'node:*',
                'electron',
                'better-sqlite3',
              ],
              message: 'shared/ is pure: it may import only shared/ and pure libraries.',
            },
          ],
        },
      ],
    },
  },
  // The layers of main/ (docs/ARCHITECTURE.md): shared <- ground <- db/providers <- sync/desk/printing <- core <- app <- host/electron.
  // A folder may import its own tier's neighbours only where listed, and never a folder above it.
  ...layerRules(),
  // The renderer: one folder per feature, dependencies pointing one way (see rendererRules).
  ...rendererRules(),
  // Formatting is Prettier's (npm run format; npm run lint checks it): no ESLint rule argues with it.
  prettierConfig,
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
  const electronOnlyInShell = {
    name: 'electron',
    message: 'Only main/electron/ (the shell) imports electron; the core runs in plain Node.',
  };
  return tiers.flatMap((tier, level) => {
    const above = tiers.slice(level + 1).flat();
    return tier.map((folder) => {
      // Same-tier folders stay apart too, except db, which reads the provider clients' record types.
      const sideways = tier.filter(
        (other) => other !== folder && !(folder === 'db' && other === 'providers'),
      );
      const forbidden = [...above, ...sideways];
      const patterns = forbidden.length
        ? [
            {
              group: forbidden.map((f) => `**/${f}/**`),
              message: `main/${folder}/ sits below ${forbidden.join(', ')}: dependencies point down (shared <- ground <- db/providers <- sync/desk/printing <- core <- app <- host/electron).`,
            },
          ]
        : [];
      const paths = folder === 'electron' ? [] : [electronOnlyInShell];
      return {
        files: [`main/${folder}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
      };
    });
  });
}

// The renderer's folders (renderer/src/): app/ (the shell, the store's composition, and the store
// kit, hook, bridge and helpers the features build on), ui/ (generic pieces), and one folder per
// feature. Dependencies point one way:
//   shell (app/*.tsx) and composition (app/store.ts) -> features -> app's store modules -> ui/ -> shared/
// A feature shows its screens to others through index.ts and hands its slice over through state.ts;
// nothing outside the feature imports any other file of it.
function rendererRules() {
  const RENDERER_FEATURES = [
    'events',
    'desk',
    'printing',
    'venue',
    'settings',
    'storage',
    'lists',
    'camera',
    'glance',
    'kiosk',
  ];
  const direction =
    'Renderer dependencies point one way: app/ shell and app/store.ts -> features (index.ts, state.ts) -> app/ store modules -> ui/ -> shared/.';
  const neverCore = {
    group: ['**/main/**', '**/preload/**'],
    message:
      'The renderer never imports main/ or preload/: it reaches the core only over IPC (app/bridge.ts), and shares code with it only through shared/.',
  };
  const noElectron = {
    name: 'electron',
    message:
      'The renderer never imports electron: the preload exposes window.badgeDesk, which app/bridge.ts wraps.',
  };
  const only = (surfaces, features) =>
    features.flatMap((f) => [`**/${f}/**`, ...surfaces.map((s) => `!**/${f}/${s}`)]);
  const block = (files, patterns, ignores = []) => ({
    files,
    ignores,
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [neverCore, ...patterns] }],
    },
  });
  const statePure = {
    group: ['**/*.tsx', '**/*.css', '**/index.ts'],
    message: `Store modules (.ts) import no screen, stylesheet or index.ts, so the store builds in Node without React or CSS (the slice tests). ${direction}`,
  };
  return [
    block(['renderer/**/*.{ts,tsx}'], []),
    block(
      ['renderer/src/ui/**/*.{ts,tsx}'],
      [
        {
          group: ['**/app/**', ...RENDERER_FEATURES.map((f) => `**/${f}/**`)],
          message: `ui/ holds generic pieces: it imports no feature and nothing of app/. ${direction}`,
        },
      ],
    ),
    // The shell renders the features' screens: through their index.ts.
    block(
      ['renderer/src/app/**/*.tsx'],
      [
        {
          group: only(['index.ts'], RENDERER_FEATURES),
          message: `The shell takes a feature's screens from its index.ts only. ${direction}`,
        },
      ],
    ),
    // The store's modules compose the features' slices: through their state.ts.
    block(
      ['renderer/src/app/**/*.ts'],
      [
        {
          group: only(['state.ts'], RENDERER_FEATURES),
          message: `The store takes a feature's slice from its state.ts only. ${direction}`,
        },
        statePure,
      ],
    ),
    ...RENDERER_FEATURES.flatMap((feature) => {
      const others = RENDERER_FEATURES.filter((f) => f !== feature);
      const patterns = [
        {
          group: only(['index.ts', 'state.ts'], others),
          message: `A feature imports another feature only through its index.ts (screens) or state.ts (slice), never a file behind them. ${direction}`,
        },
        {
          group: ['**/app/*.tsx', '**/app/store.ts'],
          message: `A feature may use app/'s store hook, kit, bridge and helpers, never the shell (main.tsx, App, TopBar, Toasts) nor the store's composition (store.ts): they import the features. ${direction}`,
        },
      ];
      return [
        block([`renderer/src/${feature}/**/*.{ts,tsx}`], patterns),
        block(
          [`renderer/src/${feature}/**/*.ts`],
          [...patterns, statePure],
          [`renderer/src/${feature}/index.ts`],
        ),
      ];
    }),
  ];
}
