/**
 * Where the pod template lives in each kind that runs pods.
 */

export interface PodSpecLocation {
  /** JSON pointer of the PodSpec, e.g. `/spec/template/spec`. */
  readonly specPointer: string;
  /** JSON pointer of the pod's metadata (where AppArmor annotations live). */
  readonly metadataPointer: string;
  readonly spec: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

const TEMPLATE_PATH: Record<string, readonly string[]> = {
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
