// The venue over Wi-Fi: desks in separate processes (station processes, tests/venue/helpers),
// every link through the tests' lossy proxy (in the bridge's network namespace where namespaces
// can be made, else on loopback). Wall-clock times come from each process (performance.timeOrigin
// + now), so a commit at one desk and its arrival at another are on the same clock.
// - venue.wifi_converge_p95_ms: 10 desks, check-ins spread over them at 10 a second through
//   "venue Wi-Fi" (20 ± 10 ms a way, 2 % of pieces retransmitted after 200 ms); from the commit at
//   one desk to its arrival in SQLite at the last of the others. Goal < 300.
// - venue.bad_wifi_converge_p95_ms: the same through "bad Wi-Fi" (80 ± 40 ms, 10 %). Goal < 1,500.
// - venue.wifi_drop_recover_ms: then the link drops for 30 s ("drop 30 s") with check-ins at every
//   desk, some of the same people at two desks; from the link back to every desk equal, the
//   double admissions listed. No goal: what a desk waits after the access point comes back.
// - venue.wifi_heal_ms: two desks of a 100,000-attendee event, cut apart while each records 50,000
//   check-ins through the desk, then the link back ("venue Wi-Fi"): from the link back to both
//   holding all 100,000. Goal < 15,000.
// Alone: tsx tests/bench/venue-wifi.ts [--stations 10] [--checkins 400] [--rate 10] [--drop-ms 30000] [--heal-checkins 50000]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startLossyVenue, type LossyVenue } from '../venue/helpers/lossy-venue.ts';
import {
  BAD_WIFI,
  DROP_30S,
  VENUE_WIFI,
  withOutage,
  type NetworkProfile,
} from '../venue/helpers/network-profiles.ts';
import type { Station, StationState } from '../venue/helpers/station-process.ts';
import { percentile } from './stats.ts';

export interface VenueWifiFigures {
  wifi_stations: number;
  wifi_checkins: number;
  wifi_converge_p50_ms: number;
  wifi_converge_p95_ms: number;
  wifi_converge_max_ms: number;
  bad_wifi_converge_p50_ms: number;
  bad_wifi_converge_p95_ms: number;
  bad_wifi_converge_max_ms: number;
  wifi_drop_ms: number;
  wifi_drop_checkins: number;
  wifi_drop_recover_ms: number;
  wifi_where: string;
}

export interface VenueWifiHealFigures {
  wifi_heal_attendees: number;
  wifi_heal_checkins_per_station: number;
  wifi_heal_ms: number;
  wifi_heal_where: string;
}

