import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptKeyMaterial, SCRYPT_LEGACY } from '../../../src/supply-chain/signing/encrypted-key.ts';
import {
  describeKeyType,
  encryptPrivateKey,
  generateKeyPair,
  keyHint,
  loadPrivateKey,
  loadPublicKey,
  publicKeyPem,
  toPublicKey,
} from '../../../src/supply-chain/signing/keys.ts';
import { problemCode } from '../../../src/supply-chain/signing/problems.ts';
import { openssl, p256, tempDir } from './helpers.ts';

function pem(label: string, body: Buffer | string): string {
  const b64 = (typeof body === 'string' ? Buffer.from(body, 'utf8') : body).toString('base64');
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

async function encryptedPem(der: Buffer, label = 'ENCRYPTED SIGSTORE PRIVATE KEY'): Promise<string> {
  return pem(label, JSON.stringify(await encryptKeyMaterial(der, 'pw', { params: SCRYPT_LEGACY })));
}

describe('generateKeyPair', () => {
  it('writes an encrypted SIGSTORE private key and the matching SPKI public key', async () => {
    const pair = await generateKeyPair('secret');
    expect(pair.privatePem).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n$/);
    expect(pair.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const key = await loadPrivateKey(pair.privatePem, 'secret');
    expect(describeKeyType(key)).toBe('ECDSA P-256');
    expect(publicKeyPem(key)).toBe(pair.publicPem);
  });

  it('fails to load with a wrong password', async () => {
    const pair = await generateKeyPair('secret');
    const err = await loadPrivateKey(pair.privatePem, 'Secret', { file: 'cosign.key' }).catch((e: unknown) => e);
    expect(problemCode(err)).toBe('signing/wrong-password');
    expect(String(err)).toMatch(/cosign\.key: decrypt: encrypted: decryption failed \(wrong password\?\)/);
  });
});

describe('loadPrivateKey', () => {
  it('reads the older ENCRYPTED COSIGN PRIVATE KEY label', async () => {
    const { privateKey } = p256();
    const text = await encryptedPem(privateKey.export({ type: 'pkcs8', format: 'der' }), 'ENCRYPTED COSIGN PRIVATE KEY');
    expect(publicKeyPem(await loadPrivateKey(text, 'pw'))).toBe(publicKeyPem(privateKey));
  });

  it('reads an unencrypted PKCS#8 PRIVATE KEY without a password', async () => {
    const { privateKey } = p256();
    const text = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(describeKeyType(await loadPrivateKey(text))).toBe('ECDSA P-256');
  });

  it('reads a PKCS#8 key that openssl generated', async () => {
    const text = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    expect(describeKeyType(await loadPrivateKey(text))).toBe('ECDSA P-256');
  });

  it('round-trips through encryptPrivateKey', async () => {
    const { privateKey } = p256();
    const text = await encryptPrivateKey(privateKey, 'pw', { params: SCRYPT_LEGACY });
    expect(publicKeyPem(await loadPrivateKey(text, 'pw'))).toBe(publicKeyPem(privateKey));
  });

  it('fails when an encrypted key is given no password', async () => {
    const { privateKey } = p256();
    const text = await encryptedPem(privateKey.export({ type: 'pkcs8', format: 'der' }));
    await expect(loadPrivateKey(text)).rejects.toThrow(/the private key is encrypted \("ENCRYPTED SIGSTORE PRIVATE KEY"\) and no password was given; set COSIGN_PASSWORD/);
  });

  it('fails when the encrypted payload is a SEC1 key, as cosign does', async () => {
    const { privateKey } = p256();
    const text = await encryptedPem(privateKey.export({ type: 'sec1', format: 'der' }));
    const err = await loadPrivateKey(text, 'pw').catch((e: unknown) => e);
    expect(problemCode(err)).toBe('signing/malformed-key');
    expect(String(err)).toMatch(/parsing private key: the key is SEC1 \("EC PRIVATE KEY"\), not PKCS#8/);
  });

  it('fails when the key is Ed25519, naming the type', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const err = await loadPrivateKey(String(privateKey.export({ type: 'pkcs8', format: 'pem' }))).catch((e: unknown) => e);
    expect(problemCode(err)).toBe('signing/unsupported-key-type');
    expect(String(err)).toMatch(/unsupported key type: Ed25519; Lockstep signs and verifies with ECDSA P-256 \(SHA-256\) keys only/);
  });

  it('fails when an encrypted key is ECDSA P-384, naming the curve', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const text = await encryptedPem(privateKey.export({ type: 'pkcs8', format: 'der' }));
    await expect(loadPrivateKey(text, 'pw')).rejects.toThrow(/unsupported key type: ECDSA P-384/);
  });

  it('fails when the key is RSA, naming the size', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(loadPrivateKey(String(privateKey.export({ type: 'pkcs8', format: 'pem' })))).rejects.toThrow(/unsupported key type: RSA 2048/);
  });

  it('fails when a PKCS#8 blob is an algorithm Node cannot load, naming it from its OID', async () => {
    // Ed25519 PKCS#8 v2 (with the public key), as Go writes it: Node/OpenSSL rejects the [1] field.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const v1 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const seed = v1.subarray(v1.length - 32);
    const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
    const body = Buffer.concat([
      Buffer.from([0x02, 0x01, 0x01]), // version 1 (v2)
      Buffer.from([0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70]), // Ed25519 OID
      Buffer.from([0x04, 0x22, 0x04, 0x20]), seed,
      Buffer.from([0x81, 0x21, 0x00]), raw,
    ]);
    const der = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    expect(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).toThrow();
    await expect(loadPrivateKey(pem('PRIVATE KEY', der))).rejects.toThrow(/unsupported key type: Ed25519/);
  });

  it('fails when PKCS#8 bytes are garbage', async () => {
    await expect(loadPrivateKey(pem('PRIVATE KEY', Buffer.from([1, 2, 3])))).rejects.toThrow(/parsing private key: not a valid PKCS#8 private key/);
  });

  it('fails when the PEM is an EC PRIVATE KEY, pointing to a conversion', async () => {
    const { privateKey } = p256();
    await expect(loadPrivateKey(String(privateKey.export({ type: 'sec1', format: 'pem' })))).rejects.toThrow(/unsupported PEM type "EC PRIVATE KEY" for a private key.*openssl pkcs8 -topk8 -nocrypt/);
  });

  it('fails when the PEM label is unknown', async () => {
    await expect(loadPrivateKey(pem('CERTIFICATE', 'x'))).rejects.toThrow(/unsupported PEM type "CERTIFICATE" for a private key/);
  });

  it('fails when the text is not PEM', async () => {
    await expect(loadPrivateKey('hello', undefined, { file: 'k.key' })).rejects.toThrow(/k\.key: private key is not PEM: no "-----BEGIN …-----"/);
  });

  it('fails when the PEM body is not base64', async () => {
    await expect(loadPrivateKey('-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n')).rejects.toThrow(/PEM block "PRIVATE KEY" has a body that is not base64/);
  });
});

