import { describe, expect, it } from 'vitest';
import { validateArgoCdObject } from '../../../src/delivery/argocd/validate.ts';

const app = (spec: Record<string, unknown>) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec });

describe('validateArgoCdObject', () => {
  it('accepts a valid Application', () => {
    expect(validateArgoCdObject(app({ project: 'p', destination: { server: 'https://s' }, source: { repoURL: 'r', directory: { recurse: true } } }), 'argocd/x.yaml')).toEqual([]);
  });

  it('fails when a field has the wrong type, naming the file, pointer and value', () => {
    expect(validateArgoCdObject(app({ project: 'p', destination: {}, source: { repoURL: 'r', directory: { recurse: 'yes' } } }), 'argocd/dev/application_a.yaml')).toEqual([
      {
        file: 'argocd/dev/application_a.yaml',
        pointer: '/spec/source/directory/recurse',
        message: 'must be boolean, got "yes" (Argo CD Application schema)',
        fix: 'correct the environment setting that produces this field',
        code: 'argocd/schema',
      },
    ]);
  });

  it('fails when a required field is missing', () => {
    const problems = validateArgoCdObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' } }, 'argocd/a.yaml');
    expect(problems.map((p) => `${p.pointer}: ${p.message}`)).toEqual([': is missing the required field "spec" (Argo CD Application schema)']);
  });

  it('fails when a sync window field has the wrong type', () => {
    const problems = validateArgoCdObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { syncWindows: [{ schedule: 5 }] } }, 'argocd/p.yaml');
    expect(problems.map((p) => `${p.pointer}: ${p.message}`)).toEqual(['/spec/syncWindows/0/schedule: must be string, got 5 (Argo CD AppProject schema)']);
  });

  it('fails when the object is not an Argo CD kind it knows', () => {
    expect(validateArgoCdObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'argocd/c.yaml')[0]?.message).toBe('is v1 ConfigMap, which is not an Argo CD object this generator validates');
  });
});
