// What the event page and the desk read of the check-in lists: the lists with who is inside, the
// statistics per list, desk and ticket type, and the charts' series. Pure types and the few texts
// both sides need. No zod (the renderer imports it).
import type { CheckInList } from './lists.ts';

export interface ListWithInside extends CheckInList {
  /** People inside the list now. */
  inside: number;
}

export interface ListsView {
  eventId: number;
  /** The zone the event's rules and times use (shared/time-zone.ts). */
  zone: string;
  /** The main list first; removed lists too, marked. */
  lists: ListWithInside[];
  /** People inside any list now: a person inside two lists counts once. */
  venueInside: number;
}

/** Minutes over which a desk's pace is measured (people a minute). */
export const PACE_WINDOW_MINUTES = 10;
/** The arrivals chart's slot, and the grain of the kept tallies. */
export const CHART_SLOT_MINUTES = 5;

/**
 * The start of the 5-minute slot an ISO time (UTC, as the log writes it) falls in, as ISO. Slots of
 * whole minutes that divide an hour start on the same minutes on every clock (UTC offsets are whole
 * quarter hours), so UTC slots read right in any zone.
 */
export function slotOf(iso: string): string {
  const minute = Number(iso.slice(14, 16));
  return `${iso.slice(0, 14)}${String(Math.floor(minute / CHART_SLOT_MINUTES) * CHART_SLOT_MINUTES).padStart(2, '0')}:00.000Z`;
}

export interface ListTicketStats {
  ticketName: string | null;
  /** People of this ticket with an entry in force in the list (today, for a list that admits once per day). */
  admitted: number;
  /** Attending people of this ticket the list admits. */
  expected: number;
}

export interface ListStatsRow {
  id: string;
  name: string;
  main: boolean;
  removed: boolean;
  inside: number;
  /** Entries and exits not undone. */
  entries: number;
  exits: number;
  /** Overrides an admin made at this list. */
  overrides: number;
  admitted: number;
  expected: number;
  /** Expected people not admitted yet. */
  remaining: number;
  /** People a minute over the last PACE_WINDOW_MINUTES, all desks together. */
  pacePerMinute: number;
  /** When, at that pace, the remaining people will be through the door; null when none remain or no one comes. */
  finishAt: string | null;
  byTicket: ListTicketStats[];
}

export interface DeskStatsRow {
  stationId: string;
  stationName: string;
  entries: number;
  exits: number;
  /** Entries a minute over the last PACE_WINDOW_MINUTES. */
  pacePerMinute: number;
}

export interface ListStats {
  eventId: number;
  zone: string;
  /** When the figures were read (ISO): pace and finish times are as of then. */
  at: string;
  venueInside: number;
  lists: ListStatsRow[];
  desks: DeskStatsRow[];
}

export interface ListCharts {
  eventId: number;
  slotMinutes: number;
  /** Slot starts (ISO), oldest first, no gaps, at most a day of them. */
  slots: string[];
  /** Entries per slot, one series per desk. */
  arrivals: { stationId: string; stationName: string; counts: number[] }[];
  /** People inside the venue at the end of each slot. */
  inside: number[];
}

/** "14 a minute" / "0.5 a minute". */
export function paceText(perMinute: number): string {
  const shown = perMinute >= 10 ? Math.round(perMinute) : Math.round(perMinute * 10) / 10;
  return `${shown} a minute`;
}

/** A change to the arrivals chart's tallies, as a push carries it (shared/ipc-wire.ts PassageTally). */
export interface ChartTally {
  stationId: string;
  stationName: string;
  slot: string;
  action: 'check_in' | 'exit';
  delta: number;
}

/**
 * The charts' series with new tallies applied, as the desks' pushes bring them: an entry adds to its
 * desk's line in its slot (a new desk gets a line, a later slot extends every series, carrying the
 * inside count forward), and the last slot's inside count is the venue's now. A tally for a slot
 * before the chart's first is left to the next full read.
 */
export function applyTallies(
  charts: ListCharts,
  tallies: readonly ChartTally[],
  venueInside: number,
): ListCharts {
  const slotMs = charts.slotMinutes * 60_000;
  let slots = charts.slots;
  let arrivals = charts.arrivals.map((d) => ({ ...d, counts: [...d.counts] }));
  let inside = [...charts.inside];
  const last = () => slots[slots.length - 1];
  for (const t of tallies) {
    if (t.action !== 'check_in' || slots.length === 0) continue;
    while (t.slot > last()!) {
      slots = [...slots, new Date(Date.parse(last()!) + slotMs).toISOString()];
      arrivals = arrivals.map((d) => ({ ...d, counts: [...d.counts, 0] }));
      inside = [...inside, inside[inside.length - 1] ?? 0];
    }
    const i = slots.indexOf(t.slot);
    if (i < 0) continue;
    let desk = arrivals.find((d) => d.stationId === t.stationId);
    if (!desk) {
      desk = { stationId: t.stationId, stationName: t.stationName, counts: slots.map(() => 0) };
      arrivals = [...arrivals, desk].sort((a, b) => a.stationName.localeCompare(b.stationName));
    }
    desk.counts[i] = Math.max(0, desk.counts[i]! + t.delta);
  }
  if (inside.length) inside[inside.length - 1] = venueInside;
  return { ...charts, slots, arrivals, inside };
}
