import { describe, expect, it } from 'vitest';
import { benchmarkPolicies } from '../../src/check/index.ts';
import { deployment, policySet } from './fixtures.ts';

describe('benchmarkPolicies', () => {
  it('counts objects, policies and rules, and repeats until the clock passes the minimum', () => {
    const { objects } = policySet();
    const workloads = [deployment('a'), deployment('b')];
    let t = 0;
    const r = benchmarkPolicies({ objects: workloads, policies: objects.map((o) => ({ file: o.file, json: o.json })), now: () => (t += 100), minMillis: 250 });
    expect(r).toMatchObject({ objects: 2, policies: objects.length, iterations: 3, millis: 300 });
    expect(r.rules).toBeGreaterThan(objects.length);
    expect(r.objectRulesPerSecond).toBeCloseTo((2 * r.rules * 3) / 0.3);
  });
});
