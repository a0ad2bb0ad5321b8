// The admin's venue on loopback: pairing, names, presence, refusals, removal and rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../main/ground/clock.ts';
import { encodePairingCode, decodePairingCode } from '../../main/venue/net/membership/pairing-code.ts';
import { isAppError } from '../../shared/errors.ts';
import { startTestVenue, startTestNode, until, type TestVenue } from './helpers/loopback-nodes.ts';

async function withVenues<T>(count: number, body: (v: TestVenue[]) => Promise<T>): Promise<T> {
  const venues: TestVenue[] = [];
  try {
    for (let i = 0; i < count; i++) venues.push(await startTestVenue());
    return await body(venues);
  } finally {
    await Promise.all(venues.map((v) => v.close()));
  }
}

function online(v: TestVenue): string[] {
  return v.venue
    .status()
    .desks.filter((d) => d.online)
    .map((d) => d.name)
    .sort();
}

test('pairing code: round trip, case and dashes ignored; a mistyped one is refused as mistyped', () => {
  const material = { venueId: randomBytes(6).toString('hex'), epoch: 7, secret: randomBytes(16) };
  const code = encodePairingCode(material);
  assert.match(code, /^BD1(-[0-9A-Z]{1,5})+$/);
  const back = decodePairingCode(code.toLowerCase().replace(/-/g, ' '));
  assert.deepEqual(
    { ...back, secret: back.secret.toString('hex') },
    { ...material, secret: material.secret.toString('hex') },
  );
  // One character changed: the checksum catches it.
  const i = 6;
  const typo = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
  assert.throws(
    () => decodePairingCode(typo),
    (e: unknown) => isAppError(e) && e.code === 'INVALID_INPUT' && /mistyped|does not belong/.test(e.message),
  );
  assert.throws(
    () => decodePairingCode('hello'),
    (e: unknown) => isAppError(e) && e.code === 'INVALID_INPUT',
  );
});

test('start a venue, join by code: every new station is "Desk 1", joining proposes the next free name; all desks see each other online', async () => {
  await withVenues(3, async ([a, b, c]) => {
    await a!.venue.startVenue('Hall A');
    const code = a!.venue.pairingCode();
    const joinedB = await b!.venue.join(code, a!.address);
    assert.equal(joinedB.venue?.name, 'Hall A');
    assert.equal(b!.deskName(), 'Desk 2');
    // C joins through B: the directory travels, C connects to A too.
    await c!.venue.join(code, b!.address);
    assert.equal(c!.deskName(), 'Desk 3');
    for (const v of [a!, b!, c!])
      await until(() => online(v).join() === 'Desk 1,Desk 2,Desk 3', `${v.deskName()} sees all three`);
    const fromA = a!.venue.status().desks;
    assert.deepEqual(
      fromA.map((d) => d.thisDesk),
      [true, false, false],
    );
    assert.ok(fromA.every((d) => d.clockOff === false));
  });
});

test('two desks joining at the same moment both as "Desk 2": once they see each other, the later station id takes the next free name', async () => {
  await withVenues(3, async ([a, b, c]) => {
    await a!.venue.startVenue('Hall A');
    const code = a!.venue.pairingCode();
    await Promise.all([b!.venue.join(code, a!.address), c!.venue.join(code, a!.address)]);
    const names = () => [a!, b!, c!].map((v) => v.deskName());
    await until(() => new Set(names()).size === 3, `three names: ${names().join(', ')}`);
    for (const v of [a!, b!, c!])
      await until(
        () => online(v).join() === [...names()].sort().join(),
        `${v.deskName()} sees the settled names`,
      );
    assert.deepEqual([...names()].sort(), ['Desk 1', 'Desk 2', 'Desk 3']);
  });
});

test('a wrong code is refused and changes nothing; another venue on the same network stays apart', async () => {
  await withVenues(3, async ([a, b, other]) => {
    await a!.venue.startVenue('Hall A');
    await other!.venue.startVenue('Hall B');
    // A well-formed code of another venue: the TLS handshake fails.
    await assert.rejects(
      b!.venue.join(other!.venue.pairingCode(), a!.address),
      (e: unknown) => isAppError(e) && e.code === 'FORBIDDEN' && /refused this pairing code/.test(e.message),
    );
    // The right venue id with a wrong secret: refused too.
    const real = decodePairingCode(a!.venue.pairingCode());
    const forged = encodePairingCode({ ...real, secret: randomBytes(16) });
    await assert.rejects(
      b!.venue.join(forged, a!.address),
      (e: unknown) => isAppError(e) && e.code === 'FORBIDDEN',
    );
    assert.equal(b!.venue.status().venue, null);
    await until(
      () => a!.venue.status().refusals.some((r) => r.reason === 'wrong-secret'),
      'A counted the forged code',
    );
    assert.ok(a!.venue.status().refusals.some((r) => r.reason === 'another-venue'));
    assert.deepEqual(online(a!), ['Desk 1']);
  });
});

