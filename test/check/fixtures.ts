/** Inline test data for the check tests: an environment, the platform's policy set, and objects. */
import { ApiObject, App } from 'cdk8s';
import { Platform, previewPolicies } from '../../constructs/index.ts';
import type { EnvironmentConfig, PolicyMode } from '../../src/config/types.ts';
import { EnvironmentContext } from '../../src/platform/context.ts';
import { platformPolicies } from '../../src/platform/policies.ts';
import type { ObjectSource, PolicySource } from '../../src/check/index.ts';

export const SHA = 'a'.repeat(64);
export const IMAGE = `ghcr.io/acme/agent:1.0.0@sha256:${SHA}`;

export function environment(overrides: { stage?: EnvironmentConfig['stage']; defaultMode?: PolicyMode; modes?: Record<string, PolicyMode>; legacy?: boolean; requireSbom?: boolean } = {}): EnvironmentConfig {
  return {
    apiVersion: 'lockstep.dev/v1alpha1',
    kind: 'Environment',
    name: 'prod',
    stage: overrides.stage ?? 'production',
    clusters: [],
    network: {},
    images: {},
    replicas: { default: 1, workloads: {} },
    resources: { workloads: {} },
    endpoints: {},
    egress: {},
    policies: { defaultMode: overrides.defaultMode ?? 'Deny', modes: overrides.modes ?? {}, legacyClusterPolicy: overrides.legacy ?? false },
    approvals: { required: 2 },
    audit: { enabled: true, retentionDays: 365 },
    supplyChain: { sbomAnnotationPrefix: 'tk8s.io', requireSbom: overrides.requireSbom ?? true, imageSigners: [] },
    signing: { trustedKeys: [], allowDevKey: false },
  };
}

/** The platform policy set rendered for an environment: manifest objects and Preview policies. */
export function policySet(env: EnvironmentConfig = environment()): { objects: ObjectSource[]; previews: PolicySource[] } {
  const platform = new Platform(new App(), env.name);
  platformPolicies(platform, new EnvironmentContext(env, `environments/${env.name}.yaml`), { ecaNamespace: 'eca', auditedNamespaces: ['apps'], auditLabelDomain: 'audit.example.com' });
  const objects = platform.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => ({ file: `dist/${env.name}/manifests/_cluster/${o.kind.toLowerCase()}_${o.name}.yaml`, constructPath: o.node.path, json: o.toJson() }));
  const previews = previewPolicies(platform).map((p) => ({ file: `dist/${env.name}/policies/preview/validatingpolicy_${p.name}.yaml`, json: p.document }));
  return { objects, previews };
}

const restrictedContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

export function podSpec(container: Record<string, unknown> = {}): Record<string, any> {
  return {
    automountServiceAccountToken: false,
    containers: [
      {
        name: 'agent',
        image: IMAGE,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        securityContext: structuredClone(restrictedContext),
        ...container,
      },
    ],
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

const sbom = { 'tk8s.io/sbom-sha256': SHA };

/** A compliant Deployment in namespace `apps`; `patch` changes it. */
export function deployment(name: string, patch: (d: Record<string, any>) => void = () => {}): ObjectSource {
  const json: Record<string, any> = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps', annotations: { ...sbom } },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name }, annotations: { ...sbom } }, spec: podSpec() } },
  };
  patch(json);
  return { file: `dist/prod/manifests/apps/deployment_${name}.yaml`, constructPath: `prod/apps/${name}/Deployment`, json };
}

export function pod(name: string, patch: (p: Record<string, any>) => void = () => {}): ObjectSource {
  const json: Record<string, any> = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'apps', annotations: { ...sbom } }, spec: podSpec() };
  patch(json);
  return { file: `dist/prod/manifests/apps/pod_${name}.yaml`, constructPath: `prod/apps/${name}/Pod`, json };
}

export function namespace(name: string, labels: Record<string, string> = {}): ObjectSource {
  return {
    file: `dist/prod/manifests/_cluster/namespace_${name}.yaml`,
    constructPath: `prod/${name}/Namespace`,
    json: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'audit.example.com/enabled': 'true',
          'audit.example.com/retention': '365d',
          ...labels,
        },
      },
    },
  };
}
