// Printing figures for label printers that say their state:
// - brother_raster_ms: one 100 × 62 mm badge (a real attendee) to Brother QL raster bytes for a
//   62 × 100 mm die-cut label on a QL-820NWB: bitmap, turn, crop, PackBits. Median of 50 after a
//   warm-up (the first one opens the fonts).
// - pool_badges_per_minute: three printers on one desk, each 1.5 s a badge, one stopped after 20
//   badges, 300 badges queued; badges a minute from the first queued to the last printed.
//   Time is scaled so the run takes seconds, not minutes: each stand-in takes 1.5 s × SCALE a
//   badge, and the minutes are the run's real time divided by SCALE. Everything else (asking
//   each printer, the queue, the badge's layout and bytes, TCP) runs at real speed and so counts
//   1/SCALE times more than at a real desk: the figure errs low. Zebra stand-ins (ZPL costs
//   microseconds to make; the Brother raster's ~12 ms would count 120 ms here, which a real
//   desk never sees next to 1.5 s); the stopped one answers ~HS "head open", as a Zebra does
//   while a jam is cleared.
import { performance } from 'node:perf_hooks';
import { brotherJob } from '../../main/printing/brother-raster.ts';
import { withQrMatrices } from '../../main/printing/render.ts';
import { BROTHER_MEDIA } from '../../shared/brother.ts';
import { DEFAULT_TEMPLATE } from '../../shared/badge.ts';
import type { AppHost } from '../../main/app/types.ts';
import { percentile } from './stats.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';

export interface PoolFigures {
  brother_raster_ms: number;
  brother_raster_p95_ms: number;
  brother_raster_bytes: number;
  pool_badges_per_minute: number;
  pool_badges: number;
  pool_printers: number;
  pool_seconds_a_badge: number;
  pool_stopped_after: number;
  pool_time_scale: number;
  pool_real_seconds: number;
  pool_badges_on_stopped_printer: number;
  pool_printed_twice: number;
}

const SECONDS_A_BADGE = 1.5;
const SCALE = 1 / 10;
const BADGES = 300;
const STOPPED_AFTER = 20;

type Invoke = (channel: string, input: unknown) => Promise<Record<string, unknown>>;

export async function measureLabelPrinters(
  app: AppHost,
  invoke: Invoke,
  people: { id: number }[],
): Promise<PoolFigures> {
  // The raster: the standard template at 100 × 62 mm, for real attendees.
  const template = { ...DEFAULT_TEMPLATE, pageSize: '100x62mm' as const };
  const plan = { model: 'QL-820NWB' as const, media: BROTHER_MEDIA['62x100'], rotated: true };
  const layoutOf = (id: number) =>
    withQrMatrices(app.core.printing.layoutFor(app.core.store.getAttendee(id)!, undefined, template));
  let bytes = brotherJob(layoutOf(people[0]!.id), plan).length;
  const times: number[] = [];
  for (const p of people.slice(1, 51)) {
    const layout = layoutOf(p.id);
    const t0 = performance.now();
    bytes = brotherJob(layout, plan).length;
    times.push(performance.now() - t0);
  }

  // The pool.
  const printers = await Promise.all([startZplStandIn(), startZplStandIn(), startZplStandIn()]);
  try {
    for (const p of printers) p.holdAfterPrint(SECONDS_A_BADGE * 1000 * SCALE);
    printers[2]!.faultAfter(STOPPED_AFTER, { headOpen: true });
    await invoke('session.unlock', { pin: '2468' });
    const ids: number[] = [];
    for (const [i, p] of printers.entries()) {
      const added = await invoke('printers.add', {
        name: `Pool Zebra ${i + 1}`,
        config: { kind: 'zpl_tcp', host: '127.0.0.1', port: p.port, dpi: 203 },
      });
      ids.push(added.id as number);
    }
    await invoke('settings.update', { printerId: ids[0], poolPrinterIds: ids.slice(1), autoPrint: false });
    await invoke('session.lock', {});
    const sample = people.slice(51, 51 + BADGES);
    const t0 = performance.now();
    for (const p of sample) await invoke('print.badge', { attendeeId: p.id });
    const printed = () => printers.reduce((n, p) => n + p.labels.length, 0);
    while (printed() < sample.length) await new Promise((r) => setTimeout(r, 20));
    const realMs = performance.now() - t0;
    const names = printers.flatMap((p) => p.labels.map((l) => l.fields.join('|')));
    return {
      brother_raster_ms: Number(percentile(times, 0.5, 1)),
      brother_raster_p95_ms: Number(percentile(times, 0.95, 1)),
      brother_raster_bytes: bytes,
      pool_badges_per_minute: Number((sample.length / (realMs / SCALE / 60_000)).toFixed(1)),
      pool_badges: sample.length,
      pool_printers: printers.length,
      pool_seconds_a_badge: SECONDS_A_BADGE,
      pool_stopped_after: STOPPED_AFTER,
      pool_time_scale: SCALE,
      pool_real_seconds: Number((realMs / 1000).toFixed(1)),
      pool_badges_on_stopped_printer: printers[2]!.labels.length,
      pool_printed_twice: names.length - new Set(names).size,
    };
  } finally {
    await Promise.all(printers.map((p) => p.close()));
  }
}
