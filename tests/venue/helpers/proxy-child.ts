// The lossy proxy (lossy-proxy.ts) in a process of its own, so it runs in the bridge's network
// namespace (between every desk and the bridge) and no desk's work delays its timers. Driven over
// stdio as JSON lines, as the station processes are: {"id":1,"cmd":"route","args":{...}} in,
// {"id":1,"ok":true,"value":...} out; the first line out is {"ready":true}.
//   tsx tests/venue/helpers/proxy-child.ts --profile venue-wifi --seed 1
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LossyProxy, type CutStyle, type Endpoint } from './lossy-proxy.ts';
import { profileNamed, type NetworkProfile, type OutageMode } from './network-profiles.ts';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'venue-wifi' },
    seed: { type: 'string', default: '1' },
  },
});
const proxy = new LossyProxy({ profile: profileNamed(values.profile!), seed: Number(values.seed) });

const commands: Record<string, (args: Record<string, unknown>) => unknown> = {
  route: (a) => proxy.route(a.listen as Endpoint, a.target as Endpoint),
  unroute: (a) => proxy.unroute(a.listen as Endpoint),
  profile: (a) => {
    proxy.setProfile(a.profile as NetworkProfile);
    return true;
  },
  startOutage: (a) => {
    proxy.startOutage(a.mode as OutageMode, (a.routes as string[] | undefined) ?? proxy.routes());
    return true;
  },
  endOutage: (a) => {
    proxy.endOutage(a.routes as string[] | undefined);
    return true;
  },
  cutNextConnections: (a) => {
    proxy.cutNextConnections(Number(a.count), Number(a.maxBytes), a.style as CutStyle);
    return true;
  },
  stats: () => proxy.stats(),
};

const send = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
send({ ready: true });
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let message: { id: number; cmd: string; args?: Record<string, unknown> };
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  const handler = commands[message.cmd];
  Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`no command ${message.cmd}`);
      return handler(message.args ?? {});
    })
    .then(
      (value) => send({ id: message.id, ok: true, value: value ?? null }),
      (err: unknown) => send({ id: message.id, ok: false, error: (err as Error).message }),
    );
});
rl.on('close', () => void proxy.close().then(() => process.exit(0)));
