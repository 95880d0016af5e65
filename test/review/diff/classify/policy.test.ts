import { describe, expect, it } from 'vitest';
import { classifyPolicy, ruleActions } from '../../../../src/review/diff/classify/policy.ts';

const vpol = (actions: string[], validations = [{ expression: 'a' }, { expression: 'b' }], failurePolicy = 'Fail') => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'p' },
  spec: { validationActions: actions, failurePolicy, validations },
});
const cpol = (actions: Record<string, string>, top?: string) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p' },
  spec: { ...(top ? { validationFailureAction: top } : {}), rules: Object.entries(actions).map(([name, a]) => ({ name, validate: a ? { failureAction: a } : {} })) },
});

describe('classifyPolicy', () => {
  it('flags a ValidatingPolicy moved from Deny to Audit or Warn', () => {
    expect(classifyPolicy(vpol(['Deny']), vpol(['Audit', 'Warn']))).toEqual([
      { class: 'policy-relaxed', pointer: '/spec/validationActions', message: 'validationActions [Deny] → [Audit, Warn] (violations are admitted)' },
    ]);
    expect(classifyPolicy(vpol(['Audit']), vpol(['Deny']))).toEqual([]);
  });

  it('flags removed validations and failurePolicy Ignore', () => {
    expect(classifyPolicy(vpol(['Deny']), vpol(['Deny'], [{ expression: 'a' }])).map((n) => n.message)).toEqual(['validation removed: b']);
    expect(classifyPolicy(vpol(['Deny']), vpol(['Deny'], undefined, 'Ignore'))[0]!.pointer).toBe('/spec/failurePolicy');
  });

  it('flags a ClusterPolicy rule moved from Enforce to Audit, also through the policy-wide default', () => {
    expect(classifyPolicy(cpol({ r1: 'Enforce', r2: 'Enforce' }), cpol({ r1: 'Enforce', r2: 'Audit' }))).toEqual([
      { class: 'policy-relaxed', pointer: '/spec/rules/1/validate/failureAction', message: 'rule r2: failureAction Enforce → Audit (violations are admitted)' },
    ]);
    expect(classifyPolicy(cpol({ r1: '' }, 'Enforce'), cpol({ r1: '' }, 'Audit'))[0]!.pointer).toBe('/spec/validationFailureAction');
    expect(ruleActions(cpol({ r1: '' }))).toEqual(new Map([['r1', 'Audit']]));
  });

  it('flags removed rules and removed policies', () => {
    expect(classifyPolicy(cpol({ r1: 'Enforce', r2: 'Audit' }), cpol({ r1: 'Enforce' }))[0]!.message).toBe('validate rule r2 removed');
    expect(classifyPolicy(vpol(['Deny']), undefined)[0]!.message).toBe('ValidatingPolicy removed: nothing enforces its rules any more');
  });

  it('flags a new PolicyException', () => {
    const ex = { apiVersion: 'kyverno.io/v2', kind: 'PolicyException', metadata: { name: 'e', namespace: 'n' }, spec: { exceptions: [{ policyName: 'restricted', ruleNames: ['privileged'] }] } };
    expect(classifyPolicy(undefined, ex)[0]!.message).toBe('new PolicyException: exempts matching resources from restricted (privileged)');
  });

  it('ignores objects that are not policies', () => {
    expect(classifyPolicy(undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'x' } })).toEqual([]);
  });
});
