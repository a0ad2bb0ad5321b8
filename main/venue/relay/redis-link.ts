// Relay instances that share a venue through Redis (`npm run relay -- --redis redis://host:port`),
// with Hocuspocus's own Redis extension (@hocuspocus/extension-redis, the 3.4 line of our server):
// an update or a presence change a desk sends one instance reaches the desks of every other,
// over Redis publish/subscribe. Redis only carries messages: each instance keeps its documents
// in its own SQLite (relay.sqlite), so a Redis that is gone, restarted or answers garbage leaves
// every instance serving its own desks, and its log says so. What the extension does as it
// comes that this would not survive is changed here:
// - its store lock (for instances sharing one database) is dropped: each stores its own copy,
//   and a lock Redis cannot give would have kept the document out of SQLite;
// - loading a document never waits for Redis (its subscribe waits while Redis is away);
// - a publish that fails is logged, never thrown into Hocuspocus's hooks;
// - every message is signed with a key derived from the venue secret (HMAC-SHA256, per epoch),
//   and one that does not verify or does not parse is logged and dropped: whoever else reaches
//   Redis can neither read the venue's secrets from it nor write into its documents;
// - when Redis comes back (or the venue's key rotates), every instance asks the others for what
//   it missed (the first sync step of each document it holds).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Extension, Hocuspocus } from '@hocuspocus/server';
import { OutgoingMessage } from '@hocuspocus/server';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import type { VenueKeyMaterial } from '../net/transport/psk.ts';

/** How long a repeated line (Redis still away, another unsigned message) stays out of the log. */
const LOG_REPEAT_MS = 60_000;
const SIGNATURE_BYTES = 16;

/** The extension's Redis client options (ioredis's), as its configuration types them. */
type RedisOptions = NonNullable<ConstructorParameters<typeof RedisExtension>[0]['options']>;

export interface RedisTarget {
  host: string;
  port: number;
  /** Password, user, database and TLS, as the URL gives them. */
  options: RedisOptions;
  /** `host:port`, for the log: never the password. */
  where: string;
}

/** `redis://[[user]:password@]host[:port][/db]` (rediss:// for TLS); anything else is refused. */
export function parseRedisUrl(text: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`--redis is a URL such as redis://10.0.0.5:6379 (got ${JSON.stringify(text)})`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(`--redis is a redis:// or rediss:// URL (got ${parsed.protocol})`);
  if (!parsed.hostname) throw new Error('--redis names no host');
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new Error(`--redis: the database is a number (got ${db})`);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const options: RedisOptions = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
  };
  return { host, port, options, where: `${parsed.hostname}:${port}` };
}

/** The key Redis messages are signed with for one venue and epoch (apart from the TLS key). */
function signingKey(material: VenueKeyMaterial): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      material.secret,
      Buffer.from(material.venueId, 'utf8'),
      Buffer.from(`badge-desk relay redis epoch ${material.epoch}`, 'utf8'),
      32,
    ),
  );
}

export interface RelayRedisOptions {
  /** The Redis URL (see parseRedisUrl). */
  url: string;
  /** This instance (its relay id): its own messages are told apart by it. */
  identifier: string;
  log: (line: string) => void;
  /** ioredis options for tests (reconnect pacing). */
  redisOptions?: Partial<RedisOptions>;
}

type Encoded = (message: Uint8Array) => Buffer;
type Decoded = (buffer: Buffer) => [string, Buffer];
/** The extension's internals this class changes (private in its types, plain methods at run time). */
interface ExtensionInternals {
  encodeMessage: Encoded;
  decodeMessage: Decoded;
  handleIncomingMessage: (channel: Buffer, data: Buffer) => Promise<void>;
  pubKey(documentName: string): string;
  subKey(documentName: string): string;
  instance: Hocuspocus;
}

/**
 * The extension, made to survive Redis. Give `extension` to the relay's Hocuspocus; `setKey` with
 * the venue's key material before any message can verify.
 */
