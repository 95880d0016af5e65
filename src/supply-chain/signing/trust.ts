/**
 * Trust material for @sigstore/verify built from a single trusted public key, optionally with a
 * trusted root (`trusted_root.json`) for checking transparency-log entries offline.
 *
 * Like cosign with `--key`, the key is trusted for any hint: the hint in a bundle is only a lookup
 * aid, and the caller has already said which key to trust.
 */
import type { KeyObject } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { signingError } from './problems.ts';

const EMPTY_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

/** Parses trusted_root.json text or value; errors name the file. */
export function parseTrustedRoot(input: string | unknown, file?: string): TrustedRoot {
  let doc = input;
  try {
    if (typeof input === 'string') doc = JSON.parse(input);
    const root = TrustedRoot.fromJSON(doc);
    if (!root.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) throw new Error(`mediaType is ${JSON.stringify(root.mediaType)}`);
    return root;
  } catch (e) {
    throw signingError({
      code: 'signing/malformed-bundle',
      message: `trusted root is not a Sigstore trusted_root.json (${(e as Error).message})`,
      ...(file !== undefined ? { file } : {}),
      fix: 'pass the trusted_root.json of the Sigstore instance that logged the signature',
    });
  }
}

export function keyTrustMaterial(publicKey: KeyObject, trustedRoot?: TrustedRoot): TrustMaterial {
  const root = trustedRoot ?? TrustedRoot.fromJSON(EMPTY_ROOT);
  return toTrustMaterial(root, () => ({ publicKey, validFor: () => true }));
}
