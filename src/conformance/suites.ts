import type { SuiteResult } from './suite-result.ts';
import { conformanceKyvernoJson, conformanceKyvernoJsonKeyGrammar, conformanceKyvernoJsonPolicyLoad } from '../policy/json/conformance.ts';
import { runPodSecurityConformance } from '../gates/pod-security/conformance.ts';
import { conformancePodSecurityLegacy } from '../policy/legacy/conformance.ts';
import { conformancePodSecurityVpol } from '../policy/kyverno-test/conformance.ts';
import { conformanceSboms } from '../supply-chain/sbom/conformance.ts';
import { conformanceCosignKeys, conformanceSigstoreBundles } from '../supply-chain/signing/conformance.ts';

export type { SuiteResult } from './suite-result.ts';

export interface ConformanceSuite {
  readonly name: string;
  readonly description: string;
  run(fixturesRoot: string): Promise<SuiteResult>;
}

/**
 * The third-party suites in ../shared/fixtures that Lockstep's built-in engines are proven
 * against. They are read in place, never copied into the repository.
 */
export const suites: readonly ConformanceSuite[] = [
  { name: 'kyverno-pod-security-vpol', description: "Kyverno's CEL ValidatingPolicy pod-security suite (kyverno test)", run: conformancePodSecurityVpol },
  { name: 'kyverno-pod-security-legacy', description: "Kyverno's ClusterPolicy pod-security suite (kyverno test, legacy engine)", run: conformancePodSecurityLegacy },
  { name: 'pss-gate-vs-kyverno', description: "Lockstep's Pod Security gate against Kyverno's pod-security suites (ClusterPolicy and CEL)", run: async (root) => combine('pss-gate-vs-kyverno', runPodSecurityConformance(root)) },
  { name: 'kyverno-json-scan', description: 'kyverno-json scan golden cases: per-rule status, errors and paths', run: conformanceKyvernoJson },
  { name: 'kyverno-json-policy-load', description: 'kyverno-json policy loader cases (valid and rejected policies)', run: conformanceKyvernoJsonPolicyLoad },
  { name: 'kyverno-json-key-grammar', description: 'kyverno-json assertion-tree key grammar (projections, foreach, bindings)', run: conformanceKyvernoJsonKeyGrammar },
  { name: 'sigstore-bundles', description: 'sigstore-conformance managed-key bundles and sigstore-js bundles', run: conformanceSigstoreBundles },
  { name: 'cosign-keys', description: 'cosign encrypted key files (password "hello")', run: conformanceCosignKeys },
  { name: 'sboms', description: 'syft SPDX and CycloneDX SBOMs: format, package counts, schema agreement', run: conformanceSboms },
];

function combine(suite: string, results: readonly SuiteResult[]): SuiteResult {
  return {
    suite,
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    skipped: results.reduce((n, r) => n + r.skipped, 0),
    failures: results.flatMap((r) => r.failures.map((f) => `${r.suite}: ${f}`)),
  };
}
