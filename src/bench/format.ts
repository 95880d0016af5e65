/** Human tables and the `--json` line of the benchmark report. */
import type { ApproachSummary, BenchReport, ScalingReport } from './report.ts';

/** The targets of the performance issue, shown beside the figures (not asserted). */
export const TARGETS = {
  ratio: 4,
  speedupVsCdk8sPlus: 5,
  checkEvalsPerSecond: 100_000,
  peakRssMb: 1024,
  incrementalRatio: 0.1,
  /** time(2N) / time(N) for every stage. */
  scaling: 2.2,
} as const;

function seconds(s: number): string {
  return s < 10 ? s.toFixed(3) : s.toFixed(2);
}

function rate(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  return Math.round(n).toLocaleString('en-US');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function approachTable(a: ApproachSummary, synthStages: ReadonlySet<string> | undefined): string {
  const rows = a.stages.map((s) => [s.stage + (synthStages?.has(s.stage) ? ' *' : ''), seconds(s.seconds), rate(s.objectsPerSecond), seconds(s.cpuSeconds)]);
  rows.push([synthStages ? 'synth (*)' : 'total', seconds(a.seconds), rate(a.objects / a.seconds), seconds(a.cpuSeconds)]);
  return table(['stage', 'seconds', 'objects/s', 'CPU s'], rows, new Set([1, 2, 3]));
}

function times(x: number | null): string {
  return x === null ? 'n/a' : `${x.toFixed(2)}×`;
}

function mark(ok: boolean): string {
  return ok ? 'meets' : 'MISSES';
}

/** The report for people: a table per approach, then the ratios against the targets. */
export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  const runs = r.repeat > 1 ? `, median of ${r.repeat} fresh processes each` : ', one fresh process each';
  out.push(`Lockstep benchmark: ${r.agents.toLocaleString('en-US')} agents, ${r.objects.toLocaleString('en-US')} objects${runs}`);
  if (r.load && r.load.max > r.load.cpus) {
    out.push(`warning: the machine was busy (load average up to ${r.load.max.toFixed(1)} on ${r.load.cpus} CPUs); wall times are inflated, compare the CPU columns`);
  }
  const labels: Record<string, string> = { lockstep: 'Lockstep', floor: 'Floor (plain objects + JSON.stringify + same files)', 'cdk8s-plus': 'cdk8s-plus-28, one Chart, app.synthYaml()' };
  for (const [name, a] of Object.entries(r.approaches)) {
    if (!a) continue;
    const mb = (a.bytes / 1e6).toFixed(1);
    out.push('', `${labels[name]} — ${mb} MB output, peak RSS ${Math.round(a.peakRssMb)} MB`);
    out.push(approachTable(a, name === 'lockstep' ? new Set(['build', 'render', 'serialize', 'write']) : undefined));
    if (a.problems) {
      const codes = Object.entries(a.problemCodes ?? {}).map(([c, n]) => `${c} ${n}`).join(', ');
      out.push(`problems reported by render, schema and gates: ${a.problems}${codes ? ` (${codes})` : ''}`);
    }
    if (a.check) out.push(`policy check: ${a.check.policies} policies, ${a.check.rules} rules, ${a.check.evaluations.toLocaleString('en-US')} evaluations, ${a.check.findings} findings`);
  }
  out.push('', 'Summary');
  const rows: string[][] = [];
  if (r.seconds !== null) rows.push(['Lockstep synth', `${seconds(r.seconds)} s`, '']);
  if (r.floorSeconds !== null) rows.push(['floor', `${seconds(r.floorSeconds)} s`, '']);
  if (r.ratio !== null) rows.push(['synth / floor', times(r.ratio), `target ≤ ${TARGETS.ratio}× (${mark(r.ratio <= TARGETS.ratio)})`]);
  if (r.cpuRatio !== null) rows.push(['synth / floor, CPU time', times(r.cpuRatio), `${seconds(r.cpuSeconds!)} s / ${seconds(r.floorCpuSeconds!)} s`]);
  if (r.cdk8sPlusSeconds !== null) rows.push(['cdk8s-plus', `${seconds(r.cdk8sPlusSeconds)} s`, '']);
  if (r.speedupVsCdk8sPlus !== null) rows.push(['cdk8s-plus / synth', times(r.speedupVsCdk8sPlus), `target ≥ ${TARGETS.speedupVsCdk8sPlus}× (${mark(r.speedupVsCdk8sPlus >= TARGETS.speedupVsCdk8sPlus)})`]);
  if (r.speedupVsCdk8sPlusInMemory !== null) rows.push(['cdk8s-plus / synth without write', times(r.speedupVsCdk8sPlusInMemory), `${seconds(r.cdk8sPlusSeconds!)} s / ${seconds(r.inMemorySeconds!)} s (synthYaml writes no files)`]);
  if (r.cdk8sPlusCpuSeconds !== null && r.cpuSeconds) rows.push(['cdk8s-plus / synth, CPU time', times(r.cdk8sPlusCpuSeconds / r.cpuSeconds), `${seconds(r.cdk8sPlusCpuSeconds)} s / ${seconds(r.cpuSeconds)} s`]);
  if (r.checkEvalsPerSecond !== null) {
    rows.push(['policy check', `${rate(r.checkEvalsPerSecond)} object×rule/s`, `target ≥ ${rate(TARGETS.checkEvalsPerSecond)} (${mark(r.checkEvalsPerSecond >= TARGETS.checkEvalsPerSecond)})`]);
  }
  if (r.incrementalSeconds !== null && r.incrementalRatio !== null) {
    rows.push(['incremental re-run (one agent changed)', `${seconds(r.incrementalSeconds)} s`, `${r.incrementalReused} of ${r.objects} manifests kept`]);
    rows.push(['incremental / synth', times(r.incrementalRatio), `target ≤ ${TARGETS.incrementalRatio}× (${mark(r.incrementalRatio <= TARGETS.incrementalRatio)})`]);
    if (r.incrementalStages) rows.push(['incremental stages', Object.entries(r.incrementalStages).map(([s, t]) => `${s} ${seconds(t)}`).join(', '), '']);
  }
  if (r.peakRssMb !== null) rows.push(['peak RSS', `${Math.round(r.peakRssMb)} MB`, `target ≤ ${TARGETS.peakRssMb} MB (${mark(r.peakRssMb <= TARGETS.peakRssMb)})`]);
  rows.push(['same kinds and counts', r.kindsMatch ? 'yes' : 'NO', '']);
  out.push(table(['figure', 'value', 'target'], rows, new Set([1])));
  return out.join('\n');
}

