// The vertical slice with real station processes on loopback: two desks pair by code, a
// check-in at Desk 1 shows at Desk 2 as "Already checked in at HH:MM at Desk 1".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Station, eventually } from './helpers/station-process.ts';

test(
  'check in at Desk 1; Desk 2 says "Already checked in at HH:MM at Desk 1"',
  { timeout: 60_000 },
  async () => {
    const one = await Station.start({ name: 'Desk 1', host: '127.0.0.1' });
    const two = await Station.start({ name: 'Desk 1', host: '127.0.0.1' });
    try {
      await one.call('startVenue', { name: 'Hall A' });
      const { code } = await one.call<{ code: string }>('code');
      const joined = await two.call<{ thisDesk: { name: string } }>('join', { code, address: one.address });
      assert.equal(joined.thisDesk.name, 'Desk 2');
      const first = await one.call<{ kind: string; text: { detail: string } }>('checkIn', {
        pid: 'a3',
        actionId: 'act-0000000001',
      });
      assert.equal(first.kind, 'checked_in');
      const seen = await eventually(
        () => two.call<{ detail: string | null } | null>('lookup', { pid: 'a3' }),
        (v) => v !== null,
        'Desk 2 knows',
        5_000,
      );
      assert.match(seen!.detail!, /^Already checked in at \d\d:\d\d at Desk 1$/);
      // And Desk 2's own check-in of that person is refused with the same words.
      const again = await two.call<{ kind: string; text: { detail: string } }>('checkIn', {
        pid: 'a3',
        actionId: 'act-0000000002',
      });
      assert.equal(again.kind, 'already_checked_in');
      assert.equal(again.text.detail, seen!.detail);
    } finally {
      await Promise.all([one.dispose(), two.dispose()]);
    }
  },
);
