/**
 * `lockstep sbom`: for each image digest of an environment's rendering (`dist/<env>/images.json`),
 * is its SBOM in the store `sboms/`, is it a valid SBOM, and is it the one the rendering recorded?
 * With syft on PATH, missing SBOMs can be generated into the store.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { SBOM_STORE_DIR, addSbomToStore, findSbom } from '../supply-chain/sbom/store.ts';
import { readSbom, type SbomFormat } from '../supply-chain/sbom/read.ts';
import { buildSyftArgs, parseSyftOutput } from '../supply-chain/sbom/syft.ts';
import { validateSbom } from '../supply-chain/sbom/validate.ts';
import { LockstepError, type Problem } from '../util/errors.ts';
import { shortDigest } from './files.ts';
import type { ReleaseImage } from './images-json.ts';
import { toolFailure } from './cosign.ts';

export type SbomState = 'present' | 'missing' | 'invalid' | 'changed' | 'generated';

export interface SbomStatus {
  readonly image: string;
  readonly state: SbomState;
  /** Repository-relative path in the store, when there is a file. */
  readonly file?: string;
  readonly format?: SbomFormat;
  readonly specVersion?: string;
  readonly packageCount?: number;
  readonly sha256?: string;
  readonly problems: readonly Problem[];
}

function problemsOf(e: unknown): Problem[] {
  if (e instanceof LockstepError) return [...e.problems];
  throw e;
}

/** Looks up, reads and validates the stored SBOM of one image. */
export async function sbomStatusOf(root: string, image: ReleaseImage): Promise<SbomStatus> {
  let stored;
  try {
    stored = await findSbom(join(root, SBOM_STORE_DIR), image.image);
  } catch (e) {
    return { image: image.image, state: 'invalid', problems: problemsOf(e) };
  }
  if (!stored) return { image: image.image, state: 'missing', problems: [] };
  const file = `${SBOM_STORE_DIR}/${stored.relativePath}`;
  const bytes = await readFile(stored.path);
  let info;
  try {
    info = readSbom(bytes, file);
  } catch (e) {
    return { image: image.image, state: 'invalid', file, problems: problemsOf(e) };
  }
  const base = { image: image.image, file, format: info.format, specVersion: info.specVersion, packageCount: info.packageCount, sha256: info.sha256 };
  const invalid = await validateSbom(bytes, file);
  if (invalid.length > 0) return { ...base, state: 'invalid', problems: invalid };
  if (image.sbom && image.sbom.sha256 !== info.sha256) {
    return {
      ...base,
      state: 'changed',
      problems: [{ file, message: `the rendering recorded SBOM sha256 ${shortDigest(image.sbom.sha256)} for ${image.image}, the store has ${shortDigest(info.sha256)}`, fix: 'synth again so the annotations and images.json name the stored SBOM', code: 'sbom/changed' }],
    };
  }
  return { ...base, state: 'present', problems: [] };
}

/** Runs syft on a pinned image and adds its SBOM to the store. */
export async function generateSbom(root: string, image: string, options: { syftPath: string; format: SbomFormat; env: Readonly<Record<string, string | undefined>> }): Promise<SbomStatus> {
  const args = buildSyftArgs(image, options.format);
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) childEnv[k] = v;
  const result = await $({ env: childEnv, cwd: root, quiet: true, nothrow: true })`${options.syftPath} ${args}`;
  if (result.exitCode !== 0) throw toolFailure('syft', args, result.exitCode, result.stderr);
  parseSyftOutput(result.stdout, options.format, { file: `syft output for ${image}` });
  const stored = await addSbomToStore(join(root, SBOM_STORE_DIR), image, result.stdout, `syft output for ${image}`);
  return { image, state: 'generated', file: `${SBOM_STORE_DIR}/${stored.relativePath}`, format: stored.format, specVersion: stored.info.specVersion, packageCount: stored.info.packageCount, sha256: stored.info.sha256, problems: [] };
}
