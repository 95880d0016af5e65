import { describe, expect, it } from 'vitest';
import { Quantity } from '../../../src/policy/cel/quantity.ts';

describe('Quantity', () => {
  it('parses binary, decimal and exponent suffixes exactly', () => {
    expect(Quantity.parse('1Ki').nanos).toBe(1024n * 1_000_000_000n);
    expect(Quantity.parse('1.5Gi').compareTo(Quantity.parse('1536Mi'))).toBe(0n);
    expect(Quantity.parse('100m').nanos).toBe(100_000_000n);
    expect(Quantity.parse('1e3').compareTo(Quantity.parse('1k'))).toBe(0n);
    expect(Quantity.parse('-2').sign()).toBe(-1n);
  });

  it('rounds precision below a nano-unit up, like Kubernetes', () => {
    expect(Quantity.parse('0.1n').nanos).toBe(1n);
  });

  it('fails when the text is not a quantity, quoting it', () => {
    expect(() => Quantity.parse('12 apples')).toThrow(/quantities must match the regular expression .*got "12 apples"/);
    expect(Quantity.tryParse('')).toBeUndefined();
  });

  it('fails when converting a fractional quantity to an integer', () => {
    expect(() => Quantity.parse('1500m').asInteger()).toThrow(/cannot convert quantity 1500m to an integer: it has a fractional part/);
  });

  it('fails when the integer overflows int64', () => {
    expect(() => Quantity.parse('16Ei').asInteger()).toThrow(/quantity 16Ei overflows int64/);
  });
});
