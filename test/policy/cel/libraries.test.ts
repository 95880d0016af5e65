import { describe, expect, it } from 'vitest';
import { compileCel } from '../../../src/policy/cel/engine.ts';
import { celEquals } from '../../../src/policy/cel/libraries.ts';

const run = (source: string) => compileCel(source, 'test').evaluate({});
const fails = (source: string) => () => run(source);

describe('Kubernetes and cel-go extension functions', () => {
  it('implements the Kubernetes lists library', () => {
    expect(run('[1, 2, 2].isSorted()')).toBe(true);
    expect(run('[2, 1].isSorted()')).toBe(false);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(run('[3, 1, 2].min()')).toBe(1n);
    expect(run('["b", "c", "a"].max()')).toBe('c');
    expect(run('[1, 2, 1].indexOf(1)')).toBe(0n);
    expect(run('[1, 2, 1].lastIndexOf(1)')).toBe(2n);
    expect(run('[1].indexOf(5)')).toBe(-1n);
  });

  it('fails when min() is called on an empty list', () => {
    expect(fails('[].min()')).toThrow(/min\(\) called on an empty list/);
  });

  it('fails when sum() mixes ints and doubles', () => {
    expect(fails('[1, 2.5].sum()')).toThrow(/sum\(\) needs a list of one numeric type, got bigint and number/);
  });

  it('fails when values have no ordering', () => {
    expect(fails('[1, "a"].isSorted()')).toThrow(/no ordering between bigint and string values/);
  });

  it('implements the Kubernetes regex library', () => {
    expect(run('"abc123".find("[0-9]+")')).toBe('123');
    expect(run('"abc".find("[0-9]+")')).toBe('');
    expect(run('"a1b2c3".findAll("[0-9]")')).toEqual(['1', '2', '3']);
    expect(run('"a1b2c3".findAll("[0-9]", 2)')).toEqual(['1', '2']);
  });

  it('implements the Kubernetes quantity library', () => {
    expect(run('quantity("1Gi").isGreaterThan(quantity("1000Mi"))')).toBe(true);
    expect(run('quantity("500m").isLessThan(quantity("1"))')).toBe(true);
    expect(run('quantity("1k").compareTo(quantity("1000"))')).toBe(0n);
    expect(run('quantity("1").add(2).asInteger()')).toBe(3n);
    expect(run('quantity("1").sub(quantity("2")).sign()')).toBe(-1n);
    expect(run('isQuantity("2Gi") && !isQuantity("two")')).toBe(true);
    expect(run('quantity("1.5").isInteger()')).toBe(false);
    expect(run('quantity("1.5").asApproximateFloat()')).toBe(1.5);
  });

  it('implements the strings extension functions cel-js lacks', () => {
    expect(run('"abc".charAt(1)')).toBe('b');
    expect(run('"a-b-c".replace("-", "_")')).toBe('a_b_c');
    expect(run('"a-b-c".replace("-", "_", 1)')).toBe('a_b-c');
    expect(run('"abc".reverse()')).toBe('cba');
    expect(run('strings.quote("a\\"b")')).toBe('"a\\"b"');
  });

  it('fails when charAt is out of range', () => {
    expect(fails('"abc".charAt(9)')).toThrow(/index out of range: 9/);
  });

  it('implements the lists extension', () => {
    expect(run('[1, 2, 3].slice(1, 3)')).toEqual([2n, 3n]);
    expect(run('[[1], [2, 3]].flatten()')).toEqual([1n, 2n, 3n]);
    expect(run('[1, 2, 1].distinct()')).toEqual([1n, 2n]);
    expect(run('[1, 2].reverse()')).toEqual([2n, 1n]);
    expect(run('[3, 1, 2].sort()')).toEqual([1n, 2n, 3n]);
    expect(run('lists.range(3)')).toEqual([0n, 1n, 2n]);
  });

  it('fails when slice is out of range', () => {
    expect(fails('[1].slice(0, 5)')).toThrow(/slice\(0, 5\) out of range for a list of size 1/);
  });

  it('implements the sets extension', () => {
    expect(run('sets.contains([1, 2], [2])')).toBe(true);
    expect(run('sets.equivalent([1, 2], [2, 1, 1])')).toBe(true);
    expect(run('sets.intersects([1], [2])')).toBe(false);
  });

  it('implements the math extension', () => {
    expect(run('math.greatest(1, 5, 3)')).toBe(5n);
    expect(run('math.least([4, 2])')).toBe(2n);
    expect(run('math.abs(-3)')).toBe(3n);
    expect(run('math.ceil(1.2)')).toBe(2);
    expect(run('math.round(-1.5)')).toBe(-2);
  });

  it('implements base64 encoders', () => {
    expect(run('base64.encode(b"hi")')).toBe('aGk=');
    expect(run('base64.decode("aGk=") == b"hi"')).toBe(true);
  });

  it('compares int and double numerically in CEL equality', () => {
    expect(celEquals(1n, 1)).toBe(true);
    expect(celEquals({ a: [1n] }, { a: [1n] })).toBe(true);
    expect(celEquals({ a: 1n }, { b: 1n })).toBe(false);
  });
});
