import { Construct } from 'constructs';
import { KubeObject } from '../core/kube-object.ts';
import { assertDnsLabel, Labels, MANAGED_BY_LOCKSTEP } from '../core/labels.ts';
import { recordSource } from '../core/source.ts';
import type { Schema } from './schema.ts';

export interface PrinterColumn {
  readonly name: string;
  readonly jsonPath: string;
  /** @default 'string' */
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'date';
}

export interface CrdVersion<Spec> {
  readonly name: string;
  /** Schema of `spec`. */
  readonly spec: Schema<Spec>;
  /** Schema of `status` (free-form by default). */
  readonly status?: Schema<unknown>;
  /** @default true */
  readonly served?: boolean;
  /** Exactly one version is the storage version. @default true for the first version */
  readonly storage?: boolean;
  readonly printerColumns?: readonly PrinterColumn[];
  /** Add the `scale` subresource bound to `.spec.replicas`. @default false */
  readonly scale?: boolean;
}

export interface CustomResourceDefinitionProps<Spec> {
  /** API group, e.g. `gastown.gastown.io`. */
  readonly group: string;
  /** Kind in PascalCase, e.g. `Polecat`. */
  readonly kind: string;
  /** @default lower-case kind + "s" */
  readonly plural?: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  /** @default 'Namespaced' */
  readonly scope?: 'Namespaced' | 'Cluster';
  /** Versions; the first is the storage version unless another says `storage: true`. */
  readonly versions: readonly [CrdVersion<Spec>, ...CrdVersion<unknown>[]];
}

export interface CustomResourceProps<Spec> {
  readonly name: string;
  /** Required for namespaced kinds, refused for cluster-scoped ones. */
  readonly namespace?: string;
  readonly spec: Spec;
  readonly labels?: Record<string, string>;
}

/**
 * A CustomResourceDefinition authored with typed schemas (`S.object(...)`) and emitted as
 * `apiextensions.k8s.io/v1`, with the status subresource on every version.
 * `crd.instance(scope, id, { name, spec })` creates a typed custom resource; Lockstep validates it
 * against this CRD's schema at synth, including fields the API server would silently prune.
 */
export class CustomResourceDefinition<Spec = unknown> extends Construct {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly storageVersion: string;
  private readonly props: CustomResourceDefinitionProps<Spec>;

  constructor(scope: Construct, id: string, props: CustomResourceDefinitionProps<Spec>) {
    super(scope, id);
    recordSource(this);
    this.props = props;
    this.group = props.group;
    this.kind = props.kind;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(props.kind)) throw new Error(`CRD kind must be PascalCase like "Polecat", got ${JSON.stringify(props.kind)}`);
    this.plural = props.plural ?? `${props.kind.toLowerCase()}s`;
    assertDnsLabel(`CRD ${props.kind} plural`, this.plural);
    this.scope = props.scope ?? 'Namespaced';
    const storage = props.versions.filter((v) => v.storage === true);
    if (storage.length > 1) throw new Error(`CRD ${this.plural}.${this.group} marks ${storage.length} versions as storage; exactly one version is stored`);
    this.storageVersion = (storage[0] ?? props.versions[0]).name;

    new KubeObject(this, 'Resource', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: `${this.plural}.${this.group}`,
      labels: { [Labels.MANAGED_BY]: MANAGED_BY_LOCKSTEP },
      body: () => ({
        spec: {
          group: this.group,
          names: {
            kind: this.kind,
            listKind: `${this.kind}List`,
            plural: this.plural,
            singular: this.kind.toLowerCase(),
            ...(props.shortNames?.length ? { shortNames: [...props.shortNames] } : {}),
            ...(props.categories?.length ? { categories: [...props.categories] } : {}),
          },
          scope: this.scope,
          versions: props.versions.map((v) => ({
            name: v.name,
            served: v.served ?? true,
            storage: v.name === this.storageVersion,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  apiVersion: { type: 'string' },
                  kind: { type: 'string' },
                  metadata: { type: 'object' },
                  spec: v.spec.json,
                  status: v.status?.json ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
            subresources: {
              status: {},
              ...(v.scale ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } : {}),
            },
            ...(v.printerColumns?.length
              ? { additionalPrinterColumns: v.printerColumns.map((c) => ({ name: c.name, jsonPath: c.jsonPath, type: c.type ?? 'string' })) }
              : {}),
          })),
        },
      }),
    });
  }

  /** `group/version` of the storage version. */
  get apiVersion(): string {
    return `${this.group}/${this.storageVersion}`;
  }

  /** A custom resource of this kind. Its spec is typed by the CRD's schema. */
  instance(scope: Construct, id: string, props: CustomResourceProps<Spec>): KubeObject {
    if (this.scope === 'Namespaced' && !props.namespace) {
      throw new Error(`${this.kind} ${props.name} is namespaced; pass namespace: '<name>'`);
    }
    if (this.scope === 'Cluster' && props.namespace) {
      throw new Error(`${this.kind} ${props.name} is cluster-scoped; remove namespace ${JSON.stringify(props.namespace)}`);
    }
    const spec = props.spec;
    const obj = new KubeObject(scope, id, {
      apiVersion: this.apiVersion,
      kind: this.kind,
      name: props.name,
      ...(props.namespace ? { namespace: props.namespace } : {}),
      ...(props.labels ? { labels: props.labels } : {}),
      body: () => ({ spec: structuredClone(spec) as unknown }),
    });
    recordSource(obj);
    return obj;
  }

  get versions(): readonly CrdVersion<unknown>[] {
    return this.props.versions;
  }
}
