import { describe, expect, it } from 'vitest';
import { isValidatingPolicy } from '../../../src/policy/cel/types.ts';

describe('isValidatingPolicy', () => {
  it('recognises the policies.kyverno.io ValidatingPolicy kinds and versions', () => {
    expect(isValidatingPolicy({ apiVersion: 'policies.kyverno.io/v1beta1', kind: 'ValidatingPolicy' })).toBe(true);
    expect(isValidatingPolicy({ apiVersion: 'json.kyverno.io/v1alpha1', kind: 'ValidatingPolicy' })).toBe(false);
    expect(isValidatingPolicy(null)).toBe(false);
  });
});
