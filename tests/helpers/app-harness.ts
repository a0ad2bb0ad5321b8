// The app host (IPC boundary + roles + settings) over the real core, against the simulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppHost } from '../../main/app/app-host.ts';
import { MemorySecretStore } from '../../main/ground/secrets.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { startSimulator, type Simulator } from '../../main/simulator/index.ts';
import type { AppHost, AppHostDeps, KeyValueStore } from '../../main/app/types.ts';
import type { ChannelInput, ChannelName, ChannelResult, PushMessage } from '../../shared/ipc-contract.ts';

export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return structuredClone(this.values.get(key));
  }
  set(key: string, value: unknown): void {
    this.values.set(key, structuredClone(value));
  }
}

export interface AppHarness {
  app: AppHost;
  sim: Simulator;
  clock: VirtualClock;
  settings: MemoryKeyValueStore;
  pushed: PushMessage[];
  /** Calls a channel and returns the value, failing the test on an error envelope. */
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>;
}

/** The app host against the simulator, with in-memory secrets and settings, as the tests run it. */
export function simulatedAppHost(
  opts: Partial<AppHostDeps> & { dataDir: string; sim: Simulator; settings?: MemoryKeyValueStore },
): Promise<AppHost> {
  const { sim, settings, ...deps } = opts;
  return createAppHost({
    host: 'browser',
    secretStore: new MemorySecretStore(),
    settingsStore: settings ?? new MemoryKeyValueStore(),
    providerBaseUrls: { eventbrite: sim.eventbrite.baseUrl, luma: sim.luma.baseUrl },
    ...deps,
  });
}

export async function startAppHarness(
  t: { after(fn: () => unknown): void },
  env: Record<string, string> = {},
): Promise<AppHarness> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ now: () => clock.now() });
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-app-'));
  const settings = new MemoryKeyValueStore();
  const app = await simulatedAppHost({ dataDir, clock, sim, settings, env });
  const pushed: PushMessage[] = [];
  app.subscribe((m) => pushed.push(m));
  t.after(async () => {
    await app.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    app,
    sim,
    clock,
    settings,
    pushed,
    async call(channel, input) {
      const result = await app.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
  };
}
