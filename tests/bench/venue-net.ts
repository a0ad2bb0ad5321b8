// The venue's network figures: 10 stations — whole cores, in this one process on
// loopback (10 processes would be too heavy for a 2-core machine) — paired into one venue;
// 1,000 check-ins spread over them at 10 a second.
// - venue.converge_p95_ms: from the commit at one station to its arrival in SQLite at all the
//   others (the last desk's checkinsChanged for that person). Goal < 1,000.
// - venue.checkin_p95_ms: the desk's check-in call at the committing station, venue on. Goal < 5.
// Alone: tsx tests/bench/venue-net.ts [--stations 10] [--checkins 1000] [--rate 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { BadgeDeskCore } from '../../main/core/create-core.ts';
import { loopbackVenueCore } from '../venue/helpers/loopback-core.ts';
import { seedVenueEvent } from '../venue/helpers/seed-event.ts';
import { percentile } from './stats.ts';

export interface VenueNetFigures {
  stations: number;
  checkins: number;
  converge_p50_ms: number;
  converge_p95_ms: number;
  converge_max_ms: number;
  checkin_p50_ms: number;
  checkin_p95_ms: number;
  where: string;
}

export async function measureVenueNet(
  opts: { stations?: number; checkins?: number; perSecond?: number } = {},
): Promise<VenueNetFigures> {
  const stations = opts.stations ?? 10;
  const checkins = opts.checkins ?? 1_000;
  const perSecond = opts.perSecond ?? 10;
  const dirs: string[] = [];
  const cores: BenchStation[] = [];
  try {
    for (let i = 0; i < stations; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-venue-'));
      dirs.push(dir);
      const { core, name } = loopbackVenueCore(dir, { net: { heartbeatMs: 2_000 } });
      await core.venue.ready;
      const eventId = seedVenueEvent(core, i, checkins);
      cores.push({
        core,
        eventId,
        get name() {
          return name();
        },
      });
    }
    const admin = { role: 'admin' as const, name: 'Desk 1' };
    await cores[0]!.core.venue.start(admin, 'Bench hall');
    const { code } = await cores[0]!.core.venue.pairingCode(admin);
    const first = `127.0.0.1:${cores[0]!.core.venue.network!.node.port}`;
    for (const c of cores.slice(1)) await c.core.venue.join(admin, code, first);
    return {
      ...(await measureConvergence(cores, checkins, perSecond)),
      where: `${stations} cores in one process on loopback`,
    };
  } finally {
    for (const c of cores) await c.core.close().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** A paired venue's stations, as measureConvergence drives them. */
export interface BenchStation {
  core: BadgeDeskCore;
  eventId: number;
  readonly name: string;
}

/**
 * `checkins` check-ins spread over the stations at `perSecond`, each timed from its commit to its
 * arrival in SQLite at every other station (venue-relay.ts measures the same through a relay).
 */
export async function measureConvergence(
  cores: BenchStation[],
  checkins: number,
  perSecond: number,
): Promise<Omit<VenueNetFigures, 'where'>> {
  const stations = cores.length;
  // Arrival: the first checkinsChanged at a desk that names the person.
  const committedAt = new Map<string, number>();
  const arrivals = new Map<string, number>();
  const origin = new Map<string, number>();
  const latencies: number[] = [];
  for (const [i, c] of cores.entries()) {
    c.core.events.on('checkinsChanged', ({ attendeeIds }) => {
      const t = performance.now();
      for (const id of attendeeIds) {
        const pid = c.core.store.getAttendee(id)?.providerAttendeeId;
        // Only arrivals from elsewhere: the committing desk's own event is not an arrival.
        if (!pid || !committedAt.has(pid) || origin.get(pid) === i) continue;
        const key = `${pid}@${i}`;
        if (arrivals.has(key)) continue;
        arrivals.set(key, t);
      }
    });
  }
  const checkinMs: number[] = [];
  const start = performance.now();
  for (let n = 0; n < checkins; n++) {
    // Paced at `perSecond`, from the start (no drift).
    const due = start + (n * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const at = n % stations;
    const c = cores[at]!;
    const pid = `a${n}`;
    const attendee = c.core.store.findAttendeeByProviderId(c.eventId, pid)!;
    origin.set(pid, at);
    committedAt.set(pid, performance.now());
    const t0 = performance.now();
    c.core.desk.checkIn(
      { role: 'operator', name: c.name },
      { eventId: c.eventId, actionId: `act-bench-${String(n).padStart(6, '0')}`, attendeeId: attendee.id },
    );
    checkinMs.push(performance.now() - t0);
  }
  // Every check-in at every other desk (bounded).
  const deadline = performance.now() + 60_000;
  while (arrivals.size < checkins * (stations - 1) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  for (const [pid, t] of committedAt) {
    let last = 0;
    for (let i = 0; i < stations; i++) {
      if (i === origin.get(pid)) continue;
      const a = arrivals.get(`${pid}@${i}`);
      last = Math.max(last, a === undefined ? Number.POSITIVE_INFINITY : a - t);
    }
    latencies.push(last);
  }
  const missing = latencies.filter((l) => !Number.isFinite(l)).length;
  if (missing > 0) {
    const which = [...committedAt.keys()].filter((pid) =>
      cores.some((c, i) => i !== origin.get(pid) && !arrivals.has(`${pid}@${i}`)),
    );
    const detail = which
      .slice(0, 3)
      .map(
        (pid) =>
          `${pid} from desk ${origin.get(pid)! + 1}: ${cores.map((c, i) => `${i + 1}=${c.core.store.findAttendeeByProviderId(c.eventId, pid)?.checkedIn ? 'in' : 'out'}${arrivals.has(`${pid}@${i}`) ? '+' : ''}`).join(' ')}`,
      );
    throw new Error(`${missing} check-ins never reached every desk within 60 s: ${detail.join('; ')}`);
  }
  return {
    stations,
    checkins,
    converge_p50_ms: percentile(latencies, 0.5, 1),
    converge_p95_ms: percentile(latencies, 0.95, 1),
    converge_max_ms: percentile(latencies, 1, 1),
    checkin_p50_ms: percentile(checkinMs, 0.5, 3),
    checkin_p95_ms: percentile(checkinMs, 0.95, 3),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      stations: { type: 'string', default: '10' },
      checkins: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '10' },
    },
  });
  const figures = await measureVenueNet({
    stations: Number(values.stations),
    checkins: Number(values.checkins),
    perSecond: Number(values.rate),
  });
  console.log(JSON.stringify(figures));
}
