/**
 * Tests for kyverno-json policies, next to each policy like `kyverno-test.yaml` for admission
 * policies (the Kyverno CLI test format has no kyverno-json equivalent, and kyverno-json ships none):
 *
 *   apiVersion: lockstep.dev/v1alpha1
 *   kind: JsonPolicyTest
 *   policies: [../my-policy.yaml]          # relative to the test file
 *   results:
 *     - payload: good.yaml                 # a YAML or JSON payload file next to the test
 *       policy: my-policy
 *       rule: my-rule
 *       result: pass | fail | error | skip  # skip = the rule does not match the payload
 *       violations: 2                       # optional: number of failed assertions
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import jsYaml from 'js-yaml';
import { loadJsonPolicies, scan, type JsonPolicy } from '../policy/json/index.ts';

export const JSON_TEST_FILE_NAME = 'kyverno-json-test.yaml';

export interface JsonTestCase {
  readonly payload: string;
  readonly policy: string;
  readonly rule: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
  readonly message?: string;
}

export interface JsonTestFileResult {
  readonly file: string;
  readonly cases: readonly JsonTestCase[];
  readonly errors: readonly string[];
  readonly passed: number;
  readonly failed: number;
}

export interface JsonTestRun {
  readonly files: readonly JsonTestFileResult[];
  readonly passed: number;
  readonly failed: number;
}

interface ResultRow {
  readonly payload?: unknown;
  readonly policy?: unknown;
  readonly rule?: unknown;
  readonly result?: unknown;
  readonly violations?: unknown;
}

async function findTests(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (d: string) => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') await visit(p);
      else if (e.isFile() && e.name === JSON_TEST_FILE_NAME) out.push(p);
    }
  };
  await visit(dir);
  return out;
}

async function runOne(root: string, file: string): Promise<JsonTestFileResult> {
  const shown = relative(root, file).split(sep).join('/');
  const errors: string[] = [];
  let test: { policies?: unknown; results?: unknown };
  try {
    test = (jsYaml.load(await readFile(file, 'utf8')) ?? {}) as typeof test;
  } catch (error) {
    return { file: shown, cases: [], errors: [`${shown}: ${(error as Error).message.split('\n')[0]}`], passed: 0, failed: 1 };
  }
  const base = dirname(file);
  const policies: JsonPolicy[] = [];
  for (const p of Array.isArray(test.policies) ? (test.policies as string[]) : []) {
    try {
      const path = resolve(base, p);
      policies.push(...loadJsonPolicies(await readFile(path, 'utf8'), relative(root, path).split(sep).join('/')));
    } catch (error) {
      errors.push(`${shown}: policy ${p}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const rows = (Array.isArray(test.results) ? test.results : []) as ResultRow[];
  if (rows.length === 0) errors.push(`${shown}: no results; list at least one expected result`);
  const cases: JsonTestCase[] = [];
  const scans = new Map<string, ReturnType<typeof scan> | Error>();
  for (const row of rows) {
    const payload = String(row.payload);
    if (!scans.has(payload)) {
      try {
        scans.set(payload, scan(policies, [jsYaml.load(await readFile(resolve(base, payload), 'utf8'))], { includeSkipped: true }));
      } catch (error) {
        scans.set(payload, error as Error);
      }
    }
    const s = scans.get(payload)!;
    const common = { payload, policy: String(row.policy), rule: String(row.rule), expected: String(row.result) };
    if (s instanceof Error) {
      cases.push({ ...common, actual: 'load-error', ok: false, message: s.message.split('\n')[0]! });
      continue;
    }
    const r = s.results.find((x) => x.policy === row.policy && x.rule === row.rule);
    if (!r) {
      cases.push({ ...common, actual: 'not-found', ok: false, message: `no rule ${common.rule} in policy ${common.policy}` });
      continue;
    }
    const countOk = row.violations === undefined || r.violations.length === Number(row.violations);
    cases.push({
      ...common,
      actual: r.status,
      ok: r.status === row.result && countOk,
      ...(r.message ? { message: countOk ? r.message : `expected ${row.violations} violations, got ${r.violations.length}: ${r.message}` } : {}),
    });
  }
  const passed = cases.filter((c) => c.ok).length;
  const failed = cases.length - passed + (errors.length > 0 ? 1 : 0);
  return { file: shown, cases, errors, passed, failed };
}

/** Runs every `kyverno-json-test.yaml` under `dir`. Never throws for test failures. */
export async function runJsonPolicyTests(dir: string): Promise<JsonTestRun> {
  const files: JsonTestFileResult[] = [];
  for (const f of await findTests(dir)) files.push(await runOne(dir, f));
  return { files, passed: files.reduce((n, f) => n + f.passed, 0), failed: files.reduce((n, f) => n + f.failed, 0) };
}
