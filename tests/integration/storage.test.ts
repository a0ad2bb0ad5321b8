// The station's own storage failing under the app: a full disk (a tmpfs filled to the
// last byte), a read-only folder, a pulled drive, a PDF printer folder on a full disk, and the
// low-space warning. Each failure is a typed error at the IPC boundary and a storage status the
// banner reads; nothing acknowledged is lost; when space returns the desk saves again by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppHost, AppHostDeps } from '../../main/app/types.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { startSimulator, type Simulator } from '../../main/simulator/index.ts';
import { simulatedAppHost } from '../helpers/app-harness.ts';
import { smallDisk } from '../helpers/small-disk.ts';
import { spawnHost } from '../helpers/e2e.ts';
import { describeStorage, type StorageStatus } from '../../shared/storage.ts';
import type {
  ChannelInput,
  ChannelName,
  ChannelResult,
  IpcResult,
  PushMessage,
} from '../../shared/ipc-contract.ts';

const PIN = '2468';
type T = { after(fn: () => unknown): void; diagnostic(message: string): void };

interface Station {
  app: AppHost;
  pushed: PushMessage[];
  eventId: number;
  attendeeIds: number[];
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelResult<C>>>;
  must<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>;
  /** Resolves with the first pushed storage status that matches (the monitor's own timer gets there). */
  storageBecomes(match: (s: StorageStatus) => boolean): Promise<StorageStatus>;
}

