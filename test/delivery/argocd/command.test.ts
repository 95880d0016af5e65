import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { parseRevisions } from '../../../src/cli/commands/argocd.ts';
import { runArgoCdStage } from '../../../src/delivery/argocd/stage.ts';
import { releaseIdOf } from '../../../src/delivery/argocd/revision.ts';
import { buildExamplePlatform } from '../../../src/platform/index.ts';
import { loadInputs } from '../../../src/synth/inputs.ts';
import { renderEnvironment } from '../../../src/synth/render.ts';
import { LockstepError } from '../../../src/util/errors.ts';

const REPO = join(import.meta.dirname, '../../..');

/** A scratch copy of the repository's inputs, so tests never touch the committed argocd/. */
async function scratch(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lockstep-argocd-cli-'));
  await cp(join(REPO, 'environments'), join(root, 'environments'), { recursive: true });
  await cp(join(REPO, 'sboms'), join(root, 'sboms'), { recursive: true });
  return root;
}

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

describe('lockstep argocd', () => {
  it('writes argocd/<env>/ for every environment and summarizes each Application', async () => {
    const root = await scratch();
    const r = await cli(['argocd', '--quiet'], root);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^argocd\/production: AppProject production: \d+ namespaces, \d+ cluster-scoped and \d+ namespaced kinds; locked by a deny window \(manual sync allowed\)$/m);
    expect(r.stdout).toMatch(/^  Application production-production-1 → https:\/\/prod-eu-1\.k8s\.example\.internal:6443: dist\/production\/manifests at release\/production-[0-9a-f]{12}, manual sync only$/m);
    expect(r.stdout).toMatch(/^  Application staging-staging-1 → .* at main, automated \(prune, selfHeal\)$/m);
    expect(await cli(['argocd', '--check', '--quiet'], root)).toMatchObject({ code: 0 });
  });

  it('exits 1 with --check when argocd/ is out of date, naming each file', async () => {
    const root = await scratch();
    await cli(['argocd', '--quiet'], root);
    await writeFile(join(root, 'argocd/dev/appproject_dev.yaml'), 'edited\n');
    const r = await cli(['argocd', '--check', '--quiet'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: argocd/dev/appproject_dev.yaml: differs from what the environment generates; run "lockstep argocd" and commit the result\nargocd/ is out of date: 1 file(s)\n');
  });

  it('prints JSON with --json and takes the repository and a revision as options', async () => {
    const root = await scratch();
    const r = await cli(['argocd', '--env', 'production', '--repo-url', 'https://git.example.com/p.git', '--revision', 'production=release/production-0123456789ab', '--json', '--quiet'], root);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.environments).toHaveLength(1);
    expect(json.environments[0].applications[0]).toMatchObject({ targetRevision: 'release/production-0123456789ab', revisionSource: 'parameter', automated: false });
    expect(json.written).toEqual(['argocd/production/application_production-production-1.yaml', 'argocd/production/appproject_production.yaml']);
  });

  it('exits 2 for a malformed or repeated --revision', async () => {
    const root = await scratch();
    expect(await cli(['argocd', '--revision', 'production'], root)).toMatchObject({ code: 2, stderr: 'error: --revision must be ENV=REVISION, got "production"; e.g. --revision production=release/production-0123456789ab\n' });
    expect(await cli(['argocd', '--revision', 'a=1', '--revision', 'a=2'], root)).toMatchObject({ code: 2, stderr: 'error: --revision is given twice for "a"; give one revision per environment\n' });
    expect(parseRevisions(['production=v1', 'dev=a=b'])).toEqual({ production: 'v1', dev: 'a=b' });
  });

  it('exits 1 when production would follow main, naming the environment file', async () => {
    const root = await scratch();
    const r = await cli(['argocd', '--revision', 'production=main', '--quiet'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: environments\/production.yaml: the revision passed for production must pin a release/);
  });

  it('derives the same release id as lockstep sign records in release.json', async () => {
    const root = await scratch();
    expect((await cli(['synth', '--env', 'dev', '--quiet'], root)).code).toBe(0);
    expect((await cli(['sign', '--env', 'dev', '--source-commit', '0123456789abcdef0123456789abcdef01234567', '--quiet'], root)).code).toBe(0);
    const signed = JSON.parse(await readFile(join(root, 'dist/dev/release.json'), 'utf8')).id;
    const rendering = renderEnvironment(await loadInputs(root, 'dev'), buildExamplePlatform);
    expect(releaseIdOf('dev', rendering.objects)).toBe(signed);
  });

  it('matches the committed argocd/ (the Argo CD objects always match the environments)', async () => {
    const r = await cli(['argocd', '--check', '--quiet'], REPO);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('runArgoCdStage', () => {
  it('reuses renderings it is given instead of rendering again', async () => {
    const root = await scratch();
    const rendering = renderEnvironment(await loadInputs(root, 'dev'), buildExamplePlatform);
    const empty = await mkdtemp(join(tmpdir(), 'lockstep-argocd-empty-'));
    const result = await runArgoCdStage({ root: empty, environments: ['dev'], define: buildExamplePlatform, renderings: [rendering] });
    expect(result.written).toEqual(['argocd/dev/application_dev-dev-1.yaml', 'argocd/dev/appproject_dev.yaml']);
  });

  it('fails with the problems of every environment that cannot be loaded', async () => {
    const root = await scratch();
    await writeFile(join(root, 'environments/staging.yaml'), 'apiVersion: lockstep.dev/v1alpha1\nkind: Environment\nname: staging\nstage: qa\n');
    const error = await runArgoCdStage({ root, environments: ['dev', 'staging'], define: buildExamplePlatform }).catch((e) => e);
    expect(error).toBeInstanceOf(LockstepError);
    expect((error as LockstepError).problems.every((p) => p.file === 'environments/staging.yaml')).toBe(true);
  });
});
