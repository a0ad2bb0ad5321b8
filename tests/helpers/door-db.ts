// A desk database (tests/helpers/desk-db.ts) with the door wired as the core wires it: the door's
// store, recorder and check-in hooks, a desk that uses them, and a stand-in printer that records
// what it was asked to print. The entries given to the venue are kept in `published`.
import { DoorStore, type StoredDoorEntry } from '../../main/db/door-store.ts';
import { Desk } from '../../main/desk/desk.ts';
import { Door } from '../../main/desk/door.ts';
import { DoorRecorder } from '../../main/desk/door-record.ts';
import { DoorCheckInHooks } from '../../main/desk/door-hooks.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { openDeskDb, type DeskDb } from './desk-db.ts';

export interface PrintRequest {
  kind: 'first' | 'reprint';
  attendeeId: number;
  note: string | null;
}

export interface DoorDb extends DeskDb {
  doorStore: DoorStore;
  door: Door;
  /** The desk with the door's hooks (the core's desk). */
  doorDesk: Desk;
  published: StoredDoorEntry[];
  prints: PrintRequest[];
  /** Rows of a table, for "nothing stored changed". */
  count(table: string): number;
  /** Where committed entries go besides `published` (a venue replica, once a test makes one). */
  wire: {
    publishDoor?: (eventId: number, entries: readonly StoredDoorEntry[]) => void;
    publishCheckIns?: (eventId: number, actionIds: readonly string[]) => void;
  };
}

let jobId = 0;
const job = (attendeeId: number, reason: PrintJob['reason'], note: string | null): PrintJob =>
  ({ id: ++jobId, attendeeId, reason, note, state: 'queued' }) as PrintJob;

export function openDoorDb(
  t: { after(fn: () => void): void },
  opts: { printer?: boolean; autoPrint?: boolean; dir?: string } = {},
): DoorDb {
  const d = opts.dir ? openDeskDb(t, opts.dir, false) : openDeskDb(t);
  const doorStore = new DoorStore(d.db, d.deskStore.venue);
  const published: StoredDoorEntry[] = [];
  const prints: PrintRequest[] = [];
  const printed = new Set<number>();
  const wire: DoorDb['wire'] = {};
  const recorder = new DoorRecorder({
    doorStore,
    clock: d.clock,
    events: d.events,
    stationId: d.deskStore.venue.stationId,
    publish: (eventId, entries) => {
      published.push(...entries);
      wire.publishDoor?.(eventId, entries);
    },
  });
  const doorDesk = new Desk({
    store: d.store,
    deskStore: d.deskStore,
    clock: d.clock,
    events: d.events,
    requireEvent: (id) => {
      const name = d.store.eventName(id);
      if (name === undefined) throw new AppError('NOT_FOUND', `event ${id} does not exist`);
      return { id, name };
    },
    door: new DoorCheckInHooks({ store: d.store, doorStore, venueStore: d.deskStore.venue, recorder }),
    onRecorded: (eventId, actionIds) => wire.publishCheckIns?.(eventId, actionIds),
    onCheckedIn: (_actor: Actor, a) => {
      if (!opts.autoPrint || printed.has(a.id)) return null;
      printed.add(a.id);
      prints.push({ kind: 'first', attendeeId: a.id, note: null });
      return job(a.id, 'check_in', null);
    },
  });
  const door = new Door({
    store: d.store,
    doorStore,
    desk: doorDesk,
    recorder,
    requireEvent: (id) => {
      const name = d.store.eventName(id);
      if (name === undefined) throw new AppError('NOT_FOUND', `event ${id} does not exist`);
      return { id, name };
    },
    printing: {
      canPrint: () => opts.printer ?? true,
      printedBefore: (id) => printed.has(id),
      printFirst: (_actor, id) => {
        if (printed.has(id)) throw new AppError('CONFLICT', 'a second copy is a reprint');
        printed.add(id);
        prints.push({ kind: 'first', attendeeId: id, note: null });
        return job(id, 'manual', null);
      },
      reprint: (_actor, id, note) => {
        prints.push({ kind: 'reprint', attendeeId: id, note });
        return job(id, 'reprint', note);
      },
    },
  });
  return {
    ...d,
    doorStore,
    door,
    doorDesk,
    published,
    prints,
    wire,
    count: (table) => (d.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
  };
}
