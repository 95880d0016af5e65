import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRelease, manifestSetDigest, parseRelease, serializeRelease, writeRelease } from '../../src/release/release.ts';
import { COMMIT, IMAGE, makeRepo, sha256, write } from './fixture.ts';

describe('buildRelease', () => {
  it('gives byte-identical release.json for the same dist tree', async () => {
    const { root } = makeRepo();
    const a = serializeRelease(await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' }));
    const b = serializeRelease(await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' }));
    expect(a).toBe(b);
    expect(a.endsWith('}\n')).toBe(true);
    expect(a).not.toMatch(/T\d\d:\d\d/); // no timestamps
    const keys = Object.keys(JSON.parse(a));
    expect(keys).toEqual([...keys].sort());
  });

  it('lists every manifest with its sha256, sorted, and a digest sha256sum reproduces', async () => {
    const { root } = makeRepo();
    const release = await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' });
    expect(release.manifests.files.map((f) => f.path)).toEqual(['manifests/_cluster/namespace_shop.yaml', 'manifests/shop/deployment_api.yaml', 'manifests/shop/service_api.yaml']);
    const deployment = readFileSync(join(root, 'dist/dev/manifests/shop/deployment_api.yaml'), 'utf8');
    expect(release.manifests.files[1]!.sha256).toBe(sha256(deployment));
    const shell = execFileSync('sh', ['-c', 'find manifests -type f | LC_ALL=C sort | xargs sha256sum | sha256sum'], { cwd: join(root, 'dist/dev') }).toString().split(' ')[0];
    expect(release.manifests.digest).toBe(`sha256:${shell}`);
    expect(release.id).toBe(`dev-${shell!.slice(0, 12)}`);
    expect(manifestSetDigest([...release.manifests.files].reverse())).toBe(release.manifests.digest);
  });

  it('records the inputs, the images with their SBOM digests and the artifacts that exist', async () => {
    const { root } = makeRepo();
    let release = await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' });
    expect(release).toMatchObject({ apiVersion: 'lockstep.dev/v1alpha1', kind: 'Release', environment: { name: 'dev', stage: 'dev' }, source: { commit: COMMIT, compilerVersion: '0.1.0' } });
    expect(release.inputs.map((i) => i.path)).toEqual(['environments/dev.yaml', 'environments/images.lock.yaml']);
    expect(release.images.map((i) => i.image)).toContain(IMAGE);
    expect(release.images[0]!.sbom).toMatchObject({ format: 'spdx-json', packageCount: 0 });
    expect(release.artifacts.map((a) => a.path)).toEqual(['images.json', 'objects.json']);
    write(root, 'dist/dev/reports/policy-report.yaml', 'kind: ClusterPolicyReport\n');
    write(root, 'dist/dev/sbom.cdx.json', '{}\n');
    release = await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' });
    expect(release.artifacts.map((a) => a.path)).toEqual(['images.json', 'objects.json', 'reports/policy-report.yaml', 'sbom.cdx.json']);
  });

  it('treats a missing images.json as no images recorded', async () => {
    const { root } = makeRepo();
    execFileSync('rm', [join(root, 'dist/dev/images.json')]);
    const release = await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' });
    expect(release.images).toEqual([]);
  });

  it('writes release.json that parses back to the same release', async () => {
    const { root } = makeRepo();
    const release = await buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' });
    const bytes = await writeRelease(root, release);
    expect(readFileSync(join(root, 'dist/dev/release.json'))).toEqual(bytes);
    expect(parseRelease(bytes.toString('utf8'), 'dist/dev/release.json')).toEqual(JSON.parse(serializeRelease(release)));
  });

  it('fails when the source commit is not a full commit id', async () => {
    const { root } = makeRepo();
    await expect(buildRelease({ root, env: 'dev', sourceCommit: 'HEAD', compilerVersion: '0.1.0' })).rejects.toThrow(/source commit must be a full git commit id.*got "HEAD"/);
  });

  it('fails when the compiler version is empty', async () => {
    const { root } = makeRepo();
    await expect(buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '' })).rejects.toThrow(/compiler version is empty/);
  });

  it('fails when nothing was rendered', async () => {
    const { root } = makeRepo();
    execFileSync('rm', ['-r', join(root, 'dist/dev/manifests')]);
    await expect(buildRelease({ root, env: 'dev', sourceCommit: COMMIT, compilerVersion: '0.1.0' })).rejects.toThrow(/dist\/dev\/manifests: no rendered manifests to release; run `lockstep synth --env dev` first/);
  });
});

describe('parseRelease', () => {
  it('fails when the text is not JSON', () => {
    expect(() => parseRelease('{', 'dist/dev/release.json')).toThrow(/dist\/dev\/release.json: not valid JSON/);
  });

  it('fails when the release is not an object', () => {
    expect(() => parseRelease('[]', 'r.json')).toThrow(/must be a JSON object/);
  });

  it('fails naming every malformed field', () => {
    expect(() => parseRelease('{"apiVersion":"v1","kind":"Release"}', 'r.json')).toThrow(
      /\/apiVersion: apiVersion must be "lockstep.dev\/v1alpha1", got "v1"[\s\S]*\/id: id must be a string[\s\S]*\/environment: environment must be \{ name, stage \}[\s\S]*\/source: [\s\S]*\/inputs: [\s\S]*\/manifests: [\s\S]*\/images: images must be a list[\s\S]*\/artifacts: /,
    );
    expect(() => parseRelease('{"apiVersion":"lockstep.dev/v1alpha1","kind":"Other"}', 'r.json')).toThrow(/kind must be "Release", got "Other"/);
  });
});
