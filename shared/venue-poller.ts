// One poller per event: among the venue's desks that may poll an event's provider, exactly one
// does, so five desks holding the same credential spend the requests of one. Two predicates say
// it (mayPoll: this desk could; isElectedToPoll: the election picked it), the election is a pure
// function of presence (every desk computes the same answer from the same view), and the messages
// a desk sends to have its manual Sync run by the poller are validated here. Pure: no Node, no DOM.
import { z } from 'zod';
import type { IntegrationStatus, ProviderKind, SyncJob } from './types.ts';
import { PROVIDERS } from './types.ts';
import { isPollingStatus, type SyncStatus } from './sync-status.ts';
import { STATION_ID } from './venue.ts';

/** At most this many event keys in one desk's presence (`polls`). */
export const MAX_POLL_KEYS = 500;
const POLL_KEY = /^([a-z]+):([\x21-\x7E]{1,200})$/;

/** `<provider>:<providerEventId>`: how desks name an event to each other (local ids differ). */
export function pollKey(provider: ProviderKind, providerEventId: string): string {
  return `${provider}:${providerEventId}`;
}

export function isPollKey(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = POLL_KEY.exec(value);
  return m !== null && (PROVIDERS as readonly string[]).includes(m[1]!);
}

/** The provider and provider event id of a key; null when it is not one. */
export function parsePollKey(value: string): { provider: ProviderKind; providerEventId: string } | null {
  if (!isPollKey(value)) return null;
  const at = value.indexOf(':');
  return { provider: value.slice(0, at) as ProviderKind, providerEventId: value.slice(at + 1) };
}

/** A presence `polls` value as a peer sent it: a list of at most MAX_POLL_KEYS event keys, or invalid. */
export function isPollKeyList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= MAX_POLL_KEYS && value.every(isPollKey);
}

/**
 * This desk may poll the event: it holds a working (CONNECTED) account for it, and the event's
 * status is one live sync polls. The events a desk may poll are what its presence announces.
 */
export function mayPoll(
  event: { status: SyncStatus },
  account: { status: IntegrationStatus } | undefined,
): boolean {
  return isPollingStatus(event.status) && account?.status === 'CONNECTED';
}

/**
 * This desk is elected to poll the event: the election (electPoller) picked it, or picked no
 * desk at all (no venue, or no online desk may poll it), so no event waits for an election.
 */
export function isElectedToPoll(stationId: string, electedStationId: string | null): boolean {
  return electedStationId === null || electedStationId === stationId;
}

/** What the election needs of a desk (this one included): its presence. */
export interface PollCandidate {
  stationId: string;
  online: boolean;
  /** The events this desk may poll (mayPoll). */
  polls?: readonly string[];
  /** A relay holds no credential and never polls. */
  relay?: boolean;
}

/**
 * The station that polls the event: the lowest station id among the online desks whose `polls`
 * hold its key (relays never). Station ids compare by code unit, never by locale, so every desk
 * agrees. Null when no desk could.
 */
export function electPoller(key: string, desks: readonly PollCandidate[]): string | null {
  let poller: string | null = null;
  for (const d of desks) {
    if (!d.online || d.relay || !d.polls?.includes(key)) continue;
    if (poller === null || d.stationId < poller) poller = d.stationId;
  }
  return poller;
}

// ---- the manual Sync, asked of the poller (stateless messages on the directory document) ----

const requestId = z.string().regex(STATION_ID);
const eventKey = z.string().refine(isPollKey, 'an event key is <provider>:<providerEventId>');

export const syncRequestMessage = z
  .object({
    type: z.literal('sync-request'),
    requestId,
    event: eventKey,
  })
  .strict();
export type SyncRequestMessage = z.infer<typeof syncRequestMessage>;

export const syncAnswerMessage = z.discriminatedUnion('outcome', [
  z.object({ type: z.literal('sync-answer'), requestId, outcome: z.literal('started') }).strict(),
  z
    .object({
      type: z.literal('sync-answer'),
      requestId,
      outcome: z.literal('refused'),
      reason: z.string().min(1).max(300),
    })
    .strict(),
]);
export type SyncAnswerMessage = z.infer<typeof syncAnswerMessage>;

/** What a manual Sync did: a job here, or the poller's job started at its request. */
export type SyncStarted =
  { ranBy: 'this-desk'; job: SyncJob } | { ranBy: 'poller'; deskName: string; stationId: string };

/** The Sync button's confirmation. */
export function syncStartedText(started: SyncStarted): string {
  return started.ranBy === 'poller' ? `Sync asked of ${started.deskName}` : 'Sync started';
}
