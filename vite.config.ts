// Builds the renderer (React) into out/renderer. The same files load in Electron (app:// scheme)
// and from the browser host (`npm run web`, the tests; served at /), hence the relative base.
// `npm run dev` (main/host/dev.ts) serves the renderer from source with this config instead.
// The built page runs under a strict CSP (script-src 'self', style-src 'self'): Vite emits the
// entry script and the stylesheet as files, never inline.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server (only) injects inline scripts (React Refresh) and inline <style> tags (CSS
 * hot reload), which the page's CSP forbids. Drop the CSP meta while serving; builds keep it.
 */
function relaxCspInDevServer(): Plugin {
  return {
    name: 'badge-desk:relax-csp-in-dev-server',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), relaxCspInDevServer()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No polyfill snippet; every browser we load in (Electron's Chromium, test Chromium) has modulepreload.
    modulePreload: { polyfill: false },
    // Fonts or images never become inline data in CSS/JS beyond what img-src data: allows.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  // The camera's decode worker is an ES module; its WebAssembly is one of the build's own files.
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [repoRoot] } },
});
