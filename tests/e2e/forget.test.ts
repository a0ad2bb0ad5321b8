// Forgetting an event on this desk, in Debian's Chromium, by visible text: the confirmation says
// what goes and what stays and that the check-ins made here are held nowhere else, so the CSV
// comes first; then the event is forgotten, its page says so, its attendees are gone and its
// counts stay. The retention setting in Settings. axe audits the dialog and the forgotten page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, openSettings, unlockAdmin, until } from '../helpers/e2e-flows.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';

test(
  'forget on this desk: the confirmation, the CSV first, the forgotten event; the retention setting',
  { timeout: 300_000 },
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { rows, eventId } = await activeEvent(e, 'Forgettable Summit', 40);
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    for (const p of rows.slice(0, 3))
      await ipc(e, 'desk.checkIn', { eventId, actionId: crypto.randomUUID(), attendeeId: p.id });
    await ipc(e, 'session.lock', {});
    await page.reload();

    await openEvent(page, 'Forgettable Summit');
    const settings = page.getByRole('region', { name: 'Event settings' });
    await settings.getByText('An admin can forget this event on this desk.').waitFor();
    await unlockAdmin(page);
    await settings.getByRole('button', { name: 'Forget on this desk…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forget “Forgettable Summit” on this desk?' });
    const held = dialog.getByTestId('forget-held');
    await held
      .getByText(
        /The 3 check-ins made on this desk are held by no other desk or relay \(this desk is in no venue\)\. Export the CSV first\./,
      )
      .waitFor();
    assert.match(await dialog.getByTestId('forget-removes').innerText(), /40 people of this event/);
    assert.match(await dialog.getByTestId('forget-keeps').innerText(), /40 attending, 3 checked in/);
    const forget = dialog.getByRole('button', { name: 'Forget on this desk' });
    assert.equal(await forget.isDisabled(), true, 'not before the CSV');
    await expectNoAxeViolations(page, 'forget dialog: the CSV first');

    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export check-ins (CSV) first' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    assert.ok(csv.includes(rows[0]!.fullName));
    await held.getByText(/were exported as .*-kept-before-forgetting\.csv at .+: keep that file/).waitFor();
    assert.equal(await forget.isDisabled(), false);
    await expectNoAxeViolations(page, 'forget dialog: ready');
    await forget.click();
    await dialog.waitFor({ state: 'detached' });

    const notice = page.getByTestId('forgotten-notice');
    await notice
      .getByText(/by an admin: its attendees' personal data is gone from here; the counts stay\./)
      .waitFor();
    // The attendee table lists no one by name any more.
    const table = page.getByRole('table', { name: 'Attendees' });
    await until(async () => (await table.innerText()).includes(rows[0]!.fullName) === false, 10_000);
    for (const p of rows.slice(0, 10)) assert.equal(await page.getByText(p.fullName).count(), 0);
    assert.equal((await page.getByTestId('total-attendees').innerText()).trim(), '40');
    assert.equal(await page.getByRole('button', { name: 'Sync', exact: true }).isDisabled(), true);
    await expectNoAxeViolations(page, 'forgotten event page');

    await openSettings(page);
    const days = page.getByLabel('Forget events after they end (days)');
    assert.equal(await days.inputValue(), '30');
    await days.fill('14');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    assert.equal((await ipc(e, 'app.snapshot', {})).settings.forgetAfterDays, 14);
  },
);
