// How the door keeps one of its own entries (shared/door-entries.ts): signed with this station,
// stamped so that a change made after seeing the entry in force wins over it, kept and derived in
// SQLite in one transaction (main/db/door-store.ts), then announced and given to the venue's
// document in the same tick, as every desk does.
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { DoorStore, StoredDoorEntry } from '../db/door-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';
import { nextStampTime, subjectOf, type DoorEntryOf, type DoorMapName } from '../../shared/door-entries.ts';
import { VENUE_SCHEMA_VERSION } from '../../shared/venue.ts';

export interface DoorRecordDeps {
  doorStore: DoorStore;
  clock: Clock;
  events: CoreEvents;
  stationId: string;
  /** The data folder's health, told of each write (as the desk's). */
  storage?: { beforeWrite(): void; written(): void; failed(err: unknown): unknown };
  /** After entries are committed: into the event's venue document, in the same tick. */
  publish?(eventId: number, entries: readonly StoredDoorEntry[]): void;
}

/** The fields of an entry that its map's action gives; the version, time and station are added here. */
export type DoorFields<M extends DoorMapName> = Omit<
  DoorEntryOf<M>,
  'v' | 'at' | 'stationId' | 'stationName'
>;

/** A station name as an entry may carry it: plain text, at most 60 characters. */
export const stationNameOf = (actor: Actor) =>
  (actor.name ?? '')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, 60)
    .trim() || 'Desk';

export class DoorRecorder {
  constructor(private readonly deps: DoorRecordDeps) {}

  now(): string {
    return isoTime(this.deps.clock.now());
  }

  /** One entry of this station, ready to keep. `at`: the time of the action it belongs to (a check-in's). */
  entry<M extends DoorMapName>(
    actor: Actor,
    eventId: number,
    map: M,
    key: string,
    fields: DoorFields<M>,
    subject?: string,
    at?: string,
  ): StoredDoorEntry {
    const entry = {
      v: VENUE_SCHEMA_VERSION,
      ...fields,
      at: at ?? this.now(),
      stationId: this.deps.stationId,
      stationName: stationNameOf(actor),
    } as DoorEntryOf<M>;
    const s = subject ?? subjectOf(map, key, entry);
    // A change a person made after seeing the entry in force wins over it, whatever the clocks say.
    if (at === undefined && map !== 'walkIns' && map !== 'confirmations')
      entry.at = nextStampTime(entry.at, this.deps.doorStore.current(eventId, map, s));
    return { map, id: key, eventId, subject: s, at: entry.at, stationId: entry.stationId, entry };
  }

  /**
   * Keeps one entry of this desk and derives its state (one transaction, the data folder's health
   * told), then announces it and gives it to the venue's document. A retried call with the same
   * action id changes nothing more.
   */
  record<M extends DoorMapName>(
    actor: Actor,
    eventId: number,
    map: M,
    key: string,
    fields: DoorFields<M>,
    subject?: string,
  ): void {
    const known = this.deps.doorStore.entry(map, key);
    if (known) {
      if (known.eventId !== eventId)
        throw new AppError('CONFLICT', 'this action id was already used for another action');
      return;
    }
    const storage = this.deps.storage;
    storage?.beforeWrite();
    let stored: StoredDoorEntry;
    let changed: { attendeeIds: number[]; checkInsChanged: number[] } | null;
    try {
      ({ stored, changed } = this.deps.doorStore.transaction(() => {
        const s = this.entry(actor, eventId, map, key, fields, subject);
        return { stored: s, changed: this.deps.doorStore.apply(s, this.now()) };
      }));
    } catch (err) {
      throw storage ? storage.failed(err) : err;
    }
    storage?.written();
    this.deps.publish?.(eventId, [stored]);
    if (changed?.checkInsChanged.length)
      this.deps.events.emit('checkinsChanged', { eventId, attendeeIds: changed.checkInsChanged });
    this.deps.events.emit('attendeesChanged', { eventId, attendeeIds: changed?.attendeeIds ?? [] });
  }

  /** Keeps an entry in the caller's transaction; returns what gives it to the venue once committed. */
  stage(e: StoredDoorEntry): () => void {
    this.deps.doorStore.apply(e, this.now());
    return () => this.deps.publish?.(e.eventId, [e]);
  }
}
