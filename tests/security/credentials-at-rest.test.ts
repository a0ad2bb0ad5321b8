// Credentials are sealed at rest and appear in no log, no answer, no export and no print.
// The real browser host process (npm run web) against the provider simulator: an admin connects an
// Eventbrite token and a Luma key (distinctive strings), imports an event from each, the desk
// checks people in with badges printing to a PDF folder, undoes one, reprints one, exports the
// check-in logs as CSV; then the errors: wrong tokens (one containing the real one, one with a
// header injection, one too long), broken bodies, a malformed provider answer, both credentials
// revoked so sync fails. The host is then killed (SIGKILL: the SQLite WAL stays as it was) and
// the tokens' bytes, in UTF-8, UTF-16, hex and base64 at every alignment, must appear nowhere:
// no file of the data folder (database, WAL, settings), no PDF (nor its text), no CSV, no IPC
// answer, no push message, nothing the process wrote to stdout or stderr. credentials.json holds
// each one only sealed (AES-256-GCM; it opens with the key beside it, which is why the browser
// host tells the admin its credentials are not encrypted at rest).
//
// Crash reports and logs: Badge Desk has none of its own. Electron's crashReporter is never
// started (nothing imports it), there are no uncaughtException/unhandledRejection handlers that
// write anywhere, and no log files: what a failure leaves is the process's stdout/stderr (checked
// here) and the typed error envelopes of the IPC, which carry a code and a message, never a
// stack trace or a source path (checked here too). Electron's safeStorage store is tested in
// tests/unit/electron-security.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../main/simulator/index.ts';
import { spawnHost, ADMIN_PIN } from '../helpers/e2e.ts';
import { until } from '../helpers/e2e-flows.ts';
import type { IpcResult } from '../../shared/ipc-contract.ts';
import type { Attendee, SyncedEvent, Integration } from '../../shared/types.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { INTEGRATION_ACCOUNTS_REF } from '../../main/core/integration-accounts.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EVENTBRITE_TOKEN = 'EBTOK7Q2ZK9XW4ND8HBEY3MCTRV';
const LUMA_KEY = 'secret-LUMA5R8T2V6PQW3E9Y4U1J';
const SECRETS = { eventbrite: EVENTBRITE_TOKEN, luma: LUMA_KEY };

/** The ways a secret's bytes could sit in a file or a stream. */
function encodings(secret: string): { name: string; bytes: Buffer }[] {
  const utf8 = Buffer.from(secret, 'utf8');
  const out = [
    { name: 'utf8', bytes: utf8 },
    { name: 'utf16le', bytes: Buffer.from(secret, 'utf16le') },
    { name: 'hex', bytes: Buffer.from(utf8.toString('hex')) },
    { name: 'HEX', bytes: Buffer.from(utf8.toString('hex').toUpperCase()) },
  ];
  // Base64 inside a longer stream: the secret may start at any of three byte alignments. Skipping
  // 0, 1 or 2 leading bytes makes one of them line up; the last quantum depends on what follows.
  for (let skip = 0; skip < 3; skip++) {
    const b64 = utf8.subarray(skip).toString('base64');
    const stable = b64.slice(0, Math.floor((utf8.length - skip) / 3) * 4);
    out.push({ name: `base64+${skip}`, bytes: Buffer.from(stable) });
    out.push({
      name: `base64url+${skip}`,
      bytes: Buffer.from(stable.replaceAll('+', '-').replaceAll('/', '_')),
    });
  }
  return out;
}

