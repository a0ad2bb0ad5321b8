// Percentiles for the benchmarks' figures, and the offline app host the desk and printing benchmarks measure.
import { createAppHost } from '../../main/app/app-host.ts';
import type { AppHost } from '../../main/app/types.ts';
import type { SecretStore } from '../../main/ground/secrets.ts';
import { MemoryKeyValueStore } from '../helpers/app-harness.ts';

/** The p-th percentile (0..1) of the values, rounded to `digits`. */
export function percentile(values: readonly number[], p: number, digits = 2): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(digits));
}

/**
 * The app host the desk and printing benchmarks measure, on the imported event's data folder.
 * Nothing there talks to a provider; unreachable URLs make sure of it.
 */
export function startOfflineAppHost(opts: {
  dataDir: string;
  secretStore: SecretStore;
  env?: Record<string, string>;
}): Promise<AppHost> {
  return createAppHost({
    dataDir: opts.dataDir,
    host: 'browser',
    secretStore: opts.secretStore,
    settingsStore: new MemoryKeyValueStore(),
    providerBaseUrls: { eventbrite: 'http://127.0.0.1:9', luma: 'http://127.0.0.1:9' },
    ...(opts.env ? { env: opts.env } : {}),
  });
}
