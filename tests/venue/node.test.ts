import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type * as Y from 'yjs';
import type { VenueLimits } from '../../main/venue/net/transport/limits.ts';
import { newVenueKey, startTestNode, untilDoc, until, type TestNode } from './helpers/loopback-nodes.ts';

test('two desks replicate a document over TLS-PSK; a desk with another secret is refused and sees nothing', async () => {
  const key = newVenueKey();
  const a = await startTestNode('Desk 1', key);
  const b = await startTestNode('Desk 2', key);
  const rogue = await startTestNode('Rogue', { ...key, secret: randomBytes(32) });
  try {
    const name = `venue:${key.venueId}:eventbrite:E1`;
    const docA = await a.node.openDocument(name);
    const docB = await b.node.openDocument(name);
    const docRogue = await rogue.node.openDocument(name);
    b.node.connectPeer({ host: '127.0.0.1', port: a.node.port });
    rogue.node.connectPeer({ host: '127.0.0.1', port: a.node.port });

    docA.getMap('checkins').set('act-1', { attendee: 'att-1' });
    await untilDoc(docB, () => docB.getMap('checkins').has('act-1'));
    // And back: B's write reaches A through B's provider.
    docB.getMap('checkins').set('act-2', { attendee: 'att-2' });
    await untilDoc(docA, () => docA.getMap('checkins').has('act-2'));

    await until(
      () => a.events.some((e) => e.kind === 'handshake-refused' && e.reason === 'wrong-secret'),
      'the rogue refused',
    );
    // The rogue's write never arrives, and it never received ours.
    docRogue.getMap('checkins').set('rogue-1', { attendee: 'att-1' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(docRogue.getMap('checkins').size, 1);
    assert.equal(docA.getMap('checkins').has('rogue-1'), false);
  } finally {
    await Promise.all([a.node.stop(), b.node.stop(), rogue.node.stop()]);
  }
});

/** Desk 1 (with these limits) and Desk 2 of one venue, each with the event's document, B dialling A. */
async function limitedPair(
  limits: Partial<VenueLimits>,
  body: (p: { a: TestNode; b: TestNode; name: string; docA: Y.Doc; docB: Y.Doc }) => Promise<void>,
) {
  const key = newVenueKey();
  const a = await startTestNode('Desk 1', key, { limits });
  const b = await startTestNode('Desk 2', key);
  try {
    const name = `venue:${key.venueId}:eventbrite:E1`;
    const docA = await a.node.openDocument(name);
    const docB = await b.node.openDocument(name);
    b.node.connectPeer({ host: '127.0.0.1', port: a.node.port });
    await body({ a, b, name, docA, docB });
  } finally {
    await Promise.all([a.node.stop(), b.node.stop()]);
  }
}

test('a peer over the message rate is cut off and counted, and the documents still converge on its reconnect', async () => {
  await limitedPair({ messagesPerSecond: 20, messageBurst: 30 }, async ({ a, b, docA, docB }) => {
    await until(() => b.events.some((e) => e.kind === 'peer-synced'), 'B synced with A');
    // One update per transaction: 200 messages in a burst, far over 30.
    for (let i = 0; i < 200; i++) docB.getMap('checkins').set(`act-${i}`, { attendee: `att-${i}` });
    await until(() => a.events.some((e) => e.kind === 'limit' && e.reason === 'rate'), 'A cut B off');
    await untilDoc(docA, () => docA.getMap('checkins').size === 200, 10_000);
  });
});

test('a message over the size limit is refused and counted; nothing of it is stored', async () => {
  await limitedPair({ maxMessageBytes: 4_000 }, async ({ a, name, docA, docB }) => {
    docB.getMap('checkins').set('small', { attendee: 'att-1' });
    await untilDoc(docA, () => docA.getMap('checkins').has('small'));
    docB.getMap('checkins').set('huge', { attendee: 'x'.repeat(20_000) });
    await until(
      () => a.events.some((e) => e.kind === 'limit' && e.reason === 'size'),
      'A refused the huge message',
    );
    assert.equal(docA.getMap('checkins').has('huge'), false);
    const stored = a.persistence.load(name);
    assert.ok(!(stored && Buffer.from(stored).includes(Buffer.from('x'.repeat(1000)))));
  });
});

test("a peer dropped just after its connection closed never dials again (the provider socket's reconnect timer)", async () => {
  const key = newVenueKey();
  const a = await startTestNode('Desk 1', key);
  // B dials A through this relay, which counts B's connection attempts and can cut the link.
  let dials = 0;
  const links = new Set<Socket>();
  const relay = createServer((inbound) => {
    dials++;
    links.add(inbound);
    const outbound = connect(a.node.port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      links.delete(inbound);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close).on('close', close);
    outbound.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayAddress = { host: '127.0.0.1', port: (relay.address() as AddressInfo).port };
  let cut = false;
  let dropped = false;
  let droppedAt = -1;
  const b = await startTestNode('Desk 2', key, {
    onEvent: (e) => {
      // The socket's status change is told from inside its close handler, before that handler
      // schedules its reconnect: B forgets the peer on the next turn, with the reconnect pending.
      if (e.kind === 'presence' && cut && !dropped) {
        dropped = true;
        setImmediate(() => {
          b.node.disconnectPeer(relayAddress);
          droppedAt = dials;
        });
      }
    },
  });
  try {
    const name = `venue:${key.venueId}:eventbrite:E1`;
    const docA = await a.node.openDocument(name);
    const docB = await b.node.openDocument(name);
    b.node.connectPeer(relayAddress);
    docB.getMap('checkins').set('act-1', { attendee: 'att-1' });
    await untilDoc(docA, () => docA.getMap('checkins').has('act-1'));
    cut = true;
    for (const link of links) link.destroy();
    await until(() => droppedAt >= 0, 'B dropped the peer');
    // B's reconnect delay is 50 ms (startTestNode): a socket still retrying would have dialled
    // several times over by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(dials, droppedAt, 'no dial after the drop');
    assert.deepEqual(b.node.peerAddresses(), []);
  } finally {
    relay.close();
    await Promise.all([a.node.stop(), b.node.stop()]);
  }
});
