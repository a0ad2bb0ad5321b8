// Print stations across a venue of real station processes (tests/venue/helpers/station-child.ts),
// each a whole core on its own network stack where namespaces can be made (else on loopback
// ports): Desk 1 offers its label printer (a ZPL stand-in in its process) as "Badge table"; a kiosk
// and a desk have no printer and send their badges there. A kiosk check-in prints once at the
// station and its state reaches the kiosk; the same person's first badge sent by two desks prints
// once; the station killed with badges waiting (its printer out of paper) hands them back: they
// show at the sender, which sends them again once the station is back, and they print once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Station, eventually } from './helpers/station-process.ts';
import { makeDeskNetwork, type DeskNetwork } from './helpers/netns.ts';
import type { PrintStationsView } from '../../shared/print-stations.ts';

let seq = 0;
const act = (tag: string) => `act-ps-${tag}-${String(++seq).padStart(6, '0')}`;

interface JobView {
  id: number;
  pid: string | null;
  state: string;
  route: 'local' | 'sent' | 'received';
  text: string | null;
  stationName: string | null;
  epoch: number | null;
}
interface Label {
  fields: string[];
  bytes: number;
}

/** Labels that came out of the station's printer for this person (by the QR code of aN's ticket, BC-N). */
const labelsOf = (labels: Label[], pid: string) =>
  labels.filter((l) => l.fields.some((f) => new RegExp(`BC-${pid.slice(1)}$`).test(f)));
const sentOf = async (s: Station, pid: string) =>
  (await s.call<JobView[]>('badgeJobs')).filter((j) => j.route === 'sent' && j.pid === pid);

