/**
 * The syft adapter, as pure functions: the command line Lockstep runs and the reading of its output.
 *
 * `syft scan --from registry -o FORMAT@VERSION[=FILE] --quiet IMAGE@sha256:…`
 * - `--from registry` pulls straight from the registry: no Docker daemon, and the daemon's copy of a
 *   tag can never stand in for the pinned digest (syft otherwise tries docker, podman and containerd
 *   first). The flag replaces the `registry:` scheme prefix, whose parsing syft found ambiguous.
 * - The output version is pinned because syft's defaults move: SPDX JSON defaults to 2.3 (2.2 also
 *   available); CycloneDX JSON defaulted to 1.6 and is 1.7 since June 2026 (1.2–1.7 available).
 *   Pinning keeps the bytes, hence the SBOM sha256 annotation, stable across syft upgrades of
 *   that kind.
 * - For a multi-arch index syft scans one platform, linux/amd64 unless `platform` says otherwise.
 */
import { LockstepError } from '../../util/errors.ts';
import { digestRef, formatImageRef, parseImageRef } from '../images/reference.ts';
import type { ImageRef } from '../images/reference.ts';
import { readSbom } from './read.ts';
import type { SbomFormat, SbomInfo } from './read.ts';

/** The spec version Lockstep asks syft for, per format. */
export const SYFT_OUTPUT_VERSIONS: Readonly<Record<SbomFormat, string>> = {
  'spdx-json': '2.3',
  'cyclonedx-json': '1.6',
};

/** Versions syft can write per format (syft/format/internal/*util/versions.go). */
export const SYFT_SUPPORTED_VERSIONS: Readonly<Record<SbomFormat, readonly string[]>> = {
  'spdx-json': ['2.2', '2.3'],
  'cyclonedx-json': ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'],
};

export interface SyftScanOptions {
  /** Write the SBOM to this file instead of standard output. */
  readonly outputFile?: string;
  /** Spec version to ask for. @default SYFT_OUTPUT_VERSIONS[format] */
  readonly specVersion?: string;
  /** Platform to scan in a multi-arch index, e.g. `linux/arm64`. @default syft's, linux/amd64 */
  readonly platform?: string;
}

/** The `-o` value: `spdx-json@2.3` or `spdx-json@2.3=out.json`. */
export function syftOutputSpec(format: SbomFormat, options: Pick<SyftScanOptions, 'outputFile' | 'specVersion'> = {}): string {
  const version = options.specVersion ?? SYFT_OUTPUT_VERSIONS[format];
  if (!SYFT_SUPPORTED_VERSIONS[format].includes(version)) {
    throw new LockstepError({
      message: `syft cannot write ${format} version ${JSON.stringify(version)}`,
      fix: `use one of ${SYFT_SUPPORTED_VERSIONS[format].join(', ')}`,
      code: 'syft/unsupported-version',
    });
  }
  return `${format}@${version}${options.outputFile !== undefined ? `=${options.outputFile}` : ''}`;
}

/**
 * Arguments (after `syft`) that scan a pinned image into one SBOM. A tag-only reference is refused:
 * an SBOM must describe the exact content that runs.
 */
export function buildSyftArgs(image: string | ImageRef, format: SbomFormat, options: SyftScanOptions = {}): string[] {
  const ref = typeof image === 'string' ? parseImageRef(image, { allowLatest: true }) : image;
  if (ref.digest === undefined) {
    throw new LockstepError({
      message: `syft must scan a pinned image, got ${JSON.stringify(formatImageRef(ref))}`,
      fix: 'pin the image first (`lockstep images pin`) and pass "registry/repository@sha256:…"',
      code: 'syft/not-pinned',
    });
  }
  return [
    'scan',
    '--from', 'registry',
    ...(options.platform !== undefined ? ['--platform', options.platform] : []),
    '-o', syftOutputSpec(format, options),
    '--quiet',
    digestRef(ref),
  ];
}

/**
 * Reads what syft wrote (standard output or the output file) and checks it is the format and
 * version that was asked for.
 */
export function parseSyftOutput(output: Uint8Array | string, format: SbomFormat, options: { specVersion?: string; file?: string } = {}): SbomInfo {
  const file = options.file ?? 'syft output';
  if ((typeof output === 'string' ? output.trim().length : output.length) === 0) {
    throw new LockstepError({ file, message: 'syft wrote nothing', fix: 'run syft without --quiet to see why', code: 'syft/empty-output' });
  }
  const info = readSbom(output, file);
  const version = options.specVersion ?? SYFT_OUTPUT_VERSIONS[format];
  if (info.format !== format || info.specVersion !== version) {
    throw new LockstepError({
      file,
      message: `syft wrote ${info.format}@${info.specVersion}, expected ${format}@${version}`,
      fix: `pass "-o ${format}@${version}" (see buildSyftArgs) and check the syft version`,
      code: 'syft/unexpected-format',
    });
  }
  return info;
}
