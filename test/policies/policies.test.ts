import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runJsonPolicyTests, validateValidatingPolicyShape } from '../../src/check/index.ts';
import { runPolicyTests } from '../../src/policy/kyverno-test/run.ts';

const ROOT = join(import.meta.dirname, '../../policies');
const folders = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

function policyOf(name: string): Record<string, any> {
  return jsYaml.load(readFileSync(join(ROOT, name, `${name}.yaml`), 'utf8')) as Record<string, any>;
}

describe('policies/', () => {
  it('has policy folders', () => {
    expect(folders.length).toBeGreaterThanOrEqual(5);
  });

  it.each(folders)('%s: folder name = file name = metadata.name, with the Kyverno annotations', (name) => {
    const doc = policyOf(name);
    expect(doc.metadata.name).toBe(name);
    for (const a of ['title', 'category', 'severity', 'description']) expect(doc.metadata.annotations?.[`policies.kyverno.io/${a}`], a).toBeTruthy();
  });

  it.each(folders)('%s: has a test and good and bad fixtures', (name) => {
    const doc = policyOf(name);
    const testDir = join(ROOT, name, '.kyverno-test');
    const testFile = doc.apiVersion === 'json.kyverno.io/v1alpha1' ? 'kyverno-json-test.yaml' : 'kyverno-test.yaml';
    expect(existsSync(join(testDir, testFile)), testFile).toBe(true);
    const fixtures = readdirSync(testDir).filter((f) => f !== testFile);
    expect(fixtures.some((f) => f.startsWith('good')), 'good fixtures').toBe(true);
    expect(fixtures.some((f) => f.startsWith('bad')), 'bad fixtures').toBe(true);
  });

  it.each(folders.filter((n) => policyOf(n).kind === 'ValidatingPolicy' && policyOf(n).apiVersion === 'policies.kyverno.io/v1'))('%s: is a valid ValidatingPolicy', (name) => {
    expect(validateValidatingPolicyShape(policyOf(name))).toEqual([]);
  });

  it('passes every kyverno-test.yaml (ValidatingPolicies, built-in evaluator)', async () => {
    const run = await runPolicyTests(ROOT);
    const failures = run.files.flatMap((f) => [...f.errors, ...f.cases.filter((c) => !c.ok).map((c) => `${f.file}: ${c.policy} ${c.kind}/${c.resource}: expected ${c.expected}, got ${c.actual} ${c.message ?? ''}`)]);
    expect(failures).toEqual([]);
    expect(run.passed).toBeGreaterThanOrEqual(9);
  });

  it('passes every kyverno-json-test.yaml (kyverno-json policies, built-in evaluator)', async () => {
    const run = await runJsonPolicyTests(ROOT);
    const failures = run.files.flatMap((f) => [...f.errors, ...f.cases.filter((c) => !c.ok).map((c) => `${f.file}: ${c.payload} ${c.policy}/${c.rule}: expected ${c.expected}, got ${c.actual} ${c.message ?? ''}`)]);
    expect(failures).toEqual([]);
    expect(run.passed).toBeGreaterThanOrEqual(12);
  });
});
