// The venue log's rows and records: what the venue's tables hold (migration 006), the records the
// replica reads and writes, and the facts the shared derivations (shared/venue.ts) take.
import type { CheckInFact, PrintFact, VenueMapName, VipFact } from '../../shared/venue.ts';

export type CheckInAction = 'check_in' | 'undo' | 'exit';

/** A row of the check-in log. */
export interface CheckInRecord {
  id: number;
  actionId: string;
  eventId: number;
  attendeeId: number;
  action: CheckInAction;
  /** The station's name ("Desk 2"). */
  station: string;
  stationId: string;
  /** For an undo: the action id of the entry or exit it undoes. */
  undoes: string | null;
  at: string;
  /** The check-in list it belongs to (shared/lists.ts; 'main': the event's main list). */
  listId: string;
  /** An entry an admin let in over the list's refusal: the reason given. */
  override: string | null;
}

export interface CheckInRow {
  id: number;
  action_id: string;
  event_id: number;
  attendee_id: number;
  action: CheckInAction;
  station: string;
  station_id: string;
  undoes_action_id: string | null;
  at: string;
  list_id: string;
  override_reason: string | null;
}

export const toCheckInRecord = (r: CheckInRow): CheckInRecord => ({
  id: r.id,
  actionId: r.action_id,
  eventId: r.event_id,
  attendeeId: r.attendee_id,
  action: r.action,
  station: r.station,
  stationId: r.station_id,
  undoes: r.undoes_action_id,
  at: r.at,
  listId: r.list_id,
  override: r.override_reason,
});

export interface VipRecord {
  actionId: string;
  eventId: number;
  attendeeId: number;
  vip: boolean;
  at: string;
  stationId: string;
  stationName: string;
}

export interface PrintRecord {
  printId: string;
  eventId: number;
  attendeeId: number;
  kind: 'first' | 'reprint';
  at: string;
  stationId: string;
  stationName: string;
  by: string | null;
  reason: string | null;
  /** This station's print job, for its own records. */
  jobId: number | null;
}

/** An entry of a venue document kept until its attendee is in the mirror. */
export interface PendingEntry {
  map: VenueMapName;
  entryId: string;
  eventId: number;
  providerAttendeeId: string;
  /** The validated entry, as JSON. */
  entry: string;
}

export interface VipRow {
  action_id: string;
  event_id: number;
  attendee_id: number;
  vip: number;
  at: string;
  station_id: string;
  station_name: string;
}
export interface PrintRow {
  print_id: string;
  event_id: number;
  attendee_id: number;
  kind: 'first' | 'reprint';
  at: string;
  station_id: string;
  station_name: string;
  by: string | null;
  reason: string | null;
  job_id: number | null;
}

export const checkInFact = (r: CheckInRow): CheckInFact & { row: CheckInRow } => ({
  id: r.action_id,
  at: r.at,
  stationId: r.station_id,
  stationName: r.station,
  kind: r.action,
  undoes: r.undoes_action_id,
  row: r,
});
export const vipFact = (r: VipRow): VipFact => ({
  id: r.action_id,
  at: r.at,
  stationId: r.station_id,
  vip: r.vip === 1,
});
export const printFact = (r: PrintRow): PrintFact & { row: PrintRow } => ({
  id: r.print_id,
  at: r.at,
  stationId: r.station_id,
  stationName: r.station_name,
  kind: r.kind,
  row: r,
});
export const toPrintRecord = (r: PrintRow): PrintRecord => ({
  printId: r.print_id,
  eventId: r.event_id,
  attendeeId: r.attendee_id,
  kind: r.kind,
  at: r.at,
  stationId: r.station_id,
  stationName: r.station_name,
  by: r.by,
  reason: r.reason,
  jobId: r.job_id,
});
export const toVipRecord = (r: VipRow): VipRecord => ({
  actionId: r.action_id,
  eventId: r.event_id,
  attendeeId: r.attendee_id,
  vip: r.vip === 1,
  at: r.at,
  stationId: r.station_id,
  stationName: r.station_name,
});
