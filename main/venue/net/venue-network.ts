// The venue as an admin sees it: start one, show its pairing code, join by code (a discovered
// desk or a typed address), list the desks with their presence, remove one, rotate the secret.
// It owns the desk's VenueNode and hands the data half its documents (VenueDocumentSource).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import type * as Y from 'yjs';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import { venueDocumentName } from '../../../shared/venue.ts';
import { electPoller, syncAnswerMessage, syncRequestMessage, type SyncAnswerMessage } from '../../../shared/venue-poller.ts';
import { ROSTER_MAPS, listVenueEventIn, readVenueEvents, type VenueEventListing } from '../../../shared/venue-roster.ts';
import { isClockOff, nextFreeDeskName, renameOnNameClash, type DiscoveredDesk, type VenueDeskView, type VenueRefusal, type VenueRelayView, type VenueStatus } from '../../../shared/venue-desks.ts';
import { isoTime, type Clock } from '../../ground/clock.ts';
import type { SecretStore } from '../../ground/secrets.ts';
import type { VenueDocumentKey, VenueDocumentPersistence, VenueDocumentSource } from '../contracts.ts';
import { VenueNode } from './node.ts';
import type { VenueNodeEvent } from './node-events.ts';
import { VENUE_PROTOCOL } from './membership/admission.ts';
import type { PeerAddress } from './transport/addresses.ts';
import { VENUE_TLS_CIPHERS, VENUE_TLS_VERSION, derivePsk, pskIdentity, type VenueKeyMaterial } from './transport/psk.ts';
import { encodePairingCode, readPairingCode, VENUE_SECRET_BYTES } from './membership/pairing-code.ts';
import type { Discovery } from './directory/discovery.ts';
import type { VenueLimits } from './transport/limits.ts';
import { readRotated, readRotation, rotatedMessageFor, rotateMessageFor } from './membership/rotation.ts';

const SECRET_REF = 'venue:secret';
const CONFIG_FILE = 'venue.json';
const MAX_REFUSALS_KEPT = 50;

const configSchema = z.object({
  venue: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/), name: z.string().min(1).max(80), epoch: z.number().int().min(1).max(65_535) }).nullable(),
  peers: z.array(z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65_535) })).max(200),
  /** The port of the last run: taken again, so the other desks find this one after a restart. */
  port: z.number().int().min(1).max(65_535).optional(),
});
type VenueConfig = z.infer<typeof configSchema>;

/** A poller's answer to a sync-request (the reason goes to the asking desk's user). */
export type SyncAnswerOutcome = { outcome: 'started' } | { outcome: 'refused'; reason: string };

/** The desk's name as the app's settings keep it (check-in rows carry the same name). */
export interface StationName {
  get(): string;
  set(name: string): void;
}

/** The parts of the network half a host chooses (the rest comes from the core). */
export type VenueNetParts = Omit<VenueNetworkDeps, 'stationId' | 'dataDir' | 'secretStore' | 'clock' | 'persistence'>;

export interface VenueNetworkDeps {
  /** The station's id, made once with its database (the data half's), so log rows and presence agree. */
  stationId: string;
  dataDir: string;
  secretStore: SecretStore;
  clock: Clock;
  appVersion: string;
  station: StationName;
  persistence: VenueDocumentPersistence;
  /** mDNS, or null where multicast is unavailable (desks are then joined by address). */
  discovery: Discovery | null;
  listen?: { host?: string; port?: number };
  /** The addresses this desk tells other desks (default: its non-internal IPv4 addresses). */
  advertiseHosts?: string[];
  limits?: Partial<VenueLimits>;
  heartbeatMs?: number;
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** Protocol override, for tests of a version mismatch. */
  protocol?: number;
  /** How long a join waits for the other desk (ms). */
  joinTimeoutMs?: number;
  /** How long a manual Sync asked of the poller waits for its answer (ms). */
  syncAnswerTimeoutMs?: number;
}

interface DirectoryDesk {
  name: string;
  addresses: string[];
}

