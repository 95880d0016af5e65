import { createHash } from 'node:crypto';
import { containersOf, describeObject, podTemplateOf } from '../k8s/objects.ts';
import { parseImageRef } from '../supply-chain/images/reference.ts';
import { releaseSbom } from '../supply-chain/sbom/release-sbom.ts';
import type { SbomRecord } from './inputs.ts';
import type { Rendering } from './render.ts';

/** One image of an environment: who runs it and its SBOM. */
export interface ImageEntry {
  readonly image: string;
  readonly sbom?: Omit<SbomRecord, 'specVersion'> & { readonly specVersion: string };
  /** `Kind namespace/name` of each workload running it, sorted. */
  readonly workloads: readonly string[];
}

/** Every image the rendered workloads run, with its SBOM from the store (`dist/<env>/images.json`). */
export function imagesIndex(r: Rendering): ImageEntry[] {
  const byImage = new Map<string, Set<string>>();
  for (const o of r.objects) {
    const t = podTemplateOf(o.json);
    if (!t) continue;
    for (const { container } of containersOf(t.spec, t.pointer)) {
      const image = String(container.image);
      if (!byImage.has(image)) byImage.set(image, new Set());
      byImage.get(image)!.add(describeObject(o.json));
    }
  }
  return [...byImage.keys()].sort().map((image) => {
    const sbom = r.inputs.sboms.get(image);
    return { image, ...(sbom ? { sbom } : {}), workloads: [...byImage.get(image)!].sort() };
  });
}

/**
 * The environment's release SBOM (`dist/<env>/sbom.cdx.json`, CycloneDX): every image with an SBOM,
 * as a `pkg:oci` component carrying its SBOM digest and the workloads that run it. The version and
 * serial number derive from the image set, so the file is reproducible.
 */
export function releaseSbomFor(environment: string, images: readonly ImageEntry[]): string {
  const withSbom = images.filter((i) => i.sbom && parseImageRef(i.image, { allowLatest: true }).digest);
  const seed = createHash('sha256').update(JSON.stringify(withSbom)).digest('hex');
  return releaseSbom({
    environment,
    componentVersion: seed.slice(0, 12),
    serialNumberSeed: seed,
    images: withSbom.map((i) => ({
      ref: i.image,
      sbom: { sha256: i.sbom!.sha256, format: i.sbom!.format, packageCount: i.sbom!.packageCount, specVersion: i.sbom!.specVersion },
      workloads: i.workloads,
    })),
  });
}
