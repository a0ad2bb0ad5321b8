// The venue slice: the panel re-reads venue.status on its push; the pairing code is fetched
// when asked for and dropped when the admin lock returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../helpers/fake-transport.ts';
import { storeWithMain } from '../helpers/store-fixtures.ts';
import type { VenueStatus } from '../../shared/venue-desks.ts';

const status = (over: Partial<VenueStatus> = {}): VenueStatus => ({
  venue: { id: 'abcdefabcdef', name: 'Hall A', epoch: 1 },
  thisDesk: { stationId: 's1', name: 'Desk 1', port: 4000 },
  desks: [],
  discovered: [],
  refusals: [],
  refusalCount: 0,
  ...over,
});

test('the pairing code is shown when asked for and dropped when the admin lock returns; a desks push re-reads the panel', async () => {
  const { transport, store } = storeWithMain();
  transport.answer('venue.status', () => status());
  transport.answer('venue.pairingCode', () => ({ code: 'BD1-AAAAA' }));
  await store.getState().start();
  await settle();
  await store.getState().refreshVenue();
  assert.equal(store.getState().venue?.venue?.name, 'Hall A');
  await store.getState().showPairingCode();
  assert.equal(store.getState().pairingCode, 'BD1-AAAAA');
  transport.answer('venue.status', () => status({ refusalCount: 2 }));
  transport.push('venueDesksChanged', { venueId: 'abcdefabcdef' });
  await settle();
  assert.equal(store.getState().venue?.refusalCount, 2);
  assert.equal(store.getState().pairingCode, 'BD1-AAAAA');
  transport.push('sessionChanged', { role: 'operator', pinSet: true, adminUntil: null });
  await settle();
  assert.equal(store.getState().pairingCode, null);
});
