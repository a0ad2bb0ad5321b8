// Being in a venue: start one (a name and a random secret), give its pairing code, join one by
// code (a wrong code changes nothing here), leave, remove a desk (marked removed for every desk,
// then the secret rotates without it), rotate the secret (handed over the current encrypted
// sessions; rotation.ts), and take a rotation another desk sends.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../../shared/errors.ts';
import { nextFreeDeskName } from '../../../../shared/venue-desks.ts';
import { isoTime, type Clock } from '../../../ground/clock.ts';
import type { VenueNode } from '../node.ts';
import type { VenueNodeEvent } from '../node-events.ts';
import type { VenueDirectory } from '../directory/directory.ts';
import { formatAddress, parseAddress, type PeerAddress } from '../transport/addresses.ts';
import { probe } from '../transport/probe.ts';
import type { VenueKeyMaterial } from '../transport/psk.ts';
import { encodePairingCode, readPairingCode, VENUE_SECRET_BYTES } from './pairing-code.ts';
import { readRotated, readRotation, rotatedMessageFor, rotateMessageFor } from './rotation.ts';
import type { VenueSettings } from './venue-settings.ts';

/** The desk's name as the app's settings keep it (check-in rows carry the same name). */
export interface StationName {
  get(): string;
  set(name: string): void;
}

export interface VenueMembershipOptions {
  stationId: string;
  node: VenueNode;
  settings: VenueSettings;
  directory: VenueDirectory;
  station: StationName;
  clock: Clock;
  /** How long a join waits for the other desk, and a rotation for the desks' answers (ms). */
  joinTimeoutMs?: number;
  /** The node holds the venue's key now (a new one, or none): the rest of the desk follows. */
  keyAdopted: () => void;
  /** What the desk tells the network about itself (mDNS) changed. */
  advertise: () => void;
  /** An admin elsewhere removed this desk from the venue (its id): the desk forgets the venue's events. */
  removed?: (venueId: string) => void;
}

export class VenueMembership {
  private readonly pendingAcks = new Map<string, () => void>();
  private joinWaiter: ((e: VenueNodeEvent) => void) | null = null;

  constructor(private readonly options: VenueMembershipOptions) {}

