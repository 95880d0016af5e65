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
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAttestation } from '../supply-chain/signing/attestation.ts';
import { signBlob } from '../supply-chain/signing/blob.ts';
import { keyHint } from '../supply-chain/signing/keys.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { sha256Hex } from './files.ts';
import { DEFAULT_OUT_DIR, RELEASE_ATTESTATION_FILE, RELEASE_BUNDLE_FILE, RELEASE_FILE, displayPath, envDistDir } from './layout.ts';
import { cosignAttestBlobArgs, cosignSignBlobArgs, runCosign } from './cosign.ts';
import { releaseStatement, statementBytes } from './provenance.ts';
import { buildRelease, writeRelease, type BuildReleaseOptions, type Release } from './release.ts';

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

/** Builds, writes and signs the release in process with `key`. */
export async function signRelease(options: SignReleaseOptions & { readonly key: KeyObject }): Promise<SignedRelease> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const release = await buildRelease(options);
  const bytes = await writeRelease(options.root, release, outDir);
  const releaseSha256 = sha256Hex(bytes);
  const dir = envDistDir(options.root, options.env, outDir);
  const signed = signBlob(bytes, options.key);
  await writeFileAtomic(join(dir, RELEASE_BUNDLE_FILE), `${JSON.stringify(signed.bundle)}\n`);
  const statement = releaseStatement(release, releaseSha256, { builderId: options.builderId, ...(options.startedOn !== undefined ? { startedOn: options.startedOn } : {}) });
  const attestation = signAttestation(statementBytes(statement), options.key);
  await writeFileAtomic(join(dir, RELEASE_ATTESTATION_FILE), `${JSON.stringify(attestation.envelope)}\n`);
  return { release, releaseSha256, files: filesOf(options.env, outDir), keyHint: keyHint(options.key) };
}

export interface CosignSignReleaseOptions extends SignReleaseOptions {
  readonly cosignPath: string;
  /** Key file or KMS URI for cosign; keyless when undefined. */
  readonly key?: string;
  /** Environment for cosign (PATH, COSIGN_PASSWORD, OIDC variables). */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
}

/** Builds and writes the release, then has cosign sign it and the attestation. */
export async function signReleaseWithCosign(options: CosignSignReleaseOptions): Promise<SignedRelease> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const release = await buildRelease(options);
  const bytes = await writeRelease(options.root, release, outDir);
  const releaseSha256 = sha256Hex(bytes);
  const dir = envDistDir(options.root, options.env, outDir);
  const statement = releaseStatement(release, releaseSha256, { builderId: options.builderId, ...(options.startedOn !== undefined ? { startedOn: options.startedOn } : {}) });
  // The statement is only input for cosign; it is signed into the attestation bundle, so it is
  // written outside dist/ and removed afterwards.
  const tmp = await mkdtemp(join(tmpdir(), 'lockstep-sign-'));
  try {
    const statementFile = join(tmp, 'release.statement.json');
    await writeFile(statementFile, statementBytes(statement));
    const key = options.key;
    await runCosign(options.cosignPath, cosignSignBlobArgs({ file: join(dir, RELEASE_FILE), bundle: join(dir, RELEASE_BUNDLE_FILE), ...(key !== undefined ? { key } : {}) }), options.processEnv, options.root);
    await runCosign(options.cosignPath, cosignAttestBlobArgs({ statement: statementFile, bundle: join(dir, RELEASE_ATTESTATION_FILE), ...(key !== undefined ? { key } : {}) }), options.processEnv, options.root);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { release, releaseSha256, files: filesOf(options.env, outDir) };
}
