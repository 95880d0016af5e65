import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { addCheck } from '../core/checks.ts';
import { KubeObject } from '../core/kube-object.ts';
import { assertDnsSubdomain, Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import { sortKeysDeep } from '../core/sort.ts';
import { assertPolicyMode, failureActionFor, validationActionsFor, type PolicyMode } from './mode.ts';
import { PolicyResource } from './resource.ts';

export type PolicySeverity = 'low' | 'medium' | 'high' | 'critical';
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** Kubernetes label selector. */
export interface PolicyLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }[];
}

/** Which admission requests a policy looks at. */
export interface PolicyMatch {
  /** The resources (and subresources) the policy applies to; at least one. */
  readonly resources: readonly PolicyResource[];
  /** @default ['CREATE', 'UPDATE'] */
  readonly operations?: readonly AdmissionOperation[];
  /**
   * Only objects in these namespaces. A ValidatingPolicy has no namespace list, so this becomes a
   * match condition on `request.namespace` (a namespace selector would switch pod-controller
   * autogen off); a ClusterPolicy gets `match.resources.namespaces`.
   * @default every namespace
   */
  readonly namespaces?: readonly string[];
  /** Only objects in namespaces with these labels. Switches pod-controller autogen off. @default every namespace */
  readonly namespaceSelector?: PolicyLabelSelector;
  /** Only objects with these labels. Switches pod-controller autogen off. @default every object */
  readonly objectSelector?: PolicyLabelSelector;
  /** Only objects with these names (`resourceNames`). Switches pod-controller autogen off. @default every name */
  readonly names?: readonly string[];
}

/** A named CEL expression: a variable (`variables.<name>`) or a match condition. */
export interface CelExpression {
  readonly name: string;
  readonly expression: string;
}

/** One check of a policy: a CEL expression that must be true. */
export interface PolicyValidation {
  /** Kebab-case rule name shown in reports (`no-latest-tag`); unique within the policy. */
  readonly name: string;
  readonly expression: string;
  /** Fixed message on failure. One of `message` and `messageExpression` is required. */
  readonly message?: string;
  /** CEL expression producing the message; it may name the offending container or value. */
  readonly messageExpression?: string;
}

export interface AdmissionPolicyProps {
  /** `metadata.name`, and the folder/file name wherever the policy is written. */
  readonly name: string;
  /** `policies.kyverno.io/title`. */
  readonly title: string;
  /** `policies.kyverno.io/category`, e.g. "Pod Security", "Supply Chain". */
  readonly category: string;
  /** `policies.kyverno.io/severity`. */
  readonly severity: PolicySeverity;
  /** `policies.kyverno.io/description`: what the policy requires and why. */
  readonly description: string;
  /**
   * Rollout mode, supplied by the platform from the environment (`env.policies.modes[name] ??
   * env.policies.defaultMode`); never hard-coded in the policy.
   */
  readonly mode: PolicyMode;
  readonly match: PolicyMatch;
  /** Extra conditions that must all be true for the policy to apply (else the result is `skip`). @default none */
  readonly matchConditions?: readonly CelExpression[];
  /** Named expressions evaluated lazily and shared by validations. @default none */
  readonly variables?: readonly CelExpression[];
  /** The checks; more can be added with `addValidation`. At least one is required by synth. */
  readonly validations?: readonly PolicyValidation[];
  /**
   * Apply a Pod policy to pod controllers too (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
   * CronJob), by Kyverno's autogen, which rewrites `object.spec` to the pod template.
   * Only possible when `match` selects exactly Pods with no selectors or names.
   * @default true when possible, otherwise false
   */
  readonly autogen?: boolean;
  /**
   * Render a legacy `kyverno.io/v1` ClusterPolicy (rules with `validate.cel`) instead of a
   * `policies.kyverno.io/v1` ValidatingPolicy, for clusters on Kyverno before 1.14.
   * ClusterPolicy is deprecated upstream (removal planned for Kyverno 1.20).
   * @default false
   */
  readonly legacyClusterPolicy?: boolean;
  /** What the API server does when the policy cannot be evaluated. @default 'Fail' */
  readonly failurePolicy?: 'Fail' | 'Ignore';
}

