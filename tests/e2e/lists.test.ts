// Check-in lists walked as staff do, in Debian's Chromium through the browser host, by visible
// text: an admin makes a workshop list that admits VIP only and sets this desk to it; the desk
// refuses a General Admission ticket there, admits a VIP, and "inside now" goes up; the desk is
// put in exit mode, the VIP scanned out, and "inside now" goes down, on the desk and the event page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, openEvent, scan, unlockAdmin } from '../helpers/e2e-flows.ts';

const T = { timeout: 180_000 };

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

test(
  'a workshop list admits VIP only: GA refused, a VIP in, then out at an exit desk; inside now up and down',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { rows } = await activeEvent(e, 'Lists Summit', 30);
    const ga = rows.find((r) => r.ticketName === 'General Admission' && r.status === 'ATTENDING')!;
    const vip = rows.find((r) => r.ticketName === 'VIP' && r.status === 'ATTENDING')!;
    assert.ok(ga?.barcode && vip?.barcode, 'the seeded event has a GA and a VIP ticket');

    // The admin adds the list on the event page and sets this desk to it.
    await unlockAdmin(page);
    await openEvent(page, 'Lists Summit');
    const section = page.getByTestId('lists-section');
    await section.getByRole('button', { name: 'Add list' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a check-in list' });
    await dialog.getByLabel('Name').fill('Workshop');
    await dialog.getByLabel('Only these ticket types:').check();
    await dialog.getByLabel('VIP', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Save list' }).click();
    await dialog.waitFor({ state: 'detached' });
    const lists = section.getByRole('table', { name: 'Check-in lists' });
    await lists.getByRole('rowheader', { name: 'Workshop', exact: true }).waitFor();
    await section.getByLabel("This desk's list").selectOption({ label: 'Workshop' });
    await page.getByText('This desk’s list is saved').waitFor();

    await openDesk(page, 'Lists Summit');
    const header = page.getByTestId('desk-passage');
    await header.getByText('Workshop', { exact: true }).waitFor();
    await header.getByText('Inside now: 0', { exact: true }).waitFor();
    const panel = page.getByTestId('checkin-feedback');

    await scan(page, ga.barcode!);
    await panel.getByText('Not admitted', { exact: true }).waitFor();
    await panel.getByText('Not valid for Workshop — ticket: General Admission', { exact: true }).waitFor();
    await header.getByText('Inside now: 0', { exact: true }).waitFor();
    await e.screenshot('lists-refused');

    await scan(page, vip.barcode!);
    await panel.getByText('Checked in', { exact: true }).waitFor();
    await panel.getByText(vip.fullName, { exact: true }).waitFor();
    await header.getByText('Inside now: 1', { exact: true }).waitFor();

    // The same desk, now an exit desk: the VIP is scanned out.
    await openEvent(page, 'Lists Summit');
    await section.getByRole('cell', { name: '1', exact: true }).first().waitFor();
    await section.getByLabel('This desk records').selectOption({ label: 'Exits (exit mode)' });
    await page.getByText('This desk’s list is saved').first().waitFor();
    await openDesk(page, 'Lists Summit');
    await header.getByText('Workshop · Exit', { exact: true }).waitFor();
    await header.getByText('Inside now: 1', { exact: true }).waitFor();
    await scan(page, vip.barcode!);
    await panel.getByText('Checked out', { exact: true }).waitFor();
    await panel.getByText('Left Workshop', { exact: true }).waitFor();
    await header.getByText('Inside now: 0', { exact: true }).waitFor();
    // Scanning them out again is refused, plainly.
    await scan(page, vip.barcode!);
    await panel.getByText('Exit not recorded', { exact: true }).waitFor();
    await panel.getByText(`${vip.fullName} is not inside Workshop: no entry to close`).waitFor();
    await e.screenshot('lists-exit');

    await openEvent(page, 'Lists Summit');
    await section.getByText('Inside now: 0 in the venue', { exact: true }).waitFor();
    const row = lists
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Workshop', exact: true }) });
    assert.equal(await row.getByTestId('list-inside').textContent(), '0');
    // The charts are drawn (bundled uPlot): the arrivals chart names this desk.
    await section.getByTestId('arrivals-by-desk').waitFor();
    await section.getByTestId('inside-over-day').waitFor();
    await e.screenshot('lists-event-page');
  },
);
