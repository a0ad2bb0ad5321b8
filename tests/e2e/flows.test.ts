// The product's flows (the four sync statuses and their recovery, the desk, printing) walked as a person would, in Debian's Chromium through the browser host,
// against the provider simulator: by visible text and roles, with screenshots of the main screens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E } from '../helpers/e2e.ts';
import {
  connectThroughSettings,
  importThroughDialog,
  ipc,
  openEvent,
  openEvents,
  openSettings,
  totalAttendees,
  unlockAdmin,
} from '../helpers/e2e-flows.ts';

const T = { timeout: 120_000 };

test(
  'connect both providers, import with live counts, Syncing pill, live changes without reload, manual Sync',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, sim } = e;
    const eb = sim.eventbrite.addAccount({ email: 'tickets@venue.example', name: 'Venue Tickets' });
    const luma = sim.luma.addAccount({ email: 'community@venue.example', name: 'Venue Community' });
    const providerEventId = sim.eventbrite.addEvent(eb.token, { name: 'Harbour Conference' });
    e.inThePast(() => sim.eventbrite.seedAttendees(providerEventId, 400));
    sim.luma.addEvent(luma.token, { name: 'Harbour Meetup' });

    await unlockAdmin(page);
    await connectThroughSettings(page, 'Eventbrite', eb.token);
    await connectThroughSettings(page, 'Luma', luma.token);
    const integrations = page.getByRole('region', { name: 'Integrations' });
    await integrations.getByText('tickets@venue.example').waitFor();
    await integrations.getByText('community@venue.example').waitFor();
    assert.equal(await integrations.getByText('Connected', { exact: true }).count(), 2);
    await e.screenshot('settings-integrations');

    // Slow pages so the import's live progress is visible.
    sim.eventbrite.setLatency(150);
    await importThroughDialog(page, 'tickets@venue.example', 'Harbour Conference');
    await page.getByText('Import in progress').waitFor();
    const progress = page.getByRole('progressbar', { name: 'Import progress' });
    await progress.waitFor();
    await page.waitForFunction(
      () => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') ?? 0) > 0,
    );
    await e.screenshot('event-importing');
    sim.eventbrite.setLatency(0);

    await page.getByText('Syncing', { exact: true }).waitFor();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=total-attendees]')?.textContent?.includes('400'),
    );
    assert.equal(await totalAttendees(page), 400);
    assert.equal(await page.getByRole('alert').count(), 0, 'no alert while ACTIVE');
    await e.screenshot('event-active');

    // Live: a registration, an edit and a cancellation arrive without a reload.
    sim.eventbrite.addAttendee(providerEventId, {
      firstName: 'Aaron',
      lastName: 'Aardvark',
      ticketName: 'Speaker',
    });
    await page.getByText('Aaron Aardvark').waitFor({ timeout: 20_000 });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=total-attendees]')?.textContent?.includes('401'),
    );
    const firstRowName = await page.getByRole('row').nth(2).getByRole('cell').first().innerText();
    const edited = sim.eventbrite.attendeeIds(providerEventId).find((id) => id !== undefined)!;
    sim.eventbrite.editAttendee(providerEventId, edited, { firstName: 'Aaaa', lastName: 'Renamed' });
    await page.getByText('Aaaa Renamed').waitFor({ timeout: 20_000 });
    sim.eventbrite.cancelAttendee(providerEventId, edited);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=not-attending-count]')?.textContent?.trim() === '1',
      undefined,
      { timeout: 20_000 },
    );
    assert.equal(await totalAttendees(page), 400, '401 - 1 cancelled');
    assert.ok(firstRowName.length > 0);

    // Manual Sync shows its in-flight state and comes back.
    sim.eventbrite.setLatency(300);
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await page.getByRole('button', { name: 'Syncing…' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Syncing…' }).isDisabled(), true);
    sim.eventbrite.setLatency(0);
    await page.getByRole('button', { name: 'Sync', exact: true }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('button', { name: 'Sync', exact: true }).isEnabled(), true);
  },
);

