import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJsonPolicyTests } from '../../src/check/index.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const POLICY = 'apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata:\n  name: p\nspec:\n  rules:\n    - name: r\n      match:\n        all:\n          - kind: Thing\n      assert:\n        all:\n          - check:\n              ok: true\n';

async function write(results: string): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'lockstep-json-test-'));
  await mkdir(join(dir, 'p', '.kyverno-test'), { recursive: true });
  await writeFile(join(dir, 'p', 'p.yaml'), POLICY);
  await writeFile(join(dir, 'p', '.kyverno-test', 'good.yaml'), 'kind: Thing\nok: true\n');
  await writeFile(join(dir, 'p', '.kyverno-test', 'kyverno-json-test.yaml'), `policies: [../p.yaml]\nresults:\n${results}`);
  return dir;
}

describe('runJsonPolicyTests', () => {
  it('passes when every expected result matches', async () => {
    const run = await runJsonPolicyTests(await write('  - {payload: good.yaml, policy: p, rule: r, result: pass, violations: 0}\n'));
    expect(run).toMatchObject({ passed: 1, failed: 0 });
  });

  it('fails when a result or the violation count differs, naming both', async () => {
    const run = await runJsonPolicyTests(await write('  - {payload: good.yaml, policy: p, rule: r, result: fail}\n  - {payload: good.yaml, policy: p, rule: nope, result: pass}\n'));
    expect(run.failed).toBe(2);
    expect(run.files[0]!.cases.map((c) => `${c.expected}/${c.actual}`)).toEqual(['fail/pass', 'pass/not-found']);
  });

  it('fails when the test lists no results', async () => {
    const run = await runJsonPolicyTests(await write('  []\n'));
    expect(run.files[0]!.errors[0]).toMatch(/no results; list at least one expected result/);
    expect(run.failed).toBe(1);
  });
});
