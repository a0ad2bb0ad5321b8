// Two stations' app hosts (the IPC boundary over the real core), their mirrors seeded with the same
// event and attendees, their venue documents synced in memory: what a desk and an admin see
// venue-wide. The network between desks is the network half's (tests/venue/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { startAppHarness, type AppHarness } from '../helpers/app-harness.ts';
import { roster, syncDocs, VENUE_KEY } from '../venue/helpers/replica-stations.ts';
import { LocalDocumentSource } from '../../main/venue/replica/persistence.ts';
import { describeCheckInOutcome } from '../../shared/desk.ts';
import { doubleAdmissionText, doublePrintText, priorPrintPrompt } from '../../shared/venue.ts';

const hhmm = (iso: string) => iso.slice(11, 16);

interface Station {
  h: AppHarness;
  pin: string;
  doc: Y.Doc;
  eventId: number;
  idOf(providerAttendeeId: string): number;
}

async function station(t: { after(fn: () => unknown): void }, name: string, pin: string): Promise<Station> {
  // Registered first so it runs first: the documents are released before the app host closes.
  let closeVenue: () => Promise<void> = async () => undefined;
  t.after(() => closeVenue());
  const h = await startAppHarness(t);
  await h.call('session.setPin', { pin });
  await h.call('settings.update', { stationName: name });
  const { store } = h.app.core;
  // Seeded as each desk's own import would: the same event and people, their own row ids.
  const integration = store.upsertIntegration({
    provider: 'eventbrite',
    accountId: 'u1',
    accountEmail: 'a@x.org',
    accountName: 'A',
    secretRef: 'ref',
    now: '2026-11-23T08:00:00Z',
  });
  const eventId = store.insertEvent(
    integration,
    {
      providerEventId: VENUE_KEY.providerEventId,
      name: 'Conf',
      startsAt: null,
      endsAt: null,
      timezone: null,
      url: null,
    },
    'event added',
    '2026-11-23T08:00:00Z',
  );
  const people = roster(8);
  store.upsertAttendees(
    eventId,
    name === 'Desk 1' ? people : [...people].reverse(),
    null,
    '2026-11-23T08:00:00Z',
  );
  const source = new LocalDocumentSource(h.app.core.venue.persistence);
  closeVenue = await h.app.core.venue.replica.connect(source, VENUE_KEY.venueId);
  return {
    h,
    pin,
    doc: await source.open(VENUE_KEY),
    eventId,
    idOf: (pid) => store.findAttendeeByProviderId(eventId, pid)!.id,
  };
}

async function withPrinter(
  s: Station,
  t: { after(fn: () => unknown): void },
  autoPrint: boolean,
): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'bd-venue-pdf-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const printer = await s.h.call('printers.add', { name: 'PDF', config: { kind: 'pdf_folder', folder } });
  await s.h.call('settings.update', { printerId: printer.id, autoPrint });
}

