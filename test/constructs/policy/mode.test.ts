import { describe, expect, it } from 'vitest';
import { assertPolicyMode, failureActionFor, validationActionsFor } from '../../../constructs/index.ts';

describe('policy modes', () => {
  it('maps modes to ValidatingPolicy actions and ClusterPolicy failure actions', () => {
    expect(validationActionsFor('Preview')).toEqual(['Audit']);
    expect(validationActionsFor('Deny')).toEqual(['Deny']);
    expect(failureActionFor('Deny')).toBe('Enforce');
    expect(failureActionFor('Warn')).toBe('Audit');
  });

  it('fails when a mode is not Preview, Audit, Warn or Deny', () => {
    expect(() => assertPolicyMode('policies.defaultMode', 'enforce')).toThrow(/policies.defaultMode must be one of Preview, Audit, Warn, Deny, got "enforce"/);
  });
});
