import { readLock } from '../../delivery/lock.ts';
/**
 * What the report reads from `dist/<env>/`. The rendering (manifests and objects.json) is
 * required; everything later stages add (images.json, the release SBOM, the policy report, the
 * release and its signature) is optional, and the report says "not produced" for what is missing.
 */
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadEnvironment } from '../../config/load.ts';
import type { KubeJson } from '../../k8s/objects.ts';
import { listFiles, readIfExists } from '../../release/files.ts';
import { parseImagesJson, type ReleaseImage } from '../../release/images-json.ts';
import {
  DEFAULT_OUT_DIR,
  IMAGES_FILE,
  MANIFESTS_DIR,
  OBJECTS_FILE,
  POLICY_REPORT_FILE,
  RELEASE_BUNDLE_FILE,
  RELEASE_FILE,
  RELEASE_SBOM_FILE,
  displayPath,
  envDistDir,
} from '../../release/layout.ts';
import { parseRelease } from '../../release/release.ts';
import { verifyRelease } from '../../release/verify.ts';
import { LockstepError, formatProblem } from '../../util/errors.ts';
import { parsePolicyResults, type PolicyResults } from './policy-results.ts';
import { compareStrings } from './text.ts';

export interface ReportObject {
  /** Path relative to `dist/<env>/`, e.g. `manifests/project-ai-core/deployment_project-ai-core.yaml`. */
  readonly path: string;
  readonly json: KubeJson;
  readonly constructPath?: string;
}

export type SignatureStatus =
  | { readonly state: 'unsigned' }
  /** A bundle is present and verification was not asked for. */
  | { readonly state: 'signed-unverified' }
  | { readonly state: 'verified'; readonly signer: string }
  | { readonly state: 'verification-failed'; readonly problems: readonly string[] };

export interface ReleaseSbomSummary {
  readonly format: string;
  readonly specVersion?: string;
  readonly components: number;
}

export interface ReleaseSummary {
  readonly id: string;
  readonly manifestsDigest: string;
  readonly sourceCommit: string;
  readonly compilerVersion: string;
}

export interface ReportInputs {
  readonly environment: string;
  /** From release.json, else from environments/<env>.yaml; undefined when neither can be read. */
  readonly stage?: string;
  /** Every rendered object, sorted by path. */
  readonly objects: readonly ReportObject[];
  /** Undefined: the file was not produced. */
  readonly images?: readonly ReleaseImage[];
  readonly releaseSbom?: ReleaseSbomSummary;
  readonly policyResults?: PolicyResults;
  readonly release?: ReleaseSummary;
  readonly signature: SignatureStatus;
  /** Shown in the summary when the caller passes a time; the report never reads the clock. */
  readonly generatedAt?: string;
  /** The promotion lock's current release, when the environment is locked. */
  readonly lock?: { readonly releaseId: string; readonly approvers: readonly string[]; readonly breakGlass?: string; readonly rollbackOf?: string };
}

export interface LoadReportOptions {
  readonly root: string;
  readonly env: string;
  /** @default 'dist' */
  readonly outDir?: string;
  /**
   * Verify the release signature with `lockstep verify`'s checks (offline, the environment's
   * trusted keys). False shows a present signature as "signed (not verified here)".
   * @default true
   */
  readonly verify?: boolean;
  readonly generatedAt?: string;
}

function noRendering(env: string, show: string, what: string): LockstepError {
  return new LockstepError({ file: show, message: `${what}: there is no rendering of environment ${JSON.stringify(env)} to report on`, fix: `run \`lockstep synth --env ${env}\` first`, code: 'report/no-rendering' });
}

async function readObjects(envDir: string, env: string, outDir: string): Promise<ReportObject[]> {
  const show = (rel: string) => displayPath(env, rel, outDir);
  const indexBytes = await readIfExists(join(envDir, OBJECTS_FILE));
  if (indexBytes === undefined) throw noRendering(env, show(OBJECTS_FILE), 'not found');
  let index: { objects?: { path?: unknown; constructPath?: unknown }[] };
  try {
    index = JSON.parse(indexBytes.toString('utf8'));
  } catch (e) {
    throw new LockstepError({ file: show(OBJECTS_FILE), message: `not valid JSON: ${(e as Error).message}`, fix: `run \`lockstep synth --env ${env}\` again to rewrite it`, code: 'report/objects-json' });
  }
  const constructPaths = new Map<string, string>();
  for (const o of Array.isArray(index?.objects) ? index.objects : []) {
    if (typeof o?.path === 'string' && typeof o.constructPath === 'string') constructPaths.set(o.path, o.constructPath);
  }
  const files = (await listFiles(join(envDir, MANIFESTS_DIR))).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  if (files.length === 0) throw noRendering(env, show(MANIFESTS_DIR), 'no manifests');
  const objects: ReportObject[] = [];
  for (const f of files) {
    const rel = `${MANIFESTS_DIR}/${f}`;
    const text = (await readIfExists(join(envDir, rel)))!.toString('utf8');
    let json: unknown;
    try {
      json = parseYaml(text);
    } catch (e) {
      throw new LockstepError({ file: show(rel), message: `not valid YAML: ${(e as Error).message.split('\n')[0]}`, fix: `run \`lockstep synth --env ${env}\` again to rewrite it`, code: 'report/manifest' });
    }
    if (typeof json !== 'object' || json === null || typeof (json as KubeJson)['kind'] !== 'string') {
      throw new LockstepError({ file: show(rel), message: 'is not a Kubernetes object (no kind)', fix: `dist/ is never edited by hand; run \`lockstep synth --env ${env}\` again`, code: 'report/manifest' });
    }
    const cp = constructPaths.get(rel);
    objects.push({ path: rel, json: json as KubeJson, ...(cp ? { constructPath: cp } : {}) });
  }
  return objects.sort((a, b) => compareStrings(a.path, b.path));
}

