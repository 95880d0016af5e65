import type { SuiteResult } from '../../conformance/suite-result.ts';
/**
 * Replays the upstream kyverno-json test material kept under `<fixtures>/policy/kyverno-json/`:
 * - `cases.derived.json` (`cases.main`): `kyverno-json scan` golden cases; a case passes when the
 *   ordered (policy, rule, status, identifier) list, the error count per rule and the multiset of
 *   error paths all match;
 * - `policy-load.derived.json`: loader cases (error or number/names of policies);
 * - `expression-parse.derived.json`: the map-key grammar table.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseKeyExpression } from './expression.ts';
import { parsePayload } from './payload.ts';
import { loadJsonPolicies, type JsonPolicy } from './policy.ts';
import { scan } from './scan.ts';

export type { SuiteResult } from '../../conformance/suite-result.ts';

interface ExpectedRule {
  policy: string;
  rule: string;
  status: string;
  id?: string;
  violations: Array<{ check: string; errors: Array<{ path: string }> }>;
}

interface ScanCase {
  name: string;
  payload: string;
  policies: string[];
  preprocessors: string[];
  bindings?: string;
  wantErr: boolean;
  expected: ExpectedRule[];
}

function suiteDir(fixturesRoot: string): string {
  const direct = join(fixturesRoot, 'cases.derived.json');
  return existsSync(direct) ? fixturesRoot : join(fixturesRoot, 'policy', 'kyverno-json');
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

function record(result: SuiteResult, name: string, problem: string | undefined): void {
  if (problem === undefined) result.passed += 1;
  else {
    result.failed += 1;
    result.failures.push(`${name}: ${problem}`);
  }
}

/** The 18 `kyverno-json scan` golden cases of kyverno-json main. */
export async function conformanceKyvernoJson(fixturesRoot: string): Promise<SuiteResult> {
  const dir = suiteDir(fixturesRoot);
  const data = await readJson<{ cases: { main: ScanCase[] } }>(join(dir, 'cases.derived.json'));
  const result: SuiteResult = { suite: 'kyverno-json scan (cases.main)', passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const c of data.cases.main) record(result, c.name, await replayScanCase(dir, c));
  return result;
}

async function replayScanCase(dir: string, c: ScanCase): Promise<string | undefined> {
  let actual: ExpectedRule[];
  try {
    const policies: JsonPolicy[] = [];
    for (const p of c.policies) policies.push(...loadJsonPolicies(await readFile(join(dir, p), 'utf8'), p));
    const payload = parsePayload(await readFile(join(dir, c.payload), 'utf8'), c.payload);
    const bindings = c.bindings ? (parsePayload(await readFile(join(dir, c.bindings), 'utf8'), c.bindings) as Record<string, unknown>) : {};
    const scanned = scan(policies, [payload], { preprocessors: c.preprocessors, bindings });
    actual = scanned.results.map((r) => ({
      policy: r.policy,
      rule: r.rule,
      status: r.status,
      ...(r.identifier ? { id: r.identifier } : {}),
      violations: r.violations.map((v) => ({ check: v.check, errors: v.errors.map((e) => ({ path: e.field })) })),
    }));
  } catch (e) {
    return c.wantErr ? undefined : `unexpected error: ${(e as Error).message}`;
  }
  if (c.wantErr) return 'expected an error, got results';
  const head = (rs: ExpectedRule[]) => rs.map((r) => `${r.policy}/${r.rule}=${r.status}${r.id ? `#${r.id}` : ''}`).join(', ');
  if (head(actual) !== head(c.expected)) return `rules: expected [${head(c.expected)}], got [${head(actual)}]`;
  for (let i = 0; i < actual.length; i++) {
    const paths = (r: ExpectedRule) => r.violations.flatMap((v) => v.errors.map((e) => e.path)).sort();
    const want = paths(c.expected[i]!);
    const got = paths(actual[i]!);
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      return `${actual[i]!.rule}: expected error paths ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    }
  }
  return undefined;
}

interface LoadCase {
  name: string;
  path: string;
  wantErr: boolean;
  wantPolicies?: number;
  wantNames?: string[];
}

/** The policy loader table (`pkg/policy/load_test.go`). */
export async function conformanceKyvernoJsonPolicyLoad(fixturesRoot: string): Promise<SuiteResult> {
  const dir = suiteDir(fixturesRoot);
  const data = await readJson<{ cases: LoadCase[] }>(join(dir, 'policy-load.derived.json'));
  const result: SuiteResult = { suite: 'kyverno-json policy loader', passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const c of data.cases) {
    let policies: JsonPolicy[];
    try {
      policies = loadJsonPolicies(await readFile(join(dir, c.path), 'utf8'), c.path);
    } catch (e) {
      record(result, c.name, c.wantErr ? undefined : `unexpected error: ${(e as Error).message}`);
      continue;
    }
    if (c.wantErr) {
      record(result, c.name, `expected an error, loaded ${policies.length} policies`);
      continue;
    }
    const names = policies.map((p) => p.name);
    const problem =
      c.wantPolicies !== undefined && policies.length !== c.wantPolicies
        ? `expected ${c.wantPolicies} policies, got ${policies.length}`
        : c.wantNames && JSON.stringify(c.wantNames) !== JSON.stringify(names)
          ? `expected names ${JSON.stringify(c.wantNames)}, got ${JSON.stringify(names)}`
          : undefined;
    record(result, c.name, problem);
  }
  return result;
}

interface GrammarCase {
  name: string;
  in: string;
  want: { Foreach: boolean; ForeachName: string; Statement: string; Binding: string; Compiler: string };
}

/** The map-key grammar table (`pkg/core/expression/expression_test.go`). */
export async function conformanceKyvernoJsonKeyGrammar(fixturesRoot: string): Promise<SuiteResult> {
  const dir = suiteDir(fixturesRoot);
  const data = await readJson<{ cases: GrammarCase[] }>(join(dir, 'expression-parse.derived.json'));
  const result: SuiteResult = { suite: 'kyverno-json key grammar', passed: 0, failed: 0, skipped: 0, failures: [] };
  data.cases.forEach((c, i) => {
    const got = parseKeyExpression(c.in);
    const actual = { Foreach: got.foreach, ForeachName: got.foreachName, Statement: got.statement, Binding: got.binding, Compiler: got.compiler };
    const same = JSON.stringify(actual) === JSON.stringify(c.want);
    record(result, `${i}:${c.name} ${JSON.stringify(c.in)}`, same ? undefined : `expected ${JSON.stringify(c.want)}, got ${JSON.stringify(actual)}`);
  });
  return result;
}

/** All three suites, for a conformance runner that reports several. */
export async function conformanceKyvernoJsonAll(fixturesRoot: string): Promise<SuiteResult[]> {
  return [
    await conformanceKyvernoJson(fixturesRoot),
    await conformanceKyvernoJsonPolicyLoad(fixturesRoot),
    await conformanceKyvernoJsonKeyGrammar(fixturesRoot),
  ];
}
