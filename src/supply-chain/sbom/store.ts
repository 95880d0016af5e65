/**
 * The SBOM store: a folder in the repository (`sboms/`) holding one SBOM per image digest.
 *
 * Layout, chosen so a path is derived from the pinned reference alone and reviewers can find a file
 * by the image name:
 *
 *   sboms/<registry>/<repository>/<algorithm>-<hex>.spdx.json    (SPDX JSON)
 *   sboms/<registry>/<repository>/<algorithm>-<hex>.cdx.json     (CycloneDX JSON; the CycloneDX-recommended suffix)
 *
 * e.g. `sboms/ghcr.io/acme/api/sha256-4f1c….spdx.json`. A registry port's ":" becomes "_" (colons are
 * not portable in file names; host names cannot contain "_", so the mapping is reversible). The tag
 * plays no part: an SBOM describes content, and content is named by digest. The `<algorithm>-<hex>`
 * spelling is the one cosign uses for its attachment tags.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { resolvesOutside } from '../../config/paths.ts';
import { LockstepError } from '../../util/errors.ts';
import { formatImageRef, parseImageRef } from '../images/reference.ts';
import type { ImageRef } from '../images/reference.ts';
import { readSbom } from './read.ts';
import type { SbomFormat, SbomInfo } from './read.ts';

export const SBOM_STORE_DIR = 'sboms';

export const SBOM_FILE_SUFFIX: Readonly<Record<SbomFormat, string>> = {
  'spdx-json': '.spdx.json',
  'cyclonedx-json': '.cdx.json',
};

const FORMATS: readonly SbomFormat[] = ['spdx-json', 'cyclonedx-json'];

export interface StoredSbom {
  /** Path inside the store, with "/" separators: `ghcr.io/acme/api/sha256-….spdx.json`. */
  readonly relativePath: string;
  /** `storeDir` joined with `relativePath`. */
  readonly path: string;
  readonly format: SbomFormat;
}

function pinnedRef(image: string | ImageRef): ImageRef {
  const ref = typeof image === 'string' ? parseImageRef(image, { allowLatest: true }) : image;
  if (ref.digest === undefined) {
    throw new LockstepError({
      message: `SBOMs are stored by image digest, but ${JSON.stringify(formatImageRef(ref))} has none`,
      fix: 'pass the pinned reference "registry/repository@sha256:…" (see `lockstep images pin`)',
      code: 'sbom-store/not-pinned',
    });
  }
  return ref;
}

/** The store-relative path for the SBOM of a pinned image in `format`. */
export function sbomStorePath(image: string | ImageRef, format: SbomFormat): string {
  const ref = pinnedRef(image);
  const [algorithm, hex] = ref.digest!.split(':') as [string, string];
  return `${ref.registry.replace(/:/g, '_')}/${ref.repository}/${algorithm}-${hex}${SBOM_FILE_SUFFIX[format]}`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw e;
  }
}

/**
 * Finds the stored SBOM of a pinned image. With no `format`, both formats are looked for; finding
 * both is an error, because annotations and the release SBOM must name exactly one file.
 */
export async function findSbom(storeDir: string, image: string | ImageRef, options: { format?: SbomFormat } = {}): Promise<StoredSbom | undefined> {
  const ref = pinnedRef(image);
  const found: StoredSbom[] = [];
  for (const format of options.format ? [options.format] : FORMATS) {
    const relativePath = sbomStorePath(ref, format);
    const path = join(storeDir, ...relativePath.split('/'));
    if (await isFile(path)) found.push({ relativePath, path, format });
  }
  for (const f of found) {
    // The store is a repository folder: an SBOM (or the store) linked from elsewhere was never reviewed.
    const real = await resolvesOutside(dirname(storeDir), f.path);
    if (real !== undefined) {
      throw new LockstepError({ file: `${basename(storeDir)}/${f.relativePath}`, message: `resolves outside the repository (to ${real})`, fix: 'commit the SBOM itself into the store instead of a symlink to it', code: 'sbom-store/outside' });
    }
  }
  if (found.length > 1) {
    throw new LockstepError({
      file: join(storeDir, found[0]!.relativePath),
      message: `two SBOMs are stored for ${formatImageRef(ref)} (${found.map((f) => f.relativePath).join(' and ')})`,
      fix: 'keep one of them, or ask for a format explicitly',
      code: 'sbom-store/ambiguous',
    });
  }
  return found[0];
}

/** Reads the stored SBOM of a pinned image, or returns undefined when there is none. */
export async function readStoredSbom(storeDir: string, image: string | ImageRef, options: { format?: SbomFormat } = {}): Promise<(StoredSbom & { info: SbomInfo }) | undefined> {
  const stored = await findSbom(storeDir, image, options);
  if (!stored) return undefined;
  const info = readSbom(await readFile(stored.path), join(SBOM_STORE_DIR, stored.relativePath));
  return { ...stored, info };
}

/**
 * Writes an SBOM into the store under the pinned image's path, after reading it (so a file that is
 * not an SBOM never lands in the store).
 *
 * The SBOM's own subject digest is not compared with the image digest: for a multi-arch image the
 * pinned digest is the index, while syft records the platform manifest it scanned.
 */
export async function addSbomToStore(storeDir: string, image: string | ImageRef, bytes: Uint8Array | string, file: string): Promise<StoredSbom & { info: SbomInfo }> {
  const ref = pinnedRef(image);
  const info = readSbom(bytes, file);
  const relativePath = sbomStorePath(ref, info.format);
  const path = join(storeDir, ...relativePath.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return { relativePath, path, format: info.format, info };
}
