import { App } from 'cdk8s';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AdmissionPolicy, Platform, PolicyResource } from '../../constructs/index.ts';
import { modeOfPolicy, previewPolicyFiles } from '../../src/check/index.ts';

describe('previewPolicyFiles', () => {
  it('writes Preview policies under policies/preview, outside manifests/', () => {
    const platform = new Platform(new App(), 'e');
    const props = { title: 't', category: 'c', severity: 'low' as const, description: 'd', match: { resources: [PolicyResource.PODS] }, validations: [{ name: 'v', expression: 'true', message: 'm' }] };
    new AdmissionPolicy(platform, 'a', { ...props, name: 'b-policy', mode: 'Preview' });
    new AdmissionPolicy(platform, 'b', { ...props, name: 'a-policy', mode: 'Deny' });
    const files = previewPolicyFiles(platform);
    expect([...files.keys()]).toEqual(['policies/preview/validatingpolicy_b-policy.yaml']);
    const doc = jsYaml.load(files.get('policies/preview/validatingpolicy_b-policy.yaml')!) as Record<string, any>;
    expect(modeOfPolicy(doc)).toBe('Preview');
  });
});

describe('modeOfPolicy', () => {
  it('reads the mode from validationActions or failureAction when the annotation is absent', () => {
    expect(modeOfPolicy({ spec: { validationActions: ['Audit', 'Warn'] } })).toBe('Warn');
    expect(modeOfPolicy({ spec: { validationActions: ['Deny'] } })).toBe('Deny');
    expect(modeOfPolicy({ spec: { rules: [{ validate: { failureAction: 'Enforce' } }] } })).toBe('Deny');
    expect(modeOfPolicy({ spec: { rules: [{ validate: { failureAction: 'Audit' } }], emitWarning: true } })).toBe('Warn');
  });
});
