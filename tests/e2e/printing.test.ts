// Badge printing walked as staff do, in Debian's Chromium through the browser host: an admin adds
// a label printer (a ZPL stand-in on 127.0.0.1) and turns on printing at check-in; the desk scans;
// the printer goes off and comes back; the template screen previews real attendees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, openSettings, scan, unlockAdmin, until } from '../helpers/e2e-flows.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';

const T = { timeout: 180_000 };

test(
  'an admin adds a label printer; a scan checks in and prints once; the printer off never stops the desk; it catches up when back',
  T,
  async (t) => {
    const zpl = await startZplStandIn();
    t.after(() => zpl.close());
    const e = await startE2E(t);
    const { page } = e;
    const { rows } = await activeEvent(e, 'Label Summit', 60);

    await unlockAdmin(page);
    await openSettings(page);
    const printers = page.getByRole('region', { name: 'Printers' });
    await printers.getByRole('button', { name: 'Add printer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add printer' });
    await dialog.getByLabel('Name').fill('Front desk Zebra');
    await dialog.getByLabel('Type').selectOption({ label: 'Label printer (ZPL over TCP 9100)' });
    await dialog.getByLabel('Host').fill('127.0.0.1');
    await dialog.getByLabel('Port').fill(String(zpl.port));
    await dialog.getByRole('button', { name: 'Add printer' }).click();
    await dialog.waitFor({ state: 'detached' });
    await printers.getByText('Front desk Zebra').first().waitFor();
    await printers.getByLabel('Print badges on').selectOption({ label: 'Front desk Zebra' });
    await printers.getByLabel('Print a badge at check-in').check();
    await until(async () => (await ipc(e, 'app.snapshot', {})).settings.autoPrint);
    await e.screenshot('settings-printers');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();

    await openEvent(page, 'Label Summit');
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('searchbox', { name: 'Search attendees' }).waitFor();
    const guest = rows[0]!;
    await scan(page, guest.barcode!);
    await page.getByTestId('checkin-feedback').getByText(guest.fullName, { exact: true }).waitFor();
    const [label] = await zpl.waitForLabels(1);
    assert.ok(label!.fields.includes(guest.firstName!), JSON.stringify(label!.fields));
    assert.ok(label!.fields.includes(`MA,${guest.barcode}`));
    await page.getByTestId('auto-print-status').getByText('Printed').waitFor();

    // The printer goes off: the desk goes on; the badges wait in the queue and print when it returns.
    await zpl.setOnline(false);
    const next = rows.slice(1, 4);
    for (const g of next) {
      await scan(page, g.barcode!);
      await page.getByTestId('checkin-feedback').getByText(g.fullName, { exact: true }).waitFor();
    }
    await page
      .getByTestId('auto-print-status')
      .getByText(/Printer problem: .*ECONNREFUSED.* — check-in is done/)
      .waitFor({ timeout: 30_000 });
    assert.equal((await ipc(e, 'events.get', { eventId: guest.eventId })).counts.checkedIn, 4);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Print queue/ })
      .click();
    const jobs = page.getByRole('table', { name: 'Print jobs' });
    await jobs.getByText('Queued').first().waitFor();
    await e.screenshot('print-queue-printer-off');
    await zpl.setOnline(true);
    await zpl.waitForLabels(4);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('table[aria-label="Print jobs"] tbody tr')].filter((r) =>
          r.textContent?.includes('Printed'),
        ).length === 4,
      undefined,
      { timeout: 60_000 },
    );
    assert.deepEqual(
      new Set(zpl.labels.slice(1).map((l) => l.fields[0])),
      new Set(next.map((g) => g.firstName)),
      'each waiting badge once',
    );
  },
);

test(
  'badge templates: the default exists, the preview shows a real attendee, a hostile name stays text',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, sim } = e;
    const { providerEventId, eventId } = await activeEvent(e, 'Template Fair', 5);
    sim.eventbrite.addAttendee(providerEventId, {
      firstName: '<img src=x onerror=alert(1)>',
      lastName: 'Ωmega-Żółć',
      ticketName: 'General Admission',
    });
    await until(async () => (await ipc(e, 'events.get', { eventId })).counts.total >= 6);

    await unlockAdmin(page);
    await openSettings(page);
    const templates = page.getByRole('region', { name: 'Badge templates' });
    await templates.getByText('Standard badge').waitFor();
    await templates.getByRole('button', { name: 'Edit Standard badge' }).click();
    const preview = templates.getByRole('img', { name: /^Badge preview for / });
    await preview.waitFor();
    // Walk to the hostile name: it is drawn as SVG text, never parsed as markup.
    for (let i = 0; i < 6 && !(await preview.getAttribute('aria-label'))!.includes('<img'); i++) {
      const before = await preview.getAttribute('aria-label');
      await templates.getByRole('button', { name: 'Next person' }).click();
      await page.waitForFunction(
        (b) =>
          document.querySelector('svg[aria-label^="Badge preview for"]')?.getAttribute('aria-label') !== b,
        before,
      );
    }
    // A long name wraps to two lines: join the lines back.
    const texts = (await preview.locator('text').allTextContents()).join(' ');
    assert.ok(texts.includes('<img src=x onerror=alert(1)>'), texts);
    assert.equal(await page.locator('svg img, img[src=x]').count(), 0);
    await e.screenshot('settings-badge-template');

    // The preview follows the form before it is saved: 4 × 6 in is 288 × 432 points.
    await templates.getByLabel('Page size').selectOption({ label: '4 × 6 in' });
    await page.waitForFunction(
      () =>
        document.querySelector('svg[aria-label^="Badge preview for"]')?.getAttribute('viewBox') ===
        '0 0 288 432',
    );
  },
);
