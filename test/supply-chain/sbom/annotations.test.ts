import { describe, expect, it } from 'vitest';
import { sbomAnnotationKeys, sbomAnnotations } from '../../../src/supply-chain/sbom/annotations.ts';

const SHA = 'c'.repeat(64);

describe('sbomAnnotations', () => {
  it('writes the SBOM sha256, format and package count under lockstep.dev', () => {
    expect(sbomAnnotations('lockstep.dev', { sha256: SHA, format: 'spdx-json', packageCount: 88 })).toEqual({
      'lockstep.dev/sbom-format': 'spdx-json',
      'lockstep.dev/sbom-packages': '88',
      'lockstep.dev/sbom-sha256': SHA,
    });
  });

  it('uses any organisation prefix, e.g. tk8s.io', () => {
    expect(Object.keys(sbomAnnotations('tk8s.io', { sha256: SHA, format: 'cyclonedx-json', packageCount: 0 }))).toEqual([
      'tk8s.io/sbom-format',
      'tk8s.io/sbom-packages',
      'tk8s.io/sbom-sha256',
    ]);
  });

  it('writes the format the way syft spells it when the spec version is known', () => {
    expect(sbomAnnotations('lockstep.dev', { sha256: SHA, format: 'spdx-json', specVersion: '2.3', packageCount: 1 })['lockstep.dev/sbom-format']).toBe('spdx-json@2.3');
  });

  it('returns the keys alone for policies that match on them', () => {
    expect(sbomAnnotationKeys('lockstep.dev').sha256).toBe('lockstep.dev/sbom-sha256');
  });

  it('fails when the prefix is not a DNS subdomain', () => {
    expect(() => sbomAnnotations('Lockstep.dev/', { sha256: SHA, format: 'spdx-json', packageCount: 1 })).toThrow(/annotation prefix "Lockstep\.dev\/" is not a DNS subdomain; use a lowercase domain/);
    expect(() => sbomAnnotationKeys('a'.repeat(254))).toThrow(/is not a DNS subdomain/);
  });

  it('fails when the sha256 is not 64 lowercase hex characters', () => {
    expect(() => sbomAnnotations('lockstep.dev', { sha256: 'sha256:' + SHA, format: 'spdx-json', packageCount: 1 })).toThrow(/SBOM sha256 must be 64 lowercase hex characters, got "sha256:c+"/);
  });

  it('fails when the package count is not a whole number', () => {
    expect(() => sbomAnnotations('lockstep.dev', { sha256: SHA, format: 'spdx-json', packageCount: -1 })).toThrow(/SBOM package count must be a whole number ≥ 0, got -1/);
    expect(() => sbomAnnotations('lockstep.dev', { sha256: SHA, format: 'spdx-json', packageCount: 1.5 })).toThrow(/got 1\.5/);
  });
});
