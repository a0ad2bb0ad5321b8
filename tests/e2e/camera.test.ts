// "Scan with camera" in Debian's Chromium through the browser host. Chromium's fake camera plays
// a video made of the recorded ticket frames: the QR code shown to it checks Zoë in, once, however
// long it is held up; a QR code of another site that names her checks no one in. Every request
// stays on the app's own origin (the decoder's WebAssembly included). With no camera, the desk
// says so and a scanner still checks people in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, scan } from '../helpers/e2e-flows.ts';
import { decodePng, y4mVideo } from '../helpers/png.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const T = { timeout: 240_000 };
const FRAMES = fileURLToPath(new URL('../fixtures/camera-frames/', import.meta.url));
const ZOE_CODE = '4417803921553019001';

/** A Y4M video of recorded frames, each held for `seconds` (at 10 frames a second); Chromium loops it. */
function cameraVideo(t: { after(fn: () => void): void }, shots: [file: string, seconds: number][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bd-camera-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const frames = shots.flatMap(([file, seconds]) =>
    Array.from({ length: seconds * 10 }, () => decodePng(readFileSync(join(FRAMES, file)))),
  );
  const path = join(dir, 'camera.y4m');
  writeFileSync(path, y4mVideo(frames, { fps: 10, repeat: 1 }));
  return path;
}

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

const feedback = (page: Page) => page.getByTestId('checkin-feedback');

test(
  'a QR code shown to the camera checks a person in, once; another site’s code checks no one in',
  T,
  async (t) => {
    const video = cameraVideo(t, [
      ['qr-eventbrite-phone.png', 2],
      ['no-code.png', 1],
      ['hostile-other-site.png', 2],
      ['no-code.png', 1],
    ]);
    const e = await startE2E(t, {
      browserArgs: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const { page } = e;
    const origin = new URL(e.host.url).origin;
    const requests: string[] = [];
    page.context().on('request', (r) => requests.push(r.url()));
    const { eventId } = await activeEvent(e, 'Camera Conf', 30, undefined, (providerEventId) => {
      e.sim.eventbrite.addAttendee(
        providerEventId,
        { firstName: 'Zoë', lastName: 'Müller' },
        { barcode: ZOE_CODE },
      );
    });
    await openDesk(page, 'Camera Conf');

    const camera = page.getByTestId('camera-scanner');
    await camera.getByRole('button', { name: 'Scan with camera' }).click();
    await camera.getByTestId('camera-ready').waitFor();
    assert.equal(
      await page.evaluate(`document.activeElement === document.querySelector('input[type=search]')`),
      true,
      'the field keeps the focus for the scanner',
    );
    await feedback(page).getByText('Checked in', { exact: true }).waitFor({ timeout: 30_000 });
    await feedback(page).getByText('Zoë Müller', { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'desk with the camera on');
    await e.screenshot('desk-camera');

    // The next code in the video is a link to another site naming her: refused, never looked up.
    await feedback(page)
      .getByText('This code is a link, not a ticket of this event')
      .waitFor({ timeout: 30_000 });
    // The video loops: Zoë's code comes round again, and another site's code, while the camera runs.
    await page.waitForTimeout(7_000);
    const log = await ipc(e, 'desk.log', { eventId, limit: 20 });
    assert.deepEqual(
      log.map((l) => [l.action, l.attendeeName]),
      [['check_in', 'Zoë Müller']],
      'one check-in, of Zoë, however long her code was held up',
    );

    // Turned off by keyboard (the answer at a glance may be covering the screen: it never takes the
    // keyboard), the camera stops.
    await camera.getByRole('button', { name: 'Scan with camera' }).focus();
    await page.keyboard.press('Enter');
    await camera.getByTestId('camera-ready').waitFor({ state: 'detached' });

    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    assert.deepEqual(foreign, [], 'no request leaves the app’s origin');
    assert.ok(
      requests.some((url) => url.startsWith(`${origin}/`) && /zxing_reader-[^/]*\.wasm$/.test(url)),
      'the decoder came from the app itself',
    );
  },
);

test('no camera: the desk says so, and the scanner and typing keep working', T, async (t) => {
  const e = await startE2E(t);
  const { page } = e;
  const { rows } = await activeEvent(e, 'No Camera Conf', 20);
  await openDesk(page, 'No Camera Conf');
  const camera = page.getByTestId('camera-scanner');
  await camera.getByRole('button', { name: 'Scan with camera' }).click();
  const problem = camera.getByTestId('camera-problem');
  await problem.waitFor();
  assert.match(await problem.innerText(), /The scanner and typing keep working\.$/);
  assert.equal(await problem.getAttribute('role'), 'alert');
  await expectNoAxeViolations(page, 'desk with no camera');

  const guest = rows.find((r) => r.status === 'ATTENDING' && r.barcode)!;
  await page.getByRole('searchbox', { name: 'Search attendees' }).focus();
  await scan(page, guest.barcode!);
  await feedback(page).getByText('Checked in', { exact: true }).waitFor();
  await feedback(page).getByText(guest.fullName, { exact: true }).waitFor();
});
