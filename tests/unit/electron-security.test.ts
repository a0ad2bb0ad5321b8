// The Electron shell's security decisions and its safeStorage secret store, in plain Node
// (no electron import: the pure functions and a fake safeStorage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  appResponseHeaders,
  decideNavigation,
  isAllowedExternalUrl,
  isTrustedSender,
  isTrustedSenderUrl,
  mayGrantPermission,
  resolveAppPath,
} from '../../main/electron/security.ts';
import { SafeStorageSecretStore, type SafeStorageLike } from '../../main/electron/safe-storage-secrets.ts';
import { CONTENT_SECURITY_POLICY as BROWSER_HOST_CSP } from '../../main/host/server.ts';

const ROOT = resolve(tmpdir(), 'badge-desk-renderer');

test('sender URL: only pages of app://badge-desk are trusted', () => {
  assert.equal(isTrustedSenderUrl(APP_ENTRY_URL), true);
  assert.equal(isTrustedSenderUrl('app://badge-desk/'), true);
  assert.equal(isTrustedSenderUrl('app://badge-desk/index.html#/events/3'), true);
  for (const url of [
    'app://evil/index.html',
    'app://badge-desk.evil.com/index.html',
    'app://user:pw@badge-desk/index.html',
    'https://badge-desk/index.html',
    'file:///work/main/out/renderer/index.html',
    'http://127.0.0.1:5173/',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'data:text/html,<script>1</script>',
    '',
    'not a url',
    null,
    undefined,
  ]) {
    assert.equal(isTrustedSenderUrl(url), false, String(url));
  }
});

test('sender: our window, its main frame, an app:// page — all three or nothing', () => {
  const ok = { senderWebContentsId: 7, windowWebContentsId: 7, isMainFrame: true, frameUrl: APP_ENTRY_URL };
  assert.equal(isTrustedSender(ok), true);
  assert.equal(isTrustedSender({ ...ok, senderWebContentsId: 8 }), false, 'another webContents');
  assert.equal(isTrustedSender({ ...ok, windowWebContentsId: null }), false, 'no window');
  assert.equal(isTrustedSender({ ...ok, isMainFrame: false }), false, 'an iframe');
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'https://example.com/' }), false, 'navigated away');
  assert.equal(isTrustedSender({ ...ok, frameUrl: null }), false, 'frame gone');
});

test('app:// paths resolve inside the renderer folder', () => {
  assert.equal(resolveAppPath(ROOT, 'app://badge-desk/index.html'), join(ROOT, 'index.html'));
  assert.equal(resolveAppPath(ROOT, 'app://badge-desk/'), join(ROOT, 'index.html'));
  assert.equal(resolveAppPath(ROOT, 'app://badge-desk'), join(ROOT, 'index.html'));
  assert.equal(
    resolveAppPath(ROOT, 'app://badge-desk/assets/index-abc.js?v=1#x'),
    join(ROOT, 'assets', 'index-abc.js'),
  );
  assert.equal(resolveAppPath(ROOT, 'app://badge-desk/assets/'), join(ROOT, 'assets', 'index.html'));
  assert.equal(
    resolveAppPath(ROOT, 'app://badge-desk/fonts/Inter%20Var.woff2'),
    join(ROOT, 'fonts', 'Inter Var.woff2'),
  );
});

test('app:// paths never leave the renderer folder', () => {
  // Dot segments the URL parser resolves itself (Chromium does the same) are clamped at the root…
  for (const url of [
    'app://badge-desk/../secret.txt',
    'app://badge-desk/assets/../../secret.txt',
    'app://badge-desk/%2e%2e/secret.txt',
  ]) {
    assert.equal(resolveAppPath(ROOT, url), join(ROOT, 'secret.txt'), url);
  }
  // …and whatever survives parsing and would climb or smuggle is refused outright (a 404).
  for (const url of [
    'app://badge-desk/%2E%2E%2Fsecret.txt',
    'app://badge-desk/..%2f..%2fetc%2fpasswd',
    'app://badge-desk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://badge-desk/assets/..%5c..%5csecret.txt',
    'app://badge-desk/a\\..\\..\\secret.txt',
    'app://badge-desk/index.html%00.png',
    'app://badge-desk/%E0%A4%A', // malformed escape
    'app://other-host/index.html',
    'app://user@badge-desk/index.html',
    'https://badge-desk/index.html',
    'file:///etc/passwd',
    'not a url',
  ]) {
    assert.equal(resolveAppPath(ROOT, url), null, url);
  }
});

