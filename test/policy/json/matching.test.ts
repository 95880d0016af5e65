import { describe, expect, it } from 'vitest';
import { equalValue, matchValue } from '../../../src/policy/json/matching.ts';

describe('matchValue', () => {
  it('matches maps as subsets', () => {
    expect(matchValue({ Team: 'a' }, { Team: 'a', Env: 'dev' })).toBe(true);
    expect(matchValue({ Team: 'a' }, { Env: 'dev' })).toBe(false);
  });

  it('matches arrays element by element with equal lengths', () => {
    expect(matchValue([1, { a: 1 }], [1, { a: 1, b: 2 }])).toBe(true);
    expect(matchValue([1], [1, 2])).toBe(false);
  });

  it('fails when an expected array meets a non-array', () => {
    expect(() => matchValue([1], 'x')).toThrow(/invalid actual value, must be a slice, found string/);
  });

  it('fails when an expected map meets a non-map', () => {
    expect(() => matchValue({ a: 1 }, 3)).toThrow(/invalid actual value, must be a map, found int64/);
  });
});

describe('equalValue', () => {
  it('treats null as equal only to null', () => {
    expect(equalValue(null, null)).toBe(true);
    expect(equalValue(null, 0)).toBe(false);
    expect(equalValue('a', undefined)).toBe(false);
  });

  it('compares numbers by value', () => {
    expect(equalValue(4, 4.0)).toBe(true);
  });

  it('fails when types are not comparable', () => {
    expect(() => equalValue('4', 4)).toThrow(/types are not comparable, string - int64/);
    expect(() => equalValue(true, { a: 1 })).toThrow(/types are not comparable, boolean - map/);
  });
});
