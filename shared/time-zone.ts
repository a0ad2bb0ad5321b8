// Days and clock times in an event's own time zone: the check-in lists' rules ("once per day", a
// window, a check-out scheduled at 23:00) are about the venue's day, whichever zone a desk's
// machine is set to, so every desk draws midnight at the same instant. Pure: Intl only.

/** The zone a rule uses: the event's, when it is one Intl knows, else UTC (the same on every desk). */
export function ruleZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of an instant in a zone: year, month (1-12), day, hour, minute, second. */
function wallClock(ms: number, zone: string): [number, number, number, number, number, number] {
  let f = partsFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, f);
  }
  const out = [0, 0, 0, 0, 0, 0] as [number, number, number, number, number, number];
  for (const p of f.formatToParts(new Date(ms))) {
    const i = ['year', 'month', 'day', 'hour', 'minute', 'second'].indexOf(p.type);
    if (i >= 0) out[i] = Number(p.value);
  }
  return out;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, zone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(ms, zone);
  return Date.UTC(y, mo - 1, d, h, mi, s) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The event's day of an instant, as YYYY-MM-DD: two entries are on the same day when these are equal. */
export function dayOf(iso: string, zone: string): string {
  const [y, mo, d] = wallClock(Date.parse(iso), zone);
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The instant a wall-clock time of a day has in the zone (ms). A time a daylight-saving change skips
 * or repeats reads as one of the instants beside it (the same one on every desk).
 */
export function instantOf(day: string, hour: number, minute: number, zone: string): number {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, hour, minute);
  let t = wall - offsetAt(wall, zone);
  const second = wall - offsetAt(t, zone);
  if (second !== t) t = Math.min(t, second);
  return t;
}

/** The first instant of the event's day an instant falls on, and of the day after (ms). */
export function dayBounds(iso: string, zone: string): { start: number; end: number } {
  const day = dayOf(iso, zone);
  const start = instantOf(day, 0, 0, zone);
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10);
  return { start, end: instantOf(next, 0, 0, zone) };
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A time as the desk says it, on the event's clock: "14:00" on the day of `now`, "Tue 3 Jun 14:00"
 * on another day (a window that opens tomorrow).
 */
export function zonedTime(iso: string, zone: string, now?: string): string {
  let clock = clockFormats.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' });
    clockFormats.set(zone, clock);
  }
  const at = new Date(iso);
  const text = clock.format(at);
  if (now === undefined || dayOf(iso, zone) === dayOf(now, zone)) return text;
  let date = dateFormats.get(zone);
  if (!date) {
    date = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
    });
    dateFormats.set(zone, date);
  }
  return `${date.format(at).replace(',', '')} ${text}`;
}