test(
  'print stations: a kiosk prints at the badge table, two desks cannot print one first badge twice, a killed station hands its badges back',
  { timeout: 240_000 },
  async (t) => {
    const net: DeskNetwork | null = makeDeskNetwork(3);
    if (!net) t.diagnostic('network namespaces are not available here: the desks run on loopback ports');
    const hostOf = (i: number) =>
      net ? { host: net.hosts[i]!.host, netns: net.hosts[i]!.netns } : { host: '127.0.0.1', netns: null };
    const stations: Station[] = [];
    try {
      const [badgeTable, kiosk, desk] = await Promise.all([
        Station.start({
          name: 'Desk 1',
          ...hostOf(0),
          extraArgs: ['--printer', 'zpl', '--offer', 'Badge table'],
        }),
        Station.start({ name: 'Kiosk 1', ...hostOf(1), extraArgs: ['--printer', 'none'] }),
        Station.start({ name: 'Desk 3', ...hostOf(2), extraArgs: ['--printer', 'none'] }),
      ]);
      stations.push(badgeTable!, kiosk!, desk!);
      await badgeTable!.call('startVenue', { name: 'Hall A' });
      const { code } = await badgeTable!.call<{ code: string }>('code');
      await kiosk!.call('join', { code, address: badgeTable!.address });
      await desk!.call('join', { code, address: badgeTable!.address });
      for (const s of [kiosk!, desk!]) {
        const seen = await eventually(
          () => s.call<PrintStationsView>('stations'),
          (v) => v.stations.some((x) => x.name === 'Badge table'),
          `${s.options.name} sees the badge table`,
          20_000,
        );
        assert.equal(seen.stations.find((x) => x.name === 'Badge table')!.stationId, badgeTable!.stationId);
      }
      await kiosk!.call('printAt', {
        kind: 'station',
        stationId: badgeTable!.stationId,
        name: 'Badge table',
      });
      await desk!.call('printAt', { kind: 'nearest' });

      await t.test(
        'a kiosk without a printer checks a person in: the badge prints once at the station, and the kiosk shows it',
        async () => {
          const r = await kiosk!.call<{ kind: string; badgeQueued: boolean }>('kioskCheckIn', {
            pid: 'a1',
            actionId: act('k'),
          });
          assert.deepEqual(r, { kind: 'checked_in', badgeQueued: true });
          const [sent] = await eventually(
            () => sentOf(kiosk!, 'a1'),
            (js) => js[0]?.state === 'printed',
            'the kiosk shows its badge printed',
            20_000,
          );
          assert.equal(sent!.text, 'Printed at Badge table');
          const history = await kiosk!.call<string[]>('sentHistory', { pid: 'a1' });
          assert.equal(history[0], 'Sent to Badge table');
          assert.equal(history.at(-1), 'Printed at Badge table');
          const labels = labelsOf(await badgeTable!.call<Label[]>('labels'), 'a1');
          assert.equal(labels.length, 1, 'one label for the person at the station’s printer');
          assert.ok(labels[0]!.bytes > 100, 'the label carries the badge');
          const there = (await badgeTable!.call<JobView[]>('badgeJobs')).filter((j) => j.pid === 'a1');
          assert.deepEqual(
            there.map((j) => [j.route, j.state, j.stationName]),
            [['received', 'printed', 'Kiosk 1']],
          );
        },
      );

      await t.test('two desks send the same person’s first badge: it prints once', async () => {
        const sent = await Promise.allSettled([
          kiosk!.call<JobView>('printBadge', { pid: 'a2' }),
          desk!.call<JobView>('printBadge', { pid: 'a2' }),
        ]);
        assert.ok(sent.some((r) => r.status === 'fulfilled'));
        const finals = await eventually(
          async () => [...(await sentOf(kiosk!, 'a2')), ...(await sentOf(desk!, 'a2'))],
          (js) => js.every((j) => j.state === 'printed' || j.state === 'cancelled'),
          'both senders hear the station’s word',
          20_000,
        );
        assert.equal(
          finals.filter((j) => j.state === 'printed').length,
          1,
          'one sender sees its badge printed',
        );
        for (const j of finals.filter((x) => x.state === 'cancelled'))
          assert.match(j.text!, /^Not printed at Badge table: Guest 2's badge was already/);
        // Settled at the station, and on its printer: one label.
        await eventually(
          () => badgeTable!.call<JobView[]>('badgeJobs'),
          (js) =>
            js.filter((j) => j.pid === 'a2').every((j) => j.state !== 'queued' && j.state !== 'printing'),
          'the station is done with the badge',
        );
        assert.equal(labelsOf(await badgeTable!.call<Label[]>('labels'), 'a2').length, 1);
      });

      await t.test(
        'the station is killed with badges waiting: they show at the sender, which sends them again',
        async () => {
          await badgeTable!.call('printerFaults', { paperOut: true });
          for (const pid of ['a3', 'a4']) await kiosk!.call('printBadge', { pid });
          // Held at the station: the kiosk says why, in the printer-status words.
          for (const pid of ['a3', 'a4'])
            await eventually(
              () => sentOf(kiosk!, pid),
              (js) => js[0]?.text === 'Paper out at Badge table — load labels',
              `the kiosk shows ${pid} held by paper out`,
              20_000,
            );
          await badgeTable!.kill();
          for (const pid of ['a3', 'a4']) {
            const [back] = await eventually(
              () => sentOf(kiosk!, pid),
              (js) => js[0]?.state === 'returned',
              `${pid} comes back to the kiosk`,
              20_000,
            );
            assert.equal(back!.text, 'Badge table went away — send it elsewhere');
          }
          // The station comes back (a new roll: its printer has paper): it hands back what it held,
          // and the kiosk sends the badges again; each prints once.
          await badgeTable!.launch();
          await eventually(
            () => kiosk!.call<PrintStationsView>('stations'),
            (v) => v.stations.some((x) => x.stationId === badgeTable!.stationId),
            'the kiosk sees the badge table again',
            20_000,
          );
          const handedBack = (await badgeTable!.call<JobView[]>('badgeJobs')).filter((j) =>
            ['a3', 'a4'].includes(j.pid!),
          );
          assert.deepEqual(
            handedBack.map((j) => [j.state, j.text]),
            [
              ['cancelled', 'the station restarted before printing it'],
              ['cancelled', 'the station restarted before printing it'],
            ],
          );
          for (const pid of ['a3', 'a4']) {
            const again = await kiosk!.call<JobView>('sendElsewhere', {
              pid,
              stationId: badgeTable!.stationId,
            });
            assert.equal(again.epoch, 2);
          }
          for (const pid of ['a3', 'a4'])
            await eventually(
              () => sentOf(kiosk!, pid),
              (js) => js[0]?.state === 'printed',
              `${pid} printed after it was sent again`,
              20_000,
            );
          const labels = await badgeTable!.call<Label[]>('labels');
          assert.deepEqual(
            ['a3', 'a4'].map((pid) => labelsOf(labels, pid).length),
            [1, 1],
          );
        },
      );
    } finally {
      for (const s of stations) await s.dispose().catch(() => undefined);
      net?.close();
    }
  },
);
