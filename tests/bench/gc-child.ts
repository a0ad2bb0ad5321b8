// Benchmarks that measure a heap run their figures in a process of their own, started with
// --expose-gc so the heap is read after a full GC: this file runs `file` so and reads back the
// one JSON line of figures it prints last; `asGcChild` is that file's side.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs `file` (a bench module) with --expose-gc and `--attendees N`; its last line of output is the figures. */
export async function runGcChild<F>(file: string, attendees: number, what: string): Promise<F> {
  const proc = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', file, '--attendees', String(attendees)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the ${what} bench exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as F;
}

/** When `file` is the process's entry (started by runGcChild or by hand): prints the figures `measure` gives. */
export async function asGcChild<F>(file: string, measure: (attendees: number) => Promise<F>): Promise<void> {
  if (process.argv[1] !== file) return;
  const args = process.argv.slice(2);
  const n = Number(args[args.indexOf('--attendees') + 1] ?? NaN) || 100_000;
  console.log(JSON.stringify(await measure(n)));
}
