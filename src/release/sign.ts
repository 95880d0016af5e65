/**
 * `lockstep sign`: writes release.json, signs its bytes into a Sigstore bundle, and signs the
 * release attestation (DSSE envelope of the in-toto statement).
 *
 * In process (the default) the three files match what cosign writes and reads:
 *   cosign verify-blob --key K.pub --bundle dist/dev/release.sigstore.json --insecure-ignore-tlog dist/dev/release.json
 *   cosign verify-blob-attestation --key K.pub --signature dist/dev/release.intoto.json \
 *     --type slsaprovenance1 --insecure-ignore-tlog dist/dev/release.json
 */
import type { KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signAttestation } from '../supply-chain/signing/attestation.ts';
import { signBlob } from '../supply-chain/signing/blob.ts';
import { keyHint } from '../supply-chain/signing/keys.ts';
import { Transaction } from '../delivery/journal.ts';
import { sha256Hex } from './files.ts';
import { DEFAULT_OUT_DIR, RELEASE_ATTESTATION_FILE, RELEASE_BUNDLE_FILE, RELEASE_FILE, displayPath } from './layout.ts';
import { cosignAttestBlobArgs, cosignSignBlobArgs, runCosign } from './cosign.ts';
import { releaseStatement, statementBytes } from './provenance.ts';
import { buildRelease, serializeRelease, type BuildReleaseOptions, type Release } from './release.ts';

export interface SignReleaseOptions extends BuildReleaseOptions {
  readonly builderId: string;
  readonly startedOn?: string;
}

export interface SignedRelease {
  readonly release: Release;
  /** sha256 of release.json's bytes. */
  readonly releaseSha256: string;
  /** Repository-relative paths of the files written. */
  readonly files: { readonly release: string; readonly bundle: string; readonly attestation: string };
  /** Key hint (base64 sha256 of the SPKI) of the signing key; undefined for cosign keyless. */
  readonly keyHint?: string;
}

function filesOf(env: string, outDir: string): SignedRelease['files'] {
  return { release: displayPath(env, RELEASE_FILE, outDir), bundle: displayPath(env, RELEASE_BUNDLE_FILE, outDir), attestation: displayPath(env, RELEASE_ATTESTATION_FILE, outDir) };
}

/**
 * The three files are written as one transaction (delivery/journal.ts): a crash leaves the old
 * signed release or the new one, never a release.json whose signature is missing or stale.
 */
async function inTransaction<T>(root: string, stage: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = await Transaction.begin(root);
  try {
    const result = await stage(tx);
    await tx.commit();
    return result;
  } finally {
    await tx.abort();
  }
}

/** Builds, writes and signs the release in process with `key`. */
export async function signRelease(options: SignReleaseOptions & { readonly key: KeyObject }): Promise<SignedRelease> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const release = await buildRelease(options);
  const bytes = Buffer.from(serializeRelease(release), 'utf8');
  const releaseSha256 = sha256Hex(bytes);
  const signed = signBlob(bytes, options.key);
  const statement = releaseStatement(release, releaseSha256, { builderId: options.builderId, ...(options.startedOn !== undefined ? { startedOn: options.startedOn } : {}) });
  const attestation = signAttestation(statementBytes(statement), options.key);
  const files = filesOf(options.env, outDir);
  await inTransaction(options.root, async (tx) => {
    await tx.writeFile(files.release, bytes);
    await tx.writeFile(files.bundle, `${JSON.stringify(signed.bundle)}\n`);
    await tx.writeFile(files.attestation, `${JSON.stringify(attestation.envelope)}\n`);
  });
  return { release, releaseSha256, files, keyHint: keyHint(options.key) };
}

export interface CosignSignReleaseOptions extends SignReleaseOptions {
  readonly cosignPath: string;
  /** Key file or KMS URI for cosign; keyless when undefined. */
  readonly key?: string;
  /** Environment for cosign (PATH, COSIGN_PASSWORD, OIDC variables). */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the release, has cosign sign it and the attestation into the transaction's staging area,
 * then makes the three files visible at once.
 */
export async function signReleaseWithCosign(options: CosignSignReleaseOptions): Promise<SignedRelease> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const release = await buildRelease(options);
  const bytes = Buffer.from(serializeRelease(release), 'utf8');
  const releaseSha256 = sha256Hex(bytes);
  const statement = releaseStatement(release, releaseSha256, { builderId: options.builderId, ...(options.startedOn !== undefined ? { startedOn: options.startedOn } : {}) });
  const files = filesOf(options.env, outDir);
  await inTransaction(options.root, async (tx) => {
    const releaseFile = tx.stageFile(files.release);
    await writeFile(releaseFile, bytes);
    // The statement is only input for cosign (it is signed into the attestation bundle), so it
    // stays in the transaction's scratch space, removed with it.
    const statementFile = join(tx.workDir, 'release.statement.json');
    await writeFile(statementFile, statementBytes(statement));
    const key = options.key;
    await runCosign(options.cosignPath, cosignSignBlobArgs({ file: releaseFile, bundle: tx.stageFile(files.bundle), ...(key !== undefined ? { key } : {}) }), options.processEnv, options.root);
    await runCosign(options.cosignPath, cosignAttestBlobArgs({ statement: statementFile, bundle: tx.stageFile(files.attestation), ...(key !== undefined ? { key } : {}) }), options.processEnv, options.root);
  });
  return { release, releaseSha256, files };
}
