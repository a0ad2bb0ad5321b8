// Check-in lists across a venue of real station processes (tests/venue/helpers/station-child.ts),
// each a whole core on its own network stack where namespaces can be made (else on loopback): a
// list added at one desk admits at the others; apart, entries and exits on both sides of a
// partition converge to one inside count on every desk once they meet; a person admitted twice to a
// "once" list while apart is listed for the admin, as double admissions are today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Station, eventually } from './helpers/station-process.ts';
import { makeDeskNetwork, type DeskNetwork } from './helpers/netns.ts';

let seq = 0;
const act = (tag: string) => `act-lists-${tag}-${String(++seq).padStart(6, '0')}`;

interface Inside {
  lists: Record<string, number>;
  venue: number;
}

test(
  'check-in lists across the venue: a partition, entries and exits on both sides, one answer after',
  { timeout: 180_000 },
  async (t) => {
    const net: DeskNetwork | null = makeDeskNetwork(2);
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

      const workshop = await one!.call<string>('addList', {
        actionId: act('list'),
        name: 'Workshop B',
        rule: 'once',
      });
      // Desk 2 admits to it once the list arrives.
      await eventually(
        () =>
          two!
            .call<{ kind: string }>('enter', { pid: 'a1', listId: workshop, actionId: act('e') })
            .catch(() => null),
        (r) => r?.kind === 'checked_in',
        'Desk 2 admits to the list Desk 1 added',
      );
      await one!.call('enter', { pid: 'a1', actionId: act('e') });
      await one!.call('enter', { pid: 'a2', actionId: act('e') });
      const together: Inside = { lists: { 'Main list': 2, 'Workshop B': 1 }, venue: 2 };
      for (const s of [one!, two!])
        await eventually(
          () => s.call<Inside>('inside'),
          (v) => JSON.stringify(v) === JSON.stringify(together),
          'both count the same',
        );

      // Apart: with namespaces the network cuts them; on loopback the calls race as concurrently as they can.
      if (net) net.partition([1]);
      try {
        if (net)
          await eventually(
            () => one!.call<{ desks: { name: string; online: boolean }[] }>('status'),
            (v) => v.desks.find((d) => d.name !== 'Desk 1' && d.name !== undefined)?.online === false,
            'Desk 1 sees Desk 2 offline',
            20_000,
          );
        await Promise.all([
          // Desk 1: a2 leaves the venue, a3 arrives and goes to the workshop.
          one!.call('leave', { pid: 'a2', actionId: act('x') }),
          one!.call('enter', { pid: 'a3', actionId: act('e') }),
          one!.call('enter', { pid: 'a3', listId: workshop, actionId: act('e') }),
          // Desk 2: a1 leaves the workshop; a3 is admitted to the workshop there too (twice, while apart).
          two!.call('leave', { pid: 'a1', listId: workshop, actionId: act('x') }),
          two!.call('enter', { pid: 'a3', listId: workshop, actionId: act('e') }),
          two!.call('enter', { pid: 'a4', actionId: act('e') }),
        ]);
      } finally {
        net?.heal();
      }
      // a1 (main), a3 (main, workshop twice), a4 (main); a2 left: the workshop holds a3 once.
      const healed: Inside = { lists: { 'Main list': 3, 'Workshop B': 1 }, venue: 3 };
      const counts = await Promise.all(
        [one!, two!].map((s) =>
          eventually(
            () => s.call<Inside>('inside'),
            (v) => JSON.stringify(v) === JSON.stringify(healed),
            `${s.options.name} converges`,
            30_000,
          ),
        ),
      );
      assert.deepEqual(counts[0], counts[1]);
      for (const s of [one!, two!]) {
        const listed = await eventually(
          () => s.call<string[]>('admittedTwice'),
          (l) => l.length === 1,
          'the double admission to the workshop is listed',
        );
        assert.match(
          listed[0]!,
          /^Admitted to Workshop B at Desk \d \d\d:\d\d and Desk \d \d\d:\d\d while the desks could not see each other$/,
        );
      }
    } finally {
      await Promise.all(stations.map((s) => s.dispose()));
      net?.close();
    }
  },
);
