// "This station's clock is 11 days behind Eventbrite's; …": shown where an admin looks (the events
// list and each event page) while this station's clock and a provider's disagree by more than
// the tolerance. The words and the tolerance are shared/station-clock.ts's.
import { clockSkewWarning } from '../../../shared/station-clock.ts';
import { useStore } from '../app/use-store.ts';

export function ClockWarnings() {
  const checks = useStore((s) => s.clockChecks);
  const warnings = checks
    .map((check) => ({ provider: check.provider, text: clockSkewWarning(check) }))
    .filter((w) => w.text !== null);
  if (warnings.length === 0) return null;
  return (
    <div className="alert alert-amber clock-warning" role="status" data-testid="clock-warning">
      {warnings.map((w) => (
        <p key={w.provider} className="alert-title">
          {w.text}
        </p>
      ))}
    </div>
  );
}
