// Forgetting an event on this desk, against the real core and the provider simulator: what it
// removes (read back from the raw bytes of the database file, its WAL and the PDF printer's
// folder), what it keeps (counts, statistics, the anonymous log), another event untouched, and
// the checks before it (check-ins held nowhere else: the CSV first; a badge waiting to print).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, connect, importSeeded, operator, startHarness, type Harness } from '../helpers/harness.ts';
import { AppError } from '../../shared/errors.ts';
import type { ForgetRefusal } from '../../shared/forget.ts';

/** Every file that holds the station's database: the file itself and its WAL (shared memory holds no rows). */
function databaseBytes(dataDir: string): Buffer {
  return Buffer.concat(
    ['badge-desk.sqlite', 'badge-desk.sqlite-wal']
      .map((f) => join(dataDir, f))
      .filter((p) => existsSync(p))
      .map((p) => readFileSync(p)),
  );
}

function folderBytes(folder: string): Buffer {
  return Buffer.concat(
    readdirSync(folder).map((f) => Buffer.concat([Buffer.from(f), readFileSync(join(folder, f))])),
  );
}

async function refusal(p: Promise<unknown>): Promise<{ error: AppError; details: ForgetRefusal }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, `a typed error, not ${String(err)}`);
    return { error: err, details: err.details as ForgetRefusal };
  }
  assert.fail('the forget was not refused');
}

async function deskWithTwoEvents(t: { after(fn: () => unknown): void }) {
  const pdfFolder = mkdtempSync(join(tmpdir(), 'bd-forget-pdf-'));
  const saved = mkdtempSync(join(tmpdir(), 'bd-forget-csv-'));
  t.after(() => {
    rmSync(pdfFolder, { recursive: true, force: true });
    rmSync(saved, { recursive: true, force: true });
  });
  let printerId: number | null = null;
  const h: Harness = await startHarness(t, {
    core: { stationPrinting: () => ({ printerId, autoPrint: true }) },
  });
  printerId = h.core.printing.addPrinter('PDF', { kind: 'pdf_folder', folder: pdfFolder }).id;
  const eb = await connect(h, 'eventbrite');
  const luma = await connect(h, 'luma');
  const forgotten = await importSeeded(h, 'eventbrite', 150, eb.token, eb.integration.id);
  const kept = await importSeeded(h, 'luma', 40, luma.token, luma.integration.id);
  return { h, pdfFolder, saved, forgotten: forgotten.eventId, kept: kept.eventId };
}

