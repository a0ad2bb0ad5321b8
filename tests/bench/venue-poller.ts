// One poller per event: the provider requests of live sync with 5 desks holding the
// same event (each with its own account) over those of 1 desk alone, counted at the simulator
// over 30 simulated minutes (the default 30 s poll interval, a registration every minute).
// Real cores joined in a venue on loopback, one virtual clock (tests/venue/helpers/poller-venue.ts).
// - provider_requests_5_desks_vs_1: goal 1.0.
//   node --import tsx tests/bench/venue-poller.ts [--minutes N]
import { startPollerVenue } from '../venue/helpers/poller-venue.ts';

export interface VenuePollerFigures {
  provider_requests_5_desks_vs_1: number;
  provider_requests_goal: number;
  provider_requests_1_desk: number;
  provider_requests_5_desks: number;
  provider_requests_where: string;
}

/** Live-sync requests at the simulator over `minutes` simulated minutes, with `desks` desks in one venue. */
async function liveRequests(desks: number, minutes: number): Promise<number> {
  const v = await startPollerVenue(desks);
  try {
    await v.agreedPoller(`${desks} desks agree on the poller`);
    const before = v.sim.eventbrite.requestCount;
    await v.runFor(minutes * 60_000, {
      each: (now) => void (now % 60_000 < 5_000 && v.sim.eventbrite.addAttendee(v.providerEventId)),
    });
    return v.sim.eventbrite.requestCount - before;
  } finally {
    await v.close();
  }
}

export async function measureVenuePoller(minutes = 30): Promise<VenuePollerFigures> {
  const one = await liveRequests(1, minutes);
  const five = await liveRequests(5, minutes);
  return {
    provider_requests_5_desks_vs_1: Math.round((five / one) * 100) / 100,
    provider_requests_goal: 1,
    provider_requests_1_desk: one,
    provider_requests_5_desks: five,
    provider_requests_where: `${minutes} simulated minutes of live sync, 30 s poll interval, a registration a minute, 200 attendees; requests counted at the simulator`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--minutes');
  const minutes = i > 0 ? Number(process.argv[i + 1]) : 30;
  console.log(JSON.stringify(await measureVenuePoller(minutes), null, 2));
}
