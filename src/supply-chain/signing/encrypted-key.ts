/**
 * The password-encrypted key container cosign writes inside `ENCRYPTED SIGSTORE PRIVATE KEY` PEM
 * blocks: go-securesystemslib's `encrypted` format (scrypt KDF + NaCl secretbox).
 *
 * Hand-written because no installed library implements this container; the primitives come from
 * node:crypto (scrypt) and tweetnacl (secretbox = XSalsa20-Poly1305). The JSON field order follows
 * the Go struct order so files we write look exactly like cosign's.
 */
import { randomBytes, scrypt } from 'node:crypto';
import nacl from 'tweetnacl';
import { signingError } from './problems.ts';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** go-securesystemslib accepts exactly these parameter sets on decrypt (`CheckParams`). */
export const SCRYPT_LEGACY: ScryptParams = { N: 32768, r: 8, p: 1 };
export const SCRYPT_STANDARD: ScryptParams = { N: 65536, r: 8, p: 1 };
export const SCRYPT_OWASP: ScryptParams = { N: 131072, r: 8, p: 1 };
const ACCEPTED_PARAMS: readonly ScryptParams[] = [SCRYPT_LEGACY, SCRYPT_STANDARD, SCRYPT_OWASP];

const SALT_BYTES = 32;
const KEY_BYTES = 32;

/** The JSON document, in go-securesystemslib's field order. */
export interface EncryptedData {
  kdf: { name: 'scrypt'; params: { N: number; r: number; p: number }; salt: string };
  cipher: { name: 'nacl/secretbox'; nonce: string };
  ciphertext: string;
}

export interface EncryptOptions {
  /** Defaults to N=65536, r=8, p=1, what cosign uses for new keys. */
  readonly params?: ScryptParams;
  /** Fixed salt and nonce for reproducible test vectors; random when omitted. */
  readonly salt?: Uint8Array;
  readonly nonce?: Uint8Array;
}

function deriveKey(password: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is below what N>=32768, r=8 needs (128*N*r bytes).
  const maxmem = 256 * params.N * params.r + (1 << 20);
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), salt, KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function encryptKeyMaterial(plaintext: Uint8Array, password: string, options: EncryptOptions = {}): Promise<EncryptedData> {
  const params = options.params ?? SCRYPT_STANDARD;
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const nonce = options.nonce ?? randomBytes(nacl.secretbox.nonceLength);
  const key = await deriveKey(password, salt, params);
  const sealed = nacl.secretbox(new Uint8Array(plaintext), new Uint8Array(nonce), new Uint8Array(key));
  return {
    kdf: { name: 'scrypt', params: { N: params.N, r: params.r, p: params.p }, salt: Buffer.from(salt).toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: Buffer.from(nonce).toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function b64Field(v: unknown, pointer: string, file: string | undefined): Buffer {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
    throw signingError({
      code: 'signing/malformed-key',
      message: `encrypted key field must be a base64 string, got ${JSON.stringify(v)}`,
      pointer,
      ...(file !== undefined ? { file } : {}),
      fix: 'the key file is damaged; regenerate it with `lockstep generate-key-pair` or `cosign generate-key-pair`',
    });
  }
  return Buffer.from(v, 'base64');
}

/**
 * Decrypts the JSON container. Errors follow go-securesystemslib's words ("unsupported key
 * derivation function", "unexpected kdf parameters", "decryption failed") with a fix added.
 */
export async function decryptKeyMaterial(json: string, password: string, file?: string): Promise<Buffer> {
  const where = file !== undefined ? { file } : {};
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw signingError({
      code: 'signing/malformed-key',
      message: `encrypted key body is not JSON (${(e as Error).message})`,
      ...where,
      fix: 'the PEM body must be base64 of the scrypt/secretbox JSON that cosign writes',
    });
  }
  if (!isRecord(doc) || !isRecord(doc.kdf) || !isRecord(doc.cipher)) {
    throw signingError({
      code: 'signing/malformed-key',
      message: 'encrypted key JSON must have objects "kdf" and "cipher" and a string "ciphertext"',
      ...where,
      fix: 'the key file is damaged; regenerate it',
    });
  }
  if (doc.kdf.name !== 'scrypt') {
    throw signingError({
      code: 'signing/unsupported-key-encryption',
      message: `encrypted: unsupported key derivation function ${JSON.stringify(doc.kdf.name)}; only "scrypt" is supported`,
      pointer: '/kdf/name',
      ...where,
    });
  }
  if (doc.cipher.name !== 'nacl/secretbox') {
    throw signingError({
      code: 'signing/unsupported-key-encryption',
      message: `encrypted: unsupported cipher ${JSON.stringify(doc.cipher.name)}; only "nacl/secretbox" is supported`,
      pointer: '/cipher/name',
      ...where,
    });
  }
  const p = isRecord(doc.kdf.params) ? doc.kdf.params : {};
  const params = ACCEPTED_PARAMS.find((a) => a.N === p.N && a.r === p.r && a.p === p.p);
  if (!params) {
    throw signingError({
      code: 'signing/unsupported-key-encryption',
      message: `encrypted: unexpected kdf parameters ${JSON.stringify(p)}; accepted are N=32768|65536|131072 with r=8, p=1`,
      pointer: '/kdf/params',
      ...where,
    });
  }
  const salt = b64Field(doc.kdf.salt, '/kdf/salt', file);
  const nonce = b64Field(doc.cipher.nonce, '/cipher/nonce', file);
  const ciphertext = b64Field(doc.ciphertext, '/ciphertext', file);
  if (nonce.length !== nacl.secretbox.nonceLength) {
    throw signingError({
      code: 'signing/malformed-key',
      message: `encrypted key nonce must be ${nacl.secretbox.nonceLength} bytes, got ${nonce.length}`,
      pointer: '/cipher/nonce',
      ...where,
    });
  }
  const key = await deriveKey(password, salt, params);
  const opened = nacl.secretbox.open(new Uint8Array(ciphertext), new Uint8Array(nonce), new Uint8Array(key));
  if (opened === null) {
    throw signingError({
      code: 'signing/wrong-password',
      message: 'decrypt: encrypted: decryption failed (wrong password?)',
      ...where,
      fix: 'check the password (the CLI reads it from COSIGN_PASSWORD); an empty password is a valid password and differs from a missing one',
    });
  }
  return Buffer.from(opened);
}
