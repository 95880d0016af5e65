/**
 * The measured stages of each approach. One approach runs per process (worker.ts), so JIT warm-up
 * and heap of one approach never leak into another and peak RSS is per approach.
 *
 * Lockstep's stages call the compiler's public functions, in pipeline order:
 *   build → sbom → render → serialize → schema, gates, policies → sign → write
 * `seconds` (synth) is build + render + serialize + write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkObjects } from '../check/check.ts';
import { defaultGates } from '../gates/index.ts';
import { manifestSetDigest } from '../release/release.ts';
import { sha256Hex } from '../release/files.ts';
import { loadPrivateKey, generateKeyPair, signBlob } from '../supply-chain/signing/index.ts';
import { renderEnvironment, type Rendering } from '../synth/render.ts';
import { OutputCache } from '../synth/cache.ts';
import { confirmRestoredUnits, UnitCache, unitCacheDir, unitSalt } from '../synth/unit-cache.ts';
import { FsWorkers } from '../util/fs-workers.ts';
import { builtinGates, keptCount, serializeObjects, writeSynthOutput, type SerializedObjects } from '../synth/synth.ts';
import { KEEP, type DirectoryFile } from '../util/atomic.ts';
import type { Problem } from '../util/errors.ts';
import type { SynthInputs } from '../synth/inputs.ts';
import { buildCdk8sPlusApp } from './cdk8s-plus.ts';
import { buildPlainObjects, serializePlain, writePlainFiles } from './floor.ts';
import { annotateBenchSboms, benchInputs, buildLockstepPlatform, renderPolicyObjects } from './platform.ts';
import { BENCH_ENVIRONMENT, countKinds, type BenchSpec } from './spec.ts';

export const APPROACHES = ['lockstep', 'floor', 'cdk8s-plus'] as const;
export type Approach = (typeof APPROACHES)[number];

export const LOCKSTEP_STAGES = ['build', 'sbom', 'render', 'serialize', 'schema', 'gates', 'policies', 'sign', 'write'] as const;
export type LockstepStage = (typeof LOCKSTEP_STAGES)[number];
/** The stages whose sum is Lockstep's synth time (`seconds`). */
export const SYNTH_STAGES: readonly LockstepStage[] = ['build', 'render', 'serialize', 'write'];

/** What each stage needs to have run first. */
const NEEDS: Readonly<Record<LockstepStage, readonly LockstepStage[]>> = {
  build: [],
  sbom: ['build'],
  // Render after the SBOM annotations so the objects are the ones a release ships.
  render: ['sbom'],
  serialize: ['render'],
  schema: ['render'],
  gates: ['render'],
  policies: ['render'],
  sign: ['serialize'],
  write: ['serialize'],
};

/** The selected stages plus everything they need, in pipeline order. */
export function stagesToRun(selected: readonly LockstepStage[]): LockstepStage[] {
  const run = new Set<LockstepStage>();
  const visit = (s: LockstepStage): void => {
    if (run.has(s)) return;
    run.add(s);
    for (const n of NEEDS[s]) visit(n);
  };
  for (const s of selected) visit(s);
  return LOCKSTEP_STAGES.filter((s) => run.has(s));
}

export interface StageResult {
  readonly stage: string;
  /** Wall-clock time. */
  readonly seconds: number;
  /** CPU time of the process (all threads, user + system): less sensitive to other load on the machine. */
  readonly cpuSeconds: number;
  /** Whether the stage was asked for (a stage that only feeds a selected one is not reported). */
  readonly selected: boolean;
  /** Peak resident set size of the process when the stage ended, in MB (where memory goes). */
  readonly peakRssMb?: number;
}

export interface PolicyCheckFigures {
  readonly policies: number;
  /** Validations (rules) over all policies. */
  readonly rules: number;
  /** Policy evaluations the check produced (one per policy × object it matched, plus autogen). */
  readonly evaluations: number;
  readonly findings: number;
}

export interface ApproachResult {
  readonly approach: Approach;
  readonly agents: number;
  readonly objects: number;
  /** Bytes of serialized output (YAML for Lockstep and cdk8s-plus, JSON for the floor). */
  readonly bytes: number;
  readonly kinds: Readonly<Record<string, number>>;
  readonly stages: readonly StageResult[];
  readonly peakRssMb: number;
  /** Problems found by render and the schema and gate stages (0 for a clean platform). */
  readonly problems?: number;
  /** One-minute load average when the process started and ended, and the CPU count: other work on the machine skews wall times. */
  readonly load?: { readonly start: number; readonly end: number; readonly cpus: number };
  /** Those problems by code, e.g. `{ "schema/unknown-kind": 12 }`. */
  readonly problemCodes?: Readonly<Record<string, number>>;
  readonly check?: PolicyCheckFigures;
  /** The incremental re-run: one agent changed, the previous output and cache in place. */
  readonly incremental?: boolean;
  /** Manifests the output cache found unchanged (not serialized, not rewritten). */
  readonly reused?: number;
  /** Units (tenants) taken from the unit cache instead of built. */
  readonly unitsRestored?: number;
  /** The directory the run wrote `bench/` (and its cache) into, for an incremental re-run. */
  readonly outputDir?: string;
}

