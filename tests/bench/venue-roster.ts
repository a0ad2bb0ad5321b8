// The attendee list from peers, in a process of its own started with --expose-gc.
// The poller is a station process (tests/venue/helpers/station-child.ts) holding an N-attendee event (100,000)
// with its account; this process is a new desk with an empty database and no account, which
// joins the venue over loopback (TLS, the embedded Hocuspocus servers, as at a venue).
// - roster_to_new_desk_ms: from the join to the moment the new desk's search finds a person of
//   the event, every attendee in its mirror. Goal < 30,000.
// - roster_heap_mb: the new desk's heap after a full GC, the event's document loaded. Goal < 250.
// - roster_heap_mb_with_checkins: the same desk after checking in half the people (the log's
//   entries in the same document as the roster), what a desk holds at the end of a day.
//   node --expose-gc --import tsx tests/bench/venue-roster.ts [--attendees N]
import { mkdtempSync, rmSync } from 'node:fs';
import { asGcChild, runGcChild } from './gc-child.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loopbackVenueCore } from '../venue/helpers/loopback-core.ts';
import { Station } from '../venue/helpers/station-process.ts';

export interface VenueRosterFigures {
  roster_attendees: number;
  roster_to_new_desk_ms: number;
  roster_to_new_desk_goal_ms: number;
  roster_heap_mb: number;
  roster_heap_goal_mb: number;
  /** Check-ins recorded at the new desk afterwards, and its heap with them in the document. */
  roster_checkins_after: number;
  roster_heap_mb_with_checkins: number;
  roster_where: string;
}

const MB = 1024 * 1024;

async function child(attendees: number): Promise<VenueRosterFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const poller = await Station.start({
    name: 'Desk 1',
    host: '127.0.0.1',
    extraArgs: ['--seed', String(attendees)],
    startTimeoutMs: 180_000,
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-roster-'));
  const { core, name: deskName } = loopbackVenueCore(dir, { net: { joinTimeoutMs: 30_000 } });
  try {
    await core.venue.ready;
    await poller.call('startVenue', { name: 'Bench hall' });
    const { code } = (await poller.call('code', {})) as { code: string };
    const admin = { role: 'admin' as const, name: 'Desk 2' };
    const start = performance.now();
    await core.venue.join(admin, code, poller.address);
    const deadline = start + 120_000;
    let eventId: number | undefined;
    for (;;) {
      if (performance.now() > deadline)
        throw new Error(
          `the roster did not arrive within 120 s (${eventId === undefined ? 'no event' : `${core.store.attendeeCounts(eventId).total} attendees`})`,
        );
      eventId = core.store.findEventByProviderId('eventbrite', 'Conf');
      if (eventId !== undefined) {
        await core.venue.replica.rosterSettled(eventId);
        const total = core.store.attendeeCounts(eventId).total;
        if (
          total === attendees &&
          core.desk
            .search(eventId, `Guest ${attendees - 1}`, 5)
            .rows.some((r) => r.providerAttendeeId === `a${attendees - 1}`)
        )
          break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = performance.now() - start;
    gc();
    const heap = process.memoryUsage().heapUsed / MB;
    // The same desk at the end of a day: half the people checked in here (their entries in the
    // same document as the roster), to show what the log adds to it.
    const operator = { role: 'operator' as const, name: deskName() };
    const checkins = Math.floor(attendees / 2);
    for (let n = 0; n < checkins; n++) {
      const a = core.store.findAttendeeByProviderId(eventId!, `a${2 * n}`)!;
      core.desk.checkIn(operator, {
        eventId: eventId!,
        actionId: `act-roster-${String(n).padStart(7, '0')}`,
        attendeeId: a.id,
      });
      if (n % 5_000 === 0) await new Promise((r) => setImmediate(r));
    }
    gc();
    const heapWithLog = process.memoryUsage().heapUsed / MB;
    return {
      roster_attendees: attendees,
      roster_to_new_desk_ms: Math.round(elapsed),
      roster_to_new_desk_goal_ms: 30_000,
      roster_heap_mb: Math.round(heap),
      roster_heap_goal_mb: 250,
      roster_checkins_after: checkins,
      roster_heap_mb_with_checkins: Math.round(heapWithLog),
      roster_where: 'the poller a station process, the new desk this one, on loopback',
    };
  } finally {
    await core.close().catch(() => undefined);
    await poller.dispose().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the figures in a child process with --expose-gc (run.ts calls this). */
export function measureVenueRoster(attendees = 100_000): Promise<VenueRosterFigures> {
  return runGcChild<VenueRosterFigures>(import.meta.filename, attendees, 'venue roster');
}

await asGcChild(import.meta.filename, child);
