/**
 * One measured approach in a fresh process: `node --import tsx/esm src/bench/worker.ts
 * --approach lockstep|floor|cdk8s-plus --agents N [--stages a,b] [--scratch DIR] [--reuse DIR
 * --change-one-agent]`. Prints the
 * ApproachResult as the last line of stdout. This is an entry point: it reads argv, the clock and
 * the temp dir, and passes them down. Its files stay in the scratch directory: the parent removes
 * them after every run, so no deletion runs while another approach is measured.
 */
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSpec } from './spec.ts';
import { APPROACHES, LOCKSTEP_STAGES, runCdk8sPlus, runFloor, runLockstep, type Approach, type LockstepStage, type RunContext } from './stages.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const approach = arg('approach') as Approach;
if (!APPROACHES.includes(approach)) throw new Error(`worker: --approach must be one of ${APPROACHES.join(', ')}, got ${JSON.stringify(approach)}`);
const spec = benchSpec(Number(arg('agents')));
const stages = (arg('stages')?.split(',') ?? [...LOCKSTEP_STAGES]) as LockstepStage[];
const loadAtStart = loadavg()[0]!;
// --reuse DIR: an earlier Lockstep run's directory, for the incremental re-run (--change-one-agent).
const reuse = arg('reuse');
const scratchDir = reuse ?? (await mkdtemp(join(arg('scratch') ?? tmpdir(), `${approach}-`)));
const changeOneAgent = process.argv.includes('--change-one-agent');
const ctx: RunContext = {
  spec,
  now: () => performance.now(),
  cpu: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
  scratchDir,
  // maxRSS is in kilobytes (getrusage), the figure `/usr/bin/time -v` reports.
  peakRssMb: () => process.resourceUsage().maxRSS / 1024,
};
const result = approach === 'lockstep' ? await runLockstep(ctx, stages, { changeOneAgent }) : approach === 'floor' ? await runFloor(ctx) : await runCdk8sPlus(ctx);
process.stdout.write(`${JSON.stringify({ ...result, load: { start: loadAtStart, end: loadavg()[0]!, cpus: availableParallelism() } })}\n`);
