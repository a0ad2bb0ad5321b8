// The venue's directory document, as every desk of the venue shares it (never attendee data):
// - `desks`: each desk's name and the addresses it is reached at, by station id;
// - `removed`: desks an admin removed (refused everywhere, even before the secret rotates);
// - `relays`: where desks reach each relay, by its station id;
// - `meta`: the venue's name; and the venue's events, so a desk without an account opens them.
// Every value a peer wrote is read defensively: a bad entry is skipped, never trusted.
import type * as Y from 'yjs';
import {
  ROSTER_MAPS,
  listVenueEventIn,
  readVenueEvents,
  type VenueEventListing,
} from '../../../../shared/venue-roster.ts';
import { renameOnNameClash } from '../../../../shared/venue-desks.ts';
import { formatAddress, parseAddress, type PeerAddress } from '../transport/addresses.ts';

export interface DirectoryDesk {
  name: string;
  addresses: string[];
}

interface DirectoryRelay {
  addresses: string[];
}

function readDirectoryDesk(value: unknown): DirectoryDesk | null {
  const v = value as { name?: unknown; addresses?: unknown } | null;
  if (!v || typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 60) return null;
  const addresses = Array.isArray(v.addresses)
    ? v.addresses.filter((a): a is string => typeof a === 'string' && a.length <= 300).slice(0, 16)
    : [];
  return { name: v.name, addresses };
}

/** A relay in the directory (map `relays`, by its station id): where desks were told to find it. */
function readDirectoryRelay(value: unknown): DirectoryRelay | null {
  const v = value as { addresses?: unknown } | null;
  if (!v || !Array.isArray(v.addresses)) return null;
  const addresses = v.addresses
    .filter((a): a is string => typeof a === 'string' && parseAddress(a) !== null && a.length <= 120)
    .slice(0, 4);
  return addresses.length > 0 ? { addresses } : null;
}

export class VenueDirectory {
  /** `document`: the directory of the venue this desk is in now (null: in none). */
  constructor(private readonly document: () => Y.Doc | null) {}

  /** The venue's name, as the desk that started it wrote it. */
  venueName(): unknown {
    return this.document()?.getMap('meta').get('name');
  }

  setVenueName(name: string): void {
    this.document()?.getMap('meta').set('name', name);
  }

  /** Every desk that ever joined, removed ones included. */
  desks(): [string, DirectoryDesk][] {
    const directory = this.document();
    if (!directory) return [];
    const out: [string, DirectoryDesk][] = [];
    directory.getMap('desks').forEach((value, stationId) => {
      const entry = readDirectoryDesk(value);
      if (entry) out.push([stationId, entry]);
    });
    return out;
  }

  /** The desks not removed. */
  members(): [string, DirectoryDesk][] {
    const removed = new Set(this.removed());
    return this.desks().filter(([id]) => !removed.has(id));
  }

  /** The names the venue's other desks go by. */
  takenNames(ownStationId: string): string[] {
    return this.members()
      .filter(([id]) => id !== ownStationId)
      .map(([, d]) => d.name);
  }

  hasDesk(stationId: string): boolean {
    return this.document()?.getMap('desks').has(stationId) ?? false;
  }

  /** This desk's entry, written only when its name or addresses changed. */
  writeDesk(stationId: string, entry: DirectoryDesk): void {
    const directory = this.document();
    if (!directory) return;
    const desks = directory.getMap('desks');
    const current = readDirectoryDesk(desks.get(stationId));
    if (current && current.name === entry.name && current.addresses.join() === entry.addresses.join()) return;
    desks.set(stationId, { v: 1, ...entry });
  }

  /** Two desks that joined at once with the same name: the later station id takes the next free one (null: no clash). */
  nameAfterClash(stationId: string, name: string): string | null {
    const members = this.members().map(([id, d]) => [id, d.name] as const);
    return renameOnNameClash(stationId, name, members);
  }

  removed(): string[] {
    return [...(this.document()?.getMap('removed').keys() ?? [])];
  }

  markRemoved(stationId: string, removal: { at: string; by: string }): void {
    this.document()?.getMap('removed').set(stationId, removal);
  }

  relays(): [string, DirectoryRelay][] {
    const out: [string, DirectoryRelay][] = [];
    this.document()
      ?.getMap('relays')
      .forEach((value, stationId) => {
        const entry = readDirectoryRelay(value);
        if (entry && stationId.length <= 64) out.push([stationId, entry]);
      });
    return out;
  }

  /**
   * Relays this desk reaches, at the address it reaches each at: every desk then connects to
   * them, and the venue's pairing codes carry the first.
   */
  noteRelays(reached: readonly { address: PeerAddress; stationId: string }[]): void {
    const directory = this.document();
    if (!directory) return;
    const relays = directory.getMap('relays');
    for (const { address, stationId } of reached) {
      const text = formatAddress(address);
      if (readDirectoryRelay(relays.get(stationId))?.addresses.includes(text)) continue;
      const addresses = [text, ...(readDirectoryRelay(relays.get(stationId))?.addresses ?? [])].slice(0, 4);
      relays.set(stationId, { v: 1, addresses });
    }
  }

  /** Every address the directory gives for the venue's other desks and its relays (duplicates kept). */
  addressesOfOthers(ownStationId: string): PeerAddress[] {
    return this.addressesOf([...this.members(), ...this.relays()], ownStationId);
  }

  /** Every address the directory gives for the venue's other desks (not its relays). */
  addressesOfDesks(ownStationId: string): PeerAddress[] {
    return this.addressesOf(this.members(), ownStationId);
  }

  /** Every address of the venue's relays, relay by relay. */
  relayAddresses(): PeerAddress[] {
    return this.addressesOf(this.relays(), '');
  }

  private addressesOf(entries: [string, { addresses: string[] }][], ownStationId: string): PeerAddress[] {
    const out: PeerAddress[] = [];
    for (const [stationId, entry] of entries) {
      if (stationId === ownStationId) continue;
      for (const text of entry.addresses) {
        const address = parseAddress(text);
        if (address) out.push(address);
      }
    }
    return out;
  }

  /** The venue's events as the directory lists them (valid listings only). */
  venueEvents(): VenueEventListing[] {
    const events = this.document()?.getMap(ROSTER_MAPS.directoryEvents);
    return events ? readVenueEvents(events) : [];
  }

  listVenueEvent(listing: VenueEventListing): void {
    const events = this.document()?.getMap(ROSTER_MAPS.directoryEvents);
    if (events) listVenueEventIn(events, listing);
  }
}