function summarizeReleaseSbom(text: string, file: string): ReleaseSbomSummary {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LockstepError({ file, message: `not valid JSON: ${(e as Error).message}`, fix: 'run `lockstep synth` again to rewrite it', code: 'report/release-sbom' });
  }
  const cyclone = doc?.['bomFormat'] === 'CycloneDX';
  const spdx = typeof doc?.['spdxVersion'] === 'string';
  const components = cyclone ? doc['components'] : spdx ? doc['packages'] : undefined;
  return {
    format: cyclone ? 'CycloneDX' : spdx ? 'SPDX' : 'unknown',
    ...(cyclone && typeof doc['specVersion'] === 'string' ? { specVersion: doc['specVersion'] } : spdx ? { specVersion: String(doc['spdxVersion']).replace(/^SPDX-/, '') } : {}),
    components: Array.isArray(components) ? components.length : 0,
  };
}

async function stageOf(root: string, env: string): Promise<string | undefined> {
  try {
    return (await loadEnvironment(root, env)).config.stage;
  } catch (e) {
    if (e instanceof LockstepError) return undefined;
    throw e;
  }
}

/** Reads everything the report shows for one environment. */
export async function loadReportInputs(options: LoadReportOptions): Promise<ReportInputs> {
  const { root, env } = options;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const envDir = envDistDir(root, env, outDir);
  const show = (rel: string) => displayPath(env, rel, outDir);
  const objects = await readObjects(envDir, env, outDir);

  const imagesBytes = await readIfExists(join(envDir, IMAGES_FILE));
  const images = imagesBytes === undefined ? undefined : parseImagesJson(imagesBytes.toString('utf8'), show(IMAGES_FILE));
  const sbomBytes = await readIfExists(join(envDir, RELEASE_SBOM_FILE));
  const releaseSbom = sbomBytes === undefined ? undefined : summarizeReleaseSbom(sbomBytes.toString('utf8'), show(RELEASE_SBOM_FILE));
  const reportBytes = await readIfExists(join(envDir, POLICY_REPORT_FILE));
  const policyResults = reportBytes === undefined ? undefined : parsePolicyResults(reportBytes.toString('utf8'), show(POLICY_REPORT_FILE));

  const releaseBytes = await readIfExists(join(envDir, RELEASE_FILE));
  const parsed = releaseBytes === undefined ? undefined : parseRelease(releaseBytes.toString('utf8'), show(RELEASE_FILE));
  const release: ReleaseSummary | undefined = parsed && { id: parsed.id, manifestsDigest: parsed.manifests.digest, sourceCommit: parsed.source.commit, compilerVersion: parsed.source.compilerVersion };
  const stage = parsed?.environment.stage ?? (await stageOf(root, env));

  const bundle = await readIfExists(join(envDir, RELEASE_BUNDLE_FILE));
  let signature: SignatureStatus;
  if (bundle === undefined || parsed === undefined) signature = { state: 'unsigned' };
  else if (options.verify === false) signature = { state: 'signed-unverified' };
  else signature = await verifySignature(root, env, outDir);

  const locked = await readLock(root, env);
  const lock = locked
    ? {
        releaseId: locked.lock.current.id,
        approvers: locked.lock.current.approvals.map((a) => a.identity),
        ...(locked.lock.current.breakGlass ? { breakGlass: locked.lock.current.breakGlass.reason } : {}),
        ...(locked.lock.current.rollbackOf ? { rollbackOf: locked.lock.current.rollbackOf } : {}),
      }
    : undefined;
  return {
    environment: env,
    ...(stage ? { stage } : {}),
    ...(lock ? { lock } : {}),
    objects,
    ...(images ? { images } : {}),
    ...(releaseSbom ? { releaseSbom } : {}),
    ...(policyResults ? { policyResults } : {}),
    ...(release ? { release } : {}),
    signature,
    ...(options.generatedAt !== undefined ? { generatedAt: options.generatedAt } : {}),
  };
}

async function verifySignature(root: string, env: string, outDir: string): Promise<SignatureStatus> {
  try {
    const result = await verifyRelease({ root, env, outDir });
    if (result.ok && result.signer) return { state: 'verified', signer: result.signer };
    return { state: 'verification-failed', problems: result.problems.map(formatProblem) };
  } catch (e) {
    if (e instanceof LockstepError) return { state: 'verification-failed', problems: e.problems.map(formatProblem) };
    throw e;
  }
}
