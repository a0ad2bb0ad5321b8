// Several relays for one venue: the pairing code carries them (BD3), and a desk uses one at a time,
// moving to the next when the one in use has been unreachable for the failover time (an injected
// clock and link states here; the processes in tests/venue/relay-cluster.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  MAX_CODE_RELAYS,
  encodePairingCode,
  readPairingCode,
} from '../../main/venue/net/membership/pairing-code.ts';
import { RelayChoice } from '../../main/venue/net/directory/relay-choice.ts';
import { formatAddress, type PeerAddress } from '../../main/venue/net/transport/addresses.ts';
import { isAppError } from '../../shared/errors.ts';

const material = { venueId: randomBytes(6).toString('hex'), epoch: 2, secret: randomBytes(16) };

test('a BD3 code carries several relays in order; one relay is still a BD2 code; past four are left out', () => {
  const relays = ['10.0.0.5:4444', 'relay-b.example.org:4444', '[fd00::2]:4444'];
  const code = encodePairingCode(material, relays);
  assert.match(code, /^BD3(-[0-9A-Z]{1,5})+$/);
  const back = readPairingCode(code.toLowerCase());
  assert.deepEqual(back.relays, relays);
  assert.equal(back.relay, relays[0]);
  assert.equal(back.material.secret.toString('hex'), material.secret.toString('hex'));
  const one = encodePairingCode(material, ['10.0.0.5:4444']);
  assert.match(one, /^BD2-/);
  assert.deepEqual(readPairingCode(one).relays, ['10.0.0.5:4444']);
  const many = Array.from({ length: 6 }, (_, i) => `10.0.0.${i + 1}:4444`);
  assert.deepEqual(readPairingCode(encodePairingCode(material, many)).relays, many.slice(0, MAX_CODE_RELAYS));
  assert.deepEqual(readPairingCode(encodePairingCode(material)).relays, []);
  // A character changed anywhere in the relays' part: the checksum says so.
  const i = code.length - 4;
  const typo = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
  assert.throws(
    () => readPairingCode(typo),
    (e: unknown) => isAppError(e) && e.code === 'INVALID_INPUT',
  );
  assert.throws(
    () => encodePairingCode(material, ['10.0.0.5:4444', 'no port']),
    (e: unknown) => isAppError(e) && e.code === 'INVALID_INPUT',
  );
});

function harness(failoverMs = 1_000) {
  let now = 0;
  const up = new Set<string>();
  const connected = new Set<string>();
  const moves: string[] = [];
  const choice = new RelayChoice({
    connect: (a) => connected.add(formatAddress(a)),
    disconnect: (a) => connected.delete(formatAddress(a)),
    linkUp: (a) => up.has(formatAddress(a)),
    failoverMs,
    now: () => now,
    moved: (from, to) => moves.push(`${formatAddress(from)}>${formatAddress(to)}`),
  });
  return {
    choice,
    up,
    connected,
    moves,
    advance(ms: number) {
      now += ms;
      choice.check();
    },
  };
}

const A: PeerAddress = { host: '10.0.0.1', port: 4444 };
const B: PeerAddress = { host: '10.0.0.2', port: 4444 };
const C: PeerAddress = { host: '10.0.0.3', port: 4444 };

test('a desk uses its first relay only, and keeps it while it answers', () => {
  const h = harness();
  h.choice.setCandidates([A, B, A, C]);
  assert.deepEqual([...h.connected], ['10.0.0.1:4444']);
  h.up.add('10.0.0.1:4444');
  for (let i = 0; i < 10; i++) h.advance(500);
  assert.deepEqual([...h.connected], ['10.0.0.1:4444']);
  assert.deepEqual(h.moves, []);
  // The directory lists them in another order: the one in use stays.
  h.choice.setCandidates([C, B, A]);
  assert.equal(formatAddress(h.choice.inUse!), '10.0.0.1:4444');
});

test('down for the failover time, it moves to the next, round the list, and does not move back', () => {
  const h = harness(1_000);
  h.choice.setCandidates([A, B, C]);
  h.advance(500); // down noticed
  h.advance(900); // 900 ms down: stays
  assert.deepEqual(h.moves, []);
  h.advance(200); // 1,100 ms down: moves
  assert.deepEqual(h.moves, ['10.0.0.1:4444>10.0.0.2:4444']);
  assert.deepEqual([...h.connected], ['10.0.0.2:4444']);
  h.advance(500);
  h.advance(1_100);
  h.advance(500);
  h.advance(1_100);
  assert.deepEqual(h.moves.slice(1), ['10.0.0.2:4444>10.0.0.3:4444', '10.0.0.3:4444>10.0.0.1:4444']);
  // A answers again and is in use: B answering too moves nothing.
  h.up.add('10.0.0.1:4444');
  h.up.add('10.0.0.2:4444');
  for (let i = 0; i < 10; i++) h.advance(1_000);
  assert.equal(h.moves.length, 3);
  // A relay dropped from the list while in use gives way; none left: none connected.
  h.choice.setCandidates([B]);
  assert.deepEqual([...h.connected], ['10.0.0.2:4444']);
  h.choice.clear();
  assert.deepEqual([...h.connected], []);
});

test('with one relay there is nowhere to move: it is kept, and retried', () => {
  const h = harness(1_000);
  h.choice.setCandidates([A]);
  for (let i = 0; i < 10; i++) h.advance(1_000);
  assert.deepEqual(h.moves, []);
  assert.deepEqual([...h.connected], ['10.0.0.1:4444']);
});
