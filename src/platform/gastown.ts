/**
 * Gas Town (boshu2/gastown-operator): the operator with its six CRDs, least-privilege RBAC, and
 * polecat task agents.
 *
 * Corrections to the seed (seed-systems.md §6.1):
 * - the polecat egress policy selects the polecats' own labels in *their* namespace (the seed's
 *   `gastown.io/polecat: "true"` in the operator namespace never matched a pod);
 * - no cluster-wide Secret read: the operator reads only the named git/LLM credentials, and only in
 *   the polecat namespace;
 * - polecats get their own ServiceAccount without a token, no fixed UID 65532, and a pinned
 *   telemetry sidecar instead of `alpine:latest`;
 * - admin/editor/viewer roles for all six kinds (the seed had them for three).
 */
import { Construct } from 'constructs';
import {
  ApiResource,
  CustomResourceDefinition,
  NetworkPort,
  OperatorInstall,
  S,
  TenantNamespace,
  AgentWorkload,
  EnvValue,
  Verbs,
  type TypeOf,
} from '../../constructs/index.ts';
import type { EnvironmentContext } from './context.ts';

const GROUP = 'gastown.gastown.io';
const VERSION = 'v1alpha1';
const secretRef = S.object({ name: S.string(), key: S.string() }, { required: ['name'] });

export const rigSpec = S.object(
  {
    gitURL: S.string({ description: 'Repository the rig works on' }),
    beadsPrefix: S.string({ pattern: '^[a-z]{2,10}$' }),
    childNamespace: S.string(),
    settings: S.object({ maxPolecats: S.integer({ minimum: 1, maximum: 100, default: 8 }), namepoolTheme: S.string() }),
  },
  { required: ['gitURL', 'beadsPrefix'] },
);

export const polecatSpec = S.object(
  {
    rig: S.string(),
    desiredState: S.string({ enum: ['Idle', 'Working', 'Terminated'] as const }),
    agent: S.string({ default: 'claude-code' }),
    agentConfig: S.object({
      provider: S.string({ enum: ['litellm', 'anthropic', 'openai', 'ollama'] as const }),
      model: S.string(),
      modelProvider: S.string(),
      image: S.string(),
      command: S.array(S.string()),
      args: S.array(S.string()),
      configMapRef: S.object({ name: S.string() }, { required: ['name'] }),
    }),
    beadID: S.string(),
    taskDescription: S.string(),
    executionMode: S.string({ enum: ['kubernetes'] as const, default: 'kubernetes' }),
    kubernetes: S.object({
      gitRepository: S.string({ pattern: '^(https://|git@).+' }),
      gitBranch: S.string({ default: 'main' }),
      workBranch: S.string(),
      gitSecretRef: secretRef,
      apiKeySecretRef: secretRef,
      claudeCredsSecretRef: secretRef,
      sshKnownHostsConfigMapRef: S.object({ name: S.string() }, { required: ['name'] }),
      sshStrictHostKeyChecking: S.string({ enum: ['yes', 'no', 'accept-new'] as const, default: 'yes' }),
      image: S.string(),
      activeDeadlineSeconds: S.integer({ minimum: 60, default: 3600 }),
    }),
    maxIdleSeconds: S.integer({ minimum: 0 }),
    ttlSecondsAfterFinished: S.integer({ minimum: 0 }),
  },
  { required: ['rig', 'desiredState'] },
);

export const convoySpec = S.object(
  {
    description: S.string(),
    trackedBeads: S.array(S.string()),
    parallelism: S.integer({ minimum: 0, default: 0 }),
    rigRef: S.string(),
  },
  { required: ['description', 'trackedBeads'] },
);

export const refinerySpec = S.object(
  {
    rigRef: S.string(),
    targetBranch: S.string({ default: 'main' }),
    testCommand: S.string(),
    parallelism: S.integer({ minimum: 1, default: 1 }),
    gitSecretRef: secretRef,
  },
  { required: ['rigRef'] },
);

export const witnessSpec = S.object(
  {
    rigRef: S.string(),
    healthCheckInterval: S.string({ pattern: '^[0-9]+(s|m|h)$', default: '30s' }),
    stuckThreshold: S.string({ pattern: '^[0-9]+(s|m|h)$', default: '15m' }),
    escalationTarget: S.string({ default: 'mayor' }),
  },
  { required: ['rigRef'] },
);

