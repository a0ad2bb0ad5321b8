// The venue relay: the Hocuspocus server every desk embeds (VenueNode: TLS-PSK https
// and ws, onAuthenticate, the venue's documents only), run on its own with no app around it, for
// networks that keep desks apart (client isolation, two buildings). Desks connect to it as to any
// peer; it never connects out. It keeps the documents in its own SQLite file, says `relay: true`
// in presence (desks list it apart from the desks), and follows the secret's rotations like a desk.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type * as Y from 'yjs';
import type { Clock } from '../../ground/clock.ts';
import { VenueNode } from '../net/node.ts';
import type { VenueNodeEvent } from '../net/node-events.ts';
import { VENUE_PROTOCOL } from '../net/membership/admission.ts';
import { readPairingCode } from '../net/membership/pairing-code.ts';
import { readRotated, readRotation, rotatedMessageFor } from '../net/membership/rotation.ts';
import type { VenueKeyMaterial } from '../net/transport/psk.ts';
import { loadRelayKey, RelayDocumentStore, saveRelayKey } from './store.ts';
import { RelayRedisLink } from './redis-link.ts';
import { VenueDirectory } from '../net/directory/directory.ts';
import { parseAddress } from '../net/transport/addresses.ts';

export interface RelayOptions {
  dataDir: string;
  /** A pairing code (BD1 or BD2); without one, the key stored by an earlier start. */
  code?: string | null;
  listen: { host?: string; port: number };
  clock: Clock;
  appVersion: string;
  /** How often the relay renews its presence (desks take 3.5 of these of silence as a dead link). */
  heartbeatMs?: number;
  /**
   * How long the relay passes on a rotation's answers before it takes the new key itself: desks
   * that reach no one but the relay get the new secret through it, and the admin's desk hears
   * that they did.
   */
  rotationWindowMs?: number;
  /** One line per thing an operator should know (start, refusals, rotations); never the secret. */
  log?: (line: string) => void;
  /**
   * Redis shared with the venue's other relay instances (redis://host:port): documents and
   * presence reach the desks of every instance. Null: this relay alone.
   */
  redis?: string | null;
  /**
   * Where desks reach this relay (`host:port`), written into the venue's directory at start: with
   * several instances, every desk and every pairing code then knows all of them.
   */
  advertise?: string[];
}

/** What an operator sees of a refused connection: an address and why. */
function describeRefusal(e: VenueNodeEvent, rotating: boolean): string | null {
  // The secret rotated while the relay was off: only a new code brings it back into the venue.
  // (While it passes a rotation on, the desks that took it already knock with the new key.)
  if (e.kind === 'handshake-refused' && e.reason === 'newer-secret' && !rotating) {
    return `refused a connection from ${e.remote}: newer-secret (the venue's secret was rotated while this relay was off; start it again with the new pairing code)`;
  }
  if (e.kind === 'handshake-refused') return `refused a connection from ${e.remote}: ${e.reason}`;
  if (e.kind === 'peer-refused') return `refused ${e.remote}: ${e.reason}`;
  if (e.kind === 'limit') return `cut off ${e.remote}: over the ${e.reason} limit`;
  return null;
}

export class VenueRelay {
  private readonly node: VenueNode;
  private readonly store: RelayDocumentStore;
  private readonly redis: RelayRedisLink | null;
  private material: VenueKeyMaterial;
  private readonly stationIdValue: string;
  private observedDirectory: Y.Doc | null = null;
  /** A rotation being passed on: the desk it came from, and how to answer it. */
  private rotating: { from: string; epoch: number; reply: (payload: string) => void } | null = null;
  private rotationTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(private readonly options: RelayOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const stored = loadRelayKey(options.dataDir);
    const fromCode = options.code ? readPairingCode(options.code).material : null;
    this.stationIdValue = stored?.stationId ?? randomUUID();
    // A code of the venue already stored, but older than a rotation the relay followed, changes nothing.
    if (
      fromCode &&
      !(stored && stored.material.venueId === fromCode.venueId && stored.material.epoch >= fromCode.epoch)
    ) {
      this.material = fromCode;
      saveRelayKey(options.dataDir, { stationId: this.stationIdValue, material: fromCode });
    } else if (stored) {
      this.material = stored.material;
    } else {
      throw new Error(
        "the relay needs the venue's pairing code the first time: --code BD1-… (or BADGE_DESK_VENUE_CODE); an admin's desk shows it in Settings → Venue",
      );
    }
    this.store = new RelayDocumentStore(options.dataDir, () => options.clock.now());
    this.redis = options.redis
      ? new RelayRedisLink({
          url: options.redis,
          identifier: this.stationIdValue,
          log: (line) => this.log(line),
        })
      : null;
    this.node = new VenueNode({
      identity: {
        stationId: this.stationIdValue,
        deskName: 'Relay',
        appVersion: options.appVersion,
        protocol: VENUE_PROTOCOL,
      },
      clock: options.clock,
      persistence: this.store,
      listen: options.listen,
      relay: true,
      ...(this.redis ? { extensions: [this.redis.extension] } : {}),
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      onEvent: (e) => this.onNodeEvent(e),
    });
  }

