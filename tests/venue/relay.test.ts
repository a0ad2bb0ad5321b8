// The venue relay in process, on loopback: desks that reach no one but the relay (their directory
// addresses lead nowhere: they advertise 127.0.0.2 and listen on 127.0.0.1) pair, see each other
// online, converge and follow a rotation through it; it refuses a wrong secret, another venue and
// another venue's documents. tests/venue/relay-netns.test.ts runs it as a process between namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../main/ground/clock.ts';
import { VenueRelay } from '../../main/venue/relay/relay.ts';
import { RELAY_KEY_FILE } from '../../main/venue/relay/store.ts';
import {
  decodePairingCode,
  encodePairingCode,
  readPairingCode,
} from '../../main/venue/net/membership/pairing-code.ts';
import { isAppError } from '../../shared/errors.ts';
import { latestPerStation } from '../../main/venue/net/membership/presence.ts';
import { entriesDigest } from '../../main/venue/net/holdings.ts';
import {
  startTestNode,
  startTestVenue,
  until,
  untilDoc,
  type TestNode,
  type TestVenue,
} from './helpers/loopback-nodes.ts';

const EVENT = { provider: 'eventbrite', providerEventId: 'Conf' } as const;

async function startRelay(dataDir: string, code: string | null, log: string[] = []): Promise<VenueRelay> {
  return VenueRelay.start({
    dataDir,
    code,
    listen: { host: '127.0.0.1', port: 0 },
    clock: systemClock,
    appVersion: '0.1.0',
    heartbeatMs: 300,
    rotationWindowMs: 400,
    log: (l) => log.push(l),
  });
}

const onlineDesks = (v: TestVenue) =>
  v.venue
    .status()
    .desks.filter((d) => d.online)
    .map((d) => d.name)
    .sort()
    .join();

test('pairing codes: a BD2 code carries the relay address (IPv4 or a host name); BD1 codes still read; the key is the same', () => {
  const material = { venueId: randomBytes(6).toString('hex'), epoch: 3, secret: randomBytes(16) };
  for (const relay of ['192.168.1.5:4444', 'relay.example.org:443', '[fd00::1]:4444']) {
    const code = encodePairingCode(material, relay);
    assert.match(code, /^BD2(-[0-9A-Z]{1,5})+$/);
    const back = readPairingCode(code.toLowerCase());
    assert.equal(back.relay, relay);
    assert.equal(back.material.secret.toString('hex'), material.secret.toString('hex'));
    assert.deepEqual({ ...decodePairingCode(code), secret: null }, { ...material, secret: null });
    // A character changed in the relay's part: the checksum covers it.
    const i = code.length - 3;
    const typo = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
    assert.throws(
      () => readPairingCode(typo),
      (e: unknown) => isAppError(e) && e.code === 'INVALID_INPUT',
    );
  }
  const old = encodePairingCode(material);
  assert.match(old, /^BD1-/);
  assert.equal(readPairingCode(old).relay, null);
  assert.throws(
    () => encodePairingCode(material, 'no port here'),
    (e: unknown) => isAppError(e) && e.code === 'INVALID_INPUT',
  );
});

test('presence that reaches a desk along several paths counts once per station, the latest reading of its clock', () => {
  const state = (stationId: string, clock: number) => ({
    stationId,
    deskName: 'Desk',
    appVersion: '0.1.0',
    clock,
  });
  // Desk B through the relay and through Desk C, and a stale state of B's from before its restart.
  const seen = latestPerStation([
    state('station-b', 1_000),
    state('station-c', 900),
    state('station-b', 5_000),
    state('station-b', 3_000),
  ]);
  assert.deepEqual(
    seen.map((s) => [s.stationId, s.clock]),
    [
      ['station-b', 5_000],
      ['station-c', 900],
    ],
  );
});

