/**
 * `irreversible`: changes the API server refuses to apply in place or that lose data — immutable
 * fields (workload selectors, Job templates, Service clusterIP and headless-ness, StatefulSet claim
 * templates, binding roleRef, immutable ConfigMap/Secret data), CRD versions removed or the storage
 * version moved, PersistentVolumeClaim changes, Namespace deletion.
 */
import type { KubeJson } from '../../../k8s/objects.ts';
import { jsonEqual } from '../match.ts';
import type { RiskNote } from '../types.ts';

const SELECTOR_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];
const RECREATE = 'the API server rejects the update; the object must be deleted and recreated';

function note(pointer: string, message: string): RiskNote {
  return { class: 'irreversible', pointer, message };
}

function immutable(before: KubeJson, after: KubeJson, pointer: string, what: string): RiskNote[] {
  const get = (o: KubeJson) => pointer.split('/').slice(1).reduce<unknown>((v, k) => (v as KubeJson | undefined)?.[k], o);
  return jsonEqual(get(before) ?? null, get(after) ?? null) ? [] : [note(pointer, `${what} changed: ${RECREATE}`)];
}

function isHeadless(svc: KubeJson): boolean {
  return svc.spec?.clusterIP === 'None';
}

function crdNotes(before: KubeJson, after: KubeJson): RiskNote[] {
  const versions = (o: KubeJson) => ((o.spec?.versions as KubeJson[] | undefined) ?? []).map((v) => ({ name: String(v.name), storage: v.storage === true }));
  const was = versions(before);
  const now = versions(after);
  const notes: RiskNote[] = [];
  for (const v of was) {
    if (!now.some((n) => n.name === v.name)) notes.push(note('/spec/versions', `version ${v.name} removed: stored objects and clients of ${v.name} break`));
  }
  const storageWas = was.find((v) => v.storage)?.name;
  const storageNow = now.find((v) => v.storage)?.name;
  if (storageWas && storageNow && storageWas !== storageNow) notes.push(note('/spec/versions', `storage version ${storageWas} → ${storageNow}: existing objects need a storage migration`));
  notes.push(...immutable(before, after, '/spec/scope', 'scope'));
  return notes;
}

/** The irreversible-change classifier. */
export function classifyIrreversible(before: KubeJson | undefined, after: KubeJson | undefined): RiskNote[] {
  if (!before) return [];
  const kind = String(before.kind);
  if (!after) {
    if (kind === 'Namespace') return [note('', `Namespace ${before.metadata?.name} deleted: everything in it is deleted with it`)];
    if (kind === 'PersistentVolumeClaim') return [note('', 'PersistentVolumeClaim deleted: its volume (and data) may be deleted with it')];
    if (kind === 'CustomResourceDefinition') return [note('', 'CustomResourceDefinition deleted: every custom resource of it is deleted')];
    return [];
  }
  if (SELECTOR_KINDS.includes(kind)) {
    const notes = immutable(before, after, '/spec/selector', `${kind} spec.selector`);
    if (kind === 'StatefulSet') {
      notes.push(...immutable(before, after, '/spec/volumeClaimTemplates', 'StatefulSet volumeClaimTemplates'));
      notes.push(...immutable(before, after, '/spec/serviceName', 'StatefulSet serviceName'));
      notes.push(...immutable(before, after, '/spec/podManagementPolicy', 'StatefulSet podManagementPolicy'));
    }
    return notes;
  }
  switch (kind) {
    case 'Job':
      return [...immutable(before, after, '/spec/selector', 'Job spec.selector'), ...immutable(before, after, '/spec/template', 'Job spec.template')];
    case 'Service': {
      if (isHeadless(before) !== isHeadless(after)) return [note('/spec/clusterIP', `Service ${isHeadless(after) ? 'becomes headless' : 'is no longer headless'}: ${RECREATE}`)];
      return immutable(before, after, '/spec/clusterIP', 'Service spec.clusterIP');
    }
    case 'CustomResourceDefinition':
      return crdNotes(before, after);
    case 'PersistentVolumeClaim':
      return jsonEqual(before.spec, after.spec) ? [] : [note('/spec', 'PersistentVolumeClaim spec changed: only a storage request increase applies in place, and a volume never shrinks')];
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return immutable(before, after, '/roleRef', `${kind} roleRef`);
    case 'ConfigMap':
    case 'Secret':
      if (before.immutable === true && !(jsonEqual(before.data, after.data) && jsonEqual(before.binaryData ?? before.stringData, after.binaryData ?? after.stringData))) {
        return [note('/data', `immutable ${kind} data changed: ${RECREATE}`)];
      }
      return [];
    default:
      return [];
  }
}
