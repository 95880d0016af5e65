import { join } from 'node:path';
import { loadEnvironment } from '../config/load.ts';
import type { EnvironmentLock } from '../delivery/lock.ts';
import type { LoadedEnvironment } from '../config/types.ts';
import type { UnitCache } from './unit-cache.ts';
import { digestRef, parseImageRef } from '../supply-chain/images/reference.ts';
import type { SbomFormat } from '../supply-chain/sbom/read.ts';
import { readStoredSbom, SBOM_STORE_DIR } from '../supply-chain/sbom/store.ts';

/** An SBOM from the repository's store, for one image digest. */
export interface SbomRecord {
  /** Repository-relative path, e.g. `sboms/ghcr.io/acme/api/sha256-….cdx.json`. */
  readonly path: string;
  /** sha256 of the file bytes. */
  readonly sha256: string;
  readonly format: SbomFormat;
  readonly specVersion: string;
  readonly packageCount: number;
}

/** Everything synth reads besides code: the environment and the SBOMs of its images. */
export interface SynthInputs {
  /** Repository root the inputs were read from. */
  readonly root: string;
  readonly env: LoadedEnvironment;
  /** Pinned image (`registry/repo@sha256:…`) → its SBOM. */
  readonly sboms: ReadonlyMap<string, SbomRecord>;
  /**
   * The unit cache of this environment's previous synth (incremental synth): pass it to
   * `new Platform(..., { units })` and call `units.trackSettings(context)`. Absent with `--no-cache`.
   */
  readonly units?: UnitCache;
}

export async function loadInputs(root: string, name: string, options: { lock?: EnvironmentLock } = {}): Promise<SynthInputs> {
  const env = await loadEnvironment(root, name, 'environments', options);
  const sboms = new Map<string, SbomRecord>();
  const storeDir = join(root, SBOM_STORE_DIR);
  for (const ref of new Set(Object.values(env.images))) {
    const parsed = parseImageRef(ref);
    if (!parsed.digest) continue;
    const stored = await readStoredSbom(storeDir, parsed);
    if (!stored) continue;
    sboms.set(digestRef(parsed), {
      path: `${SBOM_STORE_DIR}/${stored.relativePath}`,
      sha256: stored.info.sha256,
      format: stored.info.format,
      specVersion: stored.info.specVersion,
      packageCount: stored.info.packageCount,
    });
  }
  return { root, env, sboms };
}
