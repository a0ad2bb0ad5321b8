// The venue's network half, as the core and an admin use it: start one, show its pairing code,
// join by code (a discovered desk or a typed address), list the desks with their presence,
// remove one, rotate the secret, and ask the desk that polls an event to sync it. It owns the
// desk's VenueNode and hands the data half its documents (VenueDocumentSource). The rules live
// in the parts it composes: membership/ (being in the venue: key, join, removal, rotation),
// directory/ (who is in it and where: desks, relays, events, names; mDNS), poll-requests.ts
// (who polls an event; Sync asked of it) and transport/ (TLS-PSK sessions and links).
import { networkInterfaces } from 'node:os';
import type * as Y from 'yjs';
import { AppError } from '../../../shared/errors.ts';
import { venueDocumentName } from '../../../shared/venue.ts';
import type { SyncAnswerMessage } from '../../../shared/venue-poller.ts';
import type { VenueEventListing } from '../../../shared/venue-roster.ts';
import type { VenueStatus } from '../../../shared/venue-desks.ts';
import type { Clock } from '../../ground/clock.ts';
import type { SecretStore } from '../../ground/secrets.ts';
import type { VenueDocumentKey, VenueDocumentPersistence, VenueDocumentSource } from '../contracts.ts';
import { VenueNode } from './node.ts';
import { RefusalLog } from './refusal-log.ts';
import type { HoldingsAnswer } from './holdings.ts';
import type { VenueNodeEvent } from './node-events.ts';
import { PollRequests, type SyncAnswerOutcome } from './poll-requests.ts';
import { REMOVED_REFUSAL, VENUE_PROTOCOL } from './membership/admission.ts';
import { VenueMembership, type StationName } from './membership/membership.ts';
import { VenueSettings } from './membership/venue-settings.ts';
import { VenueDirectory } from './directory/directory.ts';
import type { Discovery } from './directory/discovery.ts';
import { RelayChoice } from './directory/relay-choice.ts';
import { venueStatusOf } from './directory/venue-status.ts';
import { PrintStationPresence } from './directory/print-stations.ts';
import { formatHost, parseAddress, peerKey, type PeerAddress } from './transport/addresses.ts';
import type { VenueLimits } from './transport/limits.ts';

/** The parts of the network half a host chooses (the rest comes from the core). */
export type VenueNetParts = Omit<
  VenueNetworkDeps,
  'stationId' | 'dataDir' | 'secretStore' | 'clock' | 'persistence'
>;

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

export class VenueNetwork implements VenueDocumentSource {
  readonly node: VenueNode;
  /** The venue's print stations as this desk hears them, and what this desk offers. */
  readonly printStations: PrintStationPresence;
  private readonly settings: VenueSettings;
  private readonly directory: VenueDirectory;
  private readonly membership: VenueMembership;
  private readonly pollRequests: PollRequests;
  private readonly refusals = new RefusalLog();
  private readonly listeners: (() => void)[] = [];
  private readonly eventListeners = new Set<() => void>();
  private readonly removedListeners: ((venueId: string) => void)[] = [];
  private readonly removedFrom = new Set<string>();
  private directoryObserved: Y.Doc | null = null;
  private readonly relayChoice: RelayChoice;
  private relayWatch: NodeJS.Timeout | null = null;

  constructor(private readonly deps: VenueNetworkDeps) {
    this.settings = new VenueSettings(deps.dataDir, deps.secretStore);
    this.node = new VenueNode({
      identity: {
        stationId: deps.stationId,
        deskName: deps.station.get(),
        appVersion: deps.appVersion,
        protocol: deps.protocol ?? VENUE_PROTOCOL,
      },
      clock: deps.clock,
      persistence: deps.persistence,
      listen: deps.listen ?? {},
      ...(deps.limits ? { limits: deps.limits } : {}),
      ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
      ...(deps.reconnect ? { reconnect: deps.reconnect } : {}),
      onEvent: (e) => this.onNodeEvent(e),
    });
    this.directory = new VenueDirectory(() => this.node.directory());
    this.printStations = new PrintStationPresence(this.node, () => this.settings.material !== null);
    this.membership = new VenueMembership({
      stationId: deps.stationId,
      node: this.node,
      settings: this.settings,
      directory: this.directory,
      station: deps.station,
      clock: deps.clock,
      ...(deps.joinTimeoutMs !== undefined ? { joinTimeoutMs: deps.joinTimeoutMs } : {}),
      keyAdopted: () => this.onKeyAdopted(),
      advertise: () => this.advertise(),
      removed: (venueId) => this.onRemovedFrom(venueId),
    });
    this.pollRequests = new PollRequests({
      node: this.node,
      stationId: deps.stationId,
      deskName: () => deps.station.get(),
      inVenue: () => this.settings.material !== null,
      ...(deps.syncAnswerTimeoutMs !== undefined ? { syncAnswerTimeoutMs: deps.syncAnswerTimeoutMs } : {}),
    });
    deps.discovery?.onChange(() => this.onDiscovery());
    const heartbeatMs = this.node.heartbeatIntervalMs;
    this.relayChoice = new RelayChoice({
      connect: (address) => this.node.connectPeer(address),
      disconnect: (address) => this.node.disconnectPeer(address),
      linkUp: (address) => this.node.peerConnected(address),
      // Two heartbeats without the relay in use: it is gone (killed, its machine off).
      failoverMs: Math.max(1_000, 2 * heartbeatMs),
      now: () => Date.now(),
    });
  }

