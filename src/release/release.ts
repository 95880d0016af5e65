/**
 * `release.json`: what a release of one environment is, as digests. It names the rendering
 * (every manifest file), the inputs it was made from, the images it runs with their SBOMs, and the
 * reports and SBOM made beside it. Signing it (sign.ts) signs all of that at once.
 *
 * Deterministic by construction: keys sorted at every level, lists sorted, no timestamps, two-space
 * JSON with a trailing newline. The same dist tree and inputs give the same bytes on any machine.
 *
 * The manifest-set digest is sha256 over the lines `<sha256>  <path>\n` of the sorted file list,
 * which is exactly what coreutils print, so anyone can recompute it:
 *
 *   cd dist/dev && find manifests -type f | LC_ALL=C sort | xargs sha256sum | sha256sum
 */
import { join } from 'node:path';
import { sortKeysDeep } from '../../constructs/core/sort.ts';
import { loadEnvironment } from '../config/load.ts';
import type { Stage } from '../config/types.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { compareStrings, listFiles, readIfExists, sha256Hex } from './files.ts';
import { readImagesJson, type ReleaseImage } from './images-json.ts';
import {
  DEFAULT_OUT_DIR,
  IMAGES_FILE,
  MANIFESTS_DIR,
  PREVIEW_POLICIES_DIR,
  RELEASE_API_VERSION,
  RELEASE_ARTIFACTS,
  RELEASE_FILE,
  RELEASE_KIND,
  displayPath,
  envDistDir,
} from './layout.ts';

export interface FileDigest {
  /** Path relative to `dist/<env>/` (manifests, artifacts) or to the repository root (inputs). */
  readonly path: string;
  readonly sha256: string;
}

export interface Release {
  readonly apiVersion: typeof RELEASE_API_VERSION;
  readonly kind: typeof RELEASE_KIND;
  /** `<env>-<first 12 hex of the manifest-set digest>`: equal renderings have equal ids. */
  readonly id: string;
  readonly environment: { readonly name: string; readonly stage: Stage };
  readonly source: { readonly commit: string; readonly compilerVersion: string };
  /** Repository files the rendering was made from (environment file and lock files). */
  readonly inputs: readonly FileDigest[];
  readonly manifests: {
    /** `sha256:<hex>` over the `<sha256>  <path>\n` lines of `files`. */
    readonly digest: string;
    readonly files: readonly FileDigest[];
  };
  readonly images: readonly ReleaseImage[];
  /** images.json, objects.json, the reports (policy-report.yaml, results.sarif, junit.xml), sbom.cdx.json and preview policies, those that exist. */
  readonly artifacts: readonly FileDigest[];
}

