import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { COMMIT, makeRepo, write } from '../release/fixture.ts';

async function run(root: string, argv: string[], env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const code = await main([...argv, '--root', root], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { PATH: process.env.PATH, ...env }, cwd: root });
  return { code, out, err };
}

describe('lockstep sign and verify', () => {
  it('signs a dev rendering with the dev key and verifies it, as text and JSON', async () => {
    const { root } = makeRepo();
    const signed = await run(root, ['sign', '--env', 'dev', '--source-commit', COMMIT, '--json']);
    expect(signed.code).toBe(0);
    expect(signed.err).toMatch(/generated the local development signing key/);
    expect(JSON.parse(signed.out)).toMatchObject({ environment: 'dev', sourceCommit: COMMIT, manifests: 3, images: 2, files: { bundle: 'dist/dev/release.sigstore.json' } });
    const text = await run(root, ['verify', '--env', 'dev']);
    expect(text).toMatchObject({ code: 0 });
    expect(text.out).toMatch(/^dev: release dev-[0-9a-f]{12} verified \(signed by \.lockstep\/dev-key\/cosign\.pub/);
    const json = await run(root, ['verify', '--env', 'dev', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, problems: [] });
  });

  it('exits 1 with one line per problem when the rendering changed', async () => {
    const { root } = makeRepo();
    await run(root, ['sign', '--env', 'dev', '--source-commit', COMMIT]);
    write(root, 'dist/dev/manifests/x.yaml', 'a: 1\n');
    writeFileSync(join(root, 'dist/dev/manifests/shop/service_api.yaml'), 'changed\n');
    const r = await run(root, ['verify', '--env', 'dev']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: dist/dev/manifests/shop/service_api.yaml: sha256 changed');
    expect(r.err).toContain('error: dist/dev/manifests/x.yaml: extra file not in the release');
    expect(r.err).toMatch(/dev: verification failed with 2 problem\(s\)/);
    const json = await run(root, ['verify', '--env', 'dev', '--json']);
    expect(JSON.parse(json.out).problems.map((p: { code: string }) => p.code)).toEqual(['release/changed-file', 'release/extra-file']);
  });

  it('signs staging with --key and warns when the key is not trusted', async () => {
    const { root, releasePrivatePem } = makeRepo();
    write(root, 'release.key', releasePrivatePem);
    const ok = await run(root, ['sign', '--env', 'staging', '--key', 'release.key', '--source-commit', COMMIT]);
    expect(ok.code).toBe(0);
    expect(ok.err).not.toMatch(/warning/);
    expect((await run(root, ['verify', '--env', 'staging'])).code).toBe(0);
    const { generateKeyPairSync } = await import('node:crypto');
    write(root, 'other.key', String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' })));
    const warned = await run(root, ['sign', '--env', 'staging', '--key', 'other.key', '--source-commit', COMMIT]);
    expect(warned.err).toMatch(/warning: other\.key is not among the keys environments\/staging\.yaml trusts.*lockstep verify --env staging will reject this release/);
  });

  it('fails when staging is signed without a key', async () => {
    const { root } = makeRepo();
    const r = await run(root, ['sign', '--env', 'staging', '--source-commit', COMMIT]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a staging release must be signed with a trusted key, and the local development key is never accepted outside dev/);
  });

  it('fails when --cosign is asked for and cosign is not on PATH', async () => {
    const { root } = makeRepo();
    const r = await run(root, ['sign', '--env', 'dev', '--cosign', '--source-commit', COMMIT], { PATH: '/nonexistent' });
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toMatch(/cosign not found on PATH; install cosign, or sign in process without --cosign/);
  });

  it('fails with a usage error when --env is missing', async () => {
    const { root } = makeRepo();
    expect(await run(root, ['sign'])).toMatchObject({ code: 2, err: expect.stringMatching(/lockstep sign needs --env NAME/) });
    expect(await run(root, ['verify'])).toMatchObject({ code: 2, err: expect.stringMatching(/lockstep verify needs --env NAME/) });
  });

  it('documents both commands with examples', async () => {
    const { root } = makeRepo();
    for (const c of ['sign', 'verify', 'images pin', 'sbom']) {
      const r = await run(root, [...c.split(' '), '--help']);
      expect(r.out).toMatch(/Examples:\n  lockstep /);
    }
  });
});

describe('lockstep images pin', () => {
  it('fails naming the tools looked for when none is on PATH', async () => {
    const { root } = makeRepo();
    write(root, 'environments/dev.yaml', (await import('node:fs')).readFileSync(join(root, 'environments/dev.yaml'), 'utf8').replace(/api: .*/, 'api: ghcr.io/acme/api:1.2'));
    const r = await run(root, ['images', 'pin', '--env', 'dev'], { PATH: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot resolve 1 image tag\(s\) \(ghcr\.io\/acme\/api:1\.2\): none of crane, skopeo, cosign is on PATH; install crane, skopeo or cosign/);
  });

  it('has nothing to do when every image carries a digest', async () => {
    const { root } = makeRepo();
    const r = await run(root, ['images', 'pin', '--json'], { PATH: '/nonexistent' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ resolved: [], failed: 0, pinnedInline: [expect.stringMatching(/^ghcr\.io\/acme\/api@sha256:/)] });
  });
});

describe('lockstep sbom', () => {
  it('reports invalid stored SBOMs and exits 1 where SBOMs are required', async () => {
    const { root } = makeRepo();
    const r = await run(root, ['sbom', '--env', 'dev', '--json']);
    expect(r.code).toBe(1);
    const [dev] = JSON.parse(r.out);
    expect(dev).toMatchObject({ environment: 'dev', requireSbom: true, imagesRecorded: true });
    expect(dev.images.map((i: { state: string }) => i.state)).toEqual(['invalid', 'invalid']);
  });

  it('says when a rendering recorded no images', async () => {
    const { root } = makeRepo();
    (await import('node:fs')).rmSync(join(root, 'dist/dev/images.json'));
    const r = await run(root, ['sbom', '--env', 'dev']);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/dev: no images recorded \(dist\/dev\/images\.json not found; run lockstep synth\)/) });
  });

  it('fails when --syft is asked for and syft is not on PATH, or the format is unknown', async () => {
    const { root } = makeRepo();
    expect(await run(root, ['sbom', '--syft'], { PATH: '/nonexistent' })).toMatchObject({ code: 1, err: expect.stringMatching(/syft not found on PATH \(--syft\)/) });
    expect(await run(root, ['sbom', '--format', 'xml'])).toMatchObject({ code: 2, err: expect.stringMatching(/--format must be spdx-json or cyclonedx-json, got "xml"/) });
  });
});
