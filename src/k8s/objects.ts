/** A rendered Kubernetes object as plain data. */
export type KubeJson = Record<string, any>;

export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function objectId(obj: KubeJson): ObjectId {
  const ns = obj.metadata?.namespace;
  return { apiVersion: String(obj.apiVersion), kind: String(obj.kind), name: String(obj.metadata?.name), ...(ns ? { namespace: String(ns) } : {}) };
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects), for messages. */
export function describeObject(obj: KubeJson | ObjectId): string {
  const id = 'metadata' in obj ? objectId(obj as KubeJson) : (obj as ObjectId);
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

/** The key that identifies an object in a cluster: apiVersion group, kind, namespace, name. */
export function objectKey(obj: KubeJson | ObjectId): string {
  const id = 'metadata' in obj ? objectId(obj as KubeJson) : (obj as ObjectId);
  const group = id.apiVersion.includes('/') ? id.apiVersion.split('/')[0] : '';
  return `${group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

export interface PodTemplate {
  /** The pod spec. */
  readonly spec: KubeJson;
  /** Labels of the pods. */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** JSON pointer of the pod spec inside the object. */
  readonly pointer: string;
}

/** The pod template of a Pod or pod controller, or undefined for other kinds. */
export function podTemplateOf(obj: KubeJson): PodTemplate | undefined {
  switch (obj.kind) {
    case 'Pod':
      return obj.spec ? { spec: obj.spec, labels: obj.metadata?.labels ?? {}, annotations: obj.metadata?.annotations ?? {}, pointer: '/spec' } : undefined;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job': {
      const t = obj.spec?.template;
      return t?.spec ? { spec: t.spec, labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {}, pointer: '/spec/template/spec' } : undefined;
    }
    case 'CronJob': {
      const t = obj.spec?.jobTemplate?.spec?.template;
      return t?.spec ? { spec: t.spec, labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {}, pointer: '/spec/jobTemplate/spec/template/spec' } : undefined;
    }
    default:
      return undefined;
  }
}

/** Every container of a pod spec with its JSON pointer (init, regular, ephemeral). */
export function containersOf(spec: KubeJson, pointer: string): { container: KubeJson; pointer: string }[] {
  const out: { container: KubeJson; pointer: string }[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec[field] as KubeJson[] | undefined)?.forEach((c, i) => out.push({ container: c, pointer: `${pointer}/${field}/${i}` }));
  }
  return out;
}
