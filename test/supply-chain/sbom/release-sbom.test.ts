import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/supply-chain/images/reference.ts';
import { readSbom } from '../../../src/supply-chain/sbom/read.ts';
import { deterministicUuid, ociPurl, releaseSbom } from '../../../src/supply-chain/sbom/release-sbom.ts';
import type { ReleaseSbomInput } from '../../../src/supply-chain/sbom/release-sbom.ts';
import { validateSbom } from '../../../src/supply-chain/sbom/validate.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const SBOM_A = '1'.repeat(64);
const SBOM_B = '2'.repeat(64);

function input(overrides: Partial<ReleaseSbomInput> = {}): ReleaseSbomInput {
  return {
    environment: 'production',
    componentVersion: '2026.08.1',
    serialNumberSeed: 'git:4f1c2d',
    images: [
      { ref: `ghcr.io/acme/api:1.4.2@${A}`, sbom: { sha256: SBOM_A, format: 'spdx-json', specVersion: '2.3', packageCount: 88 }, workloads: ['payments/api', 'payments/api-canary'] },
      { ref: `docker.io/library/redis@${B}`, sbom: { sha256: SBOM_B, format: 'cyclonedx-json', packageCount: 12 }, workloads: ['payments/cache'] },
    ],
    ...overrides,
  };
}

