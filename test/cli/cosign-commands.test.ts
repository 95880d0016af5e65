import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseCosignBool } from '../../src/cli/commands/cosign-flags.ts';
import { canonicalJson, makeStatement, signAttestation } from '../../src/supply-chain/signing/index.ts';

async function run(root: string, argv: string[], env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const code = await main([...argv, '--root', root], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: root });
  return { code, out, err };
}

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lockstep-cosign-cli-'));
  writeFileSync(join(d, 'blob.txt'), 'hello\n');
  return d;
}

describe('parseCosignBool', () => {
  it('reads Go strconv.ParseBool spellings', () => {
    expect(parseCosignBool('check-claims', 'false')).toBe(false);
    expect(parseCosignBool('check-claims', 'F')).toBe(false);
    expect(parseCosignBool('check-claims', '1')).toBe(true);
    expect(parseCosignBool('check-claims', undefined)).toBeUndefined();
  });

  it('fails when the value is not a boolean', () => {
    expect(() => parseCosignBool('check-claims', 'blob.txt')).toThrow(/--check-claims takes true or false, got "blob.txt"; write it as cosign does: --check-claims=false/);
  });
});

describe('generate-key-pair, public-key, sign-blob, verify-blob', () => {
  it('round-trips a blob signature with cosign flags and COSIGN_PASSWORD', async () => {
    const d = dir();
    const env = { COSIGN_PASSWORD: 'pw' };
    const gen = await run(d, ['generate-key-pair', '--output-key-prefix', 'release'], env);
    expect(gen).toMatchObject({ code: 0, err: 'Private key written to release.key\nPublic key written to release.pub\n' });
    expect(statSync(join(d, 'release.key')).mode & 0o777).toBe(0o600);
    const pub = await run(d, ['public-key', '--key', 'release.key'], env);
    expect(pub.out).toBe(readFileSync(join(d, 'release.pub'), 'utf8'));
    const signed = await run(d, ['sign-blob', '--key', 'release.key', '--bundle', 'blob.sigstore.json', 'blob.txt'], env);
    expect(signed.code).toBe(0);
    expect(signed.out).toMatch(/^[A-Za-z0-9+/]+=*\n$/);
    expect(readFileSync(join(d, 'blob.sigstore.json'), 'utf8')).not.toContain('PRIVATE');
    const ok = await run(d, ['verify-blob', '--key', 'release.pub', '--bundle', 'blob.sigstore.json', '--insecure-ignore-tlog', 'blob.txt']);
    expect(ok).toMatchObject({ code: 0, err: 'Verified OK\n' });
    const bySig = await run(d, ['verify-blob', '--key', 'release.pub', '--signature', signed.out.trim(), '--insecure-ignore-tlog', 'blob.txt', '--json']);
    expect(JSON.parse(bySig.out)).toMatchObject({ verified: true, source: 'signature' });
    writeFileSync(join(d, 'blob.txt'), 'hellO\n');
    const bad = await run(d, ['verify-blob', '--key', 'release.pub', '--bundle', 'blob.sigstore.json', '--insecure-ignore-tlog', 'blob.txt']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/the blob does not match the bundle/);
  });

  it('writes the legacy bundle with --new-bundle-format=false', async () => {
    const d = dir();
    const pem = String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(d, 'k.pem'), pem);
    const r = await run(d, ['sign-blob', '--key', 'k.pem', '--new-bundle-format=false', '--bundle', 'legacy.json', '--output-signature', 'blob.sig', 'blob.txt']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(d, 'legacy.json'), 'utf8')))).toEqual(['base64Signature', 'cert']);
    expect(readFileSync(join(d, 'blob.sig'), 'utf8')).toBe(r.out.trim());
  });

  it('fails when COSIGN_PASSWORD is unset for generate-key-pair', async () => {
    expect(await run(dir(), ['generate-key-pair'])).toMatchObject({ code: 1, err: expect.stringMatching(/COSIGN_PASSWORD is not set, and lockstep does not prompt for a password/) });
  });

  it('fails with usage errors for a missing --key or FILE', async () => {
    const d = dir();
    expect(await run(d, ['sign-blob', 'blob.txt'])).toMatchObject({ code: 2, err: expect.stringMatching(/lockstep sign-blob needs --key/) });
    expect(await run(d, ['sign-blob', '--key', 'k'])).toMatchObject({ code: 2, err: expect.stringMatching(/lockstep sign-blob needs the FILE to sign/) });
    expect(await run(d, ['verify-blob', '--key', 'k', 'a', 'b'])).toMatchObject({ code: 2, err: expect.stringMatching(/lockstep verify-blob takes one FILE to verify, got 2: a b/) });
    expect(await run(d, ['public-key'])).toMatchObject({ code: 2, err: expect.stringMatching(/lockstep public-key needs --key/) });
  });
});

describe('verify-blob-attestation', () => {
  function attested(d: string): void {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(d, 'key.pub'), String(publicKey.export({ type: 'spki', format: 'pem' })));
    const statement = makeStatement({ subjects: [{ name: 'other.txt', digest: { sha256: '0'.repeat(64) } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} });
    writeFileSync(join(d, 'att.json'), JSON.stringify(signAttestation(canonicalJson(statement), privateKey).envelope));
  }

  it('accepts --check-claims=false, skipping the subject check', async () => {
    const d = dir();
    attested(d);
    const claims = await run(d, ['verify-blob-attestation', '--key', 'key.pub', '--signature', 'att.json', '--type', 'slsaprovenance1', '--insecure-ignore-tlog', 'blob.txt']);
    expect(claims).toMatchObject({ code: 1, err: expect.stringMatching(/no matching subject digest found/) });
    const skipped = await run(d, ['verify-blob-attestation', '--key', 'key.pub', '--signature', 'att.json', '--type', 'slsaprovenance1', '--check-claims=false', '--insecure-ignore-tlog']);
    expect(skipped).toMatchObject({ code: 0, err: 'Verified OK\n' });
    const json = await run(d, ['verify-blob-attestation', '--key', 'key.pub', '--signature', 'att.json', '--type', 'slsaprovenance1', '--check-claims=0', '--insecure-ignore-tlog', '--json']);
    expect(JSON.parse(json.out)).toEqual({ verified: true, predicateType: 'https://slsa.dev/provenance/v1', subjects: 1 });
  });

  it('fails with a usage error for a --check-claims value that is not a boolean', async () => {
    const d = dir();
    attested(d);
    const r = await run(d, ['verify-blob-attestation', '--key', 'key.pub', '--signature', 'att.json', '--check-claims', 'blob.txt']);
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/--check-claims takes true or false, got "blob.txt"/) });
  });

  it('fails when the predicate type differs', async () => {
    const d = dir();
    attested(d);
    const r = await run(d, ['verify-blob-attestation', '--key', 'key.pub', '--signature', 'att.json', '--type', 'spdxjson', '--check-claims=false', '--insecure-ignore-tlog']);
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/invalid predicate type, expected https:\/\/spdx.dev\/Document got https:\/\/slsa.dev\/provenance\/v1/) });
  });
});