describe('loadPublicKey', () => {
  it('reads the SPKI PEM and agrees with openssl on the key', () => {
    const { privateKey, publicPem } = p256();
    const dir = tempDir();
    writeFileSync(join(dir, 'k.pem'), String(privateKey.export({ type: 'pkcs8', format: 'pem' })));
    expect(openssl(['pkey', '-in', join(dir, 'k.pem'), '-pubout'])).toBe(publicPem);
    expect(describeKeyType(loadPublicKey(publicPem))).toBe('ECDSA P-256');
  });

  it('fails when the key is a P-384 public key', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => loadPublicKey(String(publicKey.export({ type: 'spki', format: 'pem' })))).toThrow(/unsupported key type: ECDSA P-384/);
  });

  it('fails when the SPKI bytes are damaged', () => {
    const { publicPem } = p256();
    const damaged = publicPem.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA');
    expect(() => loadPublicKey(damaged, { file: 'cosign.pub' })).toThrow(/cosign\.pub: loading public key: the "PUBLIC KEY" block is not a valid SPKI key/);
  });

  it('fails when the PEM is not a PUBLIC KEY', () => {
    const { privateKey } = p256();
    expect(() => loadPublicKey(String(privateKey.export({ type: 'pkcs8', format: 'pem' })))).toThrow(/unsupported PEM type "PRIVATE KEY" for a public key; expected "PUBLIC KEY" \(SPKI\)/);
  });
});

describe('keyHint', () => {
  it('is base64 of sha256 over the SPKI DER, as openssl computes it', () => {
    const { publicPem } = p256();
    const dir = tempDir();
    writeFileSync(join(dir, 'pub.pem'), publicPem);
    openssl(['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-outform', 'DER', '-out', join(dir, 'pub.der')]);
    const hex = openssl(['dgst', '-sha256', '-r', join(dir, 'pub.der')]).split(' ')[0] ?? '';
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(keyHint(publicPem)).toBe(Buffer.from(hex, 'hex').toString('base64'));
  });

  it('is the same for a private key and its public key', () => {
    const { privateKey, publicKey } = p256();
    expect(keyHint(privateKey)).toBe(keyHint(publicKey));
    expect(toPublicKey(privateKey).equals(createPublicKey(privateKey))).toBe(true);
  });
});
