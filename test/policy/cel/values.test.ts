import { describe, expect, it } from 'vitest';
import { fromCelValue, toCelValue } from '../../../src/policy/cel/values.ts';

describe('CEL value conversion', () => {
  it('turns integral numbers into bigints and keeps fractions as doubles', () => {
    expect(toCelValue({ a: 1, b: [2.5, 3], c: 'x', d: null, e: undefined })).toEqual({ a: 1n, b: [2.5, 3n], c: 'x', d: null });
  });

  it('turns CEL results back into JSON values', () => {
    expect(fromCelValue({ a: [1n, 'x'], m: new Map([['k', 2n]]) })).toEqual({ a: [1, 'x'], m: { k: 2 } });
    expect(fromCelValue(2n ** 60n)).toBe('1152921504606846976');
  });
});
