// The venue data half's figures, in a process of its own started with --expose-gc so
// the heap is measured after a full GC. run.ts starts it; it prints one JSON line of figures.
//   node --expose-gc --import tsx tests/bench/venue-replica.ts [--attendees N]
// - heal_ms: two stations of an N-attendee event (100,000), apart while each records N/2 check-ins
//   through the desk path (SQLite, then the document), then joined: from the first byte exchanged
//   to both SQLite read models holding the same state (Yjs updates both ways, validation, SQLite
//   writes and the derived state). Goal < 10,000.
// - heap_mb: a station's heap after a full GC with that event's document loaded and attached
//   (the mirror database is on disk, not on the heap). Goal < 150.
import { mkdtempSync, rmSync } from 'node:fs';
import { asGcChild, runGcChild } from './gc-child.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHash, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { openDatabase, type Db } from '../../main/db/open.ts';
import { MirrorStore } from '../../main/db/store.ts';
import { DeskStore } from '../../main/db/desk-store.ts';
import { Desk } from '../../main/desk/desk.ts';
import { CoreEvents } from '../../main/ground/events.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { VenueReplica } from '../../main/venue/replica/replica.ts';
import { SqliteDocumentPersistence } from '../../main/venue/replica/persistence.ts';
import type { VenueDocumentKey } from '../../main/venue/contracts.ts';
import { venueDocumentName } from '../../shared/venue.ts';
import type { ProviderAttendee } from '../../main/providers/types.ts';
import { person as deskPerson } from '../helpers/desk-db.ts';

export interface VenueReplicaFigures {
  attendees: number;
  checkins_per_station: number;
  double_admissions: number;
  heal_ms: number;
  heal_cpu_ms: number;
  heal_goal_ms: number;
  document_bytes: number;
  heap_mb: number;
  heap_mb_without_document: number;
  heap_goal_mb: number;
}

const MB = 1024 * 1024;
const KEY: VenueDocumentKey = { venueId: 'bench', provider: 'eventbrite', providerEventId: 'bench-event' };

interface Station {
  db: Db;
  store: MirrorStore;
  deskStore: DeskStore;
  replica: VenueReplica;
  desk: Desk;
  doc: Y.Doc;
  eventId: number;
  clock: VirtualClock;
}

const person = (i: number): ProviderAttendee =>
  deskPerson({ providerAttendeeId: `att-${i}`, fullName: `Guest ${i}`, barcode: `BC-${i}` });

function openStation(dir: string, attendees: number, opts: { load: boolean; attach: boolean }): Station {
  const db = openDatabase(join(dir, 'badge-desk.sqlite'));
  const store = new MirrorStore(db);
  const deskStore = new DeskStore(db);
  const events = new CoreEvents();
  const clock = new VirtualClock(Date.parse('2026-11-23T08:30:00Z'));
  let eventId = store.findEventByProviderId(KEY.provider, KEY.providerEventId);
  if (eventId === undefined) {
    const integration = store.upsertIntegration({
      provider: 'eventbrite',
      accountId: 'u1',
      accountEmail: 'a@x.org',
      accountName: 'A',
      secretRef: 'ref',
      now: '2026-11-23T08:00:00Z',
    });
    eventId = store.insertEvent(
      integration,
      {
        providerEventId: KEY.providerEventId,
        name: 'Bench',
        startsAt: null,
        endsAt: null,
        timezone: null,
        url: null,
      },
      'added',
      '2026-11-23T08:00:00Z',
    );
    for (let from = 0; from < attendees; from += 1000) {
      const page = Array.from({ length: Math.min(1000, attendees - from) }, (_, i) => person(from + i));
      store.upsertAttendees(eventId, page, null, '2026-11-23T08:00:00Z');
    }
  }
  // The log's figures: these stations do not publish the roster (a desk that is not
  // the event's poller); a desk without an account holding the roster is the roster bench's.
  const replica = new VenueReplica({
    store,
    venueStore: deskStore.venue,
    clock,
    events,
    isPoller: () => false,
  });
  const id = eventId;
  const desk = new Desk({
    store,
    deskStore,
    clock,
    events,
    requireEvent: () => ({ id, name: 'Bench' }),
    onRecorded: (e, ids) => replica.publishCheckIns(e, ids),
  });
  const doc = new Y.Doc();
  const persistence = new SqliteDocumentPersistence(deskStore.venue, clock);
  const stored = opts.load ? persistence.load(venueDocumentName(KEY)) : null;
  if (stored) Y.applyUpdate(doc, stored);
  if (opts.attach) replica.attach(KEY, doc);
  return { db, store, deskStore, replica, desk, doc, eventId, clock };
}

