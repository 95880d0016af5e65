/**
 * `cosign verify-blob-attestation --key` semantics: verify the DSSE signature, then (check-claims)
 * require the blob's sha256 among the statement's subjects, then require the predicate type.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { dsseBundle, parseBundle, type SerializedBundle } from './bundle.ts';
import { IN_TOTO_PAYLOAD_TYPE, signDsse, verifyDsse, type DsseEnvelope } from './dsse.ts';
import { parsePredicateType } from './intoto.ts';
import { keyHint, toPublicKey } from './keys.ts';
import { signingError } from './problems.ts';
import { verifyBundleWithKey, type TlogPolicy } from './verify-bundle.ts';

export interface VerifyBlobAttestationInput extends TlogPolicy {
  /**
   * cosign `--signature` (a DSSE envelope) or `--bundle` (a Sigstore bundle holding a DSSE envelope):
   * JSON text or a parsed value; the shape is detected from `mediaType`.
   */
  readonly envelope: string | unknown;
  readonly publicKey: KeyObject | string;
  /** cosign `--type`: an alias (slsaprovenance1, spdxjson, …) or a URI. Default "custom", as in cosign. */
  readonly type?: string;
  /** cosign `--check-claims` (default true): the blob's sha256 must be a subject digest. */
  readonly checkClaims?: boolean;
  /** The attested file's bytes; required when checkClaims is true. */
  readonly blob?: Uint8Array;
  readonly envelopeFile?: string;
}

export interface InTotoStatement {
  readonly _type: string;
  readonly subject: readonly { name?: string; digest: Record<string, string> }[];
  readonly predicateType: string;
  readonly predicate?: unknown;
}

export interface VerifyBlobAttestationResult {
  readonly statement: InTotoStatement;
  readonly predicateType: string;
  /** Name of the subject whose sha256 matched the blob, when claims were checked. */
  readonly matchedSubject?: string;
  readonly tlogEntriesVerified: number;
}

const STATEMENT_TYPES = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'];

function where(file: string | undefined): { file?: string } {
  return file !== undefined ? { file } : {};
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseStatement(payloadType: string, payload: Buffer, file: string | undefined): InTotoStatement {
  const bad = (message: string, pointer?: string) =>
    signingError({
      code: 'signing/malformed-statement',
      message,
      ...where(file),
      ...(pointer !== undefined ? { pointer } : {}),
      fix: 'attest an in-toto Statement (makeStatement / `cosign attest-blob --statement`)',
    });
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) throw bad(`DSSE payloadType is ${JSON.stringify(payloadType)}, expected "${IN_TOTO_PAYLOAD_TYPE}"`, '/payloadType');
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    throw bad(`the signed payload is not JSON (${(e as Error).message})`, '/payload');
  }
  if (!isRecord(doc)) throw bad('the signed payload is not a JSON object', '/payload');
  if (typeof doc._type !== 'string' || !STATEMENT_TYPES.includes(doc._type)) {
    throw bad(`the signed payload is not an in-toto statement: _type is ${JSON.stringify(doc._type)}`, '/payload/_type');
  }
  if (typeof doc.predicateType !== 'string') throw bad('the statement has no predicateType', '/payload/predicateType');
  if (!Array.isArray(doc.subject) || !doc.subject.every((s) => isRecord(s) && isRecord(s.digest))) {
    throw bad('the statement "subject" must be an array of {name, digest}', '/payload/subject');
  }
  return doc as unknown as InTotoStatement;
}

