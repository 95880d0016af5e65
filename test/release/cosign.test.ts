import { describe, expect, it } from 'vitest';
import { cosignAttestBlobArgs, cosignSignBlobArgs, findOnPath, toolFailure } from '../../src/release/cosign.ts';

describe('cosign argument builders', () => {
  it('signs keyless with --yes and a bundle', () => {
    expect(cosignSignBlobArgs({ file: 'dist/prod/release.json', bundle: 'dist/prod/release.sigstore.json' })).toEqual(['sign-blob', '--yes', '--bundle', 'dist/prod/release.sigstore.json', 'dist/prod/release.json']);
  });

  it('signs with a key offline, without Rekor', () => {
    expect(cosignSignBlobArgs({ file: 'r.json', bundle: 'r.sigstore.json', key: 'awskms:///alias/release' })).toEqual([
      'sign-blob', '--yes', '--key', 'awskms:///alias/release', '--use-signing-config=false', '--tlog-upload=false', '--bundle', 'r.sigstore.json', 'r.json',
    ]);
  });

  it('attests the prebuilt statement as SLSA provenance v1', () => {
    expect(cosignAttestBlobArgs({ statement: '/tmp/s.json', bundle: 'r.intoto.json' })).toEqual(['attest-blob', '--yes', '--type', 'slsaprovenance1', '--statement', '/tmp/s.json', '--bundle', 'r.intoto.json']);
    expect(cosignAttestBlobArgs({ statement: 's', bundle: 'b', key: 'k.key' })).toContain('--tlog-upload=false');
  });
});

describe('findOnPath', () => {
  it('finds the first executable in PATH order', () => {
    const found = findOnPath('cosign', '/a::/b:/c', (p) => p === '/b/cosign' || p === '/c/cosign');
    expect(found).toBe('/b/cosign');
  });

  it('returns undefined when PATH is unset', () => {
    expect(findOnPath('cosign', undefined, () => true)).toBeUndefined();
  });
});

describe('toolFailure', () => {
  it('names the command, the exit code and the end of stderr', () => {
    expect(toolFailure('cosign', ['sign-blob', 'x'], 1, 'a\nb\nc\nd\n').message).toBe(
      'cosign sign-blob x exited with code 1: b c d; check the identity or key cosign signs with (run the command by hand to see its prompts)',
    );
    expect(toolFailure('syft', ['scan'], null, '').message).toMatch(/^syft scan exited with code unknown; run the command by hand/);
  });
});