function round(x: number | null, digits: number): number | null {
  if (x === null || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The `--json` line: the issue's fields first, then the per-stage figures of every approach. */
export function reportJson(r: BenchReport): Record<string, unknown> {
  const stages = (a: ApproachSummary | undefined) =>
    a ? Object.fromEntries(a.stages.map((s) => [s.stage, { seconds: round(s.seconds, 4), cpuSeconds: round(s.cpuSeconds, 4), objectsPerSecond: round(s.objectsPerSecond, 0) }])) : null;
  return {
    agents: r.agents,
    objects: r.objects,
    seconds: round(r.seconds, 4),
    floorSeconds: round(r.floorSeconds, 4),
    ratio: round(r.ratio, 3),
    cdk8sPlusSeconds: round(r.cdk8sPlusSeconds, 4),
    cpuSeconds: round(r.cpuSeconds, 4),
    floorCpuSeconds: round(r.floorCpuSeconds, 4),
    cpuRatio: round(r.cpuRatio, 3),
    cdk8sPlusCpuSeconds: round(r.cdk8sPlusCpuSeconds, 4),
    load: r.load ? { max: round(r.load.max, 2), cpus: r.load.cpus } : null,
    speedupVsCdk8sPlus: round(r.speedupVsCdk8sPlus, 3),
    inMemorySeconds: round(r.inMemorySeconds, 4),
    speedupVsCdk8sPlusInMemory: round(r.speedupVsCdk8sPlusInMemory, 3),
    checkEvalsPerSecond: round(r.checkEvalsPerSecond, 0),
    peakRssMb: round(r.peakRssMb, 1),
    floorPeakRssMb: round(r.approaches.floor?.peakRssMb ?? null, 1),
    cdk8sPlusPeakRssMb: round(r.approaches['cdk8s-plus']?.peakRssMb ?? null, 1),
    repeat: r.repeat,
    kindsMatch: r.kindsMatch,
    problems: r.approaches.lockstep?.problems ?? null,
    problemCodes: r.approaches.lockstep?.problemCodes ?? null,
    stages: stages(r.approaches.lockstep),
    floorStages: stages(r.approaches.floor),
    cdk8sPlusStages: stages(r.approaches['cdk8s-plus']),
    incrementalSeconds: round(r.incrementalSeconds, 4),
    incrementalRatio: round(r.incrementalRatio, 3),
    incrementalStages: r.incrementalStages ? Object.fromEntries(Object.entries(r.incrementalStages).map(([k, v]) => [k, round(v, 4)])) : null,
    incrementalReused: r.incrementalReused,
  };
}

/** The scaling table: time(larger) / time(smaller) per stage, against the linear ratio. */
export function formatScaling(s: ScalingReport): string {
  const limit = TARGETS.scaling * (s.sizeRatio / 2);
  const entries: [string, number | null][] = [...Object.entries(s.stages), ...Object.entries(s.totals).map(([k, v]): [string, number | null] => [`${k} (total)`, v])];
  const rows = entries.flatMap(([name, ratio]) => (ratio === null ? [] : [[name, times(ratio), `target ≤ ${limit.toFixed(2)}× (${mark(ratio <= limit)})`]]));
  return [`Scaling ${s.agents[0].toLocaleString('en-US')} → ${s.agents[1].toLocaleString('en-US')} agents (linear: ${s.sizeRatio.toFixed(2)}×)`, table(['stage', 'time ratio', 'target'], rows, new Set([1]))].join('\n');
}

/** The `scaling` member of the `--json` line. */
export function scalingJson(s: ScalingReport): Record<string, unknown> {
  return {
    agents: s.agents,
    sizeRatio: s.sizeRatio,
    stages: Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, round(v, 3)])),
    totals: Object.fromEntries(Object.entries(s.totals).map(([k, v]) => [k, round(v, 3)])),
  };
}
