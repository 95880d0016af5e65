/**
 * Conformance replay of the kyverno/policies `pod-security` suite (ClusterPolicies with
 * kyverno-test files; fixtures copied from kyverno/policies, never bundled into the repository).
 */
import { join } from 'node:path';
import { runPolicyTests } from '../kyverno-test/run.ts';
import { validatingPolicyEngine } from '../kyverno-test/validating-policy-engine.ts';
import type { PolicyTestRun } from '../kyverno-test/types.ts';
import { clusterPolicyEngine } from './kyverno-test-engine.ts';
import type { SuiteResult } from './types.ts';

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

/**
 * Replays `policy/kyverno-policies/pod-security` under `fixturesRoot` (948 expected results:
 * baseline 537, restricted 403, `validate.podSecurity` subrule 8). "Policy does not apply"
 * counts as a pass only for rows expecting `skip`, stricter than the Kyverno CLI.
 */
export async function conformancePodSecurityLegacy(fixturesRoot: string): Promise<SuiteResult> {
  const run = await runPolicyTests(join(fixturesRoot, 'policy', 'kyverno-policies', 'pod-security'), {
    engines: [clusterPolicyEngine, validatingPolicyEngine],
    excludedAsSkip: true,
  });
  return { suite: 'kyverno-policies/pod-security', passed: run.passed, failed: run.failed, skipped: 0, failures: failures(run) };
}
