// One poller per event, on this desk: the shared rule (mayPoll, isElectedToPoll) read against
// this station's mirror and the venue network's view of presence; the events this desk's
// presence says it may poll; and another desk's request to run an event's Sync here.
import type { MirrorStore } from '../db/store.ts';
import type { CoreEvents } from '../ground/events.ts';
import type { VenueNetwork } from '../venue/net/venue-network.ts';
import type { SyncAnswerMessage } from '../../shared/venue-poller.ts';
import { isElectedToPoll, mayPoll, parsePollKey, pollKey } from '../../shared/venue-poller.ts';
import type { ProviderKind } from '../../shared/types.ts';

type EventRef = { provider: ProviderKind; providerEventId: string };

export class PollElection {
  constructor(private readonly deps: { store: MirrorStore; network: VenueNetwork | null }) {}

  /** This desk may poll the event: it holds a CONNECTED account for it, and its status polls. */
  mayPoll(eventId: number): boolean {
    const state = this.deps.store.eventSyncState(eventId);
    return !!state && mayPoll(state, this.deps.store.getIntegration(state.integrationId));
  }

  /** This desk is elected to poll the event (always, with no venue, or no account here to poll with). */
  isElected(eventId: number): boolean {
    const state = this.deps.store.eventSyncState(eventId);
    return !state || this.pollerElsewhere(state) === null;
  }

  /** The venue's elected poller of the event when it is another desk; null: this one, none, or no venue. */
  pollerElsewhere(event: EventRef): { stationId: string; deskName: string } | null {
    const network = this.deps.network;
    const poller = network?.venueId ? network.pollerOf(pollKey(event.provider, event.providerEventId)) : null;
    return poller === null || isElectedToPoll(network!.stationId, poller.stationId) ? null : poller;
  }

  /** Asks that desk to run the event's Sync; null when it was not reached or did not answer. */
  askPoller(stationId: string, event: EventRef): Promise<SyncAnswerMessage | null> {
    return this.deps.network!.askSync(stationId, pollKey(event.provider, event.providerEventId));
  }

  /**
   * Follows the venue: presence says which events this desk may poll, a change of poller is
   * announced, and another desk's Sync of an event this desk polls runs here (`runSync`).
   */
  follow(events: CoreEvents, runSync: (eventId: number) => void): void {
    const { store, network } = this.deps;
    if (!network) return;
    // The set changes only with a status or a credential.
    const renewPolls = () => {
      const ids = store.eventIdsPolling().filter((id) => this.mayPoll(id));
      network.setPolls(
        ids.map((id) => store.eventSyncState(id)!).map((s) => pollKey(s.provider, s.providerEventId)),
      );
    };
    events.on('statusChanged', renewPolls);
    events.on('integrationChanged', renewPolls);
    // A forgotten event is polled here no more: the venue elects another desk for it.
    events.on('eventForgotten', renewPolls);
    renewPolls();
    // A takeover (or a handover) changes who shares the event's status and roster: announced once.
    const elected = new Map<number, boolean>();
    network.onChange(() => {
      for (const id of [...store.eventIdsPolling(), ...store.eventIdsWithStatus('DISCONNECTED')]) {
        const now = this.isElected(id);
        if (elected.get(id) !== undefined && elected.get(id) !== now)
          events.emit('syncChanged', { eventId: id });
        elected.set(id, now);
      }
    });
    network.onSyncRequest((eventKey) => {
      const ref = parsePollKey(eventKey);
      const eventId = ref ? store.findEventByProviderId(ref.provider, ref.providerEventId) : undefined;
      const here = network.status().thisDesk.name;
      if (eventId === undefined) return { outcome: 'refused', reason: `${here} does not have this event` };
      if (!this.mayPoll(eventId))
        return {
          outcome: 'refused',
          reason: `${here} cannot sync this event now (no working account for it there, or the event is not syncing)`,
        };
      runSync(eventId);
      return { outcome: 'started' };
    });
  }
}
