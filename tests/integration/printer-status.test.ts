// Printer status before and during printing, against stand-ins on 127.0.0.1: a Zebra that
// answers ~HS (paper out, head open, pause, buffer full, garbage, nothing) and a Brother QL that
// answers ESC i S (paper out, cover open, a jam, the wrong labels, garbage). The queue holds each
// badge with the state in words, never fails it, and prints it once the printer is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { admin, connect, importSeeded, operator, startHarness } from '../helpers/harness.ts';
import { startZplStandIn, type ZebraFaults } from '../helpers/zpl-standin.ts';
import {
  ROLLS,
  startBrotherStandIn,
  type StandInFault,
  type StandInRoll,
} from '../helpers/brother-standin.ts';
import { DEFAULT_TEMPLATE } from '../../shared/badge.ts';
import type { PrinterConfig, PrintJob } from '../../shared/printing.ts';
import type { PrinterStatusView } from '../../shared/printer-status.ts';

/** A stand-in that never answers must fail the test, not hang the run. */
const T = { timeout: 30_000 };
const station = { printerId: null as number | null, autoPrint: true };

async function setup(
  t: { after(fn: () => unknown): void },
  config: (port: number) => PrinterConfig,
  port: number,
) {
  station.printerId = null;
  const statuses: PrinterStatusView[] = [];
  const h = await startHarness(t, {
    core: {
      stationPrinting: () => ({ ...station }),
      printerTimes: { statusMs: 300, completionMs: 3_000, connectMs: 3_000 },
    },
  });
  h.core.events.on('printerStatusChanged', (v) => statuses.push(v));
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId } = await importSeeded(h, 'eventbrite', 12, token, integration.id);
  const printer = h.core.printing.addPrinter(
    config(port).kind === 'brother_ql' ? 'Brother 1' : 'Zebra 1',
    config(port),
  );
  station.printerId = printer.id;
  const people = h.core.listAttendees(eventId, { offset: 0, limit: 12 });
  const checkIn = (i: number) => {
    const out = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: people[i]!.id });
    assert.equal(out.kind, 'checked_in');
    return out.kind === 'checked_in' ? out.printJob! : (null as never);
  };
  const job = (id: number): PrintJob => h.core.printing.listJobs({ limit: 100 }).find((j) => j.id === id)!;
  /** The printer was fixed: its hold ends (the clock moves past it) and its worker looks again. */
  const fixed = async () => {
    h.clock.advance(60_000);
    h.core.printing.kick(printer.id);
    await h.core.printing.idle();
  };
  return { h, printer, people, checkIn, job, fixed, statuses };
}

const zebraFaults: [keyof ZebraFaults, string][] = [
  ['paperOut', 'Paper out at Zebra 1 — load labels'],
  ['headOpen', 'Print head open at Zebra 1 — close the head'],
  ['paused', 'Zebra 1 is paused — press its Pause button'],
  ['bufferFull', 'Zebra 1 is busy (its buffer is full) — badges wait until it catches up'],
];

for (const [fault, words] of zebraFaults) {
  test(
    `Zebra ~HS says ${fault}: the badge is held, queued, with "${words}"; nothing is sent; it prints once when fixed`,
    T,
    async (t) => {
      const zpl = await startZplStandIn();
      t.after(() => zpl.close());
      zpl.setFaults({ [fault]: true });
      const { h, printer, checkIn, job, fixed, statuses } = await setup(
        t,
        (port) => ({ kind: 'zpl_tcp', host: '127.0.0.1', port, dpi: 203 }),
        zpl.port,
      );
      const queued = checkIn(0);
      await h.core.printing.idle();
      assert.equal(job(queued.id).state, 'queued', 'held, not failed');
      assert.equal(job(queued.id).error, words);
      assert.equal(job(queued.id).attempts, 0, 'a hold is no attempt');
      assert.equal(zpl.labels.length, 0);
      assert.ok(zpl.statusRequests >= 1);
      assert.equal(
        h.core.printing.printerStatuses().find((v) => v.printerId === printer.id)?.status.condition,
        {
          paperOut: 'paper_out',
          headOpen: 'head_open',
          paused: 'paused',
          bufferFull: 'buffer_full',
        }[fault],
      );
      assert.ok(
        statuses.some((v) => v.printerId === printer.id && v.status.condition !== 'ready'),
        'pushed',
      );

      zpl.setFaults({ [fault]: false });
      await fixed();
      assert.equal(job(queued.id).state, 'printed');
      assert.equal(job(queued.id).error, null);
      assert.equal(zpl.labels.length, 1);
      assert.equal(statuses.at(-1)?.status.condition, 'ready', 'the push says it is ready again');
    },
  );
}

