// The provider simulator in its own process for the benchmarks, so serving pages does not
// compete with the import for the event loop being measured (a real provider is remote too).
// Driven over Node's IPC channel.
import { startSimulator } from '../../main/simulator/index.ts';

// Seeded registrations are stamped a day in the past, as real ones would be: an incremental
// sync right after the import then sees only what changes afterwards.
let clockOffsetMs = 0;
const sim = await startSimulator({
  now: () => Date.now() + clockOffsetMs,
  eventbritePageSize: Number(process.env.BENCH_PAGE_SIZE ?? 50),
});
let eventId = '';

type Message = { op: 'setup'; attendees: number } | { op: 'edit'; count: number } | { op: 'close' };

process.on('message', async (msg: Message) => {
  if (msg.op === 'setup') {
    clockOffsetMs = -24 * 3600_000;
    const account = sim.eventbrite.addAccount({ email: 'bench@example.com', name: 'Bench' });
    eventId = sim.eventbrite.addEvent(account.token, { name: 'Benchmark conference' });
    sim.eventbrite.seedAttendees(eventId, msg.attendees);
    clockOffsetMs = 0;
    process.send!({ baseUrl: sim.eventbrite.baseUrl, token: account.token, eventId });
  } else if (msg.op === 'edit') {
    const ids = sim.eventbrite.attendeeIds(eventId);
    const before = sim.eventbrite.requestCount;
    for (let i = 0; i < msg.count; i++) {
      const id = ids[Math.floor((i * ids.length) / msg.count)]!;
      sim.eventbrite.editAttendee(eventId, id, { company: `Edited ${i}` });
    }
    process.send!({ requestCount: before });
  } else if (msg.op === 'close') {
    await sim.close();
    process.exit(0);
  }
});
process.send!({ ready: true });
