/**
 * `npm run bench -- --agents N [--json] [--stages a,b] [--repeat K] [--approaches a,b] [--cpu-prof DIR]`
 *
 * Runs every approach in a fresh child process (worker.ts), interleaved per repeat, and reports
 * per-stage medians. Scratch files go to one temp directory, removed at the end; `sync` runs
 * between children so one approach's pending writeback does not slow the next one's writes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, LockstepError, UsageError } from '../util/errors.ts';
import { formatReport, formatScaling, reportJson, scalingJson } from './format.ts';
import { formatProfileSummary, summarizeCpuProfile, type CpuProfile } from './profile.ts';
import { scaling, summarize, type BenchReport } from './report.ts';
import { APPROACHES, LOCKSTEP_STAGES, SYNTH_STAGES, type Approach, type ApproachResult, type LockstepStage } from './stages.ts';

export interface BenchOptions {
  /** The (first) platform size. */
  readonly agents: number;
  /** Scaling mode (`--agents 5000,10000`): every size, in order; absent for one size. */
  readonly scaling?: readonly number[];
  readonly json: boolean;
  readonly stages: readonly LockstepStage[];
  readonly repeat: number;
  readonly approaches: readonly Approach[];
  /** Write a CPU profile of each Lockstep process into this directory and summarize it. */
  readonly cpuProfDir?: string;
}

export const USAGE = 'usage: npm run bench -- --agents N[,N2,...] [--json] [--stages build,render,...] [--repeat K] [--approaches lockstep,floor,cdk8s-plus] [--cpu-prof DIR]';

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = items.filter((s) => !allowed.includes(s as T));
  if (items.length === 0 || unknown.length > 0) {
    throw new UsageError(`${flag} takes a comma-separated list of ${allowed.join(', ')}; got ${JSON.stringify(value)}`, `e.g. ${flag} ${allowed.slice(0, 2).join(',')}`);
  }
  return items as T[];
}

function positiveInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < 1) throw new UsageError(`${flag} must be a whole number ≥ 1, got ${JSON.stringify(value ?? '')}`, USAGE);
  return n;
}

/** Parses the command line (without `node` and the script). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let agents: number[] | undefined;
  let json = false;
  let stages: LockstepStage[] = [...LOCKSTEP_STAGES];
  let repeat = 1;
  let approaches: Approach[] = [...APPROACHES];
  let cpuProfDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`, USAGE);
      return v;
    };
    if (flag === '--agents') agents = value().split(',').map((v) => positiveInteger('--agents', v));
    else if (flag === '--json') json = true;
    else if (flag === '--stages') stages = list('--stages', value(), LOCKSTEP_STAGES);
    else if (flag === '--repeat') repeat = positiveInteger('--repeat', value());
    else if (flag === '--approaches') approaches = list('--approaches', value(), APPROACHES);
    else if (flag === '--cpu-prof') cpuProfDir = value();
    else throw new UsageError(`unknown option ${JSON.stringify(flag)}`, USAGE);
  }
  if (agents === undefined) throw new UsageError('--agents is required', USAGE);
  return { agents: agents[0]!, ...(agents.length > 1 ? { scaling: agents } : {}), json, stages, repeat, approaches, ...(cpuProfDir !== undefined ? { cpuProfDir } : {}) };
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const REPO_ROOT = resolve(dirname(WORKER), '../..');

/** The error for a worker that failed: its exit code, the end of its stderr, and how to rerun it. */
export function workerFailure(approach: Approach, code: number | null, stderr: string, command: readonly string[]): LockstepError {
  const tail = stderr.trim().split('\n').slice(-15).join('\n') || '(no output)';
  return new LockstepError({ message: `bench worker for ${approach} exited with code ${code}: ${tail}`, fix: `run it alone: ${command.join(' ')}`, code: 'bench/worker' });
}

/** Runs one approach in a fresh `node` process and returns its result (the last stdout line). */
async function runWorker(approach: Approach, options: BenchOptions, scratchDir: string, agents: number, extra: readonly string[] = []): Promise<ApproachResult> {
  const profile = approach === 'lockstep' && options.cpuProfDir && extra.length === 0 ? ['--cpu-prof', `--cpu-prof-dir=${resolve(options.cpuProfDir)}`] : [];
  const args = [...profile, '--import', import.meta.resolve('tsx/esm'), WORKER, '--approach', approach, '--agents', String(agents), '--stages', (extra.length ? SYNTH_STAGES : options.stages).join(','), '--scratch', scratchDir, ...extra];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(workerFailure(approach, code, stderr, ['node', ...args]));
        return;
      }
      resolvePromise(JSON.parse(last) as ApproachResult);
    });
  });
}

/**
 * The main-thread profile of the last Lockstep run. tsx's loader runs in its own thread, which
 * writes a small profile of its own beside it, so the largest profile written since `since` wins.
 */
async function mainProfile(dir: string, since: number): Promise<string | undefined> {
  let best: { path: string; size: number } | undefined;
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.cpuprofile')) continue;
    const info = await stat(join(dir, f));
    if (info.mtimeMs >= since && (!best || info.size > best.size)) best = { path: join(dir, f), size: info.size };
  }
  return best?.path;
}

/** The `npm run bench` entry: returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (e) {
    if (e instanceof LockstepError) {
      for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
      return e.exitCode;
    }
    throw e;
  }
  const started = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'lockstep-bench-'));
  const reports: BenchReport[] = [];
  // The incremental re-run needs a complete synth before it.
  const incremental = options.approaches.includes('lockstep') && SYNTH_STAGES.every((s) => options.stages.includes(s));
  try {
    for (const agents of options.scaling ?? [options.agents]) {
      const results: ApproachResult[] = [];
      for (let k = 1; k <= options.repeat; k++) {
        for (const approach of options.approaches) {
          process.stderr.write(`bench: ${approach}, ${agents} agents${options.repeat > 1 ? `, run ${k}/${options.repeat}` : ''}\n`);
          // Flush earlier runs' writes so they do not land in this run's timings (Linux/macOS).
          spawnSync('sync', { stdio: 'ignore' });
          const result = await runWorker(approach, options, scratch, agents);
          results.push(result);
          if (approach === 'lockstep' && incremental && result.outputDir) {
            process.stderr.write(`bench: lockstep incremental (one agent changed), ${agents} agents\n`);
            spawnSync('sync', { stdio: 'ignore' });
            results.push(await runWorker(approach, options, scratch, agents, ['--reuse', result.outputDir, '--change-one-agent']));
          }
        }
      }
      reports.push(summarize(agents, results));
    }
  } catch (e) {
    if (e instanceof LockstepError) {
      for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
      return e.exitCode;
    }
    throw e;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const report = reports[reports.length - 1]!;
  const scaled = reports.length > 1 ? scaling(reports) : undefined;
  let profileText: string | undefined;
  if (options.cpuProfDir) {
    const file = await mainProfile(resolve(options.cpuProfDir), started);
    if (file) profileText = formatProfileSummary(summarizeCpuProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, REPO_ROOT), `CPU profile of the last Lockstep run (${file})`);
  }
  if (options.json) {
    if (profileText) process.stderr.write(`${profileText}\n`);
    process.stdout.write(`${JSON.stringify({ ...reportJson(report), ...(scaled ? { scaling: scalingJson(scaled) } : {}) })}\n`);
  } else {
    process.stdout.write(`${reports.map(formatReport).join('\n\n')}\n`);
    if (scaled) process.stdout.write(`\n${formatScaling(scaled)}\n`);
    if (profileText) process.stdout.write(`\n${profileText}\n`);
  }
  return 0;
}
