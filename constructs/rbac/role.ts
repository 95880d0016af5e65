import { Construct } from 'constructs';
import { findAcknowledgement, type Acknowledgement } from '../core/acknowledgement.ts';
import { addCheck } from '../core/checks.ts';
import { KubeObject } from '../core/kube-object.ts';
import { assertDnsSubdomain, Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import { recordSource } from '../core/source.ts';
import { ApiResource } from './api-resource.ts';
import type { ISubject } from './subject.ts';
import { READ_VERBS, type Verb } from './verbs.ts';

export interface PolicyRule {
  readonly verbs: readonly Verb[];
  readonly resources: readonly ApiResource[];
  /** Limit the rule to named objects (e.g. the one Secret an agent needs). */
  readonly resourceNames?: readonly string[];
}

export interface AllowOptions {
  readonly resourceNames?: readonly string[];
}

export interface RoleProps {
  /** @default the construct id */
  readonly name?: string;
  /**
   * Exemptions from the RBAC checks, each with a reason: `rbac/wildcard` (a `*` verb, group or
   * resource), `rbac/cluster-secret-read` (ClusterRole reading Secrets bound cluster-wide),
   * `rbac/pods-exec` (exec/attach/ephemeral containers into pods), `rbac/cluster-admin`.
   */
  readonly acknowledgements?: readonly Acknowledgement[];
  /** Extra labels, e.g. `rbac.authorization.k8s.io/aggregate-to-view: "true"`. */
  readonly labels?: Record<string, string>;
}

/** Shared by Role and ClusterRole: the rule list and the checks on it. */
abstract class RoleBase extends Construct {
  readonly name: string;
  protected readonly rules: PolicyRule[] = [];
  protected readonly acknowledgements: readonly Acknowledgement[];
  protected readonly extraLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    recordSource(this);
    this.name = props.name ?? id;
    assertDnsSubdomain(`role name`, this.name);
    this.acknowledgements = props.acknowledgements ?? [];
    this.extraLabels = { ...props.labels };
    addCheck(this, () => this.checkRules());
  }

  /** Allows `verbs` on `resources`. */
  allow(verbs: readonly Verb[], resources: readonly ApiResource[], options: AllowOptions = {}): this {
    if (verbs.length === 0 || resources.length === 0) {
      throw new Error(`${this.kindName} ${this.name}: allow() needs at least one verb and one resource`);
    }
    this.rules.push({ verbs: [...verbs], resources: [...resources], ...(options.resourceNames ? { resourceNames: [...options.resourceNames] } : {}) });
    return this;
  }

  /** get, list and watch on `resources`. */
  allowRead(...resources: ApiResource[]): this {
    return this.allow(['get', 'list', 'watch'], resources);
  }

  get policyRules(): readonly PolicyRule[] {
    return this.rules;
  }

  /** True when some rule lets the holder read Secrets. */
  get readsSecrets(): boolean {
    return this.rules.some(
      (r) =>
        r.resources.some((res) => (res.apiGroup === '' || res.apiGroup === '*') && (res.resource === 'secrets' || res.resource === '*')) &&
        r.verbs.some((v) => READ_VERBS.has(v)) &&
        !r.resourceNames,
    );
  }

  protected abstract readonly kindName: string;

  protected ack(id: Parameters<typeof findAcknowledgement>[1]): Acknowledgement | undefined {
    return findAcknowledgement(this.acknowledgements, id);
  }

  private checkRules(): string[] {
    const errors: string[] = [];
    if (!this.ack('rbac/wildcard')) {
      for (const r of this.rules) {
        const wild = r.verbs.includes('*') ? 'verb "*"' : r.resources.find((x) => x.isWildcard)?.toString();
        if (wild) {
          errors.push(
            `${this.kindName} ${this.name} grants a wildcard (${wild === 'verb "*"' ? wild : `resource "${wild}"`}); ` +
              `list the verbs and resources it needs, or add acknowledgements: [Acknowledgement.of('rbac/wildcard', '<why>')]`,
          );
        }
      }
    }
    if (!this.ack('rbac/pods-exec')) {
      for (const r of this.rules) {
        const shell = r.resources.find((x) => ['pods/exec', 'pods/attach', 'pods/ephemeralcontainers'].includes(x.resource));
        if (shell) {
          errors.push(
            `${this.kindName} ${this.name} grants "${shell.resource}", which opens a shell or debug container in running pods; ` +
              `remove it, or add acknowledgements: [Acknowledgement.of('rbac/pods-exec', '<why>')]`,
          );
        }
      }
    }
    return errors;
  }

  protected rulesJson(): Record<string, unknown>[] {
    return this.rules.map((r) => ({
      apiGroups: [...new Set(r.resources.map((x) => x.apiGroup))],
      resources: [...new Set(r.resources.map((x) => x.resource))],
      verbs: [...r.verbs],
      ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    }));
  }
}

