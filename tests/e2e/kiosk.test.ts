// Kiosk self check-in in Debian's Chromium, by visible text and the keyboard alone: an admin turns
// the station into a kiosk; an attendee scans, corrects the name on the badge and is told where to
// collect it; the kiosk forgets them after 20 seconds; a cancelled ticket and a typed name are
// answered calmly with no list; leaving needs the admin PIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, scan, unlockAdmin } from '../helpers/e2e-flows.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { KIOSK_IDLE_MS } from '../../shared/kiosk.ts';

const T = { timeout: 240_000 };
const screen = (page: Page) => page.getByTestId('kiosk-screen');
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

test(
  'kiosk: scan, confirm a corrected name, badge queued, reset after 20 s; a cancelled ticket goes to staff; leaving needs the PIN',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, dataDir } = e;
    // The page's clock runs as usual, and the test moves it on instead of waiting out the kiosk's 20 s.
    await page.clock.install();
    let cancelledId = '';
    const { eventId, rows } = await activeEvent(e, 'Kiosk Conf', 20, undefined, (providerEventId) => {
      e.sim.eventbrite.addAttendee(
        providerEventId,
        { firstName: 'Zoe', lastName: 'Müller' },
        { barcode: 'KIOSK-4417-0001' },
      );
      cancelledId = e.sim.eventbrite.addAttendee(
        providerEventId,
        { firstName: 'Carl', lastName: 'Cancelled' },
        { barcode: 'KIOSK-4417-0002' },
      );
      e.sim.eventbrite.cancelAttendee(providerEventId, cancelledId);
    });
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    const printer = await ipc(e, 'printers.add', {
      name: 'Kiosk PDF',
      config: { kind: 'pdf_folder', folder: join(dataDir, 'badges') },
    });
    await ipc(e, 'settings.update', { printerId: printer.id, autoPrint: true });
    await ipc(e, 'session.lock', {});
    await page.reload();

    // An admin turns the station into a kiosk for this event.
    await unlockAdmin(page);
    await openEvent(page, 'Kiosk Conf');
    await page.getByRole('button', { name: 'Use as kiosk…' }).click();
    const start = page.getByRole('dialog', { name: 'Use this station as a kiosk' });
    await start.getByLabel('Where do people collect their badge?').fill('the badge table by the door');
    await start.getByRole('button', { name: 'Start kiosk' }).click();
    await heading(page, 'Scan your ticket').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'nothing but the kiosk');
    assert.equal((await ipc(e, 'app.snapshot', {})).session.role, 'operator', 'the admin is locked');
    await expectNoAxeViolations(page, 'kiosk: first screen');

    // A name typed instead of an email: asked for the email or order code, and shown no one.
    const other = rows.find((r) => r.status === 'ATTENDING')!;
    await page.keyboard.type(other.fullName);
    await page.keyboard.press('Enter');
    await heading(page, 'Your email or order code').waitFor();
    await screen(page).getByText('Please type the email you registered with, or your order code.').waitFor();
    assert.equal(await page.getByText(other.fullName, { exact: true }).count(), 0, 'no one is listed');

    // A scan: the person's own name, which they correct, by keyboard alone.
    await scan(page, 'KIOSK-4417-0001');
    await heading(page, 'Is this the name on your badge?').waitFor();
    const first = page.getByLabel('First name');
    assert.equal(await first.inputValue(), 'Zoe');
    await expectNoAxeViolations(page, 'kiosk: confirm name');
    await first.fill('Zoë');
    await page.keyboard.press('Enter');
    await heading(page, "You're checked in, Zoë Müller").waitFor();
    await screen(page)
      .getByText('Your badge is printing. Collect it at the badge table by the door.')
      .waitFor();
    await expectNoAxeViolations(page, 'kiosk: checked in');
    const jobs = await ipc(e, 'print.jobs', { eventId, limit: 10 });
    assert.equal(jobs.length, 1, 'her badge is queued');

    // Not before 20 seconds without input; then the first screen again, and her name is gone.
    await page.clock.fastForward(KIOSK_IDLE_MS - 2_000);
    assert.equal(await heading(page, "You're checked in, Zoë Müller").count(), 1, 'still hers before 20 s');
    await page.clock.fastForward(2_000);
    await heading(page, 'Scan your ticket').waitFor();
    assert.equal(await page.getByText('Zoë Müller').count(), 0, 'no personal data on screen');

    // A cancelled ticket: a calm "please see staff".
    await scan(page, 'KIOSK-4417-0002');
    await heading(page, 'Please see staff').waitFor();
    await screen(page)
      .getByText('Your ticket needs a quick check. Please see a member of staff at the desk.')
      .waitFor();
    await expectNoAxeViolations(page, 'kiosk: see staff');

    // Leaving needs the admin PIN: a wrong one is refused, the kiosk stays.
    await page.getByRole('button', { name: 'Staff: leave kiosk' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave kiosk mode' });
    await leave.getByLabel('Admin PIN').fill('1111');
    await leave.getByRole('button', { name: 'Leave kiosk' }).click();
    await leave.getByText('wrong PIN').waitFor();
    assert.notEqual(await ipc(e, 'kiosk.status', {}), null, 'still a kiosk');
    await leave.getByLabel('Admin PIN').fill(ADMIN_PIN);
    await leave.getByRole('button', { name: 'Leave kiosk' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.equal(await ipc(e, 'kiosk.status', {}), null);

    // Her correction was made at the kiosk; the provider's name is kept beside it.
    const zoe = (await ipc(e, 'desk.search', { eventId, query: 'KIOSK-4417-0001' })).rows[0]!;
    assert.equal(zoe.fullName, 'Zoë Müller');
    assert.match(zoe.correction?.stationName ?? '', /\(kiosk\)$/);
    assert.match(zoe.checkedIn?.station ?? '', /\(kiosk\)$/);
  },
);
