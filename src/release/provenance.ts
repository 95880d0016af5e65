/**
 * The release attestation: an in-toto Statement v1 whose subjects are release.json and every
 * manifest file, with a SLSA Provenance v1 predicate saying how the rendering was built (the
 * environment and source commit as external parameters, the input files as resolved
 * dependencies). A verifier can then check any single manifest against the attestation with
 * `cosign verify-blob-attestation --type slsaprovenance1 … dist/<env>/manifests/<file>`.
 */
import { SLSA_PROVENANCE_V1, canonicalJson, makeStatement, slsaProvenanceV1, type Statement } from '../supply-chain/signing/intoto.ts';
import { LockstepError } from '../util/errors.ts';
import { RELEASE_FILE } from './layout.ts';
import type { Release } from './release.ts';

/** URI naming Lockstep's build process (render an environment into manifests). */
export const RELEASE_BUILD_TYPE = 'https://lockstep.dev/release/v1';

/** Builder id used when neither `--builder-id` nor a CI workflow names one. */
export const LOCAL_BUILDER_ID = 'https://lockstep.dev/builders/local';

export interface ReleaseProvenanceOptions {
  /** URI of the builder (CI workflow) that made the release. */
  readonly builderId: string;
  /** RFC 3339; recorded only when given (library code never reads the clock). */
  readonly startedOn?: string;
}

/**
 * The builder id a CI system names, or the local one. GitHub Actions: the workflow file at its
 * ref (`https://github.com/acme/repo/.github/workflows/release.yml@refs/heads/main`), as the
 * SLSA GitHub generators record it.
 */
export function defaultBuilderId(env: Readonly<Record<string, string | undefined>>): string {
  const server = env['GITHUB_SERVER_URL'];
  const ref = env['GITHUB_WORKFLOW_REF'];
  if (server && ref) return `${server.replace(/\/$/, '')}/${ref}`;
  return LOCAL_BUILDER_ID;
}

/** The statement over release.json (given its sha256) and every manifest file. */
export function releaseStatement(release: Release, releaseSha256: string, options: ReleaseProvenanceOptions): Statement<Record<string, unknown>> {
  const names = new Set<string>();
  for (const f of release.manifests.files) {
    if (names.has(f.path)) throw new LockstepError({ message: `manifest ${f.path} is listed twice in the release`, code: 'release/duplicate-manifest' });
    names.add(f.path);
  }
  const predicate = slsaProvenanceV1({
    buildType: RELEASE_BUILD_TYPE,
    builderId: options.builderId,
    externalParameters: { environment: release.environment.name, sourceCommit: release.source.commit },
    internalParameters: { compilerVersion: release.source.compilerVersion, stage: release.environment.stage },
    resolvedDependencies: [
      { name: 'source', digest: { gitCommit: release.source.commit } },
      ...release.inputs.map((i) => ({ name: i.path, digest: { sha256: i.sha256 } })),
    ],
    ...(options.startedOn !== undefined ? { startedOn: options.startedOn } : {}),
  });
  return makeStatement({
    subjects: [{ name: RELEASE_FILE, digest: { sha256: releaseSha256 } }, ...release.manifests.files.map((f) => ({ name: f.path, digest: { sha256: f.sha256 } }))],
    predicateType: SLSA_PROVENANCE_V1,
    predicate,
  });
}

/** The statement's bytes as signed: canonical JSON (sorted keys, no whitespace). */
export function statementBytes(statement: Statement<unknown>): Buffer {
  return Buffer.from(canonicalJson(statement), 'utf8');
}
