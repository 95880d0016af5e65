/** Types of `lockstep check`: evaluations of admission (and kyverno-json) policies over `dist/<env>`. */
import type { PolicyMode } from '../../constructs/policy/mode.ts';
import type { PolicySeverity } from '../../constructs/policy/admission-policy.ts';

export type { PolicyMode, PolicySeverity };

/** How a result counts: `error` fails the check, `warning` and `info` do not. */
export type FindingLevel = 'error' | 'warning' | 'info';

export type EvaluationResult = 'pass' | 'fail' | 'skip' | 'error';

/** What was evaluated: a Kubernetes object, or a non-Kubernetes payload such as an environment file. */
export interface CheckedResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Descriptive data of a policy, for reports (SARIF rules, PolicyReport category and severity). */
export interface PolicyInfo {
  readonly name: string;
  /** Repository-relative file the policy was read from. */
  readonly file: string;
  readonly mode: PolicyMode;
  readonly engine: 'ValidatingPolicy' | 'ClusterPolicy' | 'kyverno-json';
  readonly title: string;
  readonly category: string;
  readonly severity: PolicySeverity;
  readonly description: string;
  /** Rule names in order (validation names of a generated policy). */
  readonly rules: readonly string[];
}

/** One policy evaluated on one resource. */
export interface PolicyEvaluation {
  readonly policy: string;
  /** The failing validation's name for failures; the policy name when the whole policy passed or skipped. */
  readonly rule: string;
  readonly mode: PolicyMode;
  readonly result: EvaluationResult;
  readonly message?: string;
  readonly resource: CheckedResource;
  /** Repository-relative file of the resource (`dist/<env>/manifests/…` or `environments/<env>.yaml`). */
  readonly file: string;
  /** Construct path that produced the resource, when it came from the construct tree. */
  readonly constructPath?: string;
  readonly severity: PolicySeverity;
  readonly category: string;
  /** Set when a pod-controller variant of a Pod policy produced the result. */
  readonly autogen?: string;
}

/** A failed or errored evaluation, with how much it counts. */
export interface Finding extends PolicyEvaluation {
  readonly result: 'fail' | 'error';
  readonly level: FindingLevel;
}

export interface CheckSummary {
  readonly pass: number;
  readonly fail: number;
  readonly warn: number;
  readonly error: number;
  readonly skip: number;
}

export interface CheckResult {
  readonly environment: string;
  /** Repository-relative `dist/<env>`. */
  readonly distDir: string;
  readonly policies: readonly PolicyInfo[];
  /** Number of resources evaluated. */
  readonly resources: number;
  /** Every evaluation, sorted by file, policy and rule. */
  readonly evaluations: readonly PolicyEvaluation[];
  /** Failures and errors, sorted like `evaluations`. */
  readonly findings: readonly Finding[];
  readonly summary: CheckSummary;
  /** False when any finding has level `error` (a Deny-mode failure). */
  readonly ok: boolean;
}
