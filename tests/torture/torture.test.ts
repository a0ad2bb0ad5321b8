// The short fault suite inside `npm test`: one round of each fault kind, in a seeded order, with
// every invariant checked after each. `npm run torture` runs the full 200 rounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_KINDS, faultSchedule, formatSummary, runTorture } from './torture.ts';

const seed = Number(process.env.BADGE_DESK_TORTURE_SEED ?? 20261123);
const rounds = Number(process.env.BADGE_DESK_TORTURE_ROUNDS ?? FAULT_KINDS.length);

test('the fault schedule is seeded: the same seed gives the same faults, every kind before any repeats', () => {
  assert.deepEqual(faultSchedule(7, 25), faultSchedule(7, 25));
  assert.notDeepEqual(faultSchedule(7, 25), faultSchedule(8, 25));
  assert.deepEqual(new Set(faultSchedule(7, FAULT_KINDS.length)), new Set(FAULT_KINDS));
});

test(
  `fault suite: ${rounds} rounds (seed ${seed}) with zero invariant violations`,
  { timeout: 600_000 },
  async (t) => {
    const summary = await runTorture({ rounds, seed, log: (line) => t.diagnostic(line) });
    t.diagnostic(formatSummary(summary));
    assert.deepEqual(summary.violations, []);
    // The suite did what it says: the host really died, people really were checked in and printed.
    if (rounds >= FAULT_KINDS.length) {
      assert.ok(summary.hostKills >= 4, `one kill per kill kind at least (${summary.hostKills})`);
      assert.ok(summary.labelsPrinted > 0, 'badges were printed');
    }
    assert.ok(summary.acknowledgedCheckIns > 0, 'check-ins were acknowledged');
    assert.ok(summary.rowsCompared > 0, 'rows were compared with the provider');
  },
);
