/**
 * Pod annotations that tie a workload to its image's SBOM: the sha256 of the SBOM file, its format
 * and its package count. The prefix is the platform's annotation domain (`lockstep.dev`,
 * `tk8s.io`, …), so the same data can be written under any organisation's keys.
 *
 * The sha256 is of the syft file bytes, not of an attestation predicate: `cosign attest` re-serialises
 * the SBOM, so its predicate never hashes to the file (see the supply-chain reference, §4.3).
 */
import { LockstepError } from '../../util/errors.ts';
import type { SbomFormat } from './read.ts';

export interface SbomAnnotationInfo {
  readonly sha256: string;
  readonly format: SbomFormat;
  /** When given, the format value carries it the way syft spells it: `spdx-json@2.3`. */
  readonly specVersion?: string;
  readonly packageCount: number;
}

// Kubernetes: the prefix of an annotation key is a DNS subdomain of at most 253 characters.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Annotation keys for an SBOM under `prefix`: `<prefix>/sbom-sha256`, `-format`, `-packages`. */
export function sbomAnnotationKeys(prefix: string): { sha256: string; format: string; packages: string } {
  if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
    throw new LockstepError({
      message: `annotation prefix ${JSON.stringify(prefix)} is not a DNS subdomain`,
      fix: 'use a lowercase domain you control, e.g. "lockstep.dev" or "tk8s.io"',
      code: 'sbom/annotation-prefix',
    });
  }
  return { sha256: `${prefix}/sbom-sha256`, format: `${prefix}/sbom-format`, packages: `${prefix}/sbom-packages` };
}

/** The annotations, keys sorted, values strings as Kubernetes requires. */
export function sbomAnnotations(prefix: string, info: SbomAnnotationInfo): Record<string, string> {
  const keys = sbomAnnotationKeys(prefix);
  if (!/^[0-9a-f]{64}$/.test(info.sha256)) {
    throw new LockstepError({
      message: `SBOM sha256 must be 64 lowercase hex characters, got ${JSON.stringify(info.sha256)}`,
      fix: 'pass the sha256 that readSbom returns',
      code: 'sbom/annotation-sha256',
    });
  }
  if (!Number.isInteger(info.packageCount) || info.packageCount < 0) {
    throw new LockstepError({
      message: `SBOM package count must be a whole number ≥ 0, got ${JSON.stringify(info.packageCount)}`,
      fix: 'pass the packageCount that readSbom returns',
      code: 'sbom/annotation-packages',
    });
  }
  const format = info.specVersion !== undefined ? `${info.format}@${info.specVersion}` : info.format;
  const entries: [string, string][] = [
    [keys.format, format],
    [keys.packages, String(info.packageCount)],
    [keys.sha256, info.sha256],
  ];
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
