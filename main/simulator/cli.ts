// `npm run simulator`: both simulated providers with one demo account, token/key and event each,
// running until SIGINT/SIGTERM. For the demo workspace and end-to-end tests in other processes.
//
//   npm run simulator -- [--eventbrite-port N] [--luma-port N] [--seed-attendees N]
//                        [--mixed-statuses] [--luma-older-routes] [--json]
//
// --luma-older-routes: the Luma account answers 404 on Luma's current routes, as accounts that
// only have the older /v1/event/get-guests family do, so clients fall back to those.
// Ports default to 0 (any free port; the URLs are printed). --json prints one line of JSON
// with the URLs, tokens and event ids instead of the human summary, for a parent process.
import { parseArgs } from 'node:util';
import { BASE_URL_ENV } from '../providers/types.ts';
import { startSimulator } from './index.ts';

const USAGE =
  'usage: npm run simulator -- [--eventbrite-port N] [--luma-port N] [--seed-attendees N] [--mixed-statuses] [--luma-older-routes] [--json]';

function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${flag} must be a whole number >= 0, got ${value}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function readFlags() {
  try {
    return parseArgs({
      options: {
        'eventbrite-port': { type: 'string' },
        'luma-port': { type: 'string' },
        'seed-attendees': { type: 'string' },
        'mixed-statuses': { type: 'boolean', default: false },
        'luma-older-routes': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const flags = readFlags();
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const seedCount = wholeNumber(flags['seed-attendees'], '--seed-attendees', 200);
  const sim = await startSimulator({
    eventbritePort: wholeNumber(flags['eventbrite-port'], '--eventbrite-port', 0),
    lumaPort: wholeNumber(flags['luma-port'], '--luma-port', 0),
    lumaCurrentRoutes: !flags['luma-older-routes'],
  });
  const seedOptions = { mixedStatuses: flags['mixed-statuses'] };
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const demoOrganizer = { email: 'organizer@badgedesk.example', name: 'Demo Organizer' };

  const eventbrite = sim.eventbrite.addAccount(demoOrganizer);
  const eventbriteEventId = sim.eventbrite.addEvent(eventbrite.token, {
    name: 'Badge Desk Demo Conference',
    timezone,
  });
  sim.eventbrite.seedAttendees(eventbriteEventId, seedCount, seedOptions);

  const luma = sim.luma.addAccount(demoOrganizer);
  const lumaEventId = sim.luma.addEvent(luma.token, { name: 'Badge Desk Demo Meetup', timezone });
  sim.luma.seedAttendees(lumaEventId, seedCount, seedOptions);

  const summary = {
    eventbrite: {
      baseUrl: sim.eventbrite.baseUrl,
      token: eventbrite.token,
      accountId: eventbrite.accountId,
      eventId: eventbriteEventId,
      controlUrl: sim.eventbrite.controlUrl,
    },
    luma: {
      baseUrl: sim.luma.baseUrl,
      apiKey: luma.token,
      accountId: luma.accountId,
      eventId: lumaEventId,
      controlUrl: sim.luma.controlUrl,
    },
    attendeesPerEvent: seedCount,
  };
  if (flags.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(
      [
        'Badge Desk provider simulator',
        '',
        `Eventbrite  base URL  ${summary.eventbrite.baseUrl}`,
        `            token     ${summary.eventbrite.token}`,
        `            event     ${summary.eventbrite.eventId} (${seedCount} attendees)`,
        `            control   ${summary.eventbrite.controlUrl}`,
        `Luma        base URL  ${summary.luma.baseUrl}`,
        `            API key   ${summary.luma.apiKey}`,
        `            event     ${summary.luma.eventId} (${seedCount} guests)`,
        `            control   ${summary.luma.controlUrl}`,
        '',
        'Point the app at it:',
        `  ${BASE_URL_ENV.eventbrite}=${summary.eventbrite.baseUrl} ${BASE_URL_ENV.luma}=${summary.luma.baseUrl}`,
        'Drive it: POST {"op": "addAttendee", "args": ["<eventId>", {"firstName": "Zoë"}]} to a control URL',
        '(GET a control URL lists the ops). Ctrl+C stops.',
      ].join('\n'),
    );
  }

  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
