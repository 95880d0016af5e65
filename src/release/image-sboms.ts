/**
 * Image/SBOM consistency of a release, checked from the files alone:
 * - each image with an SBOM has that SBOM in the store, with the sha256 the release recorded;
 * - an environment with `supplyChain.requireSbom` has an SBOM for every image;
 * - every workload in the manifests that runs a recorded image carries `<prefix>/sbom-sha256` with
 *   that SBOM's digest on its pod template (what admission sees on the Pod);
 * - every pinned image a workload runs is recorded (so none escapes the SBOM checks).
 *
 * A pod running several images cannot hold several values under one key: synth then also writes
 * `<prefix>/sbom-sha256.<container>` per container (src/synth/sbom-annotations.ts). A container's
 * own key, when present, must hold its image's digest; otherwise `<prefix>/sbom-sha256` must.
 */
import { isAbsolute, join, normalize } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { containersOf, describeObject, podTemplateOf, type KubeJson } from '../k8s/objects.ts';
import { imageName, parseImageRef } from '../supply-chain/images/reference.ts';
import type { Problem } from '../util/errors.ts';
import { readIfExists, sha256Hex, shortDigest } from './files.ts';
import type { ReleaseImage } from './images-json.ts';
import { displayPath } from './layout.ts';

export interface ImageSbomCheckInput {
  readonly root: string;
  readonly env: string;
  readonly envDir: string;
  readonly outDir: string;
  readonly images: readonly ReleaseImage[];
  /** Manifest paths relative to `dist/<env>/` that exist on disk. */
  readonly manifests: readonly string[];
  readonly annotationPrefix: string;
  readonly requireSbom: boolean;
  /** Whether images.json was part of the release: only then is every running image expected in it. */
  readonly imagesRecorded: boolean;
}

/** `registry/repository@digest`, or undefined for a reference without a digest. */
export function imageKey(ref: string): string | undefined {
  try {
    const parsed = parseImageRef(ref, { allowLatest: true });
    return parsed.digest === undefined ? undefined : `${imageName(parsed)}@${parsed.digest}`;
  } catch {
    return undefined;
  }
}

export async function checkImageSboms(input: ImageSbomCheckInput): Promise<{ problems: Problem[]; workloadsChecked: number }> {
  const problems: Problem[] = [];
  const byKey = new Map<string, ReleaseImage>();
  for (const img of input.images) {
    const key = imageKey(img.image);
    if (key !== undefined) byKey.set(key, img);
    if (img.sbom === undefined) {
      if (input.requireSbom) {
        problems.push({ file: displayPath(input.env, 'images.json', input.outDir), message: `image ${img.image} has no SBOM, and the environment requires one (supplyChain.requireSbom)`, fix: `add it to the store with \`lockstep sbom --env ${input.env} --syft\`, then synth and sign again`, code: 'release/sbom-missing' });
      }
      continue;
    }
    const path = img.sbom.path;
    const norm = normalize(path);
    if (isAbsolute(path) || !norm.startsWith('sboms/')) {
      problems.push({ file: displayPath(input.env, 'images.json', input.outDir), message: `SBOM path ${JSON.stringify(path)} of image ${img.image} is not inside the store sboms/`, fix: 'run `lockstep synth` again', code: 'release/sbom-path' });
      continue;
    }
    const bytes = await readIfExists(join(input.root, norm));
    if (bytes === undefined) {
      problems.push({ file: path, message: `SBOM of image ${img.image} is missing from the store (the release records sha256 ${shortDigest(img.sbom.sha256)})`, fix: 'restore the file from the commit the release was made from', code: 'release/sbom-missing' });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== img.sbom.sha256) {
      problems.push({ file: path, message: `SBOM of image ${img.image}: sha256 changed (release has ${shortDigest(img.sbom.sha256)}, file has ${shortDigest(actual)})`, fix: 'restore the SBOM the release was made with, or synth and sign again', code: 'release/sbom-changed' });
    }
  }

  const annotationKey = `${input.annotationPrefix}/sbom-sha256`;
  let workloadsChecked = 0;
  for (const rel of input.manifests) {
    const bytes = await readIfExists(join(input.envDir, rel));
    if (bytes === undefined) continue;
    let obj: KubeJson;
    try {
      obj = parseYaml(bytes.toString('utf8')) as KubeJson;
    } catch {
      continue; // not our concern here: the digest check already reports a changed file
    }
    const template = obj && typeof obj === 'object' ? podTemplateOf(obj) : undefined;
    if (!template) continue;
    workloadsChecked++;
    const file = displayPath(input.env, rel, input.outDir);
    for (const { container, pointer } of containersOf(template.spec, template.pointer)) {
      if (typeof container['image'] !== 'string') continue;
      const key = imageKey(container['image']);
      if (key === undefined) continue;
      const img = byKey.get(key);
      if (img === undefined) {
        if (input.imagesRecorded) {
          problems.push({ file, pointer: `${pointer}/image`, message: `${describeObject(obj)} runs ${container['image']}, which images.json does not record`, fix: 'run `lockstep synth` again so images.json lists every image', code: 'release/image-unrecorded' });
        }
        continue;
      }
      if (img.sbom === undefined) continue;
      const name = typeof container['name'] === 'string' ? container['name'] : '';
      const ownKey = `${annotationKey}.${name}`;
      const annKey = template.annotations[ownKey] !== undefined ? ownKey : annotationKey;
      const value = template.annotations[annKey];
      if (value !== img.sbom.sha256) {
        problems.push({
          file,
          pointer: template.pointer.replace(/\/spec$/, '/metadata/annotations'),
          message:
            value === undefined
              ? `${describeObject(obj)} runs ${img.image} (container ${name}) but its pod template has no ${annotationKey} annotation (expected ${img.sbom.sha256})`
              : `${describeObject(obj)} runs ${img.image} (container ${name}) but its ${annKey} annotation is ${JSON.stringify(value)}, not the SBOM's sha256 ${img.sbom.sha256}`,
          fix: 'run `lockstep synth` again so the workload carries the SBOM annotations',
          code: 'release/sbom-annotation',
        });
      }
    }
  }
  return { problems, workloadsChecked };
}
