import { describe, expect, it } from 'vitest';
import { median, scaling, summarize } from '../../src/bench/report.ts';
import type { ApproachResult } from '../../src/bench/stages.ts';

const KINDS = { Deployment: 10, Service: 10 };

function lockstep(seconds: Record<string, number>, extra: Partial<ApproachResult> = {}): ApproachResult {
  return {
    approach: 'lockstep',
    agents: 10,
    objects: 20,
    bytes: 2000,
    kinds: KINDS,
    stages: Object.entries(seconds).map(([stage, s]) => ({ stage, seconds: s, cpuSeconds: s / 2, selected: true })),
    peakRssMb: 100,
    problems: 0,
    check: { policies: 2, rules: 5, evaluations: 40, findings: 0 },
    ...extra,
  };
}

function baseline(approach: 'floor' | 'cdk8s-plus', seconds: Record<string, number>, kinds: Record<string, number> = KINDS): ApproachResult {
  return { approach, agents: 10, objects: 20, bytes: 1000, kinds, stages: Object.entries(seconds).map(([stage, s]) => ({ stage, seconds: s, cpuSeconds: s / 2, selected: true })), peakRssMb: 50 };
}

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('summarize', () => {
  it('sums the synth stages and divides by the floor and into cdk8s-plus', () => {
    const r = summarize(10, [
      lockstep({ build: 1, sbom: 0.5, render: 2, serialize: 3, schema: 7, policies: 0.25, write: 2 }),
      baseline('floor', { build: 0.5, serialize: 0.5, write: 1 }),
      baseline('cdk8s-plus', { build: 10, synth: 30 }),
    ]);
    expect(r.seconds).toBe(8);
    expect(r.floorSeconds).toBe(2);
    expect(r.ratio).toBe(4);
    expect(r.cdk8sPlusSeconds).toBe(40);
    expect(r.speedupVsCdk8sPlus).toBe(5);
    expect(r.inMemorySeconds).toBe(6);
    expect(r.speedupVsCdk8sPlusInMemory).toBeCloseTo(40 / 6, 10);
    // 20 objects × 5 rules in 0.25 s
    expect(r.checkEvalsPerSecond).toBe(400);
    expect(r.peakRssMb).toBe(100);
    expect(r.kindsMatch).toBe(true);
    expect(r.approaches.lockstep!.stages.find((s) => s.stage === 'render')).toEqual({ stage: 'render', seconds: 2, cpuSeconds: 1, objectsPerSecond: 10 });
    // Every stage used half its wall time as CPU time.
    expect([r.cpuSeconds, r.floorCpuSeconds, r.cpuRatio, r.cdk8sPlusCpuSeconds]).toEqual([4, 1, 4, 20]);
    expect(r.load).toBeNull();
  });

  it('reports the median per stage and per total over repeats, and the highest peak RSS', () => {
    const r = summarize(10, [
      lockstep({ build: 1, render: 1, serialize: 1, write: 1 }),
      lockstep({ build: 3, render: 3, serialize: 3, write: 3 }, { peakRssMb: 300 }),
      lockstep({ build: 2, render: 2, serialize: 2, write: 2 }),
    ]);
    expect(r.repeat).toBe(3);
    expect(r.seconds).toBe(8);
    expect(r.approaches.lockstep!.stages[0]).toEqual({ stage: 'build', seconds: 2, cpuSeconds: 1, objectsPerSecond: 10 });
    expect(r.peakRssMb).toBe(300);
    expect(r.floorSeconds).toBeNull();
    expect(r.ratio).toBeNull();
  });

  it('leaves synth seconds empty when not every synth stage was selected', () => {
    const r = summarize(10, [lockstep({ build: 1, render: 1 }), baseline('floor', { build: 1 })]);
    expect(r.seconds).toBeNull();
    expect(r.ratio).toBeNull();
    expect(r.checkEvalsPerSecond).toBeNull();
  });

  it('leaves out stages that only fed a selected one', () => {
    const run = lockstep({});
    const r = summarize(10, [{ ...run, stages: [{ stage: 'build', seconds: 1, cpuSeconds: 1, selected: false }, { stage: 'render', seconds: 2, cpuSeconds: 2, selected: true }] }]);
    expect(r.approaches.lockstep!.stages.map((s) => s.stage)).toEqual(['render']);
  });

  it('notices when an approach produced different kinds or counts', () => {
    const r = summarize(10, [lockstep({ build: 1 }), baseline('floor', { build: 1 }, { Deployment: 10, Service: 9 })]);
    expect(r.kindsMatch).toBe(false);
  });
});

describe('summarize, load', () => {
  it('reports the highest load average any worker saw', () => {
    const r = summarize(10, [lockstep({ build: 1 }, { load: { start: 1.5, end: 3.25, cpus: 2 } }), { ...baseline('floor', { build: 1 }), load: { start: 0.5, end: 1, cpus: 2 } }]);
    expect(r.load).toEqual({ max: 3.25, cpus: 2 });
  });
});

describe('summarize, incremental re-runs', () => {
  it('keeps the re-run out of the full run and reports its synth time, stages and ratio', () => {
    const r = summarize(10, [
      lockstep({ build: 1, render: 2, serialize: 3, write: 4 }),
      lockstep({ build: 1, render: 2, serialize: 0.5, write: 0.5 }, { incremental: true, reused: 19 }),
      baseline('floor', { build: 0.5, serialize: 0.5, write: 1 }),
    ]);
    expect(r.seconds).toBe(10);
    expect(r.incrementalSeconds).toBe(4);
    expect(r.incrementalRatio).toBeCloseTo(0.4);
    expect(r.incrementalStages).toEqual({ build: 1, render: 2, serialize: 0.5, write: 0.5 });
    expect(r.incrementalReused).toBe(19);
  });
});

describe('scaling', () => {
  it('divides each stage and total of the larger size by the smaller one', () => {
    const small = summarize(10, [lockstep({ build: 1, render: 2, serialize: 1, write: 1 }), baseline('floor', { build: 1, serialize: 1, write: 1 })]);
    const large = summarize(20, [lockstep({ build: 2, render: 5, serialize: 2, write: 2 }), baseline('floor', { build: 2, serialize: 2, write: 2 })]);
    const s = scaling([small, large]);
    expect(s.agents).toEqual([10, 20]);
    expect(s.sizeRatio).toBe(2);
    expect(s.stages).toEqual({ build: 2, render: 2.5, serialize: 2, write: 2 });
    expect(s.totals).toEqual({ synth: 2.2, floor: 2, cdk8sPlus: null, incremental: null });
  });
});
