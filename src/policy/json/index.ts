/** Public API of the built-in kyverno-json evaluator. */
export { loadJsonPolicies, JSON_POLICY_API_VERSION, JSON_POLICY_KIND } from './policy.ts';
export type { JsonPolicy, JsonRule } from './policy.ts';
export { scan, evaluateExpression } from './scan.ts';
export type { ScanOptions, ScanResult, RuleResult, RuleStatus, Violation } from './scan.ts';
export type { FieldError, FieldErrorType } from './field-path.ts';
export { errorBody } from './field-path.ts';
export { parsePayload } from './payload.ts';
export { toKyvernoJsonReport } from './report.ts';
export type { KyvernoJsonReport, KyvernoJsonRuleReport, KyvernoJsonErrorReport } from './report.ts';
export { parseKeyExpression } from './expression.ts';
export type { KeyExpression } from './expression.ts';
export { compileJp, JpCompileError, KyvernoJmesPath } from './jmespath.ts';
export { UNSUPPORTED_FUNCTIONS } from './functions/kyverno.ts';
export {
  conformanceKyvernoJson,
  conformanceKyvernoJsonPolicyLoad,
  conformanceKyvernoJsonKeyGrammar,
  conformanceKyvernoJsonAll,
} from './conformance.ts';
export type { SuiteResult } from './conformance.ts';
