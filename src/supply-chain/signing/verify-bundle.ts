/**
 * Verifies a Sigstore bundle against one trusted public key with @sigstore/verify, applying cosign's
 * transparency-log rules for key-based verification (`pkg/cosign/verify.go verificationOptions`):
 *
 * - `insecureIgnoreTlog`: tlog entries and RFC 3161 timestamps in the bundle are ignored, not
 *   checked (sigstore-go only checks them when the policy asks for them). @sigstore/verify checks
 *   every entry present, so we remove them first to get cosign's behaviour.
 * - otherwise at least one tlog entry is required and must verify. cosign fetches the Rekor keys
 *   through TUF (online); Lockstep is offline, so the caller must pass the trusted root that covers
 *   the log (cosign's `--trusted-root`). RFC 3161 timestamps are not checked in this mode either,
 *   as cosign checks them only with `--use-signed-timestamps`.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { Verifier, VerificationError, toSignedEntity } from '@sigstore/verify';
import { keyHint } from './keys.ts';
import { signingError } from './problems.ts';
import { keyTrustMaterial, parseTrustedRoot } from './trust.ts';

export interface TlogPolicy {
  /** cosign `--insecure-ignore-tlog`: accept a bundle without checking (or having) a tlog entry. */
  readonly insecureIgnoreTlog?: boolean;
  /** trusted_root.json (text or parsed) used to check tlog entries offline; cosign `--trusted-root`. */
  readonly trustedRoot?: string | unknown;
  /** Where the trusted root came from, for messages. */
  readonly trustedRootFile?: string;
}

export interface BundleVerification {
  /** Transparency-log entries that were checked against the trusted root (0 when ignored). */
  readonly tlogEntriesVerified: number;
  /** Entries present in the bundle but ignored because of `insecureIgnoreTlog`. */
  readonly tlogEntriesIgnored: number;
}

function where(file: string | undefined): { file?: string } {
  return file !== undefined ? { file } : {};
}

const HASH_NAMES: Record<number, string> = { 1: 'SHA2_256', 2: 'SHA2_384', 3: 'SHA2_512' };

/** Checks that a message-signature bundle's digest is the sha256 of `artifact` (the "tampered payload" case). */
function checkMessageDigest(bundle: Bundle, artifact: Buffer, file: string | undefined): void {
  if (bundle.content.$case !== 'messageSignature') return;
  const md = bundle.content.messageSignature.messageDigest;
  if (md.algorithm !== 1) {
    throw signingError({
      code: 'signing/unsupported-bundle',
      message: `bundle message digest algorithm is ${HASH_NAMES[md.algorithm] ?? md.algorithm}; only SHA2_256 is supported`,
      pointer: '/messageSignature/messageDigest/algorithm',
      ...where(file),
    });
  }
  const actual = createHash('sha256').update(artifact).digest();
  if (!actual.equals(md.digest)) {
    throw signingError({
      code: 'signing/digest-mismatch',
      message: `the blob does not match the bundle: its sha256 is ${actual.toString('hex')}, the bundle signs ${Buffer.from(md.digest).toString('hex')}`,
      pointer: '/messageSignature/messageDigest/digest',
      ...where(file),
      fix: 'the blob changed after signing (or this is the wrong bundle); re-sign it or verify the original file',
    });
  }
}

function withoutTlogAndTimestamps(bundle: Bundle): Bundle {
  return {
    ...bundle,
    verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
  };
}

function withoutTimestamps(bundle: Bundle): Bundle {
  return { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, timestampVerificationData: { rfc3161Timestamps: [] } } };
}

/**
 * Verifies `bundle` (message signature over `artifact`, or a DSSE envelope when `artifact` is
 * undefined) with `publicKey`. Throws a LockstepError with a precise code on failure.
 */