export class RelayRedisLink {
  readonly extension: Extension;
  private readonly where: string;
  private key: { epoch: number; bytes: Buffer } | null = null;
  private readonly lastLogged = new Map<string, number>();
  private up = false;
  private closed = false;
  private readonly inner: RedisExtension;
  /** The same object, through the internals this class replaces. */
  private readonly internals: ExtensionInternals;

  constructor(private readonly options: RelayRedisOptions) {
    const target = parseRedisUrl(options.url);
    this.where = target.where;
    const clientOptions: RedisOptions = {
      ...target.options,
      // Commands fail at once while Redis is away rather than queue: a relay without Redis is one
      // relay, not one waiting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (times) => Math.min(200 * times, 2_000),
      ...options.redisOptions,
    };
    const inner = new RedisExtension({
      host: target.host,
      port: target.port,
      options: clientOptions,
      identifier: options.identifier,
      prefix: 'badge-desk',
    });
    const internals = inner as unknown as ExtensionInternals;
    this.inner = inner;
    this.internals = internals;
    // Its two clients (publish, subscribe) connect on the next turn: heard from the start.
    for (const client of [inner.pub, inner.sub]) {
      client.on('error', (err: Error) => this.onError(err));
      client.on('ready', () => this.onReady());
      client.on('close', () => this.onClose());
    }
    internals.encodeMessage = (message) => this.encode(message);
    internals.decodeMessage = (buffer) => this.decode(buffer);
    // Its subscriber's handler, caught: a message that breaks it is a line in the log.
    const original = internals.handleIncomingMessage;
    inner.sub.off('messageBuffer', original);
    inner.sub.on('messageBuffer', (channel: Buffer, data: Buffer) => {
      original(channel, data).catch((err: unknown) =>
        this.logOnce('garbage', `ignored a message from Redis that does not read (${describe(err)})`),
      );
    });
    this.extension = this.buildExtension(inner);
  }

  /** Signs with (and verifies against) this venue key from now on, and asks the others for what it lacks. */
  setKey(material: VenueKeyMaterial): void {
    if (this.key?.epoch === material.epoch) return;
    this.key = { epoch: material.epoch, bytes: signingKey(material) };
    this.resync();
  }

  /** Whether Redis is connected now. */
  get connected(): boolean {
    return this.up;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.onDestroy().catch(() => undefined);
  }

  private buildExtension(inner: RedisExtension): Extension {
    const quietly =
      (what: string) =>
      (err: unknown): undefined => {
        // While Redis is away that is already said; a failure with Redis up is worth a line.
        if (this.up)
          this.logOnce(`publish:${what}`, `could not pass ${what} on through Redis (${describe(err)})`);
        return undefined;
      };
    return {
      priority: inner.priority,
      onConfigure: (data) => inner.onConfigure(data),
      // Subscribed in the background: a document loads whether or not Redis answers.
      afterLoadDocument: async (data) => {
        void inner.afterLoadDocument(data).catch(quietly('a subscription'));
      },
      onChange: async (data) => {
        await inner.onChange(data).catch(quietly('an update'));
      },
      onAwarenessUpdate: async (data) => {
        await inner.onAwarenessUpdate(data).catch(quietly('presence'));
      },
      beforeBroadcastStateless: async (data) => {
        await inner.beforeBroadcastStateless(data).catch(quietly('a message'));
      },
      beforeUnloadDocument: (data) => inner.beforeUnloadDocument(data),
      afterUnloadDocument: async (data) => {
        await inner.afterUnloadDocument(data).catch(quietly('an unsubscription'));
      },
      // No onStoreDocument / afterStoreDocument: each instance stores its own copy, unlocked.
      onDestroy: async () => {
        await this.close();
      },
    };
  }

