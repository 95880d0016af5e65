import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../src/gates/schema/closest.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('imagePullPolicyy', 'imagePullPolicy')).toBe(1);
    expect(editDistance('iamge', 'image')).toBe(1);
    expect(editDistance('port', 'ports')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closest', () => {
  it('suggests the closest candidate for a plausible typo', () => {
    expect(closest('imagePullPolicyy', ['image', 'imagePullPolicy', 'imagePullSecrets'])).toBe('imagePullPolicy');
    expect(closest('servicAccountName', ['serviceAccount', 'serviceAccountName'])).toBe('serviceAccountName');
  });

  it('matches a different case first', () => {
    expect(closest('hostpid', ['hostPID', 'hostIPC'])).toBe('hostPID');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(closest('wishes', ['claims', 'limits', 'requests'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });

  it('never suggests the name itself', () => {
    expect(closest('name', ['name'])).toBeUndefined();
  });
});
