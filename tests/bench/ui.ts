// UI figures in Debian's Chromium through the browser host: time from host start to the events
// list, renderer heap with the event open (and after scrolling all of it), time for the rows at a
// far position to show after a jump (a page fetched and sorted by name in the host), frame times
// while scrolling the whole table, and scanner Enter to the confirmation on screen.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../main/simulator/index.ts';
import { createCore } from '../../main/core/create-core.ts';
import { FileSecretStore } from '../../main/host/file-stores.ts';
import { CHROMIUM_PATH, spawnHost } from '../helpers/e2e.ts';
import { percentile } from './stats.ts';

export interface UiFigures {
  attendees: number;
  host_start_to_events_list_ms: number;
  renderer_heap_mb_event_open: number;
  jump_to_rows_p50_ms: number;
  jump_to_rows_p95_ms: number;
  jumps: number;
  scroll_frame_p50_ms: number;
  scroll_frame_p95_ms: number;
  scroll_frame_max_ms: number;
  scroll_frames: number;
  renderer_heap_mb_after_full_scroll: number;
  scan_to_feedback_p50_ms: number;
  scan_to_feedback_p95_ms: number;
  scans: number;
  /** Requests the host's live sync made while the figures were taken (a few incremental polls). */
  provider_requests_while_measuring: number;
}

const UNLIMITED_BUDGET = { windows: [{ limit: 1_000_000_000, windowMs: 3600_000 }] };

