// Storage failures in Debian's Chromium through the browser host: the desk on a small disk (a tmpfs, as
// root) that fills up and frees again, and the admin's notice after a damaged database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startE2E } from '../helpers/e2e.ts';
import { activeEvent, ipc, openEvent, openEvents, scan, unlockAdmin, until } from '../helpers/e2e-flows.ts';
import { smallDisk } from '../helpers/small-disk.ts';
import { mapPages, readableCheckIns } from '../helpers/sqlite-pages.ts';

const T = { timeout: 180_000 };

const feedback = (page: Page) => page.getByTestId('checkin-feedback');

test(
  'a full disk at the desk: the banner says check-ins are not being saved and why; the refused check-in shows as not saved, is saved by itself once space returns, and the banner goes',
  T,
  async (t) => {
    const disk = smallDisk(t, 64);
    if (!disk.mounted) {
      // The browser host is a process of its own: SQLite's max_page_count cannot be set from here.
      // tests/integration/storage.test.ts runs the same checks in process with that fallback.
      t.skip(`${disk.fallbackReason}: this end-to-end case needs a real small disk`);
      return;
    }
    const e = await startE2E(t, { dataDir: disk.dir });
    const { page } = e;
    const { eventId, rows } = await activeEvent(e, 'Small Disk Conf', 40);
    const people = rows.filter((r) => r.status === 'ATTENDING' && r.barcode);

    // 64 MB free is under the 200 MB threshold: the event page warns before anything fails.
    await openEvent(page, 'Small Disk Conf');
    await page.getByTestId('low-space-banner').getByText('Low disk space').waitFor();
    await page.getByRole('button', { name: 'Check-in desk' }).click();
    await page.getByRole('main', { name: 'Check-in desk' }).waitFor();
    await page.getByTestId('low-space-banner').waitFor();

    await scan(page, people[0]!.barcode!);
    await feedback(page).getByText('Checked in', { exact: true }).waitFor();

    // The disk fills (the WAL folded back first, so the next commit must grow a file).
    const db = new Database(join(disk.dir, 'badge-desk.sqlite'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    disk.fill();
    const refused = people[1]!;
    await scan(page, refused.barcode!);
    await feedback(page).getByText('Check-in not saved', { exact: true }).waitFor();
    assert.equal(
      await feedback(page).getByText('Checked in', { exact: true }).count(),
      0,
      'never shown as done',
    );
    const banner = page.getByTestId('storage-banner');
    await banner.getByText('Check-ins are not being saved').waitFor();
    await banner.getByText(/The disk of this computer is full/).waitFor();
    await banner.getByTestId('storage-unsaved').getByText('1 check-in waits to be saved').waitFor();
    await e.screenshot('desk-disk-full');
    const during = await ipc(e, 'desk.log', { eventId, limit: 50 });
    assert.ok(!during.some((l) => l.attendeeId === refused.id), 'the refused check-in is not in the log');

    // Space returns: the banner goes by itself, and the refused check-in is saved, once.
    disk.free();
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByText(`Saved now: ${refused.fullName} is checked in`).waitFor();
    await scan(page, people[2]!.barcode!);
    await feedback(page).getByText('Checked in', { exact: true }).waitFor();
    await until(async () => (await ipc(e, 'desk.log', { eventId, limit: 50 })).length >= 3);
    const log = await ipc(e, 'desk.log', { eventId, limit: 50 });
    for (const p of [people[0]!, refused, people[2]!]) {
      assert.equal(
        log.filter((l) => l.attendeeId === p.id && l.action === 'check_in').length,
        1,
        `${p.fullName} checked in once`,
      );
    }
    assert.equal(log.length, 3);
  },
);

test(
  'a damaged database: the admin sees what happened, where the file is and what to do, and imports the salvaged check-ins',
  T,
  async (t) => {
    const e = await startE2E(t);
    const { page } = e;
    const { eventId, rows } = await activeEvent(e, 'Damaged Conf', 400);
    await ipc(e, 'session.unlock', { pin: '2468' });
    const people = rows.filter((r) => r.status === 'ATTENDING');
    for (const p of people.slice(0, 300))
      await ipc(e, 'desk.checkIn', { eventId, actionId: crypto.randomUUID(), attendeeId: p.id });

    // The host dies; a page of the check-in log is zeroed in the middle of the file.
    await e.host.kill();
    const file = join(e.dataDir, 'badge-desk.sqlite');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const map = mapPages(file, ['checkins', 'attendees', 'events']);
    const leaves = map.leaves.get('checkins')!;
    const victim = leaves[Math.floor(leaves.length / 2)]!;
    const readable = readableCheckIns(map, file, (p) => p === victim);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(map.pageSize), 0, map.pageSize, (victim - 1) * map.pageSize);
    closeSync(fd);
    await e.restartHost();

    await unlockAdmin(page);
    await openEvents(page);
    const notice = page.getByTestId('damaged-database-notice');
    await notice.getByText('The database was damaged; Badge Desk started with a fresh one').waitFor();
    const shownFile = await notice.getByTestId('damaged-file').innerText();
    assert.match(shownFile, /badge-desk\.damaged-.*\.sqlite$/);
    await notice.getByText(/re-import each event/).waitFor();
    await notice.getByText(/Events to import again: Damaged Conf/).waitFor();
    await notice.getByRole('button', { name: `Import ${readable.size} salvaged check-ins` }).click();
    await notice
      .getByTestId('salvage-counts')
      .getByText(new RegExp(`${readable.size} waiting for their event`))
      .waitFor();
    await notice.getByRole('button', { name: 'Show them' }).click();
    await notice.getByTestId('salvaged-table').waitFor();
    await e.screenshot('damaged-database-notice');

    // The integration came back with its credential: the admin re-imports, and the check-ins land.
    const integration = (await ipc(e, 'integrations.list', {}))[0]!;
    const providerEventId = (await ipc(e, 'recovery.notices', {}))[0]!.eventsToReimport[0]!.providerEventId;
    const event = await ipc(e, 'events.import', { integrationId: integration.id, providerEventId });
    await until(async () => (await ipc(e, 'events.get', { eventId: event.id })).status === 'ACTIVE');
    await notice
      .getByTestId('salvage-counts')
      .getByText(new RegExp(`${readable.size} added`))
      .waitFor();
    const stats = await ipc(e, 'desk.stats', { eventId: event.id });
    assert.equal(stats.checkedIn, readable.size);
  },
);