export function verifyBundleWithKey(
  bundle: Bundle,
  publicKey: KeyObject,
  artifact: Buffer | undefined,
  policy: TlogPolicy,
  file?: string,
): BundleVerification {
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') {
    throw signingError({
      code: 'signing/unsupported-bundle',
      message: `the bundle is signed with a certificate (keyless, "${material.$case}"), not a key; Lockstep verifies key-signed bundles only`,
      pointer: '/verificationMaterial',
      ...where(file),
      fix: 'sign with `sign-blob --key`, or verify keyless bundles with cosign and --certificate-identity',
    });
  }
  if (artifact !== undefined) checkMessageDigest(bundle, artifact, file);

  const entries = bundle.verificationMaterial.tlogEntries.length;
  let toVerify: Bundle;
  let trustedRoot;
  if (policy.insecureIgnoreTlog) {
    toVerify = withoutTlogAndTimestamps(bundle);
  } else if (entries === 0) {
    throw signingError({
      code: 'signing/tlog-missing',
      message: 'the bundle has no transparency log entry, and cosign requires one unless --insecure-ignore-tlog is set',
      pointer: '/verificationMaterial/tlogEntries',
      ...where(file),
      fix: 'for key-signed bundles made without Rekor (the locked release flow), pass --insecure-ignore-tlog',
    });
  } else if (policy.trustedRoot === undefined) {
    throw signingError({
      code: 'signing/tlog-unverifiable',
      message: `the bundle has ${entries} transparency log entr${entries === 1 ? 'y' : 'ies'}, which cannot be checked offline without a trusted root`,
      pointer: '/verificationMaterial/tlogEntries',
      ...where(file),
      fix: "pass --trusted-root with the log's trusted_root.json, or --insecure-ignore-tlog to skip the log check as cosign does",
    });
  } else {
    trustedRoot = parseTrustedRoot(policy.trustedRoot, policy.trustedRootFile);
    toVerify = withoutTimestamps(bundle);
  }

  const verifier = new Verifier(keyTrustMaterial(publicKey, trustedRoot), {
    tlogThreshold: policy.insecureIgnoreTlog ? 0 : 1,
    ctlogThreshold: 0,
    timestampThreshold: 0,
  });
  try {
    verifier.verify(toSignedEntity(toVerify, artifact));
  } catch (e) {
    throw translateVerificationError(e, bundle, publicKey, file);
  }
  return {
    tlogEntriesVerified: policy.insecureIgnoreTlog ? 0 : entries,
    tlogEntriesIgnored: policy.insecureIgnoreTlog ? entries : 0,
  };
}

function translateVerificationError(e: unknown, bundle: Bundle, publicKey: KeyObject, file: string | undefined): Error {
  const code = e instanceof VerificationError ? e.code : undefined;
  const detail = (e as Error).message;
  if (code === 'SIGNATURE_ERROR') {
    const material = bundle.verificationMaterial.content;
    const bundleHint = material.$case === 'publicKey' ? material.publicKey.hint : '';
    const ours = keyHint(publicKey);
    const hintNote =
      bundleHint !== '' && bundleHint !== ours
        ? `; the bundle names key ${bundleHint} but the given key is ${ours}, so it was most likely signed with a different key`
        : '';
    return signingError(
      {
        code: 'signing/signature-mismatch',
        message: `invalid signature: the signature does not verify with the given public key${hintNote}`,
        ...where(file),
        fix: 'verify with the public key that matches the signing key (cosign.pub of the same pair)',
      },
      e,
    );
  }
  if (code !== undefined && code.startsWith('TLOG')) {
    return signingError(
      {
        code: 'signing/tlog-invalid',
        message: `transparency log entry does not verify against the trusted root (${code}: ${detail})`,
        pointer: '/verificationMaterial/tlogEntries',
        ...where(file),
        fix: 'pass the trusted root of the log that holds the entry, or --insecure-ignore-tlog to skip the log check',
      },
      e,
    );
  }
  return signingError(
    {
      code: 'signing/signature-mismatch',
      message: `bundle verification failed (${code ?? 'error'}: ${detail})`,
      ...where(file),
    },
    e,
  );
}
