import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LockstepError } from '../../../src/util/errors.ts';
import {
  compareImageRefs,
  digestRef,
  formatImageRef,
  imageName,
  isDigest,
  isPinned,
  parseDigest,
  parseImageRef,
  withDigest,
} from '../../../src/supply-chain/images/reference.ts';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

describe('parseImageRef', () => {
  it.each([
    ['nginx:1.27', 'docker.io', 'library/nginx', '1.27'],
    ['library/nginx:1.27', 'docker.io', 'library/nginx', '1.27'],
    ['docker.io/nginx:1.27', 'docker.io', 'library/nginx', '1.27'],
    ['index.docker.io/library/nginx:1.27', 'docker.io', 'library/nginx', '1.27'],
    ['bitnami/redis:7.2', 'docker.io', 'bitnami/redis', '7.2'],
    ['ghcr.io/acme/api:1.4.2', 'ghcr.io', 'acme/api', '1.4.2'],
    ['localhost/api:dev', 'localhost', 'api', 'dev'],
    ['localhost:5000/team/api:v1', 'localhost:5000', 'team/api', 'v1'],
    ['registry.example.com:443/a/b/c:1', 'registry.example.com:443', 'a/b/c', '1'],
    ['[::1]:5000/api:1', '[::1]:5000', 'api', '1'],
    ['my-registry/x_y__z:1', 'docker.io', 'my-registry/x_y__z', '1'],
  ])('normalises %s like Docker does', (input, registry, repository, tag) => {
    expect(parseImageRef(input)).toEqual({ registry, repository, tag });
  });

  it('keeps the digest and the tag of a pinned reference', () => {
    expect(parseImageRef(`ghcr.io/acme/api:1.4.2@${D1}`)).toEqual({ registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2', digest: D1 });
  });

  it('accepts a digest without a tag', () => {
    expect(parseImageRef(`nginx@${D1}`)).toEqual({ registry: 'docker.io', repository: 'library/nginx', digest: D1 });
  });

  it('accepts ":latest" when pinned by digest, since the digest decides what runs', () => {
    expect(parseImageRef(`nginx:latest@${D1}`).digest).toBe(D1);
  });

  it('accepts latest when allowLatest is set', () => {
    expect(parseImageRef('nginx', { allowLatest: true })).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
    expect(parseImageRef('nginx:latest', { allowLatest: true }).tag).toBe('latest');
  });

  it('fails when the tag is "latest", saying how to pin', () => {
    expect(() => parseImageRef('nginx:latest')).toThrow(/image "nginx:latest" uses the tag "latest", which moves between renders; pin a version tag and its digest/);
  });

  it('fails when there is neither tag nor digest, because that means latest', () => {
    expect(() => parseImageRef('ghcr.io/acme/api')).toThrow(/image "ghcr.io\/acme\/api" has no tag and no digest, so it means ":latest".*lockstep images pin/);
  });

  it('fails with the file and pointer it was given', () => {
    try {
      parseImageRef('nginx', { file: 'environments/prod.yaml', pointer: '/agents/0/image', line: 4 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LockstepError);
      expect((e as LockstepError).problems[0]).toMatchObject({ file: 'environments/prod.yaml', pointer: '/agents/0/image', line: 4, code: 'image/implicit-latest' });
      expect((e as Error).message).toMatch(/^environments\/prod\.yaml:4: \/agents\/0\/image: image "nginx"/);
    }
  });

  it('fails when the reference is empty', () => {
    expect(() => parseImageRef('')).toThrow(/invalid image reference "": it is empty/);
  });

  it('fails when the reference contains whitespace', () => {
    expect(() => parseImageRef('nginx :1')).toThrow(/it contains whitespace/);
  });

  it('fails when the digest is malformed', () => {
    expect(() => parseImageRef('nginx@sha256:abc')).toThrow(/"sha256:abc" is not a digest/);
    expect(() => parseImageRef(`nginx@sha256:${'A'.repeat(64)}`)).toThrow(/is not a digest/);
  });

  it('fails when the tag is malformed', () => {
    expect(() => parseImageRef('nginx:-bad')).toThrow(/tag "-bad" is not valid/);
  });

  it('fails when the repository has upper-case letters', () => {
    expect(() => parseImageRef('ghcr.io/Acme/api:1')).toThrow(/repository component "Acme" is not valid; repository names must be lowercase/);
  });

  it('fails when a path component has invalid characters', () => {
    expect(() => parseImageRef('ghcr.io/acme/-api:1')).toThrow(/repository component "-api" is not valid; each path component/);
  });

  it('fails when the registry host is invalid', () => {
    expect(() => parseImageRef('bad_host.io:x/api:1')).toThrow(/registry "bad_host.io:x" is not a valid host\[:port\]/);
  });

  it('fails when there is no repository name', () => {
    expect(() => parseImageRef(':1.0')).toThrow(/it has no repository name/);
  });

  it('fails when the name is longer than 255 characters', () => {
    expect(() => parseImageRef(`ghcr.io/${'a'.repeat(250)}:1`)).toThrow(/longer than 255 characters/);
  });

  it('round-trips the canonical form of any valid reference', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8})?$/);
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/), (path, tag) => {
        const ref = parseImageRef(`ghcr.io/${path.join('/')}:${tag}`, { allowLatest: true });
        expect(parseImageRef(formatImageRef(ref), { allowLatest: true })).toEqual(ref);
      }),
    );
  });
});

