// Several real cores in one process, joined in one venue on loopback, each holding its own
// credential for the same simulated Eventbrite event, on one virtual clock: for the one-poller-
// per-event tests and benchmark. Live passes are driven by hand (runFor), so simulated minutes
// take real milliseconds; presence (sockets) runs in real time, and callers wait on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BadgeDeskCore } from '../../../main/core/create-core.ts';
import { loopbackVenueCore } from './loopback-core.ts';
import { VirtualClock } from '../../../main/ground/clock.ts';
import { startSimulator, type Simulator } from '../../../main/simulator/index.ts';
import { pollKey } from '../../../shared/venue-poller.ts';
import type { Actor } from '../../../shared/types.ts';
import { until } from './loopback-nodes.ts';

const admin: Actor = { role: 'admin', name: 'Admin' };

export interface PollerDesk {
  core: BadgeDeskCore;
  stationId: string;
  name: string;
  token: string;
  eventId: number;
  /** Every provider request this desk made, at the virtual clock. */
  requests: { at: number; url: string }[];
  closed: boolean;
}

export interface PollerVenue {
  clock: VirtualClock;
  sim: Simulator;
  providerEventId: string;
  key: string;
  desks: PollerDesk[];
  /** The desks still running. */
  live(): PollerDesk[];
  /** The station every running desk elects (waits, in real time, until they all agree). */
  agreedPoller(what: string): Promise<PollerDesk>;
  /** Advances the clock by `ms` in steps of `stepMs`, running every live desk's due passes at each step. */
  runFor(ms: number, opts?: { stepMs?: number; each?: (now: number) => void | Promise<void> }): Promise<void>;
  /** Stops a desk (its core closes: its sockets close, its presence goes). */
  stop(desk: PollerDesk): Promise<void>;
  close(): Promise<void>;
}

export async function startPollerVenue(
  count: number,
  /** withoutAccount: how many of the desks (the last ones) join with no account, the event mirrored from the poller. */
  opts: {
    attendees?: number;
    pollIntervalMs?: number;
    syncAnswerTimeoutMs?: number;
    withoutAccount?: number;
  } = {},
): Promise<PollerVenue> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ now: () => clock.now() });
  const dirs: string[] = [];
  const desks: PollerDesk[] = [];
  const names: (() => string)[] = [];
  const owner = sim.eventbrite.addAccount({ email: 'desk0@example.com', name: 'Desk 1 admin' });
  const providerEventId = sim.eventbrite.addEvent(owner.token, {
    name: 'Conf',
    startsAt: '2026-11-23T09:00:00Z',
  });
  sim.eventbrite.seedAttendees(providerEventId, opts.attendees ?? 200);
  // Registrations happened before the imports, as in life (the incremental margin looks back).
  clock.advance(30 * 60_000);
  try {
    for (let i = 0; i < count; i++) {
      const token =
        i === 0
          ? owner.token
          : sim.eventbrite.addAccount({ email: `desk${i}@example.com`, name: `Desk ${i + 1} admin` }).token;
      if (i > 0) sim.eventbrite.shareEvent(providerEventId, token);
      const dataDir = mkdtempSync(join(tmpdir(), 'bd-poller-'));
      dirs.push(dataDir);
      const requests: { at: number; url: string }[] = [];
      const { core, name } = loopbackVenueCore(dataDir, {
        core: {
          clock,
          providerBaseUrls: { eventbrite: sim.eventbrite.baseUrl, luma: sim.luma.baseUrl },
          requestTimeoutMs: 2_000,
          retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
          walCheckpoints: 'on commit',
          ...(opts.pollIntervalMs ? { sync: { pollIntervalMs: opts.pollIntervalMs } } : {}),
          onProviderRequest: (r) => requests.push({ at: clock.now(), url: r.url }),
        },
        net: {
          heartbeatMs: 250,
          reconnect: { minDelayMs: 50, maxDelayMs: 300 },
          joinTimeoutMs: 5_000,
          syncAnswerTimeoutMs: opts.syncAnswerTimeoutMs ?? 2_000,
        },
      });
      await core.venue.ready;
      desks.push({
        core,
        stationId: core.venue.network!.stationId,
        name: '',
        token,
        eventId: 0,
        requests,
        closed: false,
      });
      names.push(name);
    }
    // Each desk imports with its own account before it joins (a desk joined first would be given
    // the venue's event, mirrored from the poller, and connect its account with Reconnect).
    for (const desk of desks.slice(0, count - (opts.withoutAccount ?? 0))) {
      // Desks start apart, as in life: each polls (or looks whether to) in its own phase.
      clock.advance(7_000);
      const integration = await desk.core.connectIntegration(admin, 'eventbrite', desk.token);
      const event = await desk.core.importEvent(admin, integration.id, providerEventId);
      await desk.core.engine.waitForJob(event.id);
      desk.eventId = event.id;
    }
    for (const [i, desk] of desks.entries()) {
      if (i === 0) {
        await desk.core.venue.start(admin, 'Hall A');
      } else {
        const { code } = await desks[0]!.core.venue.pairingCode(admin);
        await desk.core.venue.join(
          admin,
          code,
          `127.0.0.1:${desks[0]!.core.venue.network!.status().thisDesk.port}`,
        );
      }
      desk.name = names[i]!();
    }
    for (const desk of desks.filter((d) => d.eventId === 0)) {
      await until(
        () => desk.core.store.findEventByProviderId('eventbrite', providerEventId) !== undefined,
        `${desk.name} is given the venue's event`,
        15_000,
      );
      desk.eventId = desk.core.store.findEventByProviderId('eventbrite', providerEventId)!;
    }
  } catch (err) {
    await Promise.all(desks.map((d) => d.core.close().catch(() => undefined)));
    await sim.close();
    throw err;
  }
  const key = pollKey('eventbrite', providerEventId);
  const live = () => desks.filter((d) => !d.closed);
  /** Every running desk sees every other one online with the polls it says, and no stopped desk online. */
  const settled = () =>
    live().every((d) => {
      const seen = new Map(d.core.venue.network!.node.peerPresence().map((p) => [p.stationId, p]));
      return desks.every((e) => {
        if (e === d) return true;
        const p = seen.get(e.stationId);
        if (e.closed) return !p?.online;
        return p?.online === true && (p.polls ?? []).join() === e.core.venue.network!.node.ownPolls().join();
      });
    });
  const venue: PollerVenue = {
    clock,
    sim,
    providerEventId,
    key,
    desks,
    live,
    async agreedPoller(what) {
      const lowest = () =>
        live()
          .filter((d) => d.core.venue.network!.node.ownPolls().includes(key))
          .map((d) => d.stationId)
          .sort()[0];
      await until(
        () => live().every((d) => d.core.venue.network!.pollerOf(key)?.stationId === lowest()),
        what,
        15_000,
      );
      return live().find((d) => d.stationId === lowest())!;
    },
    async runFor(ms, { stepMs = 5_000, each } = {}) {
      for (let done = 0; done < ms; done += stepMs) {
        // Presence travels in real time while the clock is virtual: each step first waits until
        // every desk's view is current, so what a desk says reaches the others within one step.
        if (!settled()) await until(settled, 'presence settles', 15_000);
        clock.advance(stepMs);
        await each?.(clock.now());
        for (const d of live()) await d.core.engine.runLivePass();
      }
    },
    async stop(desk) {
      desk.closed = true;
      await desk.core.close();
    },
    async close() {
      for (const d of live()) await d.core.close().catch(() => undefined);
      await sim.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
  return venue;
}
