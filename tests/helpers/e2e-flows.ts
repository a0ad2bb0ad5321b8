// Steps the end-to-end tests share, written as a person would do them: by visible text and role.
import type { Page } from 'playwright-core';
import { ADMIN_PIN, type E2E } from './e2e.ts';
import type { ChannelInput, ChannelName, ChannelResult, IpcResult } from '../../shared/ipc-contract.ts';

export async function unlockAdmin(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Unlock admin' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('PIN', { exact: true }).fill(ADMIN_PIN);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
}

export async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
}

export async function openEvents(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Events' }).click();
}

/** Calls the host's IPC directly, as the page does (for setting up state a test is not about). */
export async function ipc<C extends ChannelName>(
  e: Pick<E2E, 'host'>,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelResult<C>> {
  const url = new URL(e.host.url);
  const response = await fetch(new URL(`/ipc/${channel}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-badge-desk-token': url.searchParams.get('token')! },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as IpcResult<ChannelResult<C>>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Connects an account through Settings → Integrations, as an admin would. */
export async function connectThroughSettings(
  page: Page,
  provider: 'Eventbrite' | 'Luma',
  credential: string,
): Promise<void> {
  await openSettings(page);
  await page.getByRole('button', { name: `Connect ${provider}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(provider === 'Eventbrite' ? 'Private token' : 'API key').fill(credential);
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Imports a provider event through the Import Event dialog and waits for the event page. */
export async function importThroughDialog(
  page: Page,
  accountEmail: string,
  eventName: string,
): Promise<void> {
  await openEvents(page);
  await page.getByRole('button', { name: 'Import event' }).click();
  const dialog = page.getByRole('dialog');
  const account = dialog.getByLabel('Account');
  const options = await account.locator('option').allTextContents();
  const match = options.find((o) => o.includes(accountEmail));
  if (match) await account.selectOption({ label: match });
  await dialog.getByText(eventName).click();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: eventName }).waitFor();
}

export async function openEvent(page: Page, eventName: string): Promise<void> {
  await openEvents(page);
  await page.getByRole('heading', { name: eventName }).click();
  await page.getByRole('heading', { level: 1, name: eventName }).waitFor();
}

/** The "Total Attendees" figure on the event page. */
export async function totalAttendees(page: Page): Promise<number> {
  const text = await page.getByTestId('total-attendees').innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

/** An imported ACTIVE Eventbrite event with `n` attendees, set up over IPC (for tests about what comes after). */
export async function activeEvent(
  e: E2E,
  name: string,
  n: number,
  accountEmail = 'desk@venue.example',
  /** More of the provider's records before the import (an order of several, say). */
  prepare?: (providerEventId: string) => void,
) {
  const account = e.sim.eventbrite.addAccount({ email: accountEmail, name: 'Desk' });
  const providerEventId = e.sim.eventbrite.addEvent(account.token, { name });
  e.inThePast(() => {
    e.sim.eventbrite.seedAttendees(providerEventId, n);
    prepare?.(providerEventId);
  });
  await ipc(e, 'session.unlock', { pin: ADMIN_PIN });
  const integration = await ipc(e, 'integrations.connect', {
    provider: 'eventbrite',
    credential: account.token,
  });
  const event = await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
  await until(async () => (await ipc(e, 'events.get', { eventId: event.id })).status === 'ACTIVE');
  await ipc(e, 'session.lock', {});
  const { rows } = await ipc(e, 'attendees.list', { eventId: event.id, offset: 0, limit: 500 });
  await e.page.reload();
  return { eventId: event.id, providerEventId, rows };
}

/** A USB scanner: the code typed with no delay between keys, then Enter. */
export async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 0 });
  await page.keyboard.press('Enter');
}

/** Polls the host until `condition` holds (state that no page element shows), at most `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the host');
    await new Promise((r) => setTimeout(r, 100));
  }
}
