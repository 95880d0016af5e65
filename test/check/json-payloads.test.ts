import { describe, expect, it } from 'vitest';
import { evaluateJsonPayloads } from '../../src/check/index.ts';

const policy = {
  file: 'policies/guard/guard.yaml',
  text: [
    'apiVersion: json.kyverno.io/v1alpha1',
    'kind: ValidatingPolicy',
    'metadata:',
    '  name: guard',
    '  annotations:',
    '    policies.kyverno.io/severity: high',
    '    lockstep.dev/policy-mode: Audit',
    'spec:',
    '  rules:',
    '    - name: deny-default',
    '      match:',
    '        all:',
    '          - kind: Environment',
    '      assert:',
    '        all:',
    '          - message: defaultMode must be Deny',
    '            check:',
    '              policies:',
    '                defaultMode: Deny',
    '',
  ].join('\n'),
};

describe('evaluateJsonPayloads', () => {
  it('scans payloads and reports each rule with the policy mode from its annotation', () => {
    const r = evaluateJsonPayloads([policy], [{ file: 'environments/prod.yaml', resource: { apiVersion: 'lockstep.dev/v1alpha1', kind: 'Environment', name: 'prod' }, payload: { kind: 'Environment', policies: { defaultMode: 'Audit' } } }]);
    expect(r.policies[0]).toMatchObject({ name: 'guard', engine: 'kyverno-json', mode: 'Audit', severity: 'high', rules: ['deny-default'] });
    expect(r.evaluations).toEqual([expect.objectContaining({ policy: 'guard', rule: 'deny-default', result: 'fail', mode: 'Audit', file: 'environments/prod.yaml', message: expect.stringMatching(/defaultMode must be Deny/) })]);
  });

  it('leaves out payloads no rule matches', () => {
    const r = evaluateJsonPayloads([policy], [{ file: 'x.yaml', resource: { apiVersion: 'v1', kind: 'Other', name: 'x' }, payload: { kind: 'Other' } }]);
    expect(r.evaluations).toEqual([]);
  });

  it('fails when a policy file is not a valid kyverno-json policy', () => {
    expect(() => evaluateJsonPayloads([{ file: 'policies/bad/bad.yaml', text: 'apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata: {name: bad}\nspec: {}\n' }], [])).toThrow(/policies\/bad\/bad.yaml/);
  });
});
