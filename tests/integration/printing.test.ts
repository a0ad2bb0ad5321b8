// Printing against real drivers: a ZPL label printer stand-in on 127.0.0.1, PDF files read back
// with pdftotext, a printer that refuses connections, a crash while printing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { admin, connect, importSeeded, operator, startHarness } from '../helpers/harness.ts';
import { startZplStandIn } from '../helpers/zpl-standin.ts';
import { AppError } from '../../shared/errors.ts';
import type { PrintJob } from '../../shared/printing.ts';
import { fallbackFontPath } from '../../main/printing/render.ts';
import { describeUndoOutcome } from '../../shared/desk.ts';

const station = { printerId: null as number | null, autoPrint: true };

async function setup(t: { after(fn: () => unknown): void }, attendees = 30) {
  const zpl = await startZplStandIn();
  t.after(() => zpl.close());
  station.printerId = null;
  station.autoPrint = true;
  const h = await startHarness(t, { core: { stationPrinting: () => ({ ...station }) } });
  const { integration, token } = await connect(h, 'eventbrite');
  const { eventId, providerEventId } = await importSeeded(h, 'eventbrite', attendees, token, integration.id);
  const label = h.core.printing.addPrinter('Front desk Zebra', {
    kind: 'zpl_tcp',
    host: '127.0.0.1',
    port: zpl.port,
    dpi: 203,
  });
  station.printerId = label.id;
  const people = h.core.listAttendees(eventId, { offset: 0, limit: attendees });
  return { h, zpl, eventId, providerEventId, people, label };
}

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

async function waitForJob(
  h: Awaited<ReturnType<typeof setup>>['h'],
  jobId: number,
  state: PrintJob['state'],
): Promise<PrintJob> {
  const now = h.core.printing.listJobs({ limit: 500 }).find((j) => j.id === jobId);
  if (now?.state === state) return now;
  return (await h.core.events.once('printJobChanged', (p) => p.job.id === jobId && p.job.state === state))
    .job;
}

test('check-in with auto-print: the label printer receives ZPL with the name and the QR payload of the barcode, once', async (t) => {
  const { h, zpl, eventId, people } = await setup(t);
  const guest = people[0]!;
  const out = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), code: guest.barcode! });
  assert.equal(out.kind, 'checked_in');
  assert.equal(
    out.kind === 'checked_in' && out.printJob?.reason,
    'check_in',
    'the answer names the queued badge',
  );
  const [label] = await zpl.waitForLabels(1);
  assert.ok(label!.fields.includes(guest.firstName!), `first name in ${JSON.stringify(label!.fields)}`);
  assert.ok(label!.fields.includes(`MA,${guest.barcode}`), 'the QR field carries the barcode');
  await h.core.printing.idle();
  const jobs = h.core.printing.listJobs({ eventId, limit: 10 });
  assert.deepEqual(
    jobs.map((j) => [j.reason, j.state]),
    [['check_in', 'printed']],
  );

  // An undo and a second check-in do not print a second badge; "Print" says it is a reprint.
  h.core.desk.undo(operator, { eventId, attendeeId: guest.id, actionId: randomUUID() });
  h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: guest.id });
  assert.throws(() => h.core.printing.printBadge(operator, guest.id), isCode('CONFLICT'));
  await h.core.printing.idle();
  assert.equal(zpl.labels.length, 1);
  const reprint = h.core.printing.reprint(operator, guest.id, 'badge lost');
  assert.equal((await waitForJob(h, reprint.id, 'printed')).note, 'badge lost');
  assert.equal(zpl.labels.length, 2);
});

test('a printer that refuses connections: jobs stay queued, check-in keeps working, they print when it returns', async (t) => {
  const { h, zpl, eventId, people, label } = await setup(t);
  await zpl.setOnline(false);
  for (const p of people.slice(0, 5)) {
    assert.equal(
      h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: p.id }).kind,
      'checked_in',
    );
  }
  await h.core.printing.idle();
  const waiting = h.core.printing.listJobs({ eventId, limit: 10 });
  assert.equal(waiting.length, 5);
  assert.ok(
    waiting.every((j) => j.state === 'queued'),
    waiting.map((j) => j.state).join(),
  );
  assert.match(waiting.find((j) => j.error)!.error!, /ECONNREFUSED/);
  assert.equal(h.core.getEvent(eventId).counts.checkedIn, 5);

  await zpl.setOnline(true);
  h.clock.advance(60_000); // past the retry time
  h.core.printing.kick(label.id);
  await zpl.waitForLabels(5);
  await h.core.printing.idle();
  assert.ok(h.core.printing.listJobs({ eventId, limit: 10 }).every((j) => j.state === 'printed'));
  const names = zpl.labels.map((l) => l.fields[0]);
  assert.deepEqual(new Set(names), new Set(people.slice(0, 5).map((p) => p.firstName)), 'each badge once');
});

