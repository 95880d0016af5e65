import { describe, expect, it } from 'vitest';
import { search } from '@jmespath-community/jmespath';
import { Bindings } from '../../../src/policy/json/bindings.ts';
import { compileJp, KyvernoJmesPath } from '../../../src/policy/json/jmespath.ts';

const rt = new KyvernoJmesPath();
const run = (expr: string, value: unknown = {}, bindings = Bindings.empty): unknown => rt.evaluate(compileJp(expr), value, bindings);

describe('compileJp', () => {
  it('records the variables and functions an expression uses', () => {
    const c = compileJp('ends_with(image, $tag) && contains($allowed, name)');
    expect([...c.variables].sort()).toEqual(['allowed', 'tag']);
    expect([...c.functions].sort()).toEqual(['contains', 'ends_with']);
  });

  it('fails when the expression does not parse', () => {
    expect(() => compileJp('spec.[')).toThrow(/invalid JMESPath expression "spec\.\[": Syntax error/);
  });

  it('fails when a function is unknown, naming it', () => {
    expect(() => compileJp('frobnicate(@)')).toThrow(/unknown JMESPath function frobnicate\(\) in "frobnicate\(@\)"/);
  });

  it('fails when a Kyverno function is deliberately unsupported, naming it and why', () => {
    expect(() => compileJp("random('[a-z]{5}')")).toThrow(/JMESPath function random\(\) .* is not supported: it is non-deterministic/);
    expect(() => compileJp('x509_decode(@)')).toThrow(/x509_decode\(\) .* is not supported/);
  });
});

describe('KyvernoJmesPath', () => {
  it('uses the current value as both @ and $', () => {
    expect(run('[@.a, $.a]', { a: 1 })).toEqual([1, 1]);
  });

  it('resolves $bindings, including falsy values under an inner let', () => {
    const b = Bindings.empty.with('zero', 0).with('no', false);
    expect(run('let $x = `1` in [$zero, $no, $x]', {}, b)).toEqual([0, false, 1]);
  });

  it('lets a let binding shadow an outer binding', () => {
    expect(run("let $tag = 'inner' in $tag", {}, Bindings.empty.with('tag', 'outer'))).toBe('inner');
  });

  it('fails when a variable is not bound', () => {
    expect(() => run('$missing')).toThrow(/undefined variable/);
  });

  it('evaluates lazy bindings once and only when referenced', () => {
    let calls = 0;
    const b = Bindings.empty.withLazy('n', () => ++calls).withLazy('broken', () => {
      throw new Error('never evaluated');
    });
    expect(run('[$n, $n]', {}, b)).toEqual([1, 1]);
    expect(calls).toBe(1);
  });

  it('supports JMESPath Community arithmetic and not', () => {
    expect(run('[bar + bat, bar > `3`, !baz]', { bar: 4, bat: 6, baz: true })).toEqual([10, true, false]);
  });

  it('does not leak Kyverno overrides into the global JMESPath registry', () => {
    run("split('a,b', ',')");
    expect(search({}, "split('a,b', ',')")).toEqual(['a', 'b']);
    expect(() => search({}, "concat('a', 'b')")).toThrow(/Unknown function/);
  });
});