const RULE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CEL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAMESPACES_CONDITION = 'lockstep-namespaces';

export const VALIDATING_POLICY_API_VERSION = 'policies.kyverno.io/v1';
export const CLUSTER_POLICY_API_VERSION = 'kyverno.io/v1';
/** Annotation carrying the rollout mode, so `lockstep check` reads it from the rendered policy. */
export const POLICY_MODE_ANNOTATION = 'lockstep.dev/policy-mode';
/** Annotation listing validation names in order: Kyverno reports a failing index, reports show the name. */
export const POLICY_VALIDATIONS_ANNOTATION = 'lockstep.dev/validations';

/**
 * A Kyverno admission policy built from CEL validations.
 *
 * Renders a `policies.kyverno.io/v1` ValidatingPolicy (or, with `legacyClusterPolicy`, the
 * equivalent `kyverno.io/v1` ClusterPolicy with one `validate.cel` rule per validation and the
 * rule-level `failureAction`). In `Preview` mode nothing is rendered into the cluster manifests:
 * the policy exists only for `lockstep check` (see `previewPolicies`).
 */
export class AdmissionPolicy extends Construct {
  static isAdmissionPolicy(x: unknown): x is AdmissionPolicy {
    return x instanceof AdmissionPolicy;
  }

  readonly name: string;
  readonly mode: PolicyMode;
  /** The rendered object, absent in Preview mode. */
  readonly apiObject?: KubeObject;
  private readonly props: AdmissionPolicyProps;
  private readonly validations: PolicyValidation[] = [];
  private readonly variables: CelExpression[] = [];
  private readonly autogen: boolean;

  constructor(scope: Construct, id: string, props: AdmissionPolicyProps) {
    super(scope, id);
    assertDnsSubdomain('AdmissionPolicy name', props.name);
    assertPolicyMode(`AdmissionPolicy ${props.name}: mode`, props.mode);
    if (!props.match || props.match.resources.length === 0) {
      throw new Error(`AdmissionPolicy ${props.name}: match.resources must name at least one resource, e.g. [PolicyResource.PODS]`);
    }
    for (const field of ['title', 'category', 'description'] as const) {
      if (typeof props[field] !== 'string' || props[field].trim() === '') {
        throw new Error(`AdmissionPolicy ${props.name}: ${field} must be a non-empty string, got ${JSON.stringify(props[field])}`);
      }
    }
    const canAutogen = autogenPossible(props.match);
    if (props.autogen === true && !canAutogen) {
      throw new Error(
        `AdmissionPolicy ${props.name}: autogen needs a match of exactly PolicyResource.PODS without namespaceSelector, objectSelector or names ` +
          `(Kyverno generates no pod-controller rules otherwise); list the controller resources in match.resources instead`,
      );
    }
    this.name = props.name;
    this.mode = props.mode;
    this.props = props;
    this.autogen = props.autogen ?? canAutogen;
    for (const v of props.variables ?? []) this.addVariable(v);
    for (const v of props.validations ?? []) this.addValidation(v);
    if (props.mode !== 'Preview') {
      const legacy = props.legacyClusterPolicy === true;
      this.apiObject = new KubeObject(this, 'Resource', {
        apiVersion: legacy ? CLUSTER_POLICY_API_VERSION : VALIDATING_POLICY_API_VERSION,
        kind: legacy ? 'ClusterPolicy' : 'ValidatingPolicy',
        name: props.name,
        labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
        annotations: this.annotations(legacy),
        body: () => {
          // Annotations depend on validations added after construction.
          this.apiObject!.metadata.addAnnotation(POLICY_VALIDATIONS_ANNOTATION, this.validations.map((v) => v.name).join(','));
          return legacy ? { spec: this.clusterPolicySpec() } : { spec: this.validatingPolicySpec() };
        },
      });
    }
    addCheck(this, () => (this.validations.length === 0 ? [`AdmissionPolicy ${this.name} has no validations; add one with addValidation({ name, expression, message })`] : []));
  }