test('desks that reach only the relay pair through it, see each other online, converge, and follow a rotation through it', async () => {
  const apart = { advertiseHosts: ['127.0.0.2'] };
  const desks: TestVenue[] = [];
  const rogues: TestNode[] = [];
  const relayDir = mkdtempSync(join(tmpdir(), 'venue-relay-'));
  let relay: VenueRelay | null = null;
  try {
    for (let i = 0; i < 3; i++) desks.push(await startTestVenue(apart));
    const [a, b, c] = desks as [TestVenue, TestVenue, TestVenue];
    await a.venue.startVenue('Hall A');
    relay = await startRelay(relayDir, a.venue.pairingCode());
    const relayAddress = `127.0.0.1:${relay.port}`;
    // Typed like a desk's address; the desk learns from its presence that it is the relay.
    a.venue.addPeer(relayAddress);
    await until(
      () => a.venue.status().relays.some((r) => r.online && r.address === relayAddress),
      'Desk 1 sees the relay',
    );
    const code = a.venue.pairingCode();
    assert.equal(readPairingCode(code).relay, relayAddress, 'the code carries the relay');

    // No address: through the relay the code names. Names stay unique through it.
    assert.equal((await b.venue.join(code)).thisDesk.name, 'Desk 2');
    assert.equal((await c.venue.join(code)).thisDesk.name, 'Desk 3');
    for (const v of desks)
      await until(() => onlineDesks(v) === 'Desk 1,Desk 2,Desk 3', `${v.deskName()} sees three desks online`);
    for (const v of desks) {
      const s = v.venue.status();
      assert.equal(s.desks.length, 3, 'the relay is no desk');
      assert.deepEqual(
        s.relays.map((r) => [r.stationId, r.online]),
        [[relay.stationId, true]],
      );
      // Nothing but the relay: the desks' own addresses lead nowhere.
      assert.deepEqual(
        v.venue.node.identifiedPeers().map((p) => p.stationId),
        [relay.stationId],
      );
    }

    const docA = await a.venue.open({ venueId: a.venue.venueId!, ...EVENT });
    const docC = await c.venue.open({ venueId: a.venue.venueId!, ...EVENT });
    docA.getMap('checkins').set('act-1', { attendee: 'a1' });
    await untilDoc(docC, () => docC.getMap('checkins').has('act-1'));

    // The rotation reaches Desk 2 and 3 through the relay only, and their answers come back through it.
    const { notReached } = await a.venue.rotateSecret();
    assert.deepEqual(notReached, []);
    await until(
      () => desks.every((v) => v.venue.status().venue?.epoch === 2) && relay!.venue.epoch === 2,
      'every desk and the relay on epoch 2',
      8_000,
    );
    for (const v of desks)
      await until(
        () => onlineDesks(v) === 'Desk 1,Desk 2,Desk 3',
        `${v.deskName()} sees three desks online after the rotation`,
        8_000,
      );
    docC.getMap('checkins').set('act-2', { attendee: 'a2' });
    await untilDoc(docA, () => docA.getMap('checkins').has('act-2'), 8_000);

    // Removing Desk 3: the relay passes the rotation on to Desk 2 only, and shuts Desk 3 out. A
    // well-behaved Desk 3 leaves when it reads its removal; in its place here a copy that does not
    // (its station id and key, connected to the relay) must not get the new secret.
    const stationC = c.venue.stationId;
    await c.close();
    desks.splice(2, 1);
    const rogue = await startTestNode('Desk 3', decodePairingCode(a.venue.pairingCode()), {
      identity: { stationId: stationC, deskName: 'Desk 3', appVersion: '0.1.0', protocol: 1 },
    });
    rogues.push(rogue);
    const rogueDoc = await rogue.node.openDocument(`venue:${a.venue.venueId}:eventbrite:Conf`);
    rogue.node.connectPeer({ host: '127.0.0.1', port: relay.port });
    await until(
      () => rogue.events.some((e) => e.kind === 'peer-synced' && e.documentName.endsWith(':directory')),
      'the copy of Desk 3 connected',
    );
    const removal = await a.venue.removeDesk(stationC);
    assert.deepEqual(removal.notReached, []);
    await until(
      () => b.venue.status().venue?.epoch === 3 && relay!.venue.epoch === 3,
      'Desk 2 and the relay on epoch 3',
      8_000,
    );
    await until(
      () => onlineDesks(a) === 'Desk 1,Desk 2' && onlineDesks(b) === 'Desk 1,Desk 2',
      'Desk 1 and 2 see each other again',
      8_000,
    );
    docA.getMap('checkins').set('act-3', { attendee: 'a3' });
    const docB = await b.venue.open({ venueId: a.venue.venueId!, ...EVENT });
    await untilDoc(docB, () => docB.getMap('checkins').has('act-3'), 8_000);
    assert.equal(
      rogueDoc.getMap('checkins').has('act-3'),
      false,
      'the removed desk read a check-in made after its removal',
    );
    assert.equal(
      rogue.events.some((e) => e.kind === 'stateless' && e.payload.includes('"rotate"')),
      false,
      'the relay passed the new secret to a removed desk',
    );

    // The key it followed is kept, for the owner only; a restart needs no code and keeps its id.
    const keyFile = join(relayDir, RELAY_KEY_FILE);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(keyFile, 'utf8')).epoch, 3);
    const id = relay.stationId;
    await relay.stop();
    relay = await startRelay(relayDir, null);
    assert.deepEqual([relay.stationId, relay.venue.epoch], [id, 3]);
    assert.ok(
      relay.documentNames().includes(`venue:${a.venue.venueId}:eventbrite:Conf`),
      relay.documentNames().join(),
    );
  } finally {
    await relay?.stop();
    await Promise.all([...desks.map((d) => d.close()), ...rogues.map((r) => r.node.stop())]);
    rmSync(relayDir, { recursive: true, force: true });
  }
});

