// The venue's half of one poller per event: presence carries the events a desk could poll
// (validated when a peer sends it), every desk elects the same poller, and a Sync is asked of it
// with sync-request / sync-answer over the directory document (malformed messages are ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from '@hocuspocus/server';
import { startTestVenue, until, type TestVenue } from './helpers/loopback-nodes.ts';
import { pollKey } from '../../shared/venue-poller.ts';

const KEY = pollKey('eventbrite', '1001');

async function pair(body: (a: TestVenue, b: TestVenue) => Promise<void>): Promise<void> {
  const a = await startTestVenue();
  const b = await startTestVenue();
  try {
    await a.venue.startVenue('Hall A');
    await b.venue.join(a.venue.pairingCode(), a.address);
    await body(a, b);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** What `from` sees `of` could poll; null while it does not see it online. */
const seenPolls = (from: TestVenue, of: TestVenue) => {
  const p = from.venue.node.peerPresence().find((x) => x.stationId === of.venue.stationId && x.online);
  return p ? (p.polls ?? []) : null;
};

test("presence carries the events a desk could poll; both desks elect the same poller; a peer's malformed polls make it no candidate", async () => {
  await pair(async (a, b) => {
    assert.equal(a.venue.pollerOf(KEY), null, 'nobody could');
    b.venue.setPolls([KEY]);
    await until(() => seenPolls(a, b)?.join() === KEY, 'A sees what B could poll');
    assert.deepEqual(a.venue.pollerOf(KEY), { stationId: b.venue.stationId, deskName: 'Desk 2' });
    assert.equal(b.venue.pollerOf(KEY)?.stationId, b.venue.stationId);
    a.venue.setPolls([KEY, 'github:1']); // a key no provider has is left out, not sent
    assert.deepEqual(a.venue.node.ownPolls(), [KEY]);
    await until(() => seenPolls(b, a)?.join() === KEY, 'B sees what A could poll');
    const lowest = [a.venue.stationId, b.venue.stationId].sort()[0];
    assert.equal(a.venue.pollerOf(KEY)?.stationId, lowest);
    assert.equal(b.venue.pollerOf(KEY)?.stationId, lowest);
    // B's credential is rejected: it drops the key, and A is the poller on both.
    b.venue.setPolls([]);
    await until(() => seenPolls(a, b)?.length === 0, 'A sees B dropped it');
    assert.equal(a.venue.pollerOf(KEY)?.stationId, a.venue.stationId);

    // A presence whose polls do not validate (not keys, too many) is no presence at all.
    const directory = b.venue.node.directory() as Document;
    const valid = directory.awareness.getLocalState()!;
    // (Seen at A's presence change itself: B's heartbeat puts its valid state back within 300 ms.)
    let offlineSeen = false;
    a.venue.onChange(() => {
      if (!a.venue.node.peerPresence().some((p) => p.stationId === b.venue.stationId && p.online))
        offlineSeen = true;
    });
    for (const polls of [
      ['github:1'],
      [42],
      Array.from({ length: 501 }, (_, i) => pollKey('luma', `e${i}`)),
    ]) {
      offlineSeen = false;
      directory.awareness.setLocalState({ ...valid, polls, clock: Date.now() });
      await until(() => offlineSeen, `A ignores polls ${JSON.stringify(polls).slice(0, 40)}`);
      directory.awareness.setLocalState({ ...valid, polls: [KEY], clock: Date.now() });
      await until(() => seenPolls(a, b)?.join() === KEY, 'and takes a valid one again');
    }
  });
});

test('a Sync asked of the poller: started, or refused with its reason; malformed requests get no answer; an unreachable desk answers null at once', async () => {
  await pair(async (a, b) => {
    await until(
      () => b.venue.node.peerPresence().some((p) => p.stationId === a.venue.stationId && p.online),
      'B sees A',
    );
    const asked: string[] = [];
    let answer: () => ReturnType<Parameters<typeof a.venue.onSyncRequest>[0]> = () => ({
      outcome: 'started',
    });
    a.venue.onSyncRequest((eventKey) => {
      asked.push(eventKey);
      return answer();
    });
    const started = await b.venue.askSync(a.venue.stationId, KEY);
    assert.equal(started?.outcome, 'started');
    assert.deepEqual(asked, [KEY]);

    answer = () => ({
      outcome: 'refused',
      reason: `a sync is already running for this event ${'!'.repeat(400)}`,
    });
    const refused = await b.venue.askSync(a.venue.stationId, KEY);
    assert.equal(refused?.outcome, 'refused');
    assert.ok(
      refused?.outcome === 'refused' &&
        refused.reason.startsWith('a sync is already running') &&
        refused.reason.length === 300,
      'a long reason is cut to what the asker accepts',
    );
    answer = () => {
      throw new Error('the engine is shut down');
    };
    const thrown = await b.venue.askSync(a.venue.stationId, KEY);
    assert.ok(thrown?.outcome === 'refused' && thrown.reason === 'the engine is shut down');

    // Malformed requests (a bad key, an extra field, not JSON) are ignored: no handler call, no answer.
    const before = asked.length;
    for (const payload of [
      JSON.stringify({ type: 'sync-request', requestId: 'a1b2c3d4e5f6', event: 'github:1' }),
      JSON.stringify({ type: 'sync-request', requestId: 'a1b2c3d4e5f6', event: KEY, extra: true }),
      'sync-request',
      'null',
    ]) {
      assert.equal(
        b.venue.node.sendToPeers(payload, (id) => id === a.venue.stationId),
        1,
      );
    }
    // A well-formed request sent after them is answered: they were read, and dropped.
    assert.equal((await b.venue.askSync(a.venue.stationId, KEY))?.outcome, 'refused');
    assert.equal(asked.length, before + 1);

    // No connection to that station: null without waiting for the timeout.
    const t0 = Date.now();
    assert.equal(await b.venue.askSync('ffffffff-not-here', KEY, 10_000), null);
    assert.ok(Date.now() - t0 < 1_000);
  });
});

test('a desk that stops renewing its presence (frozen) is passed over after two heartbeats, while its socket still looks open', async () => {
  await pair(async (a, b) => {
    b.venue.setPolls([KEY]);
    a.venue.setPolls([KEY]);
    await until(
      () => seenPolls(a, b)?.join() === KEY && seenPolls(b, a)?.join() === KEY,
      'each sees the other',
    );
    // B the lower station, so A defers to it; then B's renewals stop (its heartbeat timer) as a frozen process's would.
    const [low, high] = a.venue.stationId < b.venue.stationId ? [a, b] : [b, a];
    assert.equal(high.venue.pollerOf(KEY)?.stationId, low.venue.stationId);
    clearInterval((low.venue.node as unknown as { heartbeat: NodeJS.Timeout }).heartbeat);
    const frozenAt = Date.now();
    await until(
      () => high.venue.pollerOf(KEY)?.stationId === high.venue.stationId,
      'the other desk takes over',
      5_000,
    );
    const after = Date.now() - frozenAt;
    assert.ok(
      high.venue.node.peerPresence().find((p) => p.stationId === low.venue.stationId)?.online,
      'its socket still looks open',
    );
    assert.ok(after >= 1_500, `not before it was silent for two heartbeats (2 s here): ${after} ms`);
  });
});
