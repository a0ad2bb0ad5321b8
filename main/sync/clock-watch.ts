// Compares this station's clock with each provider's, from the Date header of every answer
// (seen through the clients' request hook). Only the newest reading per provider counts: a
// station whose clock is corrected clears its warning with the next answer.
import type { CoreEvents } from '../ground/events.ts';
import { isoTime } from '../ground/clock.ts';
import type { RequestLogEntry } from '../providers/types.ts';
import { clockSkewWarning, type ProviderClockCheck } from '../../shared/station-clock.ts';
import type { ProviderKind } from '../../shared/types.ts';

export class ClockWatch {
  private readonly checks = new Map<ProviderKind, ProviderClockCheck>();

  constructor(private readonly events: CoreEvents) {}

  /** One provider answer. Announces `clockChecked` when the provider's warning appears, changes or goes. */
  observe(provider: ProviderKind, entry: Pick<RequestLogEntry, 'providerDate' | 'receivedAt'>): void {
    if (entry.providerDate === null) return;
    const providerNow = Date.parse(entry.providerDate);
    if (Number.isNaN(providerNow)) return;
    const check: ProviderClockCheck = {
      provider,
      offsetMs: providerNow - entry.receivedAt,
      checkedAt: isoTime(entry.receivedAt),
    };
    const before = this.checks.get(provider);
    this.checks.set(provider, check);
    if (!before || clockSkewWarning(before) !== clockSkewWarning(check))
      this.events.emit('clockChecked', { provider });
  }

  /** The newest comparison per provider, in provider order. */
  current(): ProviderClockCheck[] {
    return [...this.checks.values()].sort((a, b) => a.provider.localeCompare(b.provider));
  }
}
