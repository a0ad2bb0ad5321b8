// The event-day figures: an 8-hour day in virtual time (tests/helpers/event-day.ts) at benchmark
// size, in a process of its own started with --expose-gc, so the heap is measured after a full
// GC and holds nothing but this day. run.ts starts it; it prints one JSON line of figures.
//   node --expose-gc --import tsx tests/bench/event-day.ts
import { runEventDay, maxInWindow, perHour, type EventDay } from '../helpers/event-day.ts';
import { DEFAULT_RATE_BUDGETS } from '../../main/providers/types.ts';
import type { ProviderKind } from '../../shared/types.ts';
import { percentile } from './stats.ts';

const HOUR = 3600_000;
const MB = 1024 * 1024;
const windowOf = (p: ProviderKind, ms: number) =>
  DEFAULT_RATE_BUDGETS[p].windows.find((w) => w.windowMs === ms);
const EVENTBRITE_HOUR = windowOf('eventbrite', HOUR)!.limit;
const EVENTBRITE_DAY = windowOf('eventbrite', 24 * HOUR)!.limit;
const LUMA_MINUTE = windowOf('luma', 60_000)!.limit;

export interface DayFigures {
  day_hours: number;
  day_wall_s: number;
  attendees_eventbrite: number;
  attendees_luma: number;
  registrations_during_day: number;
  edits_during_day: number;
  cancellations_during_day: number;
  checkins: number;
  undos: number;
  searches: number;
  problems: number;
  /** Requests in each clock hour from 07:00 (the imports) to the end of the day. */
  eventbrite_requests_by_hour: number[];
  eventbrite_peak_60min_requests: number;
  eventbrite_hour_budget: number;
  eventbrite_day_requests: number;
  eventbrite_day_budget: number;
  luma_requests_by_hour: number[];
  /** Luma's busiest minute (any 60 s), the 10,000-guest event live all day: goal at most 100, half its budget. */
  luma_peak_minute_requests: number;
  /** The same from 08:00, the import done: what live sync alone spends. */
  luma_live_peak_minute_requests: number;
  luma_minute_budget: number;
  luma_peak_60min_requests: number;
  luma_day_requests: number;
  registration_to_mirror_p50_s: number;
  registration_to_mirror_max_s: number;
  /** A Luma registration to its row in the mirror: goal under 60 s. */
  luma_registration_to_mirror_p95_s: number;
  day_checkin_p95_ms: number;
  day_search_p95_ms: number;
  heap_mb_after_warmup: number;
  heap_mb_end: number;
  heap_growth_pct: number;
  heap_mb_by_hour: number[];
  rss_mb_end: number;
}

async function main(): Promise<DayFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const heapByHour: number[] = [];
  const heapNow = (day: EventDay) => {
    day.trimSimulatorLogs();
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const opts = {
    seeded: { eventbrite: 20_000, luma: 10_000 },
    registrations: { eventbrite: 800, luma: 200 },
    edits: { eventbrite: 150, luma: 50 },
    cancellations: { eventbrite: 80, luma: 20 },
    checkIns: 5_000,
  };
  const day = await runEventDay({
    ...opts,
    // After each hour; hour 1 (09:00) is the warm-up: imports done, statements prepared, caches full.
    onHour: (hour, d) => {
      heapByHour[hour - 1] = heapNow(d);
    },
  });
  try {
    if (day.problems.length) throw new Error(`the day went wrong: ${day.problems.slice(0, 5).join('; ')}`);
    const from = day.dayStart - HOUR;
    const to = day.dayEnd + HOUR;
    const lag = day.mirrorLagMs;
    const warm = heapByHour[0]!;
    const end = heapByHour.at(-1)!;
    const r = day.requestTimes;
    return {
      day_hours: (day.dayEnd - day.dayStart) / HOUR,
      day_wall_s: Number((day.wallMs / 1000).toFixed(1)),
      attendees_eventbrite: opts.seeded.eventbrite + opts.registrations.eventbrite,
      attendees_luma: opts.seeded.luma + opts.registrations.luma,
      registrations_during_day: opts.registrations.eventbrite + opts.registrations.luma,
      edits_during_day: opts.edits.eventbrite + opts.edits.luma,
      cancellations_during_day: opts.cancellations.eventbrite + opts.cancellations.luma,
      checkins: day.expectedCheckedIn.size,
      undos: day.counts.undos,
      searches: day.counts.searches,
      problems: day.problems.length,
      eventbrite_requests_by_hour: perHour(r.eventbrite, from, to),
      eventbrite_peak_60min_requests: maxInWindow(r.eventbrite, HOUR),
      eventbrite_hour_budget: EVENTBRITE_HOUR,
      eventbrite_day_requests: r.eventbrite.length,
      eventbrite_day_budget: EVENTBRITE_DAY,
      luma_requests_by_hour: perHour(r.luma, from, to),
      luma_peak_minute_requests: maxInWindow(r.luma, 60_000),
      luma_live_peak_minute_requests: maxInWindow(
        r.luma.filter((at) => at >= day.dayStart),
        60_000,
      ),
      luma_minute_budget: LUMA_MINUTE,
      luma_peak_60min_requests: maxInWindow(r.luma, HOUR),
      luma_day_requests: r.luma.length,
      registration_to_mirror_p50_s: Number((percentile(lag, 0.5) / 1000).toFixed(1)),
      registration_to_mirror_max_s: Number((percentile(lag, 1) / 1000).toFixed(1)),
      luma_registration_to_mirror_p95_s: Number(
        (percentile(day.mirrorLagByProvider.luma, 0.95) / 1000).toFixed(1),
      ),
      day_checkin_p95_ms: percentile(day.deskMs.checkIn, 0.95, 2),
      day_search_p95_ms: percentile(day.deskMs.search, 0.95, 2),
      heap_mb_after_warmup: Number((warm / MB).toFixed(1)),
      heap_mb_end: Number((end / MB).toFixed(1)),
      heap_growth_pct: Number((((end - warm) / warm) * 100).toFixed(1)),
      heap_mb_by_hour: heapByHour.map((b) => Number((b / MB).toFixed(1))),
      rss_mb_end: Math.round(process.memoryUsage.rss() / MB),
    };
  } finally {
    await day.close();
  }
}

console.log(JSON.stringify(await main()));
