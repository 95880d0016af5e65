/**
 * `lockstep verify`: is `dist/<env>` exactly what was signed, by a key the environment trusts?
 *
 * Every check runs and every problem is reported (one line each, naming the file), in this order:
 *   1. the bundle over release.json verifies with a trusted key (trusted-keys.ts);
 *   2. release.json is for this environment and stage, and its manifest-set digest and id agree
 *      with its own file list;
 *   3. every manifest file has the recorded sha256, none is missing, none is extra;
 *   4. the inputs (environment and lock files) and the artifacts (images.json, objects.json,
 *      policy report, release SBOM) have the recorded digests, and no artifact appeared later;
 *   5. image/SBOM consistency (image-sboms.ts);
 *   6. the DSSE attestation verifies with the same key, attests release.json, and its subjects
 *      are exactly release.json and the manifests.
 *
 * Key-signed bundles are verified offline; a transparency-log entry, if present, is not checked
 * (cosign's `--insecure-ignore-tlog`): trust comes from the environment's keys, not from Rekor.
 */
import { join } from 'node:path';
import { loadEnvironment } from '../config/load.ts';
import { verifyBlobAttestation, type InTotoStatement } from '../supply-chain/signing/attestation.ts';
import { verifyBlob } from '../supply-chain/signing/blob.ts';
import { keyHint } from '../supply-chain/signing/keys.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { compareStrings, listFiles, readIfExists, sha256Hex, shortDigest } from './files.ts';
import { checkImageSboms } from './image-sboms.ts';
import {
  DEFAULT_OUT_DIR,
  IMAGES_FILE,
  MANIFESTS_DIR,
  RELEASE_ATTESTATION_FILE,
  RELEASE_BUNDLE_FILE,
  RELEASE_FILE,
  UNRELEASED_FILES,
  displayPath,
  envDistDir,
} from './layout.ts';
import { RELEASE_BUILD_TYPE } from './provenance.ts';
import { manifestSetDigest, parseRelease, type Release } from './release.ts';
import { resolveTrustedKeys, type TrustedKey } from './trusted-keys.ts';
import { signatureFormProblems } from './signature-form.ts';
import type { ReleaseImage } from './images-json.ts';
import { SBOM_FILE_SUFFIX, SBOM_STORE_DIR, sbomStorePath } from '../supply-chain/sbom/store.ts';
import type { SbomFormat } from '../supply-chain/sbom/read.ts';

export interface VerifyReleaseOptions {
  readonly root: string;
  readonly env: string;
  /** `--key` values: replace the environment's trusted keys (see trusted-keys.ts). */
  readonly keyFlags?: readonly string[];
  /** @default 'dist' */
  readonly outDir?: string;
}

export interface VerifyReleaseResult {
  readonly environment: string;
  readonly ok: boolean;
  readonly releaseId?: string;
  readonly sourceCommit?: string;
  /** The trusted key file whose signature verified. */
  readonly signer?: string;
  readonly trustedKeys: readonly string[];
  readonly checked: { readonly manifests: number; readonly artifacts: number; readonly images: number; readonly workloads: number };
  readonly problems: readonly Problem[];
}

function problemsOf(e: unknown): Problem[] {
  if (e instanceof LockstepError) return [...e.problems];
  throw e;
}

function isCertificateBundle(text: string): boolean {
  try {
    const doc = JSON.parse(text) as { verificationMaterial?: Record<string, unknown> };
    const m = doc.verificationMaterial;
    return m !== undefined && ('certificate' in m || 'x509CertificateChain' in m);
  } catch {
    return false;
  }
}

