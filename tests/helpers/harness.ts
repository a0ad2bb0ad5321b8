// Builds the real core against the provider simulator, in a temp folder, with a virtual clock
// (backoffs and Retry-After waits take no real time). Everything is torn down after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type BadgeDeskCore, type CoreDeps } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/ground/secrets.ts';
import { VirtualClock } from '../../main/ground/clock.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../main/simulator/index.ts';
import type { Actor } from '../../shared/types.ts';

export const admin: Actor = { role: 'admin', name: 'Admin' };
export const operator: Actor = { role: 'operator', name: 'Desk 1' };

export interface Harness {
  sim: Simulator;
  core: BadgeDeskCore;
  clock: VirtualClock;
  dataDir: string;
  secrets: MemorySecretStore;
  /** Opens a second core on the same data folder (a restart); the first must be closed. */
  reopen(): BadgeDeskCore;
}

type TestContext = { after(fn: () => unknown): void };

export async function startHarness(
  t: TestContext,
  opts: { sim?: SimulatorOptions; core?: Partial<CoreDeps> } = {},
): Promise<Harness> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ now: () => clock.now(), ...opts.sim });
  const dataDir = mkdtempSync(join(tmpdir(), 'bd-core-'));
  const secrets = new MemorySecretStore();
  const cores: BadgeDeskCore[] = [];
  const build = () => {
    const core = createCore({
      dataDir,
      secretStore: secrets,
      clock,
      providerBaseUrls: { eventbrite: sim.eventbrite.baseUrl, luma: sim.luma.baseUrl },
      requestTimeoutMs: 2_000,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      ...opts.core,
    });
    cores.push(core);
    return core;
  };
  const core = build();
  t.after(async () => {
    for (const c of cores) await c.close().catch(() => undefined);
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { sim, core, clock, dataDir, secrets, reopen: build };
}

/** Connects an account on the simulator and in the core; returns the integration and token. */
export async function connect(
  h: Harness,
  provider: 'eventbrite' | 'luma',
  email = `${provider}-admin@example.com`,
) {
  const account = h.sim[provider].addAccount({ email, name: `${provider} admin` });
  const integration = await h.core.connectIntegration(admin, provider, account.token);
  return { integration, token: account.token };
}

/** Adds a provider event with `n` seeded attendees and imports it to the end. */
export async function importSeeded(
  h: Harness,
  provider: 'eventbrite' | 'luma',
  n: number,
  token: string,
  integrationId: number,
) {
  const providerEventId = h.sim[provider].addEvent(token, {
    name: `${provider} conf`,
    startsAt: '2026-12-01T09:00:00Z',
  });
  h.sim[provider].seedAttendees(providerEventId, n);
  // Registrations happened before the import, as in life: the first incremental sync after it
  // (which looks back a safety margin) then sees only what changes afterwards.
  h.clock.advance(30 * 60_000);
  const event = await h.core.importEvent(admin, integrationId, providerEventId);
  await h.core.engine.waitForJob(event.id);
  return { eventId: event.id, providerEventId };
}
