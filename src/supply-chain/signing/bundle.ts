/**
 * Reading and writing the two bundle shapes `cosign verify-blob --bundle` accepts:
 * - the Sigstore bundle (protobuf-specs JSON, v0.1–v0.3), parsed and validated by @sigstore/bundle;
 * - cosign's legacy local bundle `{"base64Signature", "cert", "rekorBundle"}`, which cosign falls back
 *   to when the file does not parse as a Sigstore bundle.
 */
import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  ValidationError,
  bundleFromJSON,
  bundleToJSON,
  toDSSEBundle,
  toMessageSignatureBundle,
  type Bundle,
  type SerializedBundle,
} from '@sigstore/bundle';
import { signingError } from './problems.ts';

export type { Bundle, SerializedBundle };

const SUPPORTED_MEDIA_TYPES = [BUNDLE_V01_MEDIA_TYPE, BUNDLE_V02_MEDIA_TYPE, BUNDLE_V03_LEGACY_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE];

/** cosign's pre-v3 `--bundle` output (`pkg/cosign/fetch.go LocalSignedPayload`). */
export interface LegacyBundle {
  readonly base64Signature: string;
  /** base64 of a certificate PEM or of the signer's public key PEM; may be absent without a tlog. */
  readonly cert?: string;
  /** The Rekor SET bundle, present when the signature was uploaded. */
  readonly rekorBundle?: unknown;
}

export type ParsedBundle =
  | { readonly format: 'sigstore'; readonly bundle: Bundle; readonly mediaType: string }
  | { readonly format: 'legacy'; readonly legacy: LegacyBundle };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function malformed(message: string, file: string | undefined, fix: string, pointer?: string): Error {
  return signingError({
    code: 'signing/malformed-bundle',
    message,
    fix,
    ...(file !== undefined ? { file } : {}),
    ...(pointer !== undefined ? { pointer } : {}),
  });
}

/** Parses bundle JSON text (or an already parsed value) into one of the two known shapes. */
export function parseBundle(input: string | unknown, file?: string): ParsedBundle {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw malformed(`bundle is not JSON (${(e as Error).message})`, file, 'pass the file written by `sign-blob --bundle`');
    }
  }
  if (!isRecord(doc)) {
    throw malformed(`bundle must be a JSON object, got ${Array.isArray(doc) ? 'an array' : typeof doc}`, file, 'pass the file written by `sign-blob --bundle`');
  }
  if (typeof doc.mediaType === 'string') {
    if (!SUPPORTED_MEDIA_TYPES.includes(doc.mediaType)) {
      throw signingError({
        code: 'signing/unsupported-bundle',
        message: `unsupported bundle media type ${JSON.stringify(doc.mediaType)}; supported are ${SUPPORTED_MEDIA_TYPES.join(', ')}`,
        pointer: '/mediaType',
        ...(file !== undefined ? { file } : {}),
        fix: 'sign again with cosign v2.4+ / v3 or Lockstep, which write v0.3 bundles',
      });
    }
    try {
      return { format: 'sigstore', bundle: bundleFromJSON(doc), mediaType: doc.mediaType };
    } catch (e) {
      if (e instanceof ValidationError) {
        throw malformed(
          `malformed Sigstore bundle: missing or invalid ${e.fields.map((f) => `"${f}"`).join(', ')}`,
          file,
          'a bundle needs "verificationMaterial" (publicKey hint or certificate) and one of "messageSignature" / "dsseEnvelope"',
        );
      }
      throw malformed(`malformed Sigstore bundle (${(e as Error).message})`, file, 'pass the file written by `sign-blob --bundle`');
    }
  }
  if ('base64Signature' in doc) {
    if (typeof doc.base64Signature !== 'string' || doc.base64Signature === '') {
      throw malformed('legacy cosign bundle has an empty or non-string "base64Signature"', file, 'sign the blob again', '/base64Signature');
    }
    if (doc.cert !== undefined && typeof doc.cert !== 'string') {
      throw malformed('legacy cosign bundle "cert" must be a string', file, 'sign the blob again', '/cert');
    }
    return {
      format: 'legacy',
      legacy: {
        base64Signature: doc.base64Signature,
        ...(typeof doc.cert === 'string' && doc.cert !== '' ? { cert: doc.cert } : {}),
        ...(doc.rekorBundle !== undefined && doc.rekorBundle !== null ? { rekorBundle: doc.rekorBundle } : {}),
      },
    };
  }
  throw malformed(
    'file is neither a Sigstore bundle (no "mediaType") nor a legacy cosign bundle (no "base64Signature")',
    file,
    'pass the file written by `sign-blob --bundle`, or a raw signature with --signature',
  );
}

/**
 * A v0.3 bundle for a key-signed blob with no transparency log or timestamp: the shape
 * `cosign sign-blob --key K --use-signing-config=false --tlog-upload=false --bundle B` writes.
 * @sigstore/bundle picks v0.3 because no certificate chain is given.
 */
export function messageSignatureBundle(digest: Buffer, signature: Buffer, hint: string): SerializedBundle {
  return bundleToJSON(toMessageSignatureBundle({ digest, signature, keyHint: hint }));
}

/**
 * A v0.3 bundle carrying a DSSE envelope signed with a key (what `cosign attest-blob --bundle` writes
 * without a tlog). cosign leaves the DSSE keyid empty, so we do too.
 */
export function dsseBundle(payload: Buffer, payloadType: string, signature: Buffer, hint: string): SerializedBundle {
  const json = bundleToJSON(toDSSEBundle({ artifact: payload, artifactType: payloadType, signature, keyHint: hint }));
  for (const s of json.dsseEnvelope?.signatures ?? []) s.keyid = '';
  return json;
}
