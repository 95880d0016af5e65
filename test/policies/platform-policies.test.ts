import { ApiObject, App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Platform } from '../../constructs/index.ts';
import { EnvironmentContext } from '../../src/platform/context.ts';
import { platformPolicies } from '../../src/platform/policies.ts';
import { environment } from '../check/fixtures.ts';

const options = { ecaNamespace: 'eca', auditedNamespaces: ['apps'], auditLabelDomain: 'audit.example.com' };

function build(env = environment()) {
  const platform = new Platform(new App(), 'e');
  const set = platformPolicies(platform, new EnvironmentContext(env, 'environments/e.yaml'), options);
  const rendered = platform.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
  return { set, rendered };
}

describe('platformPolicies', () => {
  it('adds the full policy set in production, each in the environment default mode', () => {
    const { set } = build();
    expect(set.policies.map((p) => `${p.name}:${p.mode}`)).toEqual([
      'disallow-ephemeral-containers:Deny',
      'disallow-host-namespaces:Deny',
      'disallow-latest-tag:Deny',
      'disallow-privileged-containers:Deny',
      'eca-isolation:Deny',
      'require-audit-labels:Deny',
      'require-image-digest:Deny',
      'require-pod-security-labels:Deny',
      'require-pod-security-restricted:Deny',
      'require-readonly-root-filesystem:Deny',
      'require-requests-and-limits:Deny',
      'require-sbom-annotation:Deny',
    ]);
  });

  it('leaves digests, audit labels and SBOMs out of dev', () => {
    const names = build(environment({ stage: 'dev', requireSbom: false })).set.policies.map((p) => p.name);
    expect(names).not.toContain('require-image-digest');
    expect(names).not.toContain('require-audit-labels');
    expect(names).not.toContain('require-sbom-annotation');
  });

  it('takes a per-policy mode from the environment, Preview policies staying out of the manifests', () => {
    const { set, rendered } = build(environment({ modes: { 'disallow-latest-tag': 'Preview', 'eca-isolation': 'Warn' } }));
    expect(set.policies.find((p) => p.name === 'eca-isolation')!.mode).toBe('Warn');
    expect(rendered.map((o) => o.metadata.name)).not.toContain('disallow-latest-tag');
    expect(rendered.find((o) => o.metadata.name === 'eca-isolation')!.spec.validationActions).toEqual(['Audit', 'Warn']);
  });

  it('matches the ephemeral containers subresource as well as Pods', () => {
    const vp = build().rendered.find((o) => o.metadata.name === 'disallow-ephemeral-containers')!;
    expect(vp.spec.matchConstraints.resourceRules[0].resources).toEqual(['pods', 'pods/ephemeralcontainers']);
  });

  it('renders legacy ClusterPolicies when the environment asks for them', () => {
    const kinds = new Set(build(environment({ legacy: true })).rendered.map((o) => o.kind));
    expect([...kinds]).toEqual(['ClusterPolicy']);
  });

  it('fails when the environment sets a mode for a policy the platform does not have', () => {
    expect(() => build(environment({ modes: { 'disallow-latset-tag': 'Audit' } }))).toThrow(/environments\/e.yaml: \/policies\/modes\/disallow-latset-tag: no policy named "disallow-latset-tag" in the platform for stage production; remove it or use one of: disallow-ephemeral-containers/);
  });
});
