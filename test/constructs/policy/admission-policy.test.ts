import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AdmissionPolicy, Platform, PolicyResource, previewPolicies, type AdmissionPolicyProps } from '../../../constructs/index.ts';
import { checks, find, render } from '../../helpers.ts';

const base: AdmissionPolicyProps = {
  name: 'no-host-network',
  title: 'No Host Network',
  category: 'Pod Security',
  severity: 'high',
  description: 'Pods do not use the host network.',
  mode: 'Deny',
  match: { resources: [PolicyResource.PODS] },
  validations: [{ name: 'host-network', expression: '!object.spec.?hostNetwork.orValue(false)', message: 'hostNetwork is true' }],
};

describe('AdmissionPolicy', () => {
  it('renders a policies.kyverno.io/v1 ValidatingPolicy named after the policy, with Kyverno annotations', () => {
    const vp = find(render((p) => new AdmissionPolicy(p, 'p', base)), 'ValidatingPolicy', 'no-host-network');
    expect(vp.apiVersion).toBe('policies.kyverno.io/v1');
    expect(vp.metadata.annotations).toMatchObject({
      'policies.kyverno.io/title': 'No Host Network',
      'policies.kyverno.io/category': 'Pod Security',
      'policies.kyverno.io/severity': 'high',
      'policies.kyverno.io/description': 'Pods do not use the host network.',
      'policies.kyverno.io/subject': 'Pod',
      'lockstep.dev/policy-mode': 'Deny',
      'lockstep.dev/validations': 'host-network',
    });
    expect(vp.spec).toMatchObject({
      validationActions: ['Deny'],
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
      validations: [{ expression: '!object.spec.?hostNetwork.orValue(false)', message: 'hostNetwork is true' }],
    });
    expect(vp.spec.autogen).toBeUndefined();
  });

  it('maps each mode to validationActions without editing the policy', () => {
    const actions = (mode: AdmissionPolicyProps['mode']) => find(render((p) => new AdmissionPolicy(p, 'p', { ...base, mode })), 'ValidatingPolicy').spec.validationActions;
    expect(actions('Deny')).toEqual(['Deny']);
    expect(actions('Audit')).toEqual(['Audit']);
    expect(actions('Warn')).toEqual(['Audit', 'Warn']);
  });

  it('emits nothing into the manifests in Preview mode, but lists the policy for lockstep check', () => {
    const platform = new Platform(new App(), 'test');
    const policy = new AdmissionPolicy(platform, 'p', { ...base, mode: 'Preview' });
    expect(policy.apiObject).toBeUndefined();
    const previews = previewPolicies(platform);
    expect(previews).toHaveLength(1);
    expect(previews[0]).toMatchObject({ name: 'no-host-network', constructPath: 'test/p' });
    expect(previews[0]!.document).toMatchObject({ kind: 'ValidatingPolicy', metadata: { annotations: { 'lockstep.dev/policy-mode': 'Preview' } }, spec: { validationActions: ['Audit'] } });
  });

  it('renders namespaces as a request.namespace match condition, so Pod autogen stays on', () => {
    const vp = find(render((p) => new AdmissionPolicy(p, 'p', { ...base, match: { resources: [PolicyResource.PODS], namespaces: ['project-ai-eca'] } })), 'ValidatingPolicy');
    expect(vp.spec.matchConditions).toEqual([{ name: 'lockstep-namespaces', expression: "request.namespace in ['project-ai-eca']" }]);
    expect(vp.spec.matchConstraints.namespaceSelector).toBeUndefined();
  });

  it('switches autogen off for a Pod-only policy with an empty controller list', () => {
    const vp = find(render((p) => new AdmissionPolicy(p, 'p', { ...base, autogen: false })), 'ValidatingPolicy');
    expect(vp.spec.autogen).toEqual({ podControllers: { controllers: [] } });
  });

  it('groups resources by API group and version, including subresources and names', () => {
    const vp = find(
      render((p) => new AdmissionPolicy(p, 'p', { ...base, match: { resources: [PolicyResource.PODS, PolicyResource.PODS_EPHEMERAL_CONTAINERS, PolicyResource.DEPLOYMENTS], names: ['a'] } })),
      'ValidatingPolicy',
    );
    expect(vp.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers'], resourceNames: ['a'] },
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'], resourceNames: ['a'] },
    ]);
  });

  it('renders a legacy ClusterPolicy with one validate.cel rule per validation and rule-level failureAction', () => {
    const cp = find(
      render((p) => {
        const policy = new AdmissionPolicy(p, 'p', { ...base, mode: 'Warn', legacyClusterPolicy: true, autogen: false, match: { resources: [PolicyResource.PODS], namespaces: ['ns1'] } });
        policy.addVariable({ name: 'spec', expression: 'object.spec' });
        policy.addValidation({ name: 'host-pid', expression: '!variables.spec.?hostPID.orValue(false)', messageExpression: "'hostPID is ' + string(object.spec.hostPID)" });
      }),
      'ClusterPolicy',
    );
    expect(cp.apiVersion).toBe('kyverno.io/v1');
    expect(cp.metadata.annotations['pod-policies.kyverno.io/autogen-controllers']).toBe('none');
    expect(cp.spec.validationFailureAction).toBeUndefined();
    expect(cp.spec).toMatchObject({ emitWarning: true, background: true, webhookConfiguration: { failurePolicy: 'Fail' } });
    expect(cp.spec.rules.map((r: any) => r.name)).toEqual(['host-network', 'host-pid']);
    expect(cp.spec.rules[1]).toEqual({
      name: 'host-pid',
      match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['ns1'], operations: ['CREATE', 'UPDATE'] } }] },
      validate: {
        failureAction: 'Audit',
        cel: { expressions: [{ expression: '!variables.spec.?hostPID.orValue(false)', messageExpression: "'hostPID is ' + string(object.spec.hostPID)" }], variables: [{ name: 'spec', expression: 'object.spec' }] },
      },
    });
    expect(cp.metadata.annotations['lockstep.dev/validations']).toBe('host-network,host-pid');
  });

  it('uses Enforce for Deny and group/version/Kind names for non-core kinds in a ClusterPolicy', () => {
    const cp = find(render((p) => new AdmissionPolicy(p, 'p', { ...base, legacyClusterPolicy: true, match: { resources: [PolicyResource.DEPLOYMENTS, PolicyResource.PODS_EPHEMERAL_CONTAINERS] } })), 'ClusterPolicy');
    expect(cp.spec.rules[0].validate.failureAction).toBe('Enforce');
    expect(cp.spec.rules[0].match.any[0].resources.kinds).toEqual(['apps/v1/Deployment', 'Pod/ephemeralcontainers']);
    expect(cp.spec.emitWarning).toBeUndefined();
  });

  it('fails when autogen is asked for a match that is not exactly Pods', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, autogen: true, match: { resources: [PolicyResource.PODS], objectSelector: { matchLabels: { a: 'b' } } } }))).toThrow(
      /autogen needs a match of exactly PolicyResource.PODS/,
    );
  });

  it('fails when the name is not a DNS subdomain', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, name: 'No_Caps' }))).toThrow(/AdmissionPolicy name must be a DNS subdomain/);
  });

  it('fails when the mode is not a known mode', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, mode: 'Enforce' as never }))).toThrow(/mode must be one of Preview, Audit, Warn, Deny, got "Enforce"/);
  });

  it('fails when match names no resource', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, match: { resources: [] } }))).toThrow(/match.resources must name at least one resource/);
  });

  it('fails when title, category or description is empty', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, title: ' ' }))).toThrow(/title must be a non-empty string/);
  });

  it('fails when a validation name is not kebab-case or repeats', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, validations: [{ name: 'Bad Name', expression: 'true', message: 'm' }] }))).toThrow(/name must be kebab-case/);
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, validations: [...base.validations!, ...base.validations!] }))).toThrow(/a validation with this name already exists/);
  });

  it('fails when a validation has no expression or no message', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, validations: [{ name: 'a', expression: ' ', message: 'm' }] }))).toThrow(/expression must be a non-empty CEL expression/);
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, validations: [{ name: 'a', expression: 'true' }] }))).toThrow(/needs a message or messageExpression/);
  });

  it('fails when a variable name is not a CEL identifier, repeats or has no expression', () => {
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, variables: [{ name: 'all-containers', expression: 'x' }] }))).toThrow(/name must be a CEL identifier/);
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, variables: [{ name: 'a', expression: 'x' }, { name: 'a', expression: 'y' }] }))).toThrow(/a variable with this name already exists/);
    expect(() => render((p) => new AdmissionPolicy(p, 'p', { ...base, variables: [{ name: 'a', expression: '' }] }))).toThrow(/variable "a": expression must be a non-empty CEL expression/);
  });

  it('fails at synth when no validation was ever added', () => {
    expect(checks((p) => new AdmissionPolicy(p, 'p', { ...base, validations: [] }))).toEqual([expect.stringMatching(/has no validations; add one with addValidation/)]);
  });

  it('includes validations added after construction in the rendered policy', () => {
    const vp = find(
      render((p) => new AdmissionPolicy(p, 'p', { ...base, validations: [] }).addValidation({ name: 'later', expression: 'true', message: 'm' })),
      'ValidatingPolicy',
    );
    expect(vp.spec.validations).toEqual([{ expression: 'true', message: 'm' }]);
    expect(vp.metadata.annotations['lockstep.dev/validations']).toBe('later');
  });
});
