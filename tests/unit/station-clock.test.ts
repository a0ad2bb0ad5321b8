import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOCK_SKEW_TOLERANCE_MS,
  clockSkewWarning,
  exportClockNote,
  formatClockDifference,
  isClockSkewed,
} from '../../shared/station-clock.ts';

const at = '2026-11-23T08:00:00.000Z';

test("the clock warning: the issue's words, behind or ahead, none within the tolerance", () => {
  assert.equal(
    clockSkewWarning({ provider: 'eventbrite', offsetMs: 11 * 86_400_000, checkedAt: at }),
    "This station's clock is 11 days behind Eventbrite's; check-in times are recorded with this clock",
  );
  assert.equal(
    clockSkewWarning({ provider: 'luma', offsetMs: -2 * 3_600_000, checkedAt: at }),
    "This station's clock is 2 hours ahead of Luma's; check-in times are recorded with this clock",
  );
  for (const offsetMs of [0, 1_000, -1_000, CLOCK_SKEW_TOLERANCE_MS, -CLOCK_SKEW_TOLERANCE_MS]) {
    assert.equal(
      clockSkewWarning({ provider: 'eventbrite', offsetMs, checkedAt: at }),
      null,
      `${offsetMs} ms is within the tolerance`,
    );
  }
  assert.equal(isClockSkewed({ offsetMs: CLOCK_SKEW_TOLERANCE_MS + 1 }), true);
  assert.equal(isClockSkewed({ offsetMs: -CLOCK_SKEW_TOLERANCE_MS - 1 }), true);
});

test('differences read in the largest whole unit, singular and plural', () => {
  assert.equal(formatClockDifference(3 * 60_000), '3 minutes');
  assert.equal(formatClockDifference(60_000), '1 minute');
  assert.equal(formatClockDifference(-90 * 60_000), '2 hours');
  assert.equal(formatClockDifference(3_600_000), '1 hour');
  assert.equal(formatClockDifference(86_400_000), '1 day');
  assert.equal(formatClockDifference(11.4 * 86_400_000), '11 days');
});

test("the export's clock note names every provider the station is off from", () => {
  assert.equal(exportClockNote([]), "this station's clock");
  assert.equal(
    exportClockNote([{ provider: 'eventbrite', offsetMs: 500, checkedAt: at }]),
    "this station's clock",
  );
  assert.equal(
    exportClockNote([
      { provider: 'eventbrite', offsetMs: 11 * 86_400_000, checkedAt: at },
      { provider: 'luma', offsetMs: -3 * 3_600_000, checkedAt: at },
    ]),
    "this station's clock (11 days behind Eventbrite's, 3 hours ahead of Luma's)",
  );
});
