/**
 * Where a release lives: next to the rendering it describes, in `dist/<env>/`.
 *
 *   dist/<env>/release.json            what was released (digests of everything below), unsigned
 *   dist/<env>/release.sigstore.json   Sigstore bundle v0.3: signature over release.json's bytes
 *   dist/<env>/release.intoto.json     DSSE envelope (or bundle): in-toto Statement, SLSA Provenance v1
 *
 * Synth replaces `dist/<env>` whole, so a new rendering never carries an old signature.
 */
import { join } from 'node:path';

export const RELEASE_API_VERSION = 'lockstep.dev/v1alpha1';
export const RELEASE_KIND = 'Release';

export const RELEASE_FILE = 'release.json';
export const RELEASE_BUNDLE_FILE = 'release.sigstore.json';
export const RELEASE_ATTESTATION_FILE = 'release.intoto.json';

export const MANIFESTS_DIR = 'manifests';
export const IMAGES_FILE = 'images.json';
export const OBJECTS_FILE = 'objects.json';
export const RELEASE_SBOM_FILE = 'sbom.cdx.json';
export const POLICY_REPORT_FILE = 'reports/policy-report.yaml';
export const SARIF_REPORT_FILE = 'reports/results.sarif';
export const JUNIT_REPORT_FILE = 'reports/junit.xml';
/** Preview-mode policies synth writes for check (not deployed, but part of what was checked). */
export const PREVIEW_POLICIES_DIR = 'policies/preview';

/** Files besides the manifests whose digests a release records when they exist, in this order. */
export const RELEASE_ARTIFACTS: readonly string[] = [IMAGES_FILE, OBJECTS_FILE, POLICY_REPORT_FILE, SARIF_REPORT_FILE, JUNIT_REPORT_FILE, RELEASE_SBOM_FILE];

/**
 * Files of `dist/<env>` that are not part of the release, by design: the HTML report is written by
 * `lockstep build` after signing and shows the verification result, so it cannot be signed itself.
 * Every other file must be the release, its signatures, or a file the release lists.
 */
export const UNRELEASED_FILES: readonly string[] = ['reports/report.html'];

export const DEFAULT_OUT_DIR = 'dist';

/** Absolute path of `dist/<env>`. */
export function envDistDir(root: string, env: string, outDir: string = DEFAULT_OUT_DIR): string {
  return join(root, outDir, env);
}

/** Repository-relative path of a file of `dist/<env>`, as messages show it: `dist/dev/release.json`. */
export function displayPath(env: string, rel: string, outDir: string = DEFAULT_OUT_DIR): string {
  return `${outDir}/${env}/${rel}`;
}
