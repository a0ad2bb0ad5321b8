// A real mirror database in a temp folder with one event, for the desk's unit tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/db/open.ts';
import { MirrorStore } from '../../main/db/store.ts';
import { DeskStore } from '../../main/db/desk-store.ts';
import { Desk } from '../../main/desk/desk.ts';
import { CoreEvents } from '../../main/ground/events.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { ProviderAttendee } from '../../main/providers/types.ts';

let seq = 0;
export function person(over: Partial<ProviderAttendee> & { fullName: string }): ProviderAttendee {
  const id = over.providerAttendeeId ?? `p${++seq}`;
  const [first, ...rest] = over.fullName.split(' ');
  return {
    providerAttendeeId: id,
    firstName: first ?? null,
    lastName: rest.join(' ') || null,
    email: `${id}@example.com`,
    company: null,
    jobTitle: null,
    ticketName: 'General',
    orderId: `o-${id}`,
    barcode: `bc-${id}`,
    status: 'ATTENDING',
    providerStatus: 'Attending',
    providerCheckedIn: false,
    registeredAt: '2026-11-01T10:00:00Z',
    providerUpdatedAt: '2026-11-01T10:00:00Z',
    ...over,
  };
}

export interface DeskDb {
  db: Db;
  store: MirrorStore;
  deskStore: DeskStore;
  desk: Desk;
  events: CoreEvents;
  clock: VirtualClock;
  eventId: number;
  dir: string;
  /** Adds (or updates) provider rows as a sync would; returns their ids in order. */
  put(rows: ProviderAttendee[]): number[];
  /** A second event on the same database. */
  addEvent(name: string): number;
}

export function openDeskDb(
  t: { after(fn: () => void): void },
  dir = mkdtempSync(join(tmpdir(), 'bd-desk-')),
  cleanup = true,
): DeskDb {
  const db = openDatabase(join(dir, 'badge-desk.sqlite'));
  const store = new MirrorStore(db);
  const deskStore = new DeskStore(db);
  const events = new CoreEvents();
  const clock = new VirtualClock(Date.parse('2026-11-23T08:55:00Z'));
  const integration =
    store.listIntegrations()[0] ??
    store.upsertIntegration({
      provider: 'eventbrite',
      accountId: 'u1',
      accountEmail: 'a@x.org',
      accountName: 'A',
      secretRef: 'ref',
      now: '2026-11-23T08:00:00Z',
    });
  const addEvent = (name: string) =>
    store.findEventByProviderId('eventbrite', name) ??
    store.insertEvent(
      integration,
      { providerEventId: name, name, startsAt: null, endsAt: null, timezone: null, url: null },
      'event added',
      '2026-11-23T08:00:00Z',
    );
  const eventId = addEvent('Conf');
  const desk = new Desk({
    store,
    deskStore,
    clock,
    events,
    requireEvent: (id) => {
      const e = store.getEvent(id);
      if (!e) throw new AppError('NOT_FOUND', `event ${id} does not exist`);
      return e;
    },
  });
  t.after(() => {
    if (db.open) db.close();
    if (cleanup) rmSync(dir, { recursive: true, force: true });
  });
  return {
    db,
    store,
    deskStore,
    desk,
    events,
    clock,
    eventId,
    dir,
    addEvent,
    put(rows) {
      store.upsertAttendees(eventId, rows, null, '2026-11-23T08:00:00Z');
      return rows.map((r) => store.findAttendeeByProviderId(eventId, r.providerAttendeeId)!.id);
    },
  };
}