test('app:// responses carry the same CSP as the renderer page and the browser host', () => {
  assert.equal(CONTENT_SECURITY_POLICY, BROWSER_HOST_CSP);
  const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  assert.ok(meta, 'renderer/index.html has a CSP meta tag');
  assert.equal(meta[1], CONTENT_SECURITY_POLICY);
  const headers = appResponseHeaders('/x/index.html');
  assert.equal(headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(appResponseHeaders('/x/a.js')['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(appResponseHeaders('/x/a.unknown')['content-type'], 'application/octet-stream');
});

test('navigation: in-app stays, https goes to the system browser, everything else is denied', () => {
  assert.equal(decideNavigation('app://badge-desk/index.html#/settings'), 'allow');
  assert.equal(decideNavigation('https://www.eventbrite.com/help'), 'external');
  for (const url of [
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'app://evil/index.html',
    'https://user:pw@example.com/',
    'smb://server/share',
    'ms-msdt:/id',
    'not a url',
  ]) {
    assert.equal(decideNavigation(url), 'deny', url);
  }
});

test('URLs the main process may open externally: https, or http on loopback (the simulator)', () => {
  assert.equal(isAllowedExternalUrl('https://www.eventbrite.com/oauth/authorize?x=1'), true);
  assert.equal(isAllowedExternalUrl('http://127.0.0.1:4010/oauth/authorize'), true);
  assert.equal(isAllowedExternalUrl('http://localhost:4010/oauth/authorize'), true);
  assert.equal(isAllowedExternalUrl('http://example.com/'), false);
  assert.equal(isAllowedExternalUrl('file:///etc/passwd'), false);
  assert.equal(isAllowedExternalUrl('javascript:alert(1)'), false);
  assert.equal(isAllowedExternalUrl('https://a:b@example.com/'), false);
});

// ---- the safeStorage secret store, with a fake safeStorage ----

/** Reversible "encryption" with a visible marker, so tests can tell sealed from plain. */
function fakeSafeStorage(
  opts: { available?: boolean; backend?: string | undefined } = {},
): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  const safe: SafeStorageLike & { calls: string[] } = {
    calls,
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString(plain: string) {
      calls.push('encrypt');
      if (!(opts.available ?? true)) throw new Error('Encryption is not available.');
      return Buffer.from(`SEALED:${Buffer.from(plain, 'utf8').reverse().toString('hex')}`, 'utf8');
    },
    decryptString(sealed: Buffer) {
      calls.push('decrypt');
      const text = sealed.toString('utf8');
      if (!text.startsWith('SEALED:'))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice('SEALED:'.length), 'hex').reverse().toString('utf8');
    },
  };
  if ('backend' in opts) safe.getSelectedStorageBackend = () => opts.backend ?? 'unknown';
  return safe;
}

function tempFile(t: { after(fn: () => void): void }): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bd-secrets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, path: join(dir, 'nested', 'credentials.json') };
}

test('secrets are sealed by safeStorage, stored as base64 in credentials.json (0600), and read back', (t) => {
  const { path } = tempFile(t);
  const store = new SafeStorageSecretStore(fakeSafeStorage({ backend: 'gnome_libsecret' }), path);
  assert.equal(store.encryptedAtRest, true);
  assert.equal(store.get('integration:eventbrite:1'), null);
  store.set('integration:eventbrite:1', 'tok-secret-123');
  store.set('integration:luma:9', 'luma-key');
  assert.equal(store.get('integration:eventbrite:1'), 'tok-secret-123');
  assert.equal(store.get('integration:luma:9'), 'luma-key');

  const raw = readFileSync(path, 'utf8');
  assert.ok(!raw.includes('tok-secret-123'), 'no plain secret in the file');
  const file = JSON.parse(raw) as {
    version: number;
    secrets: Record<string, { scheme: string; data: string }>;
  };
  assert.equal(file.version, 1);
  assert.equal(file.secrets['integration:eventbrite:1']!.scheme, 'safeStorage');
  assert.ok(
    Buffer.from(file.secrets['integration:eventbrite:1']!.data, 'base64')
      .toString('utf8')
      .startsWith('SEALED:'),
  );
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  // Atomic writes leave no temp files behind.
  assert.deepEqual(readdirSync(join(path, '..')), ['credentials.json']);

  // A second instance (the next app start) reads what the first wrote.
  const again = new SafeStorageSecretStore(fakeSafeStorage({ backend: 'gnome_libsecret' }), path);
  assert.equal(again.get('integration:luma:9'), 'luma-key');
  again.delete('integration:luma:9');
  again.delete('never-there');
  assert.equal(again.get('integration:luma:9'), null);
  assert.equal(store.get('integration:eventbrite:1'), 'tok-secret-123');
});