export interface LockstepOptions {
  /**
   * Re-run over an earlier run's output with one agent changed (its replicas): the incremental
   * measurement. The output and the cache under `scratchDir` must be an earlier run's.
   */
  readonly changeOneAgent?: boolean;
}

/** The agent the incremental measurement changes: the second workload of the middle namespace. */
export function changedAgent(spec: BenchSpec): { namespace: string; name: string } {
  const ns = spec.namespaces[Math.floor(spec.namespaces.length / 2)]!;
  const w = ns.workloads[Math.min(1, ns.workloads.length - 1)]!;
  return { namespace: ns.name, name: w.name };
}

/** `spec` with the changed agent's replicas raised from 2 to 3 in the agent catalog. */
export function withOneAgentChanged(spec: BenchSpec): BenchSpec {
  const { namespace, name } = changedAgent(spec);
  return {
    ...spec,
    namespaces: spec.namespaces.map((n) => (n.name !== namespace ? n : { ...n, workloads: n.workloads.map((w) => (w.name === name ? { ...w, replicas: 3 } : w)) })),
  };
}

export interface RunContext {
  readonly spec: BenchSpec;
  /** Milliseconds from an arbitrary origin (`performance.now`). */
  readonly now: () => number;
  /** CPU milliseconds used by the process so far (`process.cpuUsage`, user + system). */
  readonly cpu: () => number;
  /** An empty scratch directory the approach may write to. */
  readonly scratchDir: string;
  /** Peak resident set size so far, in MB. */
  readonly peakRssMb: () => number;
}

class Timer {
  readonly stages: StageResult[] = [];
  constructor(private readonly ctx: RunContext, private readonly selected: ReadonlySet<string>) {}

  async time<T>(stage: string, fn: () => T | Promise<T>): Promise<T> {
    const start = this.ctx.now();
    const cpuStart = this.ctx.cpu();
    const result = await fn();
    this.stages.push({ stage, seconds: (this.ctx.now() - start) / 1000, cpuSeconds: (this.ctx.cpu() - cpuStart) / 1000, selected: this.selected.has(stage), peakRssMb: this.ctx.peakRssMb() });
    return result;
  }
}

function utf8Bytes(files: ReadonlyMap<string, DirectoryFile>): number {
  let n = 0;
  for (const v of files.values()) if (v !== KEEP) n += typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  return n;
}

