import type { Platform } from '../../constructs/core/platform.ts';
import { addCheck } from '../../constructs/core/checks.ts';
import { AgentWorkload } from '../../constructs/workload/agent-workload.ts';
import { digestRef, parseImageRef } from '../supply-chain/images/reference.ts';
import { sbomAnnotationKeys, sbomAnnotations } from '../supply-chain/sbom/annotations.ts';
import type { SbomRecord } from './inputs.ts';

export interface SbomAnnotationOptions {
  readonly sboms: ReadonlyMap<string, SbomRecord>;
  /** Annotation domain, e.g. `tk8s.io` → `tk8s.io/sbom-sha256`. */
  readonly prefix: string;
  /** Refuse images without an SBOM (production). */
  readonly required: boolean;
  readonly environment: string;
}

/**
 * Annotates every AgentWorkload and its pod template with the SBOM of its agent image:
 * `<prefix>/sbom-sha256`, `-format` and `-packages`. Pods with several images also get
 * `<prefix>/sbom-sha256.<container>` for each container, so every image's SBOM is on record.
 * Runs over the construct tree (an aspect), so `cdk8s synth` renders the same annotations.
 * Where SBOMs are required, an image without one is a synth error naming the workload and image.
 */
export function annotateSboms(platform: Platform, options: SbomAnnotationOptions): void {
  const keys = sbomAnnotationKeys(options.prefix);
  for (const c of platform.node.findAll()) {
    if (!(c instanceof AgentWorkload)) continue;
    const containers = c.containers;
    const missing: string[] = [];
    const lookup = (image: string): SbomRecord | undefined => {
      const ref = parseImageRef(image, { allowLatest: true });
      return ref.digest ? options.sboms.get(digestRef(ref)) : undefined;
    };
    for (const container of containers) {
      const sbom = lookup(container.image);
      if (!sbom) {
        missing.push(`${container.name} (${container.image})`);
        continue;
      }
      if (container.role === 'main') {
        for (const [k, v] of Object.entries(sbomAnnotations(options.prefix, { sha256: sbom.sha256, format: sbom.format, specVersion: sbom.specVersion, packageCount: sbom.packageCount }))) c.annotate(k, v);
      }
      if (new Set(containers.map((x) => x.image)).size > 1) c.annotate(`${keys.sha256}.${container.name}`, sbom.sha256);
    }
    if (missing.length && options.required) {
      addCheck(c, () => [
        `${options.environment} requires an SBOM for every image, and none is in sboms/ for container ${missing.join(', ')}; ` +
          `run "lockstep sbom --env ${options.environment} --syft" or add the SBOM your build produced under sboms/<registry>/<repository>/sha256-<digest>.(spdx|cdx).json`,
      ]);
    }
  }
}
