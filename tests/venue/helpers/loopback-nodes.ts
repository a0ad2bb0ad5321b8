// Venue nodes on loopback for the network half's tests: in-memory persistence, fast heartbeats.
import { randomBytes, randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import { systemClock, type Clock } from '../../../main/ground/clock.ts';
import type { VenueDocumentPersistence } from '../../../main/venue/contracts.ts';
import { VenueNode, type VenueNodeOptions } from '../../../main/venue/net/node.ts';
import type { VenueNodeEvent } from '../../../main/venue/net/node-events.ts';
import type { VenueKeyMaterial } from '../../../main/venue/net/transport/psk.ts';

export class MemoryPersistence implements VenueDocumentPersistence {
  readonly states = new Map<string, Uint8Array>();
  stores = 0;
  load(name: string): Uint8Array | null {
    return this.states.get(name) ?? null;
  }
  store(name: string, state: Uint8Array): void {
    this.stores += 1;
    this.states.set(name, state);
  }
}

export function newVenueKey(venueId = randomBytes(6).toString('hex')): VenueKeyMaterial {
  return { venueId, epoch: 1, secret: randomBytes(32) };
}

export interface TestNode {
  node: VenueNode;
  events: VenueNodeEvent[];
  persistence: MemoryPersistence;
}

export async function startTestNode(
  deskName: string,
  key: VenueKeyMaterial | null,
  overrides: Partial<VenueNodeOptions> & { clock?: Clock } = {},
): Promise<TestNode> {
  const events: VenueNodeEvent[] = [];
  const persistence = new MemoryPersistence();
  const node = new VenueNode({
    identity: { stationId: randomUUID(), deskName, appVersion: '0.1.0', protocol: 1 },
    clock: systemClock,
    persistence,
    listen: { host: '127.0.0.1', port: 0 },
    heartbeatMs: 500,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 },
    ...overrides,
    onEvent: (e) => {
      events.push(e);
      overrides.onEvent?.(e);
    },
  });
  await node.start();
  if (key) await node.setKey(key);
  return { node, events, persistence };
}

/** Resolves when `check` holds, re-checked on every update of the document (bounded in time). */
export function untilDoc(doc: Y.Doc, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      doc.off('update', onUpdate);
      reject(new Error(`condition not reached within ${timeoutMs} ms`));
    }, timeoutMs);
    const onUpdate = () => {
      if (!check()) return;
      clearTimeout(timer);
      doc.off('update', onUpdate);
      resolve();
    };
    doc.on('update', onUpdate);
  });
}

/** Polls a condition that has no event of its own (presence, counters), bounded in time. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---- whole venues (the admin's view) on loopback ----

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '../../../main/ground/secrets.ts';
import { VenueNetwork, type VenueNetworkDeps } from '../../../main/venue/net/venue-network.ts';

export interface TestVenue {
  venue: VenueNetwork;
  deskName: () => string;
  persistence: MemoryPersistence;
  address: string;
  dir: string;
  close: () => Promise<void>;
}

export async function startTestVenue(
  overrides: Partial<VenueNetworkDeps> = {},
  dir = mkdtempSync(join(tmpdir(), 'venue-')),
): Promise<TestVenue> {
  let name = 'Desk 1';
  const persistence = new MemoryPersistence();
  const venue = new VenueNetwork({
    stationId: randomUUID().replace(/-/g, ''),
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    clock: systemClock,
    appVersion: '0.1.0',
    station: { get: () => name, set: (n) => (name = n) },
    persistence,
    discovery: null,
    listen: { host: '127.0.0.1', port: 0 },
    advertiseHosts: ['127.0.0.1'],
    heartbeatMs: 300,
    reconnect: { minDelayMs: 50, maxDelayMs: 300 },
    joinTimeoutMs: 5_000,
    ...overrides,
  });
  await venue.start();
  return {
    venue,
    deskName: () => name,
    persistence,
    address: `127.0.0.1:${venue.node.port}`,
    dir,
    close: async () => {
      await venue.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
