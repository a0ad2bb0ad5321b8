// mDNS discovery between station processes (main/venue/net/directory/discovery.ts, bonjour-service), in
// network namespaces joined by a bridge: two desks advertise and browse, each finds the other,
// and one joins the venue through the address it found. Only in namespaces: a test never
// multicasts on a network it did not make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Station, eventually } from './helpers/station-process.ts';
import { makeDeskNetwork } from './helpers/netns.ts';
import type { VenueStatus } from '../../shared/venue-desks.ts';

test(
  'two desks on a bridge find each other over mDNS; one joins the venue through the address it found',
  { timeout: 120_000 },
  async (t) => {
    const net = makeDeskNetwork(2);
    if (!net) {
      t.skip('network namespaces are not available here: mDNS is tested only on a network the test made');
      return;
    }
    t.diagnostic(`network namespaces: ${net.hosts.map((h) => `${h.netns}=${h.host}`).join(', ')}`);
    const stations: Station[] = [];
    try {
      const [one, two] = await Promise.all(
        net.hosts.map((h) =>
          Station.start({ name: 'Desk 1', host: h.host, netns: h.netns, extraArgs: ['--mdns'] }),
        ),
      );
      stations.push(one!, two!);
      await one!.call('startVenue', { name: 'Hall M' });
      const { code } = await one!.call<{ code: string }>('code');
      // Desk 2, in no venue yet, finds Desk 1 at Desk 1's own address, advertised with its venue.
      const seen = await eventually(
        () => two!.call<VenueStatus>('status'),
        (s) => s.discovered.some((d) => d.venueName === 'Hall M'),
        'Desk 2 discovered Desk 1 over mDNS',
        30_000,
      );
      const found = seen.discovered.find((d) => d.venueName === 'Hall M')!;
      assert.equal(found.host, net.hosts[0]!.host, 'found at the address of its namespace');
      assert.equal(found.port, (await one!.call<VenueStatus>('status')).thisDesk.port);
      assert.equal(found.sameVenue, false);
      // Desk 1 finds Desk 2 too (a desk in no venue advertises itself as well).
      await eventually(
        () => one!.call<VenueStatus>('status'),
        (s) => s.discovered.some((d) => d.host === net.hosts[1]!.host),
        'Desk 1 discovered Desk 2 over mDNS',
        30_000,
      );
      const joined = await two!.call<VenueStatus>('join', { code, address: `${found.host}:${found.port}` });
      assert.equal(joined.thisDesk.name, 'Desk 2');
      for (const s of [one!, two!]) {
        await eventually(
          () => s.call<VenueStatus>('status'),
          (v) => v.desks.filter((d) => d.online).length === 2,
          'both desks online',
          20_000,
        );
      }
      // Once in the venue, Desk 2's own advertisement carries it: Desk 1 sees a desk of its venue.
      await eventually(
        () => one!.call<VenueStatus>('status'),
        (s) => s.discovered.some((d) => d.host === net.hosts[1]!.host && d.sameVenue),
        'Desk 1 sees Desk 2 advertised in its venue',
        30_000,
      );
    } finally {
      await Promise.all(stations.map((s) => s.dispose()));
      net.close();
    }
  },
);
