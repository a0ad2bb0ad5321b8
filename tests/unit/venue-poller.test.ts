// The election of one poller per event, and the Sync messages desks send each other (shared/venue-poller.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_POLL_KEYS,
  electPoller,
  isPollKey,
  isPollKeyList,
  parsePollKey,
  pollKey,
  syncAnswerMessage,
  syncRequestMessage,
  syncStartedText,
  type PollCandidate,
} from '../../shared/venue-poller.ts';

const KEY = pollKey('eventbrite', '1001');
const desk = (stationId: string, over: Partial<PollCandidate> = {}): PollCandidate => ({
  stationId,
  online: true,
  polls: [KEY],
  ...over,
});

test('the lowest station id among the online desks holding the key polls; offline desks, relays and desks without the key never', () => {
  assert.equal(electPoller(KEY, [desk('cccccccc-3'), desk('aaaaaaaa-1'), desk('bbbbbbbb-2')]), 'aaaaaaaa-1');
  // The order desks are listed in changes nothing: every desk computes the same answer.
  assert.equal(electPoller(KEY, [desk('bbbbbbbb-2'), desk('cccccccc-3'), desk('aaaaaaaa-1')]), 'aaaaaaaa-1');
  assert.equal(
    electPoller(KEY, [desk('aaaaaaaa-1', { online: false }), desk('bbbbbbbb-2'), desk('cccccccc-3')]),
    'bbbbbbbb-2',
    'the poller went away: the next one',
  );
  assert.equal(
    electPoller(KEY, [desk('aaaaaaaa-1', { relay: true }), desk('bbbbbbbb-2')]),
    'bbbbbbbb-2',
    'a relay never polls',
  );
  assert.equal(
    electPoller(KEY, [desk('aaaaaaaa-1', { polls: [pollKey('luma', 'evt-1')] }), desk('bbbbbbbb-2')]),
    'bbbbbbbb-2',
    'a desk whose credential was rejected dropped the key',
  );
  assert.equal(
    electPoller(KEY, [desk('aaaaaaaa-1', { polls: undefined }), desk('bbbbbbbb-2')]),
    'bbbbbbbb-2',
    'an older desk (no polls) is no candidate',
  );
  assert.equal(
    electPoller(KEY, [desk('aaaaaaaa-1', { polls: [] }), desk('bbbbbbbb-2', { online: false })]),
    null,
    'nobody can',
  );
  assert.equal(electPoller(KEY, []), null);
  // Code-unit order, not the locale's: upper case sorts before lower case on every desk.
  assert.equal(electPoller(KEY, [desk('aaaaaaaa-1'), desk('Zzzzzzzz-9')]), 'Zzzzzzzz-9');
  assert.equal(
    electPoller(pollKey('eventbrite', '1002'), [
      desk('aaaaaaaa-1'),
      desk('bbbbbbbb-2', { polls: [KEY, pollKey('eventbrite', '1002')] }),
    ]),
    'bbbbbbbb-2',
    'each event has its own poller',
  );
});

test('event keys: <provider>:<providerEventId>, a known provider, printable ids; lists of at most 500', () => {
  assert.equal(KEY, 'eventbrite:1001');
  assert.deepEqual(parsePollKey('luma:evt-a:b'), { provider: 'luma', providerEventId: 'evt-a:b' });
  for (const bad of [
    'github:1',
    'eventbrite:',
    'eventbrite',
    ':1',
    'eventbrite:a b',
    `eventbrite:${'1'.repeat(201)}`,
    7,
    null,
  ]) {
    assert.equal(isPollKey(bad), false, String(bad));
  }
  assert.equal(parsePollKey('github:1'), null);
  assert.equal(isPollKeyList([KEY, 'luma:x']), true);
  assert.equal(isPollKeyList([]), true);
  assert.equal(
    isPollKeyList(Array.from({ length: MAX_POLL_KEYS }, (_, i) => pollKey('luma', `e${i}`))),
    true,
  );
  assert.equal(
    isPollKeyList(Array.from({ length: MAX_POLL_KEYS + 1 }, (_, i) => pollKey('luma', `e${i}`))),
    false,
  );
  assert.equal(isPollKeyList([KEY, 3]), false);
  assert.equal(isPollKeyList(KEY), false);
});

test('sync-request and sync-answer: what parses, what is ignored', () => {
  const requestId = 'a1b2c3d4e5f6a1b2c3d4e5f6';
  assert.ok(syncRequestMessage.safeParse({ type: 'sync-request', requestId, event: KEY }).success);
  for (const bad of [
    { type: 'sync-request', requestId, event: 'github:1' },
    { type: 'sync-request', requestId: 'short', event: KEY },
    { type: 'sync-request', requestId, event: KEY, extra: 1 },
    { type: 'sync-answer', requestId, event: KEY },
    null,
  ]) {
    assert.equal(syncRequestMessage.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.ok(syncAnswerMessage.safeParse({ type: 'sync-answer', requestId, outcome: 'started' }).success);
  assert.ok(
    syncAnswerMessage.safeParse({
      type: 'sync-answer',
      requestId,
      outcome: 'refused',
      reason: 'a sync is already running for this event',
    }).success,
  );
  for (const bad of [
    { type: 'sync-answer', requestId, outcome: 'refused' },
    { type: 'sync-answer', requestId, outcome: 'refused', reason: 'x'.repeat(301) },
    { type: 'sync-answer', requestId, outcome: 'done' },
    { type: 'sync-answer', requestId, outcome: 'started', reason: 'extra' },
  ]) {
    assert.equal(syncAnswerMessage.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('the Sync button says where the sync runs', () => {
  assert.equal(
    syncStartedText({ ranBy: 'poller', deskName: 'Desk 1', stationId: 'aaaaaaaa-1' }),
    'Sync asked of Desk 1',
  );
});
