import type { Problem } from '../util/errors.ts';
import type { RenderedObject } from '../synth/render.ts';

/**
 * Every namespace must contain a NetworkPolicy that selects every pod (`podSelector: {}`), names
 * both Ingress and Egress, and allows nothing. This is the shape the admission-side audit policy
 * looks for; it cannot be checked in the cluster without an API lookup, so Lockstep checks it here.
 */
export function checkDefaultDeny(objects: readonly RenderedObject[]): Problem[] {
  const denied = new Set<string>();
  for (const o of objects) {
    const j = o.json;
    if (j.kind !== 'NetworkPolicy') continue;
    const spec = j.spec ?? {};
    const selectsAll = spec.podSelector && Object.keys(spec.podSelector).every((k) => Object.keys(spec.podSelector[k] ?? {}).length === 0);
    const types: string[] = spec.policyTypes ?? [];
    if (selectsAll && types.includes('Ingress') && types.includes('Egress') && !(spec.ingress?.length) && !(spec.egress?.length)) {
      denied.add(j.metadata.namespace);
    }
  }
  return objects
    .filter((o) => o.json.kind === 'Namespace' && !denied.has(o.json.metadata.name))
    .map((o) => ({
      constructPath: o.constructPath,
      file: o.path,
      code: 'network/default-deny',
      message: `namespace ${o.json.metadata.name} has no default-deny NetworkPolicy for Ingress and Egress`,
      fix: 'create it with TenantNamespace, or add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress]',
    }));
}
