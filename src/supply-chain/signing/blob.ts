/**
 * `cosign sign-blob --key` / `verify-blob --key` semantics in process.
 *
 * What is signed: ECDSA P-256 over SHA-256 of the raw blob bytes, ASN.1 DER (`SEQUENCE{r,s}`), the
 * same bytes cosign prints base64-encoded and puts in `messageSignature.signature`.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { messageSignatureBundle, parseBundle, type LegacyBundle, type SerializedBundle } from './bundle.ts';
import { keyHint, toPublicKey } from './keys.ts';
import { signingError } from './problems.ts';
import { verifyBundleWithKey, type TlogPolicy } from './verify-bundle.ts';

export interface SignedBlob {
  /** base64 DER signature: what `cosign sign-blob` prints and writes with --output-signature. */
  readonly signatureB64: string;
  /** Sigstore bundle v0.3 (messageSignature, publicKey hint, no tlog entries). */
  readonly bundle: SerializedBundle;
}

export function signBlob(data: Uint8Array, key: KeyObject): SignedBlob {
  if (key.type !== 'private') {
    throw signingError({ code: 'signing/usage', message: `signBlob needs a private key, got a ${key.type} key`, fix: 'load the key with loadPrivateKey' });
  }
  const hint = keyHint(key); // also refuses non-P-256 keys
  const blob = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const signature = sign('sha256', blob, key); // DER is Node's default dsaEncoding
  const digest = createHash('sha256').update(blob).digest();
  return { signatureB64: signature.toString('base64'), bundle: messageSignatureBundle(digest, signature, hint) };
}

export interface VerifyBlobInput extends TlogPolicy {
  readonly data: Uint8Array;
  /** The trusted key (cosign `--key`): a KeyObject or SPKI PEM. */
  readonly publicKey: KeyObject | string;
  /** cosign `--bundle`: JSON text or a parsed value (Sigstore bundle or legacy cosign bundle). */
  readonly bundle?: string | unknown;
  /** cosign `--signature`: base64 text, or raw bytes (base64 text or DER, detected like cosign). */
  readonly signature?: string | Uint8Array;
  /** File names used in messages. */
  readonly bundleFile?: string;
  readonly signatureFile?: string;
}

export interface VerifyBlobResult {
  readonly source: 'sigstore-bundle' | 'legacy-bundle' | 'signature';
  readonly tlogEntriesVerified: number;
  readonly tlogEntriesIgnored: number;
  /** Hint of the key that verified the signature. */
  readonly keyHint: string;
}

const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** cosign's `isb64`: bytes that decode as standard base64 are base64, anything else is raw. */
export function decodeSignature(sig: string | Uint8Array): Buffer {
  const raw = typeof sig === 'string' ? Buffer.from(sig, 'utf8') : Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength);
  const text = raw.toString('latin1').trim();
  if (text.length % 4 === 0 && B64_RE.test(text)) return Buffer.from(text, 'base64');
  return raw;
}

function verifyRawSignature(blob: Buffer, signature: Buffer, publicKey: KeyObject, file: string | undefined): void {
  let ok: boolean;
  try {
    ok = verify('sha256', blob, publicKey, signature);
  } catch {
    ok = false; // a signature that is not DER at all is simply invalid
  }
  if (!ok) {
    throw signingError({
      code: 'signing/signature-mismatch',
      message: 'invalid signature: the signature does not verify for this blob with the given public key (wrong key, or the blob changed after signing)',
      ...(file !== undefined ? { file } : {}),
      fix: 'verify the original file with the public key of the signing pair',
    });
  }
}

function requireOfflineTlogChoice(what: string, file: string | undefined, logged: boolean): never {
  throw signingError({
    code: logged ? 'signing/tlog-unverifiable' : 'signing/tlog-missing',
    message: logged
      ? `${what} carries a Rekor entry (rekorBundle), which cannot be checked offline`
      : `${what} has no transparency log proof; cosign would look the signature up in Rekor online`,
    ...(file !== undefined ? { file } : {}),
    fix: 'pass --insecure-ignore-tlog for key-signed artifacts made without Rekor, or verify with a Sigstore bundle and --trusted-root',
  });
}

/**
 * `cosign verify-blob --key PUB (--bundle B | --signature S) [--insecure-ignore-tlog] FILE`.
 *
 * Deviations from cosign, all because Lockstep verifies offline:
 * - without `insecureIgnoreTlog`, tlog entries are checked against `trustedRoot` (cosign would
 *   fetch the public-good root through TUF); a raw signature or legacy bundle then fails, where
 *   cosign would search Rekor online.
 * - a legacy bundle's `cert` is ignored; the given key is always the one trusted (cosign swaps in
 *   the bundle's public key in some versions).
 */
export function verifyBlob(input: VerifyBlobInput): VerifyBlobResult {
  const publicKey = toPublicKey(input.publicKey);
  const hint = keyHint(publicKey);
  const blob = Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength);
  const hasBundle = input.bundle !== undefined;
  const hasSignature = input.signature !== undefined;
  if (hasBundle === hasSignature) {
    throw signingError({
      code: 'signing/usage',
      message: hasBundle ? 'both a bundle and a signature were given' : 'no signature to verify: neither a bundle nor a signature was given',
      fix: 'pass exactly one of --bundle or --signature (a Sigstore bundle carries its own signature)',
    });
  }
  if (hasSignature) {
    if (!input.insecureIgnoreTlog) requireOfflineTlogChoice('a raw signature', input.signatureFile, false);
    verifyRawSignature(blob, decodeSignature(input.signature as string | Uint8Array), publicKey, input.signatureFile);
    return { source: 'signature', tlogEntriesVerified: 0, tlogEntriesIgnored: 0, keyHint: hint };
  }
  const parsed = parseBundle(input.bundle, input.bundleFile);
  if (parsed.format === 'legacy') {
    const legacy: LegacyBundle = parsed.legacy;
    if (!input.insecureIgnoreTlog) requireOfflineTlogChoice('the legacy cosign bundle', input.bundleFile, legacy.rekorBundle !== undefined);
    verifyRawSignature(blob, decodeSignature(legacy.base64Signature), publicKey, input.bundleFile);
    return { source: 'legacy-bundle', tlogEntriesVerified: 0, tlogEntriesIgnored: legacy.rekorBundle !== undefined ? 1 : 0, keyHint: hint };
  }
  if (parsed.bundle.content.$case !== 'messageSignature') {
    throw signingError({
      code: 'signing/unsupported-bundle',
      message: 'the bundle holds a DSSE envelope (an attestation), not a blob signature',
      pointer: '/dsseEnvelope',
      ...(input.bundleFile !== undefined ? { file: input.bundleFile } : {}),
      fix: 'use verify-blob-attestation for attestations',
    });
  }
  const result = verifyBundleWithKey(parsed.bundle, publicKey, blob, input, input.bundleFile);
  return { source: 'sigstore-bundle', ...result, keyHint: hint };
}
