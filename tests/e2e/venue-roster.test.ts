// A desk with no account at all joins a venue, in Debian's Chromium: two browser hosts on
// loopback. Desk 1 holds the Eventbrite account and imported the event; Desk 2 never connected
// one. After joining (over IPC: pairing in the UI is tests/e2e/venue.test.ts's), Desk 2's event
// list shows the venue's event, its page says "Syncing via Desk 1", and a person is checked in
// at Desk 2's desk; Desk 1 sees the check-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PIN, spawnHost, startE2E, type E2E, type HostProcess } from '../helpers/e2e.ts';
import { ipc, openEvent, scan, until } from '../helpers/e2e-flows.ts';

const T = { timeout: 180_000 };
const VENUE_ENV = { BADGE_DESK_VENUE_LISTEN: '127.0.0.1' };

test(
  'a desk joined without any account shows the venue event, "Syncing via Desk 1", and checks a person in',
  T,
  async (t) => {
    const e = await startE2E(t, { env: VENUE_ENV });
    const account = e.sim.eventbrite.addAccount({ email: 'doors@venue.example', name: 'Doors' });
    const providerEventId = e.sim.eventbrite.addEvent(account.token, { name: 'Roster Days' });
    e.inThePast(() => e.sim.eventbrite.seedAttendees(providerEventId, 40));

    const dataDir2 = mkdtempSync(join(tmpdir(), 'bd-e2e-roster-'));
    const host2: HostProcess = await spawnHost(dataDir2, e.env);
    t.after(async () => {
      await host2.kill();
      rmSync(dataDir2, { recursive: true, force: true });
    });
    const desk2 = { host: host2 } as E2E;
    const page2 = await (await e.browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const page2Errors: string[] = [];
    page2.on('pageerror', (err) => page2Errors.push(err.message));

    // Desk 1: the account, the import, a venue.
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    const integration = await ipc(e, 'integrations.connect', {
      provider: 'eventbrite',
      credential: account.token,
    });
    const event1 = await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
    await until(async () => (await ipc(e, 'events.get', { eventId: event1.id })).status === 'ACTIVE');
    await ipc(e, 'venue.start', { name: 'Roster hall' });
    const { code } = await ipc(e, 'venue.pairingCode', {});
    const port = (await ipc(e, 'venue.status', {})).thisDesk.port;

    // Desk 2: no account; joins.
    await ipc(desk2, 'session.unlock', { pin: ADMIN_PIN });
    assert.deepEqual(await ipc(desk2, 'integrations.list', {}), []);
    await ipc(desk2, 'venue.join', { code, address: `127.0.0.1:${port}` });
    await until(
      async () =>
        (await ipc(desk2, 'events.list', {})).some(
          (ev) => ev.providerEventId === providerEventId && ev.counts.total === 40,
        ),
      30_000,
    );

    await page2.goto(host2.url);
    await openEvent(page2, 'Roster Days');
    await page2.getByTestId('syncing-pill').getByText('Syncing via Desk 1').waitFor();
    await e.screenshot('venue-roster-syncing-via');

    // Its Sync button asks Desk 1, the poller, which runs the hard pull (a full listing; live
    // passes ask for changes only).
    const fullListings = () =>
      e.sim.eventbrite.requests.filter(
        (r) => r.path.endsWith('/attendees/') && !r.query.changed_since && !r.query.continuation,
      ).length;
    const before = fullListings();
    await page2.getByRole('button', { name: 'Sync', exact: true }).click();
    await page2.getByRole('status').getByText('Sync asked of Desk 1').waitFor();
    await until(async () => fullListings() > before, 15_000);

    const { rows } = await ipc(e, 'attendees.list', { eventId: event1.id, offset: 0, limit: 100 });
    const guest = rows.find((r) => r.status === 'ATTENDING' && r.barcode)!;
    await page2.getByRole('button', { name: 'Check-in desk' }).click();
    await page2.getByRole('main', { name: 'Check-in desk' }).waitFor();
    await scan(page2, guest.barcode!);
    await page2.getByTestId('checkin-feedback').getByText('Checked in', { exact: true }).waitFor();
    await until(
      async () =>
        (await ipc(e, 'desk.log', { eventId: event1.id, limit: 5 })).some(
          (l) => l.attendeeId === guest.id && l.station === 'Desk 2',
        ),
      15_000,
    );
    assert.deepEqual(page2Errors, []);
  },
);
