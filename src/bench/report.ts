/**
 * Turns the per-process results of each approach into the benchmark report: per-stage medians,
 * objects per second, the synth time and its ratios against the baselines measured in the same run.
 */
import { SYNTH_STAGES, type Approach, type ApproachResult, type PolicyCheckFigures } from './stages.ts';

export interface StageSummary {
  readonly stage: string;
  /** Median over the repeats. */
  readonly seconds: number;
  /** Median CPU time over the repeats. */
  readonly cpuSeconds: number;
  readonly objectsPerSecond: number;
}

export interface ApproachSummary {
  readonly approach: Approach;
  readonly objects: number;
  readonly bytes: number;
  readonly kinds: Readonly<Record<string, number>>;
  readonly stages: readonly StageSummary[];
  /** Median of each run's total over its synth stages (all stages for the baselines). */
  readonly seconds: number;
  /** The same total in CPU time. */
  readonly cpuSeconds: number;
  /** Highest peak RSS over the repeats. */
  readonly peakRssMb: number;
  readonly runs: number;
  readonly problems?: number;
  readonly problemCodes?: Readonly<Record<string, number>>;
  readonly check?: PolicyCheckFigures;
}

export interface BenchReport {
  readonly agents: number;
  readonly objects: number;
  readonly repeat: number;
  readonly approaches: Partial<Record<Approach, ApproachSummary>>;
  /** Lockstep synth: build + render + serialize + write (null when those stages were not run). */
  readonly seconds: number | null;
  readonly floorSeconds: number | null;
  /** seconds / floorSeconds. */
  readonly ratio: number | null;
  readonly cdk8sPlusSeconds: number | null;
  /** cdk8sPlusSeconds / seconds: how many times faster Lockstep's synth is. */
  readonly speedupVsCdk8sPlus: number | null;
  /**
   * Lockstep's synth without `write` (build + render + serialize): the like-for-like figure for
   * cdk8s-plus, whose `synthYaml()` writes no files.
   */
  readonly inMemorySeconds: number | null;
  /** cdk8sPlusSeconds / inMemorySeconds. */
  readonly speedupVsCdk8sPlusInMemory: number | null;
  /** Policy check: objects × rules evaluated per second (null when the policies stage was not run). */
  readonly checkEvalsPerSecond: number | null;
  /** Lockstep's peak RSS. */
  readonly peakRssMb: number | null;
  /** Whether every approach produced the same number of objects of each kind. */
  readonly kindsMatch: boolean;
  /** The synth time, the floor and their ratio in CPU time, which other load on the machine disturbs less. */
  readonly cpuSeconds: number | null;
  readonly floorCpuSeconds: number | null;
  readonly cpuRatio: number | null;
  readonly cdk8sPlusCpuSeconds: number | null;
  /** Highest one-minute load average seen by any worker, and the CPU count (null when not reported). */
  readonly load: { readonly max: number; readonly cpus: number } | null;
  /** The incremental re-run (one agent changed, previous output and cache in place): its synth time (median). */
  readonly incrementalSeconds: number | null;
  /** incrementalSeconds / seconds. */
  readonly incrementalRatio: number | null;
  /** Per-stage median seconds of the incremental re-run. */
  readonly incrementalStages: Readonly<Record<string, number>> | null;
  /** Manifests the output cache kept unchanged in the incremental re-run (of `objects`). */
  readonly incrementalReused: number | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : Number.POSITIVE_INFINITY;
}

function ratioOf(a: number | null, b: number | null): number | null {
  return a === null || b === null || b <= 0 ? null : a / b;
}

/** The stages counted in an approach's `seconds`. */
function countedStages(approach: Approach): ((stage: string) => boolean) {
  return approach === 'lockstep' ? (s) => (SYNTH_STAGES as readonly string[]).includes(s) : () => true;
}

function summarizeApproach(runs: readonly ApproachResult[]): ApproachSummary {
  const first = runs[0]!;
  const order = first.stages.filter((s) => s.selected).map((s) => s.stage);
  const stages = order.map((stage) => {
    const seconds = median(runs.map((r) => r.stages.find((s) => s.stage === stage)?.seconds ?? Number.NaN));
    const cpuSeconds = median(runs.map((r) => r.stages.find((s) => s.stage === stage)?.cpuSeconds ?? Number.NaN));
    return { stage, seconds, cpuSeconds, objectsPerSecond: perSecond(first.objects, seconds) };
  });
  const counted = countedStages(first.approach);
  const totals = runs.map((r) => r.stages.filter((s) => counted(s.stage)).reduce((n, s) => n + s.seconds, 0));
  const cpuTotals = runs.map((r) => r.stages.filter((s) => counted(s.stage)).reduce((n, s) => n + s.cpuSeconds, 0));
  return {
    approach: first.approach,
    objects: first.objects,
    bytes: first.bytes,
    kinds: first.kinds,
    stages,
    seconds: median(totals),
    cpuSeconds: median(cpuTotals),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    runs: runs.length,
    ...(first.problems !== undefined ? { problems: first.problems } : {}),
    ...(first.problemCodes !== undefined ? { problemCodes: first.problemCodes } : {}),
    ...(first.check ? { check: first.check } : {}),
  };
}