test('an undo takes back the queued badge of a wrong pick: printer offline, the wrong John Smith, undo, the right one; only the right badge prints, and the other John still gets his first badge', async (t) => {
  const { h, zpl, eventId, people, label } = await setup(t);
  const [wrongJohn, rightJohn] = [people[0]!, people[1]!];
  await zpl.setOnline(false);

  const wrong = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: wrongJohn.id });
  const wrongJob = wrong.kind === 'checked_in' ? wrong.printJob : null;
  assert.equal(wrongJob?.reason, 'check_in');
  await h.core.printing.idle(); // the worker tried once: the printer refused, the job waits
  assert.equal(
    h.core.printing.listJobs({ eventId, limit: 10 }).find((j) => j.id === wrongJob!.id)?.state,
    'queued',
  );

  const undone = h.core.desk.undo(operator, { eventId, attendeeId: wrongJohn.id, actionId: randomUUID() });
  const right = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: rightJohn.id });
  assert.equal(right.kind === 'checked_in' && right.printJob?.reason, 'check_in');
  await h.core.printing.idle(); // its first try was refused too

  await zpl.setOnline(true);
  h.clock.advance(60_000); // past the retry time
  h.core.printing.kick(label.id);
  await zpl.waitForLabels(1);
  await h.core.printing.idle();
  assert.deepEqual(
    zpl.labels.map((l) => l.fields[0]),
    [rightJohn.firstName],
    'only the right badge printed',
  );
  assert.equal(
    h.core.printing.listJobs({ eventId, limit: 10 }).find((j) => j.id === wrongJob!.id)?.state,
    'cancelled',
  );
  // The undo said so at the desk.
  assert.equal(undone.kind === 'undone' && undone.badge?.kind, 'cancelled');
  assert.deepEqual(describeUndoOutcome(undone), {
    tone: 'info',
    title: 'Check-in undone',
    subject: wrongJohn.fullName,
    detail: 'The badge was taken out of the print queue',
  });

  // The other John arrives later: his first badge prints, as a first print (not a reprint).
  const later = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: wrongJohn.id });
  assert.equal(later.kind === 'checked_in' && later.printJob?.reason, 'check_in');
  await zpl.waitForLabels(2);
  assert.equal(zpl.labels[1]!.fields[0], wrongJohn.firstName);

  // An undo after the badge printed leaves it alone and says so; the first print stays used.
  await h.core.printing.idle();
  const afterPrint = h.core.desk.undo(operator, {
    eventId,
    attendeeId: rightJohn.id,
    actionId: randomUUID(),
  });
  assert.equal(afterPrint.kind === 'undone' && afterPrint.badge?.kind, 'kept');
  assert.equal(describeUndoOutcome(afterPrint).detail, 'The badge already printed: take it back');
  assert.equal(describeUndoOutcome(afterPrint).tone, 'warning');
  assert.equal(
    h.core.printing.listJobs({ eventId, limit: 10 }).filter((j) => j.state === 'printed').length,
    2,
  );
  const again = h.core.desk.checkIn(operator, { eventId, actionId: randomUUID(), attendeeId: rightJohn.id });
  assert.equal(again.kind === 'checked_in' && again.printJob, null, 'no second first print');
});

test('a crash while printing: the job is "may have printed" and waits for a person; no second copy without a click', async (t) => {
  const { h, zpl, people, label } = await setup(t);
  zpl.jam(true);
  const job = h.core.printing.printBadge(operator, people[1]!.id);
  await waitForJob(h, job.id, 'printing');
  // The app dies mid-print; the next start finds the job "printing".
  const restarted = h.reopen();
  const after = restarted.printing.listJobs({ limit: 10 }).find((j) => j.id === job.id)!;
  assert.equal(after.state, 'may_have_printed');
  zpl.jam(false);
  await restarted.printing.idle();
  assert.equal(zpl.labels.length, 0, 'nothing printed by itself');
  restarted.printing.retry(job.id); // a person chose "Print again"
  await zpl.waitForLabels(1);
  assert.equal(label.id, after.printerId);
});

