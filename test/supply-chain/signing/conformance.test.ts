import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signBlob } from '../../../src/supply-chain/signing/blob.ts';
import { conformanceCosignKeys, conformanceSigstoreBundles } from '../../../src/supply-chain/signing/conformance.ts';
import { encryptKeyMaterial, SCRYPT_LEGACY } from '../../../src/supply-chain/signing/encrypted-key.ts';
import { encryptPrivateKey } from '../../../src/supply-chain/signing/keys.ts';
import { p256, tempDir } from './helpers.ts';

// A miniature fixture tree with the upstream layout, built from our own keys and bundles.
async function fixtures(options: { breakHappyPath?: boolean } = {}) {
  const root = tempDir();
  const conf = join(root, 'supply-chain', 'bundles', 'sigstore-conformance');
  const keys = join(root, 'supply-chain', 'cosign-keys');
  mkdirSync(keys, { recursive: true });
  const artifact = Buffer.from('hello, world!\n');
  const signer = p256();
  const other = p256();
  mkdirSync(join(conf, 'managed-key-happy-path'), { recursive: true });
  mkdirSync(join(conf, 'managed-key-wrong-key_fail'), { recursive: true });
  writeFileSync(join(conf, 'a.txt'), artifact);
  const bundle = JSON.stringify(signBlob(artifact, signer.privateKey).bundle);
  writeFileSync(join(conf, 'managed-key-happy-path', 'bundle.sigstore.json'), bundle);
  writeFileSync(join(conf, 'managed-key-happy-path', 'key.pub'), options.breakHappyPath ? other.publicPem : signer.publicPem);
  writeFileSync(join(conf, 'managed-key-wrong-key_fail', 'bundle.sigstore.json'), bundle);
  writeFileSync(join(conf, 'managed-key-wrong-key_fail', 'key.pub'), other.publicPem);

  writeFileSync(join(keys, 'good.key'), await encryptPrivateKey(signer.privateKey, 'hello', { params: SCRYPT_LEGACY }));
  const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'der' });
  const sec1Json = JSON.stringify(await encryptKeyMaterial(sec1, 'hello', { params: SCRYPT_LEGACY }));
  writeFileSync(join(keys, 'pemcosigneckey.key'), `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n${Buffer.from(sec1Json).toString('base64')}\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n`);
  writeFileSync(join(keys, 'test.pub'), signer.publicPem);
  return root;
}

describe('conformanceSigstoreBundles', () => {
  it('passes happy paths, counts _fail cases that fail as passes, and skips the trusted-root mode without a tlog', async () => {
    const r = await conformanceSigstoreBundles(await fixtures());
    expect(r).toEqual({ suite: 'sigstore-bundles', passed: 2, failed: 0, skipped: 2, failures: [] });
  });

  it('reports a happy path that does not verify as a failure', async () => {
    const r = await conformanceSigstoreBundles(await fixtures({ breakHappyPath: true }));
    expect(r.failed).toBe(1);
    expect(r.failures[0]).toMatch(/^managed-key-happy-path \[insecure-ignore-tlog\]: expected success, got: .*invalid signature/);
  });

  it('reports a missing fixture directory as a failure', async () => {
    const r = await conformanceSigstoreBundles(tempDir());
    expect(r.failed).toBe(1);
    expect(r.failures[0]).toMatch(/^missing fixture directory .*sigstore-conformance$/);
  });
});

describe('conformanceCosignKeys', () => {
  it('decrypts keys with "hello", rejects SEC1 and wrong passwords, and loads public keys', async () => {
    const r = await conformanceCosignKeys(await fixtures());
    expect(r).toEqual({ suite: 'cosign-keys', passed: 5, failed: 0, skipped: 0, failures: [] });
  });

  it('reports a missing fixture directory as a failure', async () => {
    const r = await conformanceCosignKeys(tempDir());
    expect(r.failures[0]).toMatch(/^missing fixture directory .*cosign-keys$/);
  });
});
