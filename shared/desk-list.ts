// How complete the desk's attendee list is, in words. A desk whose import failed, whose sync
// stopped, or whose list comes from another desk that went quiet may be missing people who
// registered: the desk says so at the top, and its "not found" says so too, so staff do not turn
// a registered person away. Pure: the desk, the event page and their tests use it alike.
import type { SyncedEvent } from './types.ts';
import { OFFLINE_REASON, isWorkingOffline } from './sync-status.ts';

export type DeskListFacts = Pick<
  SyncedEvent,
  'status' | 'statusReason' | 'activeJob' | 'importCompletedAt' | 'lastSyncedAt' | 'integrationId' | 'syncVia'
>;

export interface DeskListBanner {
  /** red: people are missing for sure (no import finished); amber: the list stopped following the provider; calm: where it comes from. */
  tone: 'red' | 'amber' | 'calm';
  title: string;
  detail: string | null;
}

export interface DeskListView {
  /** As far as this desk knows, everyone registered is on its list. */
  complete: boolean;
  /** The line at the top of the desk; null when there is nothing to say (or the offline banner says it). */
  banner: DeskListBanner | null;
  /** Said with every "not found" while the list may be missing people; null when it is complete. */
  notFoundNote: string | null;
}

export interface DeskListClock {
  /** This station's time now (ms). */
  now: number;
  /** An ISO time as the station's clock reads it (09:12). */
  time: (iso: string) => string;
}

/** "just now", "12 min ago", "2 h ago", "3 days ago". */
export function agoText(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** "last synced 2 h ago (09:12)", or "never synced". */
function lastSynced(at: string | null, clock: DeskListClock): string {
  return at ? `last synced ${agoText(at, clock.now)} (${clock.time(at)})` : 'never synced';
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const TRY_OTHER_WAYS = 'Try their email or order code.';
const MISSING_REGISTERED = 'Registered people may be missing.';
const MISSING_SINCE = 'People who registered since may be missing.';

function incomplete(cause: string, detail: string): DeskListView {
  return {
    complete: false,
    banner: { tone: 'red', title: `List incomplete: ${cause}`, detail },
    notFoundNote: `The list may be missing people (${cause}). ${TRY_OTHER_WAYS}`,
  };
}

/** "list last synced …", or "list from Desk 1, last synced …" when another desk's sync feeds it. */
function listSynced(fromDesk: string | null, at: string | null, clock: DeskListClock): string {
  return `list ${fromDesk ? `from ${fromDesk}, ` : ''}${lastSynced(at, clock)}`;
}

/** A list that was whole once and stopped following the provider (here, or at the desk it comes from). */
function stale(
  fromDesk: string | null,
  at: string | null,
  cause: string,
  detail: string,
  clock: DeskListClock,
): DeskListView {
  const list = listSynced(fromDesk, at, clock);
  return {
    complete: false,
    banner: { tone: 'amber', title: `${capitalized(list)}: ${cause}`, detail },
    notFoundNote: `The list may be missing people (${list}: ${cause}). ${TRY_OTHER_WAYS}`,
  };
}

const COMPLETE: DeskListView = { complete: true, banner: null, notFoundNote: null };

/**
 * What the desk says of its list. The venue case mirrors describeEventSync: an event another desk
 * syncs speaks of that desk ("List from Desk 1, last synced …"), the same words on every desk that
 * reads it from there.
 */
export function describeDeskList(event: DeskListFacts, clock: DeskListClock): DeskListView {
  const via = event.syncVia ?? null;
  const job = event.activeJob;
  if (via && !job && (event.integrationId === null || event.status === 'DISCONNECTED'))
    return describeListFrom(via, clock);
  if (event.integrationId === null && !job) {
    return incomplete(
      'no desk of the venue has synced this event yet',
      `${MISSING_REGISTERED} Ask an admin to connect an account.`,
    );
  }
  switch (event.status) {
    case 'ACTIVE':
      return COMPLETE;
    case 'PENDING':
      if (event.importCompletedAt !== null) return COMPLETE; // a re-import: the whole list stays meanwhile
      return job
        ? incomplete('the import is still running', `${MISSING_REGISTERED} The list fills in as it runs.`)
        : incomplete('the import failed', `${MISSING_REGISTERED} Ask an admin to Retry.`);
    case 'FAILED':
      if (isWorkingOffline(event) && !job) {
        // The offline banner already says "working from local data, last synced 09:12".
        const view = stale(null, event.lastSyncedAt, 'offline', MISSING_SINCE, clock);
        return { ...view, banner: null };
      }
      return stale(
        null,
        event.lastSyncedAt,
        job ? 'sync failed, retrying now' : 'sync failed',
        `${MISSING_SINCE} Sync tries again by itself; an admin can Retry.`,
        clock,
      );
    case 'DISCONNECTED':
      if (event.importCompletedAt === null)
        return incomplete(
          'the import stopped, the integration is disconnected',
          `${MISSING_REGISTERED} Ask an admin to Reconnect.`,
        );
      return stale(
        null,
        event.lastSyncedAt,
        'integration disconnected',
        `${MISSING_SINCE} Ask an admin to Reconnect.`,
        clock,
      );
  }
}

function describeListFrom(via: NonNullable<DeskListFacts['syncVia']>, clock: DeskListClock): DeskListView {
  const desk = via.deskName;
  if (!via.online)
    return stale(
      desk,
      via.lastSyncedAt,
      `${desk} not seen`,
      `${MISSING_SINCE} It catches up when ${desk} is back.`,
      clock,
    );
  switch (via.status) {
    case 'ACTIVE':
      return {
        complete: true,
        banner: { tone: 'calm', title: capitalized(listSynced(desk, via.lastSyncedAt, clock)), detail: null },
        notFoundNote: null,
      };
    case 'PENDING':
      return incomplete(
        `the import on ${desk} is not finished`,
        `${MISSING_REGISTERED} The list fills in as it runs.`,
      );
    case 'FAILED':
      if (via.statusReason === OFFLINE_REASON)
        return stale(desk, via.lastSyncedAt, `${desk} is offline`, MISSING_SINCE, clock);
      return stale(
        desk,
        via.lastSyncedAt,
        `sync failed on ${desk}`,
        `${MISSING_SINCE} An admin there can retry, or connect an account here.`,
        clock,
      );
    case 'DISCONNECTED':
      return stale(
        desk,
        via.lastSyncedAt,
        `integration disconnected on ${desk}`,
        `${MISSING_SINCE} An admin there can reconnect, or connect an account here.`,
        clock,
      );
  }
}
