// Printing figures: badge_render_ms (layout + PDF of one badge) and
// checkin_to_print_dispatch_p95_ms, from the check-in's IPC call to the ZPL bytes arriving at a
// label printer stand-in on 127.0.0.1, over 500 check-ins with auto-print on at a brisk desk pace;
// then the Brother raster and a desk's pool of printers (printing-pool.ts).
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { renderPdf, withQrMatrices } from '../../main/printing/render.ts';
import type { SecretStore } from '../../main/ground/secrets.ts';
import { percentile, startOfflineAppHost } from './stats.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';
import { measureLabelPrinters, type PoolFigures } from './printing-pool.ts';

export interface PrintFigures extends PoolFigures {
  badge_render_ms: number;
  badge_render_p95_ms: number;
  print_checkins: number;
  checkin_interval_ms: number;
  checkin_to_print_dispatch_p50_ms: number;
  checkin_to_print_dispatch_p95_ms: number;
}

const pct = (values: number[], p: number) => percentile(values, p, 1);

export async function measurePrinting(opts: {
  dataDir: string;
  secretStore: SecretStore;
  eventId: number;
  checkins?: number;
  intervalMs?: number;
}): Promise<PrintFigures> {
  const checkins = opts.checkins ?? 500;
  const intervalMs = opts.intervalMs ?? 50;
  const zpl = await startZplStandIn();
  const app = await startOfflineAppHost({ ...opts, env: { BADGE_DESK_ADMIN_PIN: '2468' } });
  const invoke = async (channel: string, input: unknown) => {
    const r = await app.invoke(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  try {
    // Render: the same 200 badges laid out and written as PDF.
    const people = app.core.store.db
      .prepare(
        `SELECT a.id FROM attendees a LEFT JOIN attendee_checkin c ON c.attendee_id = a.id WHERE a.event_id = ? AND c.attendee_id IS NULL AND a.status = 'ATTENDING' ORDER BY a.id`,
      )
      .all(opts.eventId) as { id: number }[];
    const renderTimes: number[] = [];
    for (const p of people.slice(0, 200)) {
      const a = app.core.store.getAttendee(p.id)!;
      const t0 = performance.now();
      await renderPdf(withQrMatrices(app.core.printing.layoutFor(a)), a.fullName);
      renderTimes.push(performance.now() - t0);
    }

    await invoke('session.unlock', { pin: '2468' });
    const printer = await invoke('printers.add', {
      name: 'Bench Zebra',
      config: { kind: 'zpl_tcp', host: '127.0.0.1', port: zpl.port, dpi: 203 },
    });
    await invoke('settings.update', { printerId: printer.id, autoPrint: true });
    await invoke('session.lock', {});

    const started: number[] = [];
    const sample = people.slice(200, 200 + checkins);
    for (const p of sample) {
      const t0 = performance.now();
      started.push(t0);
      const out = await invoke('desk.checkIn', {
        eventId: opts.eventId,
        actionId: randomUUID(),
        attendeeId: p.id,
      });
      if (out.kind !== 'checked_in') throw new Error(`check-in answered ${String(out.kind)}`);
      const wait = t0 + intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // One printer, one worker, first in first out: label i is check-in i's badge.
    const labels = await zpl.waitForLabels(sample.length);
    const dispatch = labels.map((l, i) => l.receivedAt - started[i]!);
    const pool = await measureLabelPrinters(app, invoke, people.slice(200 + checkins));
    return {
      ...pool,
      badge_render_ms: pct(renderTimes, 0.5),
      badge_render_p95_ms: pct(renderTimes, 0.95),
      print_checkins: sample.length,
      checkin_interval_ms: intervalMs,
      checkin_to_print_dispatch_p50_ms: pct(dispatch, 0.5),
      checkin_to_print_dispatch_p95_ms: pct(dispatch, 0.95),
    };
  } finally {
    await app.close();
    await zpl.close();
  }
}
