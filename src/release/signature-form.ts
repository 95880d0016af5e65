/**
 * Signature files (Sigstore bundles, DSSE envelopes) are not covered by any signature themselves:
 * a key reordered, a field renamed to something the parser ignores, or the key hint edited all leave
 * the signature valid. Lockstep writes them in one form (the protobuf-JSON field order of
 * @sigstore/bundle, as cosign does; `{payloadType, payload, signatures: [{keyid, sig}]}` for a bare
 * envelope; compact, one trailing newline allowed), so any other form is an edit after signing.
 */
import type { KeyObject } from 'node:crypto';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { keyHint } from '../supply-chain/signing/keys.ts';
import type { Problem } from '../util/errors.ts';

type Json = Record<string, unknown>;

function canonical(doc: Json): unknown {
  if ('mediaType' in doc) return bundleToJSON(bundleFromJSON(doc));
  const signatures = Array.isArray(doc['signatures']) ? (doc['signatures'] as Json[]) : [];
  return { payloadType: doc['payloadType'], payload: doc['payload'], signatures: signatures.map((s) => ({ keyid: s['keyid'], sig: s['sig'] })) };
}

/**
 * Problems with the form of a bundle or envelope that verified (an unparsable one is reported by
 * the signature check): not the canonical form, or a key hint that names another key than `signer`.
 */
export function signatureFormProblems(text: string, file: string, signer: KeyObject): Problem[] {
  let doc: Json;
  let expected: string;
  try {
    doc = JSON.parse(text) as Json;
    expected = JSON.stringify(canonical(doc));
  } catch {
    return [];
  }
  const problems: Problem[] = [];
  if (text.replace(/\n$/, '') !== expected) {
    problems.push({
      file,
      message: 'is not in the form lockstep and cosign write (keys reordered, whitespace added, or fields renamed or added); a signature file is not signed itself, so only its canonical form is accepted',
      fix: 'restore the file, or sign again',
      code: 'release/signature-form',
    });
  }
  const hint = ((doc['verificationMaterial'] as Json | undefined)?.['publicKey'] as Json | undefined)?.['hint'];
  if (typeof hint === 'string' && hint !== '' && hint !== keyHint(signer)) {
    problems.push({ file, pointer: '/verificationMaterial/publicKey/hint', message: `names key ${hint}, but the signature verifies with ${keyHint(signer)}`, fix: 'restore the file, or sign again', code: 'release/signature-hint' });
  }
  return problems;
}
