import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newVenueKey, startTestNode, untilDoc, until } from '../helpers/venue-nodes.ts';

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

    await until(() => a.events.some((e) => e.kind === 'handshake-refused' && e.reason === 'wrong-secret'), 'the rogue refused');
    // The rogue's write never arrives, and it never received ours.
    docRogue.getMap('checkins').set('rogue-1', { attendee: 'att-1' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(docRogue.getMap('checkins').size, 1);
    assert.equal(docA.getMap('checkins').has('rogue-1'), false);
  } finally {
    await Promise.all([a.node.stop(), b.node.stop(), rogue.node.stop()]);
  }
});
