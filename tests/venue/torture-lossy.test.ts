// The venue torture (npm run venue-torture) on a short lossy profile, as CI runs it: two seeded
// rounds of check-ins, undos, VIP changes, partitions, SIGKILLs and relay kills, with every link
// through the tests' proxy on "drop 30 s" (venue Wi-Fi, and a drop of the whole venue's link, 3 s
// here). The full profile is `npm run venue-torture -- --profile drop-30s`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

test('the venue torture through a lossy network: no invariant violated', { timeout: 240_000 }, async (t) => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/venue/torture.ts',
      '--rounds',
      '2',
      '--seed',
      '29',
      '--ops',
      '40',
      '--profile',
      'drop-30s',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, BADGE_DESK_VENUE_DROP_MS: '3000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (const line of out.trim().split('\n').slice(-4)) t.diagnostic(line);
  assert.match(out, /every link through the lossy proxy, profile "drop 30 s"/);
  assert.match(out, /invariant violations: 0\n/, out.slice(-2_000));
  assert.equal(code, 0);
});