test('macOS/Windows: no backend reported means real encryption', (t) => {
  const { path } = tempFile(t);
  const store = new SafeStorageSecretStore(fakeSafeStorage(), path);
  assert.equal(store.encryptedAtRest, true);
  assert.equal(store.status.warning, null);
});

test('Linux basic_text fallback: still stored, but flagged as not encrypted, with a reason', (t) => {
  const { path } = tempFile(t);
  const store = new SafeStorageSecretStore(fakeSafeStorage({ backend: 'basic_text' }), path);
  assert.equal(store.encryptedAtRest, false);
  assert.match(store.status.warning ?? '', /basic_text/);
  store.set('r', 'secret');
  assert.equal(store.get('r'), 'secret');
});

test('no encryption available: still stored (flagged), then sealed once the keychain is back', (t) => {
  const { path } = tempFile(t);
  const fake = fakeSafeStorage({ available: false });
  const store = new SafeStorageSecretStore(fake, path);
  assert.equal(store.encryptedAtRest, false);
  assert.ok(store.status.warning);
  store.set('r', 'secret');
  assert.ok(!fake.calls.includes('encrypt'), 'encryptString is not called when unavailable');
  assert.equal(store.get('r'), 'secret');
  const stored = () =>
    (JSON.parse(readFileSync(path, 'utf8')) as { secrets: Record<string, { scheme: string }> }).secrets['r']!
      .scheme;
  assert.equal(stored(), 'unencrypted');

  const later = new SafeStorageSecretStore(fakeSafeStorage({ backend: 'kwallet5' }), path);
  assert.equal(later.encryptedAtRest, true);
  assert.equal(later.get('r'), 'secret');
  assert.equal(stored(), 'safeStorage', 're-sealed on first read');
  assert.equal(later.get('r'), 'secret');
});

test('a secret that cannot be decrypted reads as missing (connect again), never a crash', (t) => {
  const { path } = tempFile(t);
  const store = new SafeStorageSecretStore(fakeSafeStorage(), path);
  store.set('good', 'g');
  const file = JSON.parse(readFileSync(path, 'utf8')) as { secrets: Record<string, unknown> };
  file.secrets['bad'] = { scheme: 'safeStorage', data: Buffer.from('garbage').toString('base64') };
  file.secrets['weird'] = { scheme: 'rot13', data: 'x' };
  writeFileSync(path, JSON.stringify(file));
  assert.equal(store.get('bad'), null);
  assert.equal(store.get('weird'), null);
  assert.equal(store.get('good'), 'g');
  // Sealed secrets are unreadable while the keychain is unavailable, not returned garbled.
  assert.equal(new SafeStorageSecretStore(fakeSafeStorage({ available: false }), path).get('good'), null);
});

test('a damaged credentials file is kept aside, and the store starts empty', (t) => {
  const { path } = tempFile(t);
  const store = new SafeStorageSecretStore(fakeSafeStorage(), path);
  store.set('a', '1');
  writeFileSync(path, '{ not json');
  assert.equal(store.get('a'), null);
  assert.equal(existsSync(path), false);
  assert.equal(
    readdirSync(join(path, '..')).filter((n) => n.startsWith('credentials.json.damaged-')).length,
    1,
  );
  store.set('b', '2');
  assert.equal(store.get('b'), '2');
});

test('permissions: the camera (video only) for our window’s main frame on an app:// page; nothing else', () => {
  const camera = {
    permission: 'media',
    requestingUrl: 'app://badge-desk/index.html',
    fromAppWindow: true,
    isMainFrame: true,
    mediaTypes: ['video'],
  };
  assert.equal(mayGrantPermission(camera), true);
  assert.equal(
    mayGrantPermission({ ...camera, requestingUrl: 'app://badge-desk' }),
    true,
    'a check names the origin',
  );
  for (const [why, facts] of [
    ['the microphone', { ...camera, mediaTypes: ['audio'] }],
    ['camera and microphone', { ...camera, mediaTypes: ['video', 'audio'] }],
    ['no media named', { ...camera, mediaTypes: [] }],
    ['a frame', { ...camera, isMainFrame: false }],
    ['another window', { ...camera, fromAppWindow: false }],
    ['another site', { ...camera, requestingUrl: 'https://evil.example/' }],
    ['another app origin', { ...camera, requestingUrl: 'app://evil/index.html' }],
    ['no URL', { ...camera, requestingUrl: undefined }],
    ['notifications', { ...camera, permission: 'notifications' }],
    ['geolocation', { ...camera, permission: 'geolocation' }],
    ['display capture', { ...camera, permission: 'display-capture' }],
  ] as const) {
    assert.equal(mayGrantPermission({ ...facts, mediaTypes: [...facts.mediaTypes] }), false, why);
  }
});