test(
  'Zebra answering garbage, or nothing, to ~HS: "status unknown", and the badge prints all the same',
  T,
  async (t) => {
    const zpl = await startZplStandIn();
    t.after(() => zpl.close());
    const { h, printer, checkIn, job } = await setup(
      t,
      (port) => ({ kind: 'zpl_tcp', host: '127.0.0.1', port, dpi: 203 }),
      zpl.port,
    );
    zpl.statusReply('garbage');
    const first = checkIn(0);
    await zpl.waitForLabels(1);
    await h.core.printing.idle();
    assert.equal(job(first.id).state, 'printed');
    const status = h.core.printing.printerStatuses().find((v) => v.printerId === printer.id)!.status;
    assert.deepEqual([status.condition, status.detail], ['unknown', 'host status not understood']);

    zpl.statusReply('silent');
    const second = checkIn(1);
    await zpl.waitForLabels(2);
    await h.core.printing.idle();
    assert.equal(job(second.id).state, 'printed');
    assert.match(h.core.printing.printerStatuses()[0]!.status.detail ?? '', /no answer to ~HS/);
  },
);

test(
  'Zebra runs out mid-day: badges before print, the next ones wait with the words, none is lost or doubled',
  T,
  async (t) => {
    const zpl = await startZplStandIn();
    t.after(() => zpl.close());
    zpl.faultAfter(3, { paperOut: true });
    const { h, checkIn, job, fixed } = await setup(
      t,
      (port) => ({ kind: 'zpl_tcp', host: '127.0.0.1', port, dpi: 203 }),
      zpl.port,
    );
    const jobs = [0, 1, 2, 3, 4, 5].map(checkIn);
    await zpl.waitForLabels(3);
    await h.core.printing.idle();
    assert.deepEqual(
      jobs.map((j) => job(j.id).state),
      ['printed', 'printed', 'printed', 'queued', 'queued', 'queued'],
    );
    assert.deepEqual(
      jobs.slice(3).map((j) => job(j.id).error),
      Array(3).fill('Paper out at Zebra 1 — load labels'),
      'every badge waiting says why',
    );
    zpl.setFaults({ paperOut: false });
    await fixed();
    assert.ok(jobs.every((j) => job(j.id).state === 'printed'));
    assert.equal(zpl.labels.length, 6);
    assert.equal(new Set(zpl.labels.map((l) => l.fields[0])).size, 6, 'each badge once');
  },
);

async function brotherSetup(t: { after(fn: () => unknown): void }, roll: StandInRoll = ROLLS['62x100']) {
  const brother = await startBrotherStandIn('QL-820NWB', roll);
  t.after(() => brother.close());
  const s = await setup(
    t,
    (port) => ({ kind: 'brother_ql', host: '127.0.0.1', port, model: 'QL-820NWB' }),
    brother.port,
  );
  // The station's badge is 100 × 62 mm, the size of its 62 mm labels.
  const standard = s.h.core.printing.listTemplates().find((x) => x.ticketName === null)!;
  s.h.core.printing.saveTemplate({ ...DEFAULT_TEMPLATE, id: standard.id, pageSize: '100x62mm' });
  return { ...s, brother };
}

test(
  'Brother QL: a check-in prints a 62 × 100 mm label through the queue; the printer says ready and what is loaded',
  T,
  async (t) => {
    const { h, printer, checkIn, job, brother, people } = await brotherSetup(t);
    const queued = checkIn(0);
    const [label] = await brother.waitForLabels(1);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'printed');
    assert.deepEqual([label!.page.info?.widthMm, label!.page.info?.lengthMm], [62, 100]);
    assert.ok(
      label!.image.black.some((v) => v === 1),
      'something printed',
    );
    assert.equal(brother.refused.length, 0);
    const status = h.core.printing.printerStatuses().find((v) => v.printerId === printer.id)!.status;
    assert.equal(status.condition, 'ready');
    assert.equal(status.media?.label, '62 × 100 mm die-cut');
    assert.ok(people[0]);
  },
);

const brotherFaults: [StandInFault, string][] = [
  ['paper_out', 'Paper out at Brother 1 — load labels'],
  ['cover_open', 'Cover open at Brother 1 — close the cover'],
  ['jam', 'Label jam at Brother 1 — clear the jam'],
];