test(
  'revoked credential: "Integration disconnected" → empty state → reconnect in Settings → Reconnect → Syncing',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, sim } = e;
    const eb = sim.eventbrite.addAccount({ email: 'door@venue.example', name: 'Door' });
    const providerEventId = sim.eventbrite.addEvent(eb.token, { name: 'Night Market' });
    sim.eventbrite.seedAttendees(providerEventId, 60);
    await unlockAdmin(page);
    const integration = await ipc(e, 'integrations.connect', {
      provider: 'eventbrite',
      credential: eb.token,
    });
    const event = await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
    await openEvent(page, 'Night Market');
    await page.getByText('Syncing', { exact: true }).waitFor();

    sim.eventbrite.revokeToken(eb.token);
    const alert = page.getByRole('alert');
    await alert.getByText('Integration disconnected').waitFor({ timeout: 20_000 });
    await alert.getByText(/INVALID_AUTH/).waitFor();
    await e.screenshot('event-disconnected');

    // The recovery dialog: no CONNECTED account of this provider → the empty state.
    await alert.getByRole('button', { name: 'Reconnect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reconnect' });
    await dialog.getByText('No connected Eventbrite account').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Reconnect with this account' }).count(), 0);
    await dialog.getByRole('button', { name: 'Go to integrations' }).click();

    // Re-link the account in Settings (the admin restored access on Eventbrite).
    sim.eventbrite.restoreToken(eb.token);
    const integrations = page.getByRole('region', { name: 'Integrations' });
    await integrations.getByText('Disconnected', { exact: true }).waitFor();
    await connectThroughSettings(page, 'Eventbrite', eb.token);
    await integrations.getByText('Connected', { exact: true }).waitFor();

    await openEvent(page, 'Night Market');
    await page.getByRole('alert').getByRole('button', { name: 'Reconnect' }).click();
    const again = page.getByRole('dialog', { name: 'Reconnect' });
    await again.getByText('door@venue.example').waitFor();
    await again.getByText('Connected', { exact: true }).waitFor();
    await e.screenshot('recovery-dialog');
    await again.getByRole('button', { name: 'Reconnect with this account' }).click();
    await page.getByRole('status').getByText('Reconnecting event').waitFor();
    await page.getByText('Syncing', { exact: true }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('alert').count(), 0);
    const history = await ipc(e, 'events.history', { eventId: event.id });
    assert.deepEqual(
      history.map((h) => h.to),
      ['PENDING', 'ACTIVE', 'DISCONNECTED', 'PENDING', 'ACTIVE'],
    );
  },
);

test('5xx → "Sync failed" with the provider message and time → Retry → Syncing', T, async (t) => {
  const e = await startE2E(t, { env: { BADGE_DESK_POLL_INTERVAL_MS: '1000' } });
  const { page, sim } = e;
  const eb = sim.eventbrite.addAccount({ email: 'ops@venue.example', name: 'Ops' });
  const providerEventId = sim.eventbrite.addEvent(eb.token, { name: 'Gala Night' });
  sim.eventbrite.seedAttendees(providerEventId, 30);
  await unlockAdmin(page);
  const integration = await ipc(e, 'integrations.connect', { provider: 'eventbrite', credential: eb.token });
  await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
  await openEvent(page, 'Gala Night');
  await page.getByText('Syncing', { exact: true }).waitFor();

  sim.eventbrite.failNext(1_000, 503, { pathIncludes: providerEventId });
  const alert = page.getByRole('alert');
  await alert.getByText('Sync failed').waitFor({ timeout: 30_000 });
  await alert.getByText(/503/).waitFor();
  await alert.getByText(/Failed at/).waitFor();
  await e.screenshot('event-sync-failed');
  sim.eventbrite.clearFaults();
  await alert.getByRole('button', { name: 'Retry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reconnect' });
  await dialog.getByRole('button', { name: 'Reconnect with this account' }).click();
  await page.getByRole('status').getByText('Reconnecting event').waitFor();
  await page.getByText('Syncing', { exact: true }).waitFor({ timeout: 20_000 });
});