describe('releaseSbom', () => {
  it('gives the same bytes for the same input', () => {
    expect(releaseSbom(input())).toBe(releaseSbom(input()));
  });

  it('gives the same bytes whatever the order of images and workloads', () => {
    const shuffled = input({
      images: [...input().images].reverse().map((i) => ({ ...i, workloads: [...i.workloads].reverse() })),
    });
    expect(releaseSbom(shuffled)).toBe(releaseSbom(input()));
  });

  it('derives the serial number from the inputs, so another seed or image gives another one', () => {
    const serial = (i: ReleaseSbomInput): unknown => JSON.parse(releaseSbom(i)).serialNumber;
    expect(serial(input())).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(serial(input({ serialNumberSeed: 'git:other' }))).not.toBe(serial(input()));
    expect(serial(input({ images: input().images.slice(0, 1) }))).not.toBe(serial(input()));
  });

  it('writes no timestamp unless one is passed', () => {
    expect(JSON.parse(releaseSbom(input())).metadata.timestamp).toBeUndefined();
    expect(JSON.parse(releaseSbom(input({ timestamp: new Date('2026-08-21T10:00:00Z') }))).metadata.timestamp).toBe('2026-08-21T10:00:00.000Z');
  });

  it('describes the release as the metadata component, depending on every image', () => {
    const bom = JSON.parse(releaseSbom(input()));
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.metadata.component).toMatchObject({ type: 'application', name: 'production', version: '2026.08.1', 'bom-ref': 'lockstep-release:production' });
    const release = bom.dependencies.find((d: { ref: string }) => d.ref === 'lockstep-release:production');
    expect(release.dependsOn).toHaveLength(2);
  });

  it('lists each image as a container with a pkg:oci purl, its digest, its SBOM and its workloads', () => {
    const bom = JSON.parse(releaseSbom(input()));
    const api = bom.components.find((c: { name: string }) => c.name === 'ghcr.io/acme/api');
    expect(api).toEqual({
      type: 'container',
      name: 'ghcr.io/acme/api',
      version: A,
      'bom-ref': `pkg:oci/api@sha256%3A${'a'.repeat(64)}?repository_url=ghcr.io/acme/api&tag=1.4.2`,
      purl: `pkg:oci/api@sha256%3A${'a'.repeat(64)}?repository_url=ghcr.io/acme/api&tag=1.4.2`,
      hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
      externalReferences: [
        {
          type: 'bom',
          url: `sboms/ghcr.io/acme/api/sha256-${'a'.repeat(64)}.spdx.json`,
          hashes: [{ alg: 'SHA-256', content: SBOM_A }],
          comment: 'spdx-json@2.3, 88 packages',
        },
      ],
      properties: [
        { name: 'lockstep:sbom:format', value: 'spdx-json@2.3' },
        { name: 'lockstep:sbom:packages', value: '88' },
        { name: 'lockstep:sbom:sha256', value: SBOM_A },
        { name: 'lockstep:workload', value: 'payments/api' },
        { name: 'lockstep:workload', value: 'payments/api-canary' },
      ],
    });
  });

  it('is valid CycloneDX 1.6, and 1.5 when asked', async () => {
    expect(await validateSbom(releaseSbom(input()), 'release.cdx.json')).toEqual([]);
    const v15 = releaseSbom(input({ specVersion: '1.5' }));
    expect(JSON.parse(v15).specVersion).toBe('1.5');
    expect(await validateSbom(v15, 'release.cdx.json')).toEqual([]);
  });

  it('reads back as a CycloneDX SBOM whose images are not counted as packages', () => {
    expect(readSbom(releaseSbom(input()), 'release.cdx.json')).toMatchObject({ format: 'cyclonedx-json', specVersion: '1.6', packageCount: 0 });
  });

  it('merges an image listed twice with the same SBOM', () => {
    const twice = input({ images: [...input().images, { ...input().images[0]!, workloads: ['billing/api'] }] });
    const bom = JSON.parse(releaseSbom(twice));
    expect(bom.components).toHaveLength(2);
    const api = bom.components.find((c: { name: string }) => c.name === 'ghcr.io/acme/api');
    expect(api.properties.filter((p: { name: string }) => p.name === 'lockstep:workload').map((p: { value: string }) => p.value)).toEqual([
      'billing/api',
      'payments/api',
      'payments/api-canary',
    ]);
  });

  it('fails when an image is listed twice with different SBOMs', () => {
    const img = input().images[0]!;
    const conflicting = input({ images: [img, { ...img, sbom: { ...img.sbom, sha256: SBOM_B } }] });
    expect(() => releaseSbom(conflicting)).toThrow(/\/images\/1\/sbom\/sha256: image ghcr.io\/acme\/api@sha256:a{64} is listed twice with different SBOMs/);
  });

  it('fails when an image is not pinned by digest', () => {
    const img = input().images[0]!;
    expect(() => releaseSbom(input({ images: [{ ...img, ref: 'ghcr.io/acme/api:1.4.2' }] }))).toThrow(/\/images\/0\/ref: image "ghcr.io\/acme\/api:1.4.2" is not pinned by digest/);
  });

  it('fails when an SBOM sha256 is malformed', () => {
    const img = input().images[0]!;
    expect(() => releaseSbom(input({ images: [{ ...img, sbom: { ...img.sbom, sha256: 'abc' } }] }))).toThrow(/\/images\/0\/sbom\/sha256: SBOM sha256 must be 64 lowercase hex characters, got "abc"/);
  });

  it('fails when the environment is empty', () => {
    expect(() => releaseSbom(input({ environment: '' }))).toThrow(/\/environment: environment is empty/);
  });
});

describe('ociPurl', () => {
  it('follows the purl spec examples for Docker Hub images', () => {
    expect(ociPurl(parseImageRef(`debian:bullseye@${A}`))).toBe(`pkg:oci/debian@sha256%3A${'a'.repeat(64)}?repository_url=docker.io/library/debian&tag=bullseye`);
  });

  it('keeps a registry port readable in repository_url', () => {
    expect(ociPurl(parseImageRef(`localhost:5000/team/api@${A}`))).toBe(`pkg:oci/api@sha256%3A${'a'.repeat(64)}?repository_url=localhost:5000/team/api`);
  });

  it('fails when the image has no digest', () => {
    expect(() => ociPurl(parseImageRef('ghcr.io/acme/api:1.0'))).toThrow(/a pkg:oci purl needs a digest, got ghcr.io\/acme\/api; pin the image first/);
  });
});

describe('deterministicUuid', () => {
  it('is a version 8 UUID that depends only on its input', () => {
    expect(deterministicUuid('x')).toBe(deterministicUuid('x'));
    expect(deterministicUuid('x')).not.toBe(deterministicUuid('y'));
    expect(deterministicUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