function readDirectoryDesk(value: unknown): DirectoryDesk | null {
  const v = value as { name?: unknown; addresses?: unknown } | null;
  if (!v || typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 60) return null;
  const addresses = Array.isArray(v.addresses) ? v.addresses.filter((a): a is string => typeof a === 'string' && a.length <= 300).slice(0, 16) : [];
  return { name: v.name, addresses };
}

function readStoredKey(stored: string | null): VenueKeyMaterial | null {
  if (!stored) return null;
  try {
    const v = JSON.parse(stored) as { venueId?: unknown; epoch?: unknown; secret?: unknown };
    if (typeof v.venueId !== 'string' || typeof v.epoch !== 'number' || typeof v.secret !== 'string') return null;
    const secret = Buffer.from(v.secret, 'base64');
    return secret.length === VENUE_SECRET_BYTES ? { venueId: v.venueId, epoch: v.epoch, secret } : null;
  } catch {
    return null;
  }
}

/** A relay in the directory (map `relays`, by its station id): where desks were told to find it. */
function readDirectoryRelay(value: unknown): { addresses: string[] } | null {
  const v = value as { addresses?: unknown } | null;
  if (!v || !Array.isArray(v.addresses)) return null;
  const addresses = v.addresses.filter((a): a is string => typeof a === 'string' && parseAddress(a) !== null && a.length <= 120).slice(0, 4);
  return addresses.length > 0 ? { addresses } : null;
}

