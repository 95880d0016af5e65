/**
 * `dist/<env>/images.json`, written by synth: every pinned image the rendering runs, its SBOM (when
 * the store has one) and the workloads that run it.
 *
 *   { "environment": "dev",
 *     "images": [{ "image": "ghcr.io/acme/api@sha256:…",
 *                  "sbom": { "sha256": "…", "format": "spdx-json", "specVersion": "2.3", "packageCount": 42, "path": "sboms/…" },
 *                  "workloads": ["Deployment payments/api"] }] }
 *
 * A missing file means "no images recorded" (renderings made before synth wrote it).
 */
import { join } from 'node:path';
import { LockstepError, type Problem } from '../util/errors.ts';
import { parseImageRef } from '../supply-chain/images/reference.ts';
import { compareStrings, readIfExists } from './files.ts';
import { IMAGES_FILE } from './layout.ts';

export interface ReleaseImageSbom {
  readonly sha256: string;
  readonly format: string;
  /** `2.3`, `1.6`…, when synth recorded it. */
  readonly specVersion?: string;
  readonly packageCount: number;
  /** Repository-relative path in the SBOM store, `sboms/<registry>/<repository>/sha256-….spdx.json`. */
  readonly path: string;
}

export interface ReleaseImage {
  /** Pinned reference, `registry/repository@sha256:…`. */
  readonly image: string;
  readonly sbom?: ReleaseImageSbom;
  /** `Kind namespace/name` of each workload running the image. */
  readonly workloads: readonly string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Validates images.json text; every problem is reported at once with its JSON pointer. */
export function parseImagesJson(text: string, file: string): ReleaseImage[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LockstepError({ file, message: `not valid JSON: ${(e as Error).message}`, fix: 'run `lockstep synth` again to rewrite it', code: 'release/images-json' });
  }
  // Synth writes { environment, images: [...] }; a bare array is read as the list itself.
  const list = isRecord(doc) ? doc['images'] : doc;
  if (!Array.isArray(list)) {
    throw new LockstepError({ file, message: 'must be { "images": [{ image, sbom?, workloads }] }', fix: 'run `lockstep synth` again to rewrite it', code: 'release/images-json' });
  }
  const base = isRecord(doc) ? '/images' : '';
  const problems: Problem[] = [];
  const bad = (pointer: string, message: string) => problems.push({ file, pointer, message, fix: 'run `lockstep synth` again to rewrite it', code: 'release/images-json' });
  const images: ReleaseImage[] = [];
  list.forEach((entry: unknown, i: number) => {
    const at = `${base}/${i}`;
    const before = problems.length;
    if (!isRecord(entry)) {
      bad(at, `entry must be an object, got ${JSON.stringify(entry)}`);
      return;
    }
    const image = entry['image'];
    if (typeof image !== 'string') bad(`${at}/image`, `image must be a string, got ${JSON.stringify(image)}`);
    else {
      try {
        if (parseImageRef(image, { allowLatest: true }).digest === undefined) bad(`${at}/image`, `image ${JSON.stringify(image)} is not pinned by digest`);
      } catch (e) {
        if (!(e instanceof LockstepError)) throw e;
        bad(`${at}/image`, e.problems[0]!.message);
      }
    }
    const workloads = entry['workloads'];
    if (!Array.isArray(workloads) || !workloads.every((w) => typeof w === 'string')) bad(`${at}/workloads`, 'workloads must be a list of "Kind namespace/name" strings');
    let sbom: ReleaseImageSbom | undefined;
    const s = entry['sbom'];
    if (s !== undefined) {
      if (!isRecord(s)) bad(`${at}/sbom`, 'sbom must be an object with sha256, format, packageCount and path');
      else {
        if (typeof s['sha256'] !== 'string' || !HEX64.test(s['sha256'])) bad(`${at}/sbom/sha256`, `sha256 must be 64 lowercase hex characters, got ${JSON.stringify(s['sha256'])}`);
        if (typeof s['format'] !== 'string') bad(`${at}/sbom/format`, `format must be a string, got ${JSON.stringify(s['format'])}`);
        if (typeof s['packageCount'] !== 'number' || !Number.isInteger(s['packageCount']) || s['packageCount'] < 0) bad(`${at}/sbom/packageCount`, `packageCount must be a whole number, got ${JSON.stringify(s['packageCount'])}`);
        if (typeof s['path'] !== 'string' || s['path'] === '') bad(`${at}/sbom/path`, `path must be the store path of the SBOM, got ${JSON.stringify(s['path'])}`);
        if (s['specVersion'] !== undefined && typeof s['specVersion'] !== 'string') bad(`${at}/sbom/specVersion`, `specVersion must be a string, got ${JSON.stringify(s['specVersion'])}`);
        sbom = {
          sha256: s['sha256'] as string,
          format: s['format'] as string,
          ...(typeof s['specVersion'] === 'string' ? { specVersion: s['specVersion'] } : {}),
          packageCount: s['packageCount'] as number,
          path: s['path'] as string,
        };
      }
    }
    if (problems.length === before) {
      images.push({ image: image as string, ...(sbom ? { sbom } : {}), workloads: [...(workloads as string[])].sort(compareStrings) });
    }
  });
  if (problems.length > 0) throw new LockstepError(problems);
  return images.sort((a, b) => compareStrings(a.image, b.image));
}

/** Reads `<envDir>/images.json`; undefined when the rendering has none. */
export async function readImagesJson(envDir: string, displayFile: string): Promise<ReleaseImage[] | undefined> {
  const bytes = await readIfExists(join(envDir, IMAGES_FILE));
  return bytes === undefined ? undefined : parseImagesJson(bytes.toString('utf8'), displayFile);
}