test('forgetting an event: no email of its people in the database file, the WAL or the PDF folder; counts, statistics and the anonymous log stay; the other event keeps everything', async (t) => {
  const { h, pdfFolder, saved, forgotten, kept } = await deskWithTwoEvents(t);
  const { core } = h;
  const people = core.listAttendees(forgotten, { offset: 0, limit: 500 });
  // Check-ins (each prints a badge PDF), an undo, a VIP, a walk-in, a correction and a note.
  for (const p of people.slice(0, 25))
    core.desk.checkIn(operator, { eventId: forgotten, actionId: randomUUID(), attendeeId: p.id });
  core.desk.undo(operator, { eventId: forgotten, attendeeId: people[0]!.id, actionId: randomUUID() });
  core.setVip(admin, people[1]!.id, true);
  const walkIn = core.door.registerWalkIn(admin, {
    eventId: forgotten,
    actionId: randomUUID(),
    firstName: 'Walkin',
    lastName: 'Forgettable',
    email: 'walkin.forgettable@privacy.example',
    ticketName: 'Walk-in',
  });
  core.door.correctName(admin, {
    attendeeId: people[2]!.id,
    actionId: randomUUID(),
    firstName: 'Corrected',
    lastName: 'Quixotica',
  });
  core.door.setNote(admin, {
    eventId: forgotten,
    actionId: randomUUID(),
    attendeeId: people[3]!.id,
    text: 'Allergic to peanuts, ask Zelda',
  });
  // The other event: check-ins with badges too.
  const others = core.listAttendees(kept, { offset: 0, limit: 500 });
  for (const p of others.slice(0, 5))
    core.desk.checkIn(operator, { eventId: kept, actionId: randomUUID(), attendeeId: p.id });
  await core.printing.idle();
  // A CSV of the event that the desktop app saved (the shell records it as the download ends).
  const exported = core.desk.exportCsv(forgotten);
  core.forget.noteExport(forgotten, exported.filename);
  const csvPath = join(saved, exported.filename);
  writeFileSync(csvPath, exported.csv);
  core.forget.csvSaved(exported.filename, csvPath);

  const emails = core.listAttendees(forgotten, { offset: 0, limit: 500 }).map((p) => p.email!);
  assert.equal(emails.length, 151);
  assert.ok(emails.includes(walkIn.attendee.email!), 'the walk-in is one of the people');
  // The simulator seeds both events from the same names: an email both events hold stays.
  const keptEmails = others.map((p) => p.email!);
  const onlyForgotten = emails.filter((e) => !keptEmails.includes(e));
  assert.ok(onlyForgotten.length > 100);
  const before = {
    counts: core.getEvent(forgotten).counts,
    stats: core.desk.stats(forgotten),
    log: core.desk.log(forgotten, 1000).map((l) => [l.actionId, l.at, l.station]),
  };
  assert.ok(databaseBytes(h.dataDir).includes(emails[10]!), 'the raw read finds an email before');
  assert.ok(readdirSync(pdfFolder).length >= 30);

  // Not in a venue, the check-ins made here are held nowhere else: the CSV first.
  const check = await core.forget.check(admin, forgotten);
  assert.equal(check.held.kind, 'not-held');
  assert.deepEqual(check.removes, { people: 151, venueDocuments: 0, badgeFiles: 25, csvFiles: 1 });
  const notHeld = await refusal(core.forget.forget(admin, forgotten));
  assert.equal(notHeld.error.code, 'INVALID_STATE');
  assert.equal(notHeld.details.refusal, 'not-held');
  assert.match(
    notHeld.error.message,
    /held by no other desk or relay \(this desk is in no venue\): export the CSV first/,
  );
  assert.equal(
    core.listAttendees(forgotten, { offset: 0, limit: 500 })[5]!.email,
    emails[5],
    'a refusal changes nothing',
  );
  await assert.rejects(core.forget.forget(operator, forgotten), /admin/);

  const handover = core.forget.exportCheckIns(admin, forgotten);
  assert.match(handover.filename, /-kept-before-forgetting\.csv$/);
  assert.equal((await core.forget.check(admin, forgotten)).held.kind, 'exported');
  const outcome = await core.forget.forget(admin, forgotten);
  assert.equal(outcome.removed.people, 151);
  assert.equal(outcome.removed.files, 26);
  assert.equal(outcome.forgotten.reason, 'admin');

  const raw = databaseBytes(h.dataDir);
  for (const email of onlyForgotten)
    assert.equal(raw.includes(email), false, `${email} is still in the database's bytes`);
  // The search indexes hold words in lower case: a deleted word must not stay in an old segment.
  for (const text of [
    'Forgettable',
    'forgettable',
    'Quixotica',
    'quixotica',
    'Allergic to peanuts',
    people[4]!.barcode!,
  ])
    assert.equal(raw.includes(text), false, `"${text}" is still in the database's bytes`);
  for (const email of keptEmails) assert.ok(raw.includes(email), `${email} of the other event is gone`);
  const pdfs = folderBytes(pdfFolder);
  assert.equal(readdirSync(pdfFolder).length, 5, "only the other event's badges are left");
  for (const email of onlyForgotten) assert.equal(pdfs.includes(email), false);
  assert.equal(existsSync(csvPath), false, 'the CSV the desk saved is removed');

  // What stays: counts, statistics, the anonymous log; search finds no one.
  const after = core.getEvent(forgotten);
  assert.deepEqual(after.counts, before.counts);
  assert.deepEqual(after.forgotten, { at: outcome.forgotten.at, reason: 'admin' });
  const stats = core.desk.stats(forgotten);
  assert.deepEqual(
    [stats.attending, stats.checkedIn, stats.byTicket],
    [before.stats.attending, before.stats.checkedIn, before.stats.byTicket],
  );
  assert.deepEqual(
    core.desk.log(forgotten, 1000).map((l) => [l.actionId, l.at, l.station]),
    before.log,
  );
  assert.ok(core.desk.log(forgotten, 1000).every((l) => l.attendeeName === ''));
  assert.equal(core.desk.search(forgotten, people[6]!.fullName).rows.length, 0);
  assert.equal(core.desk.search(forgotten, 'Forgettable').rows.length, 0);
  assert.deepEqual(core.desk.stats(kept).checkedIn, 5);

  // It no longer syncs or takes anyone's details here; forgetting again is refused.
  await assert.rejects(async () => core.requestSync(admin, forgotten), /forgotten on this desk/);
  h.clock.advance(10 * 60_000);
  await core.engine.runLivePass();
  assert.equal(core.listAttendees(forgotten, { offset: 0, limit: 500 }).filter((p) => p.email).length, 0);
  assert.throws(
    () =>
      core.door.registerWalkIn(admin, {
        eventId: forgotten,
        actionId: randomUUID(),
        firstName: 'New',
        lastName: 'Person',
        email: null,
        ticketName: 'Walk-in',
      }),
    /forgotten on this desk/,
  );
  const again = await refusal(core.forget.forget(admin, forgotten));
  assert.equal(again.details.refusal, 'forgotten');

  // A restart keeps it forgotten.
  await core.close();
  const reopened = h.reopen();
  assert.equal(reopened.getEvent(forgotten).forgotten?.reason, 'admin');
  assert.equal(reopened.getEvent(forgotten).counts.checkedIn, before.counts.checkedIn);
});

test('forget while a badge of the event waits to print: refused, saying why; cancelled, it goes ahead', async (t) => {
  const blocked = mkdtempSync(join(tmpdir(), 'bd-forget-blocked-'));
  t.after(() => rmSync(blocked, { recursive: true, force: true }));
  // A "folder" that is a file: the printer cannot write there, so the badge waits.
  const notAFolder = join(blocked, 'not-a-folder');
  writeFileSync(notAFolder, 'x');
  let printerId: number | null = null;
  const h = await startHarness(t, { core: { stationPrinting: () => ({ printerId, autoPrint: false }) } });
  printerId = h.core.printing.addPrinter('Stuck', { kind: 'pdf_folder', folder: notAFolder }).id;
  const eb = await connect(h, 'eventbrite');
  const { eventId } = await importSeeded(h, 'eventbrite', 10, eb.token, eb.integration.id);
  const [person] = h.core.listAttendees(eventId, { offset: 0, limit: 1 });
  const job = h.core.printing.printBadge(admin, person!.id);
  await h.core.printing.idle();
  const check = await h.core.forget.check(admin, eventId);
  assert.equal(check.waitingPrints, 1);
  const refused = await refusal(h.core.forget.forget(admin, eventId));
  assert.equal(refused.details.refusal, 'print-waiting');
  assert.match(
    refused.error.message,
    /a badge of this event is waiting to print: print or cancel it in the print queue first/,
  );
  assert.equal(h.core.getEvent(eventId).forgotten, null);
  h.core.printing.cancel(job.id);
  const outcome = await h.core.forget.forget(admin, eventId);
  assert.equal(outcome.removed.people, 10, 'no check-in was made here: nothing to hand over first');
});
