// Where each shell's desk listens and whether it multicasts (main/app/venue-network.ts). No
// socket is opened here: the mDNS discovery is a stand-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSER_HOST_VENUE_NETWORK,
  ELECTRON_VENUE_NETWORK,
  venueNetworkOf,
} from '../../main/app/venue-network.ts';
import type { Discovery } from '../../main/venue/net/directory/discovery.ts';

const mdns: Discovery = {
  advertise: () => undefined,
  found: () => [],
  onChange: () => undefined,
  close: async () => undefined,
};
const of = (env: Record<string, string>, defaults = ELECTRON_VENUE_NETWORK) =>
  venueNetworkOf(env, defaults, () => mdns).venue;

test('the Electron desk is on the venue network by default: every interface, found over mDNS', () => {
  assert.deepEqual(of({}), { listen: { host: '0.0.0.0', port: 0 }, discovery: mdns });
  assert.equal(of({ BADGE_DESK_VENUE_MDNS: '0' })?.discovery, null, 'mDNS can be turned off');
  assert.deepEqual(of({ BADGE_DESK_VENUE_LISTEN: '10.0.0.5' }), {
    listen: { host: '10.0.0.5', port: 0 },
    discovery: mdns,
    advertiseHosts: ['10.0.0.5'],
  });
  assert.equal(of({ BADGE_DESK_VENUE_LISTEN: 'off' }), undefined, 'or the venue network altogether');
});

test('the browser host is off the venue network unless asked, and multicasts only when asked', () => {
  assert.equal(of({}, BROWSER_HOST_VENUE_NETWORK), undefined);
  assert.deepEqual(of({ BADGE_DESK_VENUE_LISTEN: '127.0.0.1' }, BROWSER_HOST_VENUE_NETWORK), {
    listen: { host: '127.0.0.1', port: 0 },
    discovery: null,
    advertiseHosts: ['127.0.0.1'],
  });
  assert.equal(
    of({ BADGE_DESK_VENUE_LISTEN: '0.0.0.0', BADGE_DESK_VENUE_MDNS: '1' }, BROWSER_HOST_VENUE_NETWORK)
      ?.discovery,
    mdns,
  );
});
