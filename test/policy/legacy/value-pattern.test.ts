import { describe, expect, it } from 'vitest';
import { matchValue, operatorOf } from '../../../src/policy/legacy/value-pattern.ts';

describe('matchValue', () => {
  it('matches wildcards in string patterns', () => {
    expect(matchValue('localhost/profile', 'runtime/default | localhost/*')).toBe(true);
    expect(matchValue('unconfined', 'runtime/default | localhost/*')).toBe(false);
    expect(matchValue('x', '?*')).toBe(true);
    expect(matchValue('', '?*')).toBe(false);
    expect(matchValue(null, '?*')).toBe(false);
  });

  it('compares booleans and numbers through their string form', () => {
    expect(matchValue(false, 'false')).toBe(true);
    expect(matchValue(true, 'false')).toBe(false);
    expect(matchValue(0, 0)).toBe(true);
    expect(matchValue('8080', 8080)).toBe(true);
    expect(matchValue(1.5, '1.5E+00')).toBe(true);
  });

  it('applies numeric operators as quantities, and refuses them on plain strings', () => {
    expect(matchValue(1000, '>0')).toBe(true);
    expect(matchValue(0, '>0')).toBe(false);
    expect(matchValue(null, '>0')).toBe(false);
    expect(matchValue('2Gi', '>1Gi')).toBe(true);
    expect(matchValue('abc', '>0')).toBe(false);
    expect(matchValue('b', '!a')).toBe(true);
  });

  it('compares Go durations', () => {
    expect(matchValue('90s', '>1m')).toBe(true);
    expect(matchValue('30s', '>1m')).toBe(false);
  });

  it('supports ranges, AND and OR', () => {
    expect(operatorOf('5000-6000')).toBe('-');
    expect(operatorOf('5000!-6000')).toBe('!-');
    expect(matchValue(5500, '5000-6000')).toBe(true);
    expect(matchValue(7000, '5000-6000')).toBe(false);
    expect(matchValue(7000, '5000!-6000')).toBe(true);
    expect(matchValue(5, '>1 & <10')).toBe(true);
    expect(matchValue(50, '>1 & <10 | 50')).toBe(true);
  });

  it('lets a null pattern match zero values only, and a map pattern any map', () => {
    expect(matchValue('', null)).toBe(true);
    expect(matchValue(0, null)).toBe(true);
    expect(matchValue(false, null)).toBe(true);
    expect(matchValue('x', null)).toBe(false);
    expect(matchValue({ a: 1 }, {})).toBe(true);
    expect(matchValue([1], [1])).toBe(false);
  });
});
