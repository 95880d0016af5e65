/**
 * The synthetic platform built with Lockstep's own constructs, the way a platform team writes it:
 * a Platform chart per environment, TenantNamespaces, AgentWorkloads with a port, the two-sided
 * `connections.allowTo(gateway)`, `allowExternal`, a Role through `ns.permissions`, the platform's
 * generated admission policies and the SBOM annotations.
 */
import { ApiObject, App } from 'cdk8s';
import type { Construct } from 'constructs';
import { AgentWorkload, ApiResource, EnvValue, NetworkPort, Platform, Probe, TenantNamespace, Unit } from '../../constructs/index.ts';
import type { UnitCache } from '../synth/unit-cache.ts';
import type { EnvironmentConfig, LoadedEnvironment } from '../config/types.ts';
import type { KubeJson } from '../k8s/objects.ts';
import { EnvironmentContext } from '../platform/context.ts';
import { platformPolicies } from '../platform/policies.ts';
import { annotateSboms } from '../synth/sbom-annotations.ts';
import type { SynthInputs } from '../synth/inputs.ts';
import { digestRef, parseImageRef } from '../supply-chain/images/reference.ts';
import { BENCH_DOMAIN, BENCH_ENVIRONMENT, EXTERNAL_PORT, GATEWAY_PORT, type BenchNamespace, type BenchSpec } from './spec.ts';

/** A production-stage environment: digests required, SBOMs required, every policy in Deny. */
export function benchEnvironment(spec: BenchSpec): LoadedEnvironment {
  const config: EnvironmentConfig = {
    apiVersion: 'lockstep.dev/v1alpha1',
    kind: 'Environment',
    name: BENCH_ENVIRONMENT,
    stage: 'production',
    clusters: [{ name: 'bench-1', server: 'https://bench.k8s.example.internal:6443', apiServerCidrs: ['192.0.2.10/32'] }],
    network: { externalNamespaces: ['kube-system'] },
    images: { agent: spec.image },
    replicas: { default: 2, workloads: {} },
    resources: { workloads: {} },
    endpoints: {},
    egress: {},
    policies: { defaultMode: 'Deny', modes: {}, legacyClusterPolicy: false },
    approvals: { required: 1 },
    audit: { enabled: true, retentionDays: 365 },
    supplyChain: { sbomAnnotationPrefix: BENCH_DOMAIN, requireSbom: true, imageSigners: [] },
    signing: { trustedKeys: [], allowDevKey: false },
  };
  return { config, file: `environments/${BENCH_ENVIRONMENT}.yaml`, sha256: '0'.repeat(64), images: { ...config.images } };
}

/**
 * The environment and the (synthetic) SBOM of the one image. `root` stands for the repository root;
 * the bench platform reads no files from it. `units` is the unit cache of an incremental run.
 */
export function benchInputs(spec: BenchSpec, root: string, units?: UnitCache): SynthInputs {
  const ref = digestRef(parseImageRef(spec.image));
  return {
    root,
    env: benchEnvironment(spec),
    sboms: new Map([[ref, { path: `sboms/bench/${spec.sbomSha256}.cdx.json`, sha256: spec.sbomSha256, format: 'cyclonedx-json' as const, specVersion: '1.6', packageCount: 42 }]]),
    ...(units ? { units } : {}),
  };
}

export interface BuiltBenchPlatform {
  readonly app: App;
  readonly platform: Platform;
  readonly context: EnvironmentContext;
}

const RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

/**
 * Builds the construct tree (no SBOM annotations yet: that is its own stage, `annotateBenchSboms`).
 * Each tenant is a `Unit` whose inputs are its slice of the agent catalog, so an incremental synth
 * (`inputs.units`) builds only the tenants whose agents changed.
 */
export function buildLockstepPlatform(spec: BenchSpec, inputs: SynthInputs): BuiltBenchPlatform {
  const env = inputs.env;
  const app = new App();
  const context = new EnvironmentContext(env.config, env.file, env.images);
  inputs.units?.trackSettings(context);
  const platform = new Platform(app, env.config.name, { externalNamespaces: env.config.network.externalNamespaces ?? ['kube-system'], ...(inputs.units ? { units: inputs.units } : {}) });
  for (const n of spec.namespaces) {
    new Unit(platform, n.name, { inputs: n, build: (scope, tenant) => buildTenant(scope, tenant, context, env.config.audit.retentionDays) });
  }
  addBenchPolicies(platform, context, spec);
  return { app, platform, context };
}

/** One tenant namespace with its agents: the gateway, and agents that call it and external APIs. */
function buildTenant(scope: Construct, n: BenchNamespace, context: EnvironmentContext, retentionDays: number): void {
  const ns = new TenantNamespace(scope, n.name, { layer: 'agents', tier: 'agents', audit: { retentionDays, labelDomain: `audit.${BENCH_DOMAIN}` } });
  let gateway: AgentWorkload | undefined;
  for (const w of n.workloads) {
    const agent = new AgentWorkload(ns, w.name, {
      component: w.gateway ? 'gateway' : 'agent',
      partOf: 'bench',
      replicas: context.replicas(w.name, w.replicas),
      container: {
        image: context.image('agent'),
        resources: RESOURCES,
        ports: [{ name: 'http', port: GATEWAY_PORT }],
        env: {
          POD_NAME: EnvValue.fromFieldPath('metadata.name'),
          LOG_LEVEL: EnvValue.fromConfigMap('agent-settings', 'log-level'),
          API_TOKEN: EnvValue.fromSecret(`${w.name}-token`, 'token'),
        },
        startup: Probe.http('/healthz', 'http'),
      },
    });
    if (w.gateway) gateway = agent;
    else agent.connections.allowTo(gateway!, [NetworkPort.tcp(GATEWAY_PORT)]);
    agent.connections.allowExternal([NetworkPort.tcp(EXTERNAL_PORT)]);
    ns.permissions.grantRead(agent.serviceAccount, ApiResource.CONFIGMAPS);
    ns.permissions.grant(agent.serviceAccount, ['get'], [ApiResource.SECRETS], { resourceNames: [`${w.name}-token`] });
  }
}

function addBenchPolicies(platform: Platform, context: EnvironmentContext, spec: BenchSpec): void {
  platformPolicies(platform, context, { ecaNamespace: 'eca', auditedNamespaces: spec.namespaces.map((n) => n.name), auditLabelDomain: `audit.${BENCH_DOMAIN}` });
}

/** The SBOM stage: annotates every workload with its image's SBOM digest (an aspect over the tree). */
export function annotateBenchSboms(platform: Platform, inputs: SynthInputs): void {
  annotateSboms(platform, { sboms: inputs.sboms, prefix: inputs.env.config.supplyChain.sbomAnnotationPrefix, required: true, environment: inputs.env.config.name });
}

/**
 * The platform's admission policies alone, rendered: the baselines take them as plain data (a dozen
 * objects whatever N is) instead of re-implementing the policy generator.
 */
export function renderPolicyObjects(spec: BenchSpec, inputs: SynthInputs): KubeJson[] {
  const env = inputs.env;
  const context = new EnvironmentContext(env.config, env.file, env.images);
  const platform = new Platform(new App(), env.config.name);
  addBenchPolicies(platform, context, spec);
  return platform.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson() as KubeJson);
}
