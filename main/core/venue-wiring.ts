// The venue's two halves, attached to the core. The replica (the read model) is always on: local
// actions are venue entries from the start, remote ones come into the desk's tables, and the
// poller's sync brings the roster and the event's sync status to the desks without an account.
// The network half, where the host gives one, serves the documents; the replica follows
// whichever venue it is in.
import type { MirrorStore } from '../db/store.ts';
import type { VenueStore } from '../db/venue-store.ts';
import type { DoorStore } from '../db/door-store.ts';
import type { Clock } from '../ground/clock.ts';
import type { CoreEvents } from '../ground/events.ts';
import { VenueReplica } from '../venue/replica/replica.ts';
import type { SqliteDocumentPersistence } from '../venue/replica/persistence.ts';
import type { StationJobHooks } from '../venue/replica/station-jobs.ts';
import type { VenueNetwork } from '../venue/net/venue-network.ts';

export interface VenueWiringDeps {
  store: MirrorStore;
  venueStore: VenueStore;
  clock: Clock;
  events: CoreEvents;
  persistence: SqliteDocumentPersistence;
  network: VenueNetwork | null;
  /** This desk writes the event's roster and sync status into its document. */
  isPoller(eventId: number): boolean;
  /** This desk's name, as the sync status it shares names it. */
  stationName(): string;
  /** Start the network half (and so load the venue's documents) only when start() is called. */
  deferStart?: boolean;
  /** The door's entries, followed in every event's document. */
  doorStore?: DoorStore;
  /** Badges sent to print stations, followed in every event's document. */
  stationJobs?: StationJobHooks;
}

export interface VenueWiring {
  replica: VenueReplica;
  persistence: SqliteDocumentPersistence;
  network: VenueNetwork | null;
  /** Resolves once the network half has started and the replica follows its venue. */
  ready: Promise<void>;
  /** Starts the network half and follows its venue (at once unless deferred; idempotent). */
  start(): Promise<void>;
  /** Connects the replica to the venue the network half is in now (none: disconnects it). */
  follow(): Promise<void>;
  close(): Promise<void>;
}

export function wireVenue(deps: VenueWiringDeps): VenueWiring {
  const { store, venueStore, clock, events, persistence, network } = deps;
  const replica = new VenueReplica({
    store,
    venueStore,
    clock,
    events,
    isPoller: deps.isPoller,
    stationName: deps.stationName,
    ...(deps.doorStore ? { doorStore: deps.doorStore } : {}),
    ...(deps.stationJobs ? { stationJobs: deps.stationJobs } : {}),
  });
  events.on('printJobChanged', ({ job }) => replica.recordPrinted(job));
  events.on('attendeesChanged', ({ eventId, attendeeIds }) => {
    replica.attendeesArrived(eventId);
    // The poller's sync changed these rows: the venue's desks without an account get them.
    replica.publishRoster(eventId, attendeeIds);
  });
  // The poller's sync status and the event's details, for "Syncing via Desk 1" elsewhere.
  const publishSyncSource = ({ eventId }: { eventId: number }) => replica.publishEvent(eventId);
  events.on('statusChanged', publishSyncSource);
  events.on('syncChanged', publishSyncSource);
  events.on('jobFinished', publishSyncSource);
  for (const e of venueStore.eventKeys()) replica.attendeesArrived(e.eventId);

  let replicaLink: { venueId: string; close: () => Promise<void> } | null = null;
  let following: Promise<void> = Promise.resolve();
  const follow = (): Promise<void> => {
    following = following.then(async () => {
      const venueId = network?.venueId ?? null;
      if (replicaLink?.venueId === venueId) return;
      await replicaLink?.close();
      replicaLink = network && venueId ? { venueId, close: await replica.connect(network, venueId) } : null;
    });
    return following;
  };
  let lastDesksSignal = 0;
  network?.onChange(() => {
    void follow();
    // Presence renews every few seconds on every desk: the panel is told at most twice a second.
    const t = Date.now();
    if (t - lastDesksSignal < 500) return;
    lastDesksSignal = t;
    events.emit('venueDesksChanged', { venueId: network.venueId });
  });
  let started: Promise<void> | null = null;
  let markReady: (p: Promise<void>) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = (p) => p.then(resolve, reject);
  });
  const start = (): Promise<void> => {
    if (!started) {
      started = network ? network.start().then(follow) : Promise.resolve();
      markReady(started);
    }
    return started;
  };
  if (!deps.deferStart) void start().catch(() => undefined);

  return {
    replica,
    persistence,
    network,
    ready,
    start,
    follow,
    async close() {
      // Never started (closed before the desk answered): nothing to wait for.
      if (!started) markReady(Promise.resolve());
      await ready.catch(() => undefined);
      await following.catch(() => undefined);
      await replicaLink?.close();
      await network?.shutdown();
    },
  };
}
