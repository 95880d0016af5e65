import type { ArgoCdEnvironmentInput, DeliveryEnvironment } from '../../../src/delivery/argocd/generate.ts';
import type { ManifestObject } from '../../../src/delivery/argocd/revision.ts';
import { manifestPath } from '../../../src/synth/layout.ts';
import type { KubeJson } from '../../../src/k8s/objects.ts';

/** A manifest object as synth renders it. */
export function obj(apiVersion: string, kind: string, name: string, namespace?: string, extra: KubeJson = {}): ManifestObject {
  const json: KubeJson = { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...extra };
  return { json, path: manifestPath(json) };
}

/** A small rendering: two namespaces, a CRD, a custom resource, RBAC and a workload. */
export function smallRendering(): ManifestObject[] {
  return [
    obj('v1', 'Namespace', 'team-a'),
    obj('v1', 'Namespace', 'team-b'),
    obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
    obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'widget-reader'),
    obj('example.com/v1', 'Widget', 'w1', 'team-a'),
    obj('apps/v1', 'Deployment', 'api', 'team-a'),
    obj('v1', 'Service', 'api', 'team-a'),
    obj('networking.k8s.io/v1', 'NetworkPolicy', 'default-deny', 'team-b'),
    obj('v1', 'ConfigMap', 'settings', 'team-b'),
  ];
}

export function env(name: string, stage: DeliveryEnvironment['stage'], extra: Partial<DeliveryEnvironment> & { delivery?: unknown } = {}): DeliveryEnvironment {
  return {
    name,
    stage,
    clusters: [{ name: `${name}-1`, server: `https://${name}-1.example.internal:6443`, apiServerCidrs: [] }],
    ...extra,
  };
}

/** dev, staging and production, each rendering `smallRendering()`. */
export function threeEnvironments(): ArgoCdEnvironmentInput[] {
  return [
    { config: env('dev', 'dev'), objects: smallRendering() },
    { config: env('staging', 'staging'), objects: smallRendering() },
    { config: env('production', 'production'), objects: smallRendering() },
  ];
}