  /** [identifier length][identifier][epoch u16][signature][message]. */
  private encode(message: Uint8Array): Buffer {
    const id = Buffer.from(this.options.identifier, 'utf8');
    const epoch = Buffer.alloc(2);
    epoch.writeUInt16BE(this.key?.epoch ?? 0);
    const body = Buffer.from(message);
    return Buffer.concat([Buffer.from([id.length]), id, epoch, this.sign(epoch, body), body]);
  }

  /** The sender and the message, or (for the extension to drop) this instance's own id and nothing. */
  private decode(buffer: Buffer): [string, Buffer] {
    const drop: [string, Buffer] = [this.options.identifier, Buffer.alloc(0)];
    const idLength = buffer[0] ?? 0;
    const header = 1 + idLength + 2 + SIGNATURE_BYTES;
    if (buffer.length <= header) {
      this.logOnce('garbage', 'ignored a message from Redis that is not a venue message');
      return drop;
    }
    const identifier = buffer.toString('utf8', 1, 1 + idLength);
    const epoch = buffer.subarray(1 + idLength, 3 + idLength);
    const signature = buffer.subarray(3 + idLength, header);
    const body = buffer.subarray(header);
    if (!this.key || epoch.readUInt16BE(0) !== this.key.epoch) {
      this.logOnce(
        'epoch',
        `ignored a message from Redis signed for epoch ${epoch.readUInt16BE(0)} (this instance is on ${this.key?.epoch ?? 'none'})`,
      );
      return drop;
    }
    if (!timingSafeEqual(signature, this.sign(epoch, body))) {
      this.logOnce('garbage', 'ignored a message from Redis that is not signed with the venue key');
      return drop;
    }
    return [identifier, body];
  }

  private sign(epoch: Buffer, body: Buffer): Buffer {
    const key = this.key?.bytes ?? Buffer.alloc(32);
    return createHmac('sha256', key).update(epoch).update(body).digest().subarray(0, SIGNATURE_BYTES);
  }

  /**
   * Every document loaded here subscribed (a subscription asked while Redis was away never was),
   * then its first sync step published: the others answer with what this one lacks, and ask back.
   */
  private resync(): void {
    const instance = this.internals.instance as Hocuspocus | undefined;
    if (!instance || !this.up || !this.key) return;
    for (const [name, document] of instance.documents) {
      const step = new OutgoingMessage(name).createSyncMessage().writeFirstSyncStepFor(document);
      this.inner.sub
        .subscribe(this.internals.subKey(name))
        .then(() => this.inner.pub.publish(this.internals.pubKey(name), this.encode(step.toUint8Array())))
        .catch(() => undefined);
    }
  }

  private onReady(): void {
    if (this.closed) return;
    // Two clients (publish, subscribe): said once per return.
    if (!this.up) {
      this.up = true;
      this.lastLogged.clear();
      this.options.log(
        `Redis at ${this.where} connected: documents and presence are shared with the other instances`,
      );
    }
    this.resync();
  }

  private onClose(): void {
    if (this.closed) return;
    if (!this.up) {
      // Closed before it was ever ready: a Redis that drops every connection says nothing else.
      this.logOnce(
        'error',
        `Redis at ${this.where} does not answer as Redis (it closed the connection): this instance serves its own desks meanwhile`,
      );
      return;
    }
    this.up = false;
    this.options.log(
      `Redis at ${this.where} is gone: this instance serves its own desks (from its own SQLite) until it is back`,
    );
  }

  private onError(err: Error): void {
    if (this.closed) return;
    this.logOnce(
      'error',
      `Redis at ${this.where} does not answer as Redis (${describe(err)}): this instance serves its own desks meanwhile`,
    );
  }

  private logOnce(kind: string, line: string): void {
    const now = Date.now();
    const last = this.lastLogged.get(kind);
    if (last !== undefined && now - last < LOG_REPEAT_MS) return;
    this.lastLogged.set(kind, now);
    this.options.log(line);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return (e?.code ?? e?.message ?? String(err)).slice(0, 160);
}
