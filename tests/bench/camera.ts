// Camera figures in Debian's Chromium through the browser host, on the recorded frames
// (tests/fixtures/camera-frames):
// - decode: the 1280×720 frame with a QR code, decoded 60 times in the worker the desk uses (the
//   built app's own decode-worker and WebAssembly); the worker's own time per frame, and the
//   round trip from the page.
// - frame to feedback: Chromium's fake camera plays the recorded tickets (a QR code, a Code 128
//   and a PDF417, with blank frames between), the desk's camera mode scans them, and each answer's
//   time on screen is taken from the frame the code was read in (the camera's presentation time).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../main/simulator/index.ts';
import { CHROMIUM_PATH, spawnHost } from '../helpers/e2e.ts';
import { decodePng, y4mVideo } from '../helpers/png.ts';
import { ANSWER_SHOWN_MARK, CAMERA_SCAN_MARK } from '../../renderer/src/ui/marks.ts';
import { percentile } from './stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FRAMES = join(ROOT, 'tests', 'fixtures', 'camera-frames');
const DECODES = 60;
/** How long the fake camera plays the recorded tickets while answers are timed. */
const PLAY_MS = 40_000;

export interface CameraFigures {
  decode_p50_ms: number;
  decode_p95_ms: number;
  decode_round_trip_p95_ms: number;
  decodes: number;
  frame_to_feedback_p50_ms: number;
  frame_to_feedback_p95_ms: number;
  frame_to_feedback_max_ms: number;
  /** The camera's first scan, which also starts the worker and compiles the decoder. */
  frame_to_feedback_first_scan_ms: number;
  scans: number;
}

const TICKETS: [file: string, barcode: string, first: string, last: string][] = [
  ['qr-eventbrite-phone.png', '4417803921553019001', 'Zoë', 'Müller'],
  ['code128-paper.png', 'BD-2026-000417', 'Kwame', 'Mensah'],
  ['pdf417-paper.png', '4417803921553020001', 'Siobhán', 'Fitzgerald'],
];