export async function measureUi(attendees = 50_000): Promise<UiFigures | { skipped: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { skipped: `no Chromium at ${CHROMIUM_PATH}` };
  // Registrations are stamped a day in the past, as real ones are: the host's first live poll
  // (changed since the import minus a safety margin) then finds nothing, instead of re-listing
  // the whole event while the figures are taken.
  let simOffsetMs = -24 * 3600_000;
  const sim = await startSimulator({ now: () => Date.now() + simOffsetMs });
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-uibench-'));
  const env = {
    BADGE_DESK_EVENTBRITE_URL: sim.eventbrite.baseUrl,
    BADGE_DESK_LUMA_URL: sim.luma.baseUrl,
    BADGE_DESK_ADMIN_PIN: '2468',
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-precise-memory-info',
    ],
  });
  let host: Awaited<ReturnType<typeof spawnHost>> | null = null;
  try {
    const account = sim.eventbrite.addAccount({ email: 'bench@example.com', name: 'Bench' });
    const providerEventId = sim.eventbrite.addEvent(account.token, { name: 'Scale Test' });
    sim.eventbrite.seedAttendees(providerEventId, attendees);
    simOffsetMs = 0;

    // The event is imported here, by a core on the host's data folder (the host's credential
    // store, so the host can poll it afterwards), with the provider's budget lifted: above
    // 100,000 attendees an Eventbrite import passes the 2,000 calls an hour the limiter holds
    // a real import to, and this benchmark is about the UI, not the import (run.ts measures that).
    const core = createCore({
      dataDir,
      secretStore: new FileSecretStore(join(dataDir, 'credentials.json'), join(dataDir, 'credentials.key')),
      providerBaseUrls: { eventbrite: sim.eventbrite.baseUrl, luma: sim.luma.baseUrl },
      rateBudgets: { eventbrite: UNLIMITED_BUDGET, luma: UNLIMITED_BUDGET },
    });
    let eventId: number;
    try {
      const admin = { role: 'admin' as const };
      const integration = await core.connectIntegration(admin, 'eventbrite', account.token);
      const event = await core.importEvent(admin, integration.id, providerEventId);
      await core.engine.waitForJob(event.id);
      eventId = event.id;
      const imported = core.getEvent(event.id);
      if (imported.status !== 'ACTIVE' || imported.counts.total !== attendees) {
        throw new Error(`UI bench import ended ${imported.status} with ${imported.counts.total} rows`);
      }
    } finally {
      await core.close();
    }
    const call = async (channel: string, input: unknown) => {
      const url = new URL(host!.url);
      const r = await fetch(new URL(`/ipc/${channel}`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-badge-desk-token': url.searchParams.get('token')! },
        body: JSON.stringify(input),
      });
      const body = (await r.json()) as { ok: boolean; value: unknown; error?: unknown };
      if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body.error)}`);
      return body.value as Record<string, unknown>;
    };

    // Host start → events list visible.
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const t0 = performance.now();
    host = await spawnHost(dataDir, env);
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Scale Test' }).waitFor();
    const startMs = performance.now() - t0;

    // Open the event; heap after GC.
    await page.getByRole('heading', { name: 'Scale Test' }).click();
    await page.getByTestId('attendee-scroller').waitFor();
    await page.getByRole('row').nth(3).waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const requestsBefore = sim.eventbrite.requestCount;

    // Jumps to far positions not seen yet: from setting scrollTop to the rows of that position on
    // screen (not placeholders), so each jump fetches a page the host sorts by name.
    const jumps = (await page.evaluate(`new Promise((resolve) => {
      const scroller = document.querySelector('[data-testid=attendee-scroller]');
      const fractions = [0.93, 0.17, 0.71, 0.38, 0.99, 0.05, 0.56, 0.84, 0.27, 0.62, 0.45, 0.11, 0.78, 0.33, 0.89, 0.5, 0.22, 0.67, 0.96, 0.41];
      const times = [];
      let i = 0;
      function jump() {
        if (i >= fractions.length) return resolve(times);
        const target = Math.round(fractions[i++] * (scroller.scrollHeight - scroller.clientHeight));
        const t0 = performance.now();
        scroller.scrollTop = target;
        const index = Math.floor(scroller.scrollTop / 44) + 2; // aria-rowindex of the top row (rows are 44 px; 1 is the header)
        function check() {
          const row = scroller.querySelector('[aria-rowindex="' + index + '"]');
          if (row && !row.classList.contains('table-row-placeholder')) {
            times.push(performance.now() - t0);
            return setTimeout(jump, 100);
          }
          if (performance.now() - t0 > 30000) return resolve(null);
          requestAnimationFrame(check);
        }
        requestAnimationFrame(check);
      }
      jump();
    })`)) as number[] | null;
    if (!jumps) throw new Error('the rows at a jumped-to position never showed');
    await page.evaluate(`document.querySelector('[data-testid=attendee-scroller]').scrollTop = 0`);

    // Scroll through the whole table with the wheel-like steps a person makes, timing frames.
    // Passed as source text: the TypeScript loader would wrap named functions in a helper the page lacks.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const scroller = document.querySelector('[data-testid=attendee-scroller]');
      const times = [];
      let last = performance.now();
      const step = scroller.clientHeight * 0.9 * 4;
      function tick(now) {
        times.push(now - last);
        last = now;
        if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2 || times.length > 3000) return resolve(times.slice(1));
        scroller.scrollTop += step;
        requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    })`)) as number[];
    const pct = (p: number) => percentile(frames, p, 1);
    // Every page passed on the way is now cached in the renderer: the heap with all of them.
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfterScroll = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };

    // Scanner's Enter -> the confirmation on screen, measured inside the page: a capturing
    // keydown listener stamps Enter, a MutationObserver stamps the feedback naming the guest.
    const people = (await call('attendees.list', { eventId, offset: 0, limit: 60 })) as unknown as {
      rows: { fullName: string; barcode: string }[];
    };
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('searchbox', { name: 'Search attendees' }).waitFor();
    const scans: number[] = [];
    for (const person of people.rows.slice(0, 50)) {
      await page.evaluate(`window.__scan = new Promise((resolve) => {
        let enterAt = 0;
        const box = document.querySelector('[data-testid=checkin-feedback]');
        const onKey = (e) => { if (e.key === 'Enter') enterAt = performance.now(); };
        document.addEventListener('keydown', onKey, true);
        const observer = new MutationObserver(() => {
          if (enterAt && box.textContent.includes(${JSON.stringify(person.fullName)}) && box.dataset.tone === 'success') {
            observer.disconnect();
            document.removeEventListener('keydown', onKey, true);
            resolve(performance.now() - enterAt);
          }
        });
        observer.observe(box, { subtree: true, childList: true, characterData: true, attributes: true });
      }); 0`); // the 0: evaluate would otherwise wait for the promise before the scan is typed
      await page.keyboard.type(person.barcode, { delay: 0 });
      await page.keyboard.press('Enter');
      scans.push((await page.evaluate('window.__scan')) as number);
    }
    const scanPct = (p: number) => percentile(scans, p, 1);
    return {
      attendees,
      host_start_to_events_list_ms: Math.round(startMs),
      renderer_heap_mb_event_open: Number((heap.usedSize / 1024 / 1024).toFixed(1)),
      jump_to_rows_p50_ms: percentile(jumps, 0.5, 1),
      jump_to_rows_p95_ms: percentile(jumps, 0.95, 1),
      jumps: jumps.length,
      scroll_frame_p50_ms: pct(0.5),
      scroll_frame_p95_ms: pct(0.95),
      scroll_frame_max_ms: percentile(frames, 1, 1),
      scroll_frames: frames.length,
      renderer_heap_mb_after_full_scroll: Number((heapAfterScroll.usedSize / 1024 / 1024).toFixed(1)),
      scan_to_feedback_p50_ms: scanPct(0.5),
      scan_to_feedback_p95_ms: scanPct(0.95),
      scans: scans.length,
      provider_requests_while_measuring: sim.eventbrite.requestCount - requestsBefore,
    };
  } finally {
    await browser.close();
    await host?.kill();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
