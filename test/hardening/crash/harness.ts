/**
 * The crash harness: runs a lockstep command in a child process on a scratch repository, kills it
 * with SIGKILL (at a random moment, or just before its Nth file-system write), runs the next
 * command's recovery path (`lockstep verify`, in process), and classifies the repository as the
 * complete old state, the complete new state, or torn.
 *
 * A state is the digest of every file under the repository except `.lockstep/` (the dev key and
 * the journal, checked separately to be empty). Signatures are ECDSA, randomized per run, so in
 * signature files (Sigstore bundles, DSSE envelopes) the signature values are masked; the signed
 * digests and payloads stay, so a bundle of another release.json still differs, and `lockstep
 * verify` checks the signatures themselves.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.ts';

const WORKER = join(import.meta.dirname, 'worker.mjs');

export const COMMIT_A = 'a'.repeat(40);
export const COMMIT_B = 'b'.repeat(40);
export const PASSWORD = 'test-password';

/** Runs the CLI in this process (the recovery path and the verdict, and setting up templates). */
export async function cli(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--root', root], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { COSIGN_PASSWORD: PASSWORD, PATH: process.env.PATH } });
  return { code, stdout, stderr };
}

/** A scratch repository with the example platform's inputs. */
export async function scratchRepo(repo: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lockstep-crash-repo-'));
  for (const d of ['environments', 'sboms', 'policies']) await cp(join(repo, d), join(root, d), { recursive: true });
  return root;
}

