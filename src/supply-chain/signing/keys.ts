/**
 * cosign-compatible keys: the encrypted private key file (`cosign.key`), unencrypted PKCS#8 PEM, and
 * SPKI public keys (`cosign.pub`). Only ECDSA P-256 with SHA-256 is supported: every other key type
 * is refused by name, so a user never gets a signature in an algorithm the rest of the release
 * pipeline (Kyverno policies, cosign verify) was not set up for.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { decryptKeyMaterial, encryptKeyMaterial, type EncryptOptions } from './encrypted-key.ts';
import { signingError } from './problems.ts';

/** What cosign writes since PR #2735; `ENCRYPTED COSIGN PRIVATE KEY` is the older label, still read. */
export const SIGSTORE_PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED SIGSTORE PRIVATE KEY';
export const COSIGN_PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED COSIGN PRIVATE KEY';

export interface KeyPairPem {
  /** `ENCRYPTED SIGSTORE PRIVATE KEY` PEM, the content of `cosign.key`. */
  readonly privatePem: string;
  /** SPKI `PUBLIC KEY` PEM, the content of `cosign.pub`. */
  readonly publicPem: string;
}

interface PemBlock {
  readonly label: string;
  readonly body: Buffer;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/;

function where(file: string | undefined): { file?: string } {
  return file !== undefined ? { file } : {};
}

function readPem(pem: string, what: string, file: string | undefined): PemBlock {
  const m = PEM_RE.exec(pem);
  if (!m || m[1] === undefined || m[2] === undefined) {
    throw signingError({
      code: 'signing/malformed-key',
      message: `${what} is not PEM: no "-----BEGIN …-----" / "-----END …-----" block found (got ${JSON.stringify(pem.slice(0, 40))}…)`,
      ...where(file),
      fix: 'pass the file cosign or `lockstep generate-key-pair` wrote (cosign.key / cosign.pub)',
    });
  }
  const text = m[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw signingError({
      code: 'signing/malformed-key',
      message: `${what} PEM block "${m[1]}" has a body that is not base64`,
      ...where(file),
      fix: 'the file is damaged; copy it again from its source',
    });
  }
  return { label: m[1], body: Buffer.from(text, 'base64') };
}

function wrapPem(label: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const ALGORITHM_NAMES: Record<string, string> = {
  '1.2.840.10045.2.1': 'ECDSA',
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
};

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
};

/** A human name for a key, e.g. "ECDSA P-384", "RSA 2048", "Ed25519". */
export function describeKeyType(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `ECDSA ${CURVE_NAMES[d.namedCurve ?? ''] ?? d.namedCurve ?? 'unknown curve'}`;
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType.toUpperCase()} ${d.modulusLength ?? ''}`.trim();
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return String(key.asymmetricKeyType ?? 'unknown');
  }
}

function assertP256(key: KeyObject, file: string | undefined): KeyObject {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
  throw unsupportedKeyType(describeKeyType(key), file);
}

function unsupportedKeyType(name: string, file: string | undefined): Error {
  return signingError({
    code: 'signing/unsupported-key-type',
    message: `unsupported key type: ${name}; Lockstep signs and verifies with ECDSA P-256 (SHA-256) keys only`,
    ...where(file),
    fix: 'create a P-256 key with `lockstep generate-key-pair` (or `cosign generate-key-pair`, whose default is P-256)',
  });
}

/**
 * When Node cannot load a PKCS#8 blob, name what it is: SEC1 (`EC PRIVATE KEY` content, which cosign
 * rejects inside its container) or PKCS#8 of an algorithm Node rejects (e.g. Ed25519 PKCS#8 v2,
 * which Go writes with the public key attached). Uses @sigstore/core's DER reader.
 */
function explainUnparsablePrivateKey(der: Buffer, file: string | undefined, cause: unknown): Error {
  try {
    const top = ASN1Obj.parseBuffer(der as Buffer<ArrayBuffer>);
    const [version, second] = top.subs;
    if (version?.tag.isInteger() && second?.tag.isOctetString() && version.toInteger() === 1n) {
      return signingError(
        {
          code: 'signing/malformed-key',
          message: 'parsing private key: the key is SEC1 ("EC PRIVATE KEY"), not PKCS#8; cosign rejects this format inside its encrypted key file',
          ...where(file),
          fix: 'convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem` and re-import it (`cosign import-key-pair --key key.pem`)',
        },
        cause,
      );
    }
    const oid = second?.subs[0];
    if (oid?.tag.isOID()) {
      const id = oid.toOID();
      const name = ALGORITHM_NAMES[id];
      if (name !== 'ECDSA') return unsupportedKeyType(name ?? `algorithm OID ${id}`, file);
    }
  } catch {
    // fall through to the generic message: the DER is not even well-formed
  }
  return signingError(
    {
      code: 'signing/malformed-key',
      message: `parsing private key: not a valid PKCS#8 private key (${(cause as Error).message})`,
      ...where(file),
      fix: 'pass a key written by `cosign generate-key-pair` or a PKCS#8 "PRIVATE KEY" PEM',
    },
    cause,
  );
}

