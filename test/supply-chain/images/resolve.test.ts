import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/supply-chain/images/reference.ts';
import {
  buildResolveArgs,
  detectRegistryTool,
  parseResolveOutput,
  resolveDigest,
  resolveFailure,
} from '../../../src/supply-chain/images/resolve.ts';

const HEX = 'ab'.repeat(32);
const DIGEST = `sha256:${HEX}`;

describe('detectRegistryTool', () => {
  const onDisk = (paths: string[]) => (p: string) => paths.includes(p);

  it('prefers crane, then skopeo, then cosign, whatever the PATH order', () => {
    const exists = onDisk(['/a/cosign', '/b/skopeo', '/c/crane']);
    expect(detectRegistryTool('/a:/b:/c', exists, { pathDelimiter: ':' })).toEqual({ tool: 'crane', path: '/c/crane' });
    expect(detectRegistryTool('/a:/b', exists, { pathDelimiter: ':' })).toEqual({ tool: 'skopeo', path: '/b/skopeo' });
    expect(detectRegistryTool('/a', exists, { pathDelimiter: ':' })).toEqual({ tool: 'cosign', path: '/a/cosign' });
  });

  it('takes the first PATH entry that has the tool', () => {
    expect(detectRegistryTool('/x:/y', onDisk(['/x/crane', '/y/crane']), { pathDelimiter: ':' })?.path).toBe('/x/crane');
  });

  it('looks only for the preferred tool when one is named', () => {
    const exists = onDisk(['/a/crane', '/a/cosign']);
    expect(detectRegistryTool('/a', exists, { preferred: 'cosign', pathDelimiter: ':' })).toEqual({ tool: 'cosign', path: '/a/cosign' });
    expect(detectRegistryTool('/a', exists, { preferred: 'skopeo', pathDelimiter: ':' })).toBeUndefined();
  });

  it('finds nothing on an empty or missing PATH', () => {
    expect(detectRegistryTool('', () => true)).toBeUndefined();
    expect(detectRegistryTool(undefined, () => true)).toBeUndefined();
  });
});

describe('buildResolveArgs', () => {
  const ref = parseImageRef('nginx:1.27');

  it('asks crane for the digest of the fully qualified tag', () => {
    expect(buildResolveArgs('crane', ref)).toEqual(['digest', 'docker.io/library/nginx:1.27']);
  });

  it('asks skopeo for the top-level Digest over the docker transport', () => {
    expect(buildResolveArgs('skopeo', ref)).toEqual(['--override-os', 'linux', 'inspect', '--format', '{{.Digest}}', 'docker://docker.io/library/nginx:1.27']);
  });

  it('asks cosign where the signature of the tag lives', () => {
    expect(buildResolveArgs('cosign', ref)).toEqual(['triangulate', '--type', 'signature', 'docker.io/library/nginx:1.27']);
  });

  it('resolves the tag even when the reference already has a digest', () => {
    expect(buildResolveArgs('crane', parseImageRef(`ghcr.io/acme/api:1.0@${DIGEST}`))).toEqual(['digest', 'ghcr.io/acme/api:1.0']);
  });
});

describe('parseResolveOutput', () => {
  it('reads the digest line crane and skopeo print', () => {
    expect(parseResolveOutput('crane', `${DIGEST}\n`)).toBe(DIGEST);
    expect(parseResolveOutput('skopeo', `${DIGEST}\n`)).toBe(DIGEST);
  });

  it("reads the digest out of cosign's signature tag", () => {
    expect(parseResolveOutput('cosign', `index.docker.io/library/nginx:sha256-${HEX}.sig\n`)).toBe(DIGEST);
    expect(parseResolveOutput('cosign', `localhost:5000/team/api:sha256-${HEX}.sig`)).toBe(DIGEST);
  });

  it('fails when crane prints something other than a digest', () => {
    expect(() => parseResolveOutput('crane', 'Error: MANIFEST_UNKNOWN')).toThrow(/could not read a digest from crane's output "Error: MANIFEST_UNKNOWN"; expected one line "sha256:<hex>" from crane/);
  });

  it('fails when skopeo prints more than one line', () => {
    expect(() => parseResolveOutput('skopeo', `${DIGEST}\n${DIGEST}`)).toThrow(/could not read a digest from skopeo's output/);
  });

  it('fails when cosign prints no signature tag', () => {
    expect(() => parseResolveOutput('cosign', 'ghcr.io/acme/api:1.0')).toThrow(/expected "REGISTRY\/REPO:sha256-<hex>.sig" from `cosign triangulate`/);
  });
});

describe('resolveDigest', () => {
  it('returns the digest of an already pinned reference without running anything', async () => {
    await expect(resolveDigest(`ghcr.io/acme/api:1.0@${DIGEST}`, { env: { PATH: '' } })).resolves.toBe(DIGEST);
  });

  it('fails when no registry tool is on PATH, saying what to install', async () => {
    await expect(resolveDigest('ghcr.io/acme/api:1.0', { env: { PATH: '/nowhere' }, isExecutable: () => false })).rejects.toThrow(
      /cannot resolve ghcr.io\/acme\/api:1.0: any of crane, skopeo, cosign not found on PATH; install crane \(go-containerregistry\), skopeo or cosign/,
    );
  });

  it('fails when the requested tool is not on PATH', async () => {
    await expect(resolveDigest('ghcr.io/acme/api:1.0', { env: { PATH: '/nowhere' }, tool: 'skopeo', isExecutable: () => false })).rejects.toThrow(/"skopeo" not found on PATH/);
  });

  it('fails when the reference is latest before looking for a tool', async () => {
    await expect(resolveDigest('ghcr.io/acme/api', { env: { PATH: '' } })).rejects.toThrow(/has no tag and no digest/);
  });
});

describe('resolveFailure', () => {
  it('names the command, the exit code and the last lines of stderr', () => {
    const err = resolveFailure('crane', ['digest', 'ghcr.io/acme/api:9'], 1, 'line1\nline2\nline3\nError: MANIFEST_UNKNOWN\n');
    expect(err.message).toBe('crane digest ghcr.io/acme/api:9 exited with code 1: line2 line3 Error: MANIFEST_UNKNOWN; check that the tag exists and that you are logged in to the registry');
  });

  it('says "unknown" when the tool was killed by a signal', () => {
    expect(resolveFailure('skopeo', ['inspect'], null, '').message).toMatch(/^skopeo inspect exited with code unknown; check/);
  });
});
