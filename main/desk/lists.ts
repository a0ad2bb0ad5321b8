// Check-in lists as an admin keeps them: add or change a list, take one out of the choices, check
// everyone out of a list now or on its schedule. Each is an entry of this desk's, kept in SQLite
// first (one transaction, the data folder's health told), then given to the venue's document, as
// the door's entries are (door-record.ts). The rules are shared/lists.ts; who is inside, the
// derived state, is main/db/presence-store.ts.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../ground/clock.ts';
import { isoTime } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { VenueStore } from '../db/venue-store.ts';
import type { CheckOutRecord, StoredListEntry } from '../db/list-store.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';
import { VENUE_SCHEMA_VERSION } from '../../shared/venue.ts';
import { nextStampTime } from '../../shared/door-entries.ts';
import type { ListEntry } from '../../shared/list-entries.ts';
import {
  MAIN_LIST_ID,
  checkListDefinition,
  dueCheckOut,
  type CheckInList,
  type ListDefinition,
} from '../../shared/lists.ts';
import type { ListsView } from '../../shared/list-stats.ts';
import { requireList } from './passages.ts';
import type { DeskStore } from '../db/desk-store.ts';
import { stationNameOf } from './door-record.ts';

export interface ListsDeps {
  deskStore: DeskStore;
  clock: Clock;
  events: CoreEvents;
  requireEvent(eventId: number): { id: number; name: string };
  storage?: { beforeWrite(): void; written(): void; failed(err: unknown): unknown };
  /** After entries are committed: into the event's venue document, in the same tick. */
  publishLists?(eventId: number, entries: readonly StoredListEntry[]): void;
  publishCheckOut?(r: CheckOutRecord): void;
  /** This desk's name, for the check-outs its schedule writes. */
  stationName(): string;
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin')
    throw new AppError('FORBIDDEN', 'only a workspace admin may change check-in lists');
}

export class Lists {
  constructor(private readonly deps: ListsDeps) {}

  private get venue(): VenueStore {
    return this.deps.deskStore.venue;
  }

  private now(): string {
    return isoTime(this.deps.clock.now());
  }

  /** The event's lists (removed ones too, marked) with who is inside each, and inside the venue. */
  view(eventId: number): ListsView {
    this.deps.requireEvent(eventId);
    const inside = this.venue.presence.insideByList(eventId);
    return {
      eventId,
      zone: this.venue.lists.zoneOf(eventId),
      lists: this.venue.lists.listsOf(eventId).map((l) => ({ ...l, inside: inside.get(l.id) ?? 0 })),
      venueInside: this.venue.presence.venueInsideCount(eventId),
    };
  }

  /** A list a desk may check in for: of this event, not removed (a typed error otherwise). */
  requireList(eventId: number, listId: string): CheckInList {
    this.deps.requireEvent(eventId);
    return requireList(this.deps.deskStore, eventId, listId);
  }

  /**
   * Adds a list (no `listId`) or changes one. Refused with a typed error, nothing stored: a list with
   * no ticket type, a window that ends before it starts, a gap below zero, a list of another event.
   * The main list takes only a check-out time.
   */
  save(
    actor: Actor,
    input: { eventId: number; actionId: string; listId?: string | undefined; definition: ListDefinition },
  ): CheckInList {
    requireAdmin(actor);
    const { eventId } = input;
    this.deps.requireEvent(eventId);
    const listId = input.listId ?? randomUUID();
    // Saving a removed list brings it back.
    if (input.listId !== undefined) this.requireOwn(eventId, input.listId);
    const check = checkListDefinition(input.definition, listId === MAIN_LIST_ID);
    if (!check.ok) throw new AppError('INVALID_INPUT', check.reason);
    this.record(actor, eventId, input.actionId, listId, check.value, false);
    return this.venue.lists.list(eventId, listId)!;
  }

  /** Takes a list out of the desks' choices; its entries stay in the log and the statistics. */
  remove(actor: Actor, input: { eventId: number; actionId: string; listId: string }): CheckInList {
    requireAdmin(actor);
    this.deps.requireEvent(input.eventId);
    const list = this.requireOwn(input.eventId, input.listId);
    if (list.main) throw new AppError('INVALID_INPUT', 'the main list cannot be removed');
    this.record(actor, input.eventId, input.actionId, list.id, list, true);
    return this.venue.lists.list(input.eventId, list.id)!;
  }

