import type { KubeJson } from '../k8s/objects.ts';

/** Folder for cluster-scoped objects. Namespaces are DNS labels and cannot start with "_". */
export const CLUSTER_SCOPED_DIR = '_cluster';

/**
 * Where an object is written, relative to `dist/<env>/`:
 * `manifests/<namespace>/<kind>_<name>.yaml`, or `manifests/_cluster/<kind>_<name>.yaml`.
 * `_` never occurs in kinds or names, so the path is unambiguous; the namespace in the path keeps
 * same-named objects of different namespaces apart.
 */
export function manifestPath(obj: KubeJson): string {
  const ns = obj.metadata?.namespace as string | undefined;
  const kind = String(obj.kind).toLowerCase();
  return `manifests/${ns ?? CLUSTER_SCOPED_DIR}/${kind}_${obj.metadata?.name}.yaml`;
}
