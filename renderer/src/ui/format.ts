// Formatting for what the desk reads. Numbers use en-US grouping ("1,234 of 50,000") so the
// figures read the same on every machine; dates follow the machine's locale.

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function validTimeZone(zone: string | null | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An event's start, in the event's own time zone when it has one. */
export function formatEventDate(iso: string | null | undefined, timeZone?: string | null): string {
  const date = parse(iso);
  if (!date) return 'Date not set';
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: validTimeZone(timeZone),
  }).format(date);
}

/** A moment on this machine's clock, with seconds (failure times are for escalation). */
export function formatMoment(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return 'unknown time';
  return new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

export function formatTime(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return '';
  const sameDay = new Date().toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(
    undefined,
    sameDay
      ? { hour: '2-digit', minute: '2-digit' }
      : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
  ).format(date);
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** A time of day on this station's clock in the machine's locale (10:42, or 10:42 AM): check-ins, arrivals, "last synced" on the desk. */
export function formatClock(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return '';
  return clockFormat.format(date);
}

/** A share as a whole percentage ("3%"); below 1% but above zero reads "<1%". */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const p = (part / whole) * 100;
  if (p > 0 && p < 1) return '<1%';
  return `${Math.floor(p)}%`;
}

/** A readable message for any failure, for inline errors and toasts. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (typeof e === 'string' && e) return e;
  return 'Something went wrong';
}
