// Whole orders and people staff must notice, walked at the desk in Debian's Chromium by visible
// text: a scan of one ticket of an order of four checks that person in and offers the other three;
// one of them is flagged "needs attention", so "Check in all 2" leaves them out; the group's Undo
// takes back both check-ins; the flagged person's own scan admits no one until the operator
// confirms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PIN, startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, scan } from '../helpers/e2e-flows.ts';

const T = { timeout: 180_000 };

test(
  'an order of four: one scan offers the others, "Check in all" and its Undo; a flagged person comes in only when the operator confirms',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    let orderId = '';
    const { rows } = await activeEvent(e, 'Order Summit', 5, 'desk@venue.example', (id) => {
      orderId = e.sim.eventbrite.addOrder(id, {
        tickets: [
          { firstName: 'Olga', lastName: 'Buyer' },
          { firstName: 'Oscar', lastName: 'Second' },
          { firstName: 'Otto', lastName: 'Third' },
          { firstName: 'Ona', lastName: 'Flagged' },
        ],
      }).orderId;
    });
    const order = rows.filter((r) => r.orderId === orderId);
    assert.equal(order.length, 4);
    const person = (first: string) => order.find((r) => r.firstName === first)!;
    await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
    await ipc(e, 'door.setAttention', {
      attendeeId: person('Ona').id,
      actionId: 'flag-ona-0001',
      reason: 'check student ID',
    });
    await ipc(e, 'session.lock', {});

    await openEvent(page, 'Order Summit');
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
    const panel = page.getByTestId('checkin-feedback');

    // One scan: Olga is in, and the panel offers the others of her order.
    await scan(page, person('Olga').barcode!);
    await panel.getByText('Checked in', { exact: true }).waitFor();
    const others = panel.getByTestId('answer-order');
    await others.getByText(`Also on order ${orderId}: 3 people`).waitFor();
    await others.getByText('Needs attention: check student ID', { exact: false }).waitFor();
    await e.screenshot('door-order-offered');
    await others.getByRole('button', { name: 'Check in all 2' }).click();
    await panel.getByText('Order checked in', { exact: true }).waitFor();
    await panel.getByText('Oscar Second, Otto Third', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Recent check-ins' }).getByText('Otto Third').waitFor();

    // The group's Undo takes back the two check-ins it made, and only those.
    await panel.getByRole('button', { name: 'Undo all 2' }).click();
    await panel.getByText('Group check-in undone', { exact: true }).waitFor();
    await panel.getByText('2 check-ins taken back', { exact: true }).waitFor();
    await page.getByTestId('desk-checked-in').getByText('1 / 9').waitFor();

    // The flagged person's own scan admits no one: the reason shows, large, until the operator confirms.
    await scan(page, person('Ona').barcode!);
    await panel.getByText('Needs attention', { exact: true }).waitFor();
    await panel
      .getByTestId('answer-attention')
      .getByText('Needs attention: check student ID — confirm to check in')
      .waitFor();
    await e.screenshot('door-needs-attention');
    await page.getByTestId('desk-checked-in').getByText('1 / 9').waitFor();
    await panel.getByRole('button', { name: 'Confirm and check in' }).click();
    await panel.getByText('Checked in', { exact: true }).waitFor();
    await page.getByTestId('desk-checked-in').getByText('2 / 9').waitFor();
  },
);