function sameKinds(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** Builds the report from every run of every approach (runs of one approach share its name). */
export function summarize(agents: number, results: readonly ApproachResult[]): BenchReport {
  const approaches: Partial<Record<Approach, ApproachSummary>> = {};
  for (const name of ['lockstep', 'floor', 'cdk8s-plus'] as const) {
    const runs = results.filter((r) => r.approach === name && !r.incremental);
    if (runs.length > 0) approaches[name] = summarizeApproach(runs);
  }
  const lockstep = approaches.lockstep;
  const synthMeasured = lockstep !== undefined && SYNTH_STAGES.every((s) => lockstep.stages.some((x) => x.stage === s));
  const seconds = synthMeasured ? lockstep.seconds : null;
  const floorSeconds = approaches.floor?.seconds ?? null;
  const cdk8sPlusSeconds = approaches['cdk8s-plus']?.seconds ?? null;
  const policies = lockstep?.stages.find((s) => s.stage === 'policies');
  const checkEvalsPerSecond = policies && lockstep?.check ? perSecond(lockstep.objects * lockstep.check.rules, policies.seconds) : null;
  const summaries = Object.values(approaches);
  const inMemorySeconds = synthMeasured ? median(results.filter((r) => r.approach === 'lockstep').map((r) => r.stages.filter((s) => ['build', 'render', 'serialize'].includes(s.stage)).reduce((n, s) => n + s.seconds, 0))) : null;
  const cpuSeconds = synthMeasured ? lockstep.cpuSeconds : null;
  const floorCpuSeconds = approaches.floor?.cpuSeconds ?? null;
  const loads = results.filter((r) => r.load);
  const reruns = results.filter((r) => r.incremental);
  const incrementalSeconds = reruns.length ? median(reruns.map((r) => r.stages.filter((s) => (SYNTH_STAGES as readonly string[]).includes(s.stage)).reduce((n, s) => n + s.seconds, 0))) : null;
  const incrementalStages = reruns.length ? Object.fromEntries(SYNTH_STAGES.map((stage) => [stage, median(reruns.map((r) => r.stages.find((s) => s.stage === stage)?.seconds ?? Number.NaN))])) : null;
  const reference = summaries.find((s) => s.objects > 0);
  return {
    agents,
    objects: reference?.objects ?? 0,
    repeat: Math.max(0, ...summaries.map((s) => s.runs)),
    approaches,
    seconds,
    floorSeconds,
    ratio: ratioOf(seconds, floorSeconds),
    cdk8sPlusSeconds,
    speedupVsCdk8sPlus: ratioOf(cdk8sPlusSeconds, seconds),
    inMemorySeconds,
    speedupVsCdk8sPlusInMemory: ratioOf(cdk8sPlusSeconds, inMemorySeconds),
    checkEvalsPerSecond,
    peakRssMb: lockstep?.peakRssMb ?? null,
    kindsMatch: summaries.filter((s) => s.objects > 0).every((s) => sameKinds(s.kinds, reference!.kinds)),
    cpuSeconds,
    floorCpuSeconds,
    cpuRatio: ratioOf(cpuSeconds, floorCpuSeconds),
    cdk8sPlusCpuSeconds: approaches['cdk8s-plus']?.cpuSeconds ?? null,
    load: loads.length ? { max: Math.max(...loads.flatMap((r) => [r.load!.start, r.load!.end])), cpus: loads[0]!.load!.cpus } : null,
    incrementalSeconds,
    incrementalRatio: ratioOf(incrementalSeconds, seconds),
    incrementalStages,
    incrementalReused: reruns.length ? median(reruns.map((r) => r.reused ?? 0)) : null,
  };
}

export interface ScalingReport {
  readonly agents: readonly [number, number];
  /** time(larger) / time(smaller) per Lockstep stage (median seconds). */
  readonly stages: Readonly<Record<string, number>>;
  /** The same for Lockstep synth, the floor, cdk8s-plus and the incremental re-run. */
  readonly totals: Readonly<Record<string, number | null>>;
  /** agents(larger) / agents(smaller): the ratio linear scaling gives. */
  readonly sizeRatio: number;
}

/** Time ratios between the two largest sizes of a scaling run (`--agents 5000,10000`). */
export function scaling(reports: readonly BenchReport[]): ScalingReport {
  const [a, b] = [reports[reports.length - 2]!, reports[reports.length - 1]!];
  const stages: Record<string, number> = {};
  for (const s of b.approaches.lockstep?.stages ?? []) {
    const before = a.approaches.lockstep?.stages.find((x) => x.stage === s.stage);
    if (before && before.seconds > 0) stages[s.stage] = s.seconds / before.seconds;
  }
  return {
    agents: [a.agents, b.agents],
    stages,
    totals: {
      synth: ratioOf(b.seconds, a.seconds),
      floor: ratioOf(b.floorSeconds, a.floorSeconds),
      cdk8sPlus: ratioOf(b.cdk8sPlusSeconds, a.cdk8sPlusSeconds),
      incremental: ratioOf(b.incrementalSeconds, a.incrementalSeconds),
    },
    sizeRatio: b.agents / a.agents,
  };
}
