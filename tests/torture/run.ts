// npm run torture [-- --rounds N] [-- --seed S] [-- --only kind,kind] [-- --json]
// The fault suite (tests/torture/torture.ts) in full: 200 rounds by default, a fresh seed each run
// unless one is given. The seed is printed first, so a failing run can be replayed.
import { parseArgs } from 'node:util';
import { FAULT_KINDS, formatSummary, runTorture, type FaultKind } from './torture.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '200' },
    seed: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const kinds = values.only === undefined ? FAULT_KINDS : values.only.split(',').map((k) => k.trim());
const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
if (
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  !Number.isInteger(seed) ||
  seed < 0 ||
  unknown.length > 0 ||
  kinds.length === 0
) {
  console.error(
    'usage: npm run torture -- [--rounds N (>= 1)] [--seed S (a whole number >= 0)] [--only kind,kind] [--json]',
  );
  if (unknown.length)
    console.error(`unknown fault kinds: ${unknown.join(', ')}; the kinds are ${FAULT_KINDS.join(', ')}`);
  process.exit(2);
}
const log = values.json ? undefined : (line: string) => console.log(line);
log?.(`torture: ${rounds} rounds, seed ${seed}`);
const summary = await runTorture({ rounds, seed, log, kinds: kinds as FaultKind[] });
console.log(values.json ? JSON.stringify(summary) : formatSummary(summary));
process.exit(summary.violations.length === 0 ? 0 : 1);
