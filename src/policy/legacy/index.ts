/** Kyverno ClusterPolicy (`kyverno.io/v1`) validate engine: public API. */
export { compileClusterPolicy } from './policy.ts';
export type { CompiledClusterPolicy } from './policy.ts';
export { clusterPolicyEngine } from './kyverno-test-engine.ts';
export { conformancePodSecurityLegacy } from './conformance.ts';
export { isClusterPolicy, CLUSTER_POLICY_API_VERSION, CLUSTER_POLICY_KINDS } from './types.ts';
export type { EvaluationRequest, RuleResponse, RuleStatus, SuiteResult } from './types.ts';
export { compilePattern, matchPattern } from './pattern.ts';
export type { PatternNode, PatternResult } from './pattern.ts';
export { matchValue } from './value-pattern.ts';
export { conditionOperator } from './operators.ts';
export { computeRules, canAutogen, AUTOGEN_ANNOTATION } from './autogen.ts';
