/** Adapters to the real Kyverno CLIs, for users who have them on PATH. */
export type { CliRuleResult, CliRuleStatus, CliRunResult } from './cli-result.ts';
export { buildKyvernoJsonScanArgs, parseKyvernoJsonScanOutput, runKyvernoJsonScan } from './kyverno-json-scan.ts';
export type { KyvernoJsonScanOptions } from './kyverno-json-scan.ts';
export { buildKyvernoApplyArgs, parseKyvernoApplyOutput, runKyvernoApply } from './kyverno-apply.ts';
export type { KyvernoApplyOptions } from './kyverno-apply.ts';
export { buildKyvernoTestArgs, parseKyvernoTestOutput, runKyvernoTest } from './kyverno-test.ts';
export type { KyvernoTestOptions } from './kyverno-test.ts';
export { runOnPath } from './exec.ts';
