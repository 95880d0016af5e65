import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReportInputs } from '../../../src/review/report/inputs.ts';
import { POLICY_REPORT, scratchDist } from './fixtures.ts';

const HEX = (c: string) => c.repeat(64);

/** A release.json that parseRelease accepts. */
function releaseJson(env = 'dev'): string {
  return JSON.stringify({
    apiVersion: 'lockstep.dev/v1alpha1',
    kind: 'Release',
    id: `${env}-0123456789ab`,
    environment: { name: env, stage: 'staging' },
    source: { commit: HEX('e').slice(0, 40), compilerVersion: '0.1.0' },
    inputs: [],
    manifests: { digest: `sha256:${HEX('d')}`, files: [] },
    images: [],
    artifacts: [],
  });
}

describe('loadReportInputs', () => {
  it('reads a bare rendering: objects with construct paths, everything optional absent, unsigned', async () => {
    const root = await scratchDist();
    const r = await loadReportInputs({ root, env: 'dev' });
    expect(r.objects.map((o) => o.path)).toContain('manifests/data/deployment_db.yaml');
    expect(r.objects.find((o) => o.path === 'manifests/data/deployment_db.yaml')).toMatchObject({ constructPath: 'dev/data/db/Deployment', json: { kind: 'Deployment', metadata: { name: 'db' } } });
    expect(r).toMatchObject({ environment: 'dev', signature: { state: 'unsigned' } });
    for (const k of ['stage', 'images', 'releaseSbom', 'policyResults', 'release', 'generatedAt']) expect(r).not.toHaveProperty(k);
  });

  it('reads the optional inputs when they are there', async () => {
    const root = await scratchDist();
    const dir = join(root, 'dist/dev');
    await writeFile(join(dir, 'images.json'), JSON.stringify({ environment: 'dev', images: [{ image: `ghcr.io/acme/api@sha256:${HEX('a')}`, workloads: ['Deployment app/api'] }] }));
    await writeFile(join(dir, 'sbom.cdx.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [{}, {}, {}] }));
    await mkdir(join(dir, 'reports'));
    await writeFile(join(dir, 'reports/policy-report.yaml'), POLICY_REPORT);
    await writeFile(join(dir, 'release.json'), releaseJson());
    const r = await loadReportInputs({ root, env: 'dev', generatedAt: 'now' });
    expect(r.images).toEqual([{ image: `ghcr.io/acme/api@sha256:${HEX('a')}`, workloads: ['Deployment app/api'] }]);
    expect(r.releaseSbom).toEqual({ format: 'CycloneDX', specVersion: '1.6', components: 3 });
    expect(r.policyResults?.totals.fail).toBe(1);
    expect(r.release).toEqual({ id: 'dev-0123456789ab', manifestsDigest: `sha256:${HEX('d')}`, sourceCommit: HEX('e').slice(0, 40), compilerVersion: '0.1.0' });
    expect(r.stage).toBe('staging');
    expect(r.signature).toEqual({ state: 'unsigned' });
    expect(r.generatedAt).toBe('now');
  });

  it('summarises an SPDX release SBOM by its packages', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/sbom.cdx.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3', packages: [{}] }));
    expect((await loadReportInputs({ root, env: 'dev' })).releaseSbom).toEqual({ format: 'SPDX', specVersion: '2.3', components: 1 });
  });

  it('shows a present signature as "signed (not verified here)" when verification is off', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/release.json'), releaseJson());
    await writeFile(join(root, 'dist/dev/release.sigstore.json'), '{}');
    expect((await loadReportInputs({ root, env: 'dev', verify: false })).signature).toEqual({ state: 'signed-unverified' });
  });

  it('verifies a present signature with lockstep verify and reports why it does not verify', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/release.json'), releaseJson());
    await writeFile(join(root, 'dist/dev/release.sigstore.json'), '{}');
    const s = (await loadReportInputs({ root, env: 'dev' })).signature;
    expect(s.state).toBe('verification-failed');
    expect(s.state === 'verification-failed' && s.problems.join('\n')).toMatch(/environments\/dev\.yaml: no such environment file/);
  });

  it('fails when objects.json is missing', async () => {
    const root = await scratchDist();
    await rm(join(root, 'dist/dev/objects.json'));
    await expect(loadReportInputs({ root, env: 'dev' })).rejects.toThrow('dist/dev/objects.json: not found: there is no rendering of environment "dev" to report on; run `lockstep synth --env dev` first');
  });

  it('fails when there is no manifest', async () => {
    const root = await scratchDist();
    await rm(join(root, 'dist/dev/manifests'), { recursive: true });
    await expect(loadReportInputs({ root, env: 'dev' })).rejects.toThrow('dist/dev/manifests: no manifests: there is no rendering of environment "dev"');
  });

  it('fails when objects.json is not JSON', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/objects.json'), '{');
    await expect(loadReportInputs({ root, env: 'dev' })).rejects.toThrow(/dist\/dev\/objects\.json: not valid JSON: .*; run `lockstep synth --env dev` again to rewrite it/);
  });

  it('fails when a manifest is not YAML', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/manifests/app/configmap_bad.yaml'), 'a: [\n');
    await expect(loadReportInputs({ root, env: 'dev' })).rejects.toThrow(/dist\/dev\/manifests\/app\/configmap_bad\.yaml: not valid YAML/);
  });

  it('fails when a manifest is not a Kubernetes object', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/manifests/app/configmap_bad.yaml'), 'just: data\n');
    await expect(loadReportInputs({ root, env: 'dev' })).rejects.toThrow('dist/dev/manifests/app/configmap_bad.yaml: is not a Kubernetes object (no kind); dist/ is never edited by hand');
  });

  it('fails when the release SBOM is not JSON', async () => {
    const root = await scratchDist();
    await writeFile(join(root, 'dist/dev/sbom.cdx.json'), 'nope');
    await expect(loadReportInputs({ root, env: 'dev' })).rejects.toThrow(/dist\/dev\/sbom\.cdx\.json: not valid JSON: .*; run `lockstep synth` again to rewrite it/);
  });
});
