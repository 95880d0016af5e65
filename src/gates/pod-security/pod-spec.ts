/**
 * Where the pod template lives in each kind that runs pods: the table is shared with every other
 * gate and report (src/k8s/objects.ts).
 */
export { findPodSpec, POD_KINDS, type PodSpecLocation } from '../../k8s/objects.ts';
