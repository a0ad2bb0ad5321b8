// A desk database (tests/helpers/desk-db.ts) with the check-in lists wired as the core wires them:
// an event in a real time zone (Europe/Berlin, so a day ends at 23:00 UTC in winter), the lists'
// actions, their statistics, and the list entries and check-outs given to the venue in `published`.
import type { CheckOutRecord, StoredListEntry } from '../../main/db/list-store.ts';
import { Desk } from '../../main/desk/desk.ts';
import { Lists } from '../../main/desk/lists.ts';
import { ListStatistics } from '../../main/desk/list-stats.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';
import type { ListDefinition } from '../../shared/lists.ts';
import type { ProviderAttendee } from '../../main/providers/types.ts';
import { openDeskDb, person, type DeskDb } from './desk-db.ts';

export const ZONE = 'Europe/Berlin';
export const admin: Actor = { role: 'admin', name: 'Front Door' };
export const operator: Actor = { role: 'operator', name: 'Side Door' };

export interface ListsDb extends DeskDb {
  /** The event in Europe/Berlin the tests use (not DeskDb's zone-less one). */
  eventId: number;
  desk: Desk;
  lists: Lists;
  stats: ListStatistics;
  published: { lists: StoredListEntry[]; checkOuts: CheckOutRecord[] };
  /** Adds people to the event; returns their ids in order. */
  people(rows: ProviderAttendee[]): number[];
  /** Adds a list as the admin; returns its id. */
  addList(d: Partial<ListDefinition> & { name: string }): string;
  /** Rows of a table, for "nothing stored changed". */
  count(table: string): number;
  /** Moves the clock to a time (ISO). */
  at(iso: string): void;
}

let n = 0;
export const act = (tag = 'a') => `${tag}-${String(++n).padStart(8, '0')}`;

export function listDefinition(d: Partial<ListDefinition> & { name: string }): ListDefinition {
  return {
    ticketTypes: null,
    window: null,
    rule: 'once',
    minGapMinutes: null,
    checkOutAt: null,
    ...d,
  };
}

export function openListsDb(t: { after(fn: () => void): void }): ListsDb {
  const d = openDeskDb(t);
  const integration = d.store.listIntegrations()[0]!;
  const eventId = d.store.insertEvent(
    integration,
    {
      providerEventId: 'conf-berlin',
      name: 'Conf Berlin',
      startsAt: null,
      endsAt: null,
      timezone: ZONE,
      url: null,
    },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  const requireEvent = (id: number) => {
    const name = d.store.eventName(id);
    if (name === undefined) throw new AppError('NOT_FOUND', `event ${id} does not exist`);
    return { id, name };
  };
  const published: ListsDb['published'] = { lists: [], checkOuts: [] };
  const lists = new Lists({
    deskStore: d.deskStore,
    clock: d.clock,
    events: d.events,
    requireEvent,
    publishLists: (_e, entries) => published.lists.push(...entries),
    publishCheckOut: (r) => published.checkOuts.push(r),
    stationName: () => 'Front Door',
  });
  const stats = new ListStatistics({
    db: d.db,
    deskStore: d.deskStore,
    clock: d.clock,
    events: d.events,
    requireEvent,
  });
  const desk = new Desk({
    store: d.store,
    deskStore: d.deskStore,
    clock: d.clock,
    events: d.events,
    requireEvent,
  });
  return {
    ...d,
    eventId,
    desk,
    lists,
    stats,
    published,
    people(rows) {
      d.store.upsertAttendees(eventId, rows, null, '2026-11-23T08:00:00Z');
      return rows.map((r) => d.store.findAttendeeByProviderId(eventId, r.providerAttendeeId)!.id);
    },
    addList(def) {
      return lists.save(admin, { eventId, actionId: act('list'), definition: listDefinition(def) }).id;
    },
    count: (table) => (d.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    at(iso) {
      d.clock.advance(Date.parse(iso) - d.clock.now());
    },
  };
}

export { person };
