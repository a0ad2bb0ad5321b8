// The desk at a real door, in Debian's Chromium through the browser host, by visible text: three
// letters and Enter admit no one when several match; a desk whose import failed says its list is
// incomplete, and its "not found" says so too; "Print badge only" leaves the count alone and says
// so; a desk with no printer says once that badges are not printing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, scan, until } from '../helpers/e2e-flows.ts';

const T = { timeout: 180_000 };

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

const searchField = (page: Page) => page.getByRole('searchbox', { name: 'Search attendees' });
const feedback = (page: Page) => page.getByTestId('checkin-feedback');
const results = (page: Page) => page.getByRole('grid', { name: 'Search results' });
const counter = (page: Page) => page.getByTestId('desk-checked-in');

test(
  'three letters and Enter with several matches admit no one; the panel asks, and ↓ Enter admits the chosen person',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { rows, eventId } = await activeEvent(e, 'Door Summit', 300);
    await openDesk(page, 'Door Summit');
    const attending = rows.filter((r) => r.status === 'ATTENDING').length;
    await counter(page).getByText(`0 / ${attending}`).waitFor();

    // Three letters of a surname several guests share.
    const shared = rows.find(
      (r) =>
        /^[A-Za-z]{3}/.test(r.lastName ?? '') &&
        rows.filter((o) => o.lastName?.slice(0, 3) === r.lastName!.slice(0, 3)).length > 1,
    )!;
    const letters = shared.lastName!.slice(0, 3);
    await page.keyboard.type(letters);
    await results(page).getByRole('row').nth(1).waitFor();
    assert.equal(await results(page).locator('[aria-selected=true]').count(), 0, 'no one chosen yet');
    await page.keyboard.press('Enter');
    await feedback(page).getByText('Several match: choose with ↑ ↓, then Enter').waitFor();
    assert.equal(await searchField(page).inputValue(), letters, 'the text stays');
    assert.equal(
      await results(page).getByRole('row').first().getAttribute('aria-selected'),
      'true',
      'Enter moved to the first row',
    );
    assert.deepEqual(await ipc(e, 'desk.log', { eventId, limit: 5 }), [], 'no one admitted');
    await counter(page).getByText(`0 / ${attending}`).waitFor();
    await e.screenshot('desk-several-match');

    // Typed as fast as a scanner, Enter before any result arrives: still no one.
    await page.keyboard.press('Escape');
    await page.keyboard.type(letters, { delay: 0 });
    await page.keyboard.press('Enter');
    await feedback(page).getByText('Several match: choose with ↑ ↓, then Enter').waitFor();
    await results(page).getByRole('row').nth(1).waitFor();
    assert.equal(await searchField(page).inputValue(), letters);
    assert.deepEqual(await ipc(e, 'desk.log', { eventId, limit: 5 }), []);

    // ↓ and Enter: the person moved to is admitted, and only them.
    await page.keyboard.press('ArrowDown');
    const second = results(page).getByRole('row').nth(1);
    assert.equal(await second.getAttribute('aria-selected'), 'true');
    const secondName = (await second.innerText()).split('\n')[0]!.trim();
    await page.keyboard.press('Enter');
    await feedback(page).getByText('Checked in', { exact: true }).waitFor();
    await feedback(page).getByText(secondName, { exact: true }).waitFor();
    const log = await ipc(e, 'desk.log', { eventId, limit: 5 });
    assert.deepEqual(
      log.map((l) => l.attendeeName),
      [secondName],
    );
    await counter(page).getByText(`1 / ${attending}`).waitFor();
  },
);

test(
  'a desk on a failed import says its list is incomplete, and "not found" says so too; the typed name stays, selected',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, sim } = e;
    const account = sim.eventbrite.addAccount({ email: 'door@venue.example', name: 'Door' });
    const providerEventId = sim.eventbrite.addEvent(account.token, { name: 'Broken Import' });
    e.inThePast(() => sim.eventbrite.seedAttendees(providerEventId, 40));
    // The first import breaks off on bad pages, as the demo's "Volunteer Onboarding" does.
    sim.eventbrite.failNext(4, 'malformed', { pathIncludes: `${providerEventId}/attendees` });
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    const integration = await ipc(e, 'integrations.connect', {
      provider: 'eventbrite',
      credential: account.token,
    });
    const event = await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
    await until(async () => {
      const now = await ipc(e, 'events.get', { eventId: event.id });
      return now.status === 'PENDING' && now.activeJob === null;
    });
    await ipc(e, 'session.lock', {});
    await page.reload();
    await openDesk(page, 'Broken Import');

    const banner = page.getByTestId('desk-list');
    await banner.getByText('List incomplete: the import failed').waitFor();
    await banner.getByText('Registered people may be missing. Ask an admin to Retry.').waitFor();
    await e.screenshot('desk-import-failed');

    await page.keyboard.type('aik');
    const note = 'The list may be missing people (the import failed). Try their email or order code.';
    await page.getByText('No one matches “aik”').first().waitFor();
    await page.getByText(note).first().waitFor();
    await page.keyboard.press('Enter');
    await feedback(page).getByText('Not found', { exact: true }).waitFor();
    await feedback(page).getByText('No one matches “aik”').waitFor();
    await feedback(page).getByText(note).waitFor();
    assert.equal(await searchField(page).inputValue(), 'aik', 'the typed name stays');
    await page.waitForFunction(
      `(() => { const f = document.querySelector('input[type=search]'); return f.selectionStart === 0 && f.selectionEnd === 3; })()`,
    );
    // The next keystroke replaces it.
    await page.keyboard.type('b');
    assert.equal(await searchField(page).inputValue(), 'b');
  },
);

