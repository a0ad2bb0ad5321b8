// One poller per event, as the network sees it: each desk tells in its presence which events it
// could poll, the election (shared/venue-poller.ts) names the desk that polls one now, and a Sync
// asked on any desk travels to that desk as a `sync-request` on the directory's stateless
// channel and comes back as a `sync-answer` (started, or refused with the poller's reason).
import { randomBytes } from 'node:crypto';
import {
  electPoller,
  syncAnswerMessage,
  syncRequestMessage,
  type SyncAnswerMessage,
} from '../../../shared/venue-poller.ts';
import type { VenueNode } from './node.ts';

/** A poller's answer to a sync-request (the reason goes to the asking desk's user). */
export type SyncAnswerOutcome = { outcome: 'started' } | { outcome: 'refused'; reason: string };

export interface PollRequestsOptions {
  node: VenueNode;
  stationId: string;
  /** This desk's name now. */
  deskName: () => string;
  /** Whether this desk is in a venue now (holds its key). */
  inVenue: () => boolean;
  /** How long a manual Sync asked of the poller waits for its answer (ms). */
  syncAnswerTimeoutMs?: number;
}

export class PollRequests {
  private readonly pendingSyncAnswers = new Map<string, (answer: SyncAnswerMessage) => void>();
  private syncRequestHandler: ((eventKey: string, fromStationId: string | null) => SyncAnswerOutcome) | null =
    null;

  constructor(private readonly options: PollRequestsOptions) {}

  /** The events this desk could poll, told to every desk in its presence. */
  setPolls(keys: readonly string[]): void {
    this.options.node.setPolls(keys);
  }

  /**
   * The desk that polls this event now, by this desk's view of presence (itself included while
   * its own presence holds the key). Null when no online desk could, this one included.
   */
  pollerOf(eventKey: string): { stationId: string; deskName: string } | null {
    const { node, stationId: ownStationId } = this.options;
    // A desk silent for two heartbeats is no candidate even while its socket looks open: a
    // frozen poller is then replaced within two poll intervals, not after the socket's timeout.
    const stale = Math.max(2 * node.heartbeatIntervalMs, 2_000);
    const peers = this.options.inVenue()
      ? node.peerPresence().map((p) => ({ ...p, online: p.online && node.silentForMs(p.stationId) <= stale }))
      : [];
    const self = { stationId: ownStationId, online: true, polls: node.ownPolls() };
    const stationId = electPoller(eventKey, [self, ...peers]);
    if (stationId === null) return null;
    const deskName =
      stationId === ownStationId
        ? this.options.deskName()
        : (peers.find((p) => p.stationId === stationId)?.deskName ?? stationId);
    return { stationId, deskName };
  }

  /** What this desk does when another asks it to run an event's Sync (core: the hard pull). */
  onSyncRequest(handler: (eventKey: string, fromStationId: string | null) => SyncAnswerOutcome): void {
    this.syncRequestHandler = handler;
  }

  /**
   * Asks the poller to run the event's Sync; resolves with its answer, or null when it was not
   * reached or did not answer within `timeoutMs` (the caller then decides whether to run it here).
   */
  askSync(
    stationId: string,
    eventKey: string,
    timeoutMs = this.options.syncAnswerTimeoutMs ?? 3_000,
  ): Promise<SyncAnswerMessage | null> {
    const requestId = randomBytes(12).toString('hex');
    const payload = JSON.stringify({ type: 'sync-request', requestId, event: eventKey });
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (answer: SyncAnswerMessage | null) => {
        clearTimeout(timer);
        this.pendingSyncAnswers.delete(requestId);
        resolve(answer);
      };
      this.pendingSyncAnswers.set(requestId, finish);
      if (this.options.node.sendToPeers(payload, (id) => id === stationId) === 0) finish(null);
    });
  }

  /** A sync-request or sync-answer; false when the message is neither. */
  handleMessage(stationId: string | null, parsed: unknown, reply: (p: string) => void): boolean {
    const type = (parsed as { type?: unknown } | null)?.type;
    if (type === 'sync-answer') {
      const answer = syncAnswerMessage.safeParse(parsed);
      if (answer.success) this.pendingSyncAnswers.get(answer.data.requestId)?.(answer.data);
      return true;
    }
    if (type !== 'sync-request') return false;
    const request = syncRequestMessage.safeParse(parsed);
    if (!request.success) return true;
    let outcome: SyncAnswerOutcome;
    try {
      outcome = this.syncRequestHandler?.(request.data.event, stationId) ?? {
        outcome: 'refused',
        reason: 'this desk does not sync events',
      };
    } catch (err) {
      outcome = { outcome: 'refused', reason: err instanceof Error ? err.message : 'the sync did not start' };
    }
    // The asking desk validates the answer: a reason past its limit would read as no answer at all.
    if (outcome.outcome === 'refused')
      outcome = { outcome: 'refused', reason: outcome.reason.slice(0, 300) || 'the sync did not start' };
    reply(JSON.stringify({ type: 'sync-answer', requestId: request.data.requestId, ...outcome }));
    return true;
  }
}
