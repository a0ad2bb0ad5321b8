// A desk removed from the venue forgets the venue's events, and the others keep everything: three
// real station processes (tests/venue/helpers/station-child.ts, with --forgetting), in network
// namespaces where they can be made (else on loopback ports). Desk 3 checks people in and prints
// a badge; the venue's desks confirm they hold every check-in it made; Desk 1 removes it; Desk 3
// then forgets the event (its database file, WAL and badges folder hold no email of it), and
// Desks 1 and 2 still hold every person and every check-in, Desk 3's included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Station, converged, eventually, state } from './helpers/station-process.ts';
import { makeDeskNetwork, type DeskNetwork } from './helpers/netns.ts';
import type { CheckInsHeld, ForgetDue, ForgottenEvent } from '../../shared/forget.ts';

let seq = 0;
const act = (tag: string) => `act-forget-${tag}-${String(++seq).padStart(6, '0')}`;
interface Forgotten {
  forgotten: ForgottenEvent | null;
  due: ForgetDue | null;
}

test(
  'a removed desk forgets the venue’s event once its check-ins are held elsewhere; the others keep everything',
  { timeout: 180_000 },
  async (t) => {
    const net: DeskNetwork | null = makeDeskNetwork(3);
    if (!net) t.diagnostic('network namespaces are not available here: the desks run on loopback ports');
    const hostOf = (i: number) =>
      net ? { host: net.hosts[i]!.host, netns: net.hosts[i]!.netns } : { host: '127.0.0.1', netns: null };
    const stations: Station[] = [];
    try {
      for (const i of [0, 1, 2])
        stations.push(await Station.start({ name: 'Desk 1', ...hostOf(i), extraArgs: ['--forgetting'] }));
      const [one, two, three] = stations as [Station, Station, Station];
      await one.call('startVenue', { name: 'Hall F' });
      const { code } = await one.call<{ code: string }>('code');
      await two.call('join', { code, address: one.address });
      await three.call('join', { code, address: one.address });
      const emails = await three.call<string[]>('emails');
      assert.equal(emails.length, 20);

      // Desk 3 checks five people in, undoes one, and prints a badge (a PDF in its folder).
      const made: string[] = [];
      for (const pid of ['a1', 'a2', 'a3', 'a4', 'a5']) {
        const id = act('c');
        await three.call('checkIn', { pid, actionId: id });
        made.push(id);
      }
      const undo = act('u');
      await three.call('undo', { pid: 'a5', actionId: undo });
      made.push(undo);
      assert.equal(await three.call('print', { pid: 'a1' }), 'printed');
      await converged(stations, 'every desk has Desk 3’s check-ins', (s) =>
        made.every((id) => s.actions.includes(id)),
      );
      assert.deepEqual(await three.call<string[]>('rawHas', { texts: [emails[0]!] }), [emails[0]]);

      // Desk 3 asks the venue: another desk holds every check-in it made.
      const check = await eventually(
        () => three.call<{ held: CheckInsHeld }>('forgetCheck'),
        (c) => c.held.kind === 'held',
        'Desk 3’s check-ins held by another desk',
      );
      assert.ok(check.held.kind === 'held' && check.held.made === 6 && !check.held.relay);
      assert.match(check.held.by, /^Desk [12]$/);

      // Desk 1 removes Desk 3: it learns so, and forgets the event.
      await one.call('removeDesk', { stationId: three.stationId });
      const after = await eventually(
        () => three.call<Forgotten>('forgotten'),
        (f) => f.forgotten !== null,
        'Desk 3 forgot the event',
        30_000,
      );
      assert.equal(after.forgotten!.reason, 'removed');
      assert.deepEqual(await three.call<string[]>('rawHas', { texts: emails }), []);
      assert.deepEqual(await three.call<string[]>('emails'), []);
      const threeState = await state(three);
      assert.equal(threeState.people.filter((p) => p.checkedIn !== null).length, 4, 'its counts stay');

      // Desks 1 and 2 keep every person and every check-in, Desk 3's included.
      for (const desk of [one, two]) {
        assert.deepEqual((await desk.call<string[]>('emails')).sort(), [...emails].sort());
        assert.equal((await desk.call<string[]>('rawHas', { texts: emails })).length, emails.length);
        const s = await state(desk);
        for (const id of made) assert.ok(s.actions.includes(id), `${id} is kept`);
        assert.deepEqual(
          s.people.filter((p) => p.checkedIn !== null).map((p) => p.pid),
          ['a1', 'a2', 'a3', 'a4'],
        );
        assert.equal((await desk.call<Forgotten>('forgotten')).forgotten, null);
      }
      // The two go on as a venue.
      const later = act('c');
      await one.call('checkIn', { pid: 'a9', actionId: later });
      await converged([one, two], 'Desks 1 and 2 after the removal', (s) => s.actions.includes(later));
    } finally {
      await Promise.all(stations.map((s) => s.dispose().catch(() => undefined)));
      net?.close();
    }
  },
);
