// The one module that talks to the main process. Two transports, one shape:
// - Electron: the preload exposes a BadgeDeskBridge as window.badgeDesk.
// - Browser host (`npm run web`, `npm run dev` through Vite's proxy, the e2e tests): the page is opened as
//   http://127.0.0.1:PORT/?token=TOKEN; invokes are POST /ipc/<channel>, pushes come over
//   an EventSource on /push. The token is kept in sessionStorage and removed from the address bar.
// Everything else in the renderer goes through the store's slices, which reach a transport
// only through `connectBridge`; tests hand the store a fake transport of the same shape.
// Types from the contract; values only from the zod-free wire module (the schemas stay in main).
import type { ChannelInput, ChannelName, ChannelResult } from '../../../shared/ipc-contract.ts';
import {
  PUSH_EVENTS,
  type BadgeDeskBridge,
  type IpcResult,
  type PushEventName,
  type PushMessage,
} from '../../../shared/ipc-wire.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import { ERROR_CODES } from '../../../shared/errors.ts';
import { errorMessage } from '../ui/format.ts';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in the browser host. */
    badgeDesk?: BadgeDeskBridge;
  }
}

/** Codes from the contract, plus what can go wrong on the way there. */
export type BridgeErrorCode = ErrorCode | 'NETWORK' | 'UNAUTHORIZED';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  readonly details: unknown;
  constructor(code: BridgeErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
    this.details = details;
  }
}

export interface Transport extends BadgeDeskBridge {
  /** Called after the push channel reconnects, when pushes may have been missed. */
  onReconnect?(listener: () => void): () => void;
}

const TOKEN_KEY = 'badgeDeskToken';

function readToken(): string | null {
  let token: string | null = null;
  try {
    const url = new URL(window.location.href);
    const fromQuery = url.searchParams.get('token');
    if (fromQuery) {
      token = fromQuery;
      try {
        window.sessionStorage.setItem(TOKEN_KEY, fromQuery);
      } catch {
        // sessionStorage unavailable: keep the token in memory for this page only.
      }
      url.searchParams.delete('token');
      const search = url.searchParams.toString();
      window.history.replaceState(
        window.history.state,
        '',
        url.pathname + (search ? `?${search}` : '') + url.hash,
      );
    }
  } catch {
    // A URL we cannot parse: fall back to the stored token.
  }
  if (!token) {
    try {
      token = window.sessionStorage.getItem(TOKEN_KEY);
    } catch {
      token = null;
    }
  }
  return token;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

function isEnvelope(body: unknown): body is IpcResult<unknown> {
  if (typeof body !== 'object' || body === null) return false;
  const ok = (body as { ok?: unknown }).ok;
  if (ok === true) return 'value' in body;
  if (ok === false) {
    const error = (body as { error?: unknown }).error;
    return (
      typeof error === 'object' &&
      error !== null &&
      typeof (error as { message?: unknown }).message === 'string'
    );
  }
  return false;
}

function parsePush(name: PushEventName | 'message', data: unknown): PushMessage | null {
  if (typeof data !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const event = (parsed as { event?: unknown }).event;
  if (
    typeof event === 'string' &&
    (PUSH_EVENTS as readonly string[]).includes(event) &&
    'payload' in parsed
  ) {
    return parsed as PushMessage;
  }
  // A host that names its SSE events may send the bare payload as data.
  if (name !== 'message') return { event: name, payload: parsed } as PushMessage;
  return null;
}

function createBrowserTransport(): Transport {
  const token = readToken();
  const listeners = new Set<(message: PushMessage) => void>();
  const reconnectListeners = new Set<() => void>();
  let source: EventSource | null = null;
  let hadError = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = 1000;

  const deliver = (message: PushMessage) => {
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (err) {
        console.error('push listener failed', err);
      }
    }
  };

  const open = () => {
    if (source || !token) return;
    const es = new EventSource(`/push?token=${encodeURIComponent(token)}`);
    source = es;
    es.onopen = () => {
      retryDelay = 1000;
      if (hadError) {
        hadError = false;
        for (const listener of [...reconnectListeners]) listener();
      }
    };
    es.onmessage = (e: MessageEvent) => {
      const message = parsePush('message', e.data);
      if (message) deliver(message);
    };
    for (const name of PUSH_EVENTS) {
      es.addEventListener(name, (e: Event) => {
        const message = parsePush(name, (e as MessageEvent).data);
        if (message) deliver(message);
      });
    }
    es.onerror = () => {
      hadError = true;
      // EventSource reconnects by itself, except after a refused (non-200) answer: then we retry.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        source = null;
        if (listeners.size > 0 && retryTimer === null) {
          retryTimer = setTimeout(() => {
            retryTimer = null;
            open();
          }, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 30_000);
        }
      }
    };
  };

  const close = () => {
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    source?.close();
    source = null;
  };

  return {
    async invoke<C extends ChannelName>(
      channel: C,
      input: ChannelInput<C>,
    ): Promise<IpcResult<ChannelResult<C>>> {
      if (!token) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN',
            message: 'This page was opened without its access token. Open the link the host printed.',
          },
        };
      }
      let response: Response;
      try {
        response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-badge-desk-token': token },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        throw new BridgeError('NETWORK', `Cannot reach Badge Desk (${errorMessage(err)})`);
      }
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (isEnvelope(body)) return body as IpcResult<ChannelResult<C>>;
      if (response.status === 401 || response.status === 403) {
        throw new BridgeError(
          'UNAUTHORIZED',
          'This page is not authorised. Open the link with its token again.',
        );
      }
      throw new BridgeError('NETWORK', `Unexpected answer from Badge Desk (HTTP ${response.status})`);
    },
    subscribe(listener) {
      listeners.add(listener);
      open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

let transport: Transport | null = null;

/** The app's transport: the Electron preload's bridge when present, else the browser host. */
export function getTransport(): Transport {
  if (!transport) {
    const electron = typeof window !== 'undefined' ? window.badgeDesk : undefined;
    transport = electron
      ? {
          invoke: (channel, input) => electron.invoke(channel, input),
          subscribe: (listener) => electron.subscribe(listener),
        }
      : createBrowserTransport();
  }
  return transport;
}

/** A channel call that unwraps its envelope; throws a BridgeError on `{ ok: false }`. */
export type Call = <C extends ChannelName>(channel: C, input: ChannelInput<C>) => Promise<ChannelResult<C>>;

export interface Bridge {
  call: Call;
  /** Subscribes to every push event; returns the unsubscribe function. */
  subscribe(listener: (message: PushMessage) => void): () => void;
  /** Subscribes to "the push channel came back" (pushes may have been missed meanwhile). */
  onReconnect(listener: () => void): () => void;
}

/** The typed calls and subscriptions over one transport. */
export function connectBridge(transport: Transport): Bridge {
  return {
    async call(channel, input) {
      let result: IpcResult<ChannelResult<typeof channel>>;
      try {
        result = await transport.invoke(channel, input);
      } catch (err) {
        if (err instanceof BridgeError) throw err;
        throw new BridgeError('NETWORK', errorMessage(err));
      }
      if (!isEnvelope(result)) throw new BridgeError('INTERNAL', `Malformed answer on ${channel}`);
      if (result.ok) return result.value;
      const { code, message, details } = result.error;
      throw new BridgeError(
        isErrorCode(code) ? code : 'INTERNAL',
        message || 'Something went wrong',
        details,
      );
    },
    subscribe: (listener) => transport.subscribe(listener),
    onReconnect: (listener) => transport.onReconnect?.(listener) ?? (() => undefined),
  };
}
