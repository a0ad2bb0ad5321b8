// Registration answers in the browser host (Chromium): an admin picks, in the event's settings,
// the answers the desk shows and the question that feeds the company line; the desk's panel then
// shows the guest's answer at check-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, openEvent, scan, unlockAdmin } from '../helpers/e2e-flows.ts';

test(
  'the event settings pick the answers the desk shows and the company line; the desk shows them at check-in',
  { timeout: 180_000 },
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { rows } = await activeEvent(e, 'Answers Forum', 40);
    const diet = (r: (typeof rows)[number]) =>
      r.answers?.find((a) => a.label === 'Dietary requirements')?.text;
    const workshop = (r: (typeof rows)[number]) =>
      r.answers?.find((a) => a.label === 'Which workshop will you attend?')?.text;
    const guest = rows.find((r) => diet(r) && workshop(r) && r.status === 'ATTENDING');
    assert.ok(guest, 'a guest who answered both questions');

    await openEvent(page, 'Answers Forum');
    const panel = page.getByTestId('answer-settings');
    await panel.getByText('Which workshop will you attend?', { exact: true }).waitFor();
    assert.equal(
      await panel.getByRole('button', { name: 'Save answer settings' }).count(),
      0,
      'read-only until unlocked',
    );

    await unlockAdmin(page);
    await panel
      .getByLabel('Badge company line')
      .selectOption({ label: 'Answer to “Which workshop will you attend?”' });
    await panel.getByRole('checkbox', { name: /Dietary requirements/ }).check();
    await panel.getByRole('button', { name: 'Save answer settings' }).click();
    await page.getByText('Registration answer settings saved').waitFor();
    await e.screenshot('event-answer-settings');

    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search attendees' }).focus();
    await scan(page, guest.barcode!);
    const box = page.getByTestId('checkin-feedback');
    await box.getByText('Checked in', { exact: true }).waitFor();
    const answers = box.getByTestId('desk-answers');
    await answers.getByText('Dietary requirements').waitFor();
    await answers.getByText(diet(guest)!, { exact: true }).waitFor();
    // The company line is the workshop now: the panel's detail line shows it.
    await box
      .getByText(new RegExp(workshop(guest)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .first()
      .waitFor();
    await e.screenshot('desk-answers');
  },
);