/** The derived state in provider terms (row ids differ between stations), as one digest. */
function stateDigest(s: Station): string {
  const hash = createHash('sha256');
  const rows = s.db
    .prepare(
      `SELECT a.provider_attendee_id AS p, c.checked_in, c.at, c.station_id, c.admission_stations FROM attendee_checkin c
       JOIN attendees a ON a.id = c.attendee_id WHERE c.event_id = ? ORDER BY a.provider_attendee_id`,
    )
    .iterate(s.eventId) as Iterable<Record<string, unknown>>;
  for (const r of rows) hash.update(JSON.stringify(r));
  return hash.digest('hex');
}

/** Two stations apart, then joined; every object of theirs is garbage once this returns. */
function heal(dirs: string[], attendees: number) {
  const [a, b] = dirs.map((d) => openStation(d, attendees, { load: true, attach: true })) as [
    Station,
    Station,
  ];
  const perStation = Math.floor(attendees / 2);
  // Apart: A admits the first half, B the second, and 5% of the people at both desks.
  const overlap = Math.floor(attendees / 20);
  const record = (s: Station, from: number, name: string) => {
    for (let i = 0; i < perStation; i++) {
      s.clock.advance(150);
      const outcome = s.desk.checkIn(
        { role: 'operator', name },
        { eventId: s.eventId, actionId: randomUUID(), code: `BC-${(from + i) % attendees}` },
      );
      if (outcome.kind !== 'checked_in') throw new Error(`check-in ${i} at ${name}: ${outcome.kind}`);
    }
  };
  record(a, 0, 'Desk 1');
  record(b, perStation - overlap, 'Desk 2');

  // Joined: each sends what the other lacks, as a Yjs provider's sync step 2 would.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const toB = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc));
  const toA = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc));
  Y.applyUpdate(b.doc, toB, 'peer');
  Y.applyUpdate(a.doc, toA, 'peer');
  const healMs = performance.now() - t0;
  const healCpu = process.cpuUsage(cpu0);

  if (stateDigest(a) !== stateDigest(b)) throw new Error('the two stations did not reach the same state');
  const doubles = a.replica.conflicts(a.eventId).admissions.length;
  if (doubles !== overlap) throw new Error(`expected ${overlap} double admissions, found ${doubles}`);
  const state = Y.encodeStateAsUpdate(a.doc);
  new SqliteDocumentPersistence(a.deskStore.venue, a.clock).store(venueDocumentName(KEY), state);
  for (const s of [a, b]) {
    s.doc.destroy();
    s.db.close();
  }
  return {
    perStation,
    doubles,
    healMs,
    healCpuMs: (healCpu.user + healCpu.system) / 1000,
    documentBytes: state.byteLength,
  };
}

/** Heap after a full GC: of a station without its document, then of one that loaded and attached it. */
function stationHeap(dir: string, attendees: number, expectedEntries: number, gc: () => void) {
  const heapAfterGc = () => {
    gc();
    return process.memoryUsage().heapUsed / MB;
  };
  const bare = openStation(dir, attendees, { load: false, attach: false });
  const withoutDocumentMb = heapAfterGc();
  bare.db.close();
  const station = openStation(dir, attendees, { load: true, attach: true });
  const withDocumentMb = heapAfterGc();
  if (station.doc.getMap('checkins').size !== expectedEntries)
    throw new Error('the document did not load whole');
  station.db.close();
  return { withoutDocumentMb, withDocumentMb };
}

async function child(attendees: number): Promise<VenueReplicaFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const dirs = [mkdtempSync(join(tmpdir(), 'bd-venue-a-')), mkdtempSync(join(tmpdir(), 'bd-venue-b-'))];
  try {
    const h = heal(dirs, attendees);
    const heap = stationHeap(dirs[0]!, attendees, 2 * h.perStation, gc);
    return {
      attendees,
      checkins_per_station: h.perStation,
      double_admissions: h.doubles,
      heal_ms: Math.round(h.healMs),
      // The machine is shared: CPU time of the heal says what it costs on a core of its own.
      heal_cpu_ms: Math.round(h.healCpuMs),
      heal_goal_ms: 10_000,
      document_bytes: h.documentBytes,
      heap_mb: Math.round(heap.withDocumentMb),
      // The same process before the document is loaded (modules, the open database): the document's share is the difference.
      heap_mb_without_document: Math.round(heap.withoutDocumentMb),
      heap_goal_mb: 150,
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Runs the figures in a child process with --expose-gc (run.ts calls this). */
export function measureVenueReplica(attendees = 100_000): Promise<VenueReplicaFigures> {
  return runGcChild<VenueReplicaFigures>(import.meta.filename, attendees, 'venue replica');
}

await asGcChild(import.meta.filename, child);
