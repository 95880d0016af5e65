import { describe, expect, it } from 'vitest';
import { checkPinned, chooseRevision, releaseIdOf, releaseTag } from '../../../src/delivery/argocd/revision.ts';
import { manifestSetDigest } from '../../../src/release/release.ts';
import { sha256Hex } from '../../../src/release/files.ts';
import { toYaml } from '../../../src/synth/serialize.ts';
import { obj, smallRendering } from './fixtures.ts';

describe('release tags', () => {
  it('derive the id lockstep sign records from the bytes synth writes', () => {
    const objects = smallRendering();
    const digest = manifestSetDigest(objects.map((o) => ({ path: o.path, sha256: sha256Hex(toYaml(o.json)) })));
    expect(releaseIdOf('production', objects)).toBe(`production-${digest.slice(7, 19)}`);
    expect(releaseTag('production', objects)).toBe(`release/production-${digest.slice(7, 19)}`);
  });

  it('change when the rendering changes, and not when only its order does', () => {
    const objects = smallRendering();
    expect(releaseIdOf('production', [...objects].reverse())).toBe(releaseIdOf('production', objects));
    expect(releaseIdOf('production', [...objects, obj('v1', 'ConfigMap', 'extra', 'team-a')])).not.toBe(releaseIdOf('production', objects));
  });
});

describe('chooseRevision', () => {
  const objects = smallRendering();
  it('follows main in dev and staging and pins production to its release tag by default', () => {
    expect(chooseRevision({ env: 'dev', stage: 'dev', objects })).toEqual({ revision: 'main', source: 'default' });
    expect(chooseRevision({ env: 'staging', stage: 'staging', objects })).toEqual({ revision: 'main', source: 'default' });
    expect(chooseRevision({ env: 'production', stage: 'production', objects })).toEqual({ revision: releaseTag('production', objects), source: 'default' });
  });

  it('prefers the parameter over the environment setting over the default', () => {
    expect(chooseRevision({ env: 'production', stage: 'production', objects, setting: 'v1', parameter: 'v2' })).toEqual({ revision: 'v2', source: 'parameter' });
    expect(chooseRevision({ env: 'production', stage: 'production', objects, setting: 'v1' })).toEqual({ revision: 'v1', source: 'environment' });
  });
});

describe('checkPinned', () => {
  it('accepts tags and commits for production, and anything for other stages', () => {
    expect(checkPinned({ revision: 'release/production-0123456789ab', source: 'default' }, 'production', 'f')).toEqual([]);
    expect(checkPinned({ revision: '3f1c2e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e', source: 'environment' }, 'production', 'f')).toEqual([]);
    expect(checkPinned({ revision: 'main', source: 'environment' }, 'staging', 'f')).toEqual([]);
  });

  it('fails when production follows a branch, HEAD or nothing', () => {
    for (const revision of ['main', 'master', 'HEAD', 'refs/heads/release', '']) {
      expect(checkPinned({ revision, source: 'environment' }, 'production', 'environments/production.yaml')).toEqual([
        expect.objectContaining({ file: 'environments/production.yaml', pointer: '/delivery/targetRevision', code: 'argocd/floating-production-revision', message: expect.stringMatching(/must pin a release \(a tag or a commit\), got ".*", which moves with every push/) }),
      ]);
    }
  });
});
