// An event's document as the replica follows it: its log maps (check-ins, VIP flags, prints),
// its roster and its event map, and the roster records still to apply or publish, a chunk a turn.
import type * as Y from 'yjs';
import type { VenueDocumentKey } from '../contracts.ts';
import type { VenueMapName } from '../../../shared/venue.ts';

export type VenueMaps = Record<VenueMapName, Y.Map<unknown>>;

export const MAP_NAMES: readonly VenueMapName[] = ['checkins', 'vip', 'prints'];

/** The origin of this replica's own document transactions: its observers skip them. */
export const LOCAL_ORIGIN = Symbol('venue replica: local action');

export interface Attachment {
  key: VenueDocumentKey;
  eventId: number;
  doc: Y.Doc;
  maps: VenueMaps;
  roster: Y.Map<unknown>;
  eventMap: Y.Map<unknown>;
  /** Roster keys a peer wrote that wait to be applied to the mirror, a chunk per turn. */
  rosterInbox: Set<string>;
  /** Mirror rows (provider attendee ids) this desk, as poller, still has to publish. */
  rosterOutbox: string[] | null;
  rosterTurn: NodeJS.Immediate | null;
  stop(): void;
}

/** The attached document of an event, if any. */
export type AttachmentOf = (eventId: number) => Attachment | undefined;
