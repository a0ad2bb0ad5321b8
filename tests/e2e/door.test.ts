// The door walked as desk staff do, in Debian's Chromium through the browser host, by visible text:
// a walk-in added from the desk is checked in and their badge is in the print queue; their name is
// corrected and the badge reprinted with the reason "name corrected".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, unlockAdmin, until } from '../helpers/e2e-flows.ts';

const T = { timeout: 180_000 };

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

async function printQueueRow(page: Page, name: string, reason: RegExp) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: /Print queue/ })
    .click();
  const row = page
    .getByRole('table', { name: 'Print jobs' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
    .filter({ hasText: reason });
  await row.filter({ hasText: 'Printed' }).first().waitFor({ timeout: 30_000 });
}

test(
  'a walk-in added at the desk is checked in, their badge printed; a corrected name is reprinted; a note set on the event page shows at the desk',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    await activeEvent(e, 'Door Summit', 20);
    const folder = mkdtempSync(join(tmpdir(), 'bd-e2e-door-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    const printer = await ipc(e, 'printers.add', {
      name: 'Badge PDFs',
      config: { kind: 'pdf_folder', folder },
    });
    await ipc(e, 'settings.update', { printerId: printer.id, autoPrint: true });
    await ipc(e, 'session.lock', {});
    await page.reload();

    await openDesk(page, 'Door Summit');
    const search = page.getByRole('searchbox', { name: 'Search attendees' });
    // Keyboard only: Alt+W opens the form from the search field, Escape closes it and the search
    // field has the focus again.
    await page.keyboard.press('Alt+KeyW');
    const form = page.getByRole('dialog', { name: 'Add a walk-in' });
    await form.waitFor();
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    assert.equal(await search.evaluate((el) => el === document.activeElement), true);
    // Again: the first name has the focus, Tab moves through last name, email, company and the
    // ticket, and Enter on the ticket registers.
    await page.keyboard.press('Alt+KeyW');
    await form.waitFor();
    await page.keyboard.type('Grace');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Hopper');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('US Navy');
    await page.keyboard.press('Tab');
    assert.equal(await form.getByLabel('Ticket').evaluate((el) => el === document.activeElement), true);
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached' });
    const panel = page.getByTestId('checkin-feedback');
    await panel.getByText('Walk-in checked in', { exact: true }).waitFor();
    await panel.getByText('Grace Hopper', { exact: true }).waitFor();
    await panel.getByText('Walk-in', { exact: true }).waitFor();
    await e.screenshot('door-walk-in');

    await printQueueRow(page, 'Grace Hopper', /At check-in|Check-in/i);

    // Back at the desk: found by the search, the name corrected, the badge reprinted.
    await openDesk(page, 'Door Summit');
    await page.keyboard.type('grace hop');
    await page.getByRole('grid', { name: 'Search results' }).getByText('Grace Hopper').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('button', { name: 'Correct name' }).click();
    const correct = page.getByRole('dialog', { name: 'Correct the badge name' });
    await correct.getByTestId('provider-record').getByText('Grace Hopper').waitFor();
    await correct.getByLabel(/Last name/).fill('Brewster Hopper');
    assert.equal(await correct.getByLabel('Print the badge again').isChecked(), true);
    await correct.getByRole('button', { name: 'Save' }).click();
    await correct.waitFor({ state: 'detached' });
    await panel.getByText('Name corrected — badge reprinting', { exact: true }).waitFor();
    await panel.getByText('Grace Brewster Hopper', { exact: true }).waitFor();
    await e.screenshot('door-name-corrected');

    await printQueueRow(page, 'Grace Brewster Hopper', /name corrected/);

    // An admin finds the walk-in with the list's filter and sets a note; the desk shows it, large.
    await unlockAdmin(page);
    await openEvent(page, 'Door Summit');
    await page.getByLabel('Walk-ins only').check();
    const list = page.getByRole('table', { name: 'Attendees' });
    await until(async () => (await list.getByRole('row').count()) === 2);
    await list.getByRole('button', { name: 'At the door: Grace Brewster Hopper' }).click();
    const door = page.getByRole('dialog', { name: 'At the door: Grace Brewster Hopper' });
    await door.getByLabel('Note, shown large at check-in').fill('VIP host: call Sam');
    await door.getByRole('button', { name: 'Save' }).click();
    await door.waitFor({ state: 'detached' });
    await list.getByText('Note', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
    await page.keyboard.type('grace');
    await page
      .getByRole('grid', { name: 'Search results' })
      .getByText('Grace Brewster Hopper')
      .first()
      .waitFor();
    // Chosen and Enter: already checked in, and the note shows on the answer panel, large.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await panel.getByText('Already checked in', { exact: true }).waitFor();
    await panel.getByTestId('answer-note').getByText('VIP host: call Sam', { exact: true }).waitFor();
    await e.screenshot('door-note-at-desk');
  },
);
