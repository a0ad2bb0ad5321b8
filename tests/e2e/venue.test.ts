// Two desks made a venue in the UI, in Debian's Chromium: two browser hosts on loopback, each on
// its own data folder, both with the same provider event. One person is admitted at both desks
// before they are a venue. An admin starts a venue on Desk 1 and reads its pairing code (text and
// QR code); an admin on Desk 2 joins with that code and Desk 1's address (no mDNS on loopback).
// Both list the double admission, and the desk says "Admitted twice — …" on the result, the answer
// panel and Recent check-ins, and the event page leads to the list of them; a guest checked in at
// Desk 1 is then "Already checked in … at Desk 1" at Desk 2. Then Desk 1 removes Desk 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN_PIN, spawnHost, startE2E, type E2E, type HostProcess } from '../helpers/e2e.ts';
import { ipc, openEvent, openSettings, scan, unlockAdmin, until } from '../helpers/e2e-flows.ts';
import { decodePairingCode, encodePairingCode } from '../../main/venue/net/membership/pairing-code.ts';

const T = { timeout: 180_000 };
/** Turns the venue on in the browser host, listening on loopback only (port 0). */
const VENUE_ENV = { BADGE_DESK_VENUE_LISTEN: '127.0.0.1' };

/** The same provider event imported on a host, over IPC (the setup this test is not about). */
async function importEvent(e: Pick<E2E, 'host'>, token: string, providerEventId: string): Promise<number> {
  await ipc(e as E2E, 'session.unlock', { pin: ADMIN_PIN });
  const integration = await ipc(e as E2E, 'integrations.connect', {
    provider: 'eventbrite',
    credential: token,
  });
  const event = await ipc(e as E2E, 'events.import', { integrationId: integration.id, providerEventId });
  await until(async () => (await ipc(e as E2E, 'events.get', { eventId: event.id })).status === 'ACTIVE');
  await ipc(e as E2E, 'session.lock', {});
  return event.id;
}

const venuePanel = (page: Page) => page.getByTestId('venue-section');

async function openDesk(page: Page, eventName: string) {
  await openEvent(page, eventName);
  await page.getByRole('button', { name: 'Check-in desk' }).click();
  await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
}

