// Every screen audited with axe-core (WCAG 2.1 A and AA) in Debian's Chromium: the events list,
// an event's page, the desk with a full result list and an answer on its panel, the print queue,
// Settings, the venue's panel, and the storage notice after a damaged database. Zero violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import {
  activeEvent,
  ipc,
  openEvent,
  openEvents,
  openSettings,
  scan,
  unlockAdmin,
} from '../helpers/e2e-flows.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

const T = { timeout: 300_000 };

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

/** The company most people share: typing it fills the result list. */
function commonCompany(rows: { company: string | null }[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.company) counts.set(r.company, (counts.get(r.company) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

test('axe: zero WCAG 2.1 A and AA violations on every screen', T, async (t) => {
  const e = await startE2E(t, { env: { BADGE_DESK_VENUE_LISTEN: '127.0.0.1' } });
  const { page, dataDir } = e;
  const { rows, eventId, providerEventId } = await activeEvent(e, 'Axe Conference', 120);
  const people = rows.filter((r) => r.status === 'ATTENDING' && r.barcode);
  await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
  const printer = await ipc(e, 'printers.add', {
    name: 'Front desk PDF',
    config: { kind: 'pdf_folder', folder: join(dataDir, 'badges') },
  });
  await ipc(e, 'settings.update', { printerId: printer.id, autoPrint: true });
  // The result list shows every marker a row can carry: checked in, VIP, needs attention, not attending.
  const company = commonCompany(people);
  const sameCompany = people.filter((p) => p.company === company);
  for (const p of sameCompany.slice(0, 3))
    await ipc(e, 'desk.checkIn', { eventId, actionId: crypto.randomUUID(), attendeeId: p.id });
  await ipc(e, 'attendees.setVip', { attendeeId: sameCompany[3]!.id, vip: true });
  await ipc(e, 'door.setAttention', {
    attendeeId: sameCompany[4]!.id,
    actionId: crypto.randomUUID(),
    reason: 'Check the ID',
  });
  e.sim.eventbrite.cancelAttendee(providerEventId, sameCompany[5]!.providerAttendeeId);
  await ipc(e, 'session.lock', {});
  await page.reload();

  await t.test('events list', async () => {
    await openEvents(page);
    await page.getByRole('heading', { name: 'Axe Conference' }).waitFor();
    await expectNoAxeViolations(page, 'events list');
  });

  await t.test('event page', async () => {
    await openEvent(page, 'Axe Conference');
    await page.getByTestId('total-attendees').waitFor();
    await expectNoAxeViolations(page, 'event page');
  });

  await t.test('desk: the result list and the answer panel', async () => {
    await openDesk(page, 'Axe Conference');
    await scan(page, people.find((p) => p.company !== company)!.barcode!);
    await page.getByTestId('checkin-feedback').getByText('Checked in', { exact: true }).waitFor();
    await page.keyboard.type(company.slice(0, 5));
    const results = page.getByRole('grid', { name: 'Search results' });
    await results.getByRole('row').nth(5).waitFor();
    await page.keyboard.press('ArrowDown');
    await expectNoAxeViolations(page, 'desk');
    await page.keyboard.press('Escape');

    // Each tone of the answer panel: not found (red), needs attention (amber), VIP (gold).
    await scan(page, '5000000000000000000');
    await page.getByTestId('checkin-feedback').getByText('Not found', { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'desk: not found');
    await scan(page, sameCompany[4]!.barcode!);
    await page.getByTestId('answer-attention').waitFor();
    await expectNoAxeViolations(page, 'desk: needs attention');
    await scan(page, sameCompany[3]!.barcode!);
    await page.getByTestId('checkin-feedback').getByText('VIP checked in', { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'desk: VIP');

    // The live region says every answer, the same one twice included.
    const announcer = page.getByTestId('desk-announcer');
    await scan(page, sameCompany[3]!.barcode!);
    await announcer.getByText(`Already checked in. ${sameCompany[3]!.fullName}`).waitFor();
    const first = await announcer.locator('[aria-live]').allInnerTexts();
    await scan(page, sameCompany[3]!.barcode!);
    await page.waitForFunction(
      (before) =>
        JSON.stringify(
          [...document.querySelectorAll('[data-testid=desk-announcer] [aria-live]')].map(
            (n) => n.textContent,
          ),
        ) !== before,
      JSON.stringify(first),
    );
    const spoken = (await announcer.locator('[aria-live]').allInnerTexts()).filter((x) => x.trim() !== '');
    assert.equal(spoken.length, 1, 'one region speaks at a time');
    assert.match(spoken[0]!, new RegExp(`^Already checked in\\. ${sameCompany[3]!.fullName}`));

    // The walk-in form, opened by keyboard.
    await page.keyboard.press('Alt+w');
    await page.getByRole('dialog').waitFor();
    await expectNoAxeViolations(page, 'desk: walk-in dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  await t.test('print queue', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Print queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Print queue' }).waitFor();
    await expectNoAxeViolations(page, 'print queue');
  });

  await t.test('settings, as an admin', async () => {
    await unlockAdmin(page);
    await openSettings(page);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expectNoAxeViolations(page, 'settings');
  });

  await t.test('venue panel with a venue started', async () => {
    const venue = page.getByTestId('venue-section');
    await venue.getByRole('button', { name: 'Start a venue' }).click();
    const start = page.getByRole('dialog', { name: 'Start a venue' });
    await start.getByLabel('Venue name').fill('Main hall');
    await expectNoAxeViolations(page, 'start a venue dialog');
    await start.getByRole('button', { name: 'Start venue' }).click();
    await start.waitFor({ state: 'detached' });
    await venue.getByRole('img', { name: 'The pairing code as a QR code' }).waitFor();
    await expectNoAxeViolations(page, 'venue panel');
  });

  await t.test('storage: the damaged database notice', async () => {
    await e.host.kill();
    // The file's header overwritten: nothing of it reads as a database.
    writeFileSync(join(dataDir, 'badge-desk.sqlite'), Buffer.alloc(8192, 0x5a));
    await e.restartHost();
    await unlockAdmin(page);
    await openEvents(page);
    const notice = page.getByTestId('damaged-database-notice');
    await notice.getByText('The database was damaged; Badge Desk started with a fresh one').waitFor();
    await expectNoAxeViolations(page, 'damaged database notice');
  });
  assert.ok(true);
});