test('an import killed halfway → "Import failed" → "Set Up Sync" → Retry → exact count', T, async (t) => {
  const e = await startE2E(t);
  const { page, sim } = e;
  const eb = sim.eventbrite.addAccount({ email: 'crash@venue.example', name: 'Crash' });
  const providerEventId = sim.eventbrite.addEvent(eb.token, { name: 'Crash Course' });
  sim.eventbrite.seedAttendees(providerEventId, 2_000);
  await unlockAdmin(page);
  const integration = await ipc(e, 'integrations.connect', { provider: 'eventbrite', credential: eb.token });
  sim.eventbrite.setLatency(40);
  let pages = 0;
  const killedMidway = new Promise<void>((resolve) => {
    sim.eventbrite.on('request', (r) => {
      if (r.path.includes('/attendees/') && ++pages === 10) resolve();
    });
  });
  await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
  await killedMidway;
  await e.restartHost();
  sim.eventbrite.setLatency(0);

  await unlockAdmin(page);
  await openEvent(page, 'Crash Course');
  const alert = page.getByRole('alert');
  await alert.getByText('Import failed').waitFor();
  await e.screenshot('event-import-failed');
  await alert.getByRole('button', { name: 'Retry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set Up Sync' });
  await dialog.getByText('crash@venue.example').waitFor();
  await dialog.getByRole('button', { name: 'Reconnect with this account' }).click();
  await page.getByRole('status').getByText('Retrying import').waitFor();
  await page.getByText('Syncing', { exact: true }).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=total-attendees]')?.textContent?.includes('2,000'),
  );
  assert.equal(await totalAttendees(page), 2_000);
});

test('an operator sees no admin actions and main refuses them anyway', T, async (t) => {
  const e = await startE2E(t);
  const { page, sim } = e;
  const eb = sim.eventbrite.addAccount({ email: 'x@venue.example', name: 'X' });
  await page.getByRole('button', { name: 'Unlock admin' }).waitFor();
  await openEvents(page);
  assert.equal(await page.getByRole('button', { name: 'Import event' }).count(), 0, 'hidden from operators');
  await openSettings(page);
  assert.equal(await page.getByRole('button', { name: 'Connect Eventbrite' }).count(), 0);
  // Even a hand-made call from the page is refused by main.
  const token = eb.token;
  const answer = await page.evaluate(async (credential) => {
    const pageToken =
      sessionStorage.getItem('badgeDeskToken') ?? new URLSearchParams(location.search).get('token') ?? '';
    const tokenKey = Object.keys(sessionStorage).find((k) => sessionStorage.getItem(k)?.length === 48);
    const t = pageToken || (tokenKey ? sessionStorage.getItem(tokenKey)! : '');
    const r = await fetch('/ipc/integrations.connect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-badge-desk-token': t },
      body: JSON.stringify({ provider: 'eventbrite', credential }),
    });
    return r.json();
  }, token);
  assert.deepEqual([answer.ok, answer.error?.code], [false, 'FORBIDDEN']);
  assert.equal((await ipc(e, 'integrations.list', {})).length, 0);
});

test('hostile attendee and event names are shown as text, never run', T, async (t) => {
  const e = await startE2E(t);
  const { page, sim } = e;
  const eb = sim.eventbrite.addAccount({ email: 'h@venue.example', name: 'H' });
  const providerEventId = sim.eventbrite.addEvent(eb.token, { name: '<b>Bold</b> & <i>Co</i>' });
  const hostile = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>'];
  sim.eventbrite.addAttendee(providerEventId, {
    firstName: 'Aa',
    lastName: hostile[0]!,
    company: hostile[1]!,
  });
  await unlockAdmin(page);
  const integration = await ipc(e, 'integrations.connect', { provider: 'eventbrite', credential: eb.token });
  await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
  await openEvents(page);
  await page.getByRole('heading', { name: '<b>Bold</b> & <i>Co</i>' }).click();
  await page.getByText(`Aa ${hostile[0]}`).waitFor();
  await page.getByText(hostile[1]!).waitFor();
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.equal(await page.locator('img[src=x], b, i').count(), 0, 'no element made from provider text');
  await e.screenshot('hostile-names');
});

test('first launch: the demo workspace shows events in every status', T, async (t) => {
  const e = await startE2E(t);
  const { page } = e;
  await page.getByText('No events yet').waitFor();
  await e.screenshot('first-launch');
  await page.getByRole('button', { name: 'Start demo workspace' }).click();
  for (const [name, badge] of [
    ['Badge Desk Summit 2026', 'Syncing'],
    ['Community Meetup', 'Syncing'],
    ['Sponsor Dinner', 'Sync failed'],
    ['Partner Workshop', 'Disconnected'],
    ['Volunteer Onboarding', 'Import failed'],
  ] as const) {
    const card = page.getByRole('article', { name });
    await card.getByText(badge, { exact: true }).waitFor({ timeout: 60_000 });
  }
  await e.screenshot('events-list-demo');
});