async function station(
  t: T,
  dataDir: string,
  opts: { sim?: Simulator; attendees?: number; deps?: Partial<AppHostDeps> } = {},
): Promise<Station> {
  const clock = new VirtualClock();
  const sim = opts.sim ?? (await startSimulator({ now: () => clock.now() - 3600_000 }));
  const app = await simulatedAppHost({
    dataDir,
    clock,
    sim,
    env: { BADGE_DESK_ADMIN_PIN: PIN },
    storage: { intervalMs: 60_000, failingIntervalMs: 50 },
    ...opts.deps,
  });
  const pushed: PushMessage[] = [];
  const waiters: { match: (s: StorageStatus) => boolean; resolve: (s: StorageStatus) => void }[] = [];
  app.subscribe((m) => {
    pushed.push(m);
    if (m.event !== 'storageChanged') return;
    for (const w of [...waiters])
      if (w.match(m.payload as StorageStatus)) w.resolve(m.payload as StorageStatus);
  });
  let closed = false;
  t.after(async () => {
    if (!closed) await app.close();
    closed = true;
    if (!opts.sim) await sim.close();
  });
  const call = <C extends ChannelName>(channel: C, input: ChannelInput<C>) =>
    app.invoke(channel, input) as Promise<IpcResult<ChannelResult<C>>>;
  const must = async <C extends ChannelName>(channel: C, input: ChannelInput<C>) => {
    const r = await call(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  await must('session.unlock', { pin: PIN });
  let eventId = 0;
  let attendeeIds: number[] = [];
  if (opts.attendees) {
    const account = sim.eventbrite.addAccount({ email: `desk-${randomUUID()}@example.com`, name: 'Desk' });
    const providerEventId = sim.eventbrite.addEvent(account.token, { name: 'Storage conf' });
    sim.eventbrite.seedAttendees(providerEventId, opts.attendees);
    const integration = await must('integrations.connect', {
      provider: 'eventbrite',
      credential: account.token,
    });
    eventId = (await must('events.import', { integrationId: integration.id, providerEventId })).id;
    await app.core.engine.waitForJob(eventId);
    attendeeIds = (await must('attendees.list', { eventId, offset: 0, limit: 500 })).rows
      .filter((a) => a.status === 'ATTENDING')
      .map((a) => a.id);
  }
  return {
    app,
    pushed,
    eventId,
    attendeeIds,
    call,
    must,
    storageBecomes: (match) =>
      new Promise((resolve) => {
        const now = app.core.storageStatus();
        if (match(now)) return resolve(now);
        waiters.push({ match, resolve });
      }),
  };
}

test(
  'a full disk: STORAGE_FULL at the IPC boundary, the banner says why, nothing acknowledged is lost; space returns and the desk saves again',
  { timeout: 120_000 },
  async (t) => {
    const disk = smallDisk(t, 24);
    if (!disk.mounted)
      t.diagnostic(
        `${disk.fallbackReason}: the full disk is injected into SQLite instead (PRAGMA max_page_count)`,
      );
    const s = await station(t, disk.dir, { attendees: 300 });
    const acknowledged: string[] = [];
    const checkIn = async (attendeeId: number, actionId: string = randomUUID()) => {
      const r = await s.call('desk.checkIn', { eventId: s.eventId, actionId, attendeeId });
      if (r.ok && r.value.kind === 'checked_in') acknowledged.push(actionId);
      return { r, actionId };
    };
    for (const id of s.attendeeIds.slice(0, 20)) assert.ok((await checkIn(id)).r.ok);

    // The disk fills. The WAL is folded back first, so the next commit must grow a file.
    const file = join(disk.dir, 'badge-desk.sqlite');
    if (disk.mounted) {
      const db = new Database(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      disk.fill();
    } else {
      const pages = s.app.core.store.db.pragma('page_count', { simple: true }) as number;
      s.app.core.store.db.pragma(`max_page_count = ${pages}`);
    }
    const refused: { attendeeId: number; actionId: string }[] = [];
    for (const id of s.attendeeIds.slice(20, 220)) {
      const { r, actionId } = await checkIn(id);
      if (!r.ok) {
        assert.equal(
          r.error.code,
          'STORAGE_FULL',
          `a typed error, not "${r.error.code}: ${r.error.message}"`,
        );
        assert.match(r.error.message, /Not saved\. The disk of this computer is full\./);
        refused.push({ attendeeId: id, actionId });
        if (refused.length >= 5) break;
      }
    }
    assert.equal(refused.length, 5, 'check-ins were refused once the disk was full');
    const status = (await s.must('app.snapshot', {})).storage;
    assert.equal(status.state, 'full');
    assert.ok(status.since !== null);
    assert.equal(describeStorage(status)?.title, 'Check-ins are not being saved');
    assert.ok(
      s.pushed.some((m) => m.event === 'storageChanged' && (m.payload as StorageStatus).state === 'full'),
      'the banner was pushed',
    );
    // The desk still reads: search answers on a full disk.
    assert.ok((await s.call('desk.search', { eventId: s.eventId, query: 'a' })).ok);

    // Space returns: the monitor's own probe sees it and the banner goes, without a click.
    if (disk.mounted) disk.free();
    else s.app.core.store.db.pragma('max_page_count = 1073741823');
    const back = await s.storageBecomes((x) => x.state === 'ok');
    assert.equal(back.since, null);
    assert.equal(describeStorage({ ...back, lowSpace: false }), null);
    // The refused check-ins are tried again with their own action ids, and more people come.
    for (const r of refused) assert.ok((await checkIn(r.attendeeId, r.actionId)).r.ok);
    for (const id of s.attendeeIds.slice(220, 230)) assert.ok((await checkIn(id)).r.ok);
    await s.app.close();

    const db = new Database(file, { readonly: true });
    const logged = db.prepare('SELECT action_id FROM checkins').pluck().all() as string[];
    db.close();
    const once = new Map<string, number>();
    for (const id of logged) once.set(id, (once.get(id) ?? 0) + 1);
    for (const id of acknowledged) assert.equal(once.get(id), 1, `acknowledged ${id} is in the log once`);
    assert.equal(logged.length, acknowledged.length, 'nothing that was refused slipped into the log');
  },
);

test('the low-space warning: free space under the threshold shows on the status, and goes when space returns', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bd-low-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let free = 5 * 1024 ** 3;
  const s = await station(t, dir, {
    deps: { storage: { lowSpaceBytes: 200 * 1024 ** 2, intervalMs: 60_000, freeBytes: async () => free } },
  });
  assert.equal((await s.must('storage.recheck', {})).lowSpace, false);
  free = 150 * 1024 ** 2;
  let status = await s.must('storage.recheck', {});
  assert.equal(status.lowSpace, true);
  assert.equal(status.freeBytes, free);
  assert.match(describeStorage(status)!.body, /Only 150 MB left .*\(below 200 MB\)/);
  assert.ok(s.pushed.some((m) => m.event === 'storageChanged' && (m.payload as StorageStatus).lowSpace));
  free = 5 * 1024 ** 3;
  status = await s.must('storage.recheck', {});
  assert.equal(status.lowSpace, false);
  assert.equal(describeStorage(status), null);

  // The real statfs on a small tmpfs: under the default 200 MB, so the warning shows.
  const disk = smallDisk(t, 16);
  if (!disk.mounted)
    return t.diagnostic(
      `${disk.fallbackReason}: the real statfs case needs a small disk; skipped it, the injected one above ran`,
    );
  const real = await station(t, disk.dir);
  const seen = await real.must('storage.recheck', {});
  assert.ok(seen.freeBytes !== null && seen.freeBytes < 16 * 1024 ** 2, `statfs read ${seen.freeBytes}`);
  assert.equal(seen.lowSpace, true);
});

test(
  'a PDF printer folder on a full disk: the badge waits as for an unreachable printer, no half-written file; it prints once there is room',
  { timeout: 60_000 },
  async (t) => {
    const disk = smallDisk(t, 8);
    if (!disk.mounted)
      return t.diagnostic(
        `${disk.fallbackReason}: this case needs a real full disk under the folder; the unit tests cover the driver's classification`,
      );
    const dir = mkdtempSync(join(tmpdir(), 'bd-pdf-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const s = await station(t, dir, { attendees: 5 });
    const folder = join(disk.dir, 'badges');
    const printer = await s.must('printers.add', {
      name: 'Badges folder',
      config: { kind: 'pdf_folder', folder },
    });
    await s.must('settings.update', { printerId: printer.id });
    await s.must('printers.test', { printerId: printer.id });
    await s.app.core.printing.idle();
    const before = readdirSync(folder);
    assert.equal(before.length, 1, 'the test badge printed before the disk filled');

    disk.fill();
    const job = await s.must('print.badge', { attendeeId: s.attendeeIds[0]! });
    await s.app.core.printing.idle();
    const waiting = (await s.must('print.jobs', { limit: 10 })).find((j) => j.id === job.id)!;
    assert.equal(waiting.state, 'queued', 'waits, as for an unreachable printer');
    assert.match(waiting.error ?? '', /disk of this computer is full/);
    assert.deepEqual(readdirSync(folder), before, 'no half-written badge, no part file left');

    disk.free();
    await s.must('print.retry', { jobId: job.id });
    await s.app.core.printing.idle();
    const done = (await s.must('print.jobs', { limit: 10 })).find((j) => j.id === job.id)!;
    assert.equal(done.state, 'printed');
    assert.equal(readdirSync(folder).filter((f) => f.endsWith('.pdf')).length, 2);
    assert.equal(readdirSync(folder).filter((f) => f.endsWith('.part')).length, 0);
  },
);

test('a data folder that turns read-only under the app: STORAGE_READ_ONLY and the banner; writable again, the desk saves by itself', async (t) => {
  // As root a folder's permissions stop nothing, and a mount with files open for writing cannot
  // be remounted read-only: SQLite's own query_only switch stands in for the drive here.
  const dir = mkdtempSync(join(tmpdir(), 'bd-ro-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = await station(t, dir, { attendees: 20 });
  s.app.core.store.db.pragma('query_only = ON');
  const r = await s.call('desk.checkIn', {
    eventId: s.eventId,
    actionId: randomUUID(),
    attendeeId: s.attendeeIds[0]!,
  });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'STORAGE_READ_ONLY');
  const status = await s.must('storage.status', {});
  assert.equal(status.state, 'read_only');
  assert.equal(describeStorage(status)?.title, 'Check-ins are not being saved');
  assert.ok(
    (await s.must('desk.search', { eventId: s.eventId, query: 'a' })).rows.length > 0,
    'the desk still finds people',
  );
  s.app.core.store.db.pragma('query_only = OFF');
  await s.storageBecomes((x) => x.state === 'ok');
  assert.ok(
    (
      await s.call('desk.checkIn', {
        eventId: s.eventId,
        actionId: randomUUID(),
        attendeeId: s.attendeeIds[0]!,
      })
    ).ok,
  );
});

test(
  'a read-only data folder at start: the browser host says what happened and what to do, on its console and as the page; the file is left alone',
  { timeout: 60_000 },
  async (t) => {
    const disk = smallDisk(t, 24);
    if (!disk.mounted)
      return t.diagnostic(`${disk.fallbackReason}: a read-only mount needs a tmpfs; not run here`);
    const first = await station(t, disk.dir, { attendees: 5 });
    await first.app.close();
    const before = readFileSync(join(disk.dir, 'badge-desk.sqlite'));
    disk.remount('ro');

    let output = '';
    const host = await spawnHost(disk.dir, {}, { onOutput: (text) => (output += text) });
    t.after(() => host.kill());
    const page = await (await fetch(host.url)).text();
    for (const text of [output, page]) {
      assert.match(text, /Badge Desk could not start/);
      assert.match(text, /can no longer be written/);
      assert.match(text, /What to do/);
      assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
    }
    const ipc = (await (
      await fetch(new URL('/ipc/app.snapshot', host.url), { method: 'POST' })
    ).json()) as IpcResult<unknown>;
    assert.equal(ipc.ok, false);
    assert.ok(readFileSync(join(disk.dir, 'badge-desk.sqlite')).equals(before), 'left exactly as it was');
    assert.deepEqual(
      readdirSync(disk.dir).filter((f) => f.includes('damaged')),
      [],
    );
  },
);

test(
  'a pulled drive: check-ins answer STORAGE_UNAVAILABLE instead of landing in a file nobody will read; reads go on',
  { timeout: 60_000 },
  async (t) => {
    const disk = smallDisk(t, 24);
    if (!disk.mounted)
      return t.diagnostic(`${disk.fallbackReason}: pulling a drive needs a tmpfs; not run here`);
    const s = await station(t, disk.dir, { attendees: 20 });
    assert.ok(
      (
        await s.call('desk.checkIn', {
          eventId: s.eventId,
          actionId: randomUUID(),
          attendeeId: s.attendeeIds[0]!,
        })
      ).ok,
    );
    disk.pull();
    const r = await s.call('desk.checkIn', {
      eventId: s.eventId,
      actionId: randomUUID(),
      attendeeId: s.attendeeIds[1]!,
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'STORAGE_UNAVAILABLE');
    assert.equal((await s.must('storage.status', {})).state, 'unavailable');
    assert.ok((await s.call('desk.search', { eventId: s.eventId, query: 'a' })).ok, 'reads go on');
  },
);
