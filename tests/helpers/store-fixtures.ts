// Values main would send the renderer, for the store's slice tests: each with plain defaults
// and the fields a test cares about given.
import { mainListOf } from '../../shared/lists.ts';
import type { AppSnapshot } from '../../shared/ipc-contract.ts';
import type { Attendee, Integration, SyncedEvent, SyncJob } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import type { StorageStatus } from '../../shared/storage.ts';
import type { VenueDeskView, VenueStatus } from '../../shared/venue-desks.ts';
import { fakeStore } from './fake-transport.ts';

const AT = '2026-11-23T08:00:00.000Z';

export function syncJob(over: Partial<SyncJob> & { id: number; eventId: number }): SyncJob {
  return {
    kind: 'resync',
    state: 'running',
    startedAt: AT,
    finishedAt: null,
    fetched: 0,
    expectedTotal: null,
    error: null,
    ...over,
  };
}

export function syncedEvent(over: Partial<SyncedEvent> & { id: number }): SyncedEvent {
  return {
    integrationId: 1,
    syncVia: null,
    provider: 'eventbrite',
    providerEventId: `pe-${over.id}`,
    name: `Event ${over.id}`,
    startsAt: AT,
    endsAt: null,
    timezone: null,
    url: null,
    status: 'ACTIVE',
    statusReason: null,
    statusChangedAt: AT,
    lastErrorAt: null,
    lastError: null,
    lastSyncedAt: AT,
    importCompletedAt: AT,
    activeJob: null,
    counts: { attending: 10, notAttending: 0, notYetAttending: 0, total: 10, checkedIn: 0 },
    nextAttemptAt: null,
    importEta: null,
    ...over,
  };
}

export function attendee(over: Partial<Attendee> & { id: number; eventId: number }): Attendee {
  const name = over.fullName ?? `Person ${over.id}`;
  return {
    providerAttendeeId: `pa-${over.id}`,
    firstName: null,
    lastName: null,
    fullName: name,
    email: null,
    company: null,
    jobTitle: null,
    ticketName: 'General',
    orderId: null,
    barcode: `bc-${over.id}`,
    status: 'ATTENDING',
    providerStatus: null,
    registeredAt: AT,
    providerUpdatedAt: AT,
    vip: false,
    checkedIn: null,
    ...over,
  };
}

export function printJob(over: Partial<PrintJob> & { id: number }): PrintJob {
  return {
    eventId: 1,
    attendeeId: null,
    attendeeName: null,
    printerId: 1,
    printerName: 'Front desk',
    reason: 'manual',
    state: 'queued',
    error: null,
    attempts: 0,
    nextAttemptAt: null,
    requestedBy: 'Desk 1',
    note: null,
    createdAt: AT,
    updatedAt: AT,
    printedAt: null,
    ...over,
  };
}

export function snapshot(over: Partial<AppSnapshot> = {}): AppSnapshot {
  return {
    session: { role: 'operator', pinSet: true, adminUntil: null },
    settings: {
      stationName: 'Desk 1',
      pollIntervalMs: 30_000,
      printerId: null,
      autoPrint: false,
      adminLockMinutes: 5,
    },
    integrations: [],
    events: [],
    demo: { available: false, running: false },
    credentialsEncrypted: true,
    host: 'browser',
    storage: storageStatus(),
    damagedDatabases: [],
    ...over,
  };
}

/** A healthy data folder with room to spare, unless told otherwise. */
export function storageStatus(over: Partial<StorageStatus> = {}): StorageStatus {
  return {
    state: 'ok',
    since: null,
    freeBytes: 40 * 1024 ** 3,
    lowSpaceThresholdBytes: 200 * 1024 ** 2,
    lowSpace: false,
    dataDir: '/home/desk/.config/Badge Desk',
    ...over,
  };
}

export function integration(over: Partial<Integration> & { id: number }): Integration {
  return {
    provider: 'eventbrite',
    accountId: `acct-${over.id}`,
    accountEmail: `events-${over.id}@example.com`,
    accountName: `Account ${over.id}`,
    status: 'CONNECTED',
    statusReason: null,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** A desk of a venue as the venue panel lists it: online, its clock in step, unless given. */
export function venueDesk(over: Partial<VenueDeskView> & { stationId: string; name: string }): VenueDeskView {
  return {
    thisDesk: false,
    online: true,
    lastSeenAt: AT,
    clockOffsetMs: 0,
    clockOff: false,
    appVersion: '0.1.0',
    ...over,
  };
}

/** venue.status of a desk in no venue, unless given. */
export function venueStatus(over: Partial<VenueStatus> = {}): VenueStatus {
  return {
    venue: null,
    thisDesk: { stationId: 'station-one-0001', name: 'Desk 1', port: 41234 },
    desks: [],
    relays: [],
    discovered: [],
    refusals: [],
    refusalCount: 0,
    ...over,
  };
}

interface MainOptions {
  events?: SyncedEvent[];
  snapshot?: Partial<AppSnapshot>;
}

/**
 * A store whose main knows `events`: the snapshot, the reads every page makes (printers, queue
 * counts, templates, statistics, the desk's log, the venue) answered with empty values. Tests
 * answer the channels they are about, and may override these. Not started yet.
 */
export function storeWithMain(opts: MainOptions = {}) {
  const harness = fakeStore();
  const { transport } = harness;
  const events = opts.events ?? [syncedEvent({ id: 1 })];
  transport
    .answer('app.snapshot', () => snapshot({ events, ...opts.snapshot }))
    .answer(
      'events.get',
      ({ eventId }) => events.find((e) => e.id === eventId) ?? syncedEvent({ id: eventId }),
    )
    .answer('events.list', () => events)
    .answer('printers.list', () => [])
    .answer('printers.status', () => [])
    .answer('print.summary', () => ({ queued: 0, printing: 0, failed: 0, mayHavePrinted: 0 }))
    .answer('print.jobs', () => [])
    .answer('templates.list', () => [])
    .answer('desk.log', () => [])
    .answer('desk.stats', ({ eventId }) => ({
      eventId,
      attending: 10,
      checkedIn: 0,
      cancelledAfterCheckIn: 0,
      byTicket: [],
      arrivals: [],
      lastCheckInAt: null,
    }))
    .answer('attendees.list', () => ({ rows: [], total: 0 }))
    .answer('sync.clockChecks', () => [])
    .answer('storage.status', () => storageStatus())
    .answer('recovery.notices', () => [])
    .answer('venue.status', () => venueStatus())
    .answer('venue.conflicts', ({ eventId }) => ({ eventId, admissions: [], prints: [] }))
    .answer('venue.refused', () => [])
    .answer('lists.view', ({ eventId }) => ({
      eventId,
      zone: 'UTC',
      lists: [{ ...mainListOf(eventId), inside: 0 }],
      venueInside: 0,
    }))
    .answer('lists.stats', ({ eventId }) => ({
      eventId,
      zone: 'UTC',
      at: '2026-11-23T09:00:00.000Z',
      venueInside: 0,
      lists: [],
      desks: [],
    }))
    .answer('lists.charts', ({ eventId }) => ({
      eventId,
      slotMinutes: 5,
      slots: [],
      arrivals: [],
      inside: [],
    }));
  return harness;
}

/** storeWithMain, started (the snapshot loaded, or on its way when a test holds it). */
export async function startedStore(opts: MainOptions = {}) {
  const harness = storeWithMain(opts);
  await harness.store.getState().start();
  return harness;
}
