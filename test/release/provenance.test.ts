import { describe, expect, it } from 'vitest';
import { LOCAL_BUILDER_ID, RELEASE_BUILD_TYPE, defaultBuilderId, releaseStatement, statementBytes } from '../../src/release/provenance.ts';
import type { Release } from '../../src/release/release.ts';

const release: Release = {
  apiVersion: 'lockstep.dev/v1alpha1',
  kind: 'Release',
  id: 'dev-abc',
  environment: { name: 'dev', stage: 'dev' },
  source: { commit: 'a'.repeat(40), compilerVersion: '0.1.0' },
  inputs: [{ path: 'environments/dev.yaml', sha256: 'b'.repeat(64) }],
  manifests: { digest: `sha256:${'c'.repeat(64)}`, files: [{ path: 'manifests/x/a.yaml', sha256: 'd'.repeat(64) }] },
  images: [],
  artifacts: [],
};

describe('releaseStatement', () => {
  it('names release.json and every manifest, with SLSA provenance of the build', () => {
    const s = releaseStatement(release, 'e'.repeat(64), { builderId: LOCAL_BUILDER_ID });
    expect(s.subject).toEqual([
      { name: 'release.json', digest: { sha256: 'e'.repeat(64) } },
      { name: 'manifests/x/a.yaml', digest: { sha256: 'd'.repeat(64) } },
    ]);
    expect(s.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(s.predicate).toMatchObject({
      buildDefinition: {
        buildType: RELEASE_BUILD_TYPE,
        externalParameters: { environment: 'dev', sourceCommit: 'a'.repeat(40) },
        resolvedDependencies: [{ name: 'source', digest: { gitCommit: 'a'.repeat(40) } }, { name: 'environments/dev.yaml', digest: { sha256: 'b'.repeat(64) } }],
      },
      runDetails: { builder: { id: LOCAL_BUILDER_ID } },
    });
    expect(JSON.stringify(s)).not.toContain('startedOn');
  });

  it('records startedOn only when given, and is byte-stable', () => {
    const s = releaseStatement(release, 'e'.repeat(64), { builderId: LOCAL_BUILDER_ID, startedOn: '2026-01-31T12:00:00Z' });
    expect(s.predicate).toMatchObject({ runDetails: { metadata: { startedOn: '2026-01-31T12:00:00Z' } } });
    expect(statementBytes(s).equals(statementBytes(releaseStatement(release, 'e'.repeat(64), { builderId: LOCAL_BUILDER_ID, startedOn: '2026-01-31T12:00:00Z' })))).toBe(true);
  });

  it('fails when a manifest is listed twice', () => {
    const twice = { ...release, manifests: { ...release.manifests, files: [...release.manifests.files, ...release.manifests.files] } };
    expect(() => releaseStatement(twice, 'e'.repeat(64), { builderId: LOCAL_BUILDER_ID })).toThrow(/manifest manifests\/x\/a.yaml is listed twice in the release/);
  });
});

describe('defaultBuilderId', () => {
  it('uses the GitHub workflow ref when running in GitHub Actions', () => {
    expect(defaultBuilderId({ GITHUB_SERVER_URL: 'https://github.com/', GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/release.yml@refs/heads/main' })).toBe('https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main');
  });

  it('falls back to the local builder', () => {
    expect(defaultBuilderId({})).toBe(LOCAL_BUILDER_ID);
  });
});