test('the relay answers what it holds of a desk’s check-ins: a desk that reaches only the relay learns they are held there', async () => {
  const apart = { advertiseHosts: ['127.0.0.2'] };
  const desks: TestVenue[] = [];
  const relayDir = mkdtempSync(join(tmpdir(), 'venue-relay-holds-'));
  let relay: VenueRelay | null = null;
  try {
    for (let i = 0; i < 2; i++) desks.push(await startTestVenue(apart));
    const [a, b] = desks as [TestVenue, TestVenue];
    await a.venue.startVenue('Hall H');
    relay = await startRelay(relayDir, a.venue.pairingCode());
    a.venue.addPeer(`127.0.0.1:${relay.port}`);
    await until(() => a.venue.status().relays.some((r) => r.online), 'Desk 1 sees the relay');
    await b.venue.join(a.venue.pairingCode());
    const key = { venueId: a.venue.venueId!, ...EVENT };
    const docB = await b.venue.open(key);
    const own = (id: string) => ({ stationId: b.venue.stationId, attendee: id });
    docB.getMap('checkins').set('act-h1', own('a1'));
    docB.getMap('checkins').set('act-h2', own('a2'));
    docB.getMap('checkins').set('act-other', { stationId: a.venue.stationId, attendee: 'a3' });
    const docA = await a.venue.open(key);
    await untilDoc(docA, () => docA.getMap('checkins').size === 3);
    const mine = entriesDigest(['act-h2', 'act-h1']);
    const answers = await b.venue.askHoldings(EVENT, 3_000, (x) => x.held?.digest === mine.digest);
    const fromRelay = answers.find((x) => x.relay);
    assert.ok(fromRelay, `the relay answered: ${JSON.stringify(answers)}`);
    assert.deepEqual(fromRelay.held, mine, 'its count and digest are of Desk 2’s entries only');
    assert.equal(fromRelay.stationId, relay.stationId);
    // A document the relay does not hold: it says so.
    const none = await b.venue.askHoldings({ provider: 'eventbrite', providerEventId: 'Other' }, 1_500);
    assert.deepEqual(
      none.filter((x) => x.relay).map((x) => x.held),
      [null],
    );
  } finally {
    await relay?.stop();
    await Promise.all(desks.map((d) => d.close()));
    rmSync(relayDir, { recursive: true, force: true });
  }
});