/** Finds the trusted key that verifies the bundle over release.json. */
function verifySignature(env: string, outDir: string, releaseBytes: Buffer, bundleText: string, keys: readonly TrustedKey[]): { signer?: TrustedKey; problems: Problem[] } {
  const file = displayPath(env, RELEASE_BUNDLE_FILE, outDir);
  if (isCertificateBundle(bundleText)) {
    return {
      problems: [{
        file,
        message: 'the release is signed keyless (with a Fulcio certificate); lockstep verify checks key-signed releases only',
        fix: `verify it with \`cosign verify-blob --bundle ${file} --certificate-identity … --certificate-oidc-issuer … ${displayPath(env, RELEASE_FILE, outDir)}\`, or sign with a key the environment trusts`,
        code: 'release/keyless-signature',
      }],
    };
  }
  const failures: string[] = [];
  for (const k of keys) {
    try {
      verifyBlob({ data: releaseBytes, publicKey: k.key, bundle: bundleText, bundleFile: file, insecureIgnoreTlog: true });
      return { signer: k, problems: [] };
    } catch (e) {
      const p = problemsOf(e)[0];
      if (p?.code !== 'signing/signature-mismatch' && p?.code !== 'signing/digest-mismatch') return { problems: problemsOf(e) };
      failures.push(k.file);
      if (p.code === 'signing/digest-mismatch') return { problems: [{ ...p, message: `${RELEASE_FILE} changed after signing: ${p.message}` }] };
    }
  }
  let hint = '';
  try {
    const doc = JSON.parse(bundleText) as { verificationMaterial?: { publicKey?: { hint?: string } } };
    const h = doc.verificationMaterial?.publicKey?.hint;
    if (h) hint = `; the bundle names key ${h}`;
  } catch {
    // parse errors were reported by verifyBlob already
  }
  return {
    problems: [{
      file,
      message: `the signature does not verify with any trusted key (tried ${failures.join(', ')})${hint}`,
      fix: 'sign with a key listed in signing.trustedKeys, or add the signing key\'s .pub there',
      code: 'release/untrusted-signature',
    }],
  };
}

function compareDigests(
  expected: readonly { path: string; sha256: string }[],
  read: (path: string) => Promise<Buffer | undefined>,
  show: (path: string) => string,
  problems: Problem[],
  restoreHint: string,
): Promise<void> {
  return (async () => {
    for (const f of expected) {
      const bytes = await read(f.path);
      if (bytes === undefined) {
        problems.push({ file: show(f.path), message: 'missing file, listed in the release', fix: restoreHint, code: 'release/missing-file' });
        continue;
      }
      const actual = sha256Hex(bytes);
      if (actual !== f.sha256) {
        problems.push({ file: show(f.path), message: `sha256 changed (release has ${shortDigest(f.sha256)}, file has ${shortDigest(actual)})`, fix: restoreHint, code: 'release/changed-file' });
      }
    }
  })();
}

function checkAttestation(env: string, outDir: string, release: Release, releaseBytes: Buffer, text: string, signer: TrustedKey): Problem[] {
  const file = displayPath(env, RELEASE_ATTESTATION_FILE, outDir);
  let statement: InTotoStatement;
  try {
    statement = verifyBlobAttestation({ envelope: text, envelopeFile: file, publicKey: signer.key, type: 'slsaprovenance1', blob: releaseBytes, insecureIgnoreTlog: true }).statement;
  } catch (e) {
    return problemsOf(e);
  }
  const problems: Problem[] = [];
  const expected = new Map<string, string>([[RELEASE_FILE, sha256Hex(releaseBytes)], ...release.manifests.files.map((f) => [f.path, f.sha256] as [string, string])]);
  const seen = new Set<string>();
  for (const s of statement.subject) {
    const name = s.name ?? '';
    seen.add(name);
    const want = expected.get(name);
    if (want === undefined) problems.push({ file, pointer: '/payload/subject', message: `the attestation names subject ${JSON.stringify(name)}, which is not in the release`, fix: 'sign the release again', code: 'release/attestation-subjects' });
    else if (s.digest['sha256'] !== want) problems.push({ file, pointer: '/payload/subject', message: `the attestation's digest of ${name} (${shortDigest(s.digest['sha256'] ?? '')}) differs from the release (${shortDigest(want)})`, fix: 'sign the release again', code: 'release/attestation-subjects' });
  }
  for (const name of expected.keys()) {
    if (!seen.has(name)) problems.push({ file, pointer: '/payload/subject', message: `the attestation does not name ${name}`, fix: 'sign the release again', code: 'release/attestation-subjects' });
  }
  const predicate = statement.predicate as { buildDefinition?: { buildType?: unknown; externalParameters?: { environment?: unknown; sourceCommit?: unknown } } } | undefined;
  const def = predicate?.buildDefinition;
  if (def?.buildType !== RELEASE_BUILD_TYPE) problems.push({ file, pointer: '/payload/predicate/buildDefinition/buildType', message: `buildType is ${JSON.stringify(def?.buildType)}, expected ${RELEASE_BUILD_TYPE}`, code: 'release/attestation-predicate' });
  if (def?.externalParameters?.environment !== env) problems.push({ file, pointer: '/payload/predicate/buildDefinition/externalParameters/environment', message: `the attestation is for environment ${JSON.stringify(def?.externalParameters?.environment)}, not ${JSON.stringify(env)}`, code: 'release/attestation-predicate' });
  if (def?.externalParameters?.sourceCommit !== release.source.commit) problems.push({ file, pointer: '/payload/predicate/buildDefinition/externalParameters/sourceCommit', message: `the attestation names source commit ${JSON.stringify(def?.externalParameters?.sourceCommit)}, the release ${release.source.commit}`, code: 'release/attestation-predicate' });
  return problems;
}

