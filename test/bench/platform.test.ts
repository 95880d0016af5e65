import { beforeAll, describe, expect, it } from 'vitest';
import { checkObjects } from '../../src/check/check.ts';
import { annotateBenchSboms, benchInputs, buildLockstepPlatform, renderPolicyObjects } from '../../src/bench/platform.ts';
import { benchSpec, countKinds, expectedKinds } from '../../src/bench/spec.ts';
import { renderEnvironment, type Rendering } from '../../src/synth/render.ts';

const spec = benchSpec(100);
const inputs = benchInputs(spec, '/nonexistent-bench-root');
let rendering: Rendering;
const find = (kind: string, ns: string, name: string) => rendering.objects.map((o) => o.json).find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name)!;

beforeAll(() => {
  const built = buildLockstepPlatform(spec, inputs);
  annotateBenchSboms(built.platform, inputs);
  rendering = renderEnvironment(inputs, () => ({ platform: built.platform, context: built.context }));
});

describe('the Lockstep bench platform', () => {
  it('renders the expected objects by kind for 100 agents, plus the platform policies', () => {
    const policies = renderPolicyObjects(spec, inputs);
    expect(policies.length).toBeGreaterThan(0);
    expect(countKinds(rendering.objects.map((o) => o.json))).toEqual(countKinds([...Object.entries(expectedKinds(100)).flatMap(([kind, n]) => Array.from({ length: n }, () => ({ kind }))), ...policies]));
    expect(rendering.problems).toEqual([]);
  });

  it('opens both sides of the flow to the gateway and external egress on 443', () => {
    const agent = find('NetworkPolicy', 'tenant-0001', 'agent-00001');
    expect(agent.spec.egress).toEqual([
      { ports: [{ port: 8080, protocol: 'TCP' }], to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'tenant-0001.gateway', 'app.kubernetes.io/name': 'gateway' } } }] },
      expect.objectContaining({ ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: expect.objectContaining({ cidr: '0.0.0.0/0' }) }] }),
    ]);
    expect(find('NetworkPolicy', 'tenant-0001', 'gateway').spec.ingress).toHaveLength(49);
  });

  it('grants each agent read access to ConfigMaps and its own token Secret', () => {
    expect(find('Role', 'tenant-0002', 'agent-00051-access').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resourceNames: ['agent-00051-token'], resources: ['secrets'], verbs: ['get'] },
    ]);
    expect(find('RoleBinding', 'tenant-0002', 'agent-00051-access').subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent-00051', namespace: 'tenant-0002' }]);
  });

  it('annotates workloads and pod templates with the SBOM digest', () => {
    const d = find('Deployment', 'tenant-0001', 'gateway');
    expect(d.metadata.annotations['lockstep.dev/sbom-sha256']).toBe(spec.sbomSha256);
    expect(d.spec.template.metadata.annotations['lockstep.dev/sbom-sha256']).toBe(spec.sbomSha256);
  });

  it('passes its own policy check, so the bench measures a clean platform', () => {
    const result = checkObjects({ environment: 'bench', objects: rendering.objects.map((o) => ({ file: o.path, json: o.json })) });
    expect(result.findings).toEqual([]);
    expect(result.policies.length).toBe(renderPolicyObjects(spec, inputs).length);
  });
});
