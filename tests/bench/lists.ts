// The check-in lists' figures, on an event of their own (a data folder apart from the import's):
// 100,000 attendees in Europe/Berlin, the main list and 4 more, and 300,000 entries and exits over
// the 5 lists from 5 desks across a day, written as the venue writes them (VenueStore appendCheckIn,
// each deriving its person's presence in its transaction). Then, through the IPC boundary of an
// offline app host:
// - inside_now_p95_ms: lists.view, what the desk's header and the event page read (goal < 10);
// - checkin_with_rules_p95_ms: desk.checkIn at a desk set to a list with ticket types, a window and
//   "once per day" (goal < 5, as a plain check-in), beside plain_checkin_p95_ms measured between
//   its blocks in the same run;
// and in Debian's Chromium through the browser host:
// - chart_update_ms: from a check-in (the page's own call to the host) to the arrivals chart drawing
//   it, p95 over a series (goal < 100).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { createCore } from '../../main/core/create-core.ts';
import { FileSecretStore } from '../../main/host/file-stores.ts';
import { VenueStore } from '../../main/db/venue-store.ts';
import { CHROMIUM_PATH, spawnHost } from '../helpers/e2e.ts';
import { person } from '../helpers/desk-db.ts';
import { percentile, startOfflineAppHost } from './stats.ts';
import { MAIN_LIST_ID, type ListDefinition } from '../../shared/lists.ts';

export interface ListsFigures {
  attendees: number;
  lists: number;
  passages: number;
  setup_s: number;
  inside_now_p50_ms: number;
  inside_now_p95_ms: number;
  inside_now_calls: number;
  checkin_with_rules_p50_ms: number;
  checkin_with_rules_p95_ms: number;
  checkins_with_rules: number;
  /** The same desk's plain check-ins (the main list) in the same run, between the blocks with rules. */
  plain_checkin_p50_ms: number;
  plain_checkin_p95_ms: number;
  chart_update_p50_ms: number | string;
  chart_update_ms: number | string;
  chart_updates: number;
}

const TICKETS = ['General Admission', 'VIP', 'Speaker', 'Day pass'];
const DESKS = 5;
const pct = (values: number[], p: number) => percentile(values, p, 2);

