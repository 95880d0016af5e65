import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAttestation, verifyBlobAttestation } from '../../../src/supply-chain/signing/attestation.ts';
import { signBlob } from '../../../src/supply-chain/signing/blob.ts';
import { signDsse } from '../../../src/supply-chain/signing/dsse.ts';
import { canonicalJson, makeStatement, slsaProvenanceV1 } from '../../../src/supply-chain/signing/intoto.ts';
import { p256 } from './helpers.ts';

const blob = Buffer.from('manifests');
const sha256 = createHash('sha256').update(blob).digest('hex');
const statement = makeStatement({
  subjects: [{ name: 'manifests.tar', digest: { sha256 } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: slsaProvenanceV1({ buildType: 'https://lockstep.dev/build/v1', builderId: 'https://ci.example/release', externalParameters: { environment: 'prod' } }),
});

function signed() {
  const k = p256();
  return { ...k, ...signAttestation(canonicalJson(statement), k.privateKey) };
}

describe('verifyBlobAttestation', () => {
  it('verifies a DSSE envelope with --type slsaprovenance1 and the blob claim', () => {
    const { envelope, publicPem } = signed();
    const r = verifyBlobAttestation({ envelope: JSON.stringify(envelope), publicKey: publicPem, type: 'slsaprovenance1', blob, insecureIgnoreTlog: true });
    expect(r).toMatchObject({ predicateType: 'https://slsa.dev/provenance/v1', matchedSubject: 'manifests.tar', tlogEntriesVerified: 0 });
    expect(r.statement).toEqual(statement);
  });

  it('verifies the same attestation carried in a v0.3 bundle', () => {
    const { bundle, publicPem } = signed();
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(verifyBlobAttestation({ envelope: bundle, publicKey: publicPem, type: 'https://slsa.dev/provenance/v1', blob, insecureIgnoreTlog: true }).matchedSubject).toBe('manifests.tar');
  });

  it('skips the subject check with checkClaims false', () => {
    const { envelope, publicPem } = signed();
    const r = verifyBlobAttestation({ envelope, publicKey: publicPem, type: 'slsaprovenance1', checkClaims: false, insecureIgnoreTlog: true });
    expect(r.matchedSubject).toBeUndefined();
  });

  it('fails when the blob is not among the subjects', () => {
    const { envelope, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: publicPem, type: 'slsaprovenance1', blob: Buffer.from('other'), insecureIgnoreTlog: true })).toThrow(
      new RegExp(`no matching subject digest found: the blob's sha256 is [0-9a-f]{64}, the statement's subjects are manifests\\.tar sha256:${sha256}`),
    );
  });

  it('fails when the predicate type differs, with cosign words', () => {
    const { envelope, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: publicPem, type: 'spdxjson', blob, insecureIgnoreTlog: true })).toThrow(
      /invalid predicate type, expected https:\/\/spdx\.dev\/Document got https:\/\/slsa\.dev\/provenance\/v1; pass the --type the attestation was made with/,
    );
  });

  it('defaults --type to custom like cosign, and says so when it does not match', () => {
    const { envelope, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(
      /expected https:\/\/cosign\.sigstore\.dev\/attestation\/v1 got https:\/\/slsa\.dev\/provenance\/v1; cosign defaults --type to "custom"/,
    );
  });

  it('fails when the type is not an alias or URI', () => {
    const { envelope, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: publicPem, type: 'nope', blob, insecureIgnoreTlog: true })).toThrow(/invalid predicate type: "nope"/);
  });

  it('fails when claims are checked and no blob is given', () => {
    const { envelope, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: publicPem, type: 'slsaprovenance1', insecureIgnoreTlog: true })).toThrow(
      /claims are checked \(--check-claims defaults to true\) but no blob was given/,
    );
  });

  it('fails when a bare envelope is verified without --insecure-ignore-tlog', () => {
    const { envelope, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: publicPem, type: 'slsaprovenance1', blob })).toThrow(
      /a bare DSSE envelope has no transparency log proof; cosign would look it up in Rekor online/,
    );
  });

  it('fails when a bundle without tlog entry is verified without --insecure-ignore-tlog', () => {
    const { bundle, publicPem } = signed();
    expect(() => verifyBlobAttestation({ envelope: bundle, publicKey: publicPem, type: 'slsaprovenance1', blob })).toThrow(/the bundle has no transparency log entry/);
  });

  it('fails when the envelope was signed by another key', () => {
    const { envelope } = signed();
    expect(() => verifyBlobAttestation({ envelope, publicKey: p256().publicPem, type: 'slsaprovenance1', blob, insecureIgnoreTlog: true })).toThrow(/invalid signature/);
  });

  it('fails when the bundle is a blob signature', () => {
    const { privateKey, publicPem } = p256();
    const b = signBlob(blob, privateKey).bundle;
    expect(() => verifyBlobAttestation({ envelope: b, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(
      /the bundle holds a blob signature \(messageSignature\), not an attestation; use verify-blob/,
    );
  });

  it('fails when the payload type is not in-toto', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse(canonicalJson(statement), 'application/json', privateKey);
    expect(() => verifyBlobAttestation({ envelope: env, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(
      /\/payloadType: DSSE payloadType is "application\/json", expected "application\/vnd\.in-toto\+json"/,
    );
  });

  it('fails when the payload is not a statement', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('{"hello":1}', 'application/vnd.in-toto+json', privateKey);
    expect(() => verifyBlobAttestation({ envelope: env, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(/the signed payload is not an in-toto statement: _type is undefined/);
  });

  it('fails when the payload is not JSON', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('nope', 'application/vnd.in-toto+json', privateKey);
    expect(() => verifyBlobAttestation({ envelope: env, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(/the signed payload is not JSON/);
  });

  it('fails when the payload JSON is not an object', () => {
    const { privateKey, publicPem } = p256();
    const env = signDsse('[1]', 'application/vnd.in-toto+json', privateKey);
    expect(() => verifyBlobAttestation({ envelope: env, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(/the signed payload is not a JSON object/);
  });

  it('fails when the statement has no predicateType or malformed subjects', () => {
    const { privateKey, publicPem } = p256();
    const noType = signDsse('{"_type":"https://in-toto.io/Statement/v1","subject":[]}', 'application/vnd.in-toto+json', privateKey);
    expect(() => verifyBlobAttestation({ envelope: noType, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(/the statement has no predicateType/);
    const badSubject = signDsse('{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[1]}', 'application/vnd.in-toto+json', privateKey);
    expect(() => verifyBlobAttestation({ envelope: badSubject, publicKey: publicPem, blob, insecureIgnoreTlog: true })).toThrow(/the statement "subject" must be an array of \{name, digest\}/);
  });

  it('accepts the v0.1 statement type cosign still writes', () => {
    const { privateKey, publicPem } = p256();
    const v01 = { ...statement, _type: 'https://in-toto.io/Statement/v0.1' };
    const env = signDsse(JSON.stringify(v01), 'application/vnd.in-toto+json', privateKey);
    expect(verifyBlobAttestation({ envelope: env, publicKey: publicPem, type: 'slsaprovenance1', blob, insecureIgnoreTlog: true }).statement._type).toBe('https://in-toto.io/Statement/v0.1');
  });
});