  /** "Start a venue": a name and a random secret; this desk is its first desk. */
  async startVenue(name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) throw new AppError('INVALID_INPUT', 'a venue needs a name');
    const { settings } = this.options;
    settings.material = {
      venueId: randomBytes(6).toString('hex'),
      epoch: 1,
      secret: randomBytes(VENUE_SECRET_BYTES),
    };
    settings.config = {
      ...settings.config,
      venue: { id: settings.material.venueId, name: trimmed.slice(0, 80), epoch: 1 },
      peers: [],
    };
    settings.saveKey();
    await this.adoptKey();
    this.options.directory.setVenueName(trimmed.slice(0, 80));
    this.options.advertise();
  }

  /**
   * The code other desks join with (admins only: it holds the secret). With a relay known to the
   * venue, a BD2 code that carries its address, so a desk kept apart from the others reaches it.
   */
  pairingCode(): string {
    const material = this.options.settings.material;
    if (!material)
      throw new AppError('INVALID_STATE', 'this desk is in no venue; start one or join one first');
    const relays = this.options.directory.relays().map(([, r]) => r.addresses[0]!);
    return encodePairingCode(material, relays.length > 0 ? relays : null);
  }

  /**
   * Joins the venue of `code` through the desk at `address` (typed, or picked from the
   * discovered desks), or without one through the first of the code's relays that answers (they
   * are tried at once). A wrong code fails the TLS handshake and changes nothing here. The code's
   * relays are this desk's relays from then on, the one it reached first.
   */
  async join(code: string, typedAddress?: string): Promise<void> {
    const { node, settings, directory, station, stationId } = this.options;
    const { material, relays } = readPairingCode(code);
    if (typedAddress === undefined && relays.length === 0)
      throw new AppError('INVALID_INPUT', 'type the address of a desk of the venue');
    const candidates = (typedAddress !== undefined ? [typedAddress] : relays).map((text) => {
      const peer = parseAddress(text);
      if (!peer) throw new AppError('INVALID_INPUT', 'an address is host:port, e.g. 192.168.1.20:41234');
      return peer;
    });
    const timeoutMs = this.options.joinTimeoutMs ?? 10_000;
    const { peer, reached } = await firstAnswer(candidates, material, timeoutMs);
    const address = formatAddress(peer);
    if (reached === 'unreachable')
      throw new AppError(
        'NOT_FOUND',
        candidates.length === 1
          ? `no desk answers at ${address}`
          : `no relay of this code answers (${candidates.map(formatAddress).join(', ')})`,
      );
    if (reached === 'wrong-code')
      throw new AppError(
        'FORBIDDEN',
        `the desk at ${address} refused this pairing code: it belongs to another venue, or the secret was rotated`,
      );

    const previous = { material: settings.material, config: settings.config };
    settings.material = material;
    await node.setKey(material);
    const outcome = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new AppError('PROVIDER_UNAVAILABLE', `the desk at ${address} did not answer in time`)),
        timeoutMs,
      );
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
    node.connectPeer(peer);
    try {
      await outcome;
    } catch (err) {
      settings.material = previous.material;
      settings.config = previous.config;
      await node.setKey(previous.material);
      throw err;
    } finally {
      this.joinWaiter = null;
    }
    const venueName = (directory.venueName() as string | undefined) ?? 'Venue';
    const codeRelays = relays.flatMap((text) => parseAddress(text) ?? []);
    const joinedThroughRelay = codeRelays.some((r) => formatAddress(r) === address);
    // The relay this desk reached first, then the code's others: it uses one at a time.
    const ordered = joinedThroughRelay
      ? [peer, ...codeRelays.filter((r) => formatAddress(r) !== address)]
      : codeRelays;
    settings.config = {
      ...settings.config,
      venue: { id: material.venueId, name: venueName.slice(0, 80), epoch: material.epoch },
      peers: joinedThroughRelay ? [] : [peer],
      relays: ordered,
    };
    settings.saveKey();
    // Every new station is "Desk 1": take the first free name if ours is taken.
    const taken = directory.takenNames(stationId);
    if (taken.some((n) => n.trim().toLowerCase() === station.get().trim().toLowerCase())) {
      station.set(nextFreeDeskName(taken));
      node.setDeskName(station.get());
    }
    await this.adoptKey();
    this.options.advertise();
  }

  /** Removes a desk: marks it removed for every desk, then rotates the secret without it. Returns the desks not reached. */
  async removeDesk(stationId: string): Promise<string[]> {
    this.requireVenue();
    const { directory } = this.options;
    if (stationId === this.options.stationId)
      throw new AppError('INVALID_INPUT', 'a desk cannot remove itself; remove it from another desk');
    if (!directory.hasDesk(stationId)) throw new AppError('NOT_FOUND', 'that desk is not in this venue');
    directory.markRemoved(stationId, { at: isoTime(this.options.clock.now()), by: this.options.stationId });
    this.applyRemovals();
    return this.rotateSecret();
  }

  /**
   * A new secret (the next epoch), sent over the current encrypted sessions to every connected
   * desk that is not removed; then every old-epoch connection closes. A desk not reached (off
   * at the time) joins again with the new code. Returns the names of the desks not reached.
   */
  async rotateSecret(): Promise<string[]> {
    const material = this.requireVenue();
    const { directory, settings } = this.options;
    const next: VenueKeyMaterial = {
      venueId: material.venueId,
      epoch: material.epoch + 1,
      secret: randomBytes(VENUE_SECRET_BYTES),
    };
    const removed = new Set(directory.removed());
    const payload = rotateMessageFor(next);
    const acked = new Set<string>();
    const members = directory
      .members()
      .map(([id]) => id)
      .filter((id) => id !== this.options.stationId);
    const allAcked = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.joinTimeoutMs ?? 3_000);
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
    this.options.node.sendToPeers(payload, (id) => !removed.has(id));
    await allAcked;
    this.pendingAcks.clear();
    settings.material = next;
    settings.saveKey();
    await this.adoptKey();
    const names = new Map(directory.desks());
    return members.filter((m) => !acked.has(m)).map((m) => names.get(m)?.name ?? m);
  }

  /** Leaves the venue: this desk keeps its data and works alone. */
  async leave(): Promise<void> {
    const { settings } = this.options;
    settings.material = null;
    settings.config = { ...settings.config, venue: null, peers: [], relays: [] };
    settings.deleteKey();
    settings.saveConfig();
    await this.options.node.setKey(null);
    this.options.advertise();
  }

  /** Hands the node the key in use; the panel says its epoch only once the node holds it. */
  async adoptKey(): Promise<void> {
    const { settings } = this.options;
    await this.options.node.setKey(settings.material);
    // The panel says the new epoch only once every session of the old one is closed: until then a
    // removed desk could still write through one.
    if (settings.material && settings.config.venue)
      settings.config = {
        ...settings.config,
        venue: { ...settings.config.venue, epoch: settings.material.epoch },
      };
    this.options.keyAdopted();
  }

  /** The directory's removed desks are refused here; this desk, removed by an admin elsewhere, leaves. */
  applyRemovals(): void {
    const removed = this.options.directory.removed();
    this.options.node.setRemovedStations(removed);
    const material = this.options.settings.material;
    if (removed.includes(this.options.stationId) && material) {
      // Removed by an admin elsewhere: this desk stops trying and works alone.
      this.options.removed?.(material.venueId);
      void this.leave();
    }
  }

  /** Every node event, seen by a join that waits for the other desk. */
  observe(event: VenueNodeEvent): void {
    this.joinWaiter?.(event);
  }

  /** A rotation (`rotate`) or an answer to ours (`rotated`); false when the message is neither. */
  handleRotationMessage(stationId: string | null, parsed: unknown, reply: (p: string) => void): boolean {
    const ack = readRotated(parsed);
    if (ack && stationId) {
      // A relay passes on the answers of the desks it reached for us (they may reach no one else).
      this.pendingAcks.get(ack.stationId ?? stationId)?.();
      return true;
    }
    const { settings } = this.options;
    const next = settings.material ? readRotation(parsed, settings.material) : null;
    if (!next) return false;
    reply(rotatedMessageFor(next.epoch));
    settings.material = next;
    settings.saveKey();
    // After the acknowledgement has left: adopting closes the sessions it travels on.
    setTimeout(() => void this.adoptKey(), 50);
    return true;
  }

  private requireVenue(): VenueKeyMaterial {
    const material = this.options.settings.material;
    if (!this.options.node.directory() || !material)
      throw new AppError('INVALID_STATE', 'this desk is in no venue');
    return material;
  }
}

/**
 * Probes every candidate at once: the first that opens a session; else the first that refused
 * the code (it is there, the code is wrong); else unreachable.
 */
async function firstAnswer(
  candidates: PeerAddress[],
  material: VenueKeyMaterial,
  timeoutMs: number,
): Promise<{ peer: PeerAddress; reached: 'ok' | 'wrong-code' | 'unreachable' }> {
  const answers = candidates.map((peer) =>
    probe(peer, material, timeoutMs).then((reached) => ({ peer, reached })),
  );
  const ok = await Promise.any(
    answers.map((a) => a.then((x) => (x.reached === 'ok' ? x : Promise.reject(new Error('not ok'))))),
  ).catch(() => null);
  if (ok) return ok;
  const all = await Promise.all(answers);
  return all.find((x) => x.reached === 'wrong-code') ?? all[0]!;
}
