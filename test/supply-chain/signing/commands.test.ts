import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signAttestation } from '../../../src/supply-chain/signing/attestation.ts';
import {
  generateKeyPairCommand,
  publicKeyCommand,
  signBlobCommand,
  verifyBlobAttestationCommand,
  verifyBlobCommand,
} from '../../../src/supply-chain/signing/commands.ts';
import { canonicalJson, makeStatement } from '../../../src/supply-chain/signing/intoto.ts';
import { loadPrivateKey } from '../../../src/supply-chain/signing/keys.ts';
import { openssl, tempDir } from './helpers.ts';

async function setup() {
  const dir = tempDir();
  const prefix = join(dir, 'release');
  const keys = await generateKeyPairCommand({ outputKeyPrefix: prefix, password: 'pw' });
  const file = join(dir, 'manifests.yaml');
  writeFileSync(file, 'kind: ConfigMap\n');
  return { dir, file, ...keys };
}

describe('generate-key-pair', () => {
  it('writes P.key (0600) and P.pub (0644) and reports them like cosign', async () => {
    const { keyFile, pubFile, publicPem, messages } = await setup();
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(pubFile).mode & 0o777).toBe(0o644);
    expect(readFileSync(pubFile, 'utf8')).toBe(publicPem);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    expect(messages).toEqual([`Private key written to ${keyFile}`, `Public key written to ${pubFile}`]);
  });

  it('fails when the key file already exists', async () => {
    const { dir } = await setup();
    await expect(generateKeyPairCommand({ outputKeyPrefix: join(dir, 'release'), password: 'pw' })).rejects.toThrow(/release\.key already exists; refusing to overwrite a key/);
  });
});

describe('public-key', () => {
  it('derives the public key and writes --output-file', async () => {
    const { dir, keyFile, publicPem } = await setup();
    const out = join(dir, 'derived.pub');
    expect(await publicKeyCommand({ key: keyFile, password: 'pw', outputFile: out })).toEqual({ publicPem, outputFile: out });
    expect(readFileSync(out, 'utf8')).toBe(publicPem);
    expect(await publicKeyCommand({ key: keyFile, password: 'pw' })).toEqual({ publicPem });
  });

  it('fails when the password is wrong', async () => {
    const { keyFile } = await setup();
    await expect(publicKeyCommand({ key: keyFile, password: 'nope' })).rejects.toThrow(/release\.key: decrypt: encrypted: decryption failed \(wrong password\?\)/);
  });

  it('fails when the key file does not exist', async () => {
    await expect(publicKeyCommand({ key: '/nonexistent/cosign.key', password: 'pw' })).rejects.toThrow(/cannot read key \/nonexistent\/cosign\.key \(ENOENT\)/);
  });
});

