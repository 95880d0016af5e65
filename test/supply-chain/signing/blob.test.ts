import { sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSignature, signBlob, verifyBlob } from '../../../src/supply-chain/signing/blob.ts';
import { dsseBundle } from '../../../src/supply-chain/signing/bundle.ts';
import { keyHint, loadPrivateKey, publicKeyPem } from '../../../src/supply-chain/signing/keys.ts';
import { problemCode } from '../../../src/supply-chain/signing/problems.ts';
import { openssl, p256, tempDir } from './helpers.ts';

const data = Buffer.from('apiVersion: v1\nkind: ConfigMap\n');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return problemCode(e) ?? `not a LockstepError: ${String(e)}`;
  }
  return undefined;
}

describe('signBlob', () => {
  it('produces a v0.3 bundle with the key hint, the sha256 digest and no tlog entries', () => {
    const { privateKey, publicPem } = p256();
    const { bundle, signatureB64 } = signBlob(data, privateKey);
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(bundle.verificationMaterial).toEqual({ publicKey: { hint: keyHint(publicPem) }, timestampVerificationData: {} });
    expect(bundle.messageSignature?.messageDigest?.algorithm).toBe('SHA2_256');
    const sha256Hex = openssl(['dgst', '-sha256', '-r'], data).slice(0, 64);
    expect(bundle.messageSignature?.messageDigest?.digest).toBe(Buffer.from(sha256Hex, 'hex').toString('base64'));
    expect(bundle.messageSignature?.signature).toBe(signatureB64);
  });

  it('signs so that openssl verifies the bundle signature over the raw blob', () => {
    const { privateKey, publicPem } = p256();
    const { bundle } = signBlob(data, privateKey);
    const dir = tempDir();
    writeFileSync(join(dir, 'pub.pem'), publicPem);
    writeFileSync(join(dir, 'sig.der'), Buffer.from(bundle.messageSignature?.signature ?? '', 'base64'));
    writeFileSync(join(dir, 'blob'), data);
    expect(openssl(['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'blob')])).toBe('Verified OK\n');
    writeFileSync(join(dir, 'blob'), Buffer.concat([data, Buffer.from('x')]));
    expect(() => openssl(['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'blob')])).toThrow(/Verification failure/);
  });

  it('fails when given a public key', () => {
    const { publicKey } = p256();
    expect(() => signBlob(data, publicKey)).toThrow(/signBlob needs a private key, got a public key/);
  });
});

describe('verifyBlob', () => {
  it('verifies its own bundle with --insecure-ignore-tlog', () => {
    const { privateKey, publicPem } = p256();
    const { bundle } = signBlob(data, privateKey);
    expect(verifyBlob({ data, publicKey: publicPem, bundle: JSON.stringify(bundle), insecureIgnoreTlog: true })).toEqual({
      source: 'sigstore-bundle',
      tlogEntriesVerified: 0,
      tlogEntriesIgnored: 0,
      keyHint: keyHint(publicPem),
    });
  });

  it('verifies a signature made by openssl with an openssl-generated key', async () => {
    const dir = tempDir();
    const keyPem = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    writeFileSync(join(dir, 'key.pem'), keyPem);
    writeFileSync(join(dir, 'blob'), data);
    openssl(['dgst', '-sha256', '-sign', join(dir, 'key.pem'), '-out', join(dir, 'sig.der'), join(dir, 'blob')]);
    const pub = openssl(['pkey', '-in', join(dir, 'key.pem'), '-pubout']);
    const der = readFileSync(join(dir, 'sig.der'));
    expect(verifyBlob({ data, publicKey: pub, signature: der, insecureIgnoreTlog: true }).source).toBe('signature');
    expect(verifyBlob({ data, publicKey: pub, signature: der.toString('base64'), insecureIgnoreTlog: true }).source).toBe('signature');
    expect(publicKeyPem(await loadPrivateKey(keyPem))).toBe(pub);
  });

  it('fails when one byte of the blob changed', () => {
    const { privateKey, publicPem } = p256();
    const { bundle } = signBlob(data, privateKey);
    const changed = Buffer.from(data);
    changed[3] = (changed[3] ?? 0) ^ 0x20;
    expect(() => verifyBlob({ data: changed, publicKey: publicPem, bundle, insecureIgnoreTlog: true })).toThrow(
      /\/messageSignature\/messageDigest\/digest: the blob does not match the bundle: its sha256 is [0-9a-f]{64}, the bundle signs [0-9a-f]{64}/,
    );
  });

  it('fails when the bundle digest and signature were both swapped for another blob', () => {
    const { privateKey, publicPem } = p256();
    const other = signBlob(Buffer.from('other'), privateKey).bundle;
    const { bundle } = signBlob(data, privateKey);
    const forged = { ...bundle, messageSignature: { ...bundle.messageSignature, signature: other.messageSignature?.signature } };
    expect(codeOf(() => verifyBlob({ data, publicKey: publicPem, bundle: forged, insecureIgnoreTlog: true }))).toBe('signing/signature-mismatch');
  });

  it('fails when verified with another key, and says the bundle names a different key', () => {
    const signer = p256();
    const other = p256();
    const { bundle } = signBlob(data, signer.privateKey);
    expect(() => verifyBlob({ data, publicKey: other.publicPem, bundle, insecureIgnoreTlog: true, bundleFile: 'b.json' })).toThrow(
      new RegExp(`^b\\.json: invalid signature: the signature does not verify with the given public key; the bundle names key ${keyHint(signer.publicPem).replace(/[+/]/g, '\\$&')} but the given key is`),
    );
  });

  it('fails when a raw signature does not match, naming both causes', () => {
    const { privateKey } = p256();
    const other = p256();
    const { signatureB64 } = signBlob(data, privateKey);
    expect(() => verifyBlob({ data, publicKey: other.publicPem, signature: signatureB64, insecureIgnoreTlog: true })).toThrow(
      /invalid signature: the signature does not verify for this blob with the given public key \(wrong key, or the blob changed after signing\)/,
    );
  });

  it('fails when a raw signature is not DER at all', () => {
    const { publicPem } = p256();
    expect(codeOf(() => verifyBlob({ data, publicKey: publicPem, signature: Buffer.from('not a signature!'), insecureIgnoreTlog: true }))).toBe('signing/signature-mismatch');
  });

  it('fails when a key bundle has no tlog entry and --insecure-ignore-tlog is not set, as cosign does', () => {
    const { privateKey, publicPem } = p256();
    const { bundle } = signBlob(data, privateKey);
    expect(() => verifyBlob({ data, publicKey: publicPem, bundle })).toThrow(
      /the bundle has no transparency log entry, and cosign requires one unless --insecure-ignore-tlog is set/,
    );
  });

  it('fails when a raw signature is verified without --insecure-ignore-tlog', () => {
    const { privateKey, publicPem } = p256();
    const { signatureB64 } = signBlob(data, privateKey);
    expect(() => verifyBlob({ data, publicKey: publicPem, signature: signatureB64 })).toThrow(
      /a raw signature has no transparency log proof; cosign would look the signature up in Rekor online/,
    );
  });

  it('verifies a legacy cosign bundle with --insecure-ignore-tlog', () => {
    const { privateKey, publicPem } = p256();
    const { signatureB64 } = signBlob(data, privateKey);
    const legacy = { base64Signature: signatureB64, cert: Buffer.from(publicPem).toString('base64') };
    expect(verifyBlob({ data, publicKey: publicPem, bundle: legacy, insecureIgnoreTlog: true }).source).toBe('legacy-bundle');
  });

  it('fails when a legacy bundle carries a Rekor entry that cannot be checked offline', () => {
    const { privateKey, publicPem } = p256();
    const { signatureB64 } = signBlob(data, privateKey);
    expect(() => verifyBlob({ data, publicKey: publicPem, bundle: { base64Signature: signatureB64, rekorBundle: {} } })).toThrow(
      /the legacy cosign bundle carries a Rekor entry \(rekorBundle\), which cannot be checked offline/,
    );
  });

  it('fails when neither a bundle nor a signature is given', () => {
    const { publicPem } = p256();
    expect(() => verifyBlob({ data, publicKey: publicPem })).toThrow(/no signature to verify: neither a bundle nor a signature was given/);
  });

  it('fails when both a bundle and a signature are given', () => {
    const { privateKey, publicPem } = p256();
    const s = signBlob(data, privateKey);
    expect(() => verifyBlob({ data, publicKey: publicPem, bundle: s.bundle, signature: s.signatureB64 })).toThrow(/both a bundle and a signature were given/);
  });

  it('fails when the bundle is an attestation', () => {
    const { privateKey, publicPem } = p256();
    const att = dsseBundle(Buffer.from('{}'), 'application/vnd.in-toto+json', sign('sha256', Buffer.from('x'), privateKey), keyHint(publicPem));
    expect(() => verifyBlob({ data, publicKey: publicPem, bundle: att, insecureIgnoreTlog: true })).toThrow(
      /the bundle holds a DSSE envelope \(an attestation\), not a blob signature; use verify-blob-attestation/,
    );
  });

  it('fails when the bundle is not JSON', () => {
    const { publicPem } = p256();
    expect(codeOf(() => verifyBlob({ data, publicKey: publicPem, bundle: 'nope', insecureIgnoreTlog: true }))).toBe('signing/malformed-bundle');
  });
});

describe('decodeSignature', () => {
  it('decodes base64 text and keeps raw DER as is, like cosign isb64', () => {
    const der = Buffer.from([0x30, 0x45, 0x02, 0x21, 0x00, 0xff]);
    expect(decodeSignature(der.toString('base64'))).toEqual(der);
    expect(decodeSignature(Buffer.from(`${der.toString('base64')}\n`))).toEqual(der);
    expect(decodeSignature(der)).toEqual(der);
  });
});