export function verifyBlobAttestation(input: VerifyBlobAttestationInput): VerifyBlobAttestationResult {
  const publicKey = toPublicKey(input.publicKey);
  const file = input.envelopeFile;
  const expectedType = parsePredicateType(input.type ?? 'custom');
  const checkClaims = input.checkClaims ?? true;
  if (checkClaims && input.blob === undefined) {
    throw signingError({
      code: 'signing/usage',
      message: 'claims are checked (--check-claims defaults to true) but no blob was given',
      fix: 'pass the attested FILE, or --check-claims=false to verify only the envelope signature',
    });
  }

  let doc = input.envelope;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      // left as text: parseEnvelope reports the JSON error with the envelope wording
    }
  }
  let payloadType: string;
  let payload: Buffer;
  let tlogEntriesVerified = 0;
  if (isRecord(doc) && typeof doc.mediaType === 'string') {
    const parsed = parseBundle(doc, file);
    if (parsed.format !== 'sigstore' || parsed.bundle.content.$case !== 'dsseEnvelope') {
      throw signingError({
        code: 'signing/unsupported-bundle',
        message: 'the bundle holds a blob signature (messageSignature), not an attestation',
        ...where(file),
        fix: 'use verify-blob for blob signatures',
      });
    }
    tlogEntriesVerified = verifyBundleWithKey(parsed.bundle, publicKey, undefined, input, file).tlogEntriesVerified;
    payloadType = parsed.bundle.content.dsseEnvelope.payloadType;
    payload = Buffer.from(parsed.bundle.content.dsseEnvelope.payload);
  } else {
    if (!input.insecureIgnoreTlog) {
      throw signingError({
        code: 'signing/tlog-missing',
        message: 'a bare DSSE envelope has no transparency log proof; cosign would look it up in Rekor online',
        ...where(file),
        fix: 'pass --insecure-ignore-tlog for attestations signed with a key and no Rekor upload',
      });
    }
    ({ payloadType, payload } = verifyDsse(doc, publicKey, file));
  }

  const statement = parseStatement(payloadType, payload, file);
  let matchedSubject: string | undefined;
  if (checkClaims) {
    const blob = input.blob as Uint8Array;
    const hex = createHash('sha256').update(blob).digest('hex');
    const hit = statement.subject.find((s) => s.digest.sha256 === hex);
    if (!hit) {
      const listed = statement.subject.map((s) => `${s.name ?? '(unnamed)'} sha256:${s.digest.sha256 ?? '(none)'}`).join(', ');
      throw signingError({
        code: 'signing/claims-mismatch',
        message: `no matching subject digest found: the blob's sha256 is ${hex}, the statement's subjects are ${listed}`,
        ...where(file),
        fix: 'verify the file the attestation was made for, or pass --check-claims=false to check only the signature',
      });
    }
    matchedSubject = hit.name ?? '';
  }
  if (statement.predicateType !== expectedType) {
    throw signingError({
      code: 'signing/predicate-type-mismatch',
      message: `invalid predicate type, expected ${expectedType} got ${statement.predicateType}`,
      ...where(file),
      fix: input.type === undefined ? 'cosign defaults --type to "custom"; pass --type with the attested predicate type' : 'pass the --type the attestation was made with',
    });
  }
  return { statement, predicateType: statement.predicateType, ...(matchedSubject !== undefined ? { matchedSubject } : {}), tlogEntriesVerified };
}

export interface SignedAttestation {
  /** The DSSE envelope (what `cosign attest-blob --output-signature` style flows store). */
  readonly envelope: DsseEnvelope;
  /** The same signature as a Sigstore bundle v0.3 with a DSSE envelope and no tlog. */
  readonly bundle: SerializedBundle;
}

/**
 * `cosign attest-blob --key K --statement S`: signs the statement bytes as given (callers build them
 * with makeStatement + canonicalJson so the bytes are deterministic).
 */
export function signAttestation(statementBytes: Uint8Array | string, key: KeyObject): SignedAttestation {
  const envelope = signDsse(statementBytes, IN_TOTO_PAYLOAD_TYPE, key);
  const signature = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
  const bundle = dsseBundle(Buffer.from(envelope.payload, 'base64'), IN_TOTO_PAYLOAD_TYPE, signature, keyHint(key));
  return { envelope, bundle };
}
