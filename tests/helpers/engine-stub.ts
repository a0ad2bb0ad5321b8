// The real sync engine, status machine and mirror (a temp SQLite file) in front of scripted
// provider clients: for reproducing engine races at unit level, where every provider answer
// is released by the test itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/db/open.ts';
import { MirrorStore } from '../../main/db/store.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { CoreEvents } from '../../main/ground/events.ts';
import { StatusMachine } from '../../main/sync/status-machine.ts';
import {
  SyncEngine,
  DEFAULT_SYNC_OPTIONS,
  type SyncEngineDeps,
  type SyncEngineOptions,
} from '../../main/sync/engine.ts';
import {
  ProviderError,
  type AttendeePage,
  type AttendeeQuery,
  type ProviderAccount,
  type ProviderAttendee,
  type ProviderClient,
  type ProviderEvent,
} from '../../main/providers/types.ts';
import type { ProviderKind } from '../../shared/types.ts';
import { person } from './desk-db.ts';

export interface PageCall {
  providerEventId: string;
  cursor: string | null;
  query: AttendeeQuery;
  signal: AbortSignal | undefined;
}

/** What a scripted client answers to one attendee page request. */
export type PageScript = (call: PageCall) => AttendeePage | Promise<AttendeePage>;

/** What the engine never asks of a stub client during a pass: who-am-I, the event list, one event. */
abstract class StubClient {
  async whoAmI(): Promise<ProviderAccount> {
    return { accountId: 'acct', email: 'a@example.com', name: 'A' };
  }
  async listEvents(): Promise<ProviderEvent[]> {
    return [];
  }
  async getEvent(providerEventId: string): Promise<ProviderEvent> {
    return { providerEventId, name: 'Conf', startsAt: null, endsAt: null, timezone: null, url: null };
  }
}

/** A ProviderClient whose attendee pages come from `script` (replaceable at any time). */
export class ScriptedClient extends StubClient implements ProviderClient {
  readonly calls: PageCall[] = [];
  script: PageScript;
  /** When the client is paused by the provider (what the engine reads as "will try again at"). */
  pausedUntil = 0;
  constructor(
    readonly kind: ProviderKind,
    readonly supportsChangedSince: boolean,
    script: PageScript,
  ) {
    super();
    this.script = script;
  }
  async pageAttendees(
    providerEventId: string,
    cursor: string | null,
    query: AttendeeQuery = {},
    signal?: AbortSignal,
  ): Promise<AttendeePage> {
    const call = { providerEventId, cursor, query, signal };
    this.calls.push(call);
    signal?.throwIfAborted();
    const answer = await this.script(call);
    signal?.throwIfAborted();
    return answer;
  }
}

/** One page holding `rows`, the last one. */
export const lastPage = (rows: ProviderAttendee[], extra: Partial<AttendeePage> = {}): AttendeePage => ({
  attendees: rows,
  nextCursor: null,
  totalCount: rows.length,
  ...extra,
});

export const guest = (id: string, over: Partial<ProviderAttendee> = {}) =>
  person({ providerAttendeeId: id, fullName: `Guest ${id}`, ...over });

/** A promise the test settles by hand: a provider answer held in flight. */
export { deferred } from './fake-transport.ts';

export const credentialRejected = (provider: ProviderKind = 'eventbrite') =>
  new ProviderError(
    provider,
    'credential',
    'INVALID_AUTH — The OAuth token you provided was invalid. (401)',
    { httpStatus: 401 },
  );

export interface EngineRig {
  store: MirrorStore;
  engine: SyncEngine;
  status: StatusMachine;
  events: CoreEvents;
  clock: VirtualClock;
  /** The client of each integration id. */
  clients: Map<number, ProviderClient>;
  /** Adds an integration with its own client; returns its id. */
  addIntegration(client: ProviderClient, accountId?: string): number;
  /** Adds an event of the integration and runs its import job to the end; returns the event id. */
  importEvent(integrationId: number): Promise<number>;
  /** As importEvent, with a scripted client answering `rows`; the event must end ACTIVE. */
  addActiveEvent(integrationId: number, rows: ProviderAttendee[]): Promise<number>;
  credentialRejectedCalls: number[];
}

