// `npm run relay -- --port N --data-dir D [--code BD1-…] [--host H] [--redis redis://host:port --advertise host:port]`: a venue relay on its own
// (see relay.ts). The pairing code comes from --code or BADGE_DESK_VENUE_CODE the first time and
// is stored in the data folder (mode 0600), so a restart needs none. Ends cleanly on SIGTERM or
// SIGINT (documents stored, database closed). With --redis, one instance of several sharing the
// venue through that Redis (redis-link.ts); --advertise says where desks reach this instance.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../../ground/clock.ts';
import { VenueRelay } from './relay.ts';
import { parseRedisUrl } from './redis-link.ts';
import { parseAddress } from '../net/transport/addresses.ts';

const USAGE =
  'usage: npm run relay -- --port N --data-dir D [--code BD1-…] [--host 0.0.0.0] [--heartbeat-ms 10000] [--redis redis://host:6379 --advertise host:port]';

function fail(message: string): never {
  process.stderr.write(`relay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

interface RelayArgs {
  port?: string;
  'data-dir'?: string;
  code?: string;
  host?: string;
  'heartbeat-ms'?: string;
  redis?: string;
  advertise?: string[];
}
let values: RelayArgs;
try {
  values = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      code: { type: 'string' },
      host: { type: 'string', default: '0.0.0.0' },
      'heartbeat-ms': { type: 'string' },
      redis: { type: 'string' },
      advertise: { type: 'string', multiple: true },
    },
    strict: true,
  }).values;
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
const advertise = values.advertise ?? [];
for (const a of advertise) if (!parseAddress(a)) fail(`--advertise is host:port (got ${a})`);
if (values.redis) {
  try {
    parseRedisUrl(values.redis);
  } catch (err) {
    fail((err as Error).message);
  }
}
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
    redis: values.redis ?? null,
    advertise,
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
if (values.redis)
  log(
    `one of the venue's relay instances: sharing through Redis at ${parseRedisUrl(values.redis).where}${advertise.length > 0 ? `; desks are told ${advertise.join(', ')}` : ''}`,
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
