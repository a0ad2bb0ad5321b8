// The event page's attendee list in Debian's Chromium through the browser host: the filter box
// (three letters, accents ignored), the filters (check-in, VIP, status, ticket) and the column
// sorts in both directions, on a virtualised table of 300 rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, until } from '../helpers/e2e-flows.ts';
import { foldForSearch } from '../../main/db/search-text.ts';

const T = { timeout: 240_000 };

const table = (page: Page) => page.getByRole('table', { name: 'Attendees' });
const count = (page: Page) => page.getByTestId('attendee-count');

/** The names of the first rows the table shows, top down, once they have loaded. */
async function shownNames(page: Page, n: number): Promise<string[]> {
  const rows = table(page).locator('[data-attendee-id]');
  await rows.first().waitFor();
  return (
    await rows.evaluateAll((els) =>
      els.map((el) => ({
        top: el.getBoundingClientRect().top,
        name: el.querySelector('.cell-name')?.textContent ?? '',
      })),
    )
  )
    .sort((a, b) => a.top - b.top)
    .slice(0, n)
    .map((r) => r.name);
}

async function countSays(page: Page, text: string) {
  await count(page).getByText(text, { exact: true }).waitFor();
}

test(
  'attendee list: filter box, filters and sorts on the event page, answered by main, virtualised',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page, sim } = e;
    const { rows, eventId, providerEventId } = await activeEvent(e, 'List Expo', 300);
    // The event in main's name order (the list's default), as activeEvent read it.
    const byName = rows;

    // Three checked in (in this order), one VIP, one cancelled on the provider.
    const checkedIn = [rows[20]!, rows[150]!, rows[77]!];
    for (const p of checkedIn)
      assert.equal(
        (await ipc(e, 'desk.checkIn', { eventId, actionId: randomUUID(), attendeeId: p.id })).kind,
        'checked_in',
      );
    const vip = rows[33]!;
    await ipc(e, 'attendees.setVip', { attendeeId: vip.id, vip: true });
    const cancelled = rows[5]!;
    sim.eventbrite.cancelAttendee(providerEventId, cancelled.providerAttendeeId);
    await until(
      async () =>
        (
          await ipc(e, 'attendees.list', {
            eventId,
            offset: 0,
            limit: 1,
            filter: { status: 'NOT_ATTENDING' },
          })
        ).total === 1,
    );

    await openEvent(page, 'List Expo');
    await countSays(page, '300 rows');
    assert.equal(
      (await table(page).locator('[data-attendee-id]').count()) < 300,
      true,
      'virtualised: not every row is in the page',
    );

    // Three letters of a name with accents typed without them: main's FTS index answers.
    const accented = rows.find(
      (r) =>
        foldForSearch(r.lastName ?? '') !== (r.lastName ?? '').toLowerCase() &&
        (r.lastName ?? '').length >= 3,
    )!;
    const typed = foldForSearch(accented.lastName!).slice(0, 3);
    const filter = page.getByRole('searchbox', { name: 'Filter' });
    await filter.fill(typed);
    const expected = await ipc(e, 'attendees.list', { eventId, offset: 0, limit: 500, text: typed });
    assert.ok(expected.total > 0 && expected.total < 300);
    await countSays(page, `${expected.total} of 300 rows`);
    assert.deepEqual(
      await shownNames(page, 3),
      expected.rows.slice(0, 3).map((r) => r.fullName),
    );
    assert.ok(
      expected.rows.some((r) => r.id === accented.id),
      `${typed} finds ${accented.fullName}`,
    );
    // Query syntax is only text: nothing breaks, nothing matches.
    await filter.fill('"NEAR(');
    await table(page).getByText('No attendees match').waitFor();
    await filter.fill('');
    await countSays(page, '300 rows');

    // Filters.
    const controls = page.getByRole('search', { name: 'Filter attendees' });
    await controls.getByLabel('Check-in').selectOption({ label: 'Checked in' });
    await countSays(page, '3 of 300 rows');
    assert.deepEqual(
      await shownNames(page, 3),
      byName.filter((r) => checkedIn.includes(r)).map((r) => r.fullName),
    );
    await controls.getByLabel('Check-in').selectOption({ label: 'Not checked in' });
    await countSays(page, '297 of 300 rows');
    await controls.getByLabel('Check-in').selectOption({ label: 'Everyone' });
    await controls.getByLabel('VIP only').check();
    await countSays(page, '1 of 300 rows');
    assert.deepEqual(await shownNames(page, 1), [vip.fullName]);
    await controls.getByLabel('VIP only').uncheck();
    await controls.getByLabel('Status').selectOption({ label: 'Not attending' });
    await countSays(page, '1 of 300 rows');
    assert.deepEqual(await shownNames(page, 1), [cancelled.fullName]);
    await controls.getByLabel('Status').selectOption({ label: 'Any status' });
    const ticket = rows[0]!.ticketName!;
    await controls.getByLabel('Ticket').selectOption({ label: ticket });
    const withTicket = byName.filter((r) => r.ticketName === ticket);
    await countSays(page, `${withTicket.length} of 300 rows`);
    await controls.getByLabel('Ticket').selectOption({ label: 'All tickets' });
    await countSays(page, '300 rows');
    await e.screenshot('attendee-list-filters');

    // Sorts: by the column heads, again for the other direction.
    const head = (name: string) => table(page).getByRole('columnheader', { name });
    await head('Checked in').getByRole('button').click();
    await until(async () => (await head('Checked in').getAttribute('aria-sort')) === 'descending', 10_000);
    assert.deepEqual(
      await shownNames(page, 3),
      [...checkedIn].reverse().map((r) => r.fullName),
      'latest check-in first',
    );
    await head('Checked in').getByRole('button').click();
    await until(async () => (await head('Checked in').getAttribute('aria-sort')) === 'ascending', 10_000);
    await until(
      async () => (await shownNames(page, 3)).join() === checkedIn.map((r) => r.fullName).join(),
      10_000,
    );
    await head('Name').getByRole('button').click();
    await until(async () => (await shownNames(page, 1))[0] === byName[0]!.fullName, 10_000);
    await head('Name').getByRole('button').click();
    await until(async () => (await head('Name').getAttribute('aria-sort')) === 'descending', 10_000);
    const desc = await ipc(e, 'attendees.list', {
      eventId,
      offset: 0,
      limit: 3,
      sort: { key: 'name', direction: 'desc' },
    });
    await until(
      async () => (await shownNames(page, 3)).join() === desc.rows.map((r) => r.fullName).join(),
      10_000,
    );
    await head('Ticket').getByRole('button').click();
    const byTicket = await ipc(e, 'attendees.list', {
      eventId,
      offset: 0,
      limit: 3,
      sort: { key: 'ticket', direction: 'asc' },
    });
    await until(
      async () => (await shownNames(page, 3)).join() === byTicket.rows.map((r) => r.fullName).join(),
      10_000,
    );
    await head('Status').getByRole('button').click();
    await head('Status').getByRole('button').click();
    await until(async () => (await head('Status').getAttribute('aria-sort')) === 'descending', 10_000);
    await until(async () => (await shownNames(page, 1))[0] === cancelled.fullName, 10_000);

    // Filter and sort together, and the far end of a sorted list scrolled to.
    await filter.fill(typed);
    await countSays(page, `${expected.total} of 300 rows`);
    await filter.fill('');
    await head('Name').getByRole('button').click();
    await until(async () => (await head('Name').getAttribute('aria-sort')) === 'ascending', 10_000);
    await page.getByTestId('attendee-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await table(page).locator(`[aria-rowindex="301"]`).filter({ hasText: byName[299]!.fullName }).waitFor();
    await e.screenshot('attendee-list-sorted');
  },
);