test('a version mismatch is refused with a message naming both versions', async () => {
  const a = await startTestVenue();
  const newer = await startTestVenue({ appVersion: '0.2.0', protocol: 2 });
  try {
    await a.venue.startVenue('Hall A');
    await assert.rejects(
      newer.venue.join(a.venue.pairingCode(), a.address),
      (e: unknown) =>
        isAppError(e) &&
        /Badge Desk 0\.2\.0 \(venue protocol 2\)/.test(e.message) &&
        /Badge Desk 0\.1\.0 \(venue protocol 1\)/.test(e.message),
    );
    assert.equal(newer.venue.status().venue, null);
    assert.ok(a.venue.status().refusals.some((r) => /version mismatch/.test(r.reason)));
  } finally {
    await Promise.all([a.close(), newer.close()]);
  }
});

test('a desk whose clock is more than 2 minutes off is shown so', async () => {
  // B's clock runs 5 minutes ahead of A's.
  const a = await startTestVenue();
  const b = await startTestVenue({
    clock: { now: () => Date.now() + 5 * 60_000, sleep: (ms) => systemClock.sleep(ms) },
  });
  try {
    await a.venue.startVenue('Hall A');
    await b.venue.join(a.venue.pairingCode(), a.address);
    await until(() => a.venue.status().desks.some((d) => d.name === 'Desk 2' && d.online), 'A sees B');
    const seen = a.venue.status().desks.find((d) => d.name === 'Desk 2')!;
    assert.equal(seen.clockOff, true);
    assert.ok(seen.clockOffsetMs! > 4 * 60_000, `offset ${seen.clockOffsetMs}`);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('removing a desk rotates the secret: the others follow, the removed desk is shut out with its old secret', async () => {
  await withVenues(3, async ([a, b, c]) => {
    await a!.venue.startVenue('Hall A');
    const oldCode = a!.venue.pairingCode();
    await b!.venue.join(oldCode, a!.address);
    await c!.venue.join(oldCode, a!.address);
    await until(() => online(a!).length === 3 && online(b!).length === 3, 'all online');
    const cId = c!.venue.stationId;
    const { status, notReached } = await a!.venue.removeDesk(cId);
    assert.deepEqual(notReached, []);
    assert.equal(status.venue?.epoch, 2);
    await until(() => b!.venue.status().venue?.epoch === 2, 'B rotated');
    assert.deepEqual(status.desks.map((d) => d.name).sort(), ['Desk 1', 'Desk 2']);
    await until(
      () => online(a!).join() === 'Desk 1,Desk 2' && online(b!).join() === 'Desk 1,Desk 2',
      'A and B see each other after the rotation',
    );
    // Someone keeping the old secret (C's copy of it) is refused at the handshake by both.
    const old = decodePairingCode(oldCode);
    const keeper = await startTestNode('Desk 3', old);
    try {
      const name = `venue:${old.venueId}:eventbrite:E1`;
      const doc = await keeper.node.openDocument(name);
      keeper.node.connectPeer({ host: '127.0.0.1', port: a!.venue.node.port });
      keeper.node.connectPeer({ host: '127.0.0.1', port: b!.venue.node.port });
      doc.getMap('checkins').set('stale', { attendee: 'x' });
      await until(
        () =>
          a!.venue.status().refusals.some((r) => r.reason === 'old-secret') &&
          b!.venue.status().refusals.some((r) => r.reason === 'old-secret'),
        'old secret refused',
      );
      const docA = await a!.venue.node.openDocument(name);
      assert.equal(docA.getMap('checkins').size, 0);
      // And the new code works for a fresh desk.
      const fresh = await startTestVenue();
      try {
        await fresh.venue.join(a!.venue.pairingCode(), b!.address);
        assert.equal(fresh.deskName(), 'Desk 3');
      } finally {
        await fresh.close();
      }
    } finally {
      await keeper.node.stop();
    }
  });
});