/** Which secret, in which encoding, `data` holds. */
function leaksIn(data: Buffer | string): string[] {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const found: string[] = [];
  for (const [provider, secret] of Object.entries(SECRETS)) {
    for (const { name, bytes } of encodings(secret))
      if (buffer.includes(bytes)) found.push(`${provider} token as ${name}`);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

test('the leak scanner finds a token in every encoding it claims to', () => {
  for (const { name, bytes } of encodings(EVENTBRITE_TOKEN))
    assert.deepEqual(
      leaksIn(Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')])).includes(
        `eventbrite token as ${name}`,
      ),
      true,
      name,
    );
  for (const prefix of ['', 'a', 'ab', 'abc']) {
    const embedded = Buffer.from(`${prefix}${LUMA_KEY}"}`).toString('base64');
    assert.ok(
      leaksIn(embedded).some((l) => l.startsWith('luma token as base64')),
      `base64 after ${prefix.length} bytes`,
    );
  }
  assert.deepEqual(leaksIn('nothing to see'), []);
});

test(
  'credentials: sealed in credentials.json, and nowhere else — files, WAL, PDFs, CSV, answers, pushes, stdout/stderr',
  { timeout: 180_000 },
  async (t) => {
    if (!existsSync('/usr/bin/pdftotext'))
      throw new Error('pdftotext is missing: apt-get install poppler-utils (.ci/run does)');
    const sim = await startSimulator();
    t.after(() => sim.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'bd-creds-'));
    const printDir = mkdtempSync(join(tmpdir(), 'bd-creds-pdf-'));
    t.after(() => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(printDir, { recursive: true, force: true });
    });

    sim.eventbrite.addAccount({ email: 'eb@venue.example', name: 'EB Desk', token: EVENTBRITE_TOKEN });
    sim.luma.addAccount({ email: 'luma@venue.example', name: 'Luma Desk', token: LUMA_KEY });
    const ebEventId = sim.eventbrite.addEvent(EVENTBRITE_TOKEN, { name: 'Vault Expo' });
    const lumaEventId = sim.luma.addEvent(LUMA_KEY, { name: 'Cipher Night' });
    sim.eventbrite.seedAttendees(ebEventId, 30);
    sim.luma.seedAttendees(lumaEventId, 20);

    let output = '';
    const host = await spawnHost(
      dataDir,
      {
        BADGE_DESK_EVENTBRITE_URL: sim.eventbrite.baseUrl,
        BADGE_DESK_LUMA_URL: sim.luma.baseUrl,
        BADGE_DESK_ADMIN_PIN: ADMIN_PIN,
        BADGE_DESK_POLL_INTERVAL_MS: '1000',
      },
      { onOutput: (text) => (output += text) },
    );
    t.after(() => host.kill());
    const url = new URL(host.url);
    const hostToken = url.searchParams.get('token')!;

    // Every push for the whole run, as a renderer would receive them.
    let pushes = '';
    const pushAbort = new AbortController();
    t.after(() => pushAbort.abort());
    const pushResponse = await fetch(new URL(`/push?token=${hostToken}`, url), { signal: pushAbort.signal });
    assert.equal(pushResponse.status, 200);
    const reader = pushResponse.body!.getReader();
    const decoder = new TextDecoder();
    const pumping = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        pushes += decoder.decode(value, { stream: true });
      }
    })();
    await until(async () => pushes.includes(': connected'));

    // Every answer, as text.
    const answers: { channel: string; text: string }[] = [];
    const post = async (channel: string, body: string) => {
      const response = await fetch(new URL(`/ipc/${encodeURIComponent(channel)}`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-badge-desk-token': hostToken },
        body,
      });
      const text = await response.text();
      answers.push({ channel, text });
      return text;
    };
    const invoke = async (channel: string, input: unknown) =>
      JSON.parse(await post(channel, JSON.stringify(input))) as IpcResult<unknown>;
    const call = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = await invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    };
    const refusal = async (channel: string, input: unknown): Promise<string> => {
      const result = await invoke(channel, input);
      assert.equal(result.ok, false, `${channel} should be refused`);
      return result.ok ? 'ok' : result.error.code;
    };

    // ---- the happy path: connect, import, check in, print, export ----
    await call('session.unlock', { pin: ADMIN_PIN });
    const eventbrite = await call<Integration>('integrations.connect', {
      provider: 'eventbrite',
      credential: EVENTBRITE_TOKEN,
    });
    const luma = await call<Integration>('integrations.connect', {
      provider: 'luma',
      credential: ` ${LUMA_KEY}\n`,
    });
    const snapshot = await call<{ credentialsEncrypted: boolean }>('app.snapshot', {});
    assert.equal(
      snapshot.credentialsEncrypted,
      false,
      'the browser host says its credentials are not encrypted at rest',
    );
    await call('events.providerList', { integrationId: eventbrite.id });
    await call('events.providerList', { integrationId: luma.id });
    const ebEvent = await call<SyncedEvent>('events.import', {
      integrationId: eventbrite.id,
      providerEventId: ebEventId,
    });
    const lumaEvent = await call<SyncedEvent>('events.import', {
      integrationId: luma.id,
      providerEventId: lumaEventId,
    });
    for (const event of [ebEvent, lumaEvent])
      await until(
        async () => (await call<SyncedEvent>('events.get', { eventId: event.id })).status === 'ACTIVE',
      );

    const printer = await call<{ id: number }>('printers.add', {
      name: 'Badges to PDF',
      config: { kind: 'pdf_folder', folder: printDir },
    });
    await call('settings.update', { printerId: printer.id, autoPrint: true });
    const ebRows = (
      await call<{ rows: Attendee[] }>('attendees.list', { eventId: ebEvent.id, offset: 0, limit: 50 })
    ).rows;
    const lumaRows = (
      await call<{ rows: Attendee[] }>('attendees.list', { eventId: lumaEvent.id, offset: 0, limit: 50 })
    ).rows;
    let action = 0;
    const actionId = () => `creds-action-${String(++action).padStart(4, '0')}`;
    for (const row of ebRows.slice(0, 3))
      await call('desk.checkIn', { eventId: ebEvent.id, actionId: actionId(), attendeeId: row.id });
    const scanned = ebRows.find((r) => r.barcode && !ebRows.slice(0, 3).includes(r))!;
    await call('desk.checkIn', { eventId: ebEvent.id, actionId: actionId(), code: scanned.barcode });
    for (const row of lumaRows.slice(0, 2))
      await call('desk.checkIn', { eventId: lumaEvent.id, actionId: actionId(), attendeeId: row.id });
    await call('desk.undo', { eventId: ebEvent.id, attendeeId: ebRows[0]!.id, actionId: actionId() });
    await until(
      async () => (await call<PrintJob[]>('print.jobs', { states: ['printed'], limit: 50 })).length >= 6,
    );
    await call('print.reprint', { attendeeId: ebRows[1]!.id, note: 'coffee on the badge' });
    await until(
      async () => (await call<PrintJob[]>('print.jobs', { states: ['printed'], limit: 50 })).length >= 7,
    );
    await call('desk.search', { eventId: ebEvent.id, query: ebRows[2]!.fullName.slice(0, 4) });
    await call('desk.log', { eventId: ebEvent.id, limit: 50 });
    await call('desk.stats', { eventId: ebEvent.id });
    const csvs = [
      await call<{ csv: string }>('desk.exportCsv', { eventId: ebEvent.id }),
      await call<{ csv: string }>('desk.exportCsv', { eventId: lumaEvent.id }),
    ].map((x) => x.csv);
    assert.ok(csvs[0]!.split('\n').length >= 6, 'the Eventbrite CSV holds the check-ins and the undo');

    // ---- the errors ----
    assert.equal(
      await refusal('integrations.connect', {
        provider: 'eventbrite',
        credential: `${EVENTBRITE_TOKEN}-typo`,
      }),
      'CREDENTIAL_REJECTED',
    );
    assert.equal(
      await refusal('integrations.connect', { provider: 'luma', credential: `x${LUMA_KEY}` }),
      'CREDENTIAL_REJECTED',
    );
    // A line break would smuggle a header (and undici quotes the bad value in its error): refused at the boundary.
    assert.equal(
      await refusal('integrations.connect', {
        provider: 'eventbrite',
        credential: `${EVENTBRITE_TOKEN}\r\nX-Injected: 1`,
      }),
      'INVALID_INPUT',
    );
    assert.equal(
      await refusal('integrations.connect', { provider: 'luma', credential: `${LUMA_KEY} ${LUMA_KEY}` }),
      'INVALID_INPUT',
    );
    assert.equal(
      await refusal('integrations.connect', {
        provider: 'luma',
        credential: `${LUMA_KEY}${'k'.repeat(5000)}`,
      }),
      'INVALID_INPUT',
    );
    assert.equal(
      await refusal('integrations.connect', { provider: 'github', credential: EVENTBRITE_TOKEN }),
      'INVALID_INPUT',
    );
    assert.equal(
      await refusal('integrations.connect', {
        provider: 'eventbrite',
        credential: EVENTBRITE_TOKEN,
        extra: EVENTBRITE_TOKEN,
      }),
      'INVALID_INPUT',
    );
    assert.match(
      await post('integrations.connect', `{"provider":"eventbrite","credential":"${EVENTBRITE_TOKEN}`),
      /INVALID_INPUT/,
    );
    assert.match(await post(EVENTBRITE_TOKEN, '{}'), /unknown channel/);
    sim.eventbrite.failNext(1, 'malformed');
    await call('events.sync', { eventId: ebEvent.id });
    // The provider revokes both: sync fails, events and accounts show it.
    sim.eventbrite.revokeToken(EVENTBRITE_TOKEN);
    sim.luma.revokeToken(LUMA_KEY);
    for (const event of [ebEvent, lumaEvent]) {
      // (A sync may still be running — the malformed answer's retry, or live sync: CONFLICT is fine.)
      await invoke('events.sync', { eventId: event.id });
      await until(
        async () => (await call<SyncedEvent>('events.get', { eventId: event.id })).status === 'DISCONNECTED',
      );
      await call('events.history', { eventId: event.id });
      await call('events.recoveryOptions', { eventId: event.id });
    }
    assert.equal(
      await refusal('events.reconnect', { eventId: ebEvent.id, integrationId: eventbrite.id }),
      'INVALID_STATE',
    );
    assert.equal(
      await refusal('integrations.connect', { provider: 'eventbrite', credential: EVENTBRITE_TOKEN }),
      'CREDENTIAL_REJECTED',
    );
    assert.equal(await refusal('events.providerList', { integrationId: luma.id }), 'INVALID_STATE');
    const integrations = await call<Integration[]>('integrations.list', {});
    assert.deepEqual(
      integrations.map((i) => i.status),
      ['DISCONNECTED', 'DISCONNECTED'],
    );
    await call('app.snapshot', {});
    await call('print.jobs', { limit: 50 });

    // ---- the process goes down hard; then look everywhere ----
    await host.kill();
    pushAbort.abort();
    await pumping;

    const leaks: string[] = [];
    const note = (where: string, data: Buffer | string) =>
      leaks.push(...leaksIn(data).map((l) => `${l} in ${where}`));

    const dataFiles = filesUnder(dataDir);
    const names = dataFiles.map((f) => relative(dataDir, f));
    for (const expected of [
      'badge-desk.sqlite',
      'badge-desk.sqlite-wal',
      'station.json',
      'credentials.json',
      'credentials.key',
    ]) {
      assert.ok(names.includes(expected), `${expected} is in the data folder (${names.join(', ')})`);
    }
    assert.ok(
      statSync(join(dataDir, 'badge-desk.sqlite-wal')).size > 0,
      'the WAL holds the last writes (the host was killed)',
    );
    for (const file of dataFiles) note(relative(dataDir, file), readFileSync(file));

    const pdfs = filesUnder(printDir).filter((f) => f.endsWith('.pdf'));
    assert.ok(pdfs.length >= 7, `the badges were printed (${pdfs.length} PDFs)`);
    for (const pdf of pdfs) {
      note(relative(printDir, pdf), readFileSync(pdf));
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
      assert.ok(text.trim().length > 0, `${pdf} has text`);
      note(`the text of ${relative(printDir, pdf)}`, text);
    }
    csvs.forEach((csv, i) => note(`CSV export #${i + 1}`, csv));
    for (const { channel, text } of answers) note(`the answer on ${channel} (${text.slice(0, 300)})`, text);
    note('the push stream', pushes);
    note("the host's stdout/stderr", output);
    assert.match(output, /Badge Desk browser host: http:\/\/127\.0\.0\.1:\d+\//, 'the output was captured');
    assert.ok(pushes.split('\n\n').length > 10, 'pushes were captured');
    assert.deepEqual(leaks, []);

    // Error envelopes: a code and a message, never a stack or a source path.
    const errors = answers.filter((a) => a.text.includes('"ok":false'));
    assert.ok(errors.length >= 10, `${errors.length} error answers`);
    for (const { channel, text } of errors) {
      assert.doesNotMatch(
        text,
        /\n\s+at |\bat (async )?[\w.<>]+ \(|\.ts:\d+|node_modules|node:internal/,
        `a stack trace on ${channel}: ${text}`,
      );
      assert.ok(!text.includes(ROOT), `a source path on ${channel}: ${text}`);
    }

    // credentials.json: one sealed entry per account, and each opens to its token with the key.
    const sealed = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as Record<
      string,
      string
    >;
    const key = Buffer.from(readFileSync(join(dataDir, 'credentials.key'), 'utf8').trim(), 'base64');
    const open = (value: string) => {
      const raw = Buffer.from(value, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    };
    const { [INTEGRATION_ACCOUNTS_REF]: accounts, ...credentials } = sealed;
    assert.deepEqual(
      Object.values(credentials).map(open).sort(),
      [EVENTBRITE_TOKEN, LUMA_KEY].sort(),
      'both credentials are stored, sealed, and trimmed',
    );
    // Beside them, sealed too, the accounts they belong to (so a damaged database gives its
    // integrations back), which name each credential's entry and hold no token.
    assert.ok(accounts, 'the accounts are kept beside the credentials');
    const accountList = open(accounts) as string;
    assert.deepEqual((JSON.parse(accountList) as { provider: string }[]).map((a) => a.provider).sort(), [
      'eventbrite',
      'luma',
    ]);
    for (const token of [EVENTBRITE_TOKEN, LUMA_KEY]) assert.ok(!accountList.includes(token));
    for (const file of ['credentials.json', 'credentials.key']) {
      assert.equal(
        statSync(join(dataDir, file)).mode & 0o777,
        0o600,
        `${file} is readable by its owner only`,
      );
    }
  },
);