  static async start(options: RelayOptions): Promise<VenueRelay> {
    const relay = new VenueRelay(options);
    try {
      await relay.node.start();
      await relay.adopt(relay.material);
    } catch (err) {
      await relay.stop();
      throw err;
    }
    return relay;
  }

  get port(): number {
    return this.node.port;
  }

  get stationId(): string {
    return this.stationIdValue;
  }

  get venue(): { venueId: string; epoch: number } {
    return { venueId: this.material.venueId, epoch: this.material.epoch };
  }

  /** The names of the documents it has stored. */
  documentNames(): string[] {
    return this.store.documentNames();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.rotationTimer) clearTimeout(this.rotationTimer);
    this.node.storeAll();
    await this.node.stop();
    await this.redis?.close();
    this.store.close();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async adopt(material: VenueKeyMaterial): Promise<void> {
    this.material = material;
    this.redis?.setKey(material);
    await this.node.setKey(material);
    const directory = this.node.directory();
    if (directory && directory !== this.observedDirectory) {
      this.observedDirectory = directory;
      directory.on('update', () => this.applyRemovals());
    }
    this.applyRemovals();
    this.advertise();
  }

  /** Writes where desks reach this relay into the venue's directory (as a desk notes a relay it reaches). */
  private advertise(): void {
    const addresses = (this.options.advertise ?? []).flatMap((text) => parseAddress(text) ?? []);
    if (addresses.length === 0) return;
    new VenueDirectory(() => this.node.directory()).noteRelays(
      addresses.map((address) => ({ address, stationId: this.stationIdValue })),
    );
  }

  /** Desks an admin removed (the directory's `removed` map) are refused here too. */
  private applyRemovals(): void {
    this.node.setRemovedStations(this.removed());
  }

  private removed(): Set<string> {
    return new Set(this.node.directory()?.getMap('removed').keys() ?? []);
  }

  private onNodeEvent(e: VenueNodeEvent): void {
    const refusal = describeRefusal(e, this.rotating !== null);
    if (refusal) this.log(refusal);
    if (e.kind === 'stateless' && e.from === 'client' && e.stationId)
      this.onStateless(e.stationId, e.payload, e.reply);
  }

  private onStateless(stationId: string, payload: string, reply: (payload: string) => void): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const answer = readRotated(message);
    if (answer) {
      // A desk reached through us took the new secret: the admin's desk counts it as reached.
      if (this.rotating && answer.epoch === this.rotating.epoch && stationId !== this.rotating.from) {
        this.rotating.reply(rotatedMessageFor(answer.epoch, stationId));
      }
      return;
    }
    const next = readRotation(message, this.material);
    if (!next || this.rotating || this.removed().has(stationId)) return;
    reply(rotatedMessageFor(next.epoch));
    saveRelayKey(this.options.dataDir, { stationId: this.stationIdValue, material: next });
    this.rotating = { from: stationId, epoch: next.epoch, reply };
    const removed = this.removed();
    const passedOn = this.node.sendToPeers(payload, (id) => id !== stationId && !removed.has(id));
    this.log(
      `the venue secret is rotating to epoch ${next.epoch} (passed on to ${passedOn} connected desk${passedOn === 1 ? '' : 's'})`,
    );
    // Then the new key: adopting closes every session of the old epoch, the ones answers travel on.
    this.rotationTimer = setTimeout(() => {
      this.rotationTimer = null;
      this.rotating = null;
      if (this.stopped) return;
      void this.adopt(next).then(() => this.log(`now on epoch ${next.epoch} of venue ${next.venueId}`));
    }, this.options.rotationWindowMs ?? 1_000);
  }
}