export async function measureLists(
  opts: { attendees?: number; passages?: number } = {},
): Promise<ListsFigures> {
  const attendees = opts.attendees ?? 100_000;
  const passages = opts.passages ?? 300_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-listsbench-'));
  const secretStore = new FileSecretStore(
    join(dataDir, 'credentials.json'),
    join(dataDir, 'credentials.key'),
  );
  try {
    const t0 = performance.now();
    const { eventId, workshop } = await seed(dataDir, secretStore, attendees, passages);
    const setupS = (performance.now() - t0) / 1000;

    const app = await startOfflineAppHost({ dataDir, secretStore, env: { BADGE_DESK_ADMIN_PIN: '2468' } });
    const invoke = async (channel: string, input: unknown) => {
      const r = await app.invoke(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value as Record<string, unknown>;
    };
    let inside: number[] = [];
    let rules: number[] = [];
    let plain: number[] = [];
    try {
      for (let i = 0; i < 20; i++) await invoke('lists.view', { eventId }); // warm-up
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await invoke('lists.view', { eventId });
        inside.push(performance.now() - t);
      }
      // Check-ins with rules, in blocks of 50 between blocks of plain check-ins at the main list in
      // the same run (the desk's list switched between blocks), so both meet the same machine.
      const after = lastSeededId(app.core, eventId, attendees);
      // The last 50 people are the chart's (measureChartUpdate): each of its check-ins a new arrival.
      const chartFrom = idAt(app.core, eventId, attendees - 50);
      const fresh = (tickets: string) =>
        app.core.store.db
          .prepare<[number, number, number], { barcode: string }>(
            `SELECT barcode FROM attendees WHERE event_id = ? AND ticket_name IN (${tickets}) AND id > ? AND id < ?
             ORDER BY id LIMIT 1000`,
          )
          .all(eventId, after, chartFrom)
          .map((r) => r.barcode);
      // VIPs and speakers not seen at the workshop yet (the seed leaves the last 5% of people alone);
      // the others for the plain check-ins.
      const withRules = fresh(`'VIP', 'Speaker'`);
      const others = fresh(`'General Admission', 'Day pass'`);
      const setDesk = async (listId: string) => {
        await invoke('session.unlock', { pin: '2468' });
        await invoke('lists.setDesk', { eventId, listId, exit: false });
        await invoke('session.lock', {});
      };
      const checkIn = async (code: string, into: number[]) => {
        const t = performance.now();
        const out = await invoke('desk.checkIn', { eventId, actionId: randomUUID(), code });
        into.push(performance.now() - t);
        if (out.kind !== 'checked_in') throw new Error(`a check-in answered ${String(out.kind)}`);
      };
      for (let b = 0; b * 50 < Math.min(withRules.length, others.length); b++) {
        await setDesk(workshop);
        for (const code of withRules.slice(b * 50, b * 50 + 50)) await checkIn(code, rules);
        await setDesk(MAIN_LIST_ID);
        for (const code of others.slice(b * 50, b * 50 + 50)) await checkIn(code, plain);
      }
      inside = inside.slice();
      rules = rules.slice();
      plain = plain.slice();
    } finally {
      await app.close();
    }
    const chart = await measureChartUpdate(dataDir, eventId, attendees);
    return {
      attendees,
      lists: 5,
      passages,
      setup_s: Number(setupS.toFixed(1)),
      inside_now_p50_ms: pct(inside, 0.5),
      inside_now_p95_ms: pct(inside, 0.95),
      inside_now_calls: inside.length,
      checkin_with_rules_p50_ms: pct(rules, 0.5),
      checkin_with_rules_p95_ms: pct(rules, 0.95),
      checkins_with_rules: rules.length,
      plain_checkin_p50_ms: pct(plain, 0.5),
      plain_checkin_p95_ms: pct(plain, 0.95),
      ...chart,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The id below which the seed's passages went: the last 5% of people are kept for the check-ins measured. */
function lastSeededId(core: ReturnType<typeof createCore>, eventId: number, attendees: number): number {
  return idAt(core, eventId, Math.floor(attendees * 0.95));
}

function idAt(core: ReturnType<typeof createCore>, eventId: number, offset: number): number {
  return core.store.db
    .prepare<[number, number], { id: number }>(
      'SELECT id FROM attendees WHERE event_id = ? ORDER BY id LIMIT 1 OFFSET ?',
    )
    .get(eventId, offset)!.id;
}

export async function seed(
  dataDir: string,
  secretStore: FileSecretStore,
  attendees: number,
  passages: number,
): Promise<{ eventId: number; workshop: string }> {
  const core = createCore({ dataDir, secretStore, walCheckpoints: 'on commit' });
  try {
    const now = new Date();
    const integration = core.store.upsertIntegration({
      provider: 'eventbrite',
      accountId: 'bench',
      accountEmail: 'bench@example.com',
      accountName: 'Bench',
      secretRef: 'ref',
      now: now.toISOString(),
    });
    const eventId = core.store.insertEvent(
      integration,
      {
        providerEventId: 'lists-bench',
        name: 'Lists Bench',
        startsAt: null,
        endsAt: null,
        timezone: 'Europe/Berlin',
        url: null,
      },
      'event added',
      now.toISOString(),
    );
    const people = Array.from({ length: attendees }, (_, i) =>
      person({
        providerAttendeeId: `lb-${i}`,
        fullName: `List Guest ${i}`,
        barcode: `LB-${i}`,
        ticketName: TICKETS[i % 4]!,
      }),
    );
    for (let i = 0; i < people.length; i += 10_000)
      core.store.upsertAttendees(eventId, people.slice(i, i + 10_000), null, now.toISOString());
    const admin = { role: 'admin' as const, name: 'Bench' };
    const define = (d: Partial<ListDefinition> & { name: string }) =>
      core.lists.save(admin, {
        eventId,
        actionId: randomUUID(),
        definition: {
          ticketTypes: null,
          window: null,
          rule: 'once',
          minGapMinutes: null,
          checkOutAt: null,
          ...d,
        },
      }).id;
    // The measured desk's list: VIP and speakers, today from an hour ago to an hour ahead, once per day.
    const workshop = define({
      name: 'Workshop',
      ticketTypes: ['VIP', 'Speaker'],
      rule: 'once_per_day',
      window: {
        opensAt: new Date(now.getTime() - 3600_000).toISOString(),
        closesAt: new Date(now.getTime() + 3600_000).toISOString(),
        toleranceMinutes: 15,
      },
    });
    const lists = [
      MAIN_LIST_ID,
      workshop,
      define({ name: 'VIP area', ticketTypes: ['VIP'], rule: 'every_time' }),
      define({ name: 'Day 1' }),
      define({ name: 'Hall B', rule: 'every_time', minGapMinutes: 5 }),
    ];
    const ids = core.store.db
      .prepare<[number], { id: number }>('SELECT id FROM attendees WHERE event_id = ? ORDER BY id')
      .all(eventId)
      .map((r) => r.id);
    const seeded = ids.slice(0, Math.floor(ids.length * 0.95));
    // Passages over the 10 hours before now, in time order: each person and list alternate entry
    // and exit, so exits always close an entry.
    const venue = new VenueStore(core.store.db);
    const inside = new Set<string>();
    const start = now.getTime() - 10 * 3600_000;
    let rng = 20261206;
    const random = () => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const batch = 10_000;
    for (let i = 0; i < passages; i += batch) {
      venue.transaction(() => {
        for (let j = i; j < Math.min(passages, i + batch); j++) {
          const attendeeId = seeded[Math.floor(random() * seeded.length)]!;
          const listId = lists[Math.floor(random() * lists.length)]!;
          const key = `${attendeeId}:${listId}`;
          const exit = inside.has(key);
          if (exit) inside.delete(key);
          else inside.add(key);
          const desk = j % DESKS;
          venue.appendCheckIn({
            actionId: `lb-${j}`,
            eventId,
            attendeeId,
            action: exit ? 'exit' : 'check_in',
            station: `Desk ${desk + 1}`,
            stationId: `bench-desk-${desk + 1}`,
            undoes: null,
            at: new Date(start + Math.floor((j / passages) * 10 * 3600_000)).toISOString(),
            listId,
          });
        }
      });
    }
    return { eventId, workshop };
  } finally {
    await core.close();
  }
}

/** From a check-in to the arrivals chart drawing it, in Chromium through the browser host. */
async function measureChartUpdate(
  dataDir: string,
  eventId: number,
  attendees: number,
): Promise<Pick<ListsFigures, 'chart_update_p50_ms' | 'chart_update_ms' | 'chart_updates'>> {
  if (!existsSync(CHROMIUM_PATH))
    return {
      chart_update_p50_ms: `skipped: no Chromium at ${CHROMIUM_PATH}`,
      chart_update_ms: 'skipped',
      chart_updates: 0,
    };
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const host = await spawnHost(dataDir, {
    BADGE_DESK_EVENTBRITE_URL: 'http://127.0.0.1:9',
    BADGE_DESK_LUMA_URL: 'http://127.0.0.1:9',
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const token = new URL(host.url).searchParams.get('token')!;
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Lists Bench' }).click();
    const chart = page.getByTestId('arrivals-by-desk');
    await chart.waitFor({ timeout: 60_000 });
    await chart.scrollIntoViewIfNeeded();
    // LISTS_BENCH_DIAG=1: each update's requests (name, start, duration) on stderr, to see where time goes.
    if (process.env.LISTS_BENCH_DIAG) {
      page.on('console', (m) => console.error(m.text()));
      await page.evaluate('globalThis.__diag = true');
    }
    // The last people of the event: the seed left them alone, so each check-in is a new arrival.
    const barcodes = Array.from({ length: 50 }, (_, i) => `LB-${attendees - 1 - i}`);
    const times: number[] = [];
    for (const code of barcodes) {
      // In the page: the page's own call to the host, then the chart's drawn total moving past it.
      const ms = (await page.evaluate(
        `new Promise((resolve, reject) => {
          const box = document.querySelector('[data-testid=arrivals-by-desk]');
          const before = Number(box.dataset.total);
          const observer = new MutationObserver(() => {
            if (Number(box.dataset.total) > before) {
              observer.disconnect();
              if (globalThis.__diag) console.log(JSON.stringify(performance.getEntriesByType('resource').filter((e) => e.startTime >= t0).map((e) => [e.name.split('/').pop(), Math.round(e.startTime - t0), Math.round(e.duration)])));
              resolve(performance.now() - t0);
            }
          });
          observer.observe(box, { attributes: true, attributeFilter: ['data-total'] });
          const t0 = performance.now();
          fetch('/ipc/desk.checkIn', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-badge-desk-token': ${JSON.stringify(token)} },
            body: JSON.stringify({ eventId: ${eventId}, actionId: ${JSON.stringify(randomUUID())}, code: ${JSON.stringify(code)} }),
          }).then((r) => r.json()).then((b) => { if (!b.ok) reject(new Error(JSON.stringify(b.error))); });
          setTimeout(() => reject(new Error('the chart did not draw the entry within 10 s')), 10000);
        })`,
      )) as number;
      times.push(ms);
      await page.waitForTimeout(150);
    }
    return {
      chart_update_p50_ms: pct(times, 0.5),
      chart_update_ms: pct(times, 0.95),
      chart_updates: times.length,
    };
  } finally {
    await browser.close();
    await host.kill();
  }
}

// `npm run bench` runs this among the others; alone: tsx tests/bench/lists.ts [--attendees N] [--passages N]
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => Number(process.argv[process.argv.indexOf(name) + 1] ?? NaN) || undefined;
  const figures = await measureLists({ attendees: arg('--attendees'), passages: arg('--passages') });
  console.log(JSON.stringify(figures));
}