export interface BuildReleaseOptions {
  readonly root: string;
  readonly env: string;
  /** The git commit the rendering was made from (40 or 64 hex characters). */
  readonly sourceCommit: string;
  /** Version of the compiler that rendered it, e.g. `0.1.0`. */
  readonly compilerVersion: string;
  /** @default 'dist' */
  readonly outDir?: string;
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The sha256sum-style digest of a file list (see the module comment). */
export function manifestSetDigest(files: readonly FileDigest[]): string {
  const lines = [...files].sort((a, b) => compareStrings(a.path, b.path)).map((f) => `${f.sha256}  ${f.path}\n`).join('');
  return `sha256:${sha256Hex(lines)}`;
}

/** Digests of every file under `dist/<env>/manifests/`, paths relative to `dist/<env>/`. */
export async function manifestDigests(envDir: string): Promise<FileDigest[]> {
  const files = await listFiles(join(envDir, MANIFESTS_DIR));
  const out: FileDigest[] = [];
  for (const rel of files) {
    const path = `${MANIFESTS_DIR}/${rel}`;
    out.push({ path, sha256: sha256Hex((await readIfExists(join(envDir, path)))!) });
  }
  return out;
}

async function digestIfPresent(base: string, rel: string): Promise<FileDigest | undefined> {
  const bytes = await readIfExists(join(base, rel));
  return bytes === undefined ? undefined : { path: rel, sha256: sha256Hex(bytes) };
}

/** Reads `dist/<env>` and the environment's input files and returns the release (nothing is written). */
export async function buildRelease(options: BuildReleaseOptions): Promise<Release> {
  const { root, env, sourceCommit, compilerVersion } = options;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  if (!COMMIT.test(sourceCommit)) {
    throw new LockstepError({
      message: `source commit must be a full git commit id (40 or 64 lowercase hex characters), got ${JSON.stringify(sourceCommit)}`,
      fix: 'pass the output of `git rev-parse HEAD` (lockstep sign --source-commit SHA)',
      code: 'release/source-commit',
    });
  }
  if (compilerVersion === '') {
    throw new LockstepError({ message: 'compiler version is empty', fix: 'pass the lockstep version that rendered the manifests', code: 'release/compiler-version' });
  }
  const loaded = await loadEnvironment(root, env);
  const envDir = envDistDir(root, env, outDir);
  const files = await manifestDigests(envDir);
  if (files.length === 0) {
    throw new LockstepError({
      file: displayPath(env, MANIFESTS_DIR, outDir),
      message: 'no rendered manifests to release',
      fix: `run \`lockstep synth --env ${env}\` first`,
      code: 'release/no-manifests',
    });
  }
  // Inputs are what the rendering read. A locked environment takes its pins from its own lock,
  // which records this release's digest and is signed separately, so neither the lock (that would
  // be circular) nor the shared image lock (staging re-pins must not touch production) is an input.
  const inputs: FileDigest[] = [{ path: loaded.file, sha256: loaded.sha256 }];
  if (!loaded.environmentLock) {
    const d = await digestIfPresent(root, 'environments/images.lock.yaml');
    if (d) inputs.push(d);
  }
  const artifacts: FileDigest[] = [];
  for (const rel of RELEASE_ARTIFACTS) {
    const d = await digestIfPresent(envDir, rel);
    if (d) artifacts.push(d);
  }
  for (const rel of await listFiles(join(envDir, PREVIEW_POLICIES_DIR))) artifacts.push((await digestIfPresent(envDir, `${PREVIEW_POLICIES_DIR}/${rel}`))!);
  const images = (await readImagesJson(envDir, displayPath(env, IMAGES_FILE, outDir))) ?? [];
  const digest = manifestSetDigest(files);
  return {
    apiVersion: RELEASE_API_VERSION,
    kind: RELEASE_KIND,
    id: `${env}-${digest.slice('sha256:'.length, 'sha256:'.length + 12)}`,
    environment: { name: env, stage: loaded.config.stage },
    source: { commit: sourceCommit, compilerVersion },
    inputs: inputs.sort((a, b) => compareStrings(a.path, b.path)),
    manifests: { digest, files },
    images,
    artifacts: artifacts.sort((a, b) => compareStrings(a.path, b.path)),
  };
}

/** The bytes of release.json: sorted keys, two-space indent, trailing newline. */
export function serializeRelease(release: Release): string {
  return `${JSON.stringify(sortKeysDeep(release), null, 2)}\n`;
}

/** Writes `dist/<env>/release.json` atomically and returns the bytes written. */
export async function writeRelease(root: string, release: Release, outDir: string = DEFAULT_OUT_DIR): Promise<Buffer> {
  const bytes = Buffer.from(serializeRelease(release), 'utf8');
  await writeFileAtomic(join(envDistDir(root, release.environment.name, outDir), RELEASE_FILE), bytes);
  return bytes;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDigestList(v: unknown): v is FileDigest[] {
  return Array.isArray(v) && v.every((f) => isRecord(f) && typeof f['path'] === 'string' && typeof f['sha256'] === 'string' && /^[0-9a-f]{64}$/.test(f['sha256']));
}

/** Parses release.json, checking the fields a verifier relies on; problems name the file and pointer. */
export function parseRelease(text: string, file: string): Release {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LockstepError({ file, message: `not valid JSON: ${(e as Error).message}`, fix: 'sign the release again (`lockstep sign`)', code: 'release/malformed' });
  }
  const problems: Problem[] = [];
  const bad = (pointer: string, message: string) => problems.push({ file, pointer, message, fix: 'sign the release again (`lockstep sign`)', code: 'release/malformed' });
  if (!isRecord(doc)) throw new LockstepError({ file, message: 'must be a JSON object', code: 'release/malformed' });
  if (doc['apiVersion'] !== RELEASE_API_VERSION) bad('/apiVersion', `apiVersion must be "${RELEASE_API_VERSION}", got ${JSON.stringify(doc['apiVersion'])}`);
  if (doc['kind'] !== RELEASE_KIND) bad('/kind', `kind must be "${RELEASE_KIND}", got ${JSON.stringify(doc['kind'])}`);
  if (typeof doc['id'] !== 'string') bad('/id', 'id must be a string');
  const envField = doc['environment'];
  if (!isRecord(envField) || typeof envField['name'] !== 'string' || typeof envField['stage'] !== 'string') bad('/environment', 'environment must be { name, stage }');
  const source = doc['source'];
  if (!isRecord(source) || typeof source['commit'] !== 'string' || typeof source['compilerVersion'] !== 'string') bad('/source', 'source must be { commit, compilerVersion }');
  if (!isDigestList(doc['inputs'])) bad('/inputs', 'inputs must be a list of { path, sha256 }');
  const manifests = doc['manifests'];
  if (!isRecord(manifests) || typeof manifests['digest'] !== 'string' || !isDigestList(manifests['files'])) bad('/manifests', 'manifests must be { digest, files: [{ path, sha256 }] }');
  if (!Array.isArray(doc['images'])) bad('/images', 'images must be a list');
  if (!isDigestList(doc['artifacts'])) bad('/artifacts', 'artifacts must be a list of { path, sha256 }');
  if (problems.length > 0) throw new LockstepError(problems);
  return doc as unknown as Release;
}