export async function must(root: string, ...args: string[]): Promise<void> {
  const r = await cli(root, ...args, '--quiet');
  if (r.code !== 0) throw new Error(`lockstep ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
}

/** Bundles and DSSE envelopes with their (randomized) signature values masked. */
function maskSignatures(text: string): string {
  try {
    const doc = JSON.parse(text) as { messageSignature?: { signature?: string }; signatures?: { sig?: string }[]; dsseEnvelope?: { signatures?: { sig?: string }[] } };
    if (doc.messageSignature?.signature) doc.messageSignature.signature = '<signature>';
    for (const s of [...(doc.signatures ?? []), ...(doc.dsseEnvelope?.signatures ?? [])]) if (s.sig) s.sig = '<signature>';
    return JSON.stringify(doc);
  } catch {
    return text;
  }
}

const SIGNATURE_FILE = /(^|\/)(release\.sigstore\.json|release\.intoto\.json|[^/]+\.lock\.sigstore\.json)$/;

/** path → sha256 of every file under `root` except `.lockstep/`, signatures masked. */
export async function treeDigests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const rel = join(entry.parentPath, entry.name).slice(root.length + 1).split('\\').join('/');
    if (rel === '.lockstep' || rel.startsWith('.lockstep/')) continue;
    let bytes: Buffer | string = await readFile(join(root, rel));
    if (SIGNATURE_FILE.test(rel)) bytes = maskSignatures(bytes.toString('utf8'));
    out.set(rel, createHash('sha256').update(bytes).digest('hex'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function stateDigest(files: Map<string, string>): string {
  const h = createHash('sha256');
  for (const [p, d] of files) h.update(`${d}  ${p}\n`);
  return h.digest('hex');
}

/** The paths in which two trees differ (for failure messages). */
export function treeDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
}

/** Leftovers of transactions after recovery (should be none). */
async function journalLeftovers(root: string): Promise<string[]> {
  try {
    return await readdir(join(root, '.lockstep/journal'));
  } catch {
    return [];
  }
}

export interface Scenario {
  readonly name: string;
  /** The old state: a prepared repository, copied for every trial. */
  readonly template: string;
  /** Command line (without --root). */
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Arguments of the recovery-and-verdict command run after the kill (without --root). */
  readonly verifyArgv: readonly string[];
}

export interface Calibration {
  readonly durationMs: number;
  readonly ops: readonly string[];
  readonly oldState: string;
  readonly newState: string;
  readonly oldFiles: Map<string, string>;
  readonly newFiles: Map<string, string>;
}

export type Kill = { readonly atMs: number } | { readonly atOp: number };

export interface TrialResult {
  readonly kill: Kill;
  /** The command finished before the kill landed. */
  readonly completed: boolean;
  readonly state: 'old' | 'new' | 'torn';
  /** For torn states: the paths that differ from the old and from the new state. */
  readonly diff?: { readonly fromOld: string[]; readonly fromNew: string[] };
  readonly journalLeftovers: readonly string[];
  /** Recovery lines printed by the recovery command (`recovered: ...`). */
  readonly recovered: readonly string[];
  readonly verify: { readonly code: number; readonly stderr: string };
  /** The trial's repository (kept only for torn states, to inspect). */
  readonly root?: string;
}

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ops: readonly string[];
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** Starts a worker and waits until it has loaded the CLI. */
function startWorker(cliMain: string, root: string, scenario: Scenario, killAtOp?: number) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    TMPDIR: join(root, '..', 'tmp'),
    LOCKSTEP_TEST_ROOT: root,
    ...scenario.env,
    ...(killAtOp !== undefined ? { LOCKSTEP_TEST_KILL_AT_OP: String(killAtOp) } : {}),
  };
  const child = fork(WORKER, [cliMain], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  let done: { code: number; ops: string[]; stderr: string } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type: string; code: number; ops: string[]; stderr: string }) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'done') done = m;
    });
    void exited.then(() => reject(new Error(`worker exited before it was ready:\n${stderr}`)));
  });
  ready.catch(() => {}); // awaited by the caller; this only keeps an early exit from counting as unhandled
  return {
    ready,
    /** Runs the command; kills it after `killAfterMs` if given. */
    async go(argv: readonly string[], killAfterMs?: number): Promise<ChildRun> {
      const t0 = performance.now();
      child.send({ type: 'go', argv: [...argv, '--root', root] });
      const timer = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
      const exit = await exited;
      if (timer) clearTimeout(timer);
      return { ...exit, ops: done?.ops ?? [], stderr: `${stderr}${done?.stderr ?? ''}`, elapsedMs: performance.now() - t0 };
    },
  };
}

/** A new trial directory: `<dir>/repo` (the repository, filled by `fill`) and `<dir>/tmp` (the child's TMPDIR). */
async function trialDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-crash-trial-'));
  await mkdir(join(dir, 'tmp'));
  return join(dir, 'repo');
}

/** Runs the command to completion once: its duration, its writes and the state it leaves. */
async function completeRun(cliMain: string, scenario: Scenario): Promise<{ durationMs: number; ops: readonly string[]; files: Map<string, string> }> {
  const root = await trialDir();
  await cp(scenario.template, root, { recursive: true });
  const worker = startWorker(cliMain, root, scenario);
  await worker.ready;
  const run = await worker.go(scenario.argv);
  if (run.code !== 0) throw new Error(`${scenario.name}: lockstep ${scenario.argv.join(' ')} failed (${run.code}):\n${run.stderr}`);
  const files = await treeDigests(root);
  await rm(join(root, '..'), { recursive: true, force: true });
  return { durationMs: run.elapsedMs, ops: run.ops, files };
}

/**
 * Runs the command to completion LANES times side by side (the load the trials run under, so the
 * measured duration is the window they kill in): the longest duration, the writes, the new state.
 * The runs must agree on the new state, or "new" would not be a single known state.
 */
export async function calibrate(cliMain: string, scenario: Scenario): Promise<Calibration> {
  const runs = await Promise.all(Array.from({ length: LANES }, () => completeRun(cliMain, scenario)));
  const states = new Set(runs.map((r) => stateDigest(r.files)));
  if (states.size !== 1) throw new Error(`${scenario.name}: two complete runs left different states (${treeDiff(runs[0]!.files, runs[1]!.files).join(', ')})`);
  const oldFiles = await treeDigests(scenario.template);
  const newFiles = runs[0]!.files;
  return { durationMs: Math.max(...runs.map((r) => r.durationMs)), ops: runs[0]!.ops, oldState: stateDigest(oldFiles), newState: stateDigest(newFiles), oldFiles, newFiles };
}

/** One trial: copy the old state, run and kill the command, recover, classify. */
export async function trial(cliMain: string, scenario: Scenario, calibration: Calibration, kill: Kill): Promise<TrialResult> {
  const root = await trialDir();
  // The child loads the CLI while the old state is copied: it touches the repository only on "go".
  const worker = startWorker(cliMain, root, scenario, 'atOp' in kill ? kill.atOp : undefined);
  await cp(scenario.template, root, { recursive: true });
  await worker.ready;
  const run = await worker.go(scenario.argv, 'atMs' in kill ? kill.atMs : undefined);
  const completed = run.code === 0;
  if (!completed && run.signal !== 'SIGKILL') throw new Error(`${scenario.name}: the command failed by itself (${run.code}):\n${run.stderr}`);
  // The next command's recovery path, which also gives the verdict.
  const verify = await cli(root, ...scenario.verifyArgv);
  const files = await treeDigests(root);

  const digest = stateDigest(files);
  const state = digest === calibration.oldState ? 'old' : digest === calibration.newState ? 'new' : 'torn';
  const result: TrialResult = {
    kill,
    completed,
    state,
    journalLeftovers: await journalLeftovers(root),
    recovered: verify.stderr.split('\n').filter((l) => l.startsWith('recovered:')),
    verify: { code: verify.code, stderr: verify.stderr },
    ...(state === 'torn' ? { diff: { fromOld: treeDiff(calibration.oldFiles, files), fromNew: treeDiff(calibration.newFiles, files) }, root } : {}),
  };
  if (state !== 'torn') await rm(join(root, '..'), { recursive: true, force: true });
  return result;
}

/** Runs `tasks` with at most `width` at a time, keeping the order of results. */
export async function pool<T>(width: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane));
  return results;
}

/** A small seeded PRNG (mulberry32), so a run's kill times can be reproduced from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Trial settings from the environment (defaults: what the suite runs). */
export const SEED = Number(process.env.LOCKSTEP_CRASH_SEED ?? 1123);
export const TRIALS = Number(process.env.LOCKSTEP_CRASH_TRIALS ?? 50);
export const LANES = Number(process.env.LOCKSTEP_CRASH_LANES ?? 2);

/** `n` kill times drawn uniformly from the command's measured duration. */
export function randomKills(calibration: Calibration, n: number, seed: number): Kill[] {
  const next = random(seed);
  return Array.from({ length: n }, () => ({ atMs: Math.round(next() * calibration.durationMs) }));
}

/** Runs the trials, LANES at a time. */
export function trials(cliMain: string, scenario: Scenario, calibration: Calibration, kills: readonly Kill[]): Promise<TrialResult[]> {
  return pool(LANES, kills.map((kill) => () => trial(cliMain, scenario, calibration, kill)));
}

/**
 * Kill points just before every write that changes what is visible (renames, removals, links, lock
 * files), skipping those whose path matches `skip` (e.g. a scratch area that is discarded whole).
 */
export function structuralOps(ops: readonly string[], skip?: RegExp): number[] {
  return ops.flatMap((op, i) => (/^(rename|rm|unlink|rmdir|symlink|open|cp)(Sync)? /.test(op) && !(skip && skip.test(op)) ? [i + 1] : []));
}

/** One line per outcome, for the log and docs/hardening.md. */
export function summary(name: string, mode: string, results: readonly TrialResult[]): string {
  const count = (f: (r: TrialResult) => boolean) => results.filter(f).length;
  return `${name} (${mode}): ${results.length} trials, ${count((r) => !r.completed)} killed mid-run, ${count((r) => r.completed)} finished first; ` +
    `recovered to old ${count((r) => r.state === 'old')}, new ${count((r) => r.state === 'new')}, torn ${count((r) => r.state === 'torn')}; ` +
    `journal rolled forward ${count((r) => r.recovered.some((l) => l.includes('rolled-forward')))}, back ${count((r) => r.recovered.some((l) => l.includes('rolled-back')))}`;
}

/** Failure text for torn trials. */
export function describeTorn(results: readonly TrialResult[]): string[] {
  return results.filter((r) => r.state === 'torn').map((r) => `${JSON.stringify(r.kill)}: differs from old in ${r.diff!.fromOld.slice(0, 6).join(', ')}${r.diff!.fromOld.length > 6 ? ', …' : ''}; from new in ${r.diff!.fromNew.slice(0, 6).join(', ')}${r.diff!.fromNew.length > 6 ? ', …' : ''} (kept at ${r.root})`);
}
