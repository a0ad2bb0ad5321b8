// The tests' own lossy TCP proxy (helpers/lossy-proxy.ts, helpers/network-profiles.ts): the
// model of one direction (seeded, in order, delay and loss as the profile says, reordering only
// across streams), then real sockets through it on port 0: bytes arrive whole and in order, an
// outage holds or cuts, and a handshake cut stops a connection a few bytes in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { LossyProxy } from './helpers/lossy-proxy.ts';
import {
  BAD_WIFI,
  DROP_30S,
  LinkShaper,
  VENUE_WIFI,
  profileNamed,
  seededRandom,
  streamSeed,
  withOutage,
  type NetworkProfile,
} from './helpers/network-profiles.ts';

function draws(profile: NetworkProfile, seed: number, n: number, gapMs = 1) {
  const shaper = new LinkShaper(profile, seededRandom(seed));
  return Array.from({ length: n }, (_, i) => ({ sent: i * gapMs, ...shaper.deliver(i * gapMs) }));
}

test('the profiles are the ones the venue is tested on', () => {
  assert.deepEqual(
    [VENUE_WIFI, BAD_WIFI].map((p) => [p.name, p.delayMs, p.jitterMs, p.loss, p.stallMs]),
    [
      ['venue Wi-Fi', 20, 10, 0.02, 200],
      ['bad Wi-Fi', 80, 40, 0.1, 200],
    ],
  );
  assert.deepEqual(DROP_30S.outage, { durationMs: 30_000, mode: 'blackhole' });
  assert.equal(withOutage(DROP_30S, 3_000).outage!.durationMs, 3_000);
  assert.equal(profileNamed('bad-wifi'), BAD_WIFI);
  assert.throws(() => profileNamed('dial-up'), /no network profile "dial-up"/);
});

test('a stream is shaped the same for the same seed, and differently for another', () => {
  assert.deepEqual(draws(VENUE_WIFI, 7, 200), draws(VENUE_WIFI, 7, 200));
  assert.notDeepEqual(draws(VENUE_WIFI, 7, 200), draws(VENUE_WIFI, 8, 200));
  assert.notEqual(streamSeed(7, 0, 0), streamSeed(7, 0, 1));
  assert.notEqual(streamSeed(7, 0, 1), streamSeed(7, 1, 0));
});

test('delay, jitter and loss are what the profile says, and a stream never reorders', () => {
  for (const profile of [VENUE_WIFI, BAD_WIFI]) {
    // Pieces 1 s apart: no piece waits behind another's stall, so each delay is its own.
    const spaced = draws(profile, 11, 20_000, 1_000);
    const delays = spaced.filter((d) => !d.lost).map((d) => d.at - d.sent);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    assert.ok(Math.abs(mean - profile.delayMs) < 1, `${profile.name}: mean delay ${mean}`);
    assert.ok(Math.min(...delays) >= profile.delayMs - profile.jitterMs, `${profile.name}: too early`);
    assert.ok(Math.max(...delays) <= profile.delayMs + profile.jitterMs, `${profile.name}: too late`);
    const lost = spaced.filter((d) => d.lost);
    const rate = lost.length / spaced.length;
    assert.ok(Math.abs(rate - profile.loss) < profile.loss * 0.15, `${profile.name}: loss rate ${rate}`);
    for (const d of lost) assert.ok(d.at - d.sent >= profile.stallMs + profile.delayMs - profile.jitterMs);
    // Pieces 1 ms apart: a stall holds everything behind it, and nothing overtakes.
    const dense = draws(profile, 12, 5_000, 1);
    for (let i = 1; i < dense.length; i++) assert.ok(dense[i]!.at >= dense[i - 1]!.at, `reordered at ${i}`);
    const held = dense.findIndex((d, i) => i > 0 && d.lost);
    assert.ok(dense[held + 1]!.at >= dense[held]!.at, 'a piece overtook a retransmission');
  }
});

test('two streams reorder against each other (jitter), each staying in order', () => {
  const a = new LinkShaper(VENUE_WIFI, seededRandom(streamSeed(3, 0, 0)));
  const b = new LinkShaper(VENUE_WIFI, seededRandom(streamSeed(3, 1, 0)));
  let overtaken = 0;
  for (let t = 0; t < 1_000; t += 2) {
    const first = a.deliver(t).at;
    const second = b.deliver(t + 1).at;
    if (second < first) overtaken += 1;
  }
  assert.ok(overtaken > 50, `only ${overtaken} of 500 later pieces overtook an earlier one`);
});

// ---- real sockets (each test bounded: a proxy that never delivers fails it rather than hanging) ----

const FAST: NetworkProfile = {
  name: 'fast lossy',
  delayMs: 2,
  jitterMs: 2,
  loss: 0.2,
  stallMs: 5,
  pieceBytes: 4 * 1024,
  outage: null,
};

interface Sink {
  server: Server;
  port: number;
  accepted: Socket[];
  /** Resolves with the next connection the sink accepts. */
  next(): Promise<Socket>;
}

async function sink(): Promise<Sink> {
  const accepted: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    accepted.push(socket);
    waiting.shift()?.(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    accepted,
    next: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

/** Everything the socket reads until the other side ends or resets it. */
function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => {
    const done = () => resolve(Buffer.concat(chunks));
    socket.once('end', done);
    socket.once('close', done);
  });
}

/** Resolves with whether the socket closed on an error (a reset). */
function closed(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => socket.once('close', (hadError: boolean) => resolve(hadError)));
}

function dial(port: number): Socket {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  socket.on('error', () => undefined);
  return socket;
}

