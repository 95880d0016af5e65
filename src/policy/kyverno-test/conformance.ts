/**
 * Conformance replay of the kyverno/policies pod-security-vpol suite (fixtures copied from
 * kyverno/policies; never bundled into the repository).
 */
import { join } from 'node:path';
import { runPolicyTests } from './run.ts';
import type { PolicyTestRun, SuiteResult } from './types.ts';

function failures(run: PolicyTestRun): string[] {
  const out: string[] = [];
  for (const f of run.files) {
    for (const e of f.errors) out.push(`${f.file}: ${e}`);
    for (const c of f.cases) {
      if (!c.ok) out.push(`${f.file}: ${c.policy}${c.rule ? `/${c.rule}` : ''} ${c.kind}/${c.resource}: expected ${c.expected}, got ${c.actual}${c.message ? ` (${c.message})` : ''}`);
    }
  }
  return out;
}

/** Replays `policy/kyverno-policies/pod-security-vpol` under `fixturesRoot` (865 expected results). */
export async function conformancePodSecurityVpol(fixturesRoot: string): Promise<SuiteResult> {
  const run = await runPolicyTests(join(fixturesRoot, 'policy', 'kyverno-policies', 'pod-security-vpol'));
  return { suite: 'kyverno-policies/pod-security-vpol', passed: run.passed, failed: run.failed, skipped: 0, failures: failures(run) };
}
