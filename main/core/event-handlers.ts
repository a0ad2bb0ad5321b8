// The events and their sync, as the core offers them: the provider's events and adding one (its
// import starts at once), the mirror's events with the engine's timing, their history and
// repairs, the recovery actions (Retry, Retry import, Reconnect) and the manual Sync, asked of
// the venue's poller when another desk polls the event.
import type { MirrorStore, StoredEvent } from '../db/store.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { ClockWatch } from '../sync/clock-watch.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { StatusMachine } from '../sync/status-machine.ts';
import { isProviderError, type ProviderEvent } from '../providers/types.ts';
import type { VenueReplica } from '../venue/replica/replica.ts';
import { AppError } from '../../shared/errors.ts';
import type {
  Actor,
  Integration,
  StatusTransition,
  SyncedEvent,
  SyncJob,
  SyncRepair,
} from '../../shared/types.ts';
import type { ProviderClockCheck } from '../../shared/station-clock.ts';
import type { SyncStarted } from '../../shared/venue-poller.ts';
import { requireAdmin, requireConnected, requireOwnAccount } from './guards.ts';
import type { PollElection } from './poll-election.ts';
import { toProviderAppError, type ProviderClients } from './provider-clients.ts';

export interface EventHandlersDeps {
  store: MirrorStore;
  events: CoreEvents;
  status: StatusMachine;
  engine: SyncEngine;
  providers: ProviderClients;
  clockWatch: ClockWatch;
  polling: PollElection;
  /** Which desk syncs an event this one mirrors from the venue ("Syncing via Desk 1"). */
  venueReplica: Pick<VenueReplica, 'syncSource'>;
  now(): string;
  /** A provider rejected the integration's credential while listing or reading its events. */
  onCredentialRejected(integrationId: number, reason: string): void;
}

