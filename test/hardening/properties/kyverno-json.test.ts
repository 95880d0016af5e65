import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadJsonPolicies, scan } from '../../../src/policy/json/index.ts';
import { formatProblem, LockstepError } from '../../../src/util/errors.ts';
import { hostileString, hostileValue, jmesPathExpression, keyOf } from './arbitraries.ts';

const WORDS = ['foo', 'bar', 'metadata', 'name', 'labels', 'spec', 'containers', 'image', 'a', 'b'];
const RULE_WORDS = ['name', 'match', 'exclude', 'assert', 'all', 'any', 'check', 'message', 'context', 'variable', 'identifier', 'feedback', 'value', 'compiler'];
const STATUSES = new Set(['pass', 'fail', 'error', 'skip']);

function toYaml(value: unknown): string {
  try {
    return stringify(value);
  } catch {
    return JSON.stringify(value) ?? 'null';
  }
}

/** A policy with valid structure whose JMESPath (keys, values, identifier, context) is random. */
const policyWithRandomJmesPath = fc
  .record({
    key: jmesPathExpression,
    nestedKey: jmesPathExpression,
    expected: fc.oneof(hostileValue(keyOf(WORDS), 2), jmesPathExpression.map((e) => `(${e})`)),
    identifier: fc.option(jmesPathExpression, { nil: undefined, freq: 2 }),
    context: fc.option(jmesPathExpression, { nil: undefined, freq: 2 }),
    match: fc.option(jmesPathExpression, { nil: undefined, freq: 2 }),
    message: fc.option(fc.oneof(hostileString, jmesPathExpression.map((e) => `{{ ${e} }}`)), { nil: undefined, freq: 2 }),
  })
  .map(({ key, nestedKey, expected, identifier, context, match, message }) =>
    toYaml({
      apiVersion: 'json.kyverno.io/v1alpha1',
      kind: 'ValidatingPolicy',
      metadata: { name: 'fuzz' },
      spec: {
        rules: [
          {
            name: 'r',
            ...(identifier !== undefined ? { identifier } : {}),
            ...(context !== undefined ? { context: [{ name: 'x', variable: `(${context})` }] } : {}),
            ...(match !== undefined ? { match: { any: [{ [`(${match})`]: true }] } } : {}),
            assert: { all: [{ ...(message !== undefined ? { message } : {}), check: { [`(${key})`]: expected, spec: { [`(${nestedKey})`]: expected } } }] },
          },
        ],
      },
    }),
  );

/** A policy document (or stream) with a random structure. */
const randomPolicyText = fc.oneof(
  hostileValue(keyOf(RULE_WORDS), 5).map((rule) => toYaml({ apiVersion: 'json.kyverno.io/v1alpha1', kind: 'ValidatingPolicy', metadata: { name: 'fuzz' }, spec: { rules: [rule] } })),
  hostileValue(keyOf(['apiVersion', 'kind', 'metadata', 'spec', 'rules', ...RULE_WORDS]), 5).map(toYaml),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);

const payload = hostileValue(keyOf(WORDS), 5);

function run(text: string, value: unknown): 'loaded' | 'refused' {
  let policies;
  try {
    policies = loadJsonPolicies(text, 'policies/fuzz/fuzz.yaml');
  } catch (e) {
    if (!(e instanceof LockstepError)) throw e;
    for (const p of e.problems) if (formatProblem(p).includes('\n')) throw new Error(`problem spans lines: ${formatProblem(p)}`);
    return 'refused';
  }
  let result;
  try {
    result = scan(policies, [value], { includeSkipped: true, now: () => new Date(0) });
  } catch (e) {
    // A payload that is not an object (null, a number) is refused as a whole.
    if (!(e instanceof LockstepError)) throw e;
    return 'loaded';
  }
  for (const r of result.results) if (!STATUSES.has(r.status)) throw new Error(`unexpected status ${JSON.stringify(r)}`);
  return 'loaded';
}

describe('the kyverno-json engine under random input', () => {
  it('loads and scans 10,000 random JMESPath expressions, or refuses them with a LockstepError', () => {
    const seen = { loaded: 0, refused: 0 };
    fc.assert(
      fc.property(policyWithRandomJmesPath, payload, (text, value) => {
        seen[run(text, value)]++;
      }),
      { numRuns: 10_000 },
    );
    expect(seen.loaded).toBeGreaterThan(500);
    expect(seen.refused).toBeGreaterThan(500);
  });

  it('handles 10,000 randomly shaped policy documents the same way', () => {
    fc.assert(
      fc.property(randomPolicyText, payload, (text, value) => {
        run(text, value);
      }),
      { numRuns: 10_000 },
    );
  });

  it('fails when a payload is nested 20,000 levels deep, with a LockstepError instead of a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const policies = loadJsonPolicies('apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata: {name: p}\nspec:\n  rules:\n    - name: r\n      assert:\n        all:\n          - check: {a: 1}\n', 'p.yaml');
    expect(() => scan(policies, [deep])).toThrow(new LockstepError({ message: 'payload 0 is nested deeper than 1000 levels', fix: 'flatten the document; no Kubernetes object is nested this deeply' }));
  });

  it('fails when an alias has no anchor, naming the file', () => {
    expect(() => loadJsonPolicies('*!', 'p.yaml')).toThrow(/^p\.yaml: cannot expand the document: Unresolved alias .*; define each anchor/);
  });

  it('writes a key holding a newline as \\u000a in the one-line error', () => {
    const text = 'apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata: {name: p}\nspec:\n  rules:\n    - "a\\nb": 1\n';
    expect(() => loadJsonPolicies(text, 'p.yaml')).toThrow(/p\.yaml:6:15: \/spec\/rules\/0\/a\\u000ab: unknown field "a\\nb"/);
  });
});
