// This station's clock against the providers' (their Date headers). Check-in times are
// recorded with the station's clock, whatever it says; when it disagrees with a provider's by
// more than the tolerance, the admin is told where they look, and the export says which clock
// its times come from. Pure: main and renderer both use these rules.
import { PROVIDER_LABEL, type ProviderKind } from './types.ts';

/**
 * Two clocks this close agree (network delay, Date's one-second resolution, drift): this station's
 * against a provider's, and another desk's of the venue against this one's. Beyond it, it is said.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 2 * 60_000;

export interface ProviderClockCheck {
  provider: ProviderKind;
  /** The provider's clock minus this station's, in ms: positive when the station is behind. */
  offsetMs: number;
  /** This station's clock when the provider's answer arrived (ISO). */
  checkedAt: string;
}

export function isClockSkewed(check: Pick<ProviderClockCheck, 'offsetMs'>): boolean {
  return Math.abs(check.offsetMs) > CLOCK_SKEW_TOLERANCE_MS;
}

/** "11 days", "2 hours", "1 minute": the largest unit that is at least one, rounded. */
export function formatClockDifference(ms: number): string {
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    if (abs >= size || name === 'minute') {
      const n = Math.max(1, Math.round(abs / size));
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return '';
}

/** "11 days behind Eventbrite's" / "2 hours ahead of Luma's". */
function relation(check: ProviderClockCheck): string {
  const label = PROVIDER_LABEL[check.provider];
  const amount = formatClockDifference(check.offsetMs);
  return check.offsetMs > 0 ? `${amount} behind ${label}'s` : `${amount} ahead of ${label}'s`;
}

/**
 * The admin's warning, or null when the clocks agree within the tolerance:
 * "This station's clock is 11 days behind Eventbrite's; check-in times are recorded with this clock".
 */
export function clockSkewWarning(check: ProviderClockCheck): string | null {
  if (!isClockSkewed(check)) return null;
  return `This station's clock is ${relation(check)}; check-in times are recorded with this clock`;
}

/**
 * What the check-in export says of its times: always this station's clock, and how far that
 * clock was from each provider's when last compared, if beyond the tolerance.
 */
export function exportClockNote(checks: readonly ProviderClockCheck[]): string {
  const skewed = checks.filter(isClockSkewed).map(relation);
  return skewed.length === 0 ? "this station's clock" : `this station's clock (${skewed.join(', ')})`;
}
