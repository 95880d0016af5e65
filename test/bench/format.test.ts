import { describe, expect, it } from 'vitest';
import { formatReport, reportJson } from '../../src/bench/format.ts';
import { summarize } from '../../src/bench/report.ts';
import type { ApproachResult } from '../../src/bench/stages.ts';

const KINDS = { Deployment: 1000 };
const stages = (s: Record<string, number>) => Object.entries(s).map(([stage, seconds]) => ({ stage, seconds, cpuSeconds: seconds / 2, selected: true }));
const results: ApproachResult[] = [
  {
    approach: 'lockstep',
    agents: 1000,
    objects: 6000,
    bytes: 6_000_000,
    kinds: KINDS,
    stages: stages({ build: 0.5, render: 0.5, serialize: 1, policies: 0.3, write: 1 }),
    peakRssMb: 250.44,
    problems: 12,
    problemCodes: { 'schema/unknown-kind': 12 },
    check: { policies: 12, rules: 24, evaluations: 9000, findings: 0 },
    load: { start: 3.5, end: 4, cpus: 2 },
  },
  { approach: 'floor', agents: 1000, objects: 6000, bytes: 5_000_000, kinds: KINDS, stages: stages({ build: 0.1, serialize: 0.1, write: 0.8 }), peakRssMb: 150 },
  { approach: 'cdk8s-plus', agents: 1000, objects: 6000, bytes: 6_100_000, kinds: KINDS, stages: stages({ build: 0.4, synth: 3.6 }), peakRssMb: 240 },
];
const report = summarize(1000, results);

describe('reportJson', () => {
  it("carries the issue's fields with the ratios of this run", () => {
    const json = reportJson(report);
    expect(json).toMatchObject({
      agents: 1000,
      objects: 6000,
      seconds: 3,
      floorSeconds: 1,
      ratio: 3,
      cdk8sPlusSeconds: 4,
      speedupVsCdk8sPlus: 1.333,
      inMemorySeconds: 2,
      speedupVsCdk8sPlusInMemory: 2,
      checkEvalsPerSecond: 480000,
      peakRssMb: 250.4,
      floorPeakRssMb: 150,
      cdk8sPlusPeakRssMb: 240,
      kindsMatch: true,
      problems: 12,
      cpuSeconds: 1.5,
      floorCpuSeconds: 0.5,
      cpuRatio: 3,
      load: { max: 4, cpus: 2 },
    });
    expect((json.stages as Record<string, unknown>).render).toEqual({ seconds: 0.5, cpuSeconds: 0.25, objectsPerSecond: 12000 });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('formatReport', () => {
  const text = formatReport(report);

  it('prints a table per approach with seconds and objects per second, marking the synth stages', () => {
    expect(text).toMatch(/^render \*\s+0\.500\s+12,000\s+0\.250$/m);
    expect(text).toMatch(/^policies\s+0\.300\s+20,000\s+0\.150$/m);
    expect(text).toMatch(/^synth \(\*\)\s+3\.000\s+2,000\s+1\.500$/m);
    expect(text).toMatch(/^synth\s+3\.600\s+1,667\s+1\.800$/m);
    expect(text).toContain('problems reported by render, schema and gates: 12 (schema/unknown-kind 12)');
  });

  it('warns when the machine was busier than its CPU count', () => {
    expect(text).toContain('warning: the machine was busy (load average up to 4.0 on 2 CPUs)');
  });

  it('compares the figures with the targets', () => {
    expect(text).toMatch(/synth \/ floor\s+3\.00×\s+target ≤ 4× \(meets\)/);
    expect(text).toMatch(/cdk8s-plus \/ synth\s+1\.33×\s+target ≥ 5× \(MISSES\)/);
    expect(text).toMatch(/policy check\s+480,000 object×rule\/s\s+target ≥ 100,000 \(meets\)/);
    expect(text).toMatch(/peak RSS\s+250 MB\s+target ≤ 1024 MB \(meets\)/);
    expect(text).toMatch(/cdk8s-plus \/ synth without write\s+2\.00×\s+4\.000 s \/ 2\.000 s/);
    expect(text).toMatch(/synth \/ floor, CPU time\s+3\.00×\s+1\.500 s \/ 0\.500 s/);
  });
});