export interface NamespacedRoleProps extends RoleProps {
  readonly namespace: string;
}

/** A namespaced Role. `bind(...subjects)` creates its RoleBinding. */
export class Role extends RoleBase {
  protected readonly kindName = 'Role';
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: NamespacedRoleProps) {
    super(scope, id, props);
    this.namespace = props.namespace;
    new KubeObject(this, 'Resource', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      name: this.name,
      namespace: this.namespace,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP, ...this.extraLabels },
      body: () => ({ rules: this.rulesJson() }),
    });
  }

  bind(...subjects: ISubject[]): void {
    new Binding(this, `Binding${this.node.children.length}`, {
      kind: 'RoleBinding',
      name: this.name,
      namespace: this.namespace,
      roleRef: { kind: 'Role', name: this.name },
      subjects,
    });
  }
}

/** A ClusterRole. `bind()` grants it cluster-wide; `bindInNamespace()` only in one namespace. */
export class ClusterRole extends RoleBase {
  protected readonly kindName = 'ClusterRole';
  private clusterWideBindings = 0;

  constructor(scope: Construct, id: string, props: RoleProps = {}) {
    super(scope, id, props);
    new KubeObject(this, 'Resource', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: this.name,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP, ...this.extraLabels },
      body: () => ({ rules: this.rulesJson() }),
    });
    addCheck(this, () =>
      this.clusterWideBindings > 0 && this.readsSecrets && !this.ack('rbac/cluster-secret-read')
        ? [
            `ClusterRole ${this.name} reads Secrets in every namespace through a ClusterRoleBinding; ` +
              `grant Secret access per namespace (bindInNamespace, or a Role with resourceNames), or add acknowledgements: [Acknowledgement.of('rbac/cluster-secret-read', '<why>')]`,
          ]
        : [],
    );
  }

  /** Grants the role in every namespace (ClusterRoleBinding). */
  bind(...subjects: ISubject[]): void {
    this.clusterWideBindings++;
    new Binding(this, `ClusterBinding${this.clusterWideBindings}`, {
      kind: 'ClusterRoleBinding',
      name: this.clusterWideBindings === 1 ? this.name : `${this.name}-${this.clusterWideBindings}`,
      roleRef: { kind: 'ClusterRole', name: this.name },
      subjects,
    });
  }

  /** Grants the role only inside `namespace` (RoleBinding to this ClusterRole). */
  bindInNamespace(namespace: string, ...subjects: ISubject[]): void {
    new Binding(this, `Binding-${namespace}`, {
      kind: 'RoleBinding',
      name: this.name,
      namespace,
      roleRef: { kind: 'ClusterRole', name: this.name },
      subjects,
    });
  }
}

export interface ClusterRoleRefBindingProps {
  /** Exemption needed to bind `cluster-admin`: `rbac/cluster-admin`. */
  readonly acknowledgements?: readonly Acknowledgement[];
  /** Bind only inside this namespace. @default cluster-wide */
  readonly namespace?: string;
}

/**
 * Binds a ClusterRole that this platform does not define (e.g. the built-in `view` or
 * `cluster-admin`). Binding `cluster-admin` is refused without an acknowledgement.
 */
export class ExistingClusterRoleBinding extends Construct {
  constructor(scope: Construct, id: string, clusterRoleName: string, subjects: ISubject[], props: ClusterRoleRefBindingProps = {}) {
    super(scope, id);
    recordSource(this);
    if (clusterRoleName === 'cluster-admin' && !findAcknowledgement(props.acknowledgements, 'rbac/cluster-admin')) {
      throw new Error(
        `binding ${subjects.map((s) => s.subjectName).join(', ')} to cluster-admin gives full control of the cluster; ` +
          `grant the verbs and resources it needs instead, or add acknowledgements: [Acknowledgement.of('rbac/cluster-admin', '<why>')]`,
      );
    }
    new Binding(this, 'Binding', {
      kind: props.namespace ? 'RoleBinding' : 'ClusterRoleBinding',
      name: `${clusterRoleName}-${id}`.toLowerCase(),
      ...(props.namespace ? { namespace: props.namespace } : {}),
      roleRef: { kind: 'ClusterRole', name: clusterRoleName },
      subjects,
    });
  }
}

interface BindingProps {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  readonly namespace?: string;
  readonly roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  readonly subjects: ISubject[];
}

class Binding extends Construct {
  constructor(scope: Construct, id: string, props: BindingProps) {
    super(scope, id);
    if (props.subjects.length === 0) throw new Error(`${props.kind} ${props.name} needs at least one subject`);
    new KubeObject(this, 'Resource', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: props.kind,
      name: props.name,
      ...(props.namespace ? { namespace: props.namespace } : {}),
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
      body: () => ({
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...props.roleRef },
        subjects: props.subjects.map((s) => s.subjectJson()),
      }),
    });
  }
}
