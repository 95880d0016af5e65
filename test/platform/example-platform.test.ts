import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthWithCdk8s } from '../../src/cdk8s-app.ts';
import { checkPodSecurity } from '../../src/gates/pod-security/index.ts';
import { podTemplateOf } from '../../src/k8s/objects.ts';
import { objectKey } from '../../src/k8s/objects.ts';
import { buildExamplePlatform } from '../../src/platform/index.ts';
import { loadInputs } from '../../src/synth/inputs.ts';
import { renderEnvironment, type Rendering } from '../../src/synth/render.ts';

const REPO = join(import.meta.dirname, '../..');
const renderings: Record<string, Rendering> = {};

beforeAll(async () => {
  for (const env of ['dev', 'staging', 'production']) renderings[env] = renderEnvironment(await loadInputs(REPO, env), buildExamplePlatform);
});

const objects = (env: string) => renderings[env]!.objects.map((o) => o.json);

describe('the example platform', () => {
  it("renders TK8S's eight namespaces with their layers and isolation levels", () => {
    const ns = objects('production').filter((o) => o.kind === 'Namespace' && o.metadata.name.startsWith('project-ai-'));
    expect(ns.map((n) => n.metadata.name).sort()).toEqual([
      'project-ai-core', 'project-ai-eca', 'project-ai-memory', 'project-ai-monitoring', 'project-ai-production', 'project-ai-security', 'project-ai-staging', 'project-ai-system',
    ]);
    const eca = ns.find((n) => n.metadata.name === 'project-ai-eca')!;
    expect(eca.metadata.labels).toMatchObject({ 'tk8s-layer': '4-external-amplifiers', 'security.tk8s.io/isolation': 'maximum', 'audit.project-ai.io/enabled': 'true' });
  });

  it('keeps the external-cognition service at maximum isolation: no token, egress only outside the cluster', () => {
    const all = objects('production');
    const eca = all.find((o) => o.kind === 'Deployment' && o.metadata.name === 'project-ai-eca')!;
    expect(eca.spec.template.spec.automountServiceAccountToken).toBe(false);
    const np = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'project-ai-eca' && o.metadata.name === 'project-ai-eca')!;
    expect(np.spec.egress.flatMap((r: any) => r.to)).toEqual([{ ipBlock: { cidr: '203.0.113.0/24' } }]);
  });

  it('installs the Gas Town operator with its six CRDs, Rig cluster-scoped', () => {
    const crds = objects('production').filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.spec.names.kind).sort()).toEqual(['BeadStore', 'Convoy', 'Polecat', 'Refinery', 'Rig', 'Witness']);
    expect(crds.find((c) => c.spec.names.kind === 'Rig')!.spec.scope).toBe('Cluster');
    expect(crds.every((c) => c.spec.group === 'gastown.gastown.io')).toBe(true);
  });

  it('grants no cluster-wide Secret read anywhere', () => {
    const all = objects('production');
    const clusterBound = new Set(all.filter((o) => o.kind === 'ClusterRoleBinding').map((b) => b.roleRef.name));
    for (const role of all.filter((o) => o.kind === 'ClusterRole' && clusterBound.has(o.metadata.name))) {
      expect(JSON.stringify(role.rules)).not.toContain('"secrets"');
    }
  });

  it('gives polecats an egress policy that selects exactly their pods', () => {
    const all = objects('production');
    for (const job of all.filter((o) => o.kind === 'Job')) {
      const np = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === job.metadata.namespace && o.metadata.name === job.metadata.name)!;
      const labels = job.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(labels[k]).toBe(v);
      expect(labels['gastown.io/polecat']).toMatch(/^(furiosa|nux)$/);
    }
  });

  it('lets kgents peers really connect: egress on the caller and ingress on the callee', () => {
    const all = objects('dev');
    const summarizer = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'kgents-agents' && o.metadata.name === 'summarizer')!;
    const callers = summarizer.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.podSelector.matchLabels['app.kubernetes.io/name']));
    expect(callers.sort()).toEqual(['critic', 'planner']);
  });

  it('has one trusted and one untrusted runner pool; the untrusted one has no Secrets and no token', () => {
    const deployments = objects('production').filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels['lockstep.dev/trust-tier']);
    expect(deployments.map((d) => d.spec.template.metadata.labels['lockstep.dev/trust-tier']).sort()).toEqual(['trusted', 'untrusted']);
    const untrusted = deployments.find((d) => d.spec.template.metadata.labels['lockstep.dev/trust-tier'] === 'untrusted')!;
    expect(JSON.stringify(untrusted)).not.toMatch(/secretRef|secretKeyRef|"secret":/);
    expect(untrusted.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('passes restricted Pod Security in every pod template of every environment', () => {
    for (const env of ['dev', 'staging', 'production']) {
      for (const o of objects(env)) if (podTemplateOf(o)) expect({ object: `${o.kind}/${o.metadata.name}`, problems: checkPodSecurity(o, 'restricted') }).toEqual({ object: `${o.kind}/${o.metadata.name}`, problems: [] });
    }
  });

  it('gives every namespace a default-deny policy covering Ingress and Egress', () => {
    const all = objects('staging');
    for (const ns of all.filter((o) => o.kind === 'Namespace')) {
      const deny = all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns.metadata.name && o.metadata.name === 'default-deny');
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
  });

  it('annotates every workload and pod template with the SBOM of its image in production', () => {
    for (const o of objects('production').filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      expect(o.metadata.annotations?.['tk8s.io/sbom-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(o.spec.template.metadata.annotations['tk8s.io/sbom-sha256']).toBe(o.metadata.annotations['tk8s.io/sbom-sha256']);
    }
  });

  it('renders the same objects through plain `cdk8s synth` (one App per environment)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lockstep-cdk8s-'));
    await synthWithCdk8s(REPO, out, ['staging']);
    const docs: any[] = [];
    for (const f of await readdir(join(out, 'staging'))) {
      const text = await readFile(join(out, 'staging', f), 'utf8');
      for (const d of text.split(/^---$/m)) if (d.trim()) docs.push(load(d));
    }
    const ours = new Map(objects('staging').map((o) => [objectKey(o), o]));
    expect(docs.length).toBe(ours.size);
    for (const d of docs) expect(d).toEqual(ours.get(objectKey(d)));
  });
});
