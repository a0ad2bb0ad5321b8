// The sync screens in Chromium through the browser host: the station-clock warning, one calm
// offline state on the event page, and an import's ETA while the rate budget is spent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.ts';
import { ipc, openEvent, openEvents, unlockAdmin, until } from '../helpers/e2e-flows.ts';

const T = { timeout: 120_000 };
const DAY = 86_400_000;

/** An admin session, an Eventbrite account with one event of `n` attendees, connected and its import started (over IPC). */
async function importStarted(e: E2E, name: string, n: number, opts: { registeredBefore?: boolean } = {}) {
  const account = e.sim.eventbrite.addAccount({
    email: `${name.toLowerCase().replace(/\W+/g, '-')}@venue.example`,
    name,
  });
  const providerEventId = e.sim.eventbrite.addEvent(account.token, { name });
  const seed = () => e.sim.eventbrite.seedAttendees(providerEventId, n);
  if (opts.registeredBefore) e.inThePast(seed);
  else seed();
  await unlockAdmin(e.page);
  const integration = await ipc(e, 'integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const event = await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
  return { eventId: event.id, providerEventId };
}

test(
  "the clock warning appears when the station is 11 days off Eventbrite's clock, and goes when they agree",
  T,
  async (t) => {
    const e = await startE2E(t, { sim: { clockOffsetMs: 11 * DAY } });
    const { page, sim } = e;
    await importStarted(e, 'Skewed Summit', 12);
    await openEvents(page);
    const warning = page.getByTestId('clock-warning');
    await warning
      .getByText(
        "This station's clock is 11 days behind Eventbrite's; check-in times are recorded with this clock",
      )
      .waitFor();
    await openEvent(page, 'Skewed Summit');
    await warning.waitFor();
    await e.screenshot('event-clock-warning');

    // The provider's clock agrees again: the next answer clears the warning, without a reload.
    sim.eventbrite.setClockOffset(0);
    await warning.waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await page.getByTestId('clock-warning').count(), 0);
  },
);

test(
  'network down: the event page shows the offline banner and no red alert; a provider error that needs a person still alerts',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, sim } = e;
    const { providerEventId } = await importStarted(e, 'Quiet Forum', 20, { registeredBefore: true });
    await openEvent(page, 'Quiet Forum');
    await page.getByText('Syncing', { exact: true }).waitFor();

    await sim.eventbrite.setOffline(true);
    await page.getByTestId('offline-banner').waitFor({ timeout: 30_000 });
    assert.equal(
      await page.getByRole('alert').count(),
      0,
      'no "Sync failed" alert beside the offline banner',
    );
    assert.equal(await page.getByText('Sync failed').count(), 0);
    await e.screenshot('event-offline-calm');

    await sim.eventbrite.setOffline(false);
    await page.getByText('Syncing', { exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('offline-banner').count(), 0);

    // No access to the event: a person must act, so the alert shows.
    sim.eventbrite.failNext(1_000, 403, { pathIncludes: providerEventId });
    const alert = page.getByRole('alert');
    await alert.getByText('Sync failed').waitFor({ timeout: 30_000 });
    await alert.getByText(/no access|403/i).waitFor();
    assert.equal(await page.getByTestId('offline-banner').count(), 0);
  },
);

test("an import's ETA counts the budget: shown while the token's requests are spent", T, async (t) => {
  // A daily budget of 30 requests (the daily figure is configurable): the import spends its
  // share within seconds and then waits for the window; the ETA says how long, and why.
  const e = await startE2E(t, {
    sim: { eventbritePageSize: 10 },
    env: { BADGE_DESK_EVENTBRITE_DAILY_LIMIT: '30' },
  });
  const { page } = e;
  const event = { id: (await importStarted(e, 'Long Import Expo', 600)).eventId };
  await until(
    async () => ((await ipc(e, 'events.get', { eventId: event.id })).activeJob?.fetched ?? 0) >= 150,
  );
  await openEvent(page, 'Long Import Expo');
  await page.getByText('Import in progress').waitFor();
  const eta = page.getByTestId('import-eta');
  await eta.waitFor();
  assert.match(
    await eta.innerText(),
    /^about \d+ h( \d+ min)? left — Eventbrite allows 30 requests a day per token$/,
  );
  const job = (await ipc(e, 'events.get', { eventId: event.id })).activeJob!;
  assert.ok(job.fetched < 600, `the import is held by the budget (${job.fetched} of 600)`);
  await e.screenshot('event-import-eta');
});
