// printing.station_dispatch_p95_ms: a check-in at a kiosk that has no printer, to its badge's
// bytes at a print station's label printer, over the venue. Two whole cores in this process on
// loopback (a kiosk and "Badge table", a desk offering its ZPL stand-in), paired into one venue;
// the kiosk sends its badges to the station. Each check-in is timed from the kiosk's call to the
// label arriving at the stand-in: the request through the event's document, the station's queue,
// its printer's status question and the ZPL. Goal < 500 ms.
// Alone: tsx tests/bench/printing-stations.ts [--checkins 60] [--interval-ms 250]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loopbackVenueCore } from '../venue/helpers/loopback-core.ts';
import { seedVenueEvent } from '../venue/helpers/seed-event.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';
import { MAIN_LIST_ID } from '../../shared/lists.ts';
import type { PrintAt } from '../../shared/print-stations.ts';
import type { StationPrinting } from '../../main/printing/printing.ts';
import { percentile } from './stats.ts';

export interface StationDispatchFigures {
  station_dispatch_p50_ms: number;
  station_dispatch_p95_ms: number;
  station_dispatch_max_ms: number;
  station_dispatch_checkins: number;
  station_dispatch_interval_ms: number;
  station_dispatch_where: string;
}

/** The longest the whole measure may take: the loop is bounded, whatever the network does. */
const DEADLINE_MS = 120_000;

export async function measureStationDispatch(
  opts: { checkins?: number; intervalMs?: number } = {},
): Promise<StationDispatchFigures> {
  const checkins = opts.checkins ?? 60;
  const intervalMs = opts.intervalMs ?? 250;
  const deadline = Date.now() + DEADLINE_MS;
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'bench-station-')));
  const zpl = await startZplStandIn();
  const station: StationPrinting = { printerId: null, autoPrint: false, offerAs: 'Badge table' };
  const kioskPrinting: StationPrinting & { printAt: PrintAt } = {
    printerId: null,
    autoPrint: false,
    printAt: { kind: 'here' },
  };
  const net = { heartbeatMs: 500 };
  const badgeTable = loopbackVenueCore(dirs[0]!, { core: { stationPrinting: () => station }, net });
  const kiosk = loopbackVenueCore(dirs[1]!, { core: { stationPrinting: () => kioskPrinting }, net });
  try {
    await Promise.all([badgeTable.core.venue.ready, kiosk.core.venue.ready]);
    station.printerId = badgeTable.core.printing.addPrinter('Zebra', {
      kind: 'zpl_tcp',
      host: '127.0.0.1',
      port: zpl.port,
      dpi: 203,
    }).id;
    badgeTable.core.printStations.settingsChanged();
    seedVenueEvent(badgeTable.core, 0, checkins);
    const kioskEvent = seedVenueEvent(kiosk.core, 1, checkins);
    const admin = { role: 'admin' as const, name: 'Desk 1' };
    await badgeTable.core.venue.start(admin, 'Bench hall');
    const { code } = await badgeTable.core.venue.pairingCode(admin);
    await kiosk.core.venue.join(admin, code, `127.0.0.1:${badgeTable.core.venue.network!.node.port}`);
    const stationId = badgeTable.core.venue.replica.stationId;
    while (!kiosk.core.printStations.view().stations.some((s) => s.stationId === stationId)) {
      if (Date.now() > deadline) throw new Error('the kiosk never saw the print station');
      await new Promise((r) => setTimeout(r, 50));
    }
    kioskPrinting.printAt = { kind: 'station', stationId, name: 'Badge table' };

    // aN's badge carries the QR code of its ticket, BC-N: each label is matched to its check-in by it.
    const started = new Map<string, number>();
    const actor = { role: 'operator' as const, name: 'Kiosk (kiosk)' };
    for (let i = 0; i < checkins; i++) {
      if (Date.now() > deadline) throw new Error('the check-ins took longer than the bench allows');
      const a = kiosk.core.store.findAttendeeByProviderId(kioskEvent, `a${i}`)!;
      const t0 = performance.now();
      started.set(`BC-${i}`, t0);
      const r = kiosk.core.kiosk.checkIn(actor, {
        eventId: kioskEvent,
        attendeeId: a.id,
        actionId: randomUUID(),
        listId: MAIN_LIST_ID,
      });
      if (!r.badgeQueued) throw new Error(`check-in ${i} queued no badge (${r.outcome.kind})`);
      const wait = t0 + intervalMs - performance.now();
      if (wait > 0) await new Promise((r2) => setTimeout(r2, wait));
    }
    const labels = await Promise.race([
      zpl.waitForLabels(checkins),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`only ${zpl.labels.length} of ${checkins} labels arrived`)),
          Math.max(1_000, deadline - Date.now()),
        ).unref(),
      ),
    ]);
    const dispatch = labels.map((l) => {
      const code = l.fields.map((f) => /BC-\d+$/.exec(f)?.[0]).find((c) => c !== undefined);
      const t0 = code === undefined ? undefined : started.get(code);
      if (t0 === undefined) throw new Error('a label that no check-in asked for');
      return l.receivedAt - t0;
    });
    if (new Set(labels.map((l) => l.fields.join('|'))).size !== checkins)
      throw new Error('a badge printed twice');
    return {
      station_dispatch_p50_ms: percentile(dispatch, 0.5, 1),
      station_dispatch_p95_ms: percentile(dispatch, 0.95, 1),
      station_dispatch_max_ms: percentile(dispatch, 1, 1),
      station_dispatch_checkins: checkins,
      station_dispatch_interval_ms: intervalMs,
      station_dispatch_where: 'a kiosk and a print station, two cores in one process on loopback',
    };
  } finally {
    await kiosk.core.close().catch(() => undefined);
    await badgeTable.core.close().catch(() => undefined);
    await zpl.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { checkins: { type: 'string' }, 'interval-ms': { type: 'string' } },
  });
  console.log(
    JSON.stringify(
      await measureStationDispatch({
        ...(values.checkins ? { checkins: Number(values.checkins) } : {}),
        ...(values['interval-ms'] ? { intervalMs: Number(values['interval-ms']) } : {}),
      }),
      null,
      2,
    ),
  );
}