export async function measureCamera(): Promise<CameraFigures | { skipped: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-camerabench-'));
  const sim = await startSimulator({ now: () => Date.now() - 24 * 3600_000 });
  const frame = (file: string) => decodePng(readFileSync(join(FRAMES, file)));
  // A ticket a second, a blank second between: each code comes round every 6 s (a new scan each time).
  const blank = frame('no-code.png');
  const shots = TICKETS.flatMap(([file]) => [blank, frame(file)]);
  const video = join(dataDir, 'tickets.y4m');
  writeFileSync(video, y4mVideo(shots, { fps: 10, repeat: 10 }));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  let host: Awaited<ReturnType<typeof spawnHost>> | null = null;
  try {
    const account = sim.eventbrite.addAccount({ email: 'camera@example.com', name: 'Camera' });
    const providerEventId = sim.eventbrite.addEvent(account.token, { name: 'Camera Bench' });
    sim.eventbrite.seedAttendees(providerEventId, 200);
    for (const [, barcode, firstName, lastName] of TICKETS)
      sim.eventbrite.addAttendee(providerEventId, { firstName, lastName }, { barcode });
    host = await spawnHost(dataDir, {
      BADGE_DESK_EVENTBRITE_URL: sim.eventbrite.baseUrl,
      BADGE_DESK_LUMA_URL: sim.luma.baseUrl,
      BADGE_DESK_ADMIN_PIN: '2468',
    });
    const url = new URL(host.url);
    const call = async (channel: string, input: unknown) => {
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
    const integration = await call('integrations.connect', {
      provider: 'eventbrite',
      credential: account.token,
    });
    const event = await call('events.import', { integrationId: integration.id, providerEventId });
    for (;;) {
      if ((await call('events.get', { eventId: event.id })).status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await call('session.lock', {});

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Camera Bench' }).click();
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('main', { name: 'Check-in desk' }).waitFor();

    // Decode: the desk's own worker and WebAssembly, from the built app.
    const worker = readdirSync(join(ROOT, 'out', 'renderer', 'assets')).find((f) =>
      /^decode-worker-.*\.js$/.test(f),
    );
    if (!worker) return { skipped: 'no decode worker in out/renderer: build the renderer first' };
    const png = readFileSync(join(FRAMES, 'qr-hd-1280x720.png')).toString('base64');
    const decode = (await page.evaluate(
      async ({ workerUrl, png, n }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${png}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(img, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
        const w = new Worker(workerUrl, { type: 'module' });
        const inWorker: number[] = [];
        const roundTrip: number[] = [];
        let text = '';
        for (let id = 1; id <= n; id++) {
          const started = performance.now();
          const answer = await new Promise<{ codes: { text: string }[]; decodeMs: number }>(
            (resolve, reject) => {
              w.onmessage = (e) => ('error' in e.data ? reject(new Error(e.data.error)) : resolve(e.data));
              w.postMessage({
                id,
                pixels: { width: pixels.width, height: pixels.height, data: pixels.data },
              });
            },
          );
          roundTrip.push(performance.now() - started);
          inWorker.push(answer.decodeMs);
          text = answer.codes[0]?.text ?? '';
        }
        w.terminate();
        return { inWorker, roundTrip, text };
      },
      { workerUrl: `./assets/${worker}`, png, n: DECODES + 5 },
    )) as { inWorker: number[]; roundTrip: number[]; text: string };
    if (decode.text !== '4417803921553019001') throw new Error(`the decode bench read "${decode.text}"`);
    // The first decodes compile and warm the WebAssembly: left out.
    const inWorker = decode.inWorker.slice(5);
    const roundTrip = decode.roundTrip.slice(5);

    // Frame to feedback: the camera mode on the fake camera's recorded tickets.
    const camera = page.getByTestId('camera-scanner');
    await camera.getByRole('button', { name: 'Scan with camera' }).click();
    await camera.getByTestId('camera-ready').waitFor();
    await page.waitForTimeout(PLAY_MS);
    const marks = (await page.evaluate(
      ({ scanMark, shownMark }) =>
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name === scanMark || m.name === shownMark)
          .map((m) => ({
            name: m.name,
            time: m.startTime,
            at: (m as PerformanceMark).detail?.at ?? m.startTime,
          })),
      { scanMark: CAMERA_SCAN_MARK, shownMark: ANSWER_SHOWN_MARK },
    )) as { name: string; time: number; at: number }[];
    const scans = marks.filter((m) => m.name === CAMERA_SCAN_MARK);
    const shown = marks.filter((m) => m.name === ANSWER_SHOWN_MARK).sort((a, b) => a.time - b.time);
    const feedback: number[] = [];
    for (const scan of scans) {
      const answer = shown.find((s) => s.time >= scan.at);
      if (answer) feedback.push(answer.time - scan.time);
    }
    if (feedback.length < 5) throw new Error(`only ${feedback.length} camera scans reached the screen`);
    // The first scan also waits for the worker to start and compile its WebAssembly: said apart.
    const [first, ...warm] = feedback;
    return {
      decode_p50_ms: percentile(inWorker, 0.5),
      decode_p95_ms: percentile(inWorker, 0.95),
      decode_round_trip_p95_ms: percentile(roundTrip, 0.95),
      decodes: inWorker.length,
      frame_to_feedback_p50_ms: percentile(warm, 0.5),
      frame_to_feedback_p95_ms: percentile(warm, 0.95),
      frame_to_feedback_max_ms: Number(Math.max(...warm).toFixed(2)),
      frame_to_feedback_first_scan_ms: Number(first!.toFixed(2)),
      scans: warm.length,
    };
  } finally {
    await browser.close().catch(() => undefined);
    await host?.kill();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `npx tsx tests/bench/camera.ts`: this section alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await measureCamera()));
}
