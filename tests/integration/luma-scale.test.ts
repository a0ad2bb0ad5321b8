// Luma at 10,000 guests: live sync finds a new registration within two poll intervals by reading
// the newest registrations first, and spreads its full pass (edits, removals) over a few minutes,
// so the busiest minute stays far inside Luma's budget. Requests are counted at the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, connect, importSeeded } from '../helpers/harness.ts';
import { maxInWindow } from '../helpers/event-day.ts';
import { DEFAULT_SYNC_OPTIONS } from '../../main/sync/engine.ts';

const GUESTS = 10_000;
const INTERVAL = DEFAULT_SYNC_OPTIONS.pollIntervalMs;
/** The app's live loop wakes at least this often. */
const TICK_MS = 5_000;

test('Luma live sync on a 10,000-guest event: a registration within two poll intervals, an edit within a full pass, the busiest minute at most 100 requests', async (t) => {
  const h = await startHarness(t);
  const { integration, token } = await connect(h, 'luma');
  const { eventId, providerEventId } = await importSeeded(h, 'luma', GUESTS, token, integration.id);
  assert.equal(h.core.getEvent(eventId).counts.total, GUESTS);

  const requests: { at: number; path: string; sorted: boolean }[] = [];
  h.sim.luma.on('request', (r) =>
    requests.push({ at: h.clock.now(), path: r.path, sorted: r.query.sort_direction === 'desc' }),
  );
  const sim = h.sim.luma;
  const mirror = (guestId: string) => h.core.store.findAttendeeByProviderId(eventId, guestId);

  const start = h.clock.now();
  const plan = [
    { at: start + 3 * 60_000 + 7_000, kind: 'register' as const },
    { at: start + 4 * 60_000, kind: 'edit' as const },
    { at: start + 9 * 60_000 + 2_000, kind: 'register' as const },
  ];
  const registered: { id: string; at: number; mirroredAt: number | null }[] = [];
  let edited: { id: string; at: number; mirroredAt: number | null } | null = null;
  const someone = sim.attendeeIds(providerEventId)[4_321]!;
  for (let now = start; now < start + 20 * 60_000; now += TICK_MS) {
    if (now > h.clock.now()) h.clock.advance(now - h.clock.now());
    for (const step of plan.filter((p) => p.at <= now && p.at > now - TICK_MS)) {
      if (step.kind === 'register')
        registered.push({
          id: sim.addGuest(providerEventId, { firstName: 'Walk', lastName: `In ${registered.length}` }),
          at: h.clock.now(),
          mirroredAt: null,
        });
      else {
        sim.editAttendee(providerEventId, someone, { company: 'Renamed Co' });
        edited = { id: someone, at: h.clock.now(), mirroredAt: null };
      }
    }
    await h.core.engine.runLivePass();
    for (const r of registered) if (r.mirroredAt === null && mirror(r.id)) r.mirroredAt = h.clock.now();
    if (edited && edited.mirroredAt === null && mirror(edited.id)?.company === 'Renamed Co')
      edited.mirroredAt = h.clock.now();
  }

  assert.equal(registered.length, 2);
  for (const r of registered) {
    assert.ok(r.mirroredAt !== null, 'the registration reached the mirror');
    assert.ok(
      r.mirroredAt - r.at <= 2 * INTERVAL,
      `found ${(r.mirroredAt - r.at) / 1000} s after it happened (two intervals: ${(2 * INTERVAL) / 1000} s)`,
    );
    assert.equal(mirror(r.id)?.status, 'ATTENDING');
  }
  assert.ok(edited?.mirroredAt, 'the edit reached the mirror (a full pass found it)');
  assert.ok(
    edited.mirroredAt - edited.at <= DEFAULT_SYNC_OPTIONS.fullPassIntervalMs + 2 * INTERVAL,
    `the edit took ${(edited.mirroredAt - edited.at) / 1000} s`,
  );

  const times = requests.map((r) => r.at);
  const peak = maxInWindow(times, 60_000);
  assert.ok(peak <= 100, `the busiest minute: ${peak} requests (goal at most 100 of Luma's 200)`);
  // Polled all along: newest first on every pass, and full passes that went round.
  const newestFirst = requests.filter((r) => r.sorted).length;
  assert.ok(newestFirst >= (20 * 60_000) / INTERVAL - 2, `${newestFirst} newest-first reads`);
  const fullPassPages = requests.length - newestFirst;
  assert.ok(
    fullPassPages >= 3 * (GUESTS / 100) && fullPassPages <= 6 * (GUESTS / 100),
    `${fullPassPages} pages of full passes in 20 minutes (a pass is about ${GUESTS / 100})`,
  );
  assert.equal(h.core.getEvent(eventId).status, 'ACTIVE');
  assert.equal(h.core.getEvent(eventId).counts.total, GUESTS + 2);
});
