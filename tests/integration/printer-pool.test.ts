// Several printers for one desk: badges go to the next free printer, a printer that stops (a jam,
// unreachable) is passed over and the badges waiting for it move, and no badge prints twice
// because it moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { connect, importSeeded, operator, startHarness } from '../helpers/harness.ts';
import { ROLLS, startBrotherStandIn, type BrotherLabel } from '../helpers/brother-standin.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';
import { DEFAULT_TEMPLATE } from '../../shared/badge.ts';
import type { PrintJob } from '../../shared/printing.ts';

/** A stand-in that never answers must fail the test, not hang the run. */
const T = { timeout: 30_000 };
const station = { printerId: null as number | null, poolPrinterIds: [] as number[], autoPrint: true };

async function setup(t: { after(fn: () => unknown): void }, people: number) {
  const h = await startHarness(t, {
    core: {
      stationPrinting: () => ({ ...station }),
      printerTimes: { statusMs: 500, completionMs: 3_000, connectMs: 3_000 },
    },
  });
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId } = await importSeeded(h, 'eventbrite', people, token, integration.id);
  const attendees = h.core.listAttendees(eventId, { offset: 0, limit: people });
  const checkInAll = () =>
    attendees.map((a) => {
      const out = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: a.id });
      assert.equal(out.kind, 'checked_in');
      return out.kind === 'checked_in' ? out.printJob! : (null as never);
    });
  const jobs = (): PrintJob[] => h.core.printing.listJobs({ eventId, limit: 500 });
  return { h, eventId, checkInAll, jobs };
}

const badgeId = (l: BrotherLabel) => createHash('sha1').update(l.image.black).digest('hex');

test(
  'two Brother printers on one desk, one jammed mid-day: every badge prints, once, the jammed one passed over and its waiting badge moved',
  T,
  async (t) => {
    const a = await startBrotherStandIn('QL-820NWB', ROLLS['62x100']);
    const b = await startBrotherStandIn('QL-810W', ROLLS['62x100']);
    t.after(() => Promise.all([a.close(), b.close()]));
    a.printMs(15);
    b.printMs(15);
    a.jamAfter(4);
    const { h, checkInAll, jobs } = await setup(t, 20);
    const standard = h.core.printing.listTemplates().find((x) => x.ticketName === null)!;
    h.core.printing.saveTemplate({ ...DEFAULT_TEMPLATE, id: standard.id, pageSize: '100x62mm' });
    const pa = h.core.printing.addPrinter('Brother A', {
      kind: 'brother_ql',
      host: '127.0.0.1',
      port: a.port,
      model: 'QL-820NWB',
    });
    const pb = h.core.printing.addPrinter('Brother B', {
      kind: 'brother_ql',
      host: '127.0.0.1',
      port: b.port,
      model: 'QL-810W',
    });
    station.printerId = pa.id;
    station.poolPrinterIds = [pb.id];

    const queued = checkInAll();
    assert.ok(
      queued.every((j) => j.printerId === pa.id),
      'queued for the desk (its first printer named)',
    );
    await b.waitForLabels(16);
    await h.core.printing.idle();

    const all = jobs();
    assert.equal(all.length, 20);
    assert.deepEqual(
      all.filter((j) => j.state !== 'printed').map((j) => [j.id, j.state, j.error]),
      [],
      'no badge lost',
    );
    assert.equal(a.labels.length, 4, 'A printed until it jammed');
    assert.equal(b.labels.length, 16, 'B printed the rest');
    assert.equal(a.labels.length + b.labels.length, 20);
    assert.equal(new Set([...a.labels, ...b.labels].map(badgeId)).size, 20, 'no badge twice');
    assert.equal(
      all.filter((j) => j.printerId === pb.id).length,
      16,
      'each job names the printer it printed on',
    );
    assert.equal(
      h.core.printing.printerStatuses().find((v) => v.printerId === pa.id)?.status.condition,
      'jammed',
    );
  },
);

test(
  'a Zebra pool where one printer goes off mid-run: its badges move to the other, each printed once; badges go to both while both work',
  T,
  async (t) => {
    const a = await startZplStandIn();
    const b = await startZplStandIn();
    t.after(() => Promise.all([a.close(), b.close()]));
    a.holdAfterPrint(20);
    b.holdAfterPrint(20);
    const { h, checkInAll, jobs } = await setup(t, 30);
    const pa = h.core.printing.addPrinter('Zebra A', {
      kind: 'zpl_tcp',
      host: '127.0.0.1',
      port: a.port,
      dpi: 203,
    });
    const pb = h.core.printing.addPrinter('Zebra B', {
      kind: 'zpl_tcp',
      host: '127.0.0.1',
      port: b.port,
      dpi: 203,
    });
    station.printerId = pa.id;
    station.poolPrinterIds = [pb.id];
    checkInAll();
    await a.waitForLabels(5);
    await a.setOnline(false);
    await h.core.printing.idle();
    await b.waitForLabels(30 - a.labels.length);
    await h.core.printing.idle();
    assert.ok(
      jobs().every((j) => j.state === 'printed'),
      JSON.stringify(jobs().filter((j) => j.state !== 'printed')),
    );
    const names = [...a.labels, ...b.labels].map((l) => l.fields[0]);
    assert.equal(names.length, 30);
    assert.equal(new Set(names).size, 30, 'each badge once');
    assert.ok(
      b.labels.length >= 5 && a.labels.length >= 5,
      `both printed: A ${a.labels.length}, B ${b.labels.length}`,
    );
  },
);

test('a test print stays on its printer: it waits for it rather than moving', T, async (t) => {
  const a = await startZplStandIn();
  const b = await startZplStandIn();
  t.after(() => Promise.all([a.close(), b.close()]));
  const { h } = await setup(t, 1);
  const pa = h.core.printing.addPrinter('Zebra A', {
    kind: 'zpl_tcp',
    host: '127.0.0.1',
    port: a.port,
    dpi: 203,
  });
  const pb = h.core.printing.addPrinter('Zebra B', {
    kind: 'zpl_tcp',
    host: '127.0.0.1',
    port: b.port,
    dpi: 203,
  });
  station.printerId = pa.id;
  station.poolPrinterIds = [pb.id];
  a.setFaults({ headOpen: true });
  const job = h.core.printing.testPrint({ role: 'admin', name: 'Admin' }, pa.id);
  await h.core.printing.idle();
  assert.equal(b.labels.length, 0);
  const waiting = h.core.printing.listJobs({ limit: 5 }).find((j) => j.id === job.id)!;
  assert.deepEqual([waiting.state, waiting.error], ['queued', 'Print head open at Zebra A — close the head']);
  assert.ok(waiting.nextAttemptAt, 'it is tried again when the printer is asked again');
});
