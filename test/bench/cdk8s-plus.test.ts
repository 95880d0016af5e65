import { describe, expect, it } from 'vitest';
import { loadAll } from 'js-yaml';
import { buildCdk8sPlusApp } from '../../src/bench/cdk8s-plus.ts';
import { benchInputs, renderPolicyObjects } from '../../src/bench/platform.ts';
import { benchSpec, countKinds, expectedKinds } from '../../src/bench/spec.ts';
import { yamlKinds } from '../../src/bench/stages.ts';

describe('the cdk8s-plus baseline', () => {
  const spec = benchSpec(51);
  const policies = renderPolicyObjects(spec, benchInputs(spec, '/nonexistent-bench-root'));
  const yaml = buildCdk8sPlusApp(spec, policies).synthYaml();
  const docs = loadAll(yaml) as Record<string, any>[];

  it('renders the same objects by kind as Lockstep, in one chart', () => {
    const expected = countKinds([...Object.entries(expectedKinds(51)).flatMap(([kind, n]) => Array.from({ length: n }, () => ({ kind }))), ...policies]);
    expect(countKinds(docs)).toEqual(expected);
    expect(yamlKinds(yaml)).toEqual(expected);
  });

  it('names the objects as Lockstep does', () => {
    const ids = (list: Record<string, any>[]) => list.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    expect(ids(docs.filter((o) => o.metadata.namespace === 'tenant-0002'))).toEqual([
      'Deployment tenant-0002/gateway',
      'LimitRange tenant-0002/container-defaults',
      'NetworkPolicy tenant-0002/allow-dns',
      'NetworkPolicy tenant-0002/default-deny',
      'NetworkPolicy tenant-0002/gateway',
      'ResourceQuota tenant-0002/compute',
      'Role tenant-0002/gateway-access',
      'RoleBinding tenant-0002/gateway-access',
      'Service tenant-0002/gateway',
      'ServiceAccount tenant-0002/gateway',
    ]);
  });

  it('opens the gateway flow on both sides', () => {
    const np = (name: string) => docs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'tenant-0001' && o.metadata.name === name)!;
    expect(np('gateway').spec.ingress).toHaveLength(49);
    expect(np('agent-00001').spec.egress).toHaveLength(2);
  });

  it('counts top-level kinds of a YAML stream without parsing it', () => {
    const stream = 'kind: A\nmetadata:\n  kind: nested\n---\nkind: B\n---\nkind: A\n';
    expect(yamlKinds(stream)).toEqual({ A: 2, B: 1 });
  });
});
