import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signRelease } from '../../src/release/sign.ts';
import { resolveSigningKey } from '../../src/release/signing-key.ts';
import { verifyRelease } from '../../src/release/verify.ts';
import { loadEnvironment } from '../../src/config/load.ts';
import { formatProblem } from '../../src/util/errors.ts';
import { COMMIT, GOOD_ANNOTATIONS, SBOM_PATH, deployment, makeRepo, write } from './fixture.ts';

const opts = { sourceCommit: COMMIT, compilerVersion: '0.1.0', builderId: 'https://lockstep.dev/builders/test' };

async function signDev(root: string, progress: (l: string) => void = () => {}) {
  const { config, file } = await loadEnvironment(root, 'dev');
  const key = await resolveSigningKey({ root, config, envFile: file, progress });
  return signRelease({ root, env: 'dev', key: key.key, ...opts });
}

async function problems(root: string, env = 'dev', keyFlags?: string[]): Promise<string[]> {
  const r = await verifyRelease({ root, env, ...(keyFlags ? { keyFlags } : {}) });
  return r.problems.map(formatProblem);
}

describe('sign then verify', () => {
  it('passes for an untouched dev rendering signed with the generated dev key', async () => {
    const { root } = makeRepo();
    const lines: string[] = [];
    const signed = await signDev(root, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/generated the local development signing key .lockstep\/dev-key\/cosign.key/);
    expect(signed.files).toEqual({ release: 'dist/dev/release.json', bundle: 'dist/dev/release.sigstore.json', attestation: 'dist/dev/release.intoto.json' });
    const result = await verifyRelease({ root, env: 'dev' });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result).toMatchObject({ ok: true, releaseId: signed.release.id, checked: { manifests: 3, images: 2, workloads: 1 } });
    expect(result.signer).toMatch(/^\.lockstep\/dev-key\/cosign\.pub \(/);
  });

  it('keeps the key out of dist and readable only by its owner', async () => {
    const { root } = makeRepo();
    await signDev(root);
    expect(statSync(join(root, '.lockstep/dev-key/cosign.key')).mode & 0o777).toBe(0o600);
    const key = readFileSync(join(root, '.lockstep/dev-key/cosign.key'), 'utf8');
    for (const f of readdirSync(join(root, 'dist/dev'))) {
      if (f.endsWith('.json')) expect(readFileSync(join(root, 'dist/dev', f), 'utf8')).not.toContain(key.split('\n')[1]);
    }
    expect(readdirSync(join(root, 'dist/dev')).filter((f) => f.includes('key'))).toEqual([]);
  });

  it('reuses the dev key on the next signature', async () => {
    const { root } = makeRepo();
    await signDev(root);
    const first = readFileSync(join(root, '.lockstep/dev-key/cosign.pub'), 'utf8');
    const lines: string[] = [];
    await signDev(root, (l) => lines.push(l));
    expect(readFileSync(join(root, '.lockstep/dev-key/cosign.pub'), 'utf8')).toBe(first);
    expect(lines).toEqual([]);
  });

  it('passes for staging signed with its trusted key', async () => {
    const { root, releasePrivatePem } = makeRepo();
    await signRelease({ root, env: 'staging', key: createPrivateKey(releasePrivatePem), ...opts });
    expect(await problems(root, 'staging')).toEqual([]);
  });

  it('fails when one byte of a manifest changed, naming the file and both digests', async () => {
    const { root } = makeRepo();
    await signDev(root);
    const file = join(root, 'dist/dev/manifests/shop/service_api.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('name: api', 'name: apj'));
    expect(await problems(root)).toEqual([expect.stringMatching(/^dist\/dev\/manifests\/shop\/service_api\.yaml: sha256 changed \(release has [0-9a-f]{12}…, file has [0-9a-f]{12}…\)/)]);
  });

  it('fails when a file was added under manifests/, naming it', async () => {
    const { root } = makeRepo();
    await signDev(root);
    write(root, 'dist/dev/manifests/shop/configmap_extra.yaml', 'apiVersion: v1\nkind: ConfigMap\n');
    expect(await problems(root)).toEqual([expect.stringMatching(/^dist\/dev\/manifests\/shop\/configmap_extra\.yaml: extra file not in the release/)]);
  });

  it('fails when a manifest was deleted, naming it', async () => {
    const { root } = makeRepo();
    await signDev(root);
    rmSync(join(root, 'dist/dev/manifests/_cluster/namespace_shop.yaml'));
    expect(await problems(root)).toEqual([expect.stringMatching(/^dist\/dev\/manifests\/_cluster\/namespace_shop\.yaml: missing file, listed in the release/)]);
  });

  it('fails when the release is signed with a key the environment does not trust', async () => {
    const { root } = makeRepo();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await signRelease({ root, env: 'staging', key: other, ...opts });
    expect(await problems(root, 'staging')).toEqual([expect.stringMatching(/^dist\/staging\/release\.sigstore\.json: the signature does not verify with any trusted key \(tried keys\/release\.pub\); the bundle names key /)]);
  });

  it('verifies with --key instead of the environment keys', async () => {
    const { root } = makeRepo();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    write(root, 'other.pub', String(publicKey.export({ type: 'spki', format: 'pem' })));
    await signRelease({ root, env: 'staging', key: privateKey, ...opts });
    expect(await problems(root, 'staging', ['other.pub'])).toEqual([]);
    expect(await problems(root, 'staging', ['keys/release.pub'])).toEqual([expect.stringMatching(/tried keys\/release\.pub/)]);
  });

  it('fails when a --key file does not exist', async () => {
    const { root } = makeRepo();
    await signDev(root);
    expect(await problems(root, 'dev', ['nope.pub'])).toEqual([expect.stringMatching(/^nope\.pub: trusted key nope\.pub not found; check the --key path/)]);
  });

  it('fails when release.json changed after signing', async () => {
    const { root } = makeRepo();
    await signDev(root);
    const file = join(root, 'dist/dev/release.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"0.1.0"', '"0.1.1"'));
    const lines = await problems(root);
    expect(lines[0]).toMatch(/release\.json changed after signing: the blob does not match the bundle/);
  });

  it('fails when an SBOM in the store changed or a workload lost its annotation', async () => {
    const { root } = makeRepo();
    await signDev(root);
    write(root, SBOM_PATH, '{"changed":true}\n');
    const { ['example.dev/sbom-sha256.proxy']: _, ...fewer } = GOOD_ANNOTATIONS;
    write(root, 'dist/dev/manifests/shop/deployment_api.yaml', deployment(fewer));
    const lines = await problems(root);
    expect(lines).toContainEqual(expect.stringMatching(/^sboms\/ghcr\.io\/acme\/api\/sha256-1+\.spdx\.json: SBOM of image ghcr\.io\/acme\/api@sha256:1+: sha256 changed/));
    expect(lines).toContainEqual(expect.stringMatching(/deployment_api\.yaml: \/spec\/template\/metadata\/annotations: Deployment shop\/api runs ghcr\.io\/acme\/proxy@sha256:2+ \(container proxy\) but its example\.dev\/sbom-sha256 annotation is "[0-9a-f]+", not the SBOM's sha256/));
  });

  it('fails when an SBOM is missing from the store', async () => {
    const { root } = makeRepo();
    await signDev(root);
    rmSync(join(root, SBOM_PATH));
    expect(await problems(root)).toContainEqual(expect.stringMatching(/SBOM of image ghcr\.io\/acme\/api@sha256:1+ is missing from the store/));
  });

  it('fails when a policy report appeared after signing', async () => {
    const { root } = makeRepo();
    await signDev(root);
    write(root, 'dist/dev/reports/policy-report.yaml', 'kind: ClusterPolicyReport\n');
    expect(await problems(root)).toEqual([expect.stringMatching(/^dist\/dev\/reports\/policy-report\.yaml: extra file not in the release \(made after signing\?\)/)]);
  });

  it('fails when the attestation was replaced by one over other content', async () => {
    const { root } = makeRepo();
    await signDev(root);
    const env = JSON.parse(readFileSync(join(root, 'dist/dev/release.intoto.json'), 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
    statement.subject = statement.subject.slice(0, 1);
    env.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    writeFileSync(join(root, 'dist/dev/release.intoto.json'), JSON.stringify(env));
    expect(await problems(root)).toEqual([expect.stringMatching(/^dist\/dev\/release\.intoto\.json: invalid signature: none of the 1 DSSE signature/)]);
  });

  it('fails when the release is not signed', async () => {
    const { root } = makeRepo();
    await signDev(root);
    rmSync(join(root, 'dist/dev/release.sigstore.json'));
    rmSync(join(root, 'dist/dev/release.intoto.json'));
    expect(await problems(root)).toEqual([
      'dist/dev/release.sigstore.json: the release is not signed: no signature bundle; run `lockstep sign --env dev`',
      'dist/dev/release.intoto.json: no release attestation; run `lockstep sign --env dev`',
    ]);
  });

  it('fails when there is no release', async () => {
    const { root } = makeRepo();
    expect(await problems(root, 'staging')).toEqual(['dist/staging/release.json: no release to verify; sign the rendering first: `lockstep sign --env staging`']);
  });

  it('fails when the bundle is keyless, pointing at cosign', async () => {
    const { root } = makeRepo();
    await signDev(root);
    const file = join(root, 'dist/dev/release.sigstore.json');
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    bundle.verificationMaterial = { certificate: { rawBytes: 'AAAA' } };
    writeFileSync(file, JSON.stringify(bundle));
    expect(await problems(root)).toEqual([expect.stringMatching(/the release is signed keyless \(with a Fulcio certificate\); lockstep verify checks key-signed releases only; verify it with `cosign verify-blob/)]);
  });

  it('fails when no key is trusted', async () => {
    const { root } = makeRepo();
    write(root, 'environments/dev.yaml', readFileSync(join(root, 'environments/dev.yaml'), 'utf8').replace('allowDevKey: true', 'allowDevKey: false'));
    expect((await problems(root))[0]).toMatch(/^environments\/dev\.yaml: \/signing\/trustedKeys: no key is trusted for dev releases of environment dev/);
  });

  it('fails when a trusted key listed by the environment is missing', async () => {
    const { root, releasePrivatePem } = makeRepo();
    await signRelease({ root, env: 'staging', key: createPrivateKey(releasePrivatePem), ...opts });
    rmSync(join(root, 'keys/release.pub'));
    expect((await problems(root, 'staging'))[0]).toBe('environments/staging.yaml: /signing/trustedKeys/0: trusted key keys/release.pub not found; add keys/release.pub to the repository or remove it from signing.trustedKeys');
  });

  it('fails when an input file changed since the release', async () => {
    const { root } = makeRepo();
    await signDev(root);
    write(root, 'environments/images.lock.yaml', 'apiVersion: lockstep.dev/v1alpha1\nkind: ImagesLock\nimages: []\n# edited\n');
    expect(await problems(root)).toEqual([expect.stringMatching(/^environments\/images\.lock\.yaml: sha256 changed/)]);
  });
});

describe('resolveSigningKey', () => {
  it('refuses the dev key for staging', async () => {
    const { root } = makeRepo();
    const { config, file } = await loadEnvironment(root, 'staging');
    await expect(resolveSigningKey({ root, config, envFile: file })).rejects.toThrow(
      /environments\/staging\.yaml: \/signing: no signing key given: a staging release must be signed with a trusted key, and the local development key is never accepted outside dev; pass --key/,
    );
  });

  it('refuses the dev key in a dev environment that does not allow it', async () => {
    const { root } = makeRepo();
    write(root, 'environments/dev.yaml', readFileSync(join(root, 'environments/dev.yaml'), 'utf8').replace('allowDevKey: true', 'allowDevKey: false'));
    const { config, file } = await loadEnvironment(root, 'dev');
    await expect(resolveSigningKey({ root, config, envFile: file })).rejects.toThrow(/this environment does not allow the local development key \(signing\.allowDevKey is false\)/);
  });

  it('loads a PKCS#8 key given with --key', async () => {
    const { root, releasePrivatePem, releasePublicPem } = makeRepo();
    write(root, 'release.key', releasePrivatePem);
    const { config, file } = await loadEnvironment(root, 'staging');
    const key = await resolveSigningKey({ root, config, envFile: file, keyPath: 'release.key' });
    expect(key).toMatchObject({ keyFile: 'release.key', dev: false, publicPem: releasePublicPem });
  });

  it('fails when the --key file does not exist', async () => {
    const { root } = makeRepo();
    const { config, file } = await loadEnvironment(root, 'staging');
    await expect(resolveSigningKey({ root, config, envFile: file, keyPath: 'missing.key' })).rejects.toThrow(/missing\.key: signing key file not found/);
  });
});
