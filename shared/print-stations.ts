// Print stations: a desk with printers offers them to the venue under a name ("Badge table"), and
// any desk or kiosk of the venue sends its badges there. Pure and free of zod, so the renderer
// shares the words; the venue documents' schemas are shared/station-jobs.ts.
//
// The rules, in one place:
// - A station is listed while its presence (renewed every heartbeat) says it offers, and it was
//   heard within STATION_SEEN heartbeats (stationSeenMs).
// - "Nearest free station" (nearestFreeStation): the venue has no map of where desks stand, so
//   nearest means the one that will print soonest: among the stations seen now, one whose printers
//   can print before one that is stopped, then the fewest badges waiting, then by name.
// - A job goes to one station at a time: the sender writes it under the station's id and a send
//   number (its epoch); only that station answers for that epoch, and it prints the badge only
//   while the document still names it at that epoch and it heard the sender within stationSeenMs
//   (its claim). A station that stops offering, closes, restarts, or stops hearing the sender
//   hands its waiting badges back. The sender takes a station as gone after stationGoneMs of
//   silence, later than the station stops printing for it, so a badge moves to another station
//   only once the first has stopped taking it: it never prints twice because it moved.
import { printerStatusText, type PrinterCondition } from './printer-status.ts';
import type { PrintJob, PrintJobReason } from './printing.ts';

/** Where a desk's badges print: its own printers, one print station of the venue, or the nearest free one. */
export type PrintAt =
  { kind: 'here' } | { kind: 'station'; stationId: string; name: string } | { kind: 'nearest' };

export const PRINT_HERE: PrintAt = { kind: 'here' };

export const MAX_STATION_NAME_CHARS = 60;

/** What a desk's presence says while it offers its printers: the name, badges waiting, and whether a printer can print now. */
export interface PrintStationOffer {
  name: string;
  waiting: number;
  ready: boolean;
}

/** A print station as a desk sees it now. */
export interface PrintStationView extends PrintStationOffer {
  stationId: string;
  /** The desk's own name in the venue ("Desk 3"). */
  deskName: string;
}

/** This desk's side: what it offers (null: nothing) and the stations it sees now. */
export interface PrintStationsView {
  offering: PrintStationOffer | null;
  stations: PrintStationView[];
}

/** Heartbeats within which a station (or, at a station, the desk that sent a badge) counts as here. */
export const STATION_SEEN_HEARTBEATS = 2;

export function stationSeenMs(heartbeatMs: number): number {
  return Math.max(STATION_SEEN_HEARTBEATS * heartbeatMs, 2_000);
}

/** Silence after which the sender takes a station as gone: a heartbeat (at least a second) after the station stopped printing for it. */
export function stationGoneMs(heartbeatMs: number): number {
  return stationSeenMs(heartbeatMs) + Math.max(heartbeatMs, 1_000);
}

/** The nearest free station among those seen now (see the rule above); null when none is seen. */
export function nearestFreeStation<S extends PrintStationView>(stations: readonly S[]): S | null {
  const sorted = [...stations].sort(
    (a, b) =>
      Number(b.ready) - Number(a.ready) ||
      a.waiting - b.waiting ||
      a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
      (a.stationId < b.stationId ? -1 : a.stationId > b.stationId ? 1 : 0),
  );
  return sorted[0] ?? null;
}

/** A print station's name: plain text, trimmed, at most 60 characters; null when it is not one. */
export function cleanStationName(name: string): string | null {
  const t = name.trim();
  // eslint-disable-next-line no-control-regex
  if (t.length === 0 || t.length > MAX_STATION_NAME_CHARS || /[\u0000-\u001f\u007f-\u009f]/.test(t))
    return null;
  return t;
}

/** "Print at: Badge table", as the settings and the kiosk say the choice. */
export function printAtText(printAt: PrintAt, seen: readonly PrintStationView[] = []): string {
  switch (printAt.kind) {
    case 'here':
      return "This desk's printers";
    case 'nearest':
      return 'Nearest free station';
    case 'station': {
      const now = seen.find((s) => s.stationId === printAt.stationId);
      return now ? now.name : `${printAt.name} (not seen now)`;
    }
  }
}

// ---- a badge's way through a station, and its words at the desk that sent it ----

/**
 * A station's word on a badge sent to it (the documents carry it): waiting in its queue, held by
 * a printer that cannot print (its condition), printing, printed, failed, may have printed,
 * refused (the person's first badge was printed or sent already), or returned (handed back).
 */
export const STATION_JOB_STATES = [
  'waiting',
  'held',
  'printing',
  'printed',
  'failed',
  'may_have_printed',
  'refused',
  'returned',
] as const;
export type StationJobState = (typeof STATION_JOB_STATES)[number];

/** The station's word on one badge: its state, and for a held one the printers' condition, in words at the sender. */
export interface StationWord {
  state: StationJobState;
  condition?: PrinterCondition | undefined;
  detail?: string | undefined;
}

