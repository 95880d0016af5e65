/**
 * DSSE envelopes (github.com/secure-systems-lab/dsse, protocol v1) signed with a P-256 key, as
 * `cosign attest-blob --key` writes them. The signature covers the pre-authentication encoding
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN = decimal byte count;
 * @sigstore/core implements it.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import { toPublicKey, keyHint } from './keys.ts';
import { signingError } from './problems.ts';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Field order of go-securesystemslib's `dsse.Envelope`, which cosign marshals. */
export interface DsseEnvelope {
  payloadType: string;
  /** base64 (standard) of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

export function pae(payloadType: string, payload: Uint8Array): Buffer {
  return dsse.preAuthEncoding(payloadType, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
}

function toBytes(payload: Uint8Array | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** Signs `payload` as a DSSE envelope. keyid is left empty, as cosign does. */
export function signDsse(payload: Uint8Array | string, payloadType: string, key: KeyObject): DsseEnvelope {
  if (key.type !== 'private') {
    throw signingError({ code: 'signing/usage', message: `signDsse needs a private key, got a ${key.type} key`, fix: 'load the key with loadPrivateKey' });
  }
  keyHint(key); // refuses anything but P-256 before signing
  const body = toBytes(payload);
  const sig = sign('sha256', pae(payloadType, body), key);
  return { payloadType, payload: body.toString('base64'), signatures: [{ keyid: '', sig: sig.toString('base64') }] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// DSSE allows standard or URL-safe base64, with or without padding.
const ANY_B64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function malformed(message: string, file: string | undefined, pointer?: string): Error {
  return signingError({
    code: 'signing/malformed-envelope',
    message,
    ...(file !== undefined ? { file } : {}),
    ...(pointer !== undefined ? { pointer } : {}),
    fix: 'pass the DSSE envelope written by `attest-blob` / signDsse: {"payloadType", "payload", "signatures":[{"keyid","sig"}]}',
  });
}

/** Parses envelope JSON text or value, checking the fields a verifier relies on. */
export function parseEnvelope(input: string | unknown, file?: string): DsseEnvelope {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw malformed(`DSSE envelope is not JSON (${(e as Error).message})`, file);
    }
  }
  if (!isRecord(doc)) throw malformed('DSSE envelope must be a JSON object', file);
  if (typeof doc.payloadType !== 'string' || doc.payloadType === '') throw malformed('DSSE envelope has no "payloadType"', file, '/payloadType');
  if (typeof doc.payload !== 'string' || !ANY_B64.test(doc.payload)) throw malformed('DSSE envelope "payload" must be a base64 string', file, '/payload');
  if (!Array.isArray(doc.signatures) || doc.signatures.length === 0) throw malformed('DSSE envelope has no signatures', file, '/signatures');
  const signatures = doc.signatures.map((s, i) => {
    if (!isRecord(s) || typeof s.sig !== 'string' || s.sig === '' || !ANY_B64.test(s.sig)) {
      throw malformed(`DSSE signature ${i} has no base64 "sig"`, file, `/signatures/${i}/sig`);
    }
    return { keyid: typeof s.keyid === 'string' ? s.keyid : '', sig: s.sig };
  });
  return { payloadType: doc.payloadType, payload: doc.payload, signatures };
}

export interface VerifiedDsse {
  readonly payloadType: string;
  readonly payload: Buffer;
}

/** Verifies that at least one signature is valid for `publicKey` (DSSE threshold 1), returns the payload. */
export function verifyDsse(envelope: DsseEnvelope | string | unknown, publicKey: KeyObject | string, file?: string): VerifiedDsse {
  const env = parseEnvelope(envelope, file);
  const key = toPublicKey(publicKey);
  const body = Buffer.from(env.payload, 'base64');
  const message = pae(env.payloadType, body);
  const ok = env.signatures.some((s) => {
    try {
      return verify('sha256', message, key, Buffer.from(s.sig, 'base64'));
    } catch {
      return false;
    }
  });
  if (!ok) {
    throw signingError({
      code: 'signing/signature-mismatch',
      message: `invalid signature: none of the ${env.signatures.length} DSSE signature(s) verifies with the given public key (wrong key, or the payload or payloadType changed after signing)`,
      ...(file !== undefined ? { file } : {}),
      fix: 'verify with the public key of the signing pair, and do not edit the envelope',
    });
  }
  return { payloadType: env.payloadType, payload: body };
}