export function engineRig(
  t: { after(fn: () => unknown): void },
  options: Partial<SyncEngineOptions> = {},
  more: Pick<SyncEngineDeps, 'isElected'> = {},
): EngineRig {
  const dir = mkdtempSync(join(tmpdir(), 'bd-engine-'));
  const db = openDatabase(join(dir, 'badge-desk.sqlite'));
  const store = new MirrorStore(db);
  const clock = new VirtualClock();
  const events = new CoreEvents();
  const status = new StatusMachine(store, clock, events);
  const clients = new Map<number, ProviderClient>();
  const credentialRejectedCalls: number[] = [];
  const engine: SyncEngine = new SyncEngine({
    store,
    clock,
    events,
    status,
    clientFor: (integrationId) => {
      const client = clients.get(integrationId);
      if (!client) throw new Error(`no client for integration ${integrationId}`);
      return client;
    },
    budgetFor: () => ({ limit: 2000, windowMs: 3_600_000 }),
    estimateRequestsDoneAt: () => null,
    providerPausedUntil: (integrationId) => {
      const client = clients.get(integrationId);
      return client instanceof ScriptedClient ? client.pausedUntil : 0;
    },
    onCredentialRejected: (integrationId, reason) => {
      credentialRejectedCalls.push(integrationId);
      store.setIntegrationStatus(integrationId, 'DISCONNECTED', reason, new Date(clock.now()).toISOString());
      engine.disconnectIntegrationEvents(integrationId, reason);
    },
    options: { ...DEFAULT_SYNC_OPTIONS, ...options },
    ...more,
  });
  t.after(async () => {
    await engine.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let accounts = 0;
  const rig: EngineRig = {
    store,
    engine,
    status,
    events,
    clock,
    clients,
    credentialRejectedCalls,
    addIntegration(client, accountId = `acct-${++accounts}`) {
      const integration = store.upsertIntegration({
        provider: client.kind,
        accountId,
        accountEmail: `${accountId}@example.com`,
        accountName: accountId,
        secretRef: `ref-${accountId}`,
        now: new Date(clock.now()).toISOString(),
      });
      clients.set(integration.id, client);
      return integration.id;
    },
    async importEvent(integrationId) {
      const integration = store.getIntegration(integrationId)!;
      const eventId = store.insertEvent(
        integration,
        {
          providerEventId: `evt-${store.listEvents().length + 1}`,
          name: 'Conf',
          startsAt: null,
          endsAt: null,
          timezone: null,
          url: null,
        },
        'event added',
        new Date(clock.now()).toISOString(),
      );
      engine.startJob(eventId, 'import');
      await engine.waitForJob(eventId);
      return eventId;
    },
    async addActiveEvent(integrationId, rows) {
      const client = clients.get(integrationId);
      if (!(client instanceof ScriptedClient)) throw new Error('addActiveEvent needs a scripted client');
      const script = client.script;
      client.script = () => lastPage(rows);
      const eventId = await rig.importEvent(integrationId);
      client.script = script;
      if (status.current(eventId) !== 'ACTIVE') throw new Error(`event ${eventId} did not import`);
      return eventId;
    },
  };
  return rig;
}

/** Collects unhandled rejections while a test runs (each one would end a Node host process). */
export function watchUnhandledRejections(t: { after(fn: () => unknown): void }): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  t.after(() => process.off('unhandledRejection', listener));
  return seen;
}

/**
 * A small Eventbrite-like provider in memory with its own clock (the station's plus
 * `offsetMs`): `changed` stamps, changed_since and the Date of every answer come from it.
 * `dropFromChangedSince` hides the next changes from changed_since answers only (a provider
 * that loses rows from incremental answers); full listings and counts still show them.
 */
export class ClockedProvider extends StubClient implements ProviderClient {
  readonly kind = 'eventbrite' as const;
  readonly supportsChangedSince = true;
  readonly rows = new Map<
    string,
    { attendee: ProviderAttendee; changed: number; hiddenFromChangedSince: boolean }
  >();
  requests = 0;
  private dropNext = 0;
  private seq = 0;
  constructor(
    private readonly clock: VirtualClock,
    public offsetMs: number,
    private readonly pageSize = 2,
  ) {
    super();
  }
  providerNow(): number {
    return this.clock.now() + this.offsetMs;
  }
  /** Registers, edits (same id, new fields) or cancels (status NOT_ATTENDING): stamped with the provider's clock. */
  put(id: string, over: Partial<ProviderAttendee> = {}): void {
    const changed = this.providerNow();
    const previous = this.rows.get(id)?.attendee;
    const attendee = {
      ...(previous ?? guest(id)),
      ...over,
      providerAttendeeId: id,
      providerUpdatedAt: new Date(changed).toISOString(),
    };
    const hidden = this.dropNext > 0;
    if (hidden) this.dropNext--;
    this.rows.set(id, { attendee, changed, hiddenFromChangedSince: hidden });
  }
  seed(n: number): void {
    for (let i = 0; i < n; i++) this.put(`s${++this.seq}`);
  }
  dropFromChangedSince(n: number): void {
    this.dropNext = n;
  }
  override async getEvent(providerEventId: string): Promise<ProviderEvent> {
    this.requests++;
    return super.getEvent(providerEventId);
  }
  async pageAttendees(_id: string, cursor: string | null, query: AttendeeQuery = {}): Promise<AttendeePage> {
    this.requests++;
    await new Promise((resolve) => setImmediate(resolve));
    // Eventbrite compares changed_since with its own clock, at one-second resolution.
    const since =
      query.changedSince === undefined ? null : Math.floor(Date.parse(query.changedSince) / 1000) * 1000;
    const listed = [...this.rows.values()].filter(
      (r) => since === null || (r.changed >= since && !r.hiddenFromChangedSince),
    );
    const start = cursor === null ? 0 : Number(cursor);
    const end = start + this.pageSize;
    return {
      attendees: listed.slice(start, end).map((r) => r.attendee),
      nextCursor: end < listed.length ? String(end) : null,
      totalCount: listed.length,
      providerDate: new Date(Math.floor(this.providerNow() / 1000) * 1000).toISOString(),
    };
  }
  async countAttendees(_id: string, status: 'attending' | 'not_attending'): Promise<number> {
    this.requests++;
    const wanted = status === 'attending' ? 'ATTENDING' : 'NOT_ATTENDING';
    return [...this.rows.values()].filter((r) => r.attendee.status === wanted).length;
  }
}
