// The relay in Settings → Venue, in Debian's Chromium: an admin starts a venue on a browser host,
// runs `npm run relay` with its pairing code, and types the relay's address into "Connect to a
// desk or a relay by address". The panel lists it as "Relay" (online, its address), apart from the
// desks, and the pairing code becomes a BD2 code that carries the relay's address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2E } from '../helpers/e2e.ts';
import { openSettings, unlockAdmin } from '../helpers/e2e-flows.ts';
import { RelayProcess } from '../venue/helpers/relay-process.ts';
import { readPairingCode } from '../../main/venue/net/membership/pairing-code.ts';

test(
  'a relay typed into Settings → Venue is listed as "Relay", apart from the desks, and goes into the pairing code',
  { timeout: 120_000 },
  async (t) => {
    const e = await startE2E(t, { env: { BADGE_DESK_VENUE_LISTEN: '127.0.0.1' } });
    const relayDir = mkdtempSync(join(tmpdir(), 'bd-e2e-relay-'));
    const relay = new RelayProcess({ dataDir: relayDir, host: '127.0.0.1', port: 0 });
    t.after(async () => {
      await relay.kill();
      rmSync(relayDir, { recursive: true, force: true });
    });
    const page = e.page;
    const panel = page.getByTestId('venue-section');
    await unlockAdmin(page);
    await openSettings(page);
    await panel.getByRole('button', { name: 'Start a venue' }).click();
    const start = page.getByRole('dialog', { name: 'Start a venue' });
    await start.getByLabel('Venue name').fill('Main hall');
    await start.getByRole('button', { name: 'Start venue' }).click();
    await start.waitFor({ state: 'detached' });
    const codeText = panel.getByTestId('venue-pairing-code');
    await codeText.waitFor();
    const code = (await codeText.innerText()).trim();
    assert.match(code, /^BD1-/);

    await relay.start(code);
    const address = `127.0.0.1:${relay.port}`;
    await panel.getByLabel('Connect to a desk or a relay by address').fill(address);
    await panel.getByRole('button', { name: 'Connect', exact: true }).click();

    const relays = panel.getByRole('list', { name: 'Relays of this venue' });
    const card = relays.getByTestId('venue-relay');
    await card.getByText('Relay', { exact: true }).waitFor({ timeout: 15_000 });
    await card.getByText(address, { exact: true }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=venue-relay]')?.getAttribute('data-online') === 'true',
    );
    // Not a desk: one desk in the venue, this one, and no Remove for the relay.
    assert.equal(
      await panel.getByRole('list', { name: 'Desks of this venue' }).getByTestId('venue-desk').count(),
      1,
    );
    assert.equal(await card.getByRole('button').count(), 0);
    // The code the panel shows now carries the relay (the panel reads it again after a change).
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=venue-pairing-code]')?.textContent?.trim().startsWith('BD2-') ??
        false,
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(readPairingCode((await codeText.innerText()).trim()).relay, address);
    await e.screenshot('venue-relay');
  },
);
