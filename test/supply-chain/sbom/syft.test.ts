import { describe, expect, it } from 'vitest';
import { buildSyftArgs, parseSyftOutput, syftOutputSpec } from '../../../src/supply-chain/sbom/syft.ts';
import { IMAGE_DIGEST, bytesOf, cyclonedxImageSbom, spdxImageSbom } from './fixtures.ts';

const REF = `ghcr.io/acme/api:1.4.2@${IMAGE_DIGEST}`;

describe('buildSyftArgs', () => {
  it('scans the pinned image from the registry into SPDX 2.3 on standard output', () => {
    expect(buildSyftArgs(REF, 'spdx-json')).toEqual(['scan', '--from', 'registry', '-o', 'spdx-json@2.3', '--quiet', `ghcr.io/acme/api@${IMAGE_DIGEST}`]);
  });

  it('pins CycloneDX to 1.6 and can write to a file for a platform', () => {
    expect(buildSyftArgs(REF, 'cyclonedx-json', { outputFile: 'out/api.cdx.json', platform: 'linux/arm64' })).toEqual([
      'scan', '--from', 'registry', '--platform', 'linux/arm64', '-o', 'cyclonedx-json@1.6=out/api.cdx.json', '--quiet', `ghcr.io/acme/api@${IMAGE_DIGEST}`,
    ]);
  });

  it('takes another supported spec version when asked', () => {
    expect(syftOutputSpec('cyclonedx-json', { specVersion: '1.5' })).toBe('cyclonedx-json@1.5');
  });

  it('fails when the image is not pinned', () => {
    expect(() => buildSyftArgs('ghcr.io/acme/api:1.4.2', 'spdx-json')).toThrow(/syft must scan a pinned image, got "ghcr.io\/acme\/api:1.4.2"; pin the image first/);
  });

  it('fails when syft cannot write the requested version', () => {
    expect(() => buildSyftArgs(REF, 'spdx-json', { specVersion: '3.0' })).toThrow(/syft cannot write spdx-json version "3.0"; use one of 2.2, 2.3/);
  });
});

describe('parseSyftOutput', () => {
  it('reads the SBOM syft printed', () => {
    expect(parseSyftOutput(bytesOf(spdxImageSbom()), 'spdx-json')).toMatchObject({ format: 'spdx-json', specVersion: '2.3', packageCount: 2 });
    expect(parseSyftOutput(Buffer.from(bytesOf(cyclonedxImageSbom())), 'cyclonedx-json')).toMatchObject({ specVersion: '1.6', packageCount: 3 });
  });

  it('fails when syft printed nothing', () => {
    expect(() => parseSyftOutput('  \n', 'spdx-json')).toThrow(/syft output: syft wrote nothing; run syft without --quiet/);
    expect(() => parseSyftOutput(new Uint8Array(), 'spdx-json', { file: 'out.json' })).toThrow(/out\.json: syft wrote nothing/);
  });

  it('fails when syft wrote another format or version than asked', () => {
    expect(() => parseSyftOutput(bytesOf(cyclonedxImageSbom({ specVersion: '1.7' })), 'cyclonedx-json')).toThrow(/syft wrote cyclonedx-json@1\.7, expected cyclonedx-json@1\.6; pass "-o cyclonedx-json@1\.6"/);
    expect(() => parseSyftOutput(bytesOf(spdxImageSbom()), 'cyclonedx-json')).toThrow(/syft wrote spdx-json@2\.3, expected cyclonedx-json@1\.6/);
  });
});
