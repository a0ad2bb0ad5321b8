// A desk that forgets an event while it stays in the venue: two real cores in one process on
// loopback (the venue's network half, TLS-PSK and all). Desk 2's check-ins are confirmed held by
// Desk 1, Desk 2 forgets the event, and from then on it neither loads, stores nor serves the
// event's document, whatever Desk 1 keeps sending; Desk 1 keeps everything, and does not count
// Desk 2's "forgot that event" as a refused connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackVenueCore, type LoopbackVenueCore } from './helpers/loopback-core.ts';
import { until } from './helpers/loopback-nodes.ts';
import { seedVenueEvent } from './helpers/seed-event.ts';
import type { Actor } from '../../shared/types.ts';
import { FORGOTTEN_DOCUMENT_REFUSAL } from '../../main/venue/net/node.ts';

const admin: Actor = { role: 'admin', name: 'Admin' };

test('a desk that forgets an event stays in the venue without its document; the other desk keeps everything', async (t) => {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'bd-forget-venue-')));
  const desks: LoopbackVenueCore[] = dirs.map((dir) =>
    loopbackVenueCore(dir, {
      core: { walCheckpoints: 'on commit', forgetting: { holdingsTimeoutMs: 2_000 } },
      net: { heartbeatMs: 250, reconnect: { minDelayMs: 50, maxDelayMs: 300 }, joinTimeoutMs: 5_000 },
    }),
  );
  t.after(async () => {
    for (const d of desks) await d.core.close().catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const [one, two] = desks as [LoopbackVenueCore, LoopbackVenueCore];
  for (const d of desks) await d.core.venue.ready;
  const events = desks.map((d, i) => seedVenueEvent(d.core, i * 3, 20));
  await one.core.venue.start(admin, 'Hall');
  const { code } = await one.core.venue.pairingCode(admin);
  await two.core.venue.join(admin, code, `127.0.0.1:${one.core.venue.network!.status().thisDesk.port}`);
  const idOf = (d: LoopbackVenueCore, i: number, pid: string) =>
    d.core.store.findAttendeeByProviderId(events[i]!, pid)!.id;

  for (const pid of ['a1', 'a2', 'a3'])
    two.core.desk.checkIn(admin, {
      eventId: events[1]!,
      actionId: `act-two-${pid}-0001`,
      attendeeId: idOf(two, 1, pid),
    });
  await until(
    () =>
      ['a1', 'a2', 'a3'].every((pid) => one.core.store.getAttendee(idOf(one, 0, pid))!.checkedIn !== null),
    'Desk 1 has Desk 2’s check-ins',
    10_000,
  );
  const emails = one.core.listAttendees(events[0]!, { offset: 0, limit: 100 }).map((p) => p.email!);

  // Desk 1 is connected to Desk 2's server for the event's document too (the links go both ways).
  const docName = `venue:${one.core.venue.network!.venueId}:eventbrite:Conf`;
  await until(
    () =>
      two.core.venue
        .network!.node.health()
        .documents.some(
          (d) => d.name === docName && d.stationIds.includes(one.core.venue.network!.stationId),
        ),
    'Desk 1 on Desk 2’s copy of the document',
    10_000,
  );
  const check = await two.core.forget.check(admin, events[1]!);
  assert.equal(check.held.kind, 'held');
  assert.equal(check.held.kind === 'held' && check.held.by, one.name());
  // A change of its own just before: the document's store is still pending as it forgets.
  two.core.setVip(admin, idOf(two, 1, 'a6'), true);
  await two.core.forget.forget(admin, events[1]!);

  // Desk 1 goes on: a check-in and a VIP flag it sends into the event's document.
  one.core.desk.checkIn(admin, {
    eventId: events[0]!,
    actionId: 'act-one-a4-0001',
    attendeeId: idOf(one, 0, 'a4'),
  });
  one.core.setVip(admin, idOf(one, 0, 'a5'), true);
  const name = `venue:${one.core.venue.network!.venueId}:eventbrite:Conf`;
  // Desk 1's link for the document is refused by Desk 2 (quietly), and Desk 2 holds no copy of it.
  await until(
    () =>
      one.core.venue
        .network!.node.health()
        .links.every((l) => l.documents.every((d) => d.name !== name || !d.authenticated)),
    'Desk 1’s link for the document is refused',
    10_000,
  );
  // Past the document server's store delay (1 s): nothing of the document is stored again.
  await new Promise((r) => setTimeout(r, 1_500));
  const twoHealth = two.core.venue.network!.node.health();
  assert.equal(
    twoHealth.documents.some((d) => d.name === name),
    false,
    'Desk 2 serves the document no more',
  );
  assert.equal(two.core.venue.persistence.load(name), null);
  const raw = Buffer.concat(
    ['badge-desk.sqlite', 'badge-desk.sqlite-wal']
      .map((f) => join(dirs[1]!, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f)),
  );
  for (const email of emails) assert.equal(raw.includes(email), false, `${email} on Desk 2`);
  assert.equal(raw.includes(name), false, 'the document is stored on Desk 2 again');
  assert.equal(two.core.getEvent(events[1]!).counts.checkedIn, 3, 'its counts stay');
  assert.equal(two.core.getEvent(events[1]!).counts.attending, 20);

  // Desk 1 keeps every person and every check-in; "forgot that event" is no refusal on its panel.
  assert.equal(
    one.core.listAttendees(events[0]!, { offset: 0, limit: 100 }).filter((p) => p.email).length,
    20,
  );
  assert.equal(one.core.getEvent(events[0]!).counts.checkedIn, 4);
  assert.equal(
    (await one.core.venue.status()).refusals.some((r) => r.reason === FORGOTTEN_DOCUMENT_REFUSAL),
    false,
  );
  // And the two remain one venue: the directory still carries presence both ways.
  assert.ok(two.core.venue.network!.node.peerPresence().some((p) => p.online));
});
