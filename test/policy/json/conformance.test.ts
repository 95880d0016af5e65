import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceKyvernoJsonAll } from '../../../src/policy/json/conformance.ts';

/** A miniature fixture tree in the layout of shared/fixtures/policy/kyverno-json. */
function fixtureRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kj-conf-'));
  const dir = join(root, 'policy', 'kyverno-json');
  mkdirSync(join(dir, 'case'), { recursive: true });
  writeFileSync(
    join(dir, 'case', 'policy.yaml'),
    'apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata: {name: p}\nspec:\n  rules:\n  - name: r\n    assert: {all: [{check: {foo: {bar: 4}}}]}\n',
  );
  writeFileSync(join(dir, 'case', 'payload.yaml'), 'foo:\n  bar: 5\n');
  const expected = [{ policy: 'p', rule: 'r', status: 'fail', violations: [{ check: 'spec.rules[0].assert.all[0]', errors: [{ path: 'foo.bar' }] }] }];
  const cases = [
    { name: 'good', payload: 'case/payload.yaml', policies: ['case/policy.yaml'], preprocessors: [], wantErr: false, expected },
    { name: 'wrong', payload: 'case/payload.yaml', policies: ['case/policy.yaml'], preprocessors: [], wantErr: false, expected: [{ ...expected[0], status: 'pass' }] },
  ];
  writeFileSync(join(dir, 'cases.derived.json'), JSON.stringify({ cases: { main: cases } }));
  writeFileSync(
    join(dir, 'policy-load.derived.json'),
    JSON.stringify({
      cases: [
        { name: 'ok', path: 'case/policy.yaml', wantErr: false, wantPolicies: 1, wantNames: ['p'] },
        { name: 'missing', path: 'case/nope.yaml', wantErr: true },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'expression-parse.derived.json'),
    JSON.stringify({ cases: [{ name: 'binding', in: '(a)->b', want: { Foreach: false, ForeachName: '', Statement: 'a', Binding: 'b', Compiler: 'default' } }] }),
  );
  return root;
}

describe('conformanceKyvernoJsonAll', () => {
  it('counts matching and mismatching cases in each suite', async () => {
    const [scanSuite, loadSuite, grammarSuite] = await conformanceKyvernoJsonAll(fixtureRoot());
    expect(scanSuite).toMatchObject({ passed: 1, failed: 1 });
    expect(scanSuite!.failures[0]).toMatch(/^wrong: rules: expected \[p\/r=pass\], got \[p\/r=fail\]/);
    expect(loadSuite).toMatchObject({ passed: 2, failed: 0 });
    expect(grammarSuite).toMatchObject({ passed: 1, failed: 0 });
  });
});