  get stationId(): string {
    return this.deps.stationId;
  }

  /** The venue this desk is in, or null. */
  get venueId(): string | null {
    return this.settings.config.venue?.id ?? null;
  }

  async start(): Promise<void> {
    const { settings } = this;
    const port = await this.node.start(settings.config.port);
    if (port !== settings.config.port) {
      settings.config = { ...settings.config, port };
      settings.saveConfig();
    }
    const stored = settings.storedKey();
    if (settings.config.venue && stored) {
      settings.material = stored;
      settings.config = { ...settings.config, venue: { ...settings.config.venue, epoch: stored.epoch } };
      await this.membership.adoptKey();
      // The desks it knew; its relays are the relay choice's (one at a time).
      for (const peer of settings.config.peers)
        if (!this.relayChoice.isRelay(peer)) this.node.connectPeer(peer);
    }
    this.advertise();
    this.relayWatch = setInterval(
      () => this.relayChoice.check(),
      Math.max(250, this.node.heartbeatIntervalMs / 2),
    );
    this.relayWatch.unref();
  }

  /** Stops serving and leaves the peers (the desk's data stays). */
  async shutdown(): Promise<void> {
    if (this.relayWatch) clearInterval(this.relayWatch);
    await this.deps.discovery?.close();
    await this.node.stop();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  // ---- VenueDocumentSource ----

  async open(key: VenueDocumentKey): Promise<Y.Doc> {
    if (!this.settings.config.venue || key.venueId !== this.settings.config.venue.id)
      throw new AppError('INVALID_STATE', 'this desk is not in that venue');
    return this.node.openDocument(venueDocumentName(key));
  }

  async close(key: VenueDocumentKey): Promise<void> {
    await this.node.closeDocument(venueDocumentName(key));
  }

  venueEvents(): VenueEventListing[] {
    return this.directory.venueEvents();
  }

  listVenueEvent(listing: VenueEventListing): void {
    this.directory.listVenueEvent(listing);
  }

  onVenueEventsChanged(listener: () => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Whether a station id is a desk of this venue (its directory, removed desks left out), this one included. */
  isVenueDesk(stationId: string): boolean {
    if (stationId === this.stationId) return true;
    return this.directory.members().some(([id]) => id === stationId);
  }

  deskOnline(stationId: string): boolean {
    if (stationId === this.stationId) return true;
    return this.node.peerPresence().some((p) => p.stationId === stationId && p.online);
  }

  // ---- an event forgotten here (main/core/forgetting.ts) ----

  /** What the connected desks and relays hold of this desk's log entries in the event's document. */
  askHoldings(
    event: Omit<VenueDocumentKey, 'venueId'>,
    timeoutMs: number,
    enough?: (answer: HoldingsAnswer) => boolean,
  ): Promise<HoldingsAnswer[]> {
    const venueId = this.venueId;
    if (!venueId || !this.settings.material) return Promise.resolve([]);
    const name = venueDocumentName({ venueId, ...event });
    return this.node.askHoldings(name, this.stationId, timeoutMs, enough);
  }

  /** The peers' connections to the event's document go (this desk forgot it; it refuses them from now on). */
  forgetDocument(key: VenueDocumentKey): void {
    this.node.dropDocument(venueDocumentName(key));
  }

  /** Called with the venue's id once this desk learns that an admin removed it from that venue. */
  onRemoved(listener: (venueId: string) => void): void {
    this.removedListeners.push(listener);
  }

  // ---- admin actions ----

  /** "Start a venue": a name and a random secret; this desk is its first desk. */
  async startVenue(name: string): Promise<VenueStatus> {
    await this.membership.startVenue(name);
    return this.status();
  }

  /** The code other desks join with (admins only: it holds the secret). */
  pairingCode(): string {
    return this.membership.pairingCode();
  }

  /** Joins the venue of `code` through the desk at `address`, or through the relay a BD2 code names. */
  async join(code: string, typedAddress?: string): Promise<VenueStatus> {
    await this.membership.join(code, typedAddress);
    return this.status();
  }

  /** Renames this desk; names are unique within the venue. */
  renameDesk(name: string): VenueStatus {
    const trimmed = name.trim();
    const taken = this.directory.takenNames(this.stationId).map((n) => n.trim().toLowerCase());
    if (taken.includes(trimmed.toLowerCase()))
      throw new AppError('CONFLICT', `another desk of this venue is already called ${trimmed}`);
    this.deps.station.set(trimmed);
    this.node.setDeskName(trimmed);
    if (this.settings.material) this.writeOwnEntry();
    this.advertise();
    return this.status();
  }

  /** Removes a desk and rotates the secret without it; desks not reached join again with the new code. */
  async removeDesk(stationId: string): Promise<{ status: VenueStatus; notReached: string[] }> {
    const notReached = await this.membership.removeDesk(stationId);
    return { status: this.status(), notReached };
  }

  /** A new secret (the next epoch), handed to every connected desk that is not removed. */
  async rotateSecret(): Promise<{ status: VenueStatus; notReached: string[] }> {
    const notReached = await this.membership.rotateSecret();
    return { status: this.status(), notReached };
  }

  /** Leaves the venue: this desk keeps its data and works alone. */
  async leave(): Promise<VenueStatus> {
    this.relayChoice.clear();
    await this.membership.leave();
    return this.status();
  }

  /** Connects to a desk of this venue by typed address (when mDNS is blocked). */
  addPeer(address: string): VenueStatus {
    const peer = parseAddress(address);
    if (!peer) throw new AppError('INVALID_INPUT', 'an address is host:port, e.g. 192.168.1.20:41234');
    if (!this.settings.material) throw new AppError('INVALID_STATE', 'join a venue first');
    this.node.connectPeer(peer);
    const { settings } = this;
    if (!settings.config.peers.some((p) => p.host === peer.host && p.port === peer.port)) {
      settings.config = { ...settings.config, peers: [...settings.config.peers, peer].slice(-200) };
      settings.saveConfig();
    }
    return this.status();
  }

  status(): VenueStatus {
    return venueStatusOf({
      thisDesk: {
        stationId: this.stationId,
        name: this.deps.station.get(),
        port: this.node.port,
        appVersion: this.deps.appVersion,
      },
      now: this.deps.clock.now(),
      venue: this.settings.config.venue,
      directory: this.directory,
      presence: this.node.peerPresence(),
      found: this.deps.discovery?.found() ?? [],
      refusals: this.refusals.latest,
      refusalCount: this.refusals.count,
    });
  }

  // ---- one poller per event (the rule: shared/venue-poller.ts) ----

  /** The events this desk could poll, told to every desk in its presence. */
  setPolls(keys: readonly string[]): void {
    this.pollRequests.setPolls(keys);
  }

  /** The desk that polls this event now, by this desk's view of presence; null when no online desk could. */
  pollerOf(eventKey: string): { stationId: string; deskName: string } | null {
    return this.pollRequests.pollerOf(eventKey);
  }

  /** What this desk does when another asks it to run an event's Sync (core: the hard pull). */
  onSyncRequest(handler: (eventKey: string, fromStationId: string | null) => SyncAnswerOutcome): void {
    this.pollRequests.onSyncRequest(handler);
  }

  /** Asks the poller to run the event's Sync; null when it was not reached or did not answer in time. */
  askSync(stationId: string, eventKey: string, timeoutMs?: number): Promise<SyncAnswerMessage | null> {
    return this.pollRequests.askSync(stationId, eventKey, timeoutMs);
  }

  // ---- internals ----

  /** A sync-request or sync-answer; false when the message is neither. */
  private onPollerMessage(stationId: string | null, parsed: unknown, reply: (p: string) => void): boolean {
    return this.pollRequests.handleMessage(stationId, parsed, reply);
  }

  private onRemovedFrom(venueId: string): void {
    if (this.removedFrom.has(venueId)) return;
    this.removedFrom.add(venueId);
    for (const listener of this.removedListeners) listener(venueId);
  }

  private onNodeEvent(e: VenueNodeEvent): void {
    this.membership.observe(e);
    // A desk of the venue says this one was removed (before the rotation shuts it out).
    if (e.kind === 'refused-by-peer' && e.reason === REMOVED_REFUSAL && this.venueId)
      this.onRemovedFrom(this.venueId);
    if (this.refusals.note(e, this.deps.clock.now())) {
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
    this.membership.handleRotationMessage(stationId, parsed, reply);
  }

  /** The node holds the venue's key: follow its directory, take its removals, say where this desk is. */
  private onKeyAdopted(): void {
    const directory = this.node.directory();
    if (directory && directory !== this.directoryObserved) {
      this.directoryObserved = directory;
      directory.on('update', () => this.onDirectoryUpdate());
    }
    this.membership.applyRemovals();
    this.writeOwnEntry();
    this.connectDirectoryPeers();
    this.changed();
  }

  private onDirectoryUpdate(): void {
    const { settings } = this;
    if (settings.config.venue) {
      const name = this.directory.venueName();
      if (
        typeof name === 'string' &&
        name.length > 0 &&
        name.length <= 80 &&
        name !== settings.config.venue.name
      ) {
        settings.config = { ...settings.config, venue: { ...settings.config.venue, name } };
        settings.saveConfig();
      }
    }
    this.membership.applyRemovals();
    this.resolveNameClash();
    this.connectDirectoryPeers();
    this.changed();
    for (const l of this.eventListeners) l();
  }

  /** Two desks that joined at once with the same name: the later station id takes the next free one. */
  private resolveNameClash(): void {
    if (!this.settings.material) return;
    const renamed = this.directory.nameAfterClash(this.stationId, this.deps.station.get());
    if (renamed === null) return;
    this.deps.station.set(renamed);
    this.node.setDeskName(renamed);
    this.writeOwnEntry();
    this.advertise();
  }

  /**
   * A peer that says it is a relay goes into the directory with the address this desk reaches it
   * at: every desk then connects to it, and this venue's pairing codes carry it.
   */
  private noteRelays(): void {
    if (!this.node.directory() || !this.settings.material) return;
    const relayIds = new Set(
      this.node
        .peerPresence()
        .filter((p) => p.relay)
        .map((p) => p.stationId),
    );
    if (relayIds.size === 0) return;
    this.directory.noteRelays(this.node.identifiedPeers().filter((p) => relayIds.has(p.stationId)));
  }

  private connectDirectoryPeers(): void {
    const { settings } = this;
    // Relays: one at a time, the one this desk joined through (or was given) first.
    const relays = [...(settings.config.relays ?? []), ...this.directory.relayAddresses()];
    this.relayChoice.setCandidates(relays);
    const inUse = this.relayChoice.inUse;
    for (const address of this.node.peerAddresses()) {
      if (this.relayChoice.isRelay(address) && (!inUse || peerKey(address) !== peerKey(inUse)))
        this.node.disconnectPeer(address);
    }
    const known = new Set(settings.config.peers.map(peerKey));
    const learned: PeerAddress[] = [];
    for (const address of this.directory.addressesOfDesks(this.stationId)) {
      this.node.connectPeer(address);
      if (!known.has(peerKey(address))) learned.push(address);
    }
    const knownRelays = new Set((settings.config.relays ?? []).map(peerKey));
    const learnedRelays = this.directory.relayAddresses().filter((a) => !knownRelays.has(peerKey(a)));
    // Kept with the config too: after a crash the directory's last changes may not be stored yet.
    if (learned.length > 0 || learnedRelays.length > 0) {
      settings.config = {
        ...settings.config,
        peers: [...settings.config.peers, ...learned].slice(-200),
        relays: [...(settings.config.relays ?? []), ...learnedRelays].slice(0, 16),
      };
      settings.saveConfig();
    }
  }

  private onDiscovery(): void {
    const venue = this.settings.config.venue;
    if (venue) {
      for (const d of this.deps.discovery?.found() ?? []) {
        if (d.venueId === venue.id && d.stationId !== this.stationId)
          this.node.connectPeer({ host: d.host, port: d.port });
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
      venueId: this.settings.config.venue?.id ?? null,
      venueName: this.settings.config.venue?.name ?? null,
    });
  }

  private ownAddresses(): string[] {
    const hosts =
      this.deps.advertiseHosts ??
      Object.values(networkInterfaces()).flatMap((list) =>
        (list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address),
      );
    return hosts.map((h) => `${formatHost(h)}:${this.node.port}`);
  }

  private writeOwnEntry(): void {
    if (!this.node.directory()) return;
    this.directory.writeDesk(this.stationId, {
      name: this.deps.station.get(),
      addresses: this.ownAddresses(),
    });
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
