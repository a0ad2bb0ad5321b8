// UI figures in Debian's Chromium through the browser host: time from host start to the events
// list, renderer heap with a 50,000-row event open, and frame times while scrolling it.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../main/simulator/index.ts';
import { CHROMIUM_PATH, spawnHost } from '../helpers/e2e.ts';
import { percentile } from './stats.ts';

export interface UiFigures {
  host_start_to_events_list_ms: number;
  renderer_heap_mb_50k_event_open: number;
  scroll_frame_p50_ms: number;
  scroll_frame_p95_ms: number;
  scroll_frame_max_ms: number;
  scroll_frames: number;
  scan_to_feedback_p50_ms: number;
  scan_to_feedback_p95_ms: number;
  scans: number;
}

export async function measureUi(attendees = 50_000): Promise<UiFigures | { skipped: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { skipped: `no Chromium at ${CHROMIUM_PATH}` };
  const sim = await startSimulator({});
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-uibench-'));
  const env = { BADGE_DESK_EVENTBRITE_URL: sim.eventbrite.baseUrl, BADGE_DESK_LUMA_URL: sim.luma.baseUrl, BADGE_DESK_ADMIN_PIN: '2468' };
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  let host = await spawnHost(dataDir, env);
  try {
    // Set up the event through the same IPC the page uses.
    const account = sim.eventbrite.addAccount({ email: 'bench@example.com', name: 'Bench' });
    const providerEventId = sim.eventbrite.addEvent(account.token, { name: 'Scale Test' });
    sim.eventbrite.seedAttendees(providerEventId, attendees);
    const call = async (channel: string, input: unknown) => {
      const url = new URL(host.url);
      const r = await fetch(new URL(`/ipc/${channel}`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-badge-desk-token': url.searchParams.get('token')! },
        body: JSON.stringify(input),
      });
      const body = (await r.json()) as { ok: boolean; value: unknown; error?: unknown };
      if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body.error)}`);
      return body.value as Record<string, unknown>;
    };
    await call('session.unlock', { pin: '2468' });
    const integration = await call('integrations.connect', { provider: 'eventbrite', credential: account.token });
    const event = await call('events.import', { integrationId: integration.id, providerEventId });
    for (;;) {
      const current = await call('events.get', { eventId: event.id });
      if (current.status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // Host start → events list visible.
    await host.kill();
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

    // Scanner's Enter -> the confirmation on screen, measured inside the page: a capturing
    // keydown listener stamps Enter, a MutationObserver stamps the feedback naming the guest.
    const people = (await call('attendees.list', { eventId: event.id, offset: 0, limit: 60 })) as unknown as { rows: { fullName: string; barcode: string }[] };
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
      host_start_to_events_list_ms: Math.round(startMs),
      renderer_heap_mb_50k_event_open: Number((heap.usedSize / 1024 / 1024).toFixed(1)),
      scroll_frame_p50_ms: pct(0.5),
      scroll_frame_p95_ms: pct(0.95),
      scroll_frame_max_ms: percentile(frames, 1, 1),
      scroll_frames: frames.length,
      scan_to_feedback_p50_ms: scanPct(0.5),
      scan_to_feedback_p95_ms: scanPct(0.95),
      scans: scans.length,
    };
  } finally {
    await browser.close();
    await host.kill();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
