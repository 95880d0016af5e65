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

/** Where the pod template lives in each kind that runs pods (shared by every gate and report). */
const TEMPLATE_PATH: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Kinds whose objects carry a pod spec. */
export const POD_KINDS: readonly string[] = Object.keys(TEMPLATE_PATH);

export interface PodSpecLocation {
  /** JSON pointer of the PodSpec, e.g. `/spec/template/spec`. */
  readonly specPointer: string;
  /** JSON pointer of the pod's metadata (where AppArmor annotations live). */
  readonly metadataPointer: string;
  readonly spec: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pod spec of a Pod or pod controller, or undefined for other kinds or when it is absent. */
export function findPodSpec(obj: Record<string, unknown>): PodSpecLocation | undefined {
  const path = typeof obj.kind === 'string' ? TEMPLATE_PATH[obj.kind] : undefined;
  if (!path) return undefined;
  let template: unknown = obj;
  for (const key of path) template = isObject(template) ? template[key] : undefined;
  if (!isObject(template) || !isObject(template.spec)) return undefined;
  const base = path.length === 0 ? '' : `/${path.join('/')}`;
  return {
    specPointer: `${base}/spec`,
    metadataPointer: `${base}/metadata`,
    spec: template.spec,
    metadata: isObject(template.metadata) ? template.metadata : {},
  };
}

/** The pod template of a Pod or pod controller, or undefined for other kinds. */
export function podTemplateOf(obj: KubeJson): PodTemplate | undefined {
  const found = findPodSpec(obj);
  if (!found) return undefined;
  const m = found.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
  return { spec: found.spec as KubeJson, labels: m.labels ?? {}, annotations: m.annotations ?? {}, pointer: found.specPointer };
}

/** Every container of a pod spec with its JSON pointer (init, regular, ephemeral). */
export function containersOf(spec: KubeJson, pointer: string): { container: KubeJson; pointer: string }[] {
  const out: { container: KubeJson; pointer: string }[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec[field] as KubeJson[] | undefined)?.forEach((c, i) => out.push({ container: c, pointer: `${pointer}/${field}/${i}` }));
  }
  return out;
}
