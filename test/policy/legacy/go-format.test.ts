import { describe, expect, it } from 'vitest';
import { formatFloatE, formatFloatF, formatFloatG, goSprint } from '../../../src/policy/legacy/go-format.ts';

describe('Go number formatting', () => {
  it('prints float64 like fmt.Sprint, switching to exponents from 1e6', () => {
    expect(formatFloatG(8080)).toBe('8080');
    expect(formatFloatG(0.5)).toBe('0.5');
    expect(formatFloatG(1000000)).toBe('1e+06');
    expect(formatFloatG(1234567)).toBe('1.234567e+06');
    expect(formatFloatG(0.00001)).toBe('1e-05');
    expect(formatFloatG(-2)).toBe('-2');
  });

  it('prints %E and %f forms', () => {
    expect(formatFloatE(1.5)).toBe('1.5E+00');
    expect(formatFloatE(1500)).toBe('1.5E+03');
    expect(formatFloatF(1.5)).toBe('1.500000');
  });

  it('prints composite values like fmt.Sprint', () => {
    expect(goSprint(['a', 1, true, null])).toBe('[a 1 true <nil>]');
    expect(goSprint({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
  });
});
