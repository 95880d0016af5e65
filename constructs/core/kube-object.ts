import { ApiObject, JsonPatch } from 'cdk8s';
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
    const metadata = this.metadata.toJson() as Record<string, unknown>;
    const data: Record<string, unknown> = { ...body, apiVersion: this.apiVersion, kind: this.kind, metadata };
    let json = sortKeysDeep(data) as Record<string, unknown>;
    // `patches` is private in cdk8s; reading it keeps `addJsonPatch` working as an escape hatch.
    const patches = (this as unknown as { patches: JsonPatch[] }).patches;
    if (patches.length > 0) json = JsonPatch.apply(json, ...patches);
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
      if (k in json && !(k in result)) result[k] = json[k];
    }
    return result;
  }
}
