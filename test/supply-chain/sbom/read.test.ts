import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSbom } from '../../../src/supply-chain/sbom/read.ts';
import { IMAGE_DIGEST, bytesOf, cyclonedxImageSbom, spdxImageSbom, spdxPackage } from './fixtures.ts';

const FILE = 'sboms/ghcr.io/acme/api/x.json';

describe('readSbom with SPDX', () => {
  it('reads format, version, packages without the image root, subject and generator', () => {
    const text = bytesOf(spdxImageSbom());
    expect(readSbom(text, FILE)).toEqual({
      format: 'spdx-json',
      specVersion: '2.3',
      packageCount: 2,
      sha256: createHash('sha256').update(text).digest('hex'),
      subject: { name: 'ghcr.io/acme/api', digest: IMAGE_DIGEST, version: '1.4.2' },
      generator: 'syft-1.30.0',
    });
  });

  it('hashes the exact bytes, whether given as a string or a buffer', () => {
    const text = bytesOf(spdxImageSbom());
    expect(readSbom(Buffer.from(text), FILE).sha256).toBe(readSbom(text, FILE).sha256);
    expect(readSbom(`${text}\n`, FILE).sha256).not.toBe(readSbom(text, FILE).sha256);
  });

  it('counts every package when the document describes no root (SPDX 2.2 syft output)', () => {
    const doc = spdxImageSbom({ spdxVersion: 'SPDX-2.2', relationships: [] });
    expect(readSbom(bytesOf(doc), FILE)).toMatchObject({ specVersion: '2.2', packageCount: 3 });
    expect(readSbom(bytesOf(doc), FILE).subject).toBeUndefined();
  });

  it('removes the root named by documentDescribes', () => {
    const doc = spdxImageSbom({ relationships: [], documentDescribes: ['SPDXRef-DocumentRoot-Image-ghcr.io-acme-api'] });
    expect(readSbom(bytesOf(doc), FILE).packageCount).toBe(2);
  });

  it('removes a root linked by DESCRIBED_BY', () => {
    const doc = spdxImageSbom({
      relationships: [{ spdxElementId: 'SPDXRef-DocumentRoot-Image-ghcr.io-acme-api', relatedSpdxElement: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBED_BY' }],
    });
    expect(readSbom(bytesOf(doc), FILE).packageCount).toBe(2);
  });

  it('keeps a described root whose purpose is not CONTAINER or FILE, as syft does', () => {
    const doc = spdxImageSbom();
    (doc['packages'] as Record<string, unknown>[])[2]!['primaryPackagePurpose'] = 'APPLICATION';
    expect(readSbom(bytesOf(doc), FILE)).toMatchObject({ packageCount: 3 });
    expect(readSbom(bytesOf(doc), FILE).subject).toBeUndefined();
  });

  it('removes a FILE root but gives no image subject', () => {
    const doc = spdxImageSbom();
    (doc['packages'] as Record<string, unknown>[])[2]!['primaryPackagePurpose'] = 'FILE';
    const info = readSbom(bytesOf(doc), FILE);
    expect(info.packageCount).toBe(2);
    expect(info.subject).toBeUndefined();
  });

  it('keeps both roots when the document describes two packages', () => {
    const doc = spdxImageSbom();
    (doc['relationships'] as unknown[]).push({ spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: 'SPDXRef-Package-a', relationshipType: 'DESCRIBES' });
    expect(readSbom(bytesOf(doc), FILE).packageCount).toBe(3);
  });

  it('skips the target of GENERATED_FROM and counts a repeated SPDXID once', () => {
    const doc = spdxImageSbom();
    (doc['packages'] as unknown[]).push(spdxPackage('src', 'source'), spdxPackage('a', 'libc'));
    (doc['relationships'] as unknown[]).push({ spdxElementId: 'SPDXRef-Package-b', relatedSpdxElement: 'SPDXRef-Package-src', relationshipType: 'GENERATED_FROM' });
    expect(readSbom(bytesOf(doc), FILE).packageCount).toBe(2);
  });

  it('takes the digest from versionInfo when the root has no SHA256 checksum', () => {
    const doc = spdxImageSbom();
    const root = (doc['packages'] as Record<string, unknown>[])[2]!;
    delete root['checksums'];
    root['versionInfo'] = IMAGE_DIGEST;
    expect(readSbom(bytesOf(doc), FILE).subject).toEqual({ name: 'ghcr.io/acme/api', digest: IMAGE_DIGEST });
  });

  it('reads a file that starts with a byte-order mark', () => {
    expect(readSbom(`\ufeff${bytesOf(spdxImageSbom())}`, FILE).format).toBe('spdx-json');
  });
});

describe('readSbom with CycloneDX', () => {
  it('counts package components recursively, not the distro or the image', () => {
    expect(readSbom(bytesOf(cyclonedxImageSbom()), FILE)).toMatchObject({
      format: 'cyclonedx-json',
      specVersion: '1.6',
      packageCount: 3,
      subject: { name: 'ghcr.io/acme/api', digest: IMAGE_DIGEST },
      generator: 'syft-1.30.0',
    });
  });

  it('reads the pre-1.5 tools list and a subject version that is not a digest', () => {
    const doc = cyclonedxImageSbom({
      specVersion: '1.4',
      metadata: { tools: [{ vendor: 'anchore', name: 'syft', version: '0.58.0' }], component: { type: 'container', name: 'alpine', version: 'sha256:redacted' } },
      components: [],
    });
    expect(readSbom(bytesOf(doc), FILE)).toMatchObject({ specVersion: '1.4', packageCount: 0, subject: { name: 'alpine', version: 'sha256:redacted' }, generator: 'syft-0.58.0' });
  });

  it('has no subject when the BOM describes a directory', () => {
    const doc = cyclonedxImageSbom({ metadata: { component: { type: 'file', name: '/src' } } });
    expect(readSbom(bytesOf(doc), FILE).subject).toBeUndefined();
  });
});

describe('readSbom errors', () => {
  it('fails when the file is not JSON', () => {
    expect(() => readSbom('{ nope', FILE)).toThrow(/sboms\/ghcr\.io\/acme\/api\/x\.json: SBOM is not valid JSON: .*; generate it with `syft scan IMAGE -o spdx-json@2\.3`/);
  });

  it('fails when the top level is not an object', () => {
    expect(() => readSbom('[]', FILE)).toThrow(/not an SPDX JSON or CycloneDX JSON SBOM: the top level is not a JSON object/);
  });

  it('fails when the JSON is neither SPDX nor CycloneDX', () => {
    expect(() => readSbom('{"name":"x"}', FILE)).toThrow(/it has neither "spdxVersion" \(SPDX\) nor "bomFormat": "CycloneDX"/);
  });

  it("fails when the file is syft's own JSON format", () => {
    expect(() => readSbom('{"artifacts":[],"descriptor":{"name":"syft"}}', FILE)).toThrow(/it is syft's own JSON format \(syft-json\)/);
  });

  it('fails when the file is SPDX 3 JSON-LD', () => {
    expect(() => readSbom('{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}', FILE)).toThrow(/it looks like SPDX 3 JSON-LD/);
  });

  it('fails when the SPDX version is not supported, saying which are', () => {
    expect(() => readSbom(bytesOf(spdxImageSbom({ spdxVersion: 'SPDX-2.1' })), FILE)).toThrow(/\/spdxVersion: unsupported SPDX version "SPDX-2\.1"; Lockstep reads SPDX 2\.2, 2\.3/);
    expect(() => readSbom(bytesOf(spdxImageSbom({ spdxVersion: '2.3' })), FILE)).toThrow(/unsupported SPDX version "2\.3"/);
  });

  it('fails when the CycloneDX version is missing or not supported', () => {
    expect(() => readSbom(bytesOf(cyclonedxImageSbom({ specVersion: '1.1' })), FILE)).toThrow(/\/specVersion: unsupported CycloneDX version "1\.1"; Lockstep reads CycloneDX 1\.2, .*1\.7; regenerate with `syft scan IMAGE -o cyclonedx-json@1\.6`/);
    expect(() => readSbom(bytesOf(cyclonedxImageSbom({ specVersion: 1.6 })), FILE)).toThrow(/unsupported CycloneDX version 1\.6/);
  });

  it('fails when packages is not a list', () => {
    expect(() => readSbom(bytesOf(spdxImageSbom({ packages: {} })), FILE)).toThrow(/\/packages: packages must be a list, got object/);
  });
});
