// What the desk and the admin see of the venue's entries: the print pre-check's
// prompt, the double admissions and double prints listed for the admin, refused entries. Pure and
// free of zod, so the renderer imports it without the schemas; shared/venue.ts re-exports it.
import type { DuplicateWalkIn } from './door.ts';

/** A badge the venue's records say came out of a printer, as the desk's print pre-check sees it. */
export interface PriorPrint {
  at: string;
  stationName: string;
}

/** "Badge printed at Desk 1 at 10:42 — reprint?": shown before a first print the venue already made. */
export function priorPrintPrompt(p: PriorPrint, time: (iso: string) => string): string {
  return `Badge printed at ${p.stationName} at ${time(p.at)} — reprint?`;
}

export interface VenueStamp {
  at: string;
  stationId: string;
  stationName: string;
}

/** A person admitted (or a badge printed) at two or more desks that could not see each other. */
export interface VenueConflict {
  attendeeId: number;
  attendeeName: string;
  /** Earliest first. */
  stamps: VenueStamp[];
  /** A check-in list other than the main one, where the double admission was (shared/lists.ts). */
  listName?: string;
}

export interface VenueConflicts {
  eventId: number;
  admissions: VenueConflict[];
  prints: VenueConflict[];
  /** Walk-ins that may be one person registered twice (shared/door.ts duplicateWalkInText). */
  walkIns?: DuplicateWalkIn[];
}

function listStamps(stamps: readonly VenueStamp[], time: (iso: string) => string): string {
  const parts = stamps.map((s) => `${s.stationName} ${time(s.at)}`);
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "Admitted at Desk 1 10:42 and Desk 3 10:44 while the desks could not see each other". */
export function doubleAdmissionText(
  c: Pick<VenueConflict, 'stamps' | 'listName'>,
  time: (iso: string) => string,
): string {
  const to = c.listName ? ` to ${c.listName}` : '';
  return `Admitted${to} at ${listStamps(c.stamps, time)} while the desks could not see each other`;
}

/** "Badge printed at Desk 1 10:42 and Desk 3 10:44 while the desks could not see each other". */
export function doublePrintText(c: Pick<VenueConflict, 'stamps'>, time: (iso: string) => string): string {
  return `Badge printed at ${listStamps(c.stamps, time)} while the desks could not see each other`;
}

/** Remote entries a desk refused, per station, for the admin. */
export interface RefusedEntries {
  stationId: string | null;
  count: number;
  lastReason: string;
  lastAt: string;
}