describe('sign-blob and verify-blob', () => {
  it('signs into a bundle and a signature file that verify, and that openssl accepts', async () => {
    const { dir, file, keyFile, pubFile } = await setup();
    const bundle = join(dir, 'm.sigstore.json');
    const sig = join(dir, 'm.sig');
    const r = await signBlobCommand({ key: keyFile, password: 'pw', file, bundle, outputSignature: sig });
    expect(readFileSync(sig, 'utf8')).toBe(r.signatureB64);
    expect(JSON.parse(readFileSync(bundle, 'utf8')).mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect((await verifyBlobCommand({ key: pubFile, bundle, insecureIgnoreTlog: true, file })).message).toBe('Verified OK');
    expect((await verifyBlobCommand({ key: pubFile, signature: sig, insecureIgnoreTlog: true, file })).source).toBe('signature');
    writeFileSync(join(dir, 'sig.der'), Buffer.from(r.signatureB64, 'base64'));
    expect(openssl(['dgst', '-sha256', '-verify', pubFile, '-signature', join(dir, 'sig.der'), file])).toBe('Verified OK\n');
  });

  it('accepts an inline base64 signature when no such file exists, like cosign', async () => {
    const { file, keyFile, pubFile } = await setup();
    const { signatureB64 } = await signBlobCommand({ key: keyFile, password: 'pw', file, newBundleFormat: false });
    expect((await verifyBlobCommand({ key: pubFile, signature: signatureB64, insecureIgnoreTlog: true, file })).source).toBe('signature');
  });

  it('writes the legacy bundle with --new-bundle-format=false, and it verifies', async () => {
    const { dir, file, keyFile, pubFile, publicPem } = await setup();
    const bundle = join(dir, 'legacy.json');
    const r = await signBlobCommand({ key: keyFile, password: 'pw', file, bundle, newBundleFormat: false });
    expect(JSON.parse(readFileSync(bundle, 'utf8'))).toEqual({ base64Signature: r.signatureB64, cert: Buffer.from(publicPem).toString('base64') });
    expect((await verifyBlobCommand({ key: pubFile, bundle, insecureIgnoreTlog: true, file })).source).toBe('legacy-bundle');
  });

  it('fails when --bundle is missing with the new bundle format', async () => {
    const { file, keyFile } = await setup();
    await expect(signBlobCommand({ key: keyFile, password: 'pw', file })).rejects.toThrow(/must specify --bundle with --new-bundle-format/);
  });

  it('fails when the file changed after signing', async () => {
    const { dir, file, keyFile, pubFile } = await setup();
    const bundle = join(dir, 'm.sigstore.json');
    await signBlobCommand({ key: keyFile, password: 'pw', file, bundle });
    writeFileSync(file, 'kind: Secret\n');
    await expect(verifyBlobCommand({ key: pubFile, bundle, insecureIgnoreTlog: true, file })).rejects.toThrow(/m\.sigstore\.json: \/messageSignature\/messageDigest\/digest: the blob does not match the bundle/);
  });

  it('fails when no key is given', async () => {
    const { dir, file, keyFile } = await setup();
    const bundle = join(dir, 'm.sigstore.json');
    await signBlobCommand({ key: keyFile, password: 'pw', file, bundle });
    await expect(verifyBlobCommand({ bundle, insecureIgnoreTlog: true, file })).rejects.toThrow(/verify-blob needs --key: no public key was given/);
  });

  it('fails when the file to verify does not exist', async () => {
    const { dir, pubFile } = await setup();
    await expect(verifyBlobCommand({ key: pubFile, bundle: join(dir, 'b'), insecureIgnoreTlog: true, file: join(dir, 'missing') })).rejects.toThrow(/cannot read file to verify .*missing \(ENOENT\)/);
  });
});

describe('verify-blob-attestation', () => {
  async function attested() {
    const s = await setup();
    const sha256 = (await import('node:crypto')).createHash('sha256').update(readFileSync(s.file)).digest('hex');
    const stmt = makeStatement({ subjects: [{ name: 'manifests.yaml', digest: { sha256 } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} });
    const key = await loadPrivateKey(readFileSync(s.keyFile, 'utf8'), 'pw');
    const { envelope, bundle } = signAttestation(canonicalJson(stmt), key);
    const envFile = join(s.dir, 'att.dsse.json');
    const bundleFile = join(s.dir, 'att.sigstore.json');
    writeFileSync(envFile, JSON.stringify(envelope));
    writeFileSync(bundleFile, JSON.stringify(bundle));
    return { ...s, envFile, bundleFile };
  }

  it('verifies --signature ENVELOPE with --type and the file claim', async () => {
    const { envFile, pubFile, file } = await attested();
    const r = await verifyBlobAttestationCommand({ key: pubFile, signature: envFile, type: 'slsaprovenance1', insecureIgnoreTlog: true, file });
    expect(r).toMatchObject({ message: 'Verified OK', matchedSubject: 'manifests.yaml' });
  });

  it('verifies --bundle with --check-claims=false and no file', async () => {
    const { bundleFile, pubFile } = await attested();
    const r = await verifyBlobAttestationCommand({ key: pubFile, bundle: bundleFile, type: 'slsaprovenance1', checkClaims: false, insecureIgnoreTlog: true });
    expect(r.predicateType).toBe('https://slsa.dev/provenance/v1');
  });

  it('fails when neither --signature nor --bundle is given', async () => {
    const { pubFile } = await attested();
    await expect(verifyBlobAttestationCommand({ key: pubFile })).rejects.toThrow(/please specify path to the DSSE envelope signature via --signature or --bundle/);
  });

  it('fails when no key is given', async () => {
    const { envFile } = await attested();
    await expect(verifyBlobAttestationCommand({ signature: envFile, checkClaims: false, insecureIgnoreTlog: true })).rejects.toThrow(/verify-blob-attestation needs --key/);
  });
});