async function withProxy(
  profile: NetworkProfile,
  body: (proxy: LossyProxy, port: number, s: Sink) => Promise<void>,
): Promise<void> {
  const s = await sink();
  const proxy = new LossyProxy({ profile, seed: 5 });
  try {
    const { port } = await proxy.route({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: s.port });
    await body(proxy, port, s);
  } finally {
    await proxy.close();
    for (const socket of s.accepted) socket.destroy();
    s.server.close();
  }
}

test('bytes cross whole and in order both ways, through delays and stalls', { timeout: 20_000 }, async () => {
  await withProxy(FAST, async (proxy, port, s) => {
    const payload = randomBytes(3 * 1024 * 1024);
    const client = dial(port);
    const accepted = s.next();
    // Written in uneven pieces, as a desk's messages are.
    for (let offset = 0; offset < payload.length;) {
      const size = 1 + (offset % 70_001);
      client.write(payload.subarray(offset, offset + size));
      offset += size;
    }
    client.end();
    const server = await accepted;
    // The server echoes what it got, then ends: the way back is shaped too.
    const echoed = readAll(client);
    const got = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      server.on('data', (c: Buffer) => chunks.push(c));
      server.once('end', () => resolve(Buffer.concat(chunks)));
    });
    server.end(got);
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(got), digest(payload));
    assert.equal(digest(await echoed), digest(payload));
    const stats = proxy.stats();
    assert.ok(stats.losses > 0, 'no stall was drawn');
    assert.equal(stats.bytes, payload.length * 2);
  });
});

test(
  'a blackhole outage holds the stream and new connections, then delivers everything in order',
  { timeout: 20_000 },
  async () => {
    await withProxy(FAST, async (proxy, port, s) => {
      const client = dial(port);
      const server = await s.next();
      const received: Buffer[] = [];
      server.on('data', (c: Buffer) => received.push(c));
      client.write('before ');
      await once(server, 'data');
      proxy.startOutage('blackhole');
      const held = once(proxy, 'held');
      client.write('during the outage');
      await held;
      // A connection opened during the outage reaches the proxy, not the server.
      const late = dial(port);
      await once(proxy, 'connection');
      late.write('late');
      await once(proxy, 'held');
      assert.equal(Buffer.concat(received).toString(), 'before ');
      assert.equal(s.accepted.length, 1, 'a connection crossed the outage');
      assert.ok(proxy.stats().heldBytes >= 'during the outage'.length);
      const lateServer = s.next();
      const rest = new Promise<void>((resolve) =>
        server.on('data', () => {
          if (Buffer.concat(received).toString().endsWith('outage')) resolve();
        }),
      );
      proxy.endOutage();
      await rest;
      assert.equal(Buffer.concat(received).toString(), 'before during the outage');
      const second = await lateServer;
      const [first] = await once(second, 'data');
      assert.equal((first as Buffer).toString(), 'late');
      assert.equal(proxy.stats().heldBytes, 0);
      client.destroy();
      late.destroy();
    });
  },
);

test(
  'a cutting outage resets open connections and refuses new ones until it ends',
  { timeout: 20_000 },
  async () => {
    await withProxy(FAST, async (proxy, port, s) => {
      const client = dial(port);
      await s.next();
      const reset = closed(client);
      proxy.startOutage('cut');
      assert.equal(await reset, true, 'the open connection was not reset');
      assert.equal(await closed(dial(port)), true, 'a new connection was not refused');
      assert.equal(proxy.stats().refused, 1);
      assert.equal(s.accepted.length, 1);
      proxy.endOutage();
      const again = dial(port);
      await s.next();
      again.destroy();
    });
  },
);

test(
  'a handshake cut stops the next connections a seeded few bytes in; the one after is whole',
  { timeout: 20_000 },
  async () => {
    await withProxy({ ...FAST, loss: 0 }, async (proxy, port, s) => {
      proxy.cutNextConnections(2, 300);
      for (let i = 0; i < 2; i++) {
        const client = dial(port);
        const server = await s.next();
        const got = readAll(server);
        const cut = once(proxy, 'cut');
        client.write(Buffer.alloc(1_000, 1));
        await cut;
        const bytes = (await got).length;
        assert.ok(bytes >= 0 && bytes <= 300, `${bytes} bytes crossed a cut connection`);
        assert.equal(await closed(client), true);
      }
      assert.equal(proxy.stats().handshakeCuts, 2);
      const whole = dial(port);
      const server = await s.next();
      whole.end(Buffer.alloc(1_000, 2));
      assert.equal((await readAll(server)).length, 1_000);
    });
  },
);

test(
  'a silent cut leaves both ends open and hearing nothing, as a dead link does',
  { timeout: 20_000 },
  async () => {
    await withProxy({ ...FAST, loss: 0 }, async (proxy, port, s) => {
      proxy.cutNextConnections(1, 100, 'silent');
      const client = dial(port);
      const server = await s.next();
      let serverClosed = false;
      server.once('close', () => (serverClosed = true));
      const got: Buffer[] = [];
      server.on('data', (c: Buffer) => got.push(c));
      const cut = once(proxy, 'cut');
      client.write(Buffer.alloc(1_000, 1));
      await cut;
      client.destroy();
      // A later connection's bytes cross after the silenced client's close reached the proxy.
      const later = dial(port);
      const laterServer = await s.next();
      later.end('after');
      assert.equal((await readAll(laterServer)).toString(), 'after');
      assert.ok(Buffer.concat(got).length <= 100);
      assert.equal(serverClosed, false, "the silenced link passed the client's close on");
      assert.equal(proxy.stats().handshakeCuts, 1);
    });
  },
);