test("the relay refuses a wrong secret, another venue and another venue's documents, and needs a code the first time", async () => {
  const relayDir = mkdtempSync(join(tmpdir(), 'venue-relay-'));
  const material = { venueId: randomBytes(6).toString('hex'), epoch: 1, secret: randomBytes(16) };
  const log: string[] = [];
  await assert.rejects(startRelay(relayDir, null), /needs the venue's pairing code/);
  const relay = await startRelay(relayDir, encodePairingCode(material), log);
  const address = { host: '127.0.0.1', port: relay.port };
  const wrongSecret = await startTestNode('Rogue', { ...material, secret: randomBytes(16) });
  const otherVenue = await startTestNode('Other', { ...material, venueId: randomBytes(6).toString('hex') });
  const member = await startTestNode('Desk 1', material);
  const strayName = `venue:${randomBytes(6).toString('hex')}:eventbrite:Conf`;
  try {
    const rogueDoc = await wrongSecret.node.openDocument(`venue:${material.venueId}:eventbrite:Conf`);
    rogueDoc.getMap('checkins').set('rogue-1', { attendee: 'a1' });
    wrongSecret.node.connectPeer(address);
    otherVenue.node.connectPeer(address);
    // A member asking for a document of another venue: refused by onAuthenticate.
    await member.node.openDocument(strayName);
    member.node.connectPeer(address);
    await until(() => log.some((l) => l.endsWith(': wrong-secret')), 'the wrong secret refused');
    await until(() => log.some((l) => l.endsWith(': another-venue')), 'the other venue refused');
    await until(
      () =>
        member.events.some(
          (e) => e.kind === 'refused-by-peer' && e.reason === 'that document is not one of this venue',
        ),
      'the stray document refused',
    );
    assert.ok(
      member.events.some((e) => e.kind === 'peer-synced' && e.documentName.endsWith(':directory')),
      'the member synced the directory',
    );
    assert.ok(
      relay.documentNames().every((n) => n.startsWith(`venue:${material.venueId}:`)),
      relay.documentNames().join(),
    );
    assert.equal(
      log.some((l) => l.includes(material.secret.toString('base64'))),
      false,
    );
  } finally {
    await Promise.all([wrongSecret.node.stop(), otherVenue.node.stop(), member.node.stop()]);
    await relay.stop();
    rmSync(relayDir, { recursive: true, force: true });
  }
});

test('a relay that missed a rotation says so and takes the new code; an older code changes nothing', async () => {
  const relayDir = mkdtempSync(join(tmpdir(), 'venue-relay-'));
  const epoch1 = { venueId: randomBytes(6).toString('hex'), epoch: 1, secret: randomBytes(16) };
  const epoch2 = { ...epoch1, epoch: 2, secret: randomBytes(16) };
  const log: string[] = [];
  let relay = await startRelay(relayDir, encodePairingCode(epoch1), log);
  const rotated = await startTestNode('Desk 1', epoch2);
  try {
    rotated.node.connectPeer({ host: '127.0.0.1', port: relay.port });
    await until(
      () =>
        log.some((l) => l.includes("newer-secret (the venue's secret was rotated while this relay was off")),
      'the relay says it missed a rotation',
    );
    const id = relay.stationId;
    await relay.stop();
    relay = await startRelay(relayDir, encodePairingCode(epoch2));
    assert.deepEqual([relay.stationId, relay.venue.epoch], [id, 2]);
    await relay.stop();
    relay = await startRelay(relayDir, encodePairingCode(epoch1));
    assert.equal(relay.venue.epoch, 2, 'an older code of the same venue does not undo a rotation');
  } finally {
    await rotated.node.stop();
    await relay.stop();
    rmSync(relayDir, { recursive: true, force: true });
  }
});