/** Lockstep's pipeline over the synthetic platform. */
export async function runLockstep(ctx: RunContext, selected: readonly LockstepStage[] = LOCKSTEP_STAGES, options: LockstepOptions = {}): Promise<ApproachResult> {
  const run = new Set(stagesToRun(selected));
  const timer = new Timer(ctx, new Set(selected));
  const spec = options.changeOneAgent ? withOneAgentChanged(ctx.spec) : ctx.spec;
  const target = join(ctx.scratchDir, BENCH_ENVIRONMENT);
  // The synth output and unit caches, as `lockstep synth` keeps them (.lockstep/cache/ beside dist/).
  // Loading them (and hashing the code for the unit salt) is part of the build stage.
  let cache!: OutputCache;
  let units!: UnitCache;
  let inputs!: SynthInputs;
  // As synthesize() does: the unit cache's manifests are proven, and the output directory listed, on a
  // worker thread during build and render.
  // Threads are started here, like module loading, outside the measured stages.
  const workers = new FsWorkers().warm();
  let listing: Promise<Set<string>> | undefined;
  const loadCaches = () => {
    cache = OutputCache.load(join(ctx.scratchDir, '.lockstep/cache/synth', `${BENCH_ENVIRONMENT}.json`), target);
    const plain = benchInputs(spec, ctx.scratchDir);
    units = UnitCache.load(unitCacheDir(ctx.scratchDir, '.', BENCH_ENVIRONMENT), unitSalt(plain), target, workers);
    listing = workers.listFiles(target);
    listing.catch(() => undefined); // a cold run: no directory yet
    inputs = { ...plain, units };
  };
  // Key generation (scrypt encryption of the private key) is setup, not signing.
  const key = run.has('sign') ? await loadPrivateKey((await generateKeyPair('')).privatePem, '') : undefined;

  const built = await timer.time('build', () => {
    loadCaches();
    return buildLockstepPlatform(spec, inputs);
  });
  if (run.has('sbom')) await timer.time('sbom', () => annotateBenchSboms(built.platform, inputs));
  let rendering: Rendering | undefined;
  if (run.has('render')) {
    rendering = await timer.time('render', async () => {
      const first = renderEnvironment(inputs, () => ({ platform: built.platform, context: built.context }));
      // A restored tenant whose manifest changed is built after all, in a new tree (as synth does).
      return confirmRestoredUnits(first, units, (refusing) => {
        units = refusing;
        const again = { ...inputs, units: refusing };
        return renderEnvironment(again, () => buildLockstepPlatform(spec, again));
      });
    });
  }
  const objects = rendering?.objects ?? [];
  const problems: Problem[] = [...(rendering?.problems ?? [])];
  let serialized: SerializedObjects = { files: new Map(), keys: new Map(), kept: new Set(), restored: 0 };
  if (run.has('serialize')) serialized = await timer.time('serialize', () => serializeObjects(objects, cache, units));
  const files = serialized.files;
  if (run.has('schema')) {
    const [schemaGate] = defaultGates();
    problems.push(...(await timer.time('schema', () => schemaGate!(rendering!))));
  }
  if (run.has('gates')) {
    const [, podSecurityGate] = defaultGates();
    problems.push(...(await timer.time('gates', () => [...builtinGates, podSecurityGate!].flatMap((g) => g(rendering!)))));
  }
  let check: PolicyCheckFigures | undefined;
  if (run.has('policies')) {
    const sources = objects.map((o) => ({ file: o.path, constructPath: o.constructPath, json: o.json }));
    const result = await timer.time('policies', () => checkObjects({ environment: BENCH_ENVIRONMENT, objects: sources }));
    check = {
      policies: result.policies.length,
      rules: result.policies.reduce((n, p) => n + Math.max(1, p.rules.length), 0),
      evaluations: result.evaluations.length,
      findings: result.findings.length,
    };
  }
  if (run.has('sign')) {
    await timer.time('sign', () => {
      // What a release signs: the sha256sum-style digest of every manifest file, in a manifest.
      const digests = [...files].map(([path, text]) => ({ path, sha256: sha256Hex(text === KEEP ? readFileSync(join(target, path)) : text) }));
      const manifest = JSON.stringify({ digest: manifestSetDigest(digests), files: digests }, null, 2);
      return signBlob(Buffer.from(manifest), key!);
    });
  }
  if (run.has('write')) await timer.time('write', () => writeSynthOutput(target, files, serialized, objects, { cache, units, workers, listing }));
  await workers.close();
  return {
    approach: 'lockstep',
    agents: ctx.spec.agents,
    objects: objects.length,
    bytes: utf8Bytes(files),
    kinds: countKinds(objects.map((o) => o.json)),
    stages: timer.stages,
    peakRssMb: ctx.peakRssMb(),
    problems: problems.length,
    problemCodes: countKinds(problems.map((p) => ({ kind: p.code ?? 'uncoded' }))),
    ...(check ? { check } : {}),
    ...(options.changeOneAgent ? { incremental: true } : {}),
    reused: keptCount(serialized),
    unitsRestored: units.stats.restored,
    outputDir: ctx.scratchDir,
  };
}

/** The floor: plain objects, `JSON.stringify`, the same number of files. */
export async function runFloor(ctx: RunContext): Promise<ApproachResult> {
  const timer = new Timer(ctx, new Set(['build', 'serialize', 'write']));
  const policies = renderPolicyObjects(ctx.spec, benchInputs(ctx.spec, ctx.scratchDir));
  // The same writer as Lockstep's: files spread over the same threads, started outside the stages.
  const workers = new FsWorkers().warm();
  const objects = await timer.time('build', () => buildPlainObjects(ctx.spec, policies));
  const files = await timer.time('serialize', () => serializePlain(objects));
  await timer.time('write', () => writePlainFiles(join(ctx.scratchDir, BENCH_ENVIRONMENT), files, workers));
  await workers.close();
  return { approach: 'floor', agents: ctx.spec.agents, objects: objects.length, bytes: utf8Bytes(files), kinds: countKinds(objects), stages: timer.stages, peakRssMb: ctx.peakRssMb() };
}

/** Top-level `kind:` lines of a multi-document YAML stream, counted without parsing it. */
export function yamlKinds(yaml: string): Record<string, number> {
  const kinds = [...yaml.matchAll(/^kind: (.+)$/gm)].map((m) => ({ kind: m[1]!.trim() }));
  return countKinds(kinds);
}

/** cdk8s-plus-28 in one Chart, `app.synthYaml()`. */
export async function runCdk8sPlus(ctx: RunContext): Promise<ApproachResult> {
  const timer = new Timer(ctx, new Set(['build', 'synth']));
  const policies = renderPolicyObjects(ctx.spec, benchInputs(ctx.spec, ctx.scratchDir));
  const app = await timer.time('build', () => buildCdk8sPlusApp(ctx.spec, policies));
  const yaml = await timer.time('synth', () => app.synthYaml());
  const kinds = yamlKinds(yaml);
  return {
    approach: 'cdk8s-plus',
    agents: ctx.spec.agents,
    objects: Object.values(kinds).reduce((a, b) => a + b, 0),
    bytes: Buffer.byteLength(yaml),
    kinds,
    stages: timer.stages,
    peakRssMb: ctx.peakRssMb(),
  };
}
