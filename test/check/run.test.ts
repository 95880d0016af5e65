import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import jsYaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { checkEnvironment, loadEnvironmentOutput, runCheck } from '../../src/check/index.ts';
import { deployment, environment, namespace, pod, policySet } from './fixtures.ts';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

/** Writes a dist/prod like synth does, plus the environment file and a kyverno-json policy. */
async function writeRepo(defaultMode: 'Deny' | 'Audit'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-check-'));
  const set = policySet(environment({ defaultMode, modes: { 'disallow-host-namespaces': 'Preview' } }));
  const objects = [...set.objects, namespace('apps'), deployment('ok'), pod('priv', (p) => (p.spec.containers[0].securityContext.privileged = true)), pod('hostnet', (p) => (p.spec.hostNetwork = true))];
  const files = new Map<string, string>();
  for (const o of objects) files.set(o.file, jsYaml.dump(o.json));
  for (const p of set.previews) files.set(p.file, jsYaml.dump(p.json));
  files.set('dist/prod/objects.json', JSON.stringify({ environment: 'prod', objects: objects.map((o) => ({ path: o.file.replace('dist/prod/', ''), constructPath: o.constructPath })) }));
  files.set('environments/prod.yaml', 'apiVersion: lockstep.dev/v1alpha1\nkind: Environment\nname: prod\nstage: production\napprovals:\n  required: 1\n');
  files.set(
    'policies/min-approvals/min-approvals.yaml',
    'apiVersion: json.kyverno.io/v1alpha1\nkind: ValidatingPolicy\nmetadata:\n  name: min-approvals\nspec:\n  rules:\n    - name: two-approvals\n      match:\n        all:\n          - kind: Environment\n            stage: production\n      assert:\n        all:\n          - message: production needs two approvals\n            check:\n              approvals:\n                (required >= `2`): true\n',
  );
  for (const [f, text] of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await writeFile(join(dir, f), text);
  }
  return dir;
}

describe('checkEnvironment and runCheck', () => {
  it('reads dist/<env>, the Preview policies and the environment file, and maps findings to files and construct paths', async () => {
    root = await writeRepo('Deny');
    const r = await checkEnvironment({ root, env: 'prod' });
    expect(r.findings.map((f) => `${f.level} ${f.file} ${f.constructPath ?? '-'} ${f.policy}/${f.rule}`)).toEqual([
      'error dist/prod/manifests/apps/pod_priv.yaml prod/apps/priv/Pod disallow-privileged-containers/no-privileged-containers',
      'info dist/prod/manifests/apps/pod_hostnet.yaml prod/apps/hostnet/Pod disallow-host-namespaces/no-host-network',
      'error environments/prod.yaml - min-approvals/two-approvals',
    ].sort((a, b) => (a.split(' ')[1]! < b.split(' ')[1]! ? -1 : 1)));
    expect(r.ok).toBe(false);
  });

  it('writes the three reports outside manifests/ and exits 1 on a Deny failure', async () => {
    root = await writeRepo('Deny');
    const out = await runCheck({ root, environments: ['prod'] });
    expect(out.exitCode).toBe(1);
    expect(out.reports).toEqual(['dist/prod/reports/junit.xml', 'dist/prod/reports/policy-report.yaml', 'dist/prod/reports/results.sarif']);
    expect(JSON.parse(await readFile(join(root, 'dist/prod/reports/results.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(out.stdout).toMatch(/^error dist\/prod\/manifests\/apps\/pod_priv.yaml: Pod apps\/priv violates disallow-privileged-containers\/no-privileged-containers \[Deny\]/m);
    expect(out.stdout).toMatch(/^check prod: FAILED: /m);
  });

  it('exits 0 when only Audit and Preview policies fail, and prints JSON on request', async () => {
    root = await writeRepo('Audit');
    await rm(join(root, 'policies'), { recursive: true });
    const out = await runCheck({ root, environments: ['prod'], format: 'json', writeReports: false });
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.ok).toBe(true);
    expect(json.environments[0].findings.map((f: any) => f.level)).toEqual(['info', 'warning']);
    expect(out.reports).toEqual([]);
  });

  it('fails when dist/<env> was never synthesized', async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-check-'));
    await expect(loadEnvironmentOutput(root, 'nope')).rejects.toThrow(/dist\/nope\/objects.json: cannot read \(ENOENT\); run lockstep synth --env nope first/);
  });

  it('fails when a manifest is not valid YAML', async () => {
    root = await writeRepo('Deny');
    await writeFile(join(root, 'dist/prod/manifests/apps/pod_priv.yaml'), 'a: [unclosed');
    await expect(loadEnvironmentOutput(root, 'prod')).rejects.toThrow(/dist\/prod\/manifests\/apps\/pod_priv.yaml: invalid manifest: .*; run lockstep synth again/);
  });

  it('fails when objects.json has no objects list', async () => {
    root = await writeRepo('Deny');
    await writeFile(join(root, 'dist/prod/objects.json'), '{}');
    await expect(loadEnvironmentOutput(root, 'prod')).rejects.toThrow(/dist\/prod\/objects.json: invalid object index: has no "objects" array/);
  });

  it('fails when the environment file is missing but kyverno-json policies need it', async () => {
    root = await writeRepo('Deny');
    await rm(join(root, 'environments/prod.yaml'));
    await expect(checkEnvironment({ root, env: 'prod' })).rejects.toThrow(/environments\/prod.yaml: cannot read \(ENOENT\); create environments\/prod.yaml or pass the right --env/);
  });
});