export const beadStoreSpec = S.object(
  {
    rigRef: S.string(),
    prefix: S.string({ pattern: '^[a-z]+-$' }),
    syncInterval: S.string({ pattern: '^[0-9]+(s|m|h)$', default: '5m' }),
    gitSecretRef: secretRef,
  },
  { required: ['rigRef', 'prefix'] },
);

export type RigSpec = TypeOf<typeof rigSpec>;

export interface GasTown {
  readonly operatorNamespace: TenantNamespace;
  readonly polecatNamespace: TenantNamespace;
  readonly operator: OperatorInstall;
  readonly polecats: AgentWorkload[];
}

export function gastown(scope: Construct, ctx: EnvironmentContext): GasTown {
  const root = new Construct(scope, 'gastown');
  const operatorNs = new TenantNamespace(root, 'gastown-operator-system', { layer: 'operators', tier: 'platform', isolation: 'high', labels: { 'app.kubernetes.io/name': 'gastown-operator' } });
  const polecatNs = new TenantNamespace(root, 'gastown-polecats', {
    layer: 'agents',
    tier: 'workers',
    isolation: 'high',
    quota: { requests: { cpu: '8', memory: '16Gi' }, limits: { cpu: '16', memory: '32Gi' }, pods: 50 },
  });

  const crdScope = new Construct(root, 'crds');
  const printer = (cols: [string, string][]) => cols.map(([name, jsonPath]) => ({ name, jsonPath }));
  const rig = new CustomResourceDefinition(crdScope, 'Rig', {
    group: GROUP,
    kind: 'Rig',
    scope: 'Cluster',
    versions: [{ name: VERSION, spec: rigSpec, printerColumns: printer([['Phase', '.status.phase'], ['Polecats', '.status.polecats'], ['Convoys', '.status.convoys']]) }],
  });
  const polecat = new CustomResourceDefinition(crdScope, 'Polecat', {
    group: GROUP,
    kind: 'Polecat',
    versions: [{ name: VERSION, spec: polecatSpec, printerColumns: printer([['Rig', '.spec.rig'], ['Phase', '.status.phase'], ['Bead', '.spec.beadID'], ['Pod', '.status.podName']]) }],
  });
  const convoy = new CustomResourceDefinition(crdScope, 'Convoy', {
    group: GROUP,
    kind: 'Convoy',
    versions: [{ name: VERSION, spec: convoySpec, printerColumns: printer([['Phase', '.status.phase'], ['Progress', '.status.progress']]) }],
  });
  const refinery = new CustomResourceDefinition(crdScope, 'Refinery', {
    group: GROUP,
    kind: 'Refinery',
    plural: 'refineries',
    versions: [{ name: VERSION, spec: refinerySpec, printerColumns: printer([['Rig', '.spec.rigRef'], ['Phase', '.status.phase']]) }],
  });
  const witness = new CustomResourceDefinition(crdScope, 'Witness', {
    group: GROUP,
    kind: 'Witness',
    plural: 'witnesses',
    versions: [{ name: VERSION, spec: witnessSpec, printerColumns: printer([['Rig', '.spec.rigRef'], ['Phase', '.status.phase']]) }],
  });
  const beadStore = new CustomResourceDefinition(crdScope, 'BeadStore', {
    group: GROUP,
    kind: 'BeadStore',
    versions: [{ name: VERSION, spec: beadStoreSpec, printerColumns: printer([['Rig', '.spec.rigRef'], ['Prefix', '.spec.prefix'], ['Phase', '.status.phase']]) }],
  });

  const operator = new OperatorInstall(operatorNs, 'gastown-operator', {
    image: ctx.image('gastown-operator'),
    resources: ctx.resources('gastown-operator', { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }),
    replicas: ctx.replicas('gastown-operator', 1),
    crds: [rig, polecat, convoy, refinery, witness, beadStore],
    apiServerCidrs: ctx.apiServerCidrs,
    args: ['--polecat-namespace=gastown-polecats'],
    clusterRules: [{ verbs: ['create', 'patch'], resources: [ApiResource.EVENTS] }],
    namespacedRules: [
      {
        namespace: polecatNs.name,
        rules: [
          { verbs: Verbs.READ_WRITE, resources: [ApiResource.PODS] },
          { verbs: ['get'], resources: [ApiResource.PODS_LOG] },
          // Only the named credentials polecats use, only in their namespace.
          { verbs: ['get'], resources: [ApiResource.SECRETS], resourceNames: ['polecat-git-creds', 'polecat-llm-api-key'] },
        ],
      },
    ],
  });

  // The rig and its companions, validated against the CRD schemas at synth.
  rig.instance(root, 'rig', { name: 'gastown', spec: { gitURL: 'https://github.com/boshu2/gastown', beadsPrefix: 'gt', childNamespace: polecatNs.name, settings: { maxPolecats: 8 } } });
  convoy.instance(polecatNs, 'convoy', { name: 'release-convoy', namespace: polecatNs.name, spec: { description: 'Beads for the next release', trackedBeads: ['gt-101', 'gt-102'], rigRef: 'gastown', parallelism: 2 } });
  refinery.instance(polecatNs, 'refinery', { name: 'gastown-refinery', namespace: polecatNs.name, spec: { rigRef: 'gastown', targetBranch: 'main', testCommand: 'make test', gitSecretRef: { name: 'polecat-git-creds' } } });
  witness.instance(polecatNs, 'witness', { name: 'gastown-witness', namespace: polecatNs.name, spec: { rigRef: 'gastown' } });
  beadStore.instance(polecatNs, 'beadstore', { name: 'gastown-beads', namespace: polecatNs.name, spec: { rigRef: 'gastown', prefix: 'gt-', gitSecretRef: { name: 'polecat-git-creds' } } });

  // Polecats: one-shot task agents, as the operator's pod builder would run them — but corrected.
  const polecats: AgentWorkload[] = [];
  for (const [name, bead] of [['furiosa', 'gt-101'], ['nux', 'gt-102']] as const) {
    const p = new AgentWorkload(polecatNs, `polecat-${name}`, {
      kind: 'Job',
      component: 'polecat',
      partOf: 'gastown',
      labels: { 'gastown.io/polecat': name, 'gastown.io/rig': 'gastown', 'gastown.io/bead': bead },
      job: { activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 600 },
      writableDirectories: [
        { name: 'workspace', path: '/workspace', sizeLimit: '4Gi' },
        { name: 'tmp', path: '/tmp', sizeLimit: '512Mi' },
        { name: 'home', path: '/home/polecat', sizeLimit: '256Mi' },
        { name: 'metrics', path: '/var/run/metrics', sizeLimit: '16Mi' },
      ],
      secretVolumes: [{ name: 'git-creds', secret: 'polecat-git-creds', path: '/etc/git-creds' }],
      config: { GASTOWN_RIG: 'gastown', GASTOWN_BEAD: bead, LLM_GATEWAY_URL: ctx.endpoint('llmGateway') },
      initContainers: [
        {
          name: 'git-init',
          image: ctx.image('polecat-git'),
          args: ['clone', '--branch', 'main', 'https://github.com/boshu2/gastown', '/workspace/repo'],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        },
      ],
      container: {
        name: 'claude',
        image: ctx.image('polecat-agent'),
        resources: ctx.resources('polecat', { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
        env: { ANTHROPIC_API_KEY: EnvValue.fromSecret('polecat-llm-api-key', 'api-key') },
      },
      sidecars: [
        {
          name: 'telemetry',
          image: ctx.image('polecat-telemetry'),
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
          ports: [{ name: 'metrics', port: 8080 }],
        },
      ],
    });
    // Git over SSH/HTTPS and the LLM API, outside the cluster only.
    for (const cidr of ctx.egress('llmProviders')) p.connections.allowExternal([NetworkPort.tcp(443)], { cidr });
    for (const cidr of ctx.egress('forge')) p.connections.allowExternal([NetworkPort.tcp(443), NetworkPort.tcp(22)], { cidr });
    polecats.push(p);
  }

  return { operatorNamespace: operatorNs, polecatNamespace: polecatNs, operator, polecats };
}
