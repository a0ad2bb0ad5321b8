// `npm run relay -- --port N --data-dir D [--code BD1-…] [--host H]`: a venue relay on its own
// (see relay.ts). The pairing code comes from --code or BADGE_DESK_VENUE_CODE the first time and
// is stored in the data folder (mode 0600), so a restart needs none. Ends cleanly on SIGTERM or
// SIGINT (documents stored, database closed).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../../ground/clock.ts';
import { VenueRelay } from './relay.ts';

const USAGE =
  'usage: npm run relay -- --port N --data-dir D [--code BD1-…] [--host 0.0.0.0] [--heartbeat-ms 10000]';

function fail(message: string): never {
  process.stderr.write(`relay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  values = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      code: { type: 'string' },
      host: { type: 'string', default: '0.0.0.0' },
      'heartbeat-ms': { type: 'string' },
    },
    strict: true,
  }).values as Record<string, string | undefined>;
} catch (err) {
  fail((err as Error).message);
}
const port = Number(values.port);
if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65_535)
  fail('--port is a port number (0: any free port)');
const dataDir = values['data-dir'];
if (!dataDir) fail('--data-dir is the folder the relay keeps its documents and key in');
const heartbeatMs = values['heartbeat-ms'] === undefined ? undefined : Number(values['heartbeat-ms']);
if (heartbeatMs !== undefined && !(Number.isInteger(heartbeatMs) && heartbeatMs >= 100))
  fail('--heartbeat-ms is at least 100');
const appVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

let relay: VenueRelay;
try {
  relay = await VenueRelay.start({
    dataDir,
    code: values.code ?? process.env.BADGE_DESK_VENUE_CODE ?? null,
    listen: { host: values.host!, port },
    clock: systemClock,
    appVersion,
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    log,
  });
} catch (err) {
  fail((err as Error).message);
}
const { venueId, epoch } = relay.venue;
// One line a script can read (tests, a service manager's log): the address and the venue, never the secret.
log(
  `relay listening on ${values.host}:${relay.port} for venue ${venueId} (epoch ${epoch}), relay id ${relay.stationId}`,
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: storing the documents and stopping`);
  relay.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`relay: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
