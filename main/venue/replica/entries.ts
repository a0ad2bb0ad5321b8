// A venue entry as the document holds it, made from the row SQLite holds: check-ins and undos,
// VIP flags and badge prints, each keyed by the provider's attendee id (never a local row id) and
// signed with the station's id and name.
import type { CheckInRecord, PrintRecord, VipRecord } from '../../db/venue-store.ts';
import type { Actor } from '../../../shared/types.ts';
import {
  VENUE_SCHEMA_VERSION,
  type CheckInEntry,
  type PrintEntry,
  type VipEntry,
} from '../../../shared/venue.ts';
import { MAIN_LIST_ID } from '../../../shared/lists.ts';

/** A station name as an entry may carry it: plain text, at most 60 characters. */
export function entryStationName(name: string): string {
  return (
    name
      .replace(/\p{Cc}/gu, ' ')
      .trim()
      .slice(0, 60)
      .trim() || 'Desk'
  );
}

/** The station name an actor's entry carries. */
export const stationOf = (actor: Actor) => entryStationName(actor.name?.trim() || 'Desk');

export function checkInEntryOf(r: CheckInRecord, providerAttendeeId: string): CheckInEntry {
  return {
    v: VENUE_SCHEMA_VERSION,
    kind: r.action,
    actionId: r.actionId,
    attendee: providerAttendeeId,
    ...(r.undoes !== null ? { undoes: r.undoes } : {}),
    at: new Date(r.at).toISOString(),
    stationId: r.stationId,
    stationName: entryStationName(r.station),
    ...(r.listId !== MAIN_LIST_ID ? { list: r.listId } : {}),
    ...(r.override !== null ? { override: r.override } : {}),
  };
}

export function vipEntryOf(r: VipRecord, providerAttendeeId: string): VipEntry {
  return {
    v: VENUE_SCHEMA_VERSION,
    attendee: providerAttendeeId,
    vip: r.vip,
    at: new Date(r.at).toISOString(),
    stationId: r.stationId,
    stationName: entryStationName(r.stationName),
  };
}

export function printEntryOf(r: PrintRecord, providerAttendeeId: string): PrintEntry {
  return {
    v: VENUE_SCHEMA_VERSION,
    attendee: providerAttendeeId,
    kind: r.kind,
    at: new Date(r.at).toISOString(),
    stationId: r.stationId,
    stationName: entryStationName(r.stationName),
    ...(r.by !== null ? { by: r.by.slice(0, 80) } : {}),
    ...(r.reason !== null ? { reason: r.reason.slice(0, 200) } : {}),
  };
}

/** JSON with sorted keys: two entries are the same entry when these are equal. */
export function canonical(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}
