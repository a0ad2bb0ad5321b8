// A relay instance whose Redis refuses, drops every connection, answers garbage, or carries
// messages nobody signed: it serves its own desks all the same (two desks that reach each other
// only through it converge), says in its log what is wrong with Redis, and takes nothing from a
// message that is not signed with the venue's key. Desks and relay on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { OutgoingMessage } from '@hocuspocus/server';
import { Station, converged, eventually, state } from './helpers/station-process.ts';
import { RelayProcess } from './helpers/relay-process.ts';
import { RedisProcess, freePort, redisServerAvailable } from './helpers/redis-process.ts';

let seq = 0;
const act = (tag: string) => `act-${tag}-${String(++seq).padStart(6, '0')}`;

/** A TCP server on a free port that does `onSocket` to every connection (not Redis). */
async function fakeRedis(onSocket: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * A venue of two desks that reach each other only through one relay instance using this Redis
 * URL: they converge through it; returns the relay's log and what `more` does meanwhile.
 */
async function venueThroughRelay(
  redisUrl: string,
  more: (ctx: { relay: RelayProcess; desks: Station[]; venueId: string }) => Promise<void> = async () => {},
): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'venue-redis-fault-'));
  const relay = new RelayProcess({ dataDir, host: '127.0.0.1', port: await freePort(), redis: redisUrl });
  const desks: Station[] = [];
  try {
    for (let i = 0; i < 2; i++)
      desks.push(await Station.start({ name: 'Desk 1', host: '127.0.0.1', advertise: '127.0.0.2' }));
    const [one, two] = desks as [Station, Station];
    const venueId = (await one.call<{ venue: { id: string } }>('startVenue', { name: 'Hall' })).venue.id;
    await relay.start((await one.call<{ code: string }>('code')).code);
    await one.call('addDesk', { address: `127.0.0.1:${relay.port}` });
    const code = await eventually(
      async () => (await one.call<{ code: string }>('code')).code,
      (c) => c.startsWith('BD2-'),
      'the code carries the relay',
    );
    await two.call('join', { code }, 30_000);
    await one.call('checkIn', { pid: 'a1', actionId: act('f') });
    await two.call('checkIn', { pid: 'a2', actionId: act('f') });
    await converged(desks, 'through the relay alone', (s) => s.actions.length === 2);
    await more({ relay, desks, venueId });
    assert.ok(relay.running, `the relay stopped: ${relay.output}`);
    return relay.output;
  } finally {
    await Promise.all(desks.map((d) => d.dispose().catch(() => undefined)));
    await relay.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test(
  'a Redis that refuses: the instance serves its own desks and says so',
  { timeout: 120_000 },
  async () => {
    const log = await venueThroughRelay(`redis://127.0.0.1:${await freePort()}`);
    assert.match(
      log,
      /Redis at 127\.0\.0\.1:\d+ does not answer as Redis \(ECONNREFUSED\): this instance serves its own desks/,
    );
  },
);

test('a Redis that drops every connection: the same', { timeout: 120_000 }, async () => {
  const fake = await fakeRedis((socket) => socket.destroy());
  try {
    const log = await venueThroughRelay(`redis://127.0.0.1:${fake.port}`);
    assert.match(log, /Redis at 127\.0\.0\.1:\d+ (does not answer as Redis|is gone)/);
  } finally {
    fake.server.close();
  }
});

test('a "Redis" that answers garbage: the same', { timeout: 120_000 }, async () => {
  const fake = await fakeRedis((socket) => {
    socket.on('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n\x00\xff not redis at all\r\n'));
  });
  try {
    const log = await venueThroughRelay(`redis://127.0.0.1:${fake.port}`);
    assert.match(log, /Redis at 127\.0\.0\.1:\d+ does not answer as Redis/);
  } finally {
    fake.server.close();
  }
});

test(
  'messages on Redis that the venue key did not sign are logged and change nothing',
  {
    timeout: 120_000,
    skip: redisServerAvailable() ? false : 'redis-server is not installed (.ci/run installs it)',
  },
  async () => {
    const redis = new RedisProcess({ host: '127.0.0.1', port: await freePort() });
    await redis.start();
    try {
      const log = await venueThroughRelay(redis.url, async ({ desks, venueId }) => {
        const name = `venue:${venueId}:eventbrite:Conf`;
        // A well-formed update that would admit a3, unsigned; and plain junk.
        const forged = new Y.Doc();
        forged.getMap('checkins').set('act-forged-000001', {
          v: 1,
          kind: 'check_in',
          actionId: 'act-forged-000001',
          attendee: 'a3',
          at: '2026-11-23T09:00:00.000Z',
          stationId: 'forger-station-0001',
          stationName: 'Desk 9',
        });
        const update = new OutgoingMessage(name)
          .createSyncMessage()
          .writeUpdate(Y.encodeStateAsUpdate(forged));
        const id = Buffer.from('forger');
        const unsigned = Buffer.concat([
          Buffer.from([id.length]),
          id,
          Buffer.from([0, 1]),
          Buffer.alloc(16),
          Buffer.from(update.toUint8Array()),
        ]);
        for (const payload of [unsigned, Buffer.from('not a venue message at all')])
          await publish(redis.options.port, `badge-desk:${name}`, payload);
        // The relay still relays, and nobody admitted a3.
        await desks[0]!.call('checkIn', { pid: 'a4', actionId: act('f') });
        const end = await converged(desks, 'after the forged messages', (s) => s.actions.length === 3);
        assert.equal(end.people.find((p) => p.pid === 'a3')!.checkedIn, null);
        assert.equal((await state(desks[1]!)).actions.includes('act-forged-000001'), false);
      });
      assert.match(
        log,
        /ignored a message from Redis that (is not signed with the venue key|is not a venue message)/,
      );
    } finally {
      await redis.stop();
    }
  },
);

/** PUBLISH channel payload, as any client that reaches Redis could. */
function publish(port: number, channel: string, payload: Buffer): Promise<void> {
  const bulk = (b: Buffer) => Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')]);
  const command = Buffer.concat([
    Buffer.from('*3\r\n'),
    bulk(Buffer.from('PUBLISH')),
    bulk(Buffer.from(channel)),
    bulk(payload),
  ]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(command));
    socket.once('data', (reply) => {
      socket.end();
      if (reply.toString().startsWith(':')) resolve();
      else reject(new Error(`PUBLISH answered ${reply.toString()}`));
    });
    socket.once('error', reject);
  });
}
