import { describe, expect, it } from 'vitest';
import { areaOf, formatProfileSummary, moduleOf, summarizeCpuProfile, type CpuProfile } from '../../src/bench/profile.ts';

const ROOT = '/repo';
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9, columnNumber: 0 });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('dump', 'file:///repo/node_modules/js-yaml/dist/js-yaml.mjs') },
    { id: 3, callFrame: frame('toJson', 'file:///repo/constructs/core/kube-object.ts') },
    { id: 4, callFrame: frame('(garbage collector)', '') },
    { id: 5, callFrame: frame('(idle)', '') },
    { id: 6, callFrame: frame('evaluate', 'file:///repo/node_modules/@marcbachmann/cel-js/lib/evaluator.js') },
  ],
  samples: [2, 2, 3, 4, 5, 6, 2],
  timeDeltas: [1000, 1000, 2000, 1000, 50000, 1000, 2000],
};

describe('moduleOf', () => {
  it('names npm packages (scoped too), repository files, Node internals and V8 frames', () => {
    expect(moduleOf(frame('x', 'file:///repo/node_modules/cdk8s/lib/app.js'), ROOT)).toBe('cdk8s');
    expect(moduleOf(frame('x', 'file:///repo/node_modules/@marcbachmann/cel-js/lib/a.js'), ROOT)).toBe('@marcbachmann/cel-js');
    expect(moduleOf(frame('x', 'file:///repo/src/synth/render.ts'), ROOT)).toBe('src/synth/render.ts');
    expect(moduleOf(frame('x', 'node:internal/fs/promises'), ROOT)).toBe('node:internal');
    expect(moduleOf(frame('(garbage collector)', ''), ROOT)).toBe('GC');
  });
});

describe('areaOf', () => {
  it('collapses repository files to their top two folders and keeps packages', () => {
    expect(areaOf('src/policy/cel/engine.ts')).toBe('src/policy');
    expect(areaOf('constructs/core/kube-object.ts')).toBe('constructs/core');
    expect(areaOf('cdk8s')).toBe('cdk8s');
  });
});

describe('summarizeCpuProfile', () => {
  it('adds self time per module and function from the sample deltas, without idle time', () => {
    const s = summarizeCpuProfile(profile, ROOT);
    expect(s.totalMillis).toBe(8);
    expect(s.modules.map((m) => [m.name, m.millis, m.share])).toEqual([
      ['js-yaml', 4, 0.5],
      ['constructs/core/kube-object.ts', 2, 0.25],
      ['@marcbachmann/cel-js', 1, 0.125],
      ['GC', 1, 0.125],
    ]);
    expect(s.areas[1]).toMatchObject({ name: 'constructs/core', millis: 2 });
    expect(s.functions[0]).toMatchObject({ name: 'dump (js-yaml:10)', module: 'js-yaml', millis: 4 });
    expect(s.functions.map((f) => f.name)).toContain('toJson (constructs/core/kube-object.ts)');
    expect(formatProfileSummary(s, 'test')).toMatch(/test: 0\.01 s sampled[^]*js-yaml\s+4 ms\s+50\.0 %/);
  });
});
