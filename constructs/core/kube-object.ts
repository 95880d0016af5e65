import { ApiObject, App, JsonPatch } from 'cdk8s';
import type { Construct } from 'constructs';
import { sortKeysDeep } from './sort.ts';

export interface KubeObjectProps {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Namespace of a namespaced object; omit for cluster-scoped objects. */
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /**
   * Produces everything but `apiVersion`, `kind` and `metadata` (usually `spec`, `rules`, `data`...).
   * Called at synth, so `add*` calls made after construction still reach the output.
   */
  readonly body: () => Record<string, unknown>;
}

/**
 * A Kubernetes object rendered from plain data.
 *
 * It is a cdk8s `ApiObject`, so `cdk8s synth`, `ApiObject.of(x).addJsonPatch(...)` and
 * `metadata.addLabel(...)` work as usual. Its `toJson()` skips cdk8s's generic `resolve()` walk
 * (which visits every value through three resolvers and walks to the app root per value): the body
 * is plain data produced by a Lockstep construct, so there is nothing to resolve. That keeps the
 * per-object cost linear and small (see performance-baseline.md §4).
 *
 * Keys are sorted at every level (arrays keep their order), with `apiVersion`, `kind`, `metadata`
 * first, exactly as cdk8s orders them.
 */
export class KubeObject extends ApiObject {
  private readonly renderBody: () => Record<string, unknown>;

  constructor(scope: Construct, id: string, props: KubeObjectProps) {
    super(scope, id, {
      apiVersion: props.apiVersion,
      kind: props.kind,
      metadata: {
        name: props.name,
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
        ...(props.labels ? { labels: { ...props.labels } } : {}),
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
      },
    });
    this.renderBody = props.body;
  }

  override toJson(): any {
    // The body first: rendering may add metadata (e.g. annotations mirrored from a pod template).
    const body = this.renderBody();
    const metadata = (builtinResolversOnly(this) ? plainMetadata(this.metadata) : undefined) ?? (this.metadata.toJson() as Record<string, unknown>);
    // `patches` is private in cdk8s; reading it keeps `addJsonPatch` working as an escape hatch.
    const patches = (this as unknown as { patches: JsonPatch[] }).patches;
    if (patches.length > 0) {
      const data: Record<string, unknown> = { ...body, apiVersion: this.apiVersion, kind: this.kind, metadata };
      return leadingIdentity(JsonPatch.apply(sortKeysDeep(data) as Record<string, unknown>, ...patches) as Record<string, unknown>);
    }
    // One sorting copy of the body; metadata is sorted already. Same result as sorting
    // `{ ...body, apiVersion, kind, metadata }` and moving the three to the front.
    const sorted = sortKeysDeep(body) as Record<string, unknown>;
    const result: Record<string, unknown> = { apiVersion: this.apiVersion, kind: this.kind, metadata };
    for (const k of Object.keys(sorted)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') result[k] = sorted[k];
    return result;
  }
}

/** cdk8s's three built-in resolvers, which leave plain strings as they are: no custom resolver was given to the App. */
function builtinResolversOnly(obj: ApiObject): boolean {
  const resolvers = (App.of(obj) as { resolvers?: readonly unknown[] }).resolvers;
  return Array.isArray(resolvers) && resolvers.length === 3;
}

/** `apiVersion`, `kind`, `metadata` first, then the other keys in their (sorted) order. */
function leadingIdentity(json: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
    if (k in json && !(k in result)) result[k] = json[k];
  }
  return result;
}

/** The fields of cdk8s's `ApiObjectMetadataDefinition` (private there) that `toJson` reads. */
interface MetadataFields {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly labels?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
  readonly _additionalAttributes?: unknown;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const keys = Object.keys(value).sort();
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/**
 * cdk8s's `metadata.toJson()` for the common case, without its `resolve()` walk: name, namespace,
 * labels and annotations that are plain strings, no finalizers, owner references or extra fields.
 * It gives the same object (sorted keys, empty maps left out); anything else returns undefined and
 * goes through cdk8s.
 */
function plainMetadata(metadata: unknown): Record<string, unknown> | undefined {
  const m = metadata as MetadataFields;
  const extra = m._additionalAttributes;
  if (extra === null || typeof extra !== 'object') return undefined;
  for (const k of Object.keys(extra)) if (k !== 'name' && k !== 'namespace' && k !== 'labels' && k !== 'annotations') return undefined;
  if (!Array.isArray(m.finalizers) || m.finalizers.length > 0 || !Array.isArray(m.ownerReferences) || m.ownerReferences.length > 0) return undefined;
  if ((m.name !== undefined && typeof m.name !== 'string') || (m.namespace !== undefined && typeof m.namespace !== 'string')) return undefined;
  const labels = stringMap(m.labels);
  const annotations = stringMap(m.annotations);
  if (!labels || !annotations) return undefined;
  const out: Record<string, unknown> = {};
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  if (Object.keys(labels).length > 0) out.labels = labels;
  if (m.name !== undefined) out.name = m.name;
  if (m.namespace !== undefined) out.namespace = m.namespace;
  return out;
}
