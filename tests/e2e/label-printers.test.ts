// Label printers that say their state, walked as an admin does in Debian's Chromium through the
// browser host: adding a Brother QL (a stand-in on 127.0.0.1) by model, address and port, seeing
// and asking its state, sharing a desk's badges with a second printer, and the print queue naming
// a printer that cannot print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openSettings, unlockAdmin, until } from '../helpers/e2e-flows.ts';
import { ROLLS, startBrotherStandIn } from '../helpers/brother-standin.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';

const T = { timeout: 180_000 };

test(
  'an admin adds a Brother QL and a Zebra; each says its state; the desk shares its badges; the queue names a printer that stopped',
  T,
  async (t) => {
    const brother = await startBrotherStandIn('QL-820NWB', ROLLS['62x100']);
    const zpl = await startZplStandIn();
    t.after(() => Promise.all([brother.close(), zpl.close()]));
    const e = await startE2E(t);
    const { page } = e;
    await activeEvent(e, 'Printer Fair', 3);

    await unlockAdmin(page);
    await openSettings(page);
    const printers = page.getByRole('region', { name: 'Printers' });
    const add = async (fill: () => Promise<void>) => {
      await printers.getByRole('button', { name: 'Add printer' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add printer' });
      await fill();
      await dialog.getByRole('button', { name: 'Add printer' }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    const dialog = page.getByRole('dialog', { name: 'Add printer' });
    await add(async () => {
      await dialog.getByLabel('Name').fill('Brother <b>1</b>');
      await dialog
        .getByLabel('Type')
        .selectOption({ label: 'Brother QL label printer (raster over TCP 9100)' });
      await dialog.getByLabel('Model').selectOption('QL-820NWB');
      await dialog.getByLabel('Host').fill('127.0.0.1');
      await dialog.getByLabel('Port').fill(String(brother.port));
    });
    await add(async () => {
      await dialog.getByLabel('Name').fill('Zebra 2');
      await dialog.getByLabel('Type').selectOption({ label: 'Label printer (ZPL over TCP 9100)' });
      await dialog.getByLabel('Host').fill('127.0.0.1');
      await dialog.getByLabel('Port').fill(String(zpl.port));
    });
    const list = await ipc(e, 'printers.list', {});
    const saved = list.find((p) => p.config.kind === 'brother_ql')!;
    assert.deepEqual(saved.config, {
      kind: 'brother_ql',
      host: '127.0.0.1',
      port: brother.port,
      model: 'QL-820NWB',
    });

    // Its state, asked: ready, with the labels loaded. The name is text, never markup.
    await printers.getByRole('button', { name: 'Check status of Brother <b>1</b>' }).click();
    await printers.getByText('Brother <b>1</b> is ready · 62 × 100 mm die-cut loaded').waitFor();
    assert.equal(await page.locator('.printer-card b').count(), 0);

    // The desk prints on the Brother and shares its badges with the Zebra.
    await printers.getByLabel('Print badges on').selectOption({ label: 'Brother <b>1</b>' });
    await printers.getByRole('group', { name: 'Also print on' }).getByLabel('Zebra 2').check();
    await until(async () => (await ipc(e, 'app.snapshot', {})).settings.poolPrinterIds?.length === 1);
    await e.screenshot('settings-label-printers');

    // The cover opens: asking says so, and the print queue names it.
    brother.fault('cover_open');
    await printers.getByRole('button', { name: 'Check status of Brother <b>1</b>' }).click();
    await printers.getByText('Cover open at Brother <b>1</b> — close the cover').waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Print queue/ })
      .click();
    await page
      .getByTestId('printer-problems')
      .getByText('Cover open at Brother <b>1</b> — close the cover', { exact: false })
      .waitFor();
    await e.screenshot('print-queue-printer-stopped');
  },
);
