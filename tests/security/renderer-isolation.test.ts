// The renderer cannot reach Node, the file system or the credentials: Debian's Chromium on the
// browser host, with the built renderer. The page has no Node globals and no bridge object (the
// browser host's transport is plain HTTP with a per-run token; in Electron the preload's
// window.badgeDesk has only invoke and subscribe, tests/security/electron-shell.test.ts); it
// cannot read file:// nor talk to a provider itself (CSP connect-src 'self'); and after an admin
// connects an account with a known token, no IPC answer and no push message the page receives
// carries that token, nor does anything the page keeps (DOM, storage, cookies, address).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E } from '../helpers/e2e.ts';
import {
  connectThroughSettings,
  importThroughDialog,
  ipc,
  openSettings,
  unlockAdmin,
  until,
} from '../helpers/e2e-flows.ts';

const T = { timeout: 180_000 };
const TOKEN = 'PLT7RQ2ZKW9XV4NDJ8HBEYS3MC';
const ACCOUNT_EMAIL = 'sealed@venue.example';

test(
  'the page has no Node, no file system and no provider access; the token it sent never comes back to it',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    e.sim.eventbrite.addAccount({ email: ACCOUNT_EMAIL, name: 'Sealed Desk', token: TOKEN });
    const providerEventId = e.sim.eventbrite.addEvent(TOKEN, { name: 'Sealed Summit' });
    e.inThePast(() => e.sim.eventbrite.seedAttendees(providerEventId, 40));

    // Everything the page receives from here on: IPC answers (taken off the wire) and push messages
    // (as the page's own EventSource delivers them, recorded before the app's scripts run).
    const received: { channel: string; body: string }[] = [];
    await page.route('**/ipc/**', async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      received.push({ channel: decodeURIComponent(new URL(route.request().url()).pathname.slice(5)), body });
      await route.fulfill({ response, body });
    });
    const pushes: string[] = [];
    await page.exposeFunction('__bdRecordPush', (data: string) => void pushes.push(data));
    // tsx compiles this file with keepNames: functions declared inside page.evaluate callbacks call
    // esbuild's __name helper, which the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
    await page.addInitScript(() => {
      const record = (window as unknown as { __bdRecordPush: (data: string) => void }).__bdRecordPush;
      const Original = window.EventSource;
      window.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          this.addEventListener('message', (m: MessageEvent) => record(String(m.data)));
        }
      };
    });
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    // ---- no Node, no bridge object ----
    const globals = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const names = [
        'require',
        'process',
        'module',
        'exports',
        'Buffer',
        'global',
        '__dirname',
        '__filename',
        'setImmediate',
        'electron',
        'ipcRenderer',
        'badgeDesk',
      ];
      return Object.fromEntries(names.map((n) => [n, typeof g[n]]));
    });
    for (const [name, type] of Object.entries(globals))
      assert.equal(type, 'undefined', `window.${name} in the page`);

    // ---- no file system, no other origin ----
    const attempts = await page.evaluate(async (providerUrl) => {
      const outcome = async (run: () => Promise<unknown>) => {
        try {
          await run();
          return 'reached';
        } catch (err) {
          return `refused (${err instanceof Error ? err.name : String(err)})`;
        }
      };
      const xhr = (url: string) =>
        new Promise<void>((resolve, reject) => {
          const request = new XMLHttpRequest();
          request.onload = () => resolve();
          request.onerror = () => reject(new Error('xhr error'));
          request.open('GET', url);
          request.send();
        });
      return {
        fetchFile: await outcome(() => fetch('file:///etc/passwd')),
        xhrFile: await outcome(() => xhr('file:///etc/passwd')),
        importNode: await outcome(() => import('node:fs' as string)),
        fetchProvider: await outcome(() => fetch(`${providerUrl}/users/me/`)),
        escapeStatic: await outcome(async () => {
          const r = await fetch('/..%2f..%2f..%2f..%2fetc%2fpasswd');
          if (!(await r.text()).includes('root:')) throw new Error('not served');
        }),
      };
    }, e.sim.eventbrite.baseUrl);
    for (const [what, result] of Object.entries(attempts)) assert.match(result, /^refused/, what);

    // ---- an admin connects the account and imports an event, as in Settings ----
    await unlockAdmin(page);
    await connectThroughSettings(page, 'Eventbrite', TOKEN);
    await page.getByText(ACCOUNT_EMAIL).first().waitFor();
    await importThroughDialog(page, ACCOUNT_EMAIL, 'Sealed Summit');
    const [event] = await ipc(e, 'events.list', {});
    assert.ok(event);
    await until(async () => (await ipc(e, 'events.get', { eventId: event.id })).status === 'ACTIVE');

    // The page asks for everything that describes the account and its events, through its own transport.
    const asked = await page.evaluate(
      async ({ eventId, credential }) => {
        const token = sessionStorage.getItem('badgeDeskToken') ?? '';
        const call = async (channel: string, input: unknown) =>
          (
            await fetch(`/ipc/${channel}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-badge-desk-token': token },
              body: JSON.stringify(input),
            })
          ).status;
        const integrationId = (
          (await (
            await fetch('/ipc/integrations.list', {
              method: 'POST',
              headers: { 'x-badge-desk-token': token },
              body: '{}',
            })
          ).json()) as { value: { id: number }[] }
        ).value[0]!.id;
        return [
          await call('app.snapshot', {}),
          await call('events.list', {}),
          await call('events.get', { eventId }),
          await call('events.history', { eventId }),
          await call('events.recoveryOptions', { eventId }),
          await call('events.providerList', { integrationId }),
          await call('attendees.list', { eventId, offset: 0, limit: 50 }),
          await call('events.sync', { eventId }),
          // A wrong token that contains the real one: the refusal must not echo it.
          await call('integrations.connect', { provider: 'eventbrite', credential: `${credential}-typo` }),
        ];
      },
      { eventId: event.id, credential: TOKEN },
    );
    assert.deepEqual(asked, Array(asked.length).fill(200));

    // The provider revokes the token: sync fails, the event and the account say so, and still no token.
    e.sim.eventbrite.revokeToken(TOKEN);
    await ipc(e, 'events.sync', { eventId: event.id });
    await until(async () => (await ipc(e, 'events.get', { eventId: event.id })).status === 'DISCONNECTED');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await openSettings(page);
    await page.getByText(ACCOUNT_EMAIL).first().waitFor();
    await until(async () => pushes.some((p) => p.includes('DISCONNECTED')));

    // ---- what the page received and keeps ----
    const channels = new Set(received.map((a) => a.channel));
    for (const channel of [
      'app.snapshot',
      'integrations.connect',
      'integrations.list',
      'events.list',
      'events.providerList',
      'events.import',
      'events.history',
    ]) {
      assert.ok(
        channels.has(channel),
        `the page received an answer on ${channel} (got ${[...channels].join(', ')})`,
      );
    }
    const typo = received.find((a) => a.channel === 'integrations.connect' && a.body.includes('"ok":false'));
    assert.ok(typo, 'the wrong token was refused');
    assert.match(typo.body, /CREDENTIAL_REJECTED/);

    const kept = await page.evaluate(() => ({
      dom: document.documentElement.outerHTML,
      session: JSON.stringify({ ...sessionStorage }),
      local: JSON.stringify({ ...localStorage }),
      cookies: document.cookie,
      address: location.href,
    }));
    // The recording route ends here: a route still fetching when the browser closes would fail the
    // test with "Request context disposed" (the page's polling goes on until the end).
    await page.unrouteAll({ behavior: 'wait' });
    const core = TOKEN.slice(4, 20);
    const leaks = [
      ...received.map((a) => [`answer on ${a.channel}`, a.body] as const),
      ...pushes.map((p, i) => [`push #${i}`, p] as const),
      ...Object.entries(kept),
    ].filter(([, text]) => text.includes(core));
    assert.deepEqual(
      leaks.map(([where]) => where),
      [],
      `the token reached the page (${received.length} answers, ${pushes.length} pushes checked)`,
    );
    assert.ok(
      received.length >= 20 && pushes.length >= 3,
      `enough was checked: ${received.length} answers, ${pushes.length} pushes`,
    );
  },
);