function privateKeyFromPkcs8(der: Buffer, file: string | undefined): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw explainUnparsablePrivateKey(der, file, e);
  }
  return assertP256(key, file);
}

export interface LoadKeyOptions {
  /** Shown in error messages as the location of the problem. */
  readonly file?: string;
}

/**
 * Loads a private key from a cosign encrypted PEM (both labels) or an unencrypted PKCS#8 PEM.
 * Deviation from cosign: `sign-blob --key` in cosign reads only the encrypted labels; unencrypted
 * PKCS#8 is accepted here too (cosign accepts it through `import-key-pair`).
 */
export async function loadPrivateKey(pem: string, password?: string, options: LoadKeyOptions = {}): Promise<KeyObject> {
  const { file } = options;
  const block = readPem(pem, 'private key', file);
  switch (block.label) {
    case SIGSTORE_PRIVATE_KEY_PEM_TYPE:
    case COSIGN_PRIVATE_KEY_PEM_TYPE: {
      if (password === undefined) {
        throw signingError({
          code: 'signing/wrong-password',
          message: `the private key is encrypted ("${block.label}") and no password was given`,
          ...where(file),
          fix: 'set COSIGN_PASSWORD (an empty value is allowed) or pass the password',
        });
      }
      const der = await decryptKeyMaterial(block.body.toString('utf8'), password, file);
      return privateKeyFromPkcs8(der, file);
    }
    case 'PRIVATE KEY':
      return privateKeyFromPkcs8(block.body, file);
    case 'EC PRIVATE KEY':
    case 'RSA PRIVATE KEY':
    case 'ENCRYPTED PRIVATE KEY':
    case 'OPENSSH PRIVATE KEY':
      throw signingError({
        code: 'signing/malformed-key',
        message: `unsupported PEM type "${block.label}" for a private key; expected "${SIGSTORE_PRIVATE_KEY_PEM_TYPE}", "${COSIGN_PRIVATE_KEY_PEM_TYPE}" or "PRIVATE KEY" (PKCS#8)`,
        ...where(file),
        fix: 'import it as a cosign key (`cosign import-key-pair --key FILE`) or convert it to unencrypted PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`)',
      });
    default:
      throw signingError({
        code: 'signing/malformed-key',
        message: `unsupported PEM type "${block.label}" for a private key`,
        ...where(file),
        fix: `pass a "${SIGSTORE_PRIVATE_KEY_PEM_TYPE}" (cosign.key) or "PRIVATE KEY" PEM`,
      });
  }
}

/** Loads an SPKI `PUBLIC KEY` PEM (what `cosign public-key` and `generate-key-pair` write). */
export function loadPublicKey(pem: string, options: LoadKeyOptions = {}): KeyObject {
  const { file } = options;
  const block = readPem(pem, 'public key', file);
  if (block.label !== 'PUBLIC KEY') {
    throw signingError({
      code: 'signing/malformed-key',
      message: `unsupported PEM type "${block.label}" for a public key; expected "PUBLIC KEY" (SPKI)`,
      ...where(file),
      fix: 'pass cosign.pub, or derive it with `lockstep public-key --key cosign.key`',
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block.body, format: 'der', type: 'spki' });
  } catch (e) {
    throw signingError(
      {
        code: 'signing/malformed-key',
        message: `loading public key: the "PUBLIC KEY" block is not a valid SPKI key (${(e as Error).message})`,
        ...where(file),
        fix: 'the file is damaged; copy cosign.pub again or re-derive it from the private key',
      },
      e,
    );
  }
  return assertP256(key, file);
}

/** Accepts a KeyObject (private or public) or a public PEM and returns the P-256 public key. */
export function toPublicKey(key: KeyObject | string): KeyObject {
  if (typeof key === 'string') return loadPublicKey(key);
  return assertP256(key.type === 'private' ? createPublicKey(key) : key, undefined);
}

/** SPKI PEM of a key, byte-identical to `cosign public-key` output (64-character lines). */
export function publicKeyPem(key: KeyObject): string {
  return String(toPublicKey(key).export({ type: 'spki', format: 'pem' }));
}

/** The bundle key hint: base64(sha256(SPKI DER)), as cosign and sigstore-go compute it. */
export function keyHint(key: KeyObject | string): string {
  const der = toPublicKey(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** Wraps a P-256 private key in cosign's encrypted container. */
export async function encryptPrivateKey(key: KeyObject, password: string, options: EncryptOptions = {}): Promise<string> {
  const der = assertP256(key, undefined).export({ type: 'pkcs8', format: 'der' });
  const doc = await encryptKeyMaterial(der, password, options);
  return wrapPem(SIGSTORE_PRIVATE_KEY_PEM_TYPE, Buffer.from(JSON.stringify(doc), 'utf8'));
}

/** `cosign generate-key-pair`: a fresh ECDSA P-256 key, encrypted with `password` (may be empty). */
export async function generateKeyPair(password: string, options: EncryptOptions = {}): Promise<KeyPairPem> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privatePem: await encryptPrivateKey(privateKey, password, options), publicPem: publicKeyPem(privateKey) };
}
