import { describe, expect, it } from 'vitest';
import { compileKyvernoJp, queryContext } from '../../../src/policy/legacy/jmespath.ts';

describe('Kyverno JMESPath dialect', () => {
  it('evaluates multiselect lists, flattening and Kyverno functions', () => {
    const doc = { spec: { initContainers: [{ n: 'i' }], containers: [{ n: 'c' }] } };
    expect(queryContext('spec.[ephemeralContainers, initContainers, containers][].n', doc)).toEqual(['i', 'c']);
    expect(queryContext("to_upper('a')", {})).toBe('A');
    expect(queryContext('missing.path', doc)).toBeNull();
  });

  it('fails on community-only syntax and functions', () => {
    expect(() => compileKyvernoJp('let $x = `1` in $x')).toThrow(/uses let expressions, which Kyverno's JMESPath dialect does not support/);
    expect(() => compileKyvernoJp('a + b')).toThrow(/uses arithmetic operators/);
    expect(() => compileKyvernoJp('$.a')).toThrow(/uses the \$ root reference/);
    expect(() => compileKyvernoJp('a ? b : c')).toThrow(/uses the ternary operator/);
    expect(() => compileKyvernoJp('-a')).toThrow(/uses unary arithmetic/);
    expect(() => compileKyvernoJp("upper('a')")).toThrow(/JMESPath function upper\(\) in "upper\('a'\)" is not a Kyverno function/);
    expect(() => compileKyvernoJp('a.[')).toThrow(/invalid JMESPath expression/);
  });

  it('fails queries whose functions error, naming the query', () => {
    expect(() => queryContext('time_now()', {})).toThrow(/JMESPath query "time_now\(\)" failed/);
  });
});
