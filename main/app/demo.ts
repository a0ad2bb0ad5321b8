// The demo workspace a new user sees first: the provider simulator runs in-process behind the
// real clients, with events in every sync status and registrations arriving live. The same
// deterministic world is rebuilt on every start, so a demo survives an app restart.
import { startSimulator, type Simulator } from '../simulator/index.ts';
import type { BadgeDeskCore } from '../core/create-core.ts';
import type { Actor } from '../../shared/types.ts';

const DEMO_ACTOR: Actor = { role: 'admin', name: 'Demo setup' };

interface DemoWorld {
  sim: Simulator;
  tokens: { main: string; former: string; luma: string };
  events: { summit: string; workshop: string; dinner: string; onboarding: string; meetup: string };
}

const DAY_MS = 24 * 3_600_000;
/** Where a demo started before its start was kept: the days its events were always dated from. */
export const LEGACY_DEMO_START_MS = Date.UTC(2026, 11, 1);

/**
 * The demo's dates, counted from the day (UTC) the demo started: day 1 is the next day, so a new
 * user never opens a demo of events already over. The same start gives the same dates on every
 * start of the app, so a demo survives a restart.
 */
export function demoDay(startedAtMs: number): (day: number, hour: number) => string {
  const base = Math.floor(startedAtMs / DAY_MS) * DAY_MS;
  return (day, hour) => new Date(base + day * DAY_MS + hour * 3_600_000).toISOString();
}

async function buildWorld(startedAtMs: number): Promise<DemoWorld> {
  const sim = await startSimulator({});
  const eb = sim.eventbrite;
  const main = eb.addAccount({ email: 'events@demo-venue.example', name: 'Demo Venue Events' }).token;
  const former = eb.addAccount({ email: 'former-admin@demo-venue.example', name: 'Former Admin' }).token;
  const luma = sim.luma.addAccount({ email: 'community@demo-venue.example', name: 'Demo Community' }).token;
  const day = demoDay(startedAtMs);
  const tickets = ['General Admission', 'VIP', 'Speaker'];

  const summit = eb.addEvent(main, {
    name: 'Badge Desk Summit 2026',
    startsAt: day(2, 8),
    ticketTypes: tickets,
  });
  eb.seedAttendees(summit, 1_500, { ticketTypes: tickets, mixedStatuses: true });
  const dinner = eb.addEvent(main, {
    name: 'Sponsor Dinner',
    startsAt: day(2, 19),
    ticketTypes: ['Sponsor', 'Guest'],
  });
  eb.seedAttendees(dinner, 80, { ticketTypes: ['Sponsor', 'Guest'] });
  const onboarding = eb.addEvent(main, {
    name: 'Volunteer Onboarding',
    startsAt: day(1, 17),
    ticketTypes: ['Volunteer'],
  });
  eb.seedAttendees(onboarding, 300, { ticketTypes: ['Volunteer'] });
  const workshop = eb.addEvent(former, {
    name: 'Partner Workshop',
    startsAt: day(3, 10),
    ticketTypes: ['Workshop'],
  });
  eb.seedAttendees(workshop, 120, { ticketTypes: ['Workshop'] });
  // Both admins belong to the organization, so the workshop can be reconnected through the main account.
  eb.shareEvent(workshop, main);
  const meetup = sim.luma.addEvent(luma, { name: 'Community Meetup', startsAt: day(3, 18) });
  sim.luma.seedAttendees(meetup, 220, { mixedStatuses: true });
  return { sim, tokens: { main, former, luma }, events: { summit, workshop, dinner, onboarding, meetup } };
}

export interface DemoWorkspace {
  stop(): Promise<void>;
}

/**
 * Starts the demo. `fresh`: connect the accounts, import the events and bring each into its
 * status; otherwise the events already exist (an app restart) and only the providers come back.
 */
export async function startDemoWorkspace(
  core: BadgeDeskCore,
  fresh: boolean,
  startedAtMs: number = LEGACY_DEMO_START_MS,
): Promise<DemoWorkspace> {
  const world = await buildWorld(startedAtMs);
  const { sim, tokens, events } = world;
  core.setProviderBaseUrls({ eventbrite: sim.eventbrite.baseUrl, luma: sim.luma.baseUrl });

  if (fresh) {
    const main = await core.connectIntegration(DEMO_ACTOR, 'eventbrite', tokens.main);
    const former = await core.connectIntegration(DEMO_ACTOR, 'eventbrite', tokens.former);
    const luma = await core.connectIntegration(DEMO_ACTOR, 'luma', tokens.luma);
    const importAndWait = async (integrationId: number, providerEventId: string) => {
      const event = await core.importEvent(DEMO_ACTOR, integrationId, providerEventId);
      await core.engine.waitForJob(event.id);
      return event.id;
    };
    await importAndWait(main.id, events.summit);
    await importAndWait(luma.id, events.meetup);
    // FAILED: the provider keeps answering 503 for this event (live sync keeps trying, with
    // backoff) until an admin presses Retry, when the demo lets it recover.
    const dinner = await importAndWait(main.id, events.dinner);
    sim.eventbrite.failNext(1_000_000, 503, { pathIncludes: events.dinner });
    core.events.on('statusChanged', (change) => {
      if (change.eventId === dinner && change.to === 'PENDING') sim.eventbrite.clearFaults();
    });
    await core.engine.liveTick(dinner);
    // DISCONNECTED: the former admin's token was revoked on Eventbrite.
    const workshop = await importAndWait(former.id, events.workshop);
    sim.eventbrite.revokeToken(tokens.former);
    await core.engine.liveTick(workshop);
    // PENDING with no job ("Import failed"): the first import broke off on bad pages.
    sim.eventbrite.failNext(4, 'malformed', { pathIncludes: `${events.onboarding}/attendees` });
    await importAndWait(main.id, events.onboarding);
  } else {
    sim.eventbrite.revokeToken(tokens.former);
  }

  // Registrations keep arriving at the summit and the meetup, with the odd edit and cancellation.
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    try {
      sim.eventbrite.addAttendee(events.summit, { ticketName: tick % 7 === 0 ? 'VIP' : 'General Admission' });
      if (tick % 3 === 0) sim.luma.addAttendee(events.meetup);
      const ids = sim.eventbrite.attendeeIds(events.summit);
      if (tick % 5 === 0)
        sim.eventbrite.editAttendee(events.summit, ids[(tick * 37) % ids.length]!, {
          company: `Demo Co ${tick}`,
        });
      if (tick % 11 === 0) sim.eventbrite.cancelAttendee(events.summit, ids[(tick * 53) % ids.length]!);
    } catch {
      // The demo world is closing.
    }
  }, 4_000);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await sim.close();
    },
  };
}