  /** Checks everyone inside a list out now (an admin at the end of a day). Returns how many left. */
  checkOutAll(
    actor: Actor,
    input: { eventId: number; actionId: string; listId: string },
  ): { checkedOut: number } {
    requireAdmin(actor);
    this.deps.requireEvent(input.eventId);
    const list = this.requireOwn(input.eventId, input.listId);
    const before = this.venue.presence.insideCount(input.eventId, list.id);
    const known = this.venue.lists.checkOut(input.actionId);
    if (known) {
      if (known.eventId !== input.eventId || known.listId !== list.id)
        throw new AppError('CONFLICT', 'this action id was already used for another action');
      return { checkedOut: 0 };
    }
    this.checkOut({
      actionId: input.actionId,
      eventId: input.eventId,
      listId: list.id,
      // After every passage of the list the admin saw, whatever this desk's clock says.
      at: nextStampTime(this.now(), this.venue.lists.latestPassage(input.eventId, list.id)),
      stationId: this.venue.stationId,
      station: stationNameOf(actor),
      scheduled: false,
    });
    return { checkedOut: before - this.venue.presence.insideCount(input.eventId, list.id) };
  }

  /**
   * Writes the scheduled check-outs that are due (a list checked out at 23:00 every day), stamped
   * with their scheduled time: a desk that was off then writes it when it starts, and two desks that
   * both write one change nothing more than one. Returns how many it wrote.
   */
  runSchedules(): number {
    const now = this.now();
    let written = 0;
    for (const { eventId } of this.venue.eventKeys()) {
      const zone = this.venue.lists.zoneOf(eventId);
      for (const list of this.venue.lists.listsOf(eventId)) {
        if (list.removed || list.checkOutAt === null || list.updatedAt === null) continue;
        const due = dueCheckOut(list.checkOutAt, list.updatedAt, now, zone);
        if (due === null) continue;
        const at = new Date(due).toISOString();
        if (this.venue.lists.hasCheckOutAt(eventId, list.id, at)) continue;
        this.checkOut({
          actionId: randomUUID(),
          eventId,
          listId: list.id,
          at,
          stationId: this.venue.stationId,
          station: stationNameOf({ role: 'operator', name: this.deps.stationName() }),
          scheduled: true,
        });
        written++;
      }
    }
    return written;
  }

  /** A list of this event, removed or not; another event's, or none, is a typed error. */
  private requireOwn(eventId: number, listId: string): CheckInList {
    const list = this.venue.lists.list(eventId, listId);
    if (list) return list;
    const other = this.venue.lists.eventOfList(listId);
    if (other !== undefined && other !== eventId)
      throw new AppError('INVALID_INPUT', `the check-in list ${listId} belongs to another event`);
    throw new AppError('NOT_FOUND', `the event has no check-in list ${listId}`);
  }

  private record(
    actor: Actor,
    eventId: number,
    actionId: string,
    listId: string,
    d: ListDefinition,
    removed: boolean,
  ): void {
    const lists = this.venue.lists;
    const known = lists.entry(actionId);
    if (known) {
      if (known.eventId !== eventId || known.listId !== listId)
        throw new AppError('CONFLICT', 'this action id was already used for another action');
      return;
    }
    const entry: ListEntry = {
      v: VENUE_SCHEMA_VERSION,
      list: listId,
      name: d.name,
      tickets: d.ticketTypes,
      window: d.window,
      rule: d.rule,
      minGapMinutes: d.minGapMinutes,
      checkOutAt: d.checkOutAt,
      removed,
      // A change made after seeing the definition in force wins over it, whatever the clocks say.
      at: nextStampTime(this.now(), lists.current(eventId, listId)),
      stationId: this.venue.stationId,
      stationName: stationNameOf(actor),
    };
    const stored: StoredListEntry = {
      id: actionId,
      eventId,
      listId,
      at: entry.at,
      stationId: entry.stationId,
      entry,
    };
    this.write(() => lists.putEntry(stored));
    this.deps.publishLists?.(eventId, [stored]);
    this.deps.events.emit('listsChanged', { eventId });
  }

  private checkOut(r: CheckOutRecord): void {
    this.write(() => this.venue.applyCheckOut(r));
    this.deps.publishCheckOut?.(r);
    this.deps.events.emit('listsChanged', { eventId: r.eventId });
  }

  private write<T>(fn: () => T): T {
    const storage = this.deps.storage;
    storage?.beforeWrite();
    let result: T;
    try {
      result = this.venue.transaction(fn);
    } catch (err) {
      throw storage ? storage.failed(err) : err;
    }
    storage?.written();
    return result;
  }
}
