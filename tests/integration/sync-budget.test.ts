// A big import shows an ETA that counts the token's rate budget, and leaves
// the budget's live reserve to the token's other events, which keep polling during the import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, connect, importSeeded, admin } from '../helpers/harness.ts';
import { importEtaText } from '../../shared/sync-status.ts';

test("an import's ETA while the budget is spent; a second event of the token is polled during the import", async (t) => {
  // A small budget so the test is short: 20 requests a minute, a quarter kept for live polls.
  const h = await startHarness(t, {
    sim: { eventbritePageSize: 10 },
    core: { rateBudgets: { eventbrite: { windows: [{ limit: 20, windowMs: 60_000 }], liveReserve: 0.25 } } },
  });
  const { integration, token } = await connect(h, 'eventbrite');
  const small = await importSeeded(h, 'eventbrite', 5, token, integration.id);
  const providerEventId = h.sim.eventbrite.addEvent(token, { name: 'Big' });
  h.sim.eventbrite.seedAttendees(providerEventId, 600);
  h.clock.advance(5 * 60_000);

  const big = await h.core.importEvent(admin, integration.id, providerEventId);
  const etas: { fetched: number; text: string; remainingMs: number }[] = [];
  const polled: boolean[] = [];
  let livePass: Promise<unknown> | null = null;
  h.core.events.on('jobProgress', ({ eventId, job }) => {
    if (eventId !== big.id || job.state !== 'running') return;
    const { importEta } = h.core.getEvent(big.id);
    if (importEta)
      etas.push({
        fetched: job.fetched,
        text: importEtaText(importEta, 'eventbrite'),
        remainingMs: importEta.remainingMs,
      });
    // Halfway through, while the import waits for the budget, the other event's live pass runs.
    if (job.fetched === 300 && !livePass) {
      const before = h.sim.eventbrite.requestCount;
      h.sim.eventbrite.addAttendee(small.providerEventId, { firstName: 'During', lastName: 'Import' });
      livePass = h.core.engine
        .liveTick(small.eventId)
        .then(() => polled.push(h.sim.eventbrite.requestCount > before));
    }
  });
  await h.core.engine.waitForJob(big.id);
  await livePass;
  assert.equal(h.core.getEvent(big.id).status, 'ACTIVE');
  assert.equal(h.core.getEvent(big.id).counts.total, 600);
  assert.equal(h.core.getEvent(big.id).importEta, null, 'no ETA once done');

  // 60 pages at 15 bulk requests a minute: the budget sets the pace, and the ETA says so.
  const halfway = etas.find((e) => e.fetched === 300);
  assert.ok(halfway, `an ETA at every page (${etas.length})`);
  assert.match(halfway.text, /^about \d+ min left — Eventbrite allows 20 requests a minute per token$/);
  assert.ok(
    halfway.remainingMs >= 90_000 && halfway.remainingMs <= 3 * 60_000,
    `30 pages left at 15 a minute: ${halfway.remainingMs} ms`,
  );
  const remaining = etas.map((e) => e.remainingMs);
  assert.ok(remaining[0]! > remaining.at(-1)!, 'the estimate comes down as pages arrive');

  assert.deepEqual(polled, [true], 'the other event polled during the import');
  assert.ok(
    h.core.store.findAttendeeByProviderId(
      small.eventId,
      h.sim.eventbrite.attendeeIds(small.providerEventId).at(-1)!,
    ),
  );
  assert.equal(h.core.getEvent(small.eventId).status, 'ACTIVE');
});
