import { describe, expect, it } from 'vitest';
import { LockstepError } from '../../../src/util/errors.ts';
import { loadJsonPolicies } from '../../../src/policy/json/policy.ts';

const header = `apiVersion: json.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: p
`;

function problemsOf(text: string): string[] {
  try {
    loadJsonPolicies(text, 'policies/p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(LockstepError);
    return (e as LockstepError).problems.map((p) => `${p.file}:${p.line ?? '?'}: ${p.pointer ?? ''}: ${p.message}`);
  }
  throw new Error('expected loadJsonPolicies to fail');
}

describe('loadJsonPolicies', () => {
  it('loads every policy of a multi-document file and skips empty documents', () => {
    const text = `${header}spec:\n  rules: []\n---\n---\n${header.replace('name: p', 'name: q')}spec:\n  rules:\n  - name: r\n    assert:\n      all:\n      - check: {a: 1}\n`;
    const policies = loadJsonPolicies(text, 'p.yaml');
    expect(policies.map((p) => p.name)).toEqual(['p', 'q']);
    expect(policies[1]!.rules.map((r) => r.name)).toEqual(['r']);
  });

  it('returns nothing for an empty file', () => {
    expect(loadJsonPolicies('', 'empty.yaml')).toEqual([]);
  });

  it('fails when the document is another kind', () => {
    expect(problemsOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')[0]).toMatch(
      /policies\/p\.yaml:1: : policy type not supported: apiVersion "v1", kind "ConfigMap"; expected apiVersion json\.kyverno\.io\/v1alpha1, kind ValidatingPolicy/,
    );
  });

  it('fails when spec or rules are missing', () => {
    expect(problemsOf(header)[0]).toMatch(/\/spec: the policy is missing the required field "spec"/);
    expect(problemsOf(`${header}spec: {}\n`)[0]).toMatch(/\/spec\/rules: spec is missing the required field "rules"/);
  });

  it('fails when metadata.name is missing', () => {
    expect(problemsOf(`apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata: {}\nspec: {rules: []}\n`)[0]).toMatch(
      /\/metadata\/name: metadata is missing the required field "name"/,
    );
  });

  it('fails on unknown fields with file, line and pointer', () => {
    const text = `${header}spec:\n  rules:\n  - name: r\n    matches: {any: [{kind: Pod}]}\n    assert: {all: [{check: {a: 1}}]}\n`;
    expect(problemsOf(text)).toEqual([
      'policies/p.yaml:8: /spec/rules/0/matches: unknown field "matches" in rule 0; allowed fields are name, compiler, context, match, exclude, identifier, feedback, assert',
    ]);
  });

  it('fails when a rule has no name or a name longer than 63 characters', () => {
    expect(problemsOf(`${header}spec:\n  rules:\n  - assert: {all: [{check: {a: 1}}]}\n`)[0]).toMatch(/\/spec\/rules\/0\/name: rule 0 is missing the required field "name"/);
    expect(problemsOf(`${header}spec:\n  rules:\n  - name: ${'x'.repeat(64)}\n    assert: {all: [{check: {a: 1}}]}\n`)[0]).toMatch(
      /rule name must be 1 to 63 characters, got 64/,
    );
  });

  it('fails when match or assert are empty', () => {
    expect(problemsOf(`${header}spec:\n  rules:\n  - name: r\n    match: {}\n    assert: {all: [{check: {a: 1}}]}\n`)[0]).toMatch(
      /\/spec\/rules\/0\/match: an empty match is not valid/,
    );
    expect(problemsOf(`${header}spec:\n  rules:\n  - name: r\n    assert: {}\n`)[0]).toMatch(/\/spec\/rules\/0\/assert: an empty assert is not valid/);
  });

  it('fails on invalid JMESPath and unknown functions, naming the pointer', () => {
    const text = `${header}spec:\n  rules:\n  - name: r\n    identifier: "a.["\n    assert:\n      all:\n      - message: "{{ b.[ }}"\n        check:\n          (nope(@)): 1\n          x: (c.[)\n`;
    const problems = problemsOf(text);
    expect(problems).toContainEqual(expect.stringMatching(/:8: \/spec\/rules\/0\/identifier: invalid JMESPath expression "a\.\["/));
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/rules\/0\/assert\/all\/0\/message: invalid JMESPath expression "b\.\["/));
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/rules\/0\/assert\/all\/0\/check\/\(nope\(@\)\): unknown JMESPath function nope\(\)/));
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/rules\/0\/assert\/all\/0\/check\/x: invalid JMESPath expression "c\.\["/));
  });

  it('fails on invalid CEL', () => {
    expect(problemsOf(`${header}spec:\n  compiler: cel\n  rules:\n  - name: r\n    assert: {all: [{check: {(object.): 1}}]}\n`)[0]).toMatch(
      /check\/\(object\.\): invalid CEL expression "object\."/,
    );
  });

  it('fails when a compiler is unknown', () => {
    expect(problemsOf(`${header}spec:\n  compiler: rego\n  rules: []\n`)[0]).toMatch(/\/spec\/compiler: compiler must be "jp" or "cel", got string "rego"/);
    expect(problemsOf(`${header}spec:\n  rules:\n  - name: r\n    assert: {all: [{check: {(js;x): 1}}]}\n`)[0]).toMatch(/unknown compiler "js"; use \(jp;…\) or \(cel;…\)/);
  });

  it('fails when a leaf carries foreach or binding markers', () => {
    const problems = problemsOf(`${header}spec:\n  rules:\n  - name: r\n    assert: {all: [{check: {a: "~.(x)", b: "(y)->z"}}]}\n`);
    expect(problems[0]).toMatch(/check\/a: foreach \(~\) is not supported on a value/);
    expect(problems[1]).toMatch(/check\/b: binding \(->\) is not supported on a value/);
  });

  it('fails when fields have the wrong shape', () => {
    const problems = problemsOf(`${header}spec:\n  rules:\n  - name: [r]\n    context: {a: 1}\n    assert: {all: [{check: {a: 1}}]}\n`);
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/rules\/0\/name: rule name must be a string, got an array/));
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/rules\/0\/context: context must be a list, got an object/));
    expect(problemsOf(`${header}spec: [1]\n`)[0]).toMatch(/\/spec: spec must be an object, got an array/);
    expect(problemsOf('- 1\n')[0]).toMatch(/a policy document must be an object, got an array/);
  });

  it('fails on YAML syntax errors with a line', () => {
    expect(problemsOf('a: [\n')[0]).toMatch(/policies\/p\.yaml:\d+: : invalid YAML/);
  });
});
