import { describe, expect, it } from 'vitest';
import { parsePssVersion, unsupportedVersion, type PssVersion } from '../../../src/policy/legacy/pss-version.ts';

describe('parsePssVersion', () => {
  it('reads latest, empty and v1.N', () => {
    expect(parsePssVersion('latest')).toEqual({ text: 'latest', latest: true, minor: undefined });
    expect(parsePssVersion('')).toEqual({ text: '', latest: true, minor: undefined });
    expect(parsePssVersion('v1.27')).toEqual({ text: 'v1.27', latest: false, minor: 27 });
  });

  it('fails when the string is neither latest nor v1.N, with pod-security-admission’s message', () => {
    for (const v of ['1.27', 'v2.0', 'v1.027', 'Latest']) expect(parsePssVersion(v)).toEqual({ error: 'must be "latest" or "v1.x"' });
  });
});

describe('unsupportedVersion', () => {
  const v = (text: string) => unsupportedVersion(parsePssVersion(text) as PssVersion);

  it('accepts latest and v1.19 to v1.29', () => {
    for (const t of ['latest', 'v1.19', 'v1.25', 'v1.29']) expect(v(t)).toBeUndefined();
  });

  it('fails when the version is before v1.19 or after v1.29, naming it', () => {
    expect(v('v1.0')).toMatch(/^podSecurity version v1\.0 is not supported by the Lockstep ClusterPolicy engine: before v1\.19/);
    expect(v('v1.30')).toMatch(/^podSecurity version v1\.30 is not supported by the Lockstep ClusterPolicy engine: later versions/);
  });
});