  /** Adds a check. Names must be unique kebab-case; a message or messageExpression is required. */
  addValidation(v: PolicyValidation): void {
    const where = `AdmissionPolicy ${this.name}: validation ${JSON.stringify(v.name)}`;
    if (!RULE_NAME.test(v.name ?? '') || v.name.length > 63) throw new Error(`${where}: name must be kebab-case (a-z, 0-9, "-"), at most 63 characters`);
    if (this.validations.some((x) => x.name === v.name)) throw new Error(`${where}: a validation with this name already exists; names must be unique within a policy`);
    if (typeof v.expression !== 'string' || v.expression.trim() === '') throw new Error(`${where}: expression must be a non-empty CEL expression, got ${JSON.stringify(v.expression)}`);
    if (!v.message && !v.messageExpression) throw new Error(`${where}: needs a message or messageExpression that tells the user what to change`);
    this.validations.push({ ...v });
  }

  /** Adds a named CEL expression available to validations as `variables.<name>`. */
  addVariable(v: CelExpression): void {
    const where = `AdmissionPolicy ${this.name}: variable ${JSON.stringify(v.name)}`;
    if (!CEL_IDENTIFIER.test(v.name ?? '')) throw new Error(`${where}: name must be a CEL identifier (letters, digits, "_", not starting with a digit)`);
    if (this.variables.some((x) => x.name === v.name)) throw new Error(`${where}: a variable with this name already exists`);
    if (typeof v.expression !== 'string' || v.expression.trim() === '') throw new Error(`${where}: expression must be a non-empty CEL expression, got ${JSON.stringify(v.expression)}`);
    this.variables.push({ ...v });
  }

  /** The policy as a ValidatingPolicy document (also in Preview mode, where it is never applied). */
  toValidatingPolicy(): Record<string, unknown> {
    const annotations = { ...this.annotations(false), [POLICY_VALIDATIONS_ANNOTATION]: this.validations.map((v) => v.name).join(',') };
    return {
      apiVersion: VALIDATING_POLICY_API_VERSION,
      kind: 'ValidatingPolicy',
      metadata: { annotations: sortKeysDeep(annotations), labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP }, name: this.name },
      spec: sortKeysDeep(this.validatingPolicySpec()),
    };
  }

  private annotations(legacy: boolean): Record<string, string> {
    const p = this.props;
    const subjects = [...new Set(p.match.resources.map((r) => r.kind))];
    return {
      'policies.kyverno.io/title': p.title,
      'policies.kyverno.io/category': p.category,
      'policies.kyverno.io/severity': p.severity,
      'policies.kyverno.io/subject': subjects.join(', '),
      'policies.kyverno.io/description': p.description,
      [POLICY_MODE_ANNOTATION]: p.mode,
      // ClusterPolicy autogen is on by default for Pod-only rules; this is how it is switched off.
      ...(legacy && !this.autogen ? { 'pod-policies.kyverno.io/autogen-controllers': 'none' } : {}),
    };
  }

  private operations(): string[] {
    return [...(this.props.match.operations ?? ['CREATE', 'UPDATE'])];
  }

  private matchConditions(includeNamespaces: boolean): CelExpression[] {
    const out: CelExpression[] = [];
    const ns = this.props.match.namespaces;
    if (includeNamespaces && ns && ns.length > 0) {
      out.push({ name: NAMESPACES_CONDITION, expression: `request.namespace in [${ns.map((n) => `'${n}'`).join(', ')}]` });
    }
    for (const c of this.props.matchConditions ?? []) out.push({ name: c.name, expression: c.expression });
    return out;
  }

  private validatingPolicySpec(): Record<string, unknown> {
    const m = this.props.match;
    // One resource rule per group/version, as Kyverno writes them.
    const byGv = new Map<string, { group: string; version: string; resources: string[] }>();
    for (const r of m.resources) {
      const key = `${r.group}/${r.version}`;
      const entry = byGv.get(key) ?? { group: r.group, version: r.version, resources: [] };
      if (!entry.resources.includes(r.resourcePath)) entry.resources.push(r.resourcePath);
      byGv.set(key, entry);
    }
    const resourceRules = [...byGv.values()].map((e) => ({
      apiGroups: [e.group],
      apiVersions: [e.version],
      operations: this.operations(),
      resources: e.resources,
      ...(m.names && m.names.length > 0 ? { resourceNames: [...m.names] } : {}),
    }));
    const conditions = this.matchConditions(true);
    return {
      validationActions: validationActionsFor(this.mode),
      failurePolicy: this.props.failurePolicy ?? 'Fail',
      matchConstraints: {
        resourceRules,
        ...(m.namespaceSelector ? { namespaceSelector: selectorJson(m.namespaceSelector) } : {}),
        ...(m.objectSelector ? { objectSelector: selectorJson(m.objectSelector) } : {}),
      },
      ...(conditions.length > 0 ? { matchConditions: conditions } : {}),
      ...(this.variables.length > 0 ? { variables: this.variables.map((v) => ({ name: v.name, expression: v.expression })) } : {}),
      validations: this.validations.map(validationJson),
      // An empty controller list switches autogen off for a Pod-only policy.
      ...(!this.autogen && autogenPossible(m) ? { autogen: { podControllers: { controllers: [] } } } : {}),
    };
  }

  private clusterPolicySpec(): Record<string, unknown> {
    const m = this.props.match;
    const resources = {
      kinds: [...new Set(m.resources.map((r) => r.clusterPolicyKind))],
      operations: this.operations(),
      ...(m.names && m.names.length > 0 ? { names: [...m.names] } : {}),
      ...(m.namespaces && m.namespaces.length > 0 ? { namespaces: [...m.namespaces] } : {}),
      ...(m.namespaceSelector ? { namespaceSelector: selectorJson(m.namespaceSelector) } : {}),
      ...(m.objectSelector ? { selector: selectorJson(m.objectSelector) } : {}),
    };
    const conditions = this.matchConditions(false);
    return {
      admission: true,
      background: true,
      ...(this.mode === 'Warn' ? { emitWarning: true } : {}),
      webhookConfiguration: { failurePolicy: this.props.failurePolicy ?? 'Fail' },
      rules: this.validations.map((v) => ({
        name: v.name,
        match: { any: [{ resources }] },
        ...(conditions.length > 0 ? { celPreconditions: conditions } : {}),
        validate: {
          failureAction: failureActionFor(this.mode),
          cel: {
            ...(this.variables.length > 0 ? { variables: this.variables.map((x) => ({ name: x.name, expression: x.expression })) } : {}),
            expressions: [validationJson(v)],
          },
        },
      })),
    };
  }
}