const formatAddress = (a: PeerAddress) => `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;

function parseAddress(text: string): PeerAddress | null {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 ? { host: match[1]!, port } : null;
}

/** Whether this code's key opens a TLS session with the desk at the address. */
function probe(address: PeerAddress, material: VenueKeyMaterial, timeoutMs: number): Promise<'ok' | 'wrong-code' | 'unreachable'> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: address.host,
      port: address.port,
      ciphers: VENUE_TLS_CIPHERS,
      minVersion: VENUE_TLS_VERSION,
      maxVersion: VENUE_TLS_VERSION,
      pskCallback: () => ({ psk: derivePsk(material), identity: pskIdentity(material) }),
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => finish('unreachable'), timeoutMs);
    function finish(result: 'ok' | 'wrong-code' | 'unreachable') {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('secureConnect', () => finish('ok'));
    socket.once('error', (err: Error & { code?: string }) => {
      const network = ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'ENOTFOUND'];
      finish(err.code && network.includes(err.code) ? 'unreachable' : 'wrong-code');
    });
  });
}

export class VenueNetwork implements VenueDocumentSource {
  readonly node: VenueNode;
  private config: VenueConfig;
  private material: VenueKeyMaterial | null = null;
  private readonly refusals: VenueRefusal[] = [];
  private refusalCount = 0;
  private readonly listeners: (() => void)[] = [];
  private readonly eventListeners = new Set<() => void>();
  private readonly pendingAcks = new Map<string, () => void>();
  private directoryObserved: Y.Doc | null = null;
  private readonly pendingSyncAnswers = new Map<string, (answer: SyncAnswerMessage) => void>();
  private syncRequestHandler: ((eventKey: string, fromStationId: string | null) => SyncAnswerOutcome) | null = null;

  constructor(private readonly deps: VenueNetworkDeps) {
    this.config = this.loadConfig();
    this.node = new VenueNode({
      identity: { stationId: deps.stationId, deskName: deps.station.get(), appVersion: deps.appVersion, protocol: deps.protocol ?? VENUE_PROTOCOL },
      clock: deps.clock,
      persistence: deps.persistence,
      listen: deps.listen ?? {},
      ...(deps.limits ? { limits: deps.limits } : {}),
      ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
      ...(deps.reconnect ? { reconnect: deps.reconnect } : {}),
      onEvent: (e) => this.onNodeEvent(e),
    });
    deps.discovery?.onChange(() => this.onDiscovery());
  }

  get stationId(): string {
    return this.deps.stationId;
  }

  /** The venue this desk is in, or null. */
  get venueId(): string | null {
    return this.config.venue?.id ?? null;
  }

  async start(): Promise<void> {
    const port = await this.node.start(this.config.port);
    if (port !== this.config.port) {
      this.config = { ...this.config, port };
      this.saveConfig();
    }
    const stored = this.config.venue ? readStoredKey(this.deps.secretStore.get(SECRET_REF)) : null;
    if (this.config.venue && stored && stored.venueId === this.config.venue.id) {
      this.material = stored;
      this.config = { ...this.config, venue: { ...this.config.venue, epoch: stored.epoch } };
      await this.adoptKey();
      for (const peer of this.config.peers) this.node.connectPeer(peer);
    }
    this.advertise();
  }

  /** Stops serving and leaves the peers (the desk's data stays). */
  async shutdown(): Promise<void> {
    await this.deps.discovery?.close();
    await this.node.stop();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  // ---- VenueDocumentSource ----

  async open(key: VenueDocumentKey): Promise<Y.Doc> {
    if (!this.config.venue || key.venueId !== this.config.venue.id) throw new AppError('INVALID_STATE', 'this desk is not in that venue');
    return this.node.openDocument(venueDocumentName(key));
  }

  async close(key: VenueDocumentKey): Promise<void> {
    await this.node.closeDocument(venueDocumentName(key));
  }

  venueEvents(): VenueEventListing[] {
    const events = this.directoryDoc()?.getMap(ROSTER_MAPS.directoryEvents);
    return events ? readVenueEvents(events) : [];
  }

  listVenueEvent(listing: VenueEventListing): void {
    const events = this.directoryDoc()?.getMap(ROSTER_MAPS.directoryEvents);
    if (events) listVenueEventIn(events, listing);
  }

  onVenueEventsChanged(listener: () => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  deskOnline(stationId: string): boolean {
    if (stationId === this.stationId) return true;
    return this.node.peerPresence().some((p) => p.stationId === stationId && p.online);
  }

  // ---- admin actions ----

  /** "Start a venue": a name and a random secret; this desk is its first desk. */
  async startVenue(name: string): Promise<VenueStatus> {
    const trimmed = name.trim();
    if (!trimmed) throw new AppError('INVALID_INPUT', 'a venue needs a name');
    this.material = { venueId: randomBytes(6).toString('hex'), epoch: 1, secret: randomBytes(VENUE_SECRET_BYTES) };
    this.config = { ...this.config, venue: { id: this.material.venueId, name: trimmed.slice(0, 80), epoch: 1 }, peers: [] };
    this.saveKey();
    await this.adoptKey();
    this.directoryDoc()!.getMap('meta').set('name', trimmed.slice(0, 80));
    this.advertise();
    return this.status();
  }

  /**
   * The code other desks join with (admins only: it holds the secret). With a relay known to the
   * venue, a BD2 code that carries its address, so a desk kept apart from the others reaches it.
   */
  pairingCode(): string {
    if (!this.material) throw new AppError('INVALID_STATE', 'this desk is in no venue; start one or join one first');
    return encodePairingCode(this.material, this.relayEntries()[0]?.[1].addresses[0] ?? null);
  }

  /**
   * Joins the venue of `code` through the desk at `address` (typed, or picked from the
   * discovered desks), or without one through the relay a BD2 code names. A wrong code fails the
   * TLS handshake and changes nothing here. The code's relay is connected to as well.
   */
  async join(code: string, typedAddress?: string): Promise<VenueStatus> {
    const { material, relay } = readPairingCode(code);
    const address = typedAddress ?? relay;
    if (address === null) throw new AppError('INVALID_INPUT', 'type the address of a desk of the venue');
    const peer = parseAddress(address);
    if (!peer) throw new AppError('INVALID_INPUT', 'an address is host:port, e.g. 192.168.1.20:41234');
    const timeoutMs = this.deps.joinTimeoutMs ?? 10_000;
    const reached = await probe(peer, material, timeoutMs);
    if (reached === 'unreachable') throw new AppError('NOT_FOUND', `no desk answers at ${address}`);
    if (reached === 'wrong-code') throw new AppError('FORBIDDEN', `the desk at ${address} refused this pairing code: it belongs to another venue, or the secret was rotated`);

    const previous = { material: this.material, config: this.config };
    this.material = material;
    await this.node.setKey(material);
    const outcome = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AppError('PROVIDER_UNAVAILABLE', `the desk at ${address} did not answer in time`)), timeoutMs);
      this.joinWaiter = (e) => {
        if (e.kind === 'peer-synced' && e.documentName.endsWith(':directory')) {
          clearTimeout(timer);
          resolve();
        } else if (e.kind === 'refused-by-peer') {
          clearTimeout(timer);
          reject(new AppError('CONFLICT', e.reason));
        }
      };
    });
    this.node.connectPeer(peer);
    try {
      await outcome;
    } catch (err) {
      this.material = previous.material;
      this.config = previous.config;
      await this.node.setKey(previous.material);
      throw err;
    } finally {
      this.joinWaiter = null;
    }
    const directory = this.directoryDoc()!;
    const venueName = (directory.getMap('meta').get('name') as string | undefined) ?? 'Venue';
    const relayPeer = relay !== null ? parseAddress(relay) : null;
    const peers = relayPeer && formatAddress(relayPeer) !== formatAddress(peer) ? [peer, relayPeer] : [peer];
    this.config = { ...this.config, venue: { id: material.venueId, name: venueName.slice(0, 80), epoch: material.epoch }, peers };
    if (relayPeer) this.node.connectPeer(relayPeer);
    this.saveKey();
    // Every new station is "Desk 1": take the first free name if ours is taken.
    const taken = this.memberEntries().filter(([id]) => id !== this.stationId).map(([, d]) => d.name);
    if (taken.some((n) => n.trim().toLowerCase() === this.deps.station.get().trim().toLowerCase())) {
      this.deps.station.set(nextFreeDeskName(taken));
      this.node.setDeskName(this.deps.station.get());
    }
    await this.adoptKey();
    this.advertise();
    return this.status();
  }

  /** Renames this desk; names are unique within the venue. */
  renameDesk(name: string): VenueStatus {
    const trimmed = name.trim();
    const taken = this.memberEntries().filter(([id]) => id !== this.stationId).map(([, d]) => d.name.trim().toLowerCase());
    if (taken.includes(trimmed.toLowerCase())) throw new AppError('CONFLICT', `another desk of this venue is already called ${trimmed}`);
    this.deps.station.set(trimmed);
    this.node.setDeskName(trimmed);
    if (this.material) this.writeOwnEntry();
    this.advertise();
    return this.status();
  }

  /** Removes a desk: marks it removed for every desk, then rotates the secret without it. */
  async removeDesk(stationId: string): Promise<{ status: VenueStatus; notReached: string[] }> {
    const directory = this.requireDirectory();
    if (stationId === this.stationId) throw new AppError('INVALID_INPUT', 'a desk cannot remove itself; remove it from another desk');
    if (!directory.getMap('desks').has(stationId)) throw new AppError('NOT_FOUND', 'that desk is not in this venue');
    directory.getMap('removed').set(stationId, { at: isoTime(this.deps.clock.now()), by: this.stationId });
    this.applyRemovals();
    return this.rotateSecret();
  }

  /**
   * A new secret (the next epoch), sent over the current encrypted sessions to every connected
   * desk that is not removed; then every old-epoch connection closes. A desk not reached (off
   * at the time) joins again with the new code.
   */
  async rotateSecret(): Promise<{ status: VenueStatus; notReached: string[] }> {
    const directory = this.requireDirectory();
    const material = this.material!;
    const next: VenueKeyMaterial = { venueId: material.venueId, epoch: material.epoch + 1, secret: randomBytes(VENUE_SECRET_BYTES) };
    const removed = new Set(directory.getMap('removed').keys());
    const payload = rotateMessageFor(next);
    const acked = new Set<string>();
    const members = this.memberEntries().map(([id]) => id).filter((id) => id !== this.stationId);
    const allAcked = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.deps.joinTimeoutMs ?? 3_000);
      for (const id of members) {
        this.pendingAcks.set(id, () => {
          acked.add(id);
          if (members.every((m) => acked.has(m))) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      if (members.length === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
    this.node.sendToPeers(payload, (id) => !removed.has(id));
    await allAcked;
    this.pendingAcks.clear();
    this.material = next;
    this.saveKey();
    await this.adoptKey();
    const names = new Map(this.deskEntries());
    return { status: this.status(), notReached: members.filter((m) => !acked.has(m)).map((m) => names.get(m)?.name ?? m) };
  }

  /** Leaves the venue: this desk keeps its data and works alone. */
  async leave(): Promise<VenueStatus> {
    this.material = null;
    this.config = { ...this.config, venue: null, peers: [] };
    this.deps.secretStore.delete(SECRET_REF);
    this.saveConfig();
    await this.node.setKey(null);
    this.advertise();
    return this.status();
  }

  /** Connects to a desk of this venue by typed address (when mDNS is blocked). */
  addPeer(address: string): VenueStatus {
    const peer = parseAddress(address);
    if (!peer) throw new AppError('INVALID_INPUT', 'an address is host:port, e.g. 192.168.1.20:41234');
    if (!this.material) throw new AppError('INVALID_STATE', 'join a venue first');
    this.node.connectPeer(peer);
    if (!this.config.peers.some((p) => p.host === peer.host && p.port === peer.port)) {
      this.config = { ...this.config, peers: [...this.config.peers, peer].slice(-200) };
      this.saveConfig();
    }
    return this.status();
  }

  status(): VenueStatus {
    const presence = new Map(this.node.peerPresence().map((p) => [p.stationId, p]));
    const relays = new Map<string, VenueRelayView>();
    for (const [stationId, entry] of this.relayEntries()) {
      relays.set(stationId, { stationId, address: entry.addresses[0] ?? null, online: false, lastSeenAt: null, appVersion: null });
    }
    for (const p of presence.values()) {
      if (!p.relay) continue;
      relays.set(p.stationId, { stationId: p.stationId, address: relays.get(p.stationId)?.address ?? null, online: p.online, lastSeenAt: isoTime(p.lastSeenAt), appVersion: p.appVersion });
    }
    const desks: VenueDeskView[] = [];
    for (const [stationId, entry] of this.memberEntries()) {
      if (relays.has(stationId)) continue;
      const thisDesk = stationId === this.stationId;
      const p = presence.get(stationId);
      desks.push({
        stationId,
        name: thisDesk ? this.deps.station.get() : (p?.deskName ?? entry.name),
        thisDesk,
        online: thisDesk || (p?.online ?? false),
        lastSeenAt: thisDesk ? isoTime(this.deps.clock.now()) : p ? isoTime(p.lastSeenAt) : null,
        clockOffsetMs: thisDesk ? 0 : (p?.clockOffsetMs ?? null),
        clockOff: p ? isClockOff(p.clockOffsetMs) : false,
        appVersion: thisDesk ? this.deps.appVersion : (p?.appVersion ?? null),
      });
    }
    desks.sort((a, b) => Number(b.thisDesk) - Number(a.thisDesk) || a.name.localeCompare(b.name));
    const discovered: DiscoveredDesk[] = (this.deps.discovery?.found() ?? [])
      .filter((d) => d.stationId !== this.stationId)
      .map((d) => ({ host: d.host, port: d.port, deskName: d.deskName, venueName: d.venueName, sameVenue: d.venueId !== null && d.venueId === this.config.venue?.id }));
    return {
      venue: this.config.venue ? { ...this.config.venue } : null,
      thisDesk: { stationId: this.stationId, name: this.deps.station.get(), port: this.node.port },
      desks,
      relays: [...relays.values()].sort((a, b) => (a.address ?? '').localeCompare(b.address ?? '')),
      discovered,
      refusals: [...this.refusals],
      refusalCount: this.refusalCount,
    };
  }

  // ---- one poller per event (issue 17; the rule is shared/venue-poller.ts) ----

  /** The events this desk could poll, told to every desk in its presence. */
  setPolls(keys: readonly string[]): void {
    this.node.setPolls(keys);
  }

  /**
   * The desk that polls this event now, by this desk's view of presence (itself included while
   * its own presence holds the key). Null when no online desk could, this one included.
   */
  pollerOf(eventKey: string): { stationId: string; deskName: string } | null {
    // A desk silent for two heartbeats is no candidate even while its socket looks open: a
    // frozen poller is then replaced within two poll intervals, not after the socket's timeout.
    const stale = Math.max(2 * this.node.heartbeatIntervalMs, 2_000);
    const peers = this.material ? this.node.peerPresence().map((p) => ({ ...p, online: p.online && this.node.silentForMs(p.stationId) <= stale })) : [];
    const self = { stationId: this.stationId, online: true, polls: this.node.ownPolls() };
    const stationId = electPoller(eventKey, [self, ...peers]);
    if (stationId === null) return null;
    const deskName = stationId === this.stationId ? this.deps.station.get() : (peers.find((p) => p.stationId === stationId)?.deskName ?? stationId);
    return { stationId, deskName };
  }

  /** What this desk does when another asks it to run an event's Sync (core: the hard pull). */
  onSyncRequest(handler: (eventKey: string, fromStationId: string | null) => SyncAnswerOutcome): void {
    this.syncRequestHandler = handler;
  }

  /**
   * Asks the poller to run the event's Sync; resolves with its answer, or null when it was not
   * reached or did not answer within `timeoutMs` (the caller then decides whether to run it here).
   */
  askSync(stationId: string, eventKey: string, timeoutMs = this.deps.syncAnswerTimeoutMs ?? 3_000): Promise<SyncAnswerMessage | null> {
    const requestId = randomBytes(12).toString('hex');
    const payload = JSON.stringify({ type: 'sync-request', requestId, event: eventKey });
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (answer: SyncAnswerMessage | null) => {
        clearTimeout(timer);
        this.pendingSyncAnswers.delete(requestId);
        resolve(answer);
      };
      this.pendingSyncAnswers.set(requestId, finish);
      if (this.node.sendToPeers(payload, (id) => id === stationId) === 0) finish(null);
    });
  }

  /** A sync-request or sync-answer; false when the message is neither. */
  private onPollerMessage(stationId: string | null, parsed: unknown, reply: (p: string) => void): boolean {
    const type = (parsed as { type?: unknown } | null)?.type;
    if (type === 'sync-answer') {
      const answer = syncAnswerMessage.safeParse(parsed);
      if (answer.success) this.pendingSyncAnswers.get(answer.data.requestId)?.(answer.data);
      return true;
    }
    if (type !== 'sync-request') return false;
    const request = syncRequestMessage.safeParse(parsed);
    if (!request.success) return true;
    let outcome: SyncAnswerOutcome;
    try {
      outcome = this.syncRequestHandler?.(request.data.event, stationId) ?? { outcome: 'refused', reason: 'this desk does not sync events' };
    } catch (err) {
      outcome = { outcome: 'refused', reason: err instanceof Error ? err.message : 'the sync did not start' };
    }
    // The asking desk validates the answer: a reason past its limit would read as no answer at all.
    if (outcome.outcome === 'refused') outcome = { outcome: 'refused', reason: outcome.reason.slice(0, 300) || 'the sync did not start' };
    reply(JSON.stringify({ type: 'sync-answer', requestId: request.data.requestId, ...outcome }));
    return true;
  }

  // ---- internals ----

  private joinWaiter: ((e: VenueNodeEvent) => void) | null = null;

  private onNodeEvent(e: VenueNodeEvent): void {
    this.joinWaiter?.(e);
    if (e.kind === 'handshake-refused' || e.kind === 'peer-refused' || e.kind === 'limit' || e.kind === 'refused-by-peer') {
      const from = e.kind === 'refused-by-peer' ? e.peer : e.remote;
      const reason = e.kind === 'limit' ? `over the ${e.reason} limit` : e.reason;
      this.refusalCount += 1;
      this.refusals.unshift({ at: isoTime(this.deps.clock.now()), from, reason });
      this.refusals.length = Math.min(this.refusals.length, MAX_REFUSALS_KEPT);
      this.changed();
    } else if (e.kind === 'presence') {
      this.noteRelays();
      this.changed();
    } else if (e.kind === 'stateless') {
      this.onStateless(e.stationId, e.payload, e.reply);
    }
  }

  private onStateless(stationId: string | null, payload: string, reply: (p: string) => void): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (this.onPollerMessage(stationId, parsed, reply)) return;
    const ack = readRotated(parsed);
    if (ack && stationId) {
      // A relay passes on the answers of the desks it reached for us (they may reach no one else).
      this.pendingAcks.get(ack.stationId ?? stationId)?.();
      return;
    }
    const next = this.material ? readRotation(parsed, this.material) : null;
    if (!next) return;
    reply(rotatedMessageFor(next.epoch));
    this.material = next;
    this.saveKey();
    // After the acknowledgement has left: adopting closes the sessions it travels on.
    setTimeout(() => void this.adoptKey(), 50);
  }

  private async adoptKey(): Promise<void> {
    await this.node.setKey(this.material);
    // The panel says the new epoch only once every session of the old one is closed: until then a
    // removed desk could still write through one.
    if (this.material && this.config.venue) this.config = { ...this.config, venue: { ...this.config.venue, epoch: this.material.epoch } };
    const directory = this.directoryDoc();
    if (directory && directory !== this.directoryObserved) {
      this.directoryObserved = directory;
      directory.on('update', () => this.onDirectoryUpdate());
    }
    this.applyRemovals();
    this.writeOwnEntry();
    this.connectDirectoryPeers();
    this.changed();
  }

  private onDirectoryUpdate(): void {
    if (this.config.venue) {
      const name = this.directoryDoc()?.getMap('meta').get('name');
      if (typeof name === 'string' && name.length > 0 && name.length <= 80 && name !== this.config.venue.name) {
        this.config = { ...this.config, venue: { ...this.config.venue, name } };
        this.saveConfig();
      }
    }
    this.applyRemovals();
    this.resolveNameClash();
    this.connectDirectoryPeers();
    this.changed();
    for (const l of this.eventListeners) l();
  }

  /** Two desks that joined at once with the same name: the later station id takes the next free one. */
  private resolveNameClash(): void {
    if (!this.material) return;
    const members = this.memberEntries().map(([id, d]) => [id, d.name] as const);
    const renamed = renameOnNameClash(this.stationId, this.deps.station.get(), members);
    if (renamed === null) return;
    this.deps.station.set(renamed);
    this.node.setDeskName(renamed);
    this.writeOwnEntry();
    this.advertise();
  }

  private applyRemovals(): void {
    const removed = [...(this.directoryDoc()?.getMap('removed').keys() ?? [])];
    this.node.setRemovedStations(removed);
    if (removed.includes(this.stationId) && this.material) {
      // Removed by an admin elsewhere: this desk stops trying and works alone.
      void this.leave();
    }
  }

  /**
   * A peer that says it is a relay goes into the directory with the address this desk reaches it
   * at: every desk then connects to it, and this venue's pairing codes carry it.
   */
  private noteRelays(): void {
    const directory = this.directoryDoc();
    if (!directory || !this.material) return;
    const relayIds = new Set(this.node.peerPresence().filter((p) => p.relay).map((p) => p.stationId));
    if (relayIds.size === 0) return;
    const relays = directory.getMap('relays');
    for (const { address, stationId } of this.node.identifiedPeers()) {
      if (!relayIds.has(stationId)) continue;
      const text = formatAddress(address);
      if (readDirectoryRelay(relays.get(stationId))?.addresses.includes(text)) continue;
      const addresses = [text, ...(readDirectoryRelay(relays.get(stationId))?.addresses ?? [])].slice(0, 4);
      relays.set(stationId, { v: 1, addresses });
    }
  }

  private relayEntries(): [string, { addresses: string[] }][] {
    const out: [string, { addresses: string[] }][] = [];
    this.directoryDoc()?.getMap('relays').forEach((value, stationId) => {
      const entry = readDirectoryRelay(value);
      if (entry && stationId.length <= 64) out.push([stationId, entry]);
    });
    return out;
  }

  private connectDirectoryPeers(): void {
    const known = new Set(this.config.peers.map((p) => `${p.host}:${p.port}`));
    const learned: PeerAddress[] = [];
    const entries: [string, { addresses: string[] }][] = [...this.memberEntries(), ...this.relayEntries()];
    for (const [stationId, entry] of entries) {
      if (stationId === this.stationId) continue;
      for (const text of entry.addresses) {
        const address = parseAddress(text);
        if (!address) continue;
        this.node.connectPeer(address);
        if (!known.has(`${address.host}:${address.port}`)) learned.push(address);
      }
    }
    // Kept with the config too: after a crash the directory's last changes may not be stored yet.
    if (learned.length > 0) {
      this.config = { ...this.config, peers: [...this.config.peers, ...learned].slice(-200) };
      this.saveConfig();
    }
  }

  private onDiscovery(): void {
    if (this.config.venue) {
      for (const d of this.deps.discovery?.found() ?? []) {
        if (d.venueId === this.config.venue.id && d.stationId !== this.stationId) this.node.connectPeer({ host: d.host, port: d.port });
      }
    }
    this.changed();
  }

  private advertise(): void {
    this.deps.discovery?.advertise({
      stationId: this.stationId,
      deskName: this.deps.station.get(),
      port: this.node.port,
      protocol: this.deps.protocol ?? VENUE_PROTOCOL,
      venueId: this.config.venue?.id ?? null,
      venueName: this.config.venue?.name ?? null,
    });
  }

  private ownAddresses(): string[] {
    const hosts = this.deps.advertiseHosts ?? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address));
    return hosts.map((h) => `${h.includes(':') ? `[${h}]` : h}:${this.node.port}`);
  }

  private writeOwnEntry(): void {
    const directory = this.directoryDoc();
    if (!directory) return;
    const desks = directory.getMap('desks');
    const current = readDirectoryDesk(desks.get(this.stationId));
    const entry: DirectoryDesk = { name: this.deps.station.get(), addresses: this.ownAddresses() };
    if (current && current.name === entry.name && current.addresses.join() === entry.addresses.join()) return;
    desks.set(this.stationId, { v: 1, ...entry });
  }

  private deskEntries(): [string, DirectoryDesk][] {
    const directory = this.directoryDoc();
    if (!directory) return [];
    const out: [string, DirectoryDesk][] = [];
    directory.getMap('desks').forEach((value, stationId) => {
      const entry = readDirectoryDesk(value);
      if (entry) out.push([stationId, entry]);
    });
    return out;
  }

  /** The desks not removed. */
  private memberEntries(): [string, DirectoryDesk][] {
    const removed = new Set(this.directoryDoc()?.getMap('removed').keys() ?? []);
    return this.deskEntries().filter(([id]) => !removed.has(id));
  }

  private directoryDoc(): Y.Doc | null {
    return this.node.directory();
  }

  private requireDirectory(): Y.Doc {
    const directory = this.directoryDoc();
    if (!directory || !this.material) throw new AppError('INVALID_STATE', 'this desk is in no venue');
    return directory;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private loadConfig(): VenueConfig {
    try {
      const parsed = configSchema.safeParse(JSON.parse(readFileSync(join(this.deps.dataDir, CONFIG_FILE), 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // First run (no file yet), or a damaged file: in no venue.
    }
    return { venue: null, peers: [] };
  }

  private saveConfig(): void {
    const path = join(this.deps.dataDir, CONFIG_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(this.config, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  private saveKey(): void {
    // The secret with its venue and epoch, in one value: a crash between two writes cannot pair
    // a secret with the wrong epoch.
    if (this.material) {
      this.deps.secretStore.set(SECRET_REF, JSON.stringify({ venueId: this.material.venueId, epoch: this.material.epoch, secret: this.material.secret.toString('base64') }));
    }
    this.saveConfig();
  }
}