test(
  '"Print badge only" leaves the count unchanged and says so; the panel shows that person, not the one before',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, dataDir } = e;
    const { rows, eventId } = await activeEvent(e, 'Badge Table', 40);
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    const printer = await ipc(e, 'printers.add', {
      name: 'Front desk PDF',
      config: { kind: 'pdf_folder', folder: `${dataDir}/badges` },
    });
    await ipc(e, 'settings.update', { printerId: printer.id, autoPrint: true });
    await ipc(e, 'session.lock', {});
    await page.reload();
    await openDesk(page, 'Badge Table');
    assert.equal(await page.getByTestId('badges-not-printing').count(), 0, 'badges print here');

    const [first, guest] = rows.filter((r) => r.status === 'ATTENDING');
    await scan(page, first!.barcode!);
    await feedback(page).getByText(first!.fullName, { exact: true }).waitFor();
    await counter(page).getByText(/^1 \//).waitFor();

    await page.keyboard.type(guest!.barcode!);
    const row = results(page).getByRole('row', { name: new RegExp(guest!.fullName) });
    await row.getByRole('button', { name: 'Print badge only' }).click();
    await feedback(page).getByText('Badge printed — not checked in').waitFor();
    await feedback(page).getByText(guest!.fullName, { exact: true }).waitFor();
    assert.equal(await feedback(page).getByText(first!.fullName).count(), 0, 'not the person before');
    await feedback(page)
      .getByTestId('auto-print-status')
      .getByText(/Front desk PDF/)
      .waitFor();
    await e.screenshot('desk-print-badge-only');

    await counter(page).getByText(/^1 \//).waitFor();
    assert.equal((await ipc(e, 'events.get', { eventId })).counts.checkedIn, 1, 'the count is unchanged');
    assert.deepEqual(
      (await ipc(e, 'desk.log', { eventId, limit: 5 })).map((l) => l.attendeeId),
      [first!.id],
    );
    const jobs = await ipc(e, 'print.jobs', { eventId, limit: 10 });
    assert.ok(jobs.some((j) => j.attendeeId === guest!.id && j.reason === 'manual'));
  },
);

test(
  'no printer: the desk says once that badges are not printing, and the print queue says the same',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { rows } = await activeEvent(e, 'Printless Expo', 30);
    await openDesk(page, 'Printless Expo');
    const text = 'Badges are not printing at this desk — set a printer in Settings';
    await page.getByText(text).waitFor();

    // Check-ins go on, and the notice is said once, not per check-in.
    for (const guest of rows.filter((r) => r.status === 'ATTENDING').slice(0, 2)) {
      await scan(page, guest.barcode!);
      await feedback(page).getByText(guest.fullName, { exact: true }).waitFor();
    }
    assert.equal(await page.getByText(text).count(), 1);
    assert.equal(await feedback(page).getByTestId('auto-print-status').count(), 0);
    await e.screenshot('desk-not-printing');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Print queue/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Print queue' }).waitFor();
    await page.getByText(text).waitFor();
  },
);

test(
  "the demo workspace's desks say how complete each list is; the failed sync's alert never says it gave up",
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    await page.getByRole('button', { name: 'Start demo workspace' }).click();
    await page.getByRole('article', { name: 'Volunteer Onboarding' }).getByText('Import failed').waitFor({
      timeout: 60_000,
    });

    // The summit syncs: its desk has nothing to say of its list, and "ama" with Enter admits no one.
    await openDesk(page, 'Badge Desk Summit 2026');
    assert.equal(await page.getByTestId('desk-list').count(), 0);
    await page.keyboard.type('ama');
    await results(page).getByRole('row').nth(1).waitFor();
    await page.keyboard.press('Enter');
    await feedback(page).getByText('Several match: choose with ↑ ↓, then Enter').waitFor();
    await counter(page).getByText(/^0 \//).waitFor();

    await openDesk(page, 'Volunteer Onboarding');
    await page.getByTestId('desk-list').getByText('List incomplete: the import failed').waitFor();

    // The dinner's sync keeps failing and tries again by itself: its alert counts the attempts.
    await openEvent(page, 'Sponsor Dinner');
    const alert = page.getByRole('alert');
    await alert.getByText(/503/).waitFor();
    assert.equal(await page.getByText(/gave up/).count(), 0, await alert.innerText());
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page
      .getByTestId('desk-list')
      .getByText(/^List last synced (just now|\d+ min ago) \(.+\): sync failed$/)
      .waitFor();
    await e.screenshot('desk-demo-sync-failed');
  },
);