function validationJson(v: PolicyValidation): Record<string, string> {
  return {
    expression: v.expression,
    ...(v.message ? { message: v.message } : {}),
    ...(v.messageExpression ? { messageExpression: v.messageExpression } : {}),
  };
}

function selectorJson(s: PolicyLabelSelector): Record<string, unknown> {
  return {
    ...(s.matchLabels ? { matchLabels: { ...s.matchLabels } } : {}),
    ...(s.matchExpressions ? { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) })) } : {}),
  };
}

function hasLabels(s: PolicyLabelSelector | undefined): boolean {
  return !!s && (Object.keys(s.matchLabels ?? {}).length > 0 || (s.matchExpressions ?? []).length > 0);
}

/** Kyverno's `CanAutoGen`: exactly Pods, no selectors and no names. */
function autogenPossible(m: PolicyMatch): boolean {
  return m.resources.length === 1 && m.resources[0]!.isPods && !hasLabels(m.namespaceSelector) && !hasLabels(m.objectSelector) && (m.names ?? []).length === 0;
}

/** A Preview-mode policy: not in the manifests, evaluated by `lockstep check` only. */
export interface PreviewPolicy {
  readonly name: string;
  readonly constructPath: string;
  readonly document: Record<string, unknown>;
}

/** Every Preview-mode AdmissionPolicy under `root`, sorted by name. */
export function previewPolicies(root: IConstruct): PreviewPolicy[] {
  return root.node
    .findAll()
    .filter((c): c is AdmissionPolicy => AdmissionPolicy.isAdmissionPolicy(c) && c.mode === 'Preview')
    .map((p) => ({ name: p.name, constructPath: p.node.path, document: p.toValidatingPolicy() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