test('venue-wide desk: "Already checked in at 10:42 at Desk 1", the print pre-check, double admissions and prints listed on both desks, statistics and CSV of the venue', async (t) => {
  const d1 = await station(t, 'Desk 1', '1111');
  const d2 = await station(t, 'Desk 2', '2222');
  for (const s of [d1, d2]) {
    s.h.clock.advance(Date.parse('2026-11-23T10:42:00Z') - s.h.clock.now());
    await s.h.call('session.unlock', { pin: s.pin }); // the admin lock came back while the clock moved
  }

  // A check-in at Desk 1, seen at Desk 2.
  await d1.h.call('desk.checkIn', { eventId: d1.eventId, actionId: 'venue-act-0001', code: 'BC-0' });
  syncDocs(d1.doc, d2.doc);
  const again = await d2.h.call('desk.checkIn', {
    eventId: d2.eventId,
    actionId: 'venue-act-0002',
    code: 'BC-0',
  });
  assert.equal(again.kind, 'already_checked_in');
  assert.equal(describeCheckInOutcome(again, hhmm).detail, 'Already checked in at 10:42 at Desk 1');

  // VIP set through the IPC at Desk 1 is Desk 2's too.
  await d1.h.call('attendees.setVip', { attendeeId: d1.idOf('a5'), vip: true });
  syncDocs(d1.doc, d2.doc);
  assert.equal(d2.h.app.core.store.getAttendee(d2.idOf('a5'))!.vip, true);

  // A person Desk 2's mirror does not have yet: the check-in waits, and lands when a sync brings them.
  const late = { ...roster(9)[8]!, providerAttendeeId: 'late-1', barcode: 'LATE-1' };
  d1.h.app.core.store.upsertAttendees(d1.eventId, [late], null, '2026-11-23T10:00:00Z');
  await d1.h.call('desk.checkIn', { eventId: d1.eventId, actionId: 'venue-act-late', code: 'LATE-1' });
  syncDocs(d1.doc, d2.doc);
  d2.h.app.core.store.upsertAttendees(d2.eventId, [late], null, '2026-11-23T10:00:00Z');
  d2.h.app.core.events.emit('attendeesChanged', { eventId: d2.eventId, attendeeIds: [d2.idOf('late-1')] }); // as the sync engine does
  assert.equal(d2.h.app.core.store.getAttendee(d2.idOf('late-1'))!.checkedIn?.station, 'Desk 1');
  await d2.h.call('desk.undo', {
    eventId: d2.eventId,
    attendeeId: d2.idOf('late-1'),
    actionId: 'venue-act-late-undo',
  });
  syncDocs(d1.doc, d2.doc);

  // A badge printed at Desk 1: Desk 2's check-in prints none and asks; its manual first print is refused.
  await withPrinter(d1, t, false);
  await withPrinter(d2, t, true);
  await d1.h.call('print.badge', { attendeeId: d1.idOf('a1') });
  await d1.h.app.core.printing.idle();
  syncDocs(d1.doc, d2.doc);
  assert.deepEqual(await d2.h.call('print.priorPrint', { attendeeId: d2.idOf('a1') }), {
    at: '2026-11-23T10:42:00.000Z',
    stationName: 'Desk 1',
  });
  assert.equal(await d2.h.call('print.priorPrint', { attendeeId: d2.idOf('a2') }), null);
  const checkedIn = await d2.h.call('desk.checkIn', {
    eventId: d2.eventId,
    actionId: 'venue-act-0003',
    code: 'BC-1',
  });
  assert.ok(checkedIn.kind === 'checked_in');
  assert.equal(checkedIn.printJob, null, 'no second first print');
  assert.equal(priorPrintPrompt(checkedIn.priorPrint!, hhmm), 'Badge printed at Desk 1 at 10:42 — reprint?');
  const manual = await d2.h.app.invoke('print.badge', { attendeeId: d2.idOf('a1') });
  assert.ok(!manual.ok && manual.error.code === 'CONFLICT' && /Desk 1/.test(manual.error.message));
  // A person with no badge anywhere prints at check-in as before.
  const fresh = await d2.h.call('desk.checkIn', {
    eventId: d2.eventId,
    actionId: 'venue-act-0004',
    code: 'BC-2',
  });
  assert.ok(fresh.kind === 'checked_in' && fresh.printJob !== null && fresh.priorPrint === undefined);
  await d2.h.app.core.printing.idle();
  // A reprint is a record with who and why, never a second first print; an undo leaves the desk's count.
  await d2.h.call('print.reprint', { attendeeId: d2.idOf('a1'), note: 'Jammed' });
  await d2.h.app.core.printing.idle();
  await d2.h.call('desk.undo', {
    eventId: d2.eventId,
    attendeeId: d2.idOf('a2'),
    actionId: 'venue-act-0007',
  });
  syncDocs(d1.doc, d2.doc);
  const reprints = Object.values(
    d1.doc.getMap('prints').toJSON() as Record<
      string,
      { kind: string; by?: string; reason?: string; attendee: string }
    >,
  ).filter((p) => p.kind === 'reprint');
  assert.deepEqual(
    reprints.map((p) => [p.attendee, p.by, p.reason]),
    [['a1', 'Desk 2', 'Jammed']],
  );

  // Apart: Desk 2 admits and prints Guest 3 at 10:44, Desk 1 admits and prints them at 10:43.
  d1.h.clock.advance(60_000);
  d2.h.clock.advance(120_000);
  await d1.h.call('desk.checkIn', { eventId: d1.eventId, actionId: 'venue-act-0005', code: 'BC-3' });
  await d1.h.call('print.badge', { attendeeId: d1.idOf('a3') });
  await d2.h.call('desk.checkIn', { eventId: d2.eventId, actionId: 'venue-act-0006', code: 'BC-3' });
  await d1.h.app.core.printing.idle();
  await d2.h.app.core.printing.idle();
  assert.deepEqual((await d1.h.call('venue.conflicts', { eventId: d1.eventId })).admissions, []);
  syncDocs(d1.doc, d2.doc);
  for (const s of [d1, d2]) {
    const c = await s.h.call('venue.conflicts', { eventId: s.eventId });
    assert.deepEqual(
      c.admissions.map((a) => [a.attendeeId, a.attendeeName]),
      [[s.idOf('a3'), 'Guest 3']],
    );
    assert.equal(
      doubleAdmissionText(c.admissions[0]!, hhmm),
      'Admitted at Desk 1 10:43 and Desk 2 10:44 while the desks could not see each other',
    );
    assert.equal(
      doublePrintText(c.prints[0]!, hhmm),
      'Badge printed at Desk 1 10:43 and Desk 2 10:44 while the desks could not see each other',
    );
    assert.deepEqual(
      c.prints.map((p) => p.attendeeName),
      ['Guest 3'],
      'a reprint is no double print',
    );
    const stats = await s.h.call('desk.stats', { eventId: s.eventId });
    assert.equal(stats.checkedIn, 3);
    assert.deepEqual(stats.byDesk, [
      { stationName: 'Desk 1', checkedIn: 2 },
      { stationName: 'Desk 2', checkedIn: 1 },
    ]);
  }
  const csv = (await d2.h.call('desk.exportCsv', { eventId: d2.eventId })).csv.split('\r\n');
  assert.ok(
    csv.some((l) => l.includes(',Desk 1,venue-act-0001,')),
    "the CSV has Desk 1's check-in, with its desk",
  );
  assert.ok(csv.some((l) => l.includes(',Desk 2,venue-act-0006,')));

  // A batch at Desk 2 leaves out the badges any desk printed: Guest 1 (Desk 1), 2 (here), 3 (both); 6 of 9 people print.
  assert.deepEqual(
    await d2.h.call('print.batch', { eventId: d2.eventId, vipOnly: false, ticketName: null }),
    { queued: 6, alreadyPrinted: 3 },
  );
  await d2.h.app.core.printing.idle();

  // What the admin sees of a peer's malformed entries; and an operator may not see the list.
  const peer = new Y.Doc();
  peer.getMap('checkins').set('venue-act-bad1', {
    v: 1,
    kind: 'check_in',
    actionId: 'venue-act-bad1',
    attendee: 'a4',
    at: 'now',
    stationId: 'cccccccc-3',
    stationName: 'Desk 3',
  });
  Y.applyUpdate(d2.doc, Y.encodeStateAsUpdate(peer), 'peer');
  assert.deepEqual(
    (await d2.h.call('venue.refused', {})).map((r) => [r.stationId, r.count]),
    [['cccccccc-3', 1]],
  );
  await d2.h.call('session.lock', {});
  const locked = await d2.h.app.invoke('venue.conflicts', { eventId: d2.eventId });
  assert.ok(!locked.ok && locked.error.code === 'FORBIDDEN');
  const bad = await d2.h.app.invoke('print.priorPrint', { attendeeId: 999_999 });
  assert.ok(!bad.ok && bad.error.code === 'NOT_FOUND');
});