for (const [fault, words] of brotherFaults) {
  test(
    `Brother status says ${fault}: the badge waits with "${words}"; no raster is sent; it prints once fixed`,
    T,
    async (t) => {
      const { h, checkIn, job, fixed, brother } = await brotherSetup(t);
      brother.fault(fault);
      const queued = checkIn(0);
      await h.core.printing.idle();
      assert.equal(job(queued.id).state, 'queued');
      assert.equal(job(queued.id).error, words);
      assert.equal(brother.labels.length + brother.refused.length, 0, 'nothing sent');
      brother.fault(null);
      await fixed();
      assert.equal(job(queued.id).state, 'printed');
      assert.equal(brother.labels.length, 1);
    },
  );
}

test(
  'Brother with the wrong labels loaded (29 mm for a 100 × 62 mm badge): refused before anything prints, with what to load; loading them prints it',
  T,
  async (t) => {
    const { h, printer, checkIn, job, fixed, brother } = await brotherSetup(t, ROLLS['29']);
    const queued = checkIn(0);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'queued');
    assert.equal(
      job(queued.id).error,
      'Wrong labels in Brother 1: 29 mm endless loaded — load 62 × 100 mm die-cut or 62 mm endless labels',
    );
    assert.equal(brother.labels.length + brother.refused.length, 0, 'no raster reached the printer');
    assert.equal(
      h.core.printing.printerStatuses().find((v) => v.printerId === printer.id)?.status.condition,
      'wrong_media',
    );
    brother.loadRoll(ROLLS['62']);
    await fixed();
    assert.equal(job(queued.id).state, 'printed');
    assert.equal(brother.labels[0]!.page.info?.mediaType, 0x0a, 'printed for the endless roll now loaded');
  },
);

test(
  'Brother with its black/red roll: the job is two-colour (a one-colour job would be refused by the printer)',
  T,
  async (t) => {
    const { h, checkIn, brother, job } = await brotherSetup(t, ROLLS['62red']);
    const queued = checkIn(0);
    await brother.waitForLabels(1);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'printed');
    assert.equal(brother.labels[0]!.page.twoColour, true);
    assert.equal(brother.refused.length, 0);
  },
);

test(
  'Brother answering garbage to the status request: "status unknown", printed all the same, on the roll that fits the badge',
  T,
  async (t) => {
    const { h, printer, checkIn, job, brother } = await brotherSetup(t);
    brother.statusReply('garbage');
    const queued = checkIn(0);
    await brother.waitForLabels(1);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'printed');
    const status = h.core.printing.printerStatuses().find((v) => v.printerId === printer.id)!.status;
    assert.deepEqual([status.condition, status.detail], ['unknown', 'status reply not understood']);
  },
);

test(
  'Brother jams while printing: the badge is "may have printed" for a person (never printed again by itself), the printer stops',
  T,
  async (t) => {
    const { h, printer, checkIn, job, brother, fixed } = await brotherSetup(t);
    brother.jamDuringNext();
    const queued = checkIn(0);
    const second = checkIn(1);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'may_have_printed');
    assert.equal(
      job(queued.id).error,
      'Label jam at Brother 1 — clear the jam while this badge was printing',
    );
    assert.equal(job(second.id).state, 'queued', 'the next badge waits');
    brother.fault(null);
    await fixed();
    assert.equal(job(second.id).state, 'printed');
    assert.equal(job(queued.id).state, 'may_have_printed', 'still waits for a person');
    assert.equal(brother.labels.length, 1);
    // Retry releases the printer at once.
    h.core.printing.retry(queued.id);
    await brother.waitForLabels(2);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'printed');
    assert.ok(printer);
  },
);

test(
  'Check status asks the printer now; a printer found ready takes its waiting badges at once',
  T,
  async (t) => {
    const { h, printer, checkIn, job, brother } = await brotherSetup(t);
    brother.fault('cover_open');
    const queued = checkIn(0);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'queued');
    brother.fault(null);
    const requests = brother.statusRequests;
    const view = await h.core.printing.checkPrinterStatus(printer.id);
    assert.equal(view.status.condition, 'ready');
    assert.equal(brother.statusRequests, requests + 1);
    await brother.waitForLabels(1);
    await h.core.printing.idle();
    assert.equal(job(queued.id).state, 'printed');
    // A printer that does not report its state says so.
    const pdf = h.core.printing.addPrinter('PDFs', { kind: 'pdf_folder', folder: h.dataDir });
    assert.deepEqual(
      [(await h.core.printing.checkPrinterStatus(pdf.id)).status.detail],
      ['this printer does not report its state'],
    );
    assert.ok(admin);
  },
);