test('PDF to a folder: the attendee name is text in the PDF (pdftotext), hostile names included; batch prints VIPs once', async (t) => {
  if (!existsSync('/usr/bin/pdftotext'))
    throw new Error('pdftotext is missing: apt-get install poppler-utils (.ci/run does)');
  const { h, eventId, providerEventId, people } = await setup(t, 12);
  const folder = mkdtempSync(join(tmpdir(), 'bd-pdf-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const pdf = h.core.printing.addPrinter('Badge PDFs', { kind: 'pdf_folder', folder });
  station.printerId = pdf.id;

  h.clock.advance(60_000);
  h.sim.eventbrite.addAttendee(providerEventId, {
    firstName: '<script>alert(1)</script>',
    lastName: 'Żółć "Robert\'); DROP TABLE',
    ticketName: 'General',
  });
  await h.core.engine.liveTick(eventId);
  const hostile = h.core.desk.search(eventId, 'script').rows[0]!;
  const job = h.core.printing.printBadge(operator, hostile.id);
  await waitForJob(h, job.id, 'printed');
  const file = readdirSync(folder).find((f) => f.endsWith('.pdf'))!;
  const text = execFileSync('pdftotext', ['-layout', join(folder, file), '-'], { encoding: 'utf8' });
  assert.ok(text.includes('<script>alert(1)</script>'), text);
  assert.ok(text.includes('Żółć'), text);

  // A name DejaVu cannot draw is set in the machine's CJK font, and is still text in the PDF.
  if (!fallbackFontPath())
    throw new Error('no CJK font on this machine: apt-get install fonts-droid-fallback (.ci/run does)');
  h.clock.advance(60_000);
  h.sim.eventbrite.addAttendee(providerEventId, {
    firstName: '山田',
    lastName: '太郎',
    ticketName: 'General',
  });
  await h.core.engine.liveTick(eventId);
  const yamada = h.core.desk.search(eventId, '山田').rows[0]!;
  const cjkJob = h.core.printing.printBadge(operator, yamada.id);
  await waitForJob(h, cjkJob.id, 'printed');
  const cjkFile = readdirSync(folder).find((f) =>
    f.startsWith(`badge-${String(cjkJob.id).padStart(6, '0')}`),
  )!;
  const cjkText = execFileSync('pdftotext', [join(folder, cjkFile), '-'], { encoding: 'utf8' });
  assert.ok(cjkText.includes('山田'), cjkText);

  h.core.setVip(operator, people[0]!.id, true);
  h.core.setVip(operator, people[1]!.id, true);
  assert.throws(
    () => h.core.printing.batch(operator, eventId, { vipOnly: true, ticketName: null }),
    isCode('FORBIDDEN'),
  );
  const first = h.core.printing.batch(admin, eventId, { vipOnly: true, ticketName: null });
  assert.deepEqual(first, { queued: 2, alreadyPrinted: 0 });
  await h.core.printing.idle();
  assert.deepEqual(h.core.printing.batch(admin, eventId, { vipOnly: true, ticketName: null }), {
    queued: 0,
    alreadyPrinted: 2,
  });
  assert.equal(readdirSync(folder).filter((f) => f.endsWith('.pdf')).length, 4);
});

test('templates: variants by ticket name, one default that cannot be deleted or turned into a variant', async (t) => {
  const { h } = await setup(t, 1);
  const [def] = h.core.printing.listTemplates();
  assert.equal(def!.ticketName, null);
  const speaker = h.core.printing.saveTemplate({
    name: 'Speaker',
    pageSize: '4x6in',
    ticketName: 'Speaker',
    fields: def!.fields,
  });
  assert.throws(
    () =>
      h.core.printing.saveTemplate({
        name: 'Again',
        pageSize: '4x3in',
        ticketName: 'Speaker',
        fields: def!.fields,
      }),
    isCode('CONFLICT'),
  );
  assert.throws(() => h.core.printing.removeTemplate(def!.id), isCode('INVALID_STATE'));
  assert.throws(
    () =>
      h.core.printing.saveTemplate({
        id: def!.id,
        name: 'x',
        pageSize: '4x3in',
        ticketName: 'VIP',
        fields: def!.fields,
      }),
    isCode('INVALID_STATE'),
  );
  const layout = h.core.printing.layoutFor({
    firstName: 'A',
    lastName: 'B',
    fullName: 'A B',
    company: null,
    ticketName: 'Speaker',
    barcode: 'x',
    vip: false,
  });
  assert.equal(layout.pageSize, '4x6in');
  h.core.printing.removeTemplate(speaker.id);
  assert.equal(
    h.core.printing.layoutFor({
      firstName: 'A',
      lastName: 'B',
      fullName: 'A B',
      company: null,
      ticketName: 'Speaker',
      barcode: 'x',
      vip: false,
    }).pageSize,
    '4x3in',
  );
});