test(
  'two browser hosts paired in the UI: a check-in at Desk 1 is "Already checked in … at Desk 1" at Desk 2; removing Desk 2 rotates the secret',
  T,
  async (t) => {
    const e = await startE2E(t, { env: VENUE_ENV });
    const account = e.sim.eventbrite.addAccount({ email: 'doors@venue.example', name: 'Doors' });
    const providerEventId = e.sim.eventbrite.addEvent(account.token, { name: 'Venue Days' });
    e.inThePast(() => e.sim.eventbrite.seedAttendees(providerEventId, 30));

    // The second desk: its own host process and data folder, its own browser context.
    const dataDir2 = mkdtempSync(join(tmpdir(), 'bd-e2e-venue-'));
    const host2: HostProcess = await spawnHost(dataDir2, e.env);
    t.after(async () => {
      await host2.kill();
      rmSync(dataDir2, { recursive: true, force: true });
    });
    const desk2 = { host: host2 };
    const page2 = await (await e.browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const page2Errors: string[] = [];
    page2.on('pageerror', (err) => page2Errors.push(err.message));

    const eventId1 = await importEvent(e, account.token, providerEventId);
    const eventId2 = await importEvent(desk2, account.token, providerEventId);
    const { rows } = await ipc(e, 'attendees.list', { eventId: eventId1, offset: 0, limit: 500 });
    const [guest, twice] = rows.filter((r) => r.status === 'ATTENDING' && r.barcode);
    assert.ok(guest && twice);
    // Before they are a venue, the desks cannot see each other: one person is admitted at both.
    await ipc(desk2 as E2E, 'session.unlock', { pin: ADMIN_PIN });
    await ipc(desk2 as E2E, 'settings.update', { stationName: 'Desk 2' });
    await ipc(desk2 as E2E, 'session.lock', {});
    await ipc(e, 'desk.checkIn', { eventId: eventId1, actionId: randomUUID(), code: twice.barcode! });
    await ipc(desk2 as E2E, 'desk.checkIn', {
      eventId: eventId2,
      actionId: randomUUID(),
      code: twice.barcode!,
    });
    // HH:MM as the page writes it (its locale).
    const clock = (page: Page, iso: string) =>
      page.evaluate(
        (at) =>
          new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(at)),
        iso,
      );
    await e.page.reload();
    await page2.goto(host2.url);
    const apartAt1 = await clock(e.page, (await ipc(e, 'desk.log', { eventId: eventId1, limit: 1 }))[0]!.at);
    const apartAt2 = await clock(
      e.page,
      (await ipc(desk2 as E2E, 'desk.log', { eventId: eventId2, limit: 1 }))[0]!.at,
    );

    // Desk 1: an admin starts the venue; the code shows as text and as a QR code.
    const page1 = e.page;
    await unlockAdmin(page1);
    await openSettings(page1);
    await venuePanel(page1).getByRole('button', { name: 'Start a venue' }).click();
    const start = page1.getByRole('dialog', { name: 'Start a venue' });
    await start.getByLabel('Venue name').fill('Main hall');
    await start.getByRole('button', { name: 'Start venue' }).click();
    await start.waitFor({ state: 'detached' });
    const codeText = venuePanel(page1).getByTestId('venue-pairing-code');
    await codeText.waitFor();
    const code = (await codeText.innerText()).trim();
    assert.match(code, /^BD1-/);
    await venuePanel(page1).getByRole('img', { name: 'The pairing code as a QR code' }).waitFor();
    // Loopback has no mDNS: the admin types Desk 1's address (this machine) and the port its panel shows.
    const port = (await venuePanel(page1).getByTestId('venue-this-port').innerText()).trim();
    assert.match(port, /^\d+$/);
    const address = `127.0.0.1:${port}`;
    await page1.getByTestId('venue-indicator').getByText('Main hall').waitFor();
    await e.screenshot('venue-started');

    // Desk 2: a well-formed code of this venue with another secret is refused in the dialog, the right one joins.
    await unlockAdmin(page2);
    await openSettings(page2);
    await venuePanel(page2).getByRole('button', { name: 'Join a venue' }).click();
    const join2 = page2.getByRole('dialog', { name: 'Join a venue' });
    const forged = encodePairingCode({ ...decodePairingCode(code), secret: randomBytes(16) });
    await join2.getByLabel('Pairing code').fill(forged);
    await join2.getByLabel('Or its address').fill(address);
    await join2.getByRole('button', { name: 'Join', exact: true }).click();
    await join2
      .getByRole('alert')
      .getByText(/refused this pairing code/)
      .waitFor();
    await join2.getByLabel('Pairing code').fill(code);
    await join2.getByRole('button', { name: 'Join', exact: true }).click();
    await join2.waitFor({ state: 'detached' });

    // Both panels list both desks online, and what happened while they were apart, on every desk.
    const doubleAdmission = `Admitted at Desk 1 ${apartAt1} and Desk 2 ${apartAt2} while the desks could not see each other`;
    for (const page of [page1, page2]) {
      const desks = venuePanel(page).getByRole('list', { name: 'Desks of this venue' });
      await desks.getByText('Desk 1', { exact: true }).waitFor();
      await desks.getByText('Desk 2', { exact: true }).waitFor();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid=venue-desk][data-online=true]').length === 2,
      );
      await page.getByTestId('venue-indicator').getByText('2/2').waitFor();
      const conflict = venuePanel(page).getByTestId('venue-conflict');
      await conflict.getByText(doubleAdmission, { exact: true }).waitFor();
      await conflict.getByText(twice.fullName, { exact: true }).waitFor();
    }
    await e.screenshot('venue-joined');

    // At the desk, the person admitted at both says so: on the result, on the answer panel and on
    // their rows in Recent check-ins.
    const twiceText = `Admitted twice — Desk 1 ${apartAt1} and Desk 2 ${apartAt2}`;
    await openDesk(page1, 'Venue Days');
    await page1.keyboard.type(twice.barcode!);
    await page1.getByRole('grid', { name: 'Search results' }).getByText(twiceText).waitFor();
    await page1.keyboard.press('Enter');
    const feedback1 = page1.getByTestId('checkin-feedback');
    await feedback1.getByText('Already checked in', { exact: true }).waitFor();
    await feedback1.getByTestId('answer-admitted-twice').getByText(twiceText).waitFor();
    await page1.getByTestId('log-admitted-twice').getByText(twiceText).first().waitFor();
    await e.screenshot('venue-admitted-twice-at-desk');
    // The event page counts them and leads to the list of them.
    await openEvent(page1, 'Venue Days');
    const doubles = page1.getByTestId('double-admissions');
    await doubles.getByText('1 person admitted twice').waitFor();
    await doubles.getByRole('button', { name: 'See who' }).click();
    const attendees = page1.getByRole('table', { name: 'Attendees' });
    await until(async () => (await attendees.getByRole('row').count()) === 2);
    const twiceRow = attendees.getByRole('row', { name: new RegExp(twice.fullName) });
    await twiceRow.getByText('Admitted twice', { exact: true }).waitFor();

    // A check-in at Desk 1 ...
    await openDesk(page1, 'Venue Days');
    await scan(page1, guest.barcode!);
    await page1.getByTestId('checkin-feedback').getByText('Checked in', { exact: true }).waitFor();
    const hhmm = await clock(page1, (await ipc(e, 'desk.log', { eventId: eventId1, limit: 1 }))[0]!.at);

    // ... reaches Desk 2: its result row shows where, and checking in there again says so.
    await openDesk(page2, 'Venue Days');
    await page2.keyboard.type(guest.barcode!);
    const row = page2
      .getByRole('grid', { name: 'Search results' })
      .getByRole('row', { name: new RegExp(guest.fullName) });
    await row.getByText(`Checked in ${hhmm} · Desk 1`).waitFor({ timeout: 10_000 });
    await page2.keyboard.press('Enter');
    const feedback2 = page2.getByTestId('checkin-feedback');
    await feedback2.getByText(`Already checked in at ${hhmm} at Desk 1`).waitFor();
    assert.equal(await feedback2.getAttribute('data-tone'), 'warning');

    // Desk 2 recorded nothing of its own for the guest: one admission in the venue, not two.
    const log2 = await ipc(desk2 as E2E, 'desk.log', { eventId: eventId2, limit: 10 });
    assert.deepEqual(
      log2
        .filter((l) => l.attendeeId === guest.id || l.attendeeName === guest.fullName)
        .map((l) => [l.action, l.station]),
      [['check_in', 'Desk 1']],
    );

    // Desk 1's admin removes Desk 2: the secret rotates, and Desk 2 is out of the venue (it works alone).
    await openSettings(page1);
    await venuePanel(page1).getByRole('button', { name: 'Remove Desk 2' }).click();
    const remove = page1.getByRole('dialog', { name: 'Remove desk' });
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await remove.waitFor({ state: 'detached' });
    await page1.waitForFunction(() => document.querySelectorAll('[data-testid=venue-desk]').length === 1);
    await page1.getByTestId('venue-indicator').getByText('1/1').waitFor();
    assert.notEqual(
      (await venuePanel(page1).getByTestId('venue-pairing-code').innerText()).trim(),
      code,
      'a new code after the rotation',
    );
    await openSettings(page2);
    await venuePanel(page2).getByText('works alone').waitFor();
    assert.equal(await page2.getByTestId('venue-indicator').count(), 0);
    assert.deepEqual(page2Errors, []);
  },
);
