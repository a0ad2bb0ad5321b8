// The door through the IPC boundary over the real core: a walk-in's badge reaches the printer, a
// correction reprints with its reason, roles are enforced in main, and bad input is refused with a
// typed error and nothing stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppHarness, type AppHarness } from '../helpers/app-harness.ts';
import { roster } from '../venue/helpers/replica-stations.ts';
import type { ChannelInput } from '../../shared/ipc-contract.ts';
import type { PrintJob } from '../../shared/printing.ts';

async function desk(t: {
  after(fn: () => unknown): void;
}): Promise<{ h: AppHarness; eventId: number; folder: string }> {
  const h = await startAppHarness(t, { BADGE_DESK_ADMIN_PIN: '2468' });
  await h.call('session.unlock', { pin: '2468' });
  const { store } = h.app.core;
  const integration = store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  const eventId = store.insertEvent(
    integration,
    { providerEventId: 'Conf', name: 'Conf', startsAt: null, endsAt: null, timezone: null, url: null },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  store.upsertAttendees(eventId, roster(6), null, '2026-11-23T08:00:00Z');
  const folder = mkdtempSync(join(tmpdir(), 'bd-door-pdf-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const printer = await h.call('printers.add', { name: 'PDF', config: { kind: 'pdf_folder', folder } });
  await h.call('settings.update', { printerId: printer.id, autoPrint: true });
  await h.call('session.lock', {});
  return { h, eventId, folder };
}

async function printed(h: AppHarness, jobId: number): Promise<PrintJob> {
  const now = h.app.core.printing.listJobs({ limit: 500 }).find((j) => j.id === jobId);
  if (now?.state === 'printed') return now;
  return (
    await h.app.core.events.once('printJobChanged', (p) => p.job.id === jobId && p.job.state === 'printed')
  ).job;
}

test('an operator adds a walk-in: checked in, the badge at the printer; a correction reprints "name corrected"; the guard against a second first print stays', async (t) => {
  const { h, eventId, folder } = await desk(t);
  const choices = await h.call('door.walkInChoices', { eventId });
  assert.deepEqual(choices, { enabled: true, tickets: ['General', 'Walk-in'] });
  const r = await h.call('door.registerWalkIn', {
    eventId,
    actionId: 'walk-0000-0001',
    firstName: 'Grace',
    lastName: 'Hopper',
    company: 'US Navy',
    ticketName: 'Walk-in',
  });
  assert.equal(r.checkIn.kind, 'checked_in');
  assert.equal(r.printJob?.reason, 'check_in');
  assert.equal((await printed(h, r.printJob!.id)).attendeeName, 'Grace Hopper');
  assert.equal(readdirSync(folder).length, 1, "the badge's bytes at the printer");
  const corrected = await h.call('door.correctName', {
    attendeeId: r.attendee.id,
    actionId: 'corr-0000-0001',
    firstName: 'Grace',
    lastName: 'Brewster Hopper',
    reprint: true,
  });
  assert.equal(corrected.attendee.fullName, 'Grace Brewster Hopper');
  assert.deepEqual([corrected.printJob?.reason, corrected.printJob?.note], ['reprint', 'name corrected']);
  assert.equal((await printed(h, corrected.printJob!.id)).attendeeName, 'Grace Brewster Hopper');
  const second = await h.app.invoke('print.badge', { attendeeId: r.attendee.id });
  assert.equal(second.ok ? 'ok' : second.error.code, 'CONFLICT', 'a second copy is a reprint');
});

test('roles are enforced in main: notes, flags, links, turning walk-ins off and the review need the admin; the operator may add walk-ins and correct names', async (t) => {
  const { h, eventId } = await desk(t);
  const attendeeId = h.app.core.store.findAttendeeByProviderId(eventId, 'a1')!.id;
  const adminOnly: {
    [
      C in 'door.setNote' | 'door.setAttention' | 'door.link' | 'door.setWalkInsEnabled' | 'door.review'
    ]: ChannelInput<C>;
  } = {
    'door.setNote': { eventId, actionId: 'note-0000-0001', attendeeId, text: 'call Sam' },
    'door.setAttention': { attendeeId, actionId: 'flag-0000-0001', reason: 'check ID' },
    'door.link': { walkInId: attendeeId, attendeeId: null, actionId: 'link-0000-0001' },
    'door.setWalkInsEnabled': { eventId, actionId: 'sett-0000-0001', enabled: false },
    'door.review': { eventId },
  };
  for (const [channel, input] of Object.entries(adminOnly)) {
    const r = await h.app.invoke(channel, input);
    assert.equal(r.ok ? 'ok' : r.error.code, 'FORBIDDEN', channel);
  }
  // The core refuses an operator too, whoever calls it.
  assert.throws(() => h.app.core.door.setNote({ role: 'operator' }, adminOnly['door.setNote']), /admin/);
  await h.call('session.unlock', { pin: '2468' });
  await h.call('door.setAttention', adminOnly['door.setAttention']);
  await h.call('session.lock', {});
  // The flagged person: a scan answers "needs attention"; confirmed, they are in.
  const scan = await h.call('desk.checkIn', { eventId, actionId: 'scan-0000-0001', code: 'BC-1' });
  assert.equal(scan.kind, 'needs_confirmation');
  const confirmed = await h.call('desk.checkIn', {
    eventId,
    actionId: 'scan-0000-0002',
    code: 'BC-1',
    confirm: true,
  });
  assert.equal(confirmed.kind, 'checked_in');
});

test('bad input through IPC: a typed error and nothing stored', async (t) => {
  const { h, eventId } = await desk(t);
  const { db } = h.app.core.store;
  const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const attendeeId = h.app.core.store.findAttendeeByProviderId(eventId, 'a1')!.id;
  const before = changes();
  const walkIn = {
    eventId,
    actionId: 'walk-0000-0009',
    firstName: 'Ann',
    lastName: 'Lee',
    ticketName: 'Walk-in',
  };
  for (const [channel, input, code] of [
    ['door.registerWalkIn', { ...walkIn, firstName: '' }, 'INVALID_INPUT'],
    ['door.registerWalkIn', { ...walkIn, lastName: 'x'.repeat(500) }, 'INVALID_INPUT'],
    ['door.registerWalkIn', { ...walkIn, firstName: 'A\u0007nn' }, 'INVALID_INPUT'],
    ['door.registerWalkIn', { ...walkIn, lastName: '    ' }, 'INVALID_INPUT'],
    ['door.registerWalkIn', { ...walkIn, ticketName: 'Backstage' }, 'INVALID_INPUT'],
    ['door.correctName', { attendeeId, actionId: 'corr-0000-0009', firstName: '\u0000' }, 'INVALID_INPUT'],
    ['door.correctName', { attendeeId: 99_999, actionId: 'corr-0000-0009', firstName: 'X' }, 'NOT_FOUND'],
    ['desk.checkInGroup', { eventId, actionId: 'grp-0000-0001', attendeeIds: [] }, 'INVALID_INPUT'],
  ] as const) {
    const r = await h.app.invoke(channel, input);
    assert.equal(r.ok ? 'ok' : r.error.code, code, `${channel} ${JSON.stringify(input).slice(0, 60)}`);
  }
  assert.equal(changes(), before, 'nothing stored');
});
