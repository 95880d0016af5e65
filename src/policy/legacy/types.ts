/** Result and request types of the ClusterPolicy (`kyverno.io/v1`) engine. */
import type { KubernetesObject, Operation } from '../cel/types.ts';

export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface RuleResponse {
  /** Rule name; generated controller rules are named `autogen-<rule>` / `autogen-cronjob-<rule>`. */
  readonly rule: string;
  readonly status: RuleStatus;
  readonly message: string;
}

export interface EvaluationRequest {
  readonly resource: KubernetesObject;
  /** Default CREATE. */
  readonly operation?: Operation;
  /** Labels of the resource's namespace, for `namespaceSelector`. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * Extra context values, as in a kyverno-test values file (`globalValues`): dotted keys such as
   * `request.operation` are placed at that path of the JSON context.
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

export type { SuiteResult } from '../../conformance/suite-result.ts';

export const CLUSTER_POLICY_API_VERSION = 'kyverno.io/v1';
export const CLUSTER_POLICY_KINDS = ['ClusterPolicy', 'Policy'] as const;

export function isClusterPolicy(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as { apiVersion?: unknown; kind?: unknown };
  return d.apiVersion === CLUSTER_POLICY_API_VERSION && (CLUSTER_POLICY_KINDS as readonly unknown[]).includes(d.kind);
}
