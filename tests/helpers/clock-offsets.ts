// The provider clock offsets every watermark test runs at, from the station's: the watermark
// must come from the provider's clock whatever this station's says.
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export const PROVIDER_CLOCK_OFFSETS: readonly [label: string, offsetMs: number][] = [
  ['-11 days', -11 * DAY_MS],
  ['-2 h', -2 * HOUR_MS],
  ['+2 h', 2 * HOUR_MS],
  ['+11 days', 11 * DAY_MS],
];
