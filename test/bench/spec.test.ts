import { describe, expect, it } from 'vitest';
import { benchSpec, countKinds, expectedKinds } from '../../src/bench/spec.ts';

describe('benchSpec', () => {
  it('spreads 100 agents over two namespaces of 50, each led by its gateway', () => {
    const spec = benchSpec(100);
    expect(spec.namespaces.map((n) => [n.name, n.workloads.length])).toEqual([
      ['tenant-0001', 50],
      ['tenant-0002', 50],
    ]);
    expect(spec.namespaces.map((n) => n.workloads[0])).toEqual([
      { namespace: 'tenant-0001', name: 'gateway', gateway: true, replicas: 2 },
      { namespace: 'tenant-0002', name: 'gateway', gateway: true, replicas: 2 },
    ]);
    expect(spec.namespaces[1]!.workloads[1]).toEqual({ namespace: 'tenant-0002', name: 'agent-00051', gateway: false, replicas: 2 });
    expect(spec.namespaces.flatMap((n) => n.workloads).filter((w) => w.gateway)).toHaveLength(2);
  });

  it('puts the remainder in a last, smaller namespace', () => {
    const spec = benchSpec(101);
    expect(spec.namespaces.map((n) => n.workloads.length)).toEqual([50, 50, 1]);
    expect(spec.namespaces[2]!.workloads[0]!.gateway).toBe(true);
  });

  it('is deterministic and pins the image by digest', () => {
    expect(benchSpec(7)).toEqual(benchSpec(7));
    expect(benchSpec(7).image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(benchSpec(7).sbomSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails when the number of agents is not a whole number ≥ 1', () => {
    expect(() => benchSpec(0)).toThrow(/--agents must be a whole number ≥ 1, got 0/);
    expect(() => benchSpec(2.5)).toThrow(/--agents must be a whole number ≥ 1, got 2.5/);
    expect(() => benchSpec(Number.NaN)).toThrow(/--agents must be a whole number ≥ 1, got null/);
  });
});

describe('expectedKinds', () => {
  it('gives six objects per agent and five per namespace for 100 agents', () => {
    expect(expectedKinds(100)).toEqual({
      Deployment: 100,
      LimitRange: 2,
      Namespace: 2,
      NetworkPolicy: 104,
      ResourceQuota: 2,
      Role: 100,
      RoleBinding: 100,
      Service: 100,
      ServiceAccount: 100,
    });
  });

  it('totals 6N + 5·ceil(N/50) objects', () => {
    for (const n of [1, 49, 50, 51, 1000]) {
      const total = Object.values(expectedKinds(n)).reduce((a, b) => a + b, 0);
      expect(total).toBe(6 * n + 5 * Math.ceil(n / 50));
    }
  });
});

describe('countKinds', () => {
  it('counts objects by kind with the kinds sorted', () => {
    expect(Object.entries(countKinds([{ kind: 'Service' }, { kind: 'Deployment' }, { kind: 'Service' }]))).toEqual([
      ['Deployment', 1],
      ['Service', 2],
    ]);
  });
});