const wallClock = () => performance.timeOrigin + performance.now();
/** Check-ins before the figures, not counted. */
const WARM_UP = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls (bounded) until `check` holds; returns the last value. */
async function until<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${ms} ms (last ${JSON.stringify(v).slice(0, 300)})`);
    await sleep(100);
  }
}

type DocumentStates = Record<string, { vector: string; pending: boolean }>;

/** Two desks hold the same documents, at the same state, with nothing waiting for a gap. */
function inStep(x: DocumentStates, y: DocumentStates): boolean {
  const names = Object.keys(x).sort();
  if (names.join() !== Object.keys(y).sort().join()) return false;
  return names.every((n) => x[n]!.vector === y[n]!.vector && !x[n]!.pending && !y[n]!.pending);
}

async function pair(venue: LossyVenue): Promise<void> {
  const [first, ...rest] = venue.stations;
  await first!.call('startVenue', { name: 'Bench hall' });
  const { code } = await first!.call<{ code: string }>('code');
  for (const s of rest) await s.call('join', { code, address: first!.address }, 30_000);
  for (const s of venue.stations)
    await until(
      () => s.call<{ desks: { online: boolean }[] }>('status'),
      (v) => v.desks.filter((d) => d.online).length === venue.stations.length,
      'every desk online',
      60_000,
    );
}

/** Check-ins of people `pids` spread over the desks at `perSecond`, each timed to its last arrival. */
async function converge(
  venue: LossyVenue,
  profile: NetworkProfile,
  pids: string[],
  perSecond: number,
): Promise<{ p50: number; p95: number; max: number }> {
  await venue.proxy.setProfile(profile);
  const stations = venue.stations;
  const committed = new Map<string, { at: number; origin: number }>();
  const arrivals = new Map<string, number>();
  const stops = stations.map((s, i) =>
    s.onLine((line) => {
      if (line.event !== 'arrivals') return;
      for (const pid of line.pids as string[]) {
        const key = `${pid}@${i}`;
        if (!arrivals.has(key)) arrivals.set(key, line.at as number);
      }
    }),
  );
  try {
    const start = performance.now();
    for (const [n, pid] of pids.entries()) {
      const wait = start + (n * 1000) / perSecond - performance.now();
      if (wait > 0) await sleep(wait);
      const origin = n % stations.length;
      const { at } = await stations[origin]!.call<{ at: number }>('checkIn', {
        pid,
        // One action per person: a repeated action id is the same check-in (the desk answers it again).
        actionId: `act-wifi-${pid}-000000`,
      });
      committed.set(pid, { at, origin });
    }
    const expected = pids.length * (stations.length - 1);
    const arrived = () =>
      [...committed].reduce(
        (k, [pid, c]) => k + stations.filter((_, i) => i !== c.origin && arrivals.has(`${pid}@${i}`)).length,
        0,
      );
    await until(
      async () => arrived(),
      (k) => k >= expected,
      `${profile.name}: every check-in at every desk`,
      60_000,
    );
    const latencies = [...committed].map(([pid, c]) =>
      Math.max(...stations.flatMap((_, i) => (i === c.origin ? [] : [arrivals.get(`${pid}@${i}`)! - c.at]))),
    );
    return {
      p50: percentile(latencies, 0.5, 1),
      p95: percentile(latencies, 0.95, 1),
      max: percentile(latencies, 1, 1),
    };
  } finally {
    for (const stop of stops) stop();
  }
}

/** The link drops for the profile's outage with check-ins at every desk; ms from its return to every desk equal. */
async function dropAndRecover(
  venue: LossyVenue,
  profile: NetworkProfile,
  pids: string[],
): Promise<{ recoverMs: number; checkins: number }> {
  const stations = venue.stations;
  await venue.proxy.setProfile(profile);
  const dropped = Date.now();
  await venue.proxy.startOutage(profile.outage!.mode);
  let checkins = 0;
  // Each person at one desk, the first three at two desks (admitted twice while apart).
  for (const [n, pid] of pids.entries()) {
    const at = [stations[n % stations.length]!, ...(n < 3 ? [stations[(n + 1) % stations.length]!] : [])];
    for (const s of at) {
      await s.call('checkIn', {
        pid,
        actionId: `act-drop-${String(n).padStart(4, '0')}-${s.stationId.slice(0, 6)}`,
      });
      checkins += 1;
    }
  }
  await sleep(Math.max(0, profile.outage!.durationMs - (Date.now() - dropped)));
  const back = wallClock();
  await venue.proxy.endOutage();
  await until(
    () => Promise.all(stations.map((s) => s.call<string>('digest'))),
    (d) => d.every((x) => x === d[0]),
    'every desk equal after the drop',
    120_000,
  );
  const recoverMs = wallClock() - back;
  const state = await stations[0]!.call<StationState>('state');
  if (state.conflicts.admissions.length < 3)
    throw new Error(
      `after the drop ${state.conflicts.admissions.length} double admissions are listed, not 3`,
    );
  return { recoverMs, checkins };
}

export async function measureVenueWifi(
  opts: { stations?: number; checkins?: number; perSecond?: number; dropMs?: number } = {},
): Promise<VenueWifiFigures> {
  const count = opts.stations ?? 10;
  const checkins = opts.checkins ?? 400;
  const perSecond = opts.perSecond ?? 10;
  const drop = withOutage(DROP_30S, opts.dropMs ?? DROP_30S.outage!.durationMs);
  const people = WARM_UP + 2 * checkins + 30;
  const venue = await startLossyVenue({
    count,
    profile: VENUE_WIFI,
    seed: 1,
    extraArgs: ['--seed', String(people), '--heartbeat-ms', '2000', '--report-arrivals'],
  });
  try {
    await pair(venue);
    const pids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `a${from + i}`);
    // Not measured: the desks' first syncs with nine peers each and their first document stores.
    await converge(venue, VENUE_WIFI, pids(0, WARM_UP), perSecond);
    const wifi = await converge(venue, VENUE_WIFI, pids(WARM_UP, checkins), perSecond);
    const bad = await converge(venue, BAD_WIFI, pids(WARM_UP + checkins, checkins), perSecond);
    const dropped = await dropAndRecover(venue, drop, pids(WARM_UP + 2 * checkins, 30));
    return {
      wifi_stations: count,
      wifi_checkins: checkins,
      wifi_converge_p50_ms: wifi.p50,
      wifi_converge_p95_ms: wifi.p95,
      wifi_converge_max_ms: wifi.max,
      bad_wifi_converge_p50_ms: bad.p50,
      bad_wifi_converge_p95_ms: bad.p95,
      bad_wifi_converge_max_ms: bad.max,
      wifi_drop_ms: drop.outage!.durationMs,
      wifi_drop_checkins: dropped.checkins,
      wifi_drop_recover_ms: Math.round(dropped.recoverMs),
      wifi_where: `${count} station processes, every link through the lossy proxy (${venue.net ? 'network namespaces' : 'loopback'}), ${checkins} check-ins at ${perSecond}/s per profile`,
    };
  } finally {
    await venue.close();
  }
}

export async function measureVenueWifiHeal(opts: { checkins?: number } = {}): Promise<VenueWifiHealFigures> {
  const each = opts.checkins ?? 50_000;
  const attendees = 2 * each;
  const venue = await startLossyVenue({
    count: 2,
    profile: VENUE_WIFI,
    seed: 2,
    extraArgs: ['--seed', String(attendees), '--heartbeat-ms', '2000'],
    startTimeoutMs: 180_000,
  });
  try {
    await pair(venue);
    const [a, b] = venue.stations as [Station, Station];
    // In step before the cut (each desk's roster and first writes across): the heal then carries
    // the check-ins made apart, not the rest of a pairing cut short.
    await until(
      () => Promise.all([a.call<DocumentStates>('documentStates'), b.call<DocumentStates>('documentStates')]),
      ([x, y]) => inStep(x, y),
      'both desks in step before the cut',
      180_000,
    );
    // Apart: every connection reset, new ones refused, while each desk admits its half.
    await venue.proxy.startOutage('cut');
    const done = await Promise.all([
      a.call<number>('checkInMany', { from: 0, count: each, tag: 'act-heal-a' }, 600_000),
      b.call<number>('checkInMany', { from: each, count: each, tag: 'act-heal-b' }, 600_000),
    ]);
    if (done[0] !== each || done[1] !== each)
      throw new Error(`only ${done.join(' and ')} check-ins recorded`);
    const back = wallClock();
    await venue.proxy.endOutage();
    await until(
      // A desk applying the other's 50,000 entries may take a while to answer: asked with a long wait.
      () => Promise.all([a.call<number>('checkedIn', {}, 120_000), b.call<number>('checkedIn', {}, 120_000)]),
      (n) => n.every((x) => x === attendees),
      'both desks hold every check-in',
      120_000,
    );
    const healMs = wallClock() - back;
    const [da, db] = await Promise.all([
      a.call<string>('digest', {}, 60_000),
      b.call<string>('digest', {}, 60_000),
    ]);
    if (da !== db) throw new Error('the two desks differ after the heal');
    return {
      wifi_heal_attendees: attendees,
      wifi_heal_checkins_per_station: each,
      wifi_heal_ms: Math.round(healMs),
      wifi_heal_where: `2 station processes through the lossy proxy, "venue Wi-Fi" (${venue.net ? 'network namespaces' : 'loopback'}); polled every 100 ms`,
    };
  } finally {
    await venue.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      stations: { type: 'string', default: '10' },
      checkins: { type: 'string', default: '400' },
      rate: { type: 'string', default: '10' },
      'drop-ms': { type: 'string', default: '30000' },
      'heal-checkins': { type: 'string', default: '50000' },
      'no-heal': { type: 'boolean', default: false },
    },
  });
  const wifi = await measureVenueWifi({
    stations: Number(values.stations),
    checkins: Number(values.checkins),
    perSecond: Number(values.rate),
    dropMs: Number(values['drop-ms']),
  });
  // Said at once: the heal that follows takes minutes.
  console.error(JSON.stringify(wifi));
  console.log(
    JSON.stringify({
      ...wifi,
      ...(values['no-heal'] ? {} : await measureVenueWifiHeal({ checkins: Number(values['heal-checkins']) })),
    }),
  );
}