/**
 * The store holds one SBOM per image; a second one (the other format) next to the released SBOM
 * makes "the SBOM of this image" ambiguous for every later reader.
 */
async function secondSboms(root: string, images: readonly ReleaseImage[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const img of images) {
    if (!img.sbom) continue;
    for (const format of Object.keys(SBOM_FILE_SUFFIX) as SbomFormat[]) {
      let path: string;
      try {
        path = `${SBOM_STORE_DIR}/${sbomStorePath(img.image, format)}`;
      } catch {
        continue; // not pinned by digest: reported by the image checks
      }
      if (path !== img.sbom.path && (await readIfExists(join(root, path))) !== undefined) {
        problems.push({ file: path, message: `a second SBOM of ${img.image}, next to the released ${img.sbom.path}`, fix: `remove it (the release records ${img.sbom.path})`, code: 'release/sbom-ambiguous' });
      }
    }
  }
  return problems;
}

export async function verifyRelease(options: VerifyReleaseOptions): Promise<VerifyReleaseResult> {
  const { root, env } = options;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const envDir = envDistDir(root, env, outDir);
  const show = (rel: string) => displayPath(env, rel, outDir);
  const loaded = await loadEnvironment(root, env);
  const config = loaded.config;
  const problems: Problem[] = [];
  const trust = await resolveTrustedKeys({ root, config, envFile: loaded.file, ...(options.keyFlags ? { keyFlags: options.keyFlags } : {}) });
  problems.push(...trust.problems);
  const base = { environment: env, trustedKeys: trust.keys.map((k) => k.file) };
  const empty = { manifests: 0, artifacts: 0, images: 0, workloads: 0 };

  const releaseBytes = await readIfExists(join(envDir, RELEASE_FILE));
  if (releaseBytes === undefined) {
    problems.push({ file: show(RELEASE_FILE), message: 'no release to verify', fix: `sign the rendering first: \`lockstep sign --env ${env}\``, code: 'release/missing-release' });
    return { ...base, ok: false, checked: empty, problems };
  }
  let release: Release;
  try {
    release = parseRelease(releaseBytes.toString('utf8'), show(RELEASE_FILE));
  } catch (e) {
    problems.push(...problemsOf(e));
    return { ...base, ok: false, checked: empty, problems };
  }

  // 1. Signature.
  let signer: TrustedKey | undefined;
  const bundleText = (await readIfExists(join(envDir, RELEASE_BUNDLE_FILE)))?.toString('utf8');
  if (bundleText === undefined) {
    problems.push({ file: show(RELEASE_BUNDLE_FILE), message: 'the release is not signed: no signature bundle', fix: `run \`lockstep sign --env ${env}\``, code: 'release/missing-signature' });
  } else if (trust.keys.length > 0) {
    const sig = verifySignature(env, outDir, releaseBytes, bundleText, trust.keys);
    signer = sig.signer;
    problems.push(...sig.problems);
    if (signer) problems.push(...signatureFormProblems(bundleText, show(RELEASE_BUNDLE_FILE), signer.key));
  }

  // 2. The release itself.
  if (release.environment.name !== env) problems.push({ file: show(RELEASE_FILE), pointer: '/environment/name', message: `the release is for environment ${JSON.stringify(release.environment.name)}, not ${JSON.stringify(env)}`, fix: 'copy the right release, or sign this environment', code: 'release/wrong-environment' });
  if (release.environment.stage !== config.stage) problems.push({ file: show(RELEASE_FILE), pointer: '/environment/stage', message: `the release is for stage ${release.environment.stage}, but ${loaded.file} says ${config.stage}`, fix: 'synth and sign again', code: 'release/wrong-stage' });
  const recomputed = manifestSetDigest(release.manifests.files);
  if (recomputed !== release.manifests.digest) problems.push({ file: show(RELEASE_FILE), pointer: '/manifests/digest', message: `manifest-set digest ${release.manifests.digest} does not match the listed files (${recomputed})`, fix: 'sign the release again', code: 'release/manifest-digest' });
  if (release.id !== `${env}-${recomputed.slice(7, 19)}`) problems.push({ file: show(RELEASE_FILE), pointer: '/id', message: `release id ${JSON.stringify(release.id)} does not match its manifests (expected ${env}-${recomputed.slice(7, 19)})`, fix: 'sign the release again', code: 'release/id' });

  // 3. Manifests: changed, missing, extra.
  const restore = `restore dist/${env} from the release, or synth and sign again`;
  await compareDigests(release.manifests.files, (p) => readIfExists(join(envDir, p)), show, problems, restore);
  const listed = new Set(release.manifests.files.map((f) => f.path));
  const onDisk = (await listFiles(join(envDir, MANIFESTS_DIR))).map((p) => `${MANIFESTS_DIR}/${p}`);
  for (const p of onDisk) {
    if (!listed.has(p)) problems.push({ file: show(p), message: 'extra file not in the release', fix: `remove it, or synth and sign again`, code: 'release/extra-file' });
  }

  // 4. Inputs and artifacts.
  await compareDigests(release.inputs, (p) => readIfExists(join(root, p)), (p) => p, problems, 'check out the commit the release was made from, or synth and sign again');
  await compareDigests(release.artifacts, (p) => readIfExists(join(envDir, p)), show, problems, restore);
  const artifactPaths = new Set(release.artifacts.map((a) => a.path));
  // Every other file of dist/<env> is the release, its signatures, a listed artifact, or one of the
  // files that are not part of a release by design (layout.ts UNRELEASED_FILES).
  const accounted = new Set([RELEASE_FILE, RELEASE_BUNDLE_FILE, RELEASE_ATTESTATION_FILE, ...artifactPaths, ...UNRELEASED_FILES]);
  for (const rel of await listFiles(envDir)) {
    if (rel.startsWith(`${MANIFESTS_DIR}/`) || accounted.has(rel)) continue;
    problems.push({ file: show(rel), message: 'extra file not in the release (made after signing?)', fix: 'sign the release again to include it, or remove it', code: 'release/extra-file' });
  }

  // 5. Images and SBOMs.
  const images = [...release.images].sort((a, b) => compareStrings(a.image, b.image));
  const sboms = await checkImageSboms({
    root,
    env,
    envDir,
    outDir,
    images,
    manifests: onDisk,
    annotationPrefix: config.supplyChain.sbomAnnotationPrefix,
    requireSbom: config.supplyChain.requireSbom,
    imagesRecorded: artifactPaths.has(IMAGES_FILE),
  });
  problems.push(...sboms.problems);
  problems.push(...(await secondSboms(root, images)));

  // 6. Attestation.
  const attestationText = (await readIfExists(join(envDir, RELEASE_ATTESTATION_FILE)))?.toString('utf8');
  if (attestationText === undefined) {
    problems.push({ file: show(RELEASE_ATTESTATION_FILE), message: 'no release attestation', fix: `run \`lockstep sign --env ${env}\``, code: 'release/missing-attestation' });
  } else if (signer) {
    problems.push(...checkAttestation(env, outDir, release, releaseBytes, attestationText, signer));
    problems.push(...signatureFormProblems(attestationText, show(RELEASE_ATTESTATION_FILE), signer.key));
  }

  return {
    ...base,
    ok: problems.length === 0,
    releaseId: release.id,
    sourceCommit: release.source.commit,
    ...(signer ? { signer: `${signer.file} (${keyHint(signer.key)})` } : {}),
    checked: { manifests: release.manifests.files.length, artifacts: release.artifacts.length + release.inputs.length, images: images.length, workloads: sboms.workloadsChecked },
    problems,
  };
}
