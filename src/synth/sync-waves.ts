import { ApiObject } from 'cdk8s';
import type { Platform } from '../../constructs/core/platform.ts';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The order Argo CD applies objects in, derived from what depends on what: namespaces and CRDs
 * first (everything else lives in or is typed by them), then admission policies (so workloads are
 * admitted under them), then identities, config and network rules, then Services, then workloads,
 * and last the custom resources that operators reconcile (their controllers must be running).
 */
const WAVES: Readonly<Record<string, number>> = {
  Namespace: -3,
  CustomResourceDefinition: -3,
  ValidatingPolicy: -2,
  ImageValidatingPolicy: -2,
  ClusterPolicy: -2,
  Policy: -2,
  PolicyException: -2,
  ServiceAccount: -1,
  Role: -1,
  ClusterRole: -1,
  RoleBinding: -1,
  ClusterRoleBinding: -1,
  ConfigMap: -1,
  NetworkPolicy: -1,
  ResourceQuota: -1,
  LimitRange: -1,
  PersistentVolumeClaim: -1,
  Service: 0,
  Deployment: 1,
  StatefulSet: 1,
  DaemonSet: 1,
  Job: 1,
  CronJob: 1,
  PodDisruptionBudget: 1,
  HorizontalPodAutoscaler: 1,
};

/** Wave of a kind; kinds Lockstep does not know are custom resources and go last. */
export function syncWave(kind: string): number {
  return WAVES[kind] ?? 2;
}

/** Annotates every object in the tree with its sync wave (a tree pass, so `cdk8s synth` matches). */
export function applySyncWaves(platform: Platform): void {
  for (const c of platform.node.findAll()) {
    if (c instanceof ApiObject) c.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWave(c.kind)));
  }
}
