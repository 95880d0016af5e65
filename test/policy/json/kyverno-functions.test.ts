import { describe, expect, it } from 'vitest';
import { Bindings } from '../../../src/policy/json/bindings.ts';
import { compileJp, KyvernoJmesPath } from '../../../src/policy/json/jmespath.ts';

const clock = () => new Date('2024-03-01T12:00:00Z');
const rt = new KyvernoJmesPath({ now: clock });
const jp = (expr: string, value: unknown = {}): unknown => rt.evaluate(compileJp(expr), value, Bindings.empty);

describe('kyverno-json functions', () => {
  it('at indexes an array', () => {
    expect(jp('at(@, `1`)', ['a', 'b'])).toBe('b');
  });

  it('fails when at is out of range', () => {
    expect(() => jp('at(@, `5`)', ['a'])).toThrow(/JMESPath function 'at': index 5 out of range/);
  });

  it('concat, json_parse and wildcard work on strings', () => {
    expect(jp("concat(':', 'latest')")).toBe(':latest');
    expect(jp("json_parse('{\"a\":[1]}')")).toEqual({ a: [1] });
    expect(jp("[wildcard('?*', 'x'), wildcard('?*', ''), wildcard('bypass-*', 'bypass-1')]")).toEqual([true, false, true]);
  });

  it('fails when json_parse gets invalid JSON', () => {
    expect(() => jp("json_parse('{')")).toThrow(/JMESPath function 'json_parse'/);
  });

  it('contains follows Go: false for a non-string in a string, deep equality in arrays', () => {
    expect(jp("contains('@', Team)", { Team: null })).toBe(false);
    expect(jp('contains(@, `{"a":1}`)', [{ a: 1 }])).toBe(true);
  });

  it('fails when contains gets neither a string nor an array', () => {
    expect(() => jp('contains(`1`, `1`)')).toThrow(/'contains': argument #1 must be an array or a string, got number/);
  });
});

describe('Kyverno string functions', () => {
  it('compare, equal_fold, to_upper, to_lower', () => {
    expect(jp("[compare('a', 'b'), compare('b', 'b'), equal_fold('Go', 'GO'), to_upper('a'), to_lower('B')]")).toEqual([-1, 0, true, 'A', 'b']);
  });

  it('replace takes a count and replace_all replaces everything', () => {
    expect(jp("replace('aaa', 'a', 'b', `2`)")).toBe('bba');
    expect(jp("replace('aaa', 'a', 'b', `-1`)")).toBe('bbb');
    expect(jp("replace_all('a.b.c', '.', '/')")).toBe('a/b/c');
  });

  it('trim uses a cutset and trim_prefix a prefix', () => {
    expect(jp("trim('--x--', '-')")).toBe('x');
    expect(jp("trim_prefix('v1.2', 'v')")).toBe('1.2');
  });

  it('split has the Kyverno two-argument signature', () => {
    expect(jp("split('a:b:c', ':')")).toEqual(['a', 'b', 'c']);
  });

  it('fails when a Kyverno function gets the wrong number of arguments', () => {
    expect(() => jp("split('a', ':', `1`)")).toThrow(/Invalid arity: split\(\) takes 2 arguments but received 3/);
  });

  it('fails when an argument has the wrong type', () => {
    expect(() => jp('to_upper(`1`)')).toThrow(/'to_upper': argument #1 must be of type string, got number/);
  });

  it('regex functions use Go syntax and templates', () => {
    expect(jp("regex_match('^nginx:[0-9.]+$', 'nginx:1.25')")).toBe(true);
    expect(jp("regex_match('^[0-9]+$', `42`)")).toBe(true);
    expect(jp("regex_replace_all('(?P<img>[a-z]+):(\\\\d+)', 'web:80', '${img}-$2')")).toBe('web-80');
    expect(jp("regex_replace_all_literal('[0-9]+', 'a1b22', '$1')")).toBe('a$1b$1');
  });

  it('fails when a regex function gets a non-scalar source', () => {
    expect(() => jp("regex_match('a', `[1]`)")).toThrow(/'regex_match': argument #2 must be a string or a number, got array/);
  });

  it('pattern_match and label_match', () => {
    expect(jp("pattern_match('ngin?:*', 'nginx:1')")).toBe(true);
    expect(jp('label_match(`{"app":"web"}`, `{"app":"web","tier":"fe"}`)')).toBe(true);
    expect(jp('label_match(`{"app":"db"}`, `{"app":"web"}`)')).toBe(false);
  });

  it('to_boolean accepts any case of true/false', () => {
    expect(jp("[to_boolean('TrUe'), to_boolean('false')]")).toEqual([true, false]);
  });

  it('fails when to_boolean gets another word', () => {
    expect(() => jp("to_boolean('yes')")).toThrow(/lowercase argument must be 'true' or 'false' \(provided: 'yes'\)/);
  });

  it('base64, path_canonicalize and truncate', () => {
    expect(jp("[base64_encode('hi'), base64_decode('aGk=')]")).toEqual(['aGk=', 'hi']);
    expect(jp("path_canonicalize('/a//b/../c/')")).toBe('/a/c');
    expect(jp("truncate('kyverno', `4`)")).toBe('kyve');
  });

  it('fails when base64_decode gets invalid data', () => {
    expect(() => jp("base64_decode('@@')")).toThrow(/'base64_decode': illegal base64 data/);
  });

  it('semver_compare checks ranges', () => {
    expect(jp("[semver_compare('1.2.3', '>1.0.0 <2.0.0'), semver_compare('2.1.0', '<2.0.0 || >=2.1.0'), semver_compare('1.0.0-rc.1', '>=1.0.0')]")).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('fails when a semver range does not parse', () => {
    expect(() => jp("semver_compare('1.0.0', '>abc')")).toThrow(/'semver_compare': Could not parse Range/);
  });
});

describe('Kyverno data functions', () => {
  it('parse_json and parse_yaml decode strings', () => {
    expect(jp("parse_json('[1,2]')")).toEqual([1, 2]);
    expect(jp("parse_yaml('a: 1')")).toEqual({ a: 1 });
  });

  it('fails when parse_yaml gets invalid YAML', () => {
    expect(() => jp("parse_yaml('a: [')")).toThrow(/JMESPath function 'parse_yaml'/);
  });

  it('lookup reads objects and arrays, null when out of range', () => {
    expect(jp("lookup(@, 'a')", { a: 1 })).toBe(1);
    expect(jp('[lookup(@, `1`), lookup(@, `9`)]', ['x', 'y'])).toEqual(['y', null]);
  });

  it('fails when lookup gets a key of the wrong type', () => {
    expect(() => jp('lookup(@, `1`)', { a: 1 })).toThrow(/'lookup': argument #2 must be a string when looking up an object/);
    expect(() => jp("lookup(@, 'a')", [1])).toThrow(/'lookup': argument #2 must be a number when looking up an array/);
    expect(() => jp("lookup('s', 'a')")).toThrow(/'lookup': argument #1 must be an object or an array, got string/);
  });

  it('items has the Kyverno three-argument signature with sorted keys', () => {
    expect(jp("items(@, 'k', 'v')", { b: 2, a: 1 })).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ]);
    expect(jp("items(@, 'i', 'v')", ['x'])).toEqual([{ i: 0, v: 'x' }]);
  });

  it('fails when items gets a scalar', () => {
    expect(() => jp("items('s', 'k', 'v')")).toThrow(/'items': argument #1 must be an object or an array, got string/);
  });

  it('object_from_lists pairs keys and values, null for missing values', () => {
    expect(jp("object_from_lists(['a', 'b'], [`1`])")).toEqual({ a: 1, b: null });
  });
});

describe('Kyverno arithmetic', () => {
  it('adds, subtracts, multiplies, divides and takes modulo of numbers', () => {
    expect(jp('[add(`1`, `2`), subtract(`5`, `2`), multiply(`3`, `4`), divide(`9`, `3`), modulo(`7`, `3`)]')).toEqual([3, 3, 12, 3, 1]);
  });

  it('works on Go durations', () => {
    expect(jp("[add('1h', '1h30s'), subtract('1h', '1s'), multiply('1s', `1.5`), divide('1h', '30s'), modulo('90s', '1h')]")).toEqual([
      '2h0m30s',
      '59m59s',
      '1.5s',
      120,
      '1m30s',
    ]);
  });

  it('sum adds an array of numbers or durations', () => {
    expect(jp('sum([`1`, `2`, `3`])')).toBe(6);
    expect(jp("sum(['1s', '500ms'])")).toBe('1.5s');
  });

  it('round rounds half away from zero', () => {
    expect(jp('[round(`2.345`, `2`), round(`-2.5`, `0`)]')).toEqual([2.35, -3]);
  });

  it('fails when operands mix numbers and durations', () => {
    expect(() => jp("add(`1`, '1h')")).toThrow(/JMESPath function 'add': types mismatch/);
  });

  it('fails when dividing by zero', () => {
    expect(() => jp('divide(`1`, `0`)')).toThrow(/'divide': Zero divisor passed/);
    expect(() => jp('modulo(`1`, `0`)')).toThrow(/'modulo': Zero divisor passed/);
  });

  it('fails when modulo gets non-integers', () => {
    expect(() => jp('modulo(`1.5`, `1`)')).toThrow(/Non-integer argument\(s\) passed for modulo/);
  });

  it('fails when sum gets an empty array', () => {
    expect(() => jp('sum(`[]`)')).toThrow(/'sum': at least one element in the array is required/);
  });

  it('fails when round gets a fractional or negative precision', () => {
    expect(() => jp('round(`1.5`, `0.5`)')).toThrow(/Non-integer argument\(s\) passed for round off/);
    expect(() => jp('round(`1.5`, `-1`)')).toThrow(/'round': Argument out of bounds/);
  });

  it('fails on Kubernetes quantities, naming the function', () => {
    expect(() => jp("add('100Mi', '1Gi')")).toThrow(/JMESPath function 'add': Kubernetes quantity arithmetic \("100Mi"\) is not supported/);
  });

  it('fails when an operand is neither a number, a quantity nor a duration', () => {
    expect(() => jp("add('soon', '1h')")).toThrow(/JMESPath function 'add': invalid operand/);
  });
});

describe('Kyverno time functions', () => {
  it('time_add, time_utc, time_diff and time_truncate', () => {
    expect(jp("time_add('2024-01-01T00:00:00+02:00', '90m')")).toBe('2024-01-01T01:30:00+02:00');
    expect(jp("time_utc('2024-01-01T02:00:00+02:00')")).toBe('2024-01-01T00:00:00Z');
    expect(jp("time_diff('2024-01-01T00:00:00Z', '2024-01-02T00:00:01Z')")).toBe('24h0m1s');
    expect(jp("time_truncate('2024-01-01T10:47:12Z', '1h')")).toBe('2024-01-01T10:00:00Z');
  });

  it('time_before, time_after and time_between', () => {
    expect(
      jp("[time_before('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), time_after('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), time_between('2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z')]"),
    ).toEqual([true, false, true]);
  });

  it('time_to_cron and time_parse with a Go layout', () => {
    expect(jp("time_to_cron('2024-03-05T04:07:00Z')")).toBe('7 4 5 3 2');
    expect(jp("time_parse('Mon Jan 2 15:04:05 2006', 'Tue Mar 5 04:07:09 2024')")).toBe('2024-03-05T04:07:09Z');
    expect(jp("time_parse('2006-01-02T15:04:05Z07:00', '2024-03-05T04:07:09-05:00')")).toBe('2024-03-05T04:07:09-05:00');
  });

  it('time_now, time_now_utc and time_since use the clock given to the runtime', () => {
    expect(jp('[time_now(), time_now_utc()]')).toEqual(['2024-03-01T12:00:00Z', '2024-03-01T12:00:00Z']);
    expect(jp("time_since('', '2024-03-01T11:00:00Z', '')")).toBe('1h0m0s');
    expect(jp("time_since('2006-01-02', '2024-01-01', '2024-01-02')")).toBe('24h0m0s');
  });

  it('fails when a time function needs the clock and none was given', () => {
    const noClock = new KyvernoJmesPath();
    expect(() => noClock.evaluate(compileJp('time_now()'), {}, Bindings.empty)).toThrow(
      /JMESPath function 'time_now': needs the current time, but the evaluator was given no clock/,
    );
  });

  it('fails when a time is not RFC 3339', () => {
    expect(() => jp("time_utc('yesterday')")).toThrow(/'time_utc': parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse/);
  });

  it('fails when a duration is invalid', () => {
    expect(() => jp("time_add('2024-01-01T00:00:00Z', 'soon')")).toThrow(/'time_add': time: invalid duration "soon"/);
    expect(() => jp("time_truncate('2024-01-01T00:00:00Z', '1y')")).toThrow(/time: unknown unit "y" in duration "1y"/);
  });

  it('fails when time_parse input does not fit the layout', () => {
    expect(() => jp("time_parse('2006-01-02', '01/02/2024')")).toThrow(/'time_parse': parsing time "01\/02\/2024" as "2006-01-02": cannot parse/);
    expect(() => jp("time_parse('2006-01-02', '2024-13-40')")).toThrow(/value out of range/);
  });
});