describe('digests', () => {
  it('accepts sha256, sha384 and sha512 of the right length', () => {
    expect(isDigest(D1)).toBe(true);
    expect(isDigest(`sha384:${'c'.repeat(96)}`)).toBe(true);
    expect(isDigest(`sha512:${'d'.repeat(128)}`)).toBe(true);
    expect(isDigest(`md5:${'d'.repeat(32)}`)).toBe(false);
  });

  it('fails when a digest is not sha256 plus 64 hex characters', () => {
    expect(() => parseDigest('sha256:xyz', { file: 'f.yaml', pointer: '/d' })).toThrow(/f\.yaml: \/d: invalid digest "sha256:xyz"; use "sha256:" followed by 64 lowercase hex/);
  });
});

describe('formatting and pinning', () => {
  it('formats the fully qualified reference', () => {
    expect(formatImageRef(parseImageRef(`nginx:1.27@${D1}`))).toBe(`docker.io/library/nginx:1.27@${D1}`);
    expect(imageName(parseImageRef('nginx:1.27'))).toBe('docker.io/library/nginx');
  });

  it('tells pinned from unpinned references', () => {
    expect(isPinned(`ghcr.io/acme/api@${D1}`)).toBe(true);
    expect(isPinned('ghcr.io/acme/api:1.0')).toBe(false);
    expect(isPinned(parseImageRef('ghcr.io/acme/api:1.0'))).toBe(false);
  });

  it('pins a reference with withDigest and keeps the tag', () => {
    const pinned = withDigest(parseImageRef('ghcr.io/acme/api:1.0'), D1);
    expect(formatImageRef(pinned)).toBe(`ghcr.io/acme/api:1.0@${D1}`);
    expect(digestRef(pinned)).toBe(`ghcr.io/acme/api@${D1}`);
    expect(withDigest(pinned, D1)).toEqual(pinned);
  });

  it('fails when withDigest would change an existing digest', () => {
    expect(() => withDigest(parseImageRef(`ghcr.io/acme/api:1.0@${D1}`), D2)).toThrow(/is already pinned to a different digest than sha256:b{64}/);
  });

  it('fails when withDigest gets a malformed digest', () => {
    expect(() => withDigest(parseImageRef('ghcr.io/acme/api:1.0'), 'sha256:1')).toThrow(/invalid digest "sha256:1"/);
  });

  it('fails when digestRef is asked for an unpinned reference', () => {
    expect(() => digestRef(parseImageRef('ghcr.io/acme/api:1.0'))).toThrow(/image "ghcr.io\/acme\/api:1.0" has no digest; pin it first/);
  });

  it('orders references by canonical string', () => {
    const refs = ['ghcr.io/b:1', 'ghcr.io/a:2', 'docker.io/x/y:1'].map((r) => parseImageRef(r));
    expect(refs.sort(compareImageRefs).map(formatImageRef)).toEqual(['docker.io/x/y:1', 'ghcr.io/a:2', 'ghcr.io/b:1']);
  });
});
