/** cosign-compatible keys, blob signatures, Sigstore bundles and DSSE/in-toto attestations. */
export { generateKeyPair, loadPrivateKey, loadPublicKey, publicKeyPem, keyHint, encryptPrivateKey, describeKeyType, toPublicKey } from './keys.ts';
export type { KeyPairPem, LoadKeyOptions } from './keys.ts';
export { signBlob, verifyBlob, decodeSignature } from './blob.ts';
export type { SignedBlob, VerifyBlobInput, VerifyBlobResult } from './blob.ts';
export { parseBundle, messageSignatureBundle, dsseBundle } from './bundle.ts';
export type { ParsedBundle, LegacyBundle, SerializedBundle } from './bundle.ts';
export type { TlogPolicy } from './verify-bundle.ts';
export { pae, signDsse, verifyDsse, parseEnvelope, IN_TOTO_PAYLOAD_TYPE } from './dsse.ts';
export type { DsseEnvelope, VerifiedDsse } from './dsse.ts';
export { makeStatement, slsaProvenanceV1, parsePredicateType, canonicalJson, PREDICATE_TYPE_ALIASES, SLSA_PROVENANCE_V1, STATEMENT_V1_TYPE } from './intoto.ts';
export type { Statement, Subject, SlsaProvenanceV1Input, ResourceDescriptor } from './intoto.ts';
export { verifyBlobAttestation, signAttestation } from './attestation.ts';
export type { VerifyBlobAttestationInput, VerifyBlobAttestationResult, SignedAttestation } from './attestation.ts';
export * from './commands.ts';
export { conformanceSigstoreBundles, conformanceCosignKeys } from './conformance.ts';
export type { SuiteResult } from './conformance.ts';
export { problemCode } from './problems.ts';