/** A badge sent to a print station, as the venue's document says it (the attendee found at the station, or not). */
export interface ReceivedRequest {
  eventId: number;
  attendeeId: number | undefined;
  job: string;
  epoch: number;
  from: string;
  fromName: string;
  reason: Exclude<PrintJobReason, 'test'>;
  by?: string | undefined;
  note?: string | undefined;
}

/** Why a station hands badges back, in words at both ends. */
export const HANDED_BACK = {
  stoppedOffering: 'the station stopped offering its printers',
  closed: 'the station was closed',
  restarted: 'the station restarted before printing it',
  senderGone: 'the station could not hear the desk that sent it',
  moved: 'it was sent elsewhere',
  offWhenSent: 'the station was off when it was sent',
  notKnown: 'the station does not have this person yet',
} as const;

/** The station's word on its own copy of a badge a desk sent it. `condition`: its printers', when every one is stopped. */
export function stationWordOf(
  job: Pick<PrintJob, 'state' | 'error'>,
  condition: { condition: PrinterCondition; detail: string | null } | null,
): StationWord {
  switch (job.state) {
    case 'queued':
      return job.error && condition
        ? {
            state: 'held',
            condition: condition.condition,
            ...(condition.detail ? { detail: condition.detail } : {}),
          }
        : { state: 'waiting' };
    case 'printing':
      return { state: 'printing' };
    case 'printed':
      return { state: 'printed' };
    case 'failed':
      return { state: 'failed', ...(job.error ? { detail: job.error } : {}) };
    case 'may_have_printed':
      return { state: 'may_have_printed', ...(job.error ? { detail: job.error } : {}) };
    case 'cancelled':
    case 'returned':
      return { state: 'returned', ...(job.error ? { detail: job.error } : {}) };
  }
}

/** What a station's word makes of the sender's own row: its state and the words it shows. */
export function sentJobUpdate(
  word: StationWord,
  stationName: string,
): { state: PrintJob['state']; error: string | null } {
  const cut = (s: string | undefined) => (s ? s.slice(0, 300) : undefined);
  switch (word.state) {
    case 'waiting':
      return { state: 'queued', error: null };
    case 'held':
      return {
        state: 'queued',
        error: printerStatusText(stationName, {
          condition: word.condition ?? 'error',
          detail: cut(word.detail) ?? null,
        }),
      };
    case 'printing':
      return { state: 'printing', error: null };
    case 'printed':
      return { state: 'printed', error: null };
    case 'failed':
      return {
        state: 'failed',
        error: `Failed at ${stationName}${word.detail ? `: ${cut(word.detail)}` : ''}`,
      };
    case 'may_have_printed':
      return {
        state: 'may_have_printed',
        error: `May have printed at ${stationName} — look there${word.detail ? ` (${cut(word.detail)})` : ''}`,
      };
    case 'refused':
      return {
        state: 'cancelled',
        error: `Not printed at ${stationName}${word.detail ? `: ${cut(word.detail)}` : ''}`,
      };
    case 'returned':
      return { state: 'returned', error: returnedText(stationName, cut(word.detail)) };
  }
}

/** A badge handed back, or taken back from a station that went away: what the sender shows. */
export function returnedText(stationName: string, why?: string | null): string {
  return `Returned by ${stationName}${why ? ` (${why})` : ''} — send it elsewhere`;
}

export function stationGoneText(stationName: string, printing: boolean): string {
  return printing
    ? `${stationName} went away while this badge was printing — look there, or send it elsewhere`
    : `${stationName} went away — send it elsewhere`;
}

export const NO_STATION_SEEN_TEXT = 'No print station is seen now — send it elsewhere when one is';

/**
 * The state of a badge sent to a station, as its sending desk says it: "Sent to Badge table",
 * "Printing at Badge table", "Printed at Badge table", or the station's printers' state ("Paper
 * out at Badge table — load labels"). Null for a badge that is not a sent one.
 */
export function sentJobText(
  job: Pick<PrintJob, 'state' | 'error' | 'station' | 'printerName'>,
): string | null {
  if (job.station?.direction !== 'sent') return null;
  const name = job.station.stationName;
  switch (job.state) {
    case 'queued':
      return job.error ?? (job.station.answered ? `Waiting at ${name}` : `Sent to ${name}`);
    case 'printing':
      return `Printing at ${name}`;
    case 'printed':
      return `Printed at ${name}`;
    case 'returned':
      return job.error ?? returnedText(name);
    case 'failed':
    case 'may_have_printed':
    case 'cancelled':
      return job.error ?? null;
  }
}

/** Whether the sending desk may send this badge elsewhere (a person's call: it came back, failed, or may have printed). */
export function canSendElsewhere(job: Pick<PrintJob, 'state' | 'station'>): boolean {
  return (
    job.station?.direction === 'sent' &&
    (job.state === 'returned' || job.state === 'failed' || job.state === 'may_have_printed')
  );
}
