// The Electron shell's security decisions as pure functions: which sender may call the IPC,
// which file an app:// request may read, where a navigation may go. No electron import, so the
// unit tests run them in plain Node; main.ts only feeds them what Electron reports.
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';
import { resolve, sep, extname } from 'node:path';

/** The renderer is served from this privileged custom scheme, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'badge-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY };

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether a URL belongs to the app's own origin (app://badge-desk). Compared on scheme and host:
 * Node's URL reports the origin of a custom scheme as "null", Chromium as "app://badge-desk".
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.host === APP_HOST &&
    u.username === '' &&
    u.password === ''
  );
}

/** The URL of the frame that sent an IPC message must be one of the app's own pages. */
export function isTrustedSenderUrl(url: string | null | undefined): boolean {
  return typeof url === 'string' && isAppUrl(url);
}

export interface SenderFacts {
  /** webContents id of the sender (event.sender.id). */
  senderWebContentsId: number;
  /** webContents id of the app's window, or null when it has none. */
  windowWebContentsId: number | null;
  /** Whether event.senderFrame exists and is the top-level frame of that webContents. */
  isMainFrame: boolean;
  /** event.senderFrame.url */
  frameUrl: string | null | undefined;
}

/** The whole sender check: our window, its main frame (no iframe), showing an app:// page. */
export function isTrustedSender(facts: SenderFacts): boolean {
  return (
    facts.windowWebContentsId !== null &&
    facts.senderWebContentsId === facts.windowWebContentsId &&
    facts.isMainFrame &&
    isTrustedSenderUrl(facts.frameUrl)
  );
}

/** What Electron tells the permission handlers of a request (main.ts reads it from its details). */
export interface PermissionFacts {
  permission: string;
  /** The URL (request) or origin (check) asking. */
  requestingUrl: string | null | undefined;
  /** The asker is our window's webContents. */
  fromAppWindow: boolean;
  isMainFrame: boolean;
  /** The media a 'media' request asks for ('video', 'audio'), or the one a check names. */
  mediaTypes: readonly string[];
}

/**
 * The camera for the app's own page, and nothing else: 'media' with video only (never the
 * microphone), from our window's main frame on an app:// page. Every other permission
 * (notifications, geolocation, clipboard, HID, serial, …) stays denied.
 */
export function mayGrantPermission(facts: PermissionFacts): boolean {
  if (facts.permission !== 'media') return false;
  if (!facts.fromAppWindow || !facts.isMainFrame) return false;
  if (typeof facts.requestingUrl !== 'string' || !isAppUrl(facts.requestingUrl)) return false;
  return facts.mediaTypes.length > 0 && facts.mediaTypes.every((type) => type === 'video');
}

/**
 * Maps an app:// request to a file under `root`, or null (answer 404) when it is not ours, is
 * malformed, or would leave `root` (`..`, encoded `%2e%2e`/`%2f`, backslashes, NUL bytes).
 * A directory path (`/`, `/x/`) means its index.html.
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  const u = parse(requestUrl);
  if (!u || !isAppUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (!pathname.startsWith('/')) pathname = `/${pathname}`;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const base = resolve(root);
  const target = resolve(base, `.${pathname}`);
  if (!target.startsWith(base + sep)) return null;
  return target;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers of every app:// response: the CSP travels as a header too, not only in the meta tag. */
export function appResponseHeaders(path: string): Record<string, string> {
  return {
    'content-type': contentTypeFor(path),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

/**
 * What to do when the page tries to navigate or open a window:
 * - 'allow': stays on the app's own origin (in-app navigation; only for will-navigate),
 * - 'external': an https link; it opens in the system browser, never inside the app,
 * - 'deny': everything else (http, file:, javascript:, data:, other schemes).
 */
export type NavigationDecision = 'allow' | 'external' | 'deny';

export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return 'allow';
  const u = parse(url);
  if (u && u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '')
    return 'external';
  return 'deny';
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * URLs the main process itself may hand to the system browser (OAuth sign-in): https, or http
 * on loopback only (the local provider simulator). The renderer never reaches this directly.
 */
export function isAllowedExternalUrl(url: string): boolean {
  const u = parse(url);
  if (!u || u.username !== '' || u.password !== '') return false;
  if (u.protocol === 'https:') return u.hostname !== '';
  return u.protocol === 'http:' && isLoopback(u.hostname);
}