export function createEventHandlers(deps: EventHandlersDeps) {
  const { store, events, status, engine, providers, polling, now } = deps;

  /** The engine's timing beside what the mirror holds: what the event page shows. */
  function withTiming(event: StoredEvent): SyncedEvent {
    return {
      ...event,
      nextAttemptAt: engine.nextAttemptAt(event.id),
      importEta: engine.importEta(event.id),
      syncVia: deps.venueReplica.syncSource(event.id),
    };
  }

  function requireEvent(eventId: number): SyncedEvent {
    const event = store.getEvent(eventId);
    if (!event) throw new AppError('NOT_FOUND', `event ${eventId} does not exist`);
    return withTiming(event);
  }

  /** A provider's failure as the admin sees it; a rejected credential also disconnects its integration. */
  function providerFailure(integrationId: number, err: unknown): AppError {
    if (isProviderError(err) && err.kind === 'credential')
      deps.onCredentialRejected(integrationId, err.message);
    return toProviderAppError(err);
  }

  const handlers = {
    async listProviderEvents(
      actor: Actor,
      integrationId: number,
    ): Promise<(ProviderEvent & { alreadyAdded: boolean })[]> {
      requireAdmin(actor);
      const integration = requireConnected(store, integrationId);
      try {
        const list = await providers.clientFor(integrationId).listEvents();
        return list.map((e) => ({
          ...e,
          alreadyAdded: store.findEventByProviderId(integration.provider, e.providerEventId) !== undefined,
        }));
      } catch (err) {
        throw providerFailure(integrationId, err);
      }
    },

    /** Adds the provider's event (once) and starts its import in the background. */
    async importEvent(actor: Actor, integrationId: number, providerEventId: string): Promise<SyncedEvent> {
      requireAdmin(actor);
      const integration = requireConnected(store, integrationId);
      if (store.findEventByProviderId(integration.provider, providerEventId) !== undefined) {
        throw new AppError('CONFLICT', 'this event is already added');
      }
      let details: ProviderEvent;
      try {
        details = await providers.clientFor(integrationId).getEvent(providerEventId);
      } catch (err) {
        throw providerFailure(integrationId, err);
      }
      // Checked again: another import of the same event may have finished while we awaited.
      if (store.findEventByProviderId(integration.provider, providerEventId) !== undefined) {
        throw new AppError('CONFLICT', 'this event is already added');
      }
      const eventId = store.insertEvent(integration, details, 'event added', now());
      events.emit('eventAdded', { eventId });
      engine.startJob(eventId, 'import');
      return requireEvent(eventId);
    },

    listEvents(): SyncedEvent[] {
      return store.listEvents().map(withTiming);
    },

    getEvent(eventId: number): SyncedEvent {
      return requireEvent(eventId);
    },

    statusHistory(eventId: number): StatusTransition[] {
      requireEvent(eventId);
      return store.statusHistory(eventId);
    },

    /** Disagreements between mirror and provider that a full listing repaired, oldest first. */
    syncRepairs(eventId: number): SyncRepair[] {
      requireEvent(eventId);
      return store.syncRepairs(eventId);
    },

    /** This station's clock against each provider's, from their latest answers. */
    clockChecks(): ProviderClockCheck[] {
      return deps.clockWatch.current();
    },

    /** The integrations the recovery dialog offers: CONNECTED ones of the event's provider. */
    recoveryOptions(eventId: number): Integration[] {
      const event = requireEvent(eventId);
      return store
        .listIntegrations()
        .filter((i) => i.provider === event.provider && i.status === 'CONNECTED');
    },

    // ---- recovery ----

    /** Retry of a FAILED event: re-runs the sync as a fresh re-import. */
    retry(actor: Actor, eventId: number): SyncJob {
      requireAdmin(actor);
      const event = requireEvent(eventId);
      if (event.status !== 'FAILED')
        throw new AppError('INVALID_STATE', `Retry applies to a failed sync; this event is ${event.status}`);
      requireConnected(store, requireOwnAccount(event));
      status.transition(eventId, 'PENDING', 'retry requested');
      return engine.startJob(eventId, 'reimport');
    },

    /** Retry of an import that never completed (PENDING with no job): a fresh import job. */
    retryImport(actor: Actor, eventId: number): SyncJob {
      requireAdmin(actor);
      const event = requireEvent(eventId);
      if (event.status !== 'PENDING' || event.activeJob) {
        throw new AppError(
          'INVALID_STATE',
          'Retry import applies to an import that failed and is not running',
        );
      }
      requireConnected(store, requireOwnAccount(event));
      return engine.startJob(eventId, 'import');
    },

    /** Reconnect a DISCONNECTED event through a CONNECTED integration of the same provider. */
    reconnect(actor: Actor, eventId: number, integrationId: number): SyncJob {
      requireAdmin(actor);
      const event = requireEvent(eventId);
      if (event.status !== 'DISCONNECTED')
        throw new AppError(
          'INVALID_STATE',
          `Reconnect applies to a disconnected event; this event is ${event.status}`,
        );
      const integration = requireConnected(store, integrationId);
      if (integration.provider !== event.provider)
        throw new AppError('INVALID_INPUT', 'that integration is for another provider');
      store.setEventIntegration(eventId, integrationId);
      status.transition(eventId, 'PENDING', `reconnected with ${integration.accountEmail}`);
      return engine.startJob(eventId, event.importCompletedAt ? 'reimport' : 'import');
    },

    // ---- the manual Sync ----

    /** The Sync button: asked of the poller when another desk of the venue polls the event; else run here (syncNow). */
    async requestSync(actor: Actor, eventId: number): Promise<SyncStarted> {
      const event = requireEvent(eventId);
      const poller = polling.pollerElsewhere(event);
      if (poller) {
        const answer = await polling.askPoller(poller.stationId, event);
        if (answer?.outcome === 'started')
          return { ranBy: 'poller', deskName: poller.deskName, stationId: poller.stationId };
        if (answer?.outcome === 'refused')
          throw new AppError('CONFLICT', `${poller.deskName} did not start the sync: ${answer.reason}`);
        if (!polling.mayPoll(eventId)) {
          throw new AppError(
            'PROVIDER_UNAVAILABLE',
            `${poller.deskName} syncs this event and did not answer; this desk holds no working account for it`,
          );
        }
      } else if (event.integrationId === null) {
        throw new AppError(
          'INVALID_STATE',
          'no desk that syncs this event is online, and this desk holds no account for it: connect an account here with Reconnect',
        );
      }
      return { ranBy: 'this-desk', job: handlers.syncNow(actor, eventId) };
    },

    /** The manual "Sync" in the event header, run here: a one-shot resync; never two at once for one event. */
    syncNow(_actor: Actor, eventId: number): SyncJob {
      const event = requireEvent(eventId);
      if (event.status !== 'ACTIVE')
        throw new AppError('INVALID_STATE', `Sync runs on a healthy event; this event is ${event.status}`);
      return engine.startJob(eventId, 'resync');
    },

    startLiveSync(): void {
      engine.startLiveSync();
    },
  };
  return handlers;
}

export type EventHandlers = ReturnType<typeof createEventHandlers>;
