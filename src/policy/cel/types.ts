/**
 * The subset of the `policies.kyverno.io` ValidatingPolicy API the evaluator reads. Field names
 * follow the CRD (which reuses Kubernetes `admissionregistration.k8s.io/v1` MatchResources).
 */

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ResourceRule {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly resources?: readonly string[];
  readonly operations?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly scope?: 'Cluster' | 'Namespaced' | '*';
}

export interface MatchResources {
  readonly resourceRules?: readonly ResourceRule[];
  readonly excludeResourceRules?: readonly ResourceRule[];
  readonly namespaceSelector?: LabelSelector;
  readonly objectSelector?: LabelSelector;
}

export interface NamedExpression {
  readonly name: string;
  readonly expression: string;
}

export interface Validation {
  readonly expression: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
}

export interface ValidatingPolicySpec {
  readonly matchConstraints?: MatchResources;
  readonly matchConditions?: readonly NamedExpression[];
  readonly variables?: readonly NamedExpression[];
  readonly validations?: readonly Validation[];
  readonly validationActions?: readonly string[];
  readonly failurePolicy?: 'Fail' | 'Ignore';
  readonly autogen?: { readonly podControllers?: { readonly controllers?: readonly string[] } };
  readonly [other: string]: unknown;
}

export interface ValidatingPolicyDocument {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly spec: ValidatingPolicySpec;
}

/** A Kubernetes object as parsed from YAML or rendered by cdk8s. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly [k: string]: unknown;
  };
  readonly [k: string]: unknown;
}

export const VALIDATING_POLICY_API_VERSIONS = ['policies.kyverno.io/v1', 'policies.kyverno.io/v1beta1', 'policies.kyverno.io/v1alpha1'] as const;
export const VALIDATING_POLICY_KINDS = ['ValidatingPolicy', 'NamespacedValidatingPolicy'] as const;

export function isValidatingPolicy(doc: unknown): doc is ValidatingPolicyDocument {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as { apiVersion?: unknown; kind?: unknown };
  return (
    (VALIDATING_POLICY_API_VERSIONS as readonly unknown[]).includes(d.apiVersion) &&
    (VALIDATING_POLICY_KINDS as readonly unknown[]).includes(d.kind)
  );
}
