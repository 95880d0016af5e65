import { describe, expect, it } from 'vitest';
import { conditionOperator } from '../../../src/policy/legacy/operators.ts';

const op = (name: string) => conditionOperator(name);

describe('conditionOperator', () => {
  it('compares with Equals and NotEquals, wildcards on the value side', () => {
    expect(op('Equals')('CREATE', 'CREATE')).toBe(true);
    expect(op('equals')('nginx:1', 'nginx:*')).toBe(true);
    expect(op('NotEquals')('CREATE', 'DELETE')).toBe(true);
    expect(op('NotEquals')('DELETE', 'DELETE')).toBe(false);
    expect(op('Equals')(1, '1')).toBe(true);
    expect(op('Equals')('1Gi', '1024Mi')).toBe(true);
    expect(op('Equals')('1h', '60m')).toBe(true);
    expect(op('NotEquals')(true, 'true')).toBe(true);
    expect(op('Equals')({ a: 1 }, { a: 1 })).toBe(true);
  });

  it('evaluates AnyNotIn on lists, scalars and ranges', () => {
    const allowed = ['NET_BIND_SERVICE', 'CHOWN'];
    expect(op('AnyNotIn')(['CHOWN'], allowed)).toBe(false);
    expect(op('AnyNotIn')(['CHOWN', 'SYS_ADMIN'], allowed)).toBe(true);
    expect(op('AnyNotIn')([], allowed)).toBe(false);
    expect(op('AnyNotIn')('ALL', ['NET_RAW'])).toBe(true);
    expect(op('AnyNotIn')('ALL', ['ALL'])).toBe(false);
    expect(op('AnyNotIn')([5500], '5000-6000')).toBe(false);
    expect(op('AnyNotIn')([5500, 8080], '5000-6000')).toBe(true);
    expect(op('AnyNotIn')([0], [0])).toBe(false);
  });

  it('evaluates AnyIn, AllIn and AllNotIn', () => {
    expect(op('AnyIn')(['a', 'b'], ['b'])).toBe(true);
    expect(op('AnyIn')('b', '["a","b"]')).toBe(true);
    expect(op('AllIn')(['a', 'b'], ['a', 'b', 'c'])).toBe(true);
    expect(op('AllIn')(['a', 'z'], ['a', 'b'])).toBe(false);
    expect(op('AllNotIn')(['x', 'y'], ['a'])).toBe(true);
    // Kyverno's isAllNotIn is true unless every key is in the set (Go quirk, kept).
    expect(op('AllNotIn')(['x', 'a'], ['a'])).toBe(true);
    expect(op('AllNotIn')(['a'], ['a'])).toBe(false);
    expect(op('AnyIn')(['team-*'], ['team-a'])).toBe(true);
  });

  it('compares numbers, quantities and durations', () => {
    expect(op('GreaterThan')(3, 2)).toBe(true);
    expect(op('GreaterThanOrEquals')('2', '2')).toBe(true);
    expect(op('LessThan')('500Mi', '1Gi')).toBe(true);
    expect(op('LessThanOrEquals')('2h', '1h')).toBe(false);
    expect(op('GreaterThan')('1.2.3', '1.2.0')).toBe(true);
    expect(op('GreaterThan')(true, 1)).toBe(false);
  });

  it('fails when the operator is deprecated or unknown', () => {
    expect(() => op('In')).toThrow(/deprecated operator In is not supported; use AnyIn or AllIn/);
    expect(() => op('NotIn')).toThrow(/deprecated operator NotIn is not supported/);
    expect(() => op('DurationGreaterThan')).toThrow(/deprecated Duration\* operators are not supported/);
    expect(() => op('Equalz')).toThrow(/unknown condition operator "Equalz"; use one of Equal, Equals/);
  });
});
