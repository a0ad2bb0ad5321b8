// The answer at a glance in Debian's Chromium: green, amber and red near full screen with the
// ticket's band; a scanner's next code lands while it shows; it goes by itself; each outcome's
// sound, and a station with its sound off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, openSettings, scan, until } from '../helpers/e2e-flows.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { GLANCE_SHOW_MS } from '../../shared/glance.ts';

const T = { timeout: 180_000 };
const glance = (page: Page) => page.getByTestId('glance');

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

test(
  'green, amber, red at a glance, with the ticket band; the scanner keeps typing; it goes by itself',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { rows, eventId } = await activeEvent(e, 'Glance Conf', 40);
    const people = rows.filter((r) => r.status === 'ATTENDING' && r.barcode);
    const [first, vip] = people;
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    await ipc(e, 'attendees.setVip', { attendeeId: vip!.id, vip: true });
    await ipc(e, 'session.lock', {});
    await openDesk(page, 'Glance Conf');

    await scan(page, first!.barcode!);
    await glance(page).waitFor();
    assert.equal(await glance(page).getAttribute('data-glance'), 'admitted');
    assert.equal(await glance(page).getAttribute('data-sound'), 'admitted', 'the sound of an admission');
    await glance(page).getByText('Checked in', { exact: true }).waitFor();
    await glance(page).getByText(first!.fullName, { exact: true }).waitFor();
    await glance(page).getByText(first!.ticketName!, { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'desk with an answer at a glance');
    await e.screenshot('glance-admitted');

    // While it shows, the scanner's next code lands in the field: the glance turns to that person.
    await scan(page, vip!.barcode!);
    await glance(page).getByText('VIP checked in', { exact: true }).waitFor();
    await glance(page).getByText(`VIP · ${vip!.ticketName}`, { exact: true }).waitFor();
    assert.equal(
      await page.evaluate(`document.activeElement === document.querySelector('input[type=search]')`),
      true,
      'the field keeps the focus',
    );

    await scan(page, first!.barcode!);
    await glance(page).getByText('Already checked in', { exact: true }).waitFor();
    assert.equal(await glance(page).getAttribute('data-glance'), 'attention');
    await e.screenshot('glance-attention');

    await scan(page, '5000000000000000000');
    await glance(page).getByText('Not found', { exact: true }).waitFor();
    assert.equal(await glance(page).getAttribute('data-glance'), 'refused');
    assert.equal(await glance(page).getAttribute('data-sound'), 'refused');
    await e.screenshot('glance-refused');

    // No next scan: it goes by itself, and the panel keeps the answer.
    await glance(page).waitFor({ state: 'detached', timeout: GLANCE_SHOW_MS + 5_000 });
    await page.getByTestId('checkin-feedback').getByText('Not found', { exact: true }).waitFor();

    // A click puts it away at once, and the field keeps the focus.
    await scan(page, people[2]!.barcode!);
    await glance(page).waitFor();
    await glance(page).click();
    await glance(page).waitFor({ state: 'detached' });
    assert.equal(
      await page.evaluate(`document.activeElement === document.querySelector('input[type=search]')`),
      true,
    );
    assert.equal((await ipc(e, 'desk.log', { eventId, limit: 10 })).length, 3, 'three check-ins');
  },
);

test('sound off for this station: the glance shows, silent; the choice stays', T, async (t) => {
  const e = await startE2E(t);
  const { page } = e;
  const { rows } = await activeEvent(e, 'Quiet Conf', 10);
  const guest = rows.find((r) => r.status === 'ATTENDING' && r.barcode)!;
  await openSettings(page);
  const section = page.getByTestId('answer-sound');
  // Each change is saved for the station as it is made.
  const saved = (sound: { on: boolean; volume: number }) =>
    until(async () => JSON.stringify(await ipc(e, 'station.answerSound', {})) === JSON.stringify(sound));
  await section.getByLabel('Play a sound for each answer').uncheck();
  await saved({ on: false, volume: 0.6 });
  await section.getByLabel('Play a sound for each answer').check();
  await section.getByLabel('Volume').fill('30');
  await saved({ on: true, volume: 0.3 });
  await section.getByLabel('Play a sound for each answer').uncheck();
  await saved({ on: false, volume: 0.3 });

  await page.reload();
  await openDesk(page, 'Quiet Conf');
  await scan(page, guest.barcode!);
  await glance(page).waitFor();
  assert.equal(await glance(page).getAttribute('data-glance'), 'admitted');
  assert.equal(await glance(page).getAttribute('data-sound'), 'off');
});
