// The door across a venue of real station processes (tests/venue/helpers/station-child.ts), each a
// whole core on its own network stack where namespaces can be made (else on loopback ports): a
// walk-in added at Desk 1 is found and admitted at Desk 2, concurrent badge-name corrections
// converge, a note set at one desk shows at another, and the same walk-in registered at two desks
// apart stays two people, listed for the admin as a possible duplicate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Station, eventually } from './helpers/station-process.ts';
import { makeDeskNetwork, type DeskNetwork } from './helpers/netns.ts';

let seq = 0;
const act = (tag: string) => `act-door-${tag}-${String(++seq).padStart(6, '0')}`;

interface Found {
  pid: string;
  fullName: string;
  walkIn: boolean;
  checkedIn: { at: string; station: string } | null;
}
interface Person {
  fullName: string;
  note: string | null;
  walkIn: boolean;
}

test(
  'the door across the venue: walk-ins, corrections, notes, and a walk-in registered twice while apart',
  { timeout: 180_000 },
  async (t) => {
    const net: DeskNetwork | null = makeDeskNetwork(3);
    if (!net) t.diagnostic('network namespaces are not available here: the desks run on loopback ports');
    const hostOf = (i: number) =>
      net ? { host: net.hosts[i]!.host, netns: net.hosts[i]!.netns } : { host: '127.0.0.1', netns: null };
    const stations: Station[] = [];
    try {
      const [one, two] = await Promise.all(
        [0, 1].map((i) => Station.start({ name: 'Desk 1', ...hostOf(i) })),
      );
      stations.push(one!, two!);
      await one!.call('startVenue', { name: 'Hall A' });
      const { code } = await one!.call<{ code: string }>('code');
      await two!.call('join', { code, address: one!.address });
      // A third desk works alone until later: it registers a walk-in while apart from the venue.
      const three = await Station.start({ name: 'Desk 3', ...hostOf(2) });
      stations.push(three);

      await t.test(
        'a walk-in added at Desk 1 is found and admitted at Desk 2: "Already checked in at Desk 1"',
        async () => {
          const added = await one!.call<{ pid: string; kind: string }>('walkIn', {
            actionId: act('w'),
            firstName: 'Grace',
            lastName: 'Hopper',
          });
          assert.equal(added.kind, 'checked_in');
          const found = await eventually(
            () => two!.call<Found[]>('find', { query: 'grace hopp' }),
            (rows) => rows.length === 1 && rows[0]!.checkedIn !== null,
            'Desk 2 finds the walk-in, checked in',
          );
          assert.deepEqual(
            [found[0]!.pid, found[0]!.walkIn, found[0]!.checkedIn!.station],
            [added.pid, true, 'Desk 1'],
          );
          const again = await two!.call<{ kind: string; text: { detail: string } }>('checkIn', {
            pid: added.pid,
            actionId: act('c'),
          });
          assert.equal(again.kind, 'already_checked_in');
          assert.match(again.text.detail, /^Already checked in at \d\d:\d\d at Desk 1$/);
        },
      );

      await t.test('concurrent name corrections at two desks converge to the same text on both', async () => {
        // With namespaces the two desks are cut apart for the moment of the corrections, so each
        // makes its own before it sees the other's (on loopback they are as concurrent as the calls).
        if (net) net.partition([1]);
        try {
          await Promise.all([
            one!.call('correct', {
              pid: 'a3',
              actionId: act('n'),
              firstName: 'Corrected',
              lastName: 'At One',
            }),
            two!.call('correct', {
              pid: 'a3',
              actionId: act('n'),
              firstName: 'Corrected',
              lastName: 'At Two',
            }),
          ]);
        } finally {
          net?.heal();
        }
        const names = await eventually(
          async () => Promise.all([one!, two!].map((s) => s.call<Person>('person', { pid: 'a3' }))),
          (ps) => ps[0]!.fullName === ps[1]!.fullName,
          'both desks show the same corrected name',
        );
        assert.match(names[0]!.fullName, /^Corrected At (One|Two)$/);
        // Both find the person by the corrected name and by the provider's.
        for (const s of [one!, two!]) {
          assert.equal((await s.call<Found[]>('find', { query: names[0]!.fullName }))[0]?.pid, 'a3');
          assert.ok((await s.call<Found[]>('find', { query: 'Guest 3' })).some((f) => f.pid === 'a3'));
        }
      });

      await t.test('a note set at Desk 2 shows at Desk 1', async () => {
        await two!.call('setNote', {
          pid: 'a4',
          actionId: act('note'),
          text: 'collect the workshop kit at desk 3',
        });
        const there = await eventually(
          () => one!.call<Person>('person', { pid: 'a4' }),
          (p) => p.note !== null,
          'Desk 1 has the note',
        );
        assert.equal(there.note, 'collect the workshop kit at desk 3');
      });

      await t.test(
        'the same walk-in registered at two desks while apart: after the heal, two people and a possible duplicate listed',
        async () => {
          // Apart: with namespaces, Desk 2 is cut off from Desk 1 by the network; Desk 3 has not joined yet.
          if (net) net.partition([1]);
          try {
            if (net)
              await eventually(
                () => one!.call<{ desks: { name: string; online: boolean }[] }>('status'),
                (v) => v.desks.find((d) => d.name === 'Desk 2')?.online === false,
                'Desk 1 sees Desk 2 offline',
                20_000,
              );
            await one!.call('walkIn', { actionId: act('dup'), firstName: 'Zoë', lastName: 'Núñez' });
            await (net ? two! : three).call('walkIn', {
              actionId: act('dup'),
              firstName: 'Zoe',
              lastName: 'Nunez',
            });
            await three.call('walkIn', { actionId: act('dup'), firstName: 'Ada', lastName: 'Lovelace' });
          } finally {
            net?.heal();
          }
          await three.call('join', { code, address: one!.address });
          const venue = [one!, two!, three];
          for (const s of venue) {
            const people = await eventually(
              () => s.call<Found[]>('find', { query: 'nunez' }),
              (rows) => rows.length === 2,
              `${s.options.name} holds both walk-ins`,
              30_000,
            );
            assert.ok(people.every((p) => p.walkIn && p.checkedIn !== null));
            const listed = await eventually(
              () => s.call<string[]>('duplicateWalkIns'),
              (l) => l.length === 1,
              `${s.options.name} lists the possible duplicate`,
            );
            assert.match(
              listed[0]!,
              /^Possible duplicate walk-in: registered at Desk \d \d\d:\d\d and Desk \d \d\d:\d\d$/,
            );
          }
          // The walk-in Desk 3 registered alone reached every desk once it joined.
          for (const s of venue)
            await eventually(
              () => s.call<Found[]>('find', { query: 'ada lovelace' }),
              (rows) => rows.some((r) => r.walkIn),
              `${s.options.name} finds Desk 3's walk-in`,
            );
        },
      );
    } finally {
      await Promise.all(stations.map((s) => s.dispose()));
      net?.close();
    }
  },
);
